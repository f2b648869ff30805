"""The code runner without MkDocs: real worker processes, a real disk cache in ``tmp_path``."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from mathwiki.cache import Cache
from mathwiki.execution import sandbox
from mathwiki.execution.runner import CACHE_VERSION, Block, PageJob, Runner

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def probed() -> sandbox.Sandbox:
    return sandbox.probe()


@pytest.fixture
def runner(tmp_path: Path, probed: sandbox.Sandbox) -> Runner:
    cache = Cache(tmp_path / "cache", "code", CACHE_VERSION)
    return Runner(cache, workers=2, sandbox=probed, mpl_cache=tmp_path / "mpl")


def job(*sources: str, run: tuple[bool, ...] = (), timeout: float = 10, path: str = "docs/x.md") -> PageJob:
    flags = run or (True,) * len(sources)
    blocks = tuple(
        Block(source, 10 * i + 5, flag, {} if flag else {"run": "no"})
        for i, (source, flag) in enumerate(zip(sources, flags, strict=True))
    )
    return PageJob(path, blocks, timeout)


def test_outputs_shared_namespace_and_run_no(runner: Runner) -> None:
    page = job(
        "x = 20\nprint('a', x)",
        "print('never')",
        "import sys\nprint(x + 1, file=sys.stderr)",
        run=(True, False, True),
    )
    result = runner.run_page(page)
    assert [b.status for b in result.blocks] == ["ok", "skipped", "ok"]
    assert result.blocks[0].output == "a 20\n"
    assert result.blocks[1].output == ""
    assert result.blocks[2].output == "21\n"
    assert result.problems == ()


def test_cache_hit_starts_no_process_and_a_change_reruns(runner: Runner) -> None:
    first = runner.run_page(job("print(1)", "print(2)"))
    assert first.ran and runner.started == 1
    again = runner.run_page(job("print(1)", "print(2)"))
    assert not again.ran and runner.started == 1
    assert again.blocks == first.blocks
    changed = runner.run_page(job("print(1)", "print(3)"))
    assert changed.ran and runner.started == 2
    assert changed.blocks[1].output == "3\n"


def test_moving_a_block_on_the_page_does_not_rerun_but_moves_the_message(runner: Runner) -> None:
    source = "a = 1\nb = 0\na / b"
    first = runner.run_page(job(source))
    moved = PageJob("docs/x.md", (Block(source, 40),), 10)
    second = runner.run_page(moved)
    assert not second.ran
    assert str(first.problems[0]).startswith("docs/x.md:5: code block failed at line 3 of the block (file line 8)")
    assert str(second.problems[0]).startswith("docs/x.md:40: code block failed at line 3 of the block (file line 43)")


def test_a_corrupted_entry_is_run_again(runner: Runner, tmp_path: Path) -> None:
    runner.run_page(job("print('ok')"))
    entries = list((tmp_path / "cache" / "code").rglob("*.json"))
    assert len(entries) == 1
    entries[0].write_text(entries[0].read_text()[:-20], encoding="utf-8")
    result = runner.run_page(job("print('ok')"))
    assert result.ran and runner.started == 2
    assert result.blocks[0].output == "ok\n"


def test_a_figure_comes_back_as_the_same_png(runner: Runner, tmp_path: Path) -> None:
    code = "import matplotlib.pyplot as plt\nplt.plot([0, 1, 4])\nplt.figure()\nplt.plot([1, 0])"
    result = runner.run_page(job(code, "import matplotlib.pyplot as plt\nprint(plt.get_fignums())"))
    figures = result.blocks[0].figures
    assert len(figures) == 2
    assert all(base64.b64decode(f).startswith(PNG) for f in figures)
    assert result.blocks[1].output == "[]\n"  # figures are closed after each block
    fresh = Runner(None, sandbox=runner.sandbox, mpl_cache=tmp_path / "mpl").run_page(job(code))
    assert fresh.blocks[0].figures == figures  # fixed metadata: same code, same bytes


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "x = 1\ny = [1]\ny[x]",
            "code block failed at line 3 of the block (file line 18): IndexError: list index",
        ),
        (
            "import sys\nsys.exit(3)",
            "code block failed at line 2 of the block (file line 17): the code called sys.exit(3)",
        ),
        ("import os\nos._exit(0)", "code block failed: the worker ended without finishing (os._exit?)"),
        ("def f(:\n  pass", "code block failed at line 1 of the block (file line 16): SyntaxError"),
        (
            "x = bytearray(4 * 1024**3)",
            "code block failed at line 1 of the block (file line 16): MemoryError",
        ),
    ],
)
def test_failures_name_the_block_and_stop_the_page(runner: Runner, code: str, message: str) -> None:
    result = runner.run_page(job("print('before')", code, "print('after')"))
    assert [b.status for b in result.blocks] == ["ok", "failed", "not-run"]
    assert result.blocks[2].error == "not run (an earlier block failed)"
    (problem,) = result.problems
    assert problem.path == "docs/x.md" and problem.line == 15  # the fence of the failing block
    assert problem.message.startswith(message)
    assert result.blocks[0].output == "before\n"


def test_time_limit_names_the_running_block(runner: Runner) -> None:
    # 3 s: enough for the worker to start and print even on a busy CI machine, before the loop uses it up
    result = runner.run_page(job("print(1)", "while True:\n    pass", timeout=3))
    assert result.blocks[1].status == "failed"
    assert result.blocks[0].output == "1\n"  # streamed before the worker was killed
    (problem,) = result.problems
    assert problem.line == 15
    assert "did not finish within its time limit of 3 s" in problem.message


def test_output_is_capped_in_the_worker(tmp_path: Path, probed: sandbox.Sandbox) -> None:
    small = Runner(None, output_limit=1000, sandbox=probed, mpl_cache=tmp_path / "mpl")
    result = small.run_page(job("print('x' * 10_000_000)"))
    block = result.blocks[0]
    assert len(block.output) == 1000
    assert block.dropped == 10_000_001 - 1000


def test_the_code_cannot_write_outside_its_folder(runner: Runner, tmp_path: Path) -> None:
    if runner.sandbox.landlock_abi == 0 and runner.sandbox.namespaces is False:
        pytest.skip("no file-system protection on this machine")
    target = tmp_path / "outside.txt"
    code = f"open('here.txt', 'w').write('fine')\nopen({str(target)!r}, 'w').write('no')"
    result = runner.run_page(job(code))
    assert not target.exists()
    assert "PermissionError" in result.problems[0].message


def test_without_any_sandbox_the_code_still_runs(tmp_path: Path) -> None:
    bare = Runner(None, sandbox=sandbox.Sandbox((), False, 0), mpl_cache=tmp_path / "mpl")
    result = bare.run_page(job("import numpy\nprint(numpy.arange(3).sum())"))
    assert result.blocks[0].output == "3\n"
    assert bare.sandbox.missing()  # the hook logs these at INFO


def test_pages_run_in_parallel_in_order(runner: Runner) -> None:
    jobs = [job(f"print({n})", path=f"docs/p{n}.md") for n in range(4)]
    results = runner.run_pages(jobs)
    assert [r.blocks[0].output for r in results] == ["0\n", "1\n", "2\n", "3\n"]
