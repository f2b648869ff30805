"""Run a job in a separate, time-limited process: the only way untrusted or expensive work is done.

The parent (the MkDocs process, or the check command) sends a JSON payload on the worker's stdin and reads a
JSON result from a dedicated pipe, so nothing the job prints can corrupt the result. The worker runs in its own
process group with a scrubbed environment and resource limits; when the time limit passes, or when the worker
ends, the whole group is killed with SIGKILL, so no child it started outlives it.

Worker modules end with ``if __name__ == "__main__": serve(handler)``.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Status = Literal["ok", "timeout", "crashed", "bad-output"]

_PROJECT_ROOT = Path(__file__).resolve().parents[1]
_STREAM_CAP = 1 << 20  # bytes of a worker's own stdout/stderr kept for diagnostics
_PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    memory_mb: int | None = 2048
    cpu_s: int | None = None


@dataclass(frozen=True)
class Outcome:
    status: Status
    value: Any
    detail: str
    elapsed_s: float
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def worker_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment: no tokens, keys or credentials from the build's environment reach a worker."""
    env = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(
        {
            "PYTHONPATH": str(_PROJECT_ROOT),
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": str(Path(tempfile.gettempdir()) / f"mathwiki-matplotlib-{os.getuid()}"),
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "HOME": tempfile.gettempdir(),
        }
    )
    if extra:
        env.update(extra)
    return env


def _drain(stream: Any, sink: bytearray, cap: int) -> None:
    try:
        while chunk := stream.read(65536):
            if len(sink) < cap:
                sink.extend(chunk[: cap - len(sink)])
    except (OSError, ValueError):
        pass


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _describe_exit(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        hint = " (out of memory or CPU time?)" if name in ("SIGKILL", "SIGXCPU", "SIGSEGV") else ""
        return f"the worker was killed by {name}{hint}"
    return f"the worker exited with status {code}"


def run_worker(
    module: str,
    payload: Any,
    limits: Limits,
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    wrapper: Sequence[str] = (),
) -> Outcome:
    """Run ``python -m module`` on ``payload`` under ``limits`` and return what it answered, or why it did not."""
    read_fd, write_fd = os.pipe()
    argv = [
        *wrapper,
        sys.executable,
        "-m",
        module,
        str(write_fd),
        str(limits.memory_mb or 0),
        str(limits.cpu_s or 0),
    ]
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(write_fd,),
            start_new_session=True,
            env=dict(env) if env is not None else worker_environment(),
            cwd=cwd,
        )
    except OSError as exc:
        os.close(read_fd)
        os.close(write_fd)
        return Outcome("crashed", None, f"could not start the worker: {exc}", 0.0)
    os.close(write_fd)

    result, out, err = bytearray(), bytearray(), bytearray()
    with os.fdopen(read_fd, "rb") as result_stream:
        readers = [
            threading.Thread(target=_drain, args=(result_stream, result, 1 << 30), daemon=True),
            threading.Thread(target=_drain, args=(proc.stdout, out, _STREAM_CAP), daemon=True),
            threading.Thread(target=_drain, args=(proc.stderr, err, _STREAM_CAP), daemon=True),
        ]
        for reader in readers:
            reader.start()

        def feed() -> None:
            assert proc.stdin is not None
            try:
                proc.stdin.write(json.dumps(payload).encode("utf-8"))
                proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass

        threading.Thread(target=feed, daemon=True).start()
        timed_out = False
        try:
            proc.wait(timeout=limits.timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
        _kill_group(proc.pid)  # also ends any process the job left running in its group
        proc.wait()
        for reader in readers:
            reader.join(timeout=2.0)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()  # an unclosed pipe is a ResourceWarning (an error under pytest)
    elapsed = time.monotonic() - started
    stderr_text = err.decode("utf-8", "replace")
    tail = stderr_text.strip().splitlines()[-5:]

    if timed_out:
        return Outcome("timeout", None, f"time limit of {limits.timeout_s:g} s exceeded", elapsed, stderr_text)
    if proc.returncode != 0 or not result:
        detail = _describe_exit(proc.returncode) if proc.returncode != 0 else "the worker returned no result"
        if tail:
            detail += ": " + " | ".join(tail)
        return Outcome("crashed", None, detail, elapsed, stderr_text)
    try:
        value = json.loads(result.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Outcome("bad-output", None, f"unreadable worker result: {exc}", elapsed, stderr_text)
    return Outcome("ok", value, "", elapsed, stderr_text)


def apply_limits(memory_mb: int, cpu_s: int) -> None:
    """Resource limits for the current (worker) process; called before any job code runs."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb > 0:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if cpu_s > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))


def serve(handler: Callable[[Any], Any]) -> None:
    """The worker side: read the payload, apply the limits, answer on the result pipe, exit at once."""
    result_fd, memory_mb, cpu_s = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    os.set_inheritable(result_fd, False)  # children the job starts must not hold the result pipe open
    apply_limits(memory_mb, cpu_s)
    payload = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    value = handler(payload)
    data = json.dumps(value).encode("utf-8")
    view = memoryview(data)
    while view:
        written = os.write(result_fd, view)
        view = view[written:]
    os.close(result_fd)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # skip atexit handlers a job may have registered


def run_parallel(fn: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> list[R]:
    """``[fn(item) for item in items]`` with ``workers`` at a time; each ``fn`` waits on a worker process."""
    if not items:
        return []
    count = max(1, min(workers or os.cpu_count() or 1, len(items)))
    if count == 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(fn, items))
