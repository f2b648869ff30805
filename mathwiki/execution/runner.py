"""Run the ``python`` blocks of many pages: through the cache, in parallel, one sandboxed worker per page.

A page's result is cached under everything that can change it: the code of all its blocks in order with their
options, the Python version, the versions of the packages the code can import, the time/memory/output limits,
the binding probes and the sandbox in force. Failures (time limit and killed workers included) are cached too:
the same code fails the same way. What is cached is relative to the blocks (block index, line inside the
block); file lines are added when a result is turned into :class:`PageResult`, so moving code on the page does
not re-run it.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import math
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mathwiki import isolation
from mathwiki.cache import Cache
from mathwiki.execution import sandbox as sandboxing
from mathwiki.execution import tree
from mathwiki.execution.worker import DONE, PROGRESS
from mathwiki.fences import Fence
from mathwiki.problems import Problem
from mathwiki.settings import Settings

CACHE_VERSION = "code-5"
PACKAGES = ("numpy", "matplotlib", "sympy", "pillow", "contourpy", "kiwisolver", "mpmath")
_WORKER = "mathwiki.execution.worker"
_SIGNAL_STATUS = re.compile(r"the worker (?:exited with status (\d+)|was killed by (\w+))")


@dataclass(frozen=True)
class Binding:
    """``bind="partials: df/dx, df/dy"``: call ``function`` at ``points`` and compare with ``expected``."""

    function: str
    items: tuple[str, ...]  # the bound derivatives as written, for messages ("df/dx")
    points: tuple[dict[str, float], ...]
    expected: tuple[tuple[float | None, ...], ...]  # one row per point, one value per item (None: skip)
    claim_lines: tuple[int, ...]  # file line of the claim behind each item


@dataclass(frozen=True)
class Block:
    source: str
    line: int  # file line of the opening fence
    run: bool = True
    options: dict[str, str] = field(default_factory=dict, hash=False)
    binding: Binding | None = None

    @classmethod
    def from_fence(cls, fence: Fence) -> Block:
        return cls(fence.body, fence.line, fence.options.get("run", "yes").lower() != "no", dict(fence.options))

    def file_line(self, line_in_block: int) -> int:
        """The file line of 1-based line ``line_in_block`` of the block."""
        return self.line + line_in_block


@dataclass(frozen=True)
class PageJob:
    path: str  # "docs/x.md", for messages
    blocks: tuple[Block, ...]
    timeout_s: float
    verify: tuple[tuple[str, int], ...] = ()  # (body, file line) of the page's verify fences, for bind=


@dataclass(frozen=True)
class BlockResult:
    status: str  # "ok", "failed", "not-run" (an earlier block failed), "skipped" (run="no"), "unknown"
    output: str = ""
    dropped: int = 0  # bytes of output not kept
    figures: tuple[str, ...] = ()  # base64 PNG
    error: str = ""  # what the page shows in the error box
    traceback: str = ""


@dataclass(frozen=True)
class PageResult:
    blocks: tuple[BlockResult, ...]
    problems: tuple[Problem, ...]
    ran: bool  # False when it came from the cache


@functools.cache
def package_versions() -> str:
    """Versions of the packages page code can import, computed once per process."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = ""
    return json.dumps(versions, sort_keys=True)


class Runner:
    """Runs pages; one instance per build (it probes the sandbox and prepares the font cache once)."""

    @classmethod
    def for_settings(cls, settings: Settings, sandbox: sandboxing.Sandbox) -> Runner:
        """The runner of a build or of ``check``, on the build's cache and limits."""
        return cls(
            Cache(settings.cache_dir, "code", CACHE_VERSION),
            memory_mb=settings.code_memory_mb,
            output_limit=settings.output_limit_bytes,
            page_output_limit=settings.page_output_limit_bytes,
            workers=settings.workers,
            sandbox=sandbox,
            mpl_cache=settings.cache_dir / "matplotlib",
        )

    def __init__(
        self,
        cache: Cache | None,
        *,
        memory_mb: int = 1024,
        output_limit: int = 65536,
        page_output_limit: int = 1 << 20,
        workers: int = 1,
        sandbox: sandboxing.Sandbox | None = None,
        mpl_cache: Path | None = None,
    ) -> None:
        self.cache = cache
        self.memory_mb = memory_mb
        self.output_limit = output_limit
        self.page_output_limit = page_output_limit
        self.workers = workers
        self.sandbox = sandbox if sandbox is not None else sandboxing.probe()
        if not self.sandbox.namespaces:
            sandboxing.protect_parent()
        self.mpl_cache = mpl_cache
        self.started = 0  # worker processes started by this runner
        self._lock = threading.Lock()
        self._fonts_ready = False

    # -- keys and cache --------------------------------------------------------------------------------------
    def key(self, job: PageJob) -> str:
        blocks = [
            [b.source, sorted(b.options.items()), _binding_key(b.binding) if b.binding else None] for b in job.blocks
        ]
        limits = [job.timeout_s, self.memory_mb, self.output_limit, self.page_output_limit]
        parts = [
            sys.version,
            package_versions(),
            json.dumps(limits),
            self.sandbox.description,
            json.dumps(blocks),
        ]
        return digest_key(self.cache, parts)

    def run_pages(self, jobs: Sequence[PageJob]) -> list[PageResult]:
        """All pages, in parallel, ``workers`` at a time; a page whose key is cached starts no process."""
        return isolation.run_parallel(self.run_page, list(jobs), self.workers)

    def run_page(self, job: PageJob) -> PageResult:
        job, problems = self._bind(job)
        result = self._run_page(job)
        if problems:
            result = PageResult(result.blocks, (*problems, *result.problems), result.ran)
        return result

    def _bind(self, job: PageJob) -> tuple[PageJob, list[Problem]]:
        """Attach the expected values of each ``bind=`` (cached); a bind that cannot be checked: a problem."""
        if not any("bind" in b.options and b.run for b in job.blocks):
            return job, []
        from mathwiki.execution.bindings import resolve

        blocks, problems = [], []
        for block in job.blocks:
            if "bind" in block.options and block.run:
                found = resolve(job.path, block.options["bind"], block.line, job.verify, self.cache)
                if isinstance(found, Problem):
                    problems.append(found)
                else:
                    block = replace(block, binding=found)
            blocks.append(block)
        return replace(job, blocks=tuple(blocks)), problems

    def _run_page(self, job: PageJob) -> PageResult:
        if not any(block.run for block in job.blocks):
            raw: dict[str, Any] = {
                "blocks": [{"status": "skipped"}] * len(job.blocks),
                "failure": None,
                "bindings": [],
            }
            return interpret(job, raw, ran=False)
        key = self.key(job)
        if self.cache is not None:
            cached = self.cache.get(key)
            if isinstance(cached, dict) and isinstance(cached.get("blocks"), list):
                return interpret(job, cached, ran=False)
        raw = self.execute(job)
        if self.cache is not None:
            self.cache.put(key, raw)
        return interpret(job, raw, ran=True)

    # -- one worker ------------------------------------------------------------------------------------------
    def execute(self, job: PageJob) -> dict[str, Any]:
        """Run the page in a fresh worker and answer in the cacheable, block-relative form."""
        with self._lock:
            self.started += 1
        payload = {
            "blocks": [{"source": b.source, "run": b.run} for b in job.blocks],
            "output_limit": self.output_limit,
            "page_output_limit": self.page_output_limit,
            "tree_memory_mb": self.memory_mb,
            "landlock": self.sandbox.landlock_abi,
            "read_paths": [],
            "bindings": [
                {"function": b.binding.function, "points": list(b.binding.points)} for b in job.blocks if b.binding
            ],
        }
        # The address-space rlimit of each process stays a coarse wall above the tree's limit (numpy and
        # matplotlib map more than they use); the tree's resident memory is what the page is held to.
        limits = isolation.Limits(
            timeout_s=job.timeout_s, memory_mb=self.memory_mb * 2, cpu_s=int(math.ceil(job.timeout_s)) + 1
        )
        workdir = tempfile.mkdtemp(prefix="mathwiki-code-")
        group = tree.Cgroup.create(self.memory_mb << 20) if self.sandbox.cgroups else None
        try:
            mpl = Path(workdir) / ".matplotlib"
            self._copy_fonts(mpl)
            env = isolation.worker_environment(
                {"MPLCONFIGDIR": str(mpl), "HOME": workdir, "TMPDIR": workdir, "MPLBACKEND": "Agg"}
            )
            wrapper = [*(group.enter_command() if group else ()), *self.sandbox.wrapper]
            outcome = isolation.run_worker(_WORKER, payload, limits, env=env, cwd=workdir, wrapper=wrapper)
            out_of_memory = group is not None and group.out_of_memory()
        finally:
            if group is not None:
                group.remove()
            shutil.rmtree(workdir, ignore_errors=True)
        if outcome.ok and isinstance(outcome.value, dict):
            raw = outcome.value
        else:
            raw = _unfinished(job, outcome)
        if out_of_memory:  # the kernel stopped a process of the page: the page failed, even if its code went on
            raw = _unfinished(job, replace(outcome, status="crashed"))
            raw["failure"]["message"] = (
                f"the page's processes together used more than {self.memory_mb} MB of memory "
                "(the limit covers every process the code starts)"
            )
        return raw

    def _copy_fonts(self, target: Path) -> None:
        """Give the worker a matplotlib font cache built once, so it is not rebuilt on every page."""
        target.mkdir()
        if self.mpl_cache is None:
            return
        with self._lock:
            if not self._fonts_ready:
                _build_font_cache(self.mpl_cache)
                self._fonts_ready = True
        for entry in self.mpl_cache.glob("fontlist-*.json"):
            shutil.copyfile(entry, target / entry.name)


def digest_key(cache: Cache | None, parts: list[str]) -> str:
    if cache is not None:
        return cache.key(*parts)
    from mathwiki.cache import digest

    return digest(CACHE_VERSION, *parts)


def _binding_key(binding: Binding) -> list[Any]:
    points = [sorted(point.items()) for point in binding.points]  # the order of names never changes the key
    return [binding.function, points, [list(row) for row in binding.expected]]


def _build_font_cache(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.glob("fontlist-*.json")):
        return
    env = isolation.worker_environment({"MPLCONFIGDIR": str(folder)})
    try:
        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        pass  # the workers will build their own: slower, not wrong


def _progress(stderr: str) -> tuple[int | None, dict[int, dict[str, Any]]]:
    """The block that was running when the worker stopped, and the output of the blocks that finished."""
    index, done = None, {}
    for line in stderr.split("\n"):
        try:
            if line.startswith(PROGRESS):
                index = int(line[len(PROGRESS) :])
            elif line.startswith(DONE):
                entry = json.loads(line[len(DONE) :])
                done[int(entry["block"])] = {
                    "status": "ok",
                    "output": str(entry["output"]),
                    "dropped": int(entry["dropped"]),
                    "figures": [],
                }
        except (ValueError, KeyError, TypeError):
            pass  # a line cut by the stderr cap
    return index, done


def _crash_message(detail: str) -> str:
    """Words for a worker that died: name the signal even when a shell reported it as 128 + N."""
    match = _SIGNAL_STATUS.search(detail)
    signame = None
    if match and match.group(1):
        status = int(match.group(1))
        if status > 128 and status - 128 in signal.Signals._value2member_map_:
            signame = signal.Signals(status - 128).name
        elif status == 0:
            return "the worker ended without finishing (os._exit?)"
    elif match and match.group(2):
        signame = match.group(2)
    if "returned no result" in detail:
        return "the worker ended without finishing (os._exit?)"
    if signame:
        hint = " (out of memory or CPU time?)" if signame in ("SIGKILL", "SIGXCPU", "SIGSEGV", "SIGBUS") else ""
        return f"the worker was killed by {signame}{hint}"
    return detail.split(":", 1)[0] if detail else "the worker failed"


def _unfinished(job: PageJob, outcome: isolation.Outcome) -> dict[str, Any]:
    """A worker that gave no result: say which block was running and why the worker stopped."""
    running, done = _progress(outcome.stderr)
    if running is None:
        running = next((i for i, b in enumerate(job.blocks) if b.run), 0)
    if outcome.status == "timeout":
        message = (
            f"the page's code did not finish within its time limit of {job.timeout_s:g} s "
            "(this block was running; front matter 'timeout:' raises the limit)"
        )
        kind = "timeout"
    elif outcome.status == "crashed":
        message, kind = _crash_message(outcome.detail), "crashed"
    else:
        message, kind = f"the worker answered something unreadable: {outcome.detail}", "bad-output"
    blocks: list[dict[str, Any]] = []
    for index, block in enumerate(job.blocks[:running]):
        blocks.append(done.get(index, {"status": "unknown"}) if block.run else {"status": "skipped"})
    blocks.append({"status": "failed", "output": "", "dropped": 0, "figures": []})
    return {"blocks": blocks, "failure": {"block": running, "kind": kind, "message": message, "line": None}}


def interpret(job: PageJob, raw: dict[str, Any], *, ran: bool) -> PageResult:
    """Turn a (possibly cached) block-relative result into page results and located problems."""
    failure = raw.get("failure")
    entries = list(raw.get("blocks") or [])
    results: list[BlockResult] = []
    problems: list[Problem] = []
    for index, block in enumerate(job.blocks):
        entry = entries[index] if index < len(entries) else None
        if not block.run:
            results.append(BlockResult("skipped"))
            continue
        if entry is None:
            results.append(BlockResult("not-run", error="not run (an earlier block failed)"))
            continue
        status = entry.get("status", "unknown")
        if status == "unknown":
            results.append(BlockResult("unknown", error="output not available: a later block stopped the worker"))
            continue
        error = ""
        traceback_text = ""
        if failure and failure.get("block") == index:
            status = "failed"
            error = _failure_text(block, failure)
            traceback_text = failure.get("traceback", "")
            problems.append(Problem(job.path, block.line, error))
        results.append(
            BlockResult(
                status,
                entry.get("output", ""),
                int(entry.get("dropped", 0)),
                tuple(entry.get("figures", ())),
                error,
                traceback_text,
            )
        )
    if failure is None:
        problems.extend(_check_bindings(job, raw.get("bindings") or []))
    return PageResult(tuple(results), tuple(problems), ran)


def _failure_text(block: Block, failure: dict[str, Any]) -> str:
    line = failure.get("line")
    message = failure.get("message", "failed")
    if failure.get("kind") == "exception":
        if line:
            where = f"at line {line} of the block (file line {block.file_line(line)})"
            return f"code block failed {where}: {message}"
        return f"code block failed: {message}"
    if failure.get("kind") == "exit" and line:
        return f"code block failed at line {line} of the block (file line {block.file_line(line)}): {message}"
    return f"code block failed: {message}"


def _fmt(value: float) -> str:
    return f"{value:.10g}"


def _check_bindings(job: PageJob, answers: list[dict[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    bound = [b for b in job.blocks if b.binding]
    for block, answer in zip(bound, answers, strict=False):
        binding = block.binding
        assert binding is not None
        if "error" in answer:
            problems.append(Problem(job.path, block.line, f"bind: {answer['error']}"))
            continue
        for point, expected, got in zip(binding.points, binding.expected, answer.get("values", []), strict=False):
            args = ", ".join(f"{name}={_fmt(value)}" for name, value in point.items())
            if len(got) != len(expected):
                problems.append(
                    Problem(
                        job.path,
                        block.line,
                        f"{binding.function}({args}) returns {len(got)} value(s), but bind= names "
                        f"{len(expected)}: {', '.join(binding.items)}",
                    )
                )
                break
            wrong = [
                (item, g, e, line)
                for item, g, e, line in zip(binding.items, got, expected, binding.claim_lines, strict=False)
                if e is not None and not math.isclose(g, e, rel_tol=1e-6, abs_tol=1e-9)
            ]
            if wrong:
                item, g, e, line = wrong[0]
                problems.append(
                    Problem(
                        job.path,
                        block.line,
                        f"{binding.function}({args}) returns {item} = {_fmt(g)}, but the verified derivative "
                        f"({job.path}:{line}) gives {_fmt(e)}",
                    )
                )
                break
    return problems
