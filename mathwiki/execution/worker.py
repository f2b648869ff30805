"""The worker process that runs one page's ``python`` blocks (started by :mod:`mathwiki.execution.runner`).

Payload: ``{"blocks": [{"source": str, "run": bool}], "output_limit": int, "read_paths": [str],
"landlock": int, "bindings": [...]}``. The working directory is the page's fresh temporary folder.

Before any page code runs the worker confines itself (:func:`mathwiki.execution.sandbox.confine`). Blocks
run in order in one namespace; what they print (``sys.stdout`` and ``sys.stderr``, interleaved) is kept up to
``output_limit`` bytes a block, the rest only counted. After each block every open pyplot figure is saved as
PNG and closed, as Jupyter does. The first failing block stops the page.

Before each block the worker writes ``PROGRESS <k>`` on its real stderr, and after it ``DONE <json>`` with the
block's output, so when the worker never answers (time limit, killed, ``os._exit``) the parent still knows
which block was running and what the blocks before it printed.
"""

from __future__ import annotations

import base64
import builtins
import io
import json
import linecache
import math
import os
import sys
import traceback
from typing import Any

from mathwiki import isolation
from mathwiki.execution import sandbox

PROGRESS = "mathwiki-progress: block "
DONE = "mathwiki-progress: done "
_MESSAGE_CAP = 2000
_TRACEBACK_CAP = 8000


class _CappedSink(io.RawIOBase):
    """Keeps the first ``limit`` bytes written to it and counts the others."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.kept = bytearray()
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        room = self.limit - len(self.kept)
        if room > 0:
            self.kept.extend(chunk[:room])
        self.dropped += max(0, len(chunk) - max(room, 0))
        return len(chunk)

    def text(self) -> str:
        return self.kept.decode("utf-8", "replace")


def _text_stream(sink: _CappedSink) -> io.TextIOWrapper:
    return io.TextIOWrapper(
        io.BufferedWriter(sink, buffer_size=8192),  # type: ignore[arg-type]
        encoding="utf-8",
        errors="backslashreplace",
        line_buffering=True,
        write_through=True,
    )


def _progress(line: str) -> None:
    try:
        os.write(2, f"{line}\n".encode())
    except OSError:
        pass


def _figures() -> list[str]:
    """Every open pyplot figure as base64 PNG (fixed metadata, so the same code gives the same bytes)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    images = []
    try:
        for number in pyplot.get_fignums():
            buffer = io.BytesIO()
            pyplot.figure(number).savefig(buffer, format="png", metadata={"Software": None})
            images.append(base64.b64encode(buffer.getvalue()).decode("ascii"))
    finally:
        pyplot.close("all")
    return images


def _block_line(tb: Any, filename: str) -> int | None:
    """The line of the innermost frame that belongs to the block (not to a library it called)."""
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def _describe(exc: BaseException, filename: str) -> dict[str, Any]:
    if isinstance(exc, SystemExit):
        code = exc.code
        shown = "sys.exit()" if code is None else f"sys.exit({code!r})"
        return {
            "kind": "exit",
            "message": f"the code called {shown}",
            "line": _block_line(exc.__traceback__, filename),
        }
    line = _block_line(exc.__traceback__, filename)
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    text = str(exc)
    message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    frames = traceback.format_exception(exc)
    # Drop the worker's own frame (the exec call) so the traceback starts in the block.
    kept = [frames[0], *frames[2:]] if len(frames) > 2 and "Traceback" in frames[0] else frames
    return {
        "kind": "exception",
        "message": message[:_MESSAGE_CAP],
        "line": line,
        "traceback": "".join(kept)[-_TRACEBACK_CAP:],
    }


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _call_binding(namespace: dict[str, Any], binding: dict[str, Any]) -> dict[str, Any]:
    """Call ``binding["function"]`` at each probe point; return the numbers it gave, or why it could not."""
    name = binding["function"]
    function = namespace.get(name)
    if not callable(function):
        return {"error": f"the block binds '{name}', but no function of that name was defined"}
    values = []
    for point in binding["points"]:
        try:
            answer = function(**point)
        except BaseException as exc:  # noqa: BLE001 - the page's code: any failure is a finding
            args = ", ".join(f"{k}={v!r}" for k, v in point.items())
            return {"error": f"{name}({args}) raised {type(exc).__name__}: {str(exc)[:_MESSAGE_CAP]}"}
        items = answer if isinstance(answer, list | tuple) else [answer]
        try:
            numbers = [float(item) for item in items]
        except (TypeError, ValueError):
            return {"error": f"{name} must return numbers, it returned {answer!r:.200}"}
        values.append(numbers)
    return {"values": values}


def handle(payload: dict[str, Any]) -> dict[str, Any]:
    limit = int(payload["output_limit"])
    landlock = sandbox.confine(os.getcwd(), payload.get("read_paths", ()), abi=int(payload.get("landlock", 0)))
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    results: list[dict[str, Any]] = []
    failure: dict[str, Any] | None = None
    real_stdout, real_stderr = sys.stdout, sys.stderr
    for index, block in enumerate(payload["blocks"]):
        if not block["run"]:
            results.append({"status": "skipped"})
            continue
        _progress(f"{PROGRESS}{index}")
        filename = f"<block {index}>"
        source = block["source"]
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        sink = _CappedSink(limit)
        stream = _text_stream(sink)
        sys.stdout = sys.stderr = stream
        error: BaseException | None = None
        try:
            exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - running page code is the point
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are failures too
            error = exc
        finally:
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
            sys.stdout, sys.stderr = real_stdout, real_stderr
        try:
            figures = _figures()
        except Exception as exc:  # noqa: BLE001
            figures = []
            if error is None:
                error = RuntimeError(f"could not save the figure: {type(exc).__name__}: {exc}")
        results.append({"status": "ok", "output": sink.text(), "dropped": sink.dropped, "figures": figures})
        if error is None:  # what a later crash would lose: the output (figures are too big to repeat)
            _progress(DONE + json.dumps({"block": index, "output": sink.text(), "dropped": sink.dropped}))
        else:
            results[-1]["status"] = "failed"
            failure = {"block": index, **_describe(error, filename)}
            break
    bindings = []
    if failure is None:
        bindings = [_call_binding(namespace, binding) for binding in payload.get("bindings", ())]
    return {"blocks": results, "failure": failure, "bindings": bindings, "landlock": landlock}


if __name__ == "__main__":
    isolation.serve(handle)
