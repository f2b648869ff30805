"""The worker's check of what a page's process sends it (mathwiki.execution.messages), and the process tree."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import textwrap

import pytest
from PIL import Image

from mathwiki.execution import messages


def _payload(runs=(True, True), bindings=()) -> dict:
    return {
        "blocks": [{"source": "", "run": run} for run in runs],
        "output_limit": 100,
        "page_output_limit": 150,
        "bindings": [{"function": "f", "points": points} for points in bindings],
    }


def _feed(reader: messages.Reader, *items: dict) -> list[str]:
    seen: list[str] = []
    reader.feed(b"".join(json.dumps(item).encode() + b"\n" for item in items), seen.append)
    return seen


def _png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _block(index: int, output: str = "", figures=()) -> dict:
    return {"block": index, "output": output, "dropped": 0, "figures": list(figures)}


def test_a_well_formed_page_is_answered_with_its_blocks_figures_and_probe_values() -> None:
    reader = messages.Reader(_payload(runs=(True, False, True), bindings=[[{"x": 1.0}, {"x": 2.0}]]))
    seen = _feed(
        reader,
        {"start": 0},
        _block(0, "hello", [_png()]),
        {"start": 2},
        _block(2, "bye"),
        {"bindings": [{"values": [[2.0], [4]]}]},
    )
    assert reader.malformed is None
    answer = reader.answer(0, None, 0)
    assert [b["status"] for b in answer["blocks"]] == ["ok", "skipped", "ok"]
    assert answer["blocks"][0]["output"] == "hello" and len(answer["blocks"][0]["figures"]) == 1
    assert answer["bindings"] == [{"values": [[2.0], [4.0]]}]
    assert seen[0] == messages.PROGRESS + "0" and seen[1].startswith(messages.DONE)


@pytest.mark.parametrize(
    ("items", "fragment"),
    [
        ([{"start": 1}], "block 1 started where block 0 was due"),
        ([_block(0)], "a result for block 0 while block None ran"),
        ([{"start": 0}, _block(0), {"bindings": []}], "probe values before every block ran"),
        ([{"start": 0}, _block(0, "x" * 110)], "more output than the limit of 100 bytes"),
        ([{"start": 0}, _block(0, "x" * 90), {"start": 1}, _block(1, "y" * 90)], "limit of 60 bytes"),
        ([{"start": 0}, _block(0, figures=[base64.b64encode(b"<svg onload=alert(1)>").decode()])], "not a valid"),
        ([{"start": 0}, _block(0, figures=["not base64!"])], "not base64"),
        ([{"start": 0}, {**_block(0), "dropped": -1}], "not text and a count"),
        ([{"hello": 1}], "an unknown message"),
        ([[1, 2]], "not an object"),
        ([{"start": 0}, {**_block(0), "failure": {"message": "x"}}, {"start": 1}], "after the page ended"),
    ],
)
def test_anything_out_of_order_oversized_or_not_png_is_malformed(items: list, fragment: str) -> None:
    reader = messages.Reader(_payload())
    _feed(reader, *items)
    assert reader.malformed is not None and fragment in reader.malformed, reader.malformed
    answer = reader.answer(0, None, 0)
    assert answer["failure"]["kind"] == "bad-output" and fragment in answer["failure"]["message"]
    assert all(block["status"] != "ok" or not block.get("figures") for block in answer["blocks"][-1:])


def test_probe_values_must_be_numbers_one_row_per_point() -> None:
    for values, fragment in (([[1.0]], "another number of points"), ([["1"], [2]], "not numbers")):
        reader = messages.Reader(_payload(runs=(True,), bindings=[[{"x": 1.0}, {"x": 2.0}]]))
        _feed(reader, {"start": 0}, _block(0), {"bindings": [{"values": values}]})
        assert reader.malformed and fragment in reader.malformed


def test_a_page_that_ends_without_its_last_message_is_a_crash_at_the_running_block() -> None:
    reader = messages.Reader(_payload())
    _feed(reader, {"start": 0}, _block(0, "fine"), {"start": 1})
    answer = reader.answer(0, None, 0)
    assert answer["failure"]["block"] == 1 and "ended without finishing" in answer["failure"]["message"]
    assert answer["blocks"][0]["output"] == "fine"


def test_a_message_split_across_reads_is_joined() -> None:
    reader = messages.Reader(_payload(runs=(True,)))
    data = b"".join(json.dumps(item).encode() + b"\n" for item in ({"start": 0}, _block(0, "ok"), {"bindings": []}))
    for i in range(0, len(data), 7):
        reader.feed(data[i : i + 7], lambda _line: None)
    assert reader.malformed is None and reader.answer(0, None, 0)["blocks"][0]["output"] == "ok"


def _in_a_fresh_process(script: str) -> None:
    """Run ``script`` in its own Python, so reaping and killing touch none of pytest's own children."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


def test_wait_returns_the_status_of_a_child_that_reap_collected_first() -> None:
    _in_a_fresh_process(
        """
        import os, time
        from mathwiki.execution import tree
        pid = os.fork()
        if pid == 0:
            os._exit(3)
        time.sleep(0.2)
        tree.reap()
        status = tree.wait(pid, block=True)
        assert status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3, status
        """
    )


def test_the_watch_sums_the_whole_tree_and_kills_it_past_the_limit() -> None:
    # Three grandchildren of 30 MB each: none is over 60 MB, together they are.
    _in_a_fresh_process(
        """
        import os, time
        from mathwiki.execution import tree
        tree.become_subreaper()
        pid = os.fork()
        if pid == 0:
            for _ in range(3):
                if os.fork() == 0:
                    hold = bytearray(30 << 20)
                    for i in range(0, len(hold), 4096):
                        hold[i] = 1
                    time.sleep(30)
                    os._exit(0)
            time.sleep(30)
            os._exit(0)
        watch = tree.Watch(os.getpid(), 60 << 20)
        deadline = time.monotonic() + 20
        while not watch.check(every_s=0) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert watch.tripped == "memory", watch
        assert tree.descendants(os.getpid()) == []
        """
    )
