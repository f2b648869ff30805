"""The maths engine: Temml (or KaTeX, for comparison) in one long-lived Node process, driven over pipes.

:mod:`mathwiki.maths` asks for formulas in batches (a page at a time); this module starts ``node
mathwiki/typeset.mjs`` once per build process, sends one JSON line per batch and reads one JSON line back.
The engines and the maths font come from the npm registry, pinned by ``package-lock.json`` and installed by
``make`` (``npm ci``) into ``node_modules/`` at the top of the repository. A batch that takes longer than its
time limit kills the process (the next batch starts a fresh one) and fails each of its formulas with a clear
message.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import select
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).with_name("typeset.mjs")
NODE_MODULES = ROOT / "node_modules"
ENGINES = ("temml", "katex")
# Temml's MathML is laid out by the reader's browser with this font (OFL-1.1), shipped with the site under the name
# Temml's stylesheet gives it.
MATHS_FONT = NODE_MODULES / "@fontsource" / "stix-two-math" / "files" / "stix-two-math-latin-400-normal.woff2"


class EngineMissing(RuntimeError):
    """Node or the npm packages are not installed: the build cannot typeset anything."""


@dataclass(frozen=True)
class Result:
    html: str = ""
    error: str = ""


def installed_version(engine: str = "temml") -> str:
    """The version of ``engine`` in ``node_modules`` (read from its package.json, no process started)."""
    try:
        data = json.loads((NODE_MODULES / engine / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EngineMissing(_missing_message()) from exc
    return str(data.get("version", "unknown"))


def fingerprint(engine: str = "temml") -> str:
    """Engine name, version and a hash of its options (``typeset.mjs``): what the typeset cache is keyed on."""
    digest = hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:12]
    return f"{engine}-{installed_version(engine)}-{digest}"


def assets(engine: str = "temml") -> tuple[Path, dict[str, Path]]:
    """The engine's stylesheet and the fonts it loads: each font's path relative to the stylesheet, and the file
    in ``node_modules`` it is copied from."""
    if engine == "temml":
        return NODE_MODULES / "temml" / "dist" / "Temml-STIX2.css", {"STIXTwoMath.woff2": MATHS_FONT}
    dist = NODE_MODULES / "katex" / "dist"
    return dist / "katex.min.css", {f"fonts/{font.name}": font for font in sorted((dist / "fonts").glob("*.woff2"))}


def _missing_message() -> str:
    return (
        "the maths engine is not installed: run `make build` (or `npm ci` in the repository) to install Temml "
        f"into {NODE_MODULES}; Node.js comes from Debian's `nodejs` package"
    )


class Engine:
    """One Node process that typesets formulas; restarted when it dies or hangs."""

    def __init__(self, engine: str = "temml", timeout_s: float = 20.0) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown maths engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.engine = engine
        self.timeout_s = timeout_s
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self.batches = 0  # requests sent, for tests and benchmarks
        self.starts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None or not (NODE_MODULES / self.engine).is_dir():
            raise EngineMissing(_missing_message())
        self.starts += 1
        return subprocess.Popen(
            [node, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NODE_OPTIONS": "--max-old-space-size=1024"},
        )

    def typeset(self, items: list[tuple[str, bool]]) -> list[Result]:
        """Typeset ``(tex, display)`` pairs in one round trip; each gets its HTML or the engine's error."""
        if not items:
            return []
        request = json.dumps({"engine": self.engine, "items": [{"tex": t, "display": d} for t, d in items]})
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self.close()  # a process that died: its pipes are closed before a new one starts
                self._process = self._start()
            process = self._process
            assert process.stdin is not None and process.stdout is not None
            self.batches += 1
            try:
                process.stdin.write(request.encode("utf-8") + b"\n")
                process.stdin.flush()
                line = self._read_line(process)
            except (OSError, TimeoutError) as exc:
                self.close()
                why = (
                    f"the maths engine took more than {self.timeout_s:g} s"
                    if isinstance(exc, TimeoutError)
                    else f"the maths engine stopped ({exc})"
                )
                return [Result(error=why) for _ in items]
            except BaseException:
                # Interrupted mid-answer (the page's time limit): the answer still on its way must never be read
                # as the answer to a later request, so this process goes.
                self.close()
                raise
        try:
            answer = json.loads(line)
            results = answer["results"]
        except (ValueError, KeyError, TypeError):
            return [Result(error="the maths engine gave an unreadable answer") for _ in items]
        if len(results) != len(items):
            return [Result(error="the maths engine answered for another number of formulas") for _ in items]
        return [Result(html=str(r["html"])) if "html" in r else Result(error=str(r.get("error"))) for r in results]

    def _read_line(self, process: subprocess.Popen[bytes]) -> bytes:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        deadline = time.monotonic() + self.timeout_s
        chunks: list[bytes] = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise OSError("it exited")
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_engines: dict[str, Engine] = {}


def engine(name: str = "temml") -> Engine:
    """The process-wide engine of that name, started on first use and stopped when Python exits."""
    if name not in _engines:
        _engines[name] = Engine(name)
    return _engines[name]


@atexit.register
def _close_all() -> None:
    for running in _engines.values():
        running.close()
