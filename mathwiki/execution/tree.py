"""One limit for the whole process tree of a page: the processes the page's code starts count together.

Two walls, the first that works is used, and the second always runs as well:

1. A cgroup (parent side, :class:`Cgroup`): where the build may create one (cgroup v2 with the memory and pids
   controllers, or v1 ``memory`` and ``pids`` hierarchies, both writable: typical for a CI runner as root), each
   page gets its own, with ``memory`` and ``pids`` limits; the kernel enforces them for every process in it, and
   at the end every process still in it is killed.
2. A watch inside the worker (:class:`Watch`): the worker is a child subreaper, so every process the page starts
   stays its descendant even after a double fork or ``setsid``; every 50 ms it adds up the resident memory of
   all descendants and kills them all when the sum passes the page's limit; when the page's code ends, any
   descendant still running is killed. This works on any Linux kernel, without root or cgroups.

Per-process rlimits (address space, processes, open files, file size) are set in the page's process as a
third, coarse wall (:func:`apply_rlimits`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_CHILD_SUBREAPER = 36
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

# Processes one page may run at once (the interpreter counts as one), open files of each, bytes of one file.
MAX_PROCESSES = 64
MAX_OPEN_FILES = 256
MAX_FILE_BYTES = 64 << 20


# --- worker side ---------------------------------------------------------------------------------------------


def become_subreaper() -> bool:
    """Make orphaned descendants reparent to this process instead of init (Linux >= 3.4)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process this process can see."""
    table: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
        rest = stat[stat.rfind(b")") + 2 :].split()
        if len(rest) > 1:
            table[int(entry.name)] = int(rest[1])
    return table


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def resident_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def kill_all(root: int, rounds: int = 50) -> int:
    """SIGKILL every descendant of ``root`` until none is left (a fork in between is caught next round)."""
    killed = 0
    for _ in range(rounds):
        pids = descendants(root)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        reap()
        time.sleep(0.01)
    return killed


_REAPED: dict[int, int] = {}  # wait status of children collected by reap(), for wait() to hand out


def reap() -> None:
    """Collect every exited child (orphans reparented to us included) so they do not linger as zombies."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _REAPED[pid] = status


def wait(child: int, *, block: bool) -> int | None:
    """The wait status of ``child`` once it has ended (also when :func:`reap` collected it first), else None."""
    if child in _REAPED:
        return _REAPED.pop(child)
    try:
        pid, status = os.waitpid(child, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return _REAPED.pop(child, None)
    return status if pid == child else None


@dataclass
class Watch:
    """Sums the memory of the page's processes; over ``limit_bytes`` it kills them all."""

    root: int
    limit_bytes: int
    peak: int = 0
    tripped: str = ""  # what was passed: "memory" or "processes"
    _last: float = field(default=0.0, repr=False)

    def check(self, every_s: float = 0.05) -> bool:
        """True when the limit was passed (the tree is then already killed)."""
        now = time.monotonic()
        if self.tripped or self.limit_bytes <= 0 or now - self._last < every_s:
            return bool(self.tripped)
        self._last = now
        pids = descendants(self.root)
        used = resident_bytes(pids)
        self.peak = max(self.peak, used)
        if used > self.limit_bytes:
            self.tripped = "memory"
        elif len(pids) > MAX_PROCESSES:  # the process limit where RLIMIT_NPROC does not hold (root)
            self.tripped = "processes"
        if self.tripped:
            kill_all(self.root)
        return bool(self.tripped)


def apply_rlimits(memory_bytes: int) -> None:
    """Coarse per-process walls in the page's process (inherited by every process it starts)."""
    mine = _processes_of_this_user()
    limits = [
        (resource.RLIMIT_NPROC, mine + MAX_PROCESSES),
        (resource.RLIMIT_NOFILE, MAX_OPEN_FILES),
        (resource.RLIMIT_FSIZE, MAX_FILE_BYTES),
        (resource.RLIMIT_CORE, 0),
    ]
    if memory_bytes > 0:
        limits.append((resource.RLIMIT_AS, memory_bytes))
    for which, value in limits:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value))


def _processes_of_this_user() -> int:
    """RLIMIT_NPROC counts every process of the real user (that the kernel lets us see): start from there."""
    uid, count = os.getuid(), 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    count += 1
    return count


# --- parent side: cgroups ------------------------------------------------------------------------------------


def _own_cgroup(controller: str | None) -> str | None:
    """This process's cgroup path for a v1 controller, or the v2 path when ``controller`` is None."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if controller is None and parts[0] == "0" and parts[1] == "":
            return parts[2]
        if controller is not None and controller in parts[1].split(","):
            return parts[2]
    return None


@dataclass
class Cgroup:
    """The cgroup(s) of one page: ``procs`` are the files a process writes its pid to, to enter."""

    folders: list[Path]
    procs: list[Path]
    memory_limit_file: Path | None

    @classmethod
    def create(cls, memory_bytes: int, processes: int = MAX_PROCESSES) -> Cgroup | None:
        """A fresh cgroup with the page's limits, or None when this machine does not let us make one."""
        name = f"mathwiki-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        v2 = Path("/sys/fs/cgroup")
        if (v2 / "cgroup.controllers").is_file():
            own = _own_cgroup(None)
            if own is None:
                return None
            folder = v2 / own.lstrip("/") / name
            made = cls._make([(folder, {"memory.max": memory_bytes, "pids.max": processes})])
            return made
        own_memory, own_pids = _own_cgroup("memory"), _own_cgroup("pids")
        if own_memory is None or own_pids is None:
            return None
        memory = v2 / "memory" / own_memory.lstrip("/") / name
        pids = v2 / "pids" / own_pids.lstrip("/") / name
        return cls._make(
            [
                (memory, {"memory.limit_in_bytes": memory_bytes, "memory.memsw.limit_in_bytes": memory_bytes}),
                (pids, {"pids.max": processes}),
            ]
        )

    @classmethod
    def _make(cls, plan: list[tuple[Path, dict[str, int]]]) -> Cgroup | None:
        made: list[Path] = []
        memory_file = None
        try:
            for folder, settings in plan:
                folder.mkdir()
                made.append(folder)
                for name, value in settings.items():
                    target = folder / name
                    if not target.exists():
                        if name.startswith("memory.memsw"):
                            continue  # swap accounting is off on this kernel: the RAM limit still holds
                        raise OSError(f"{target} is missing (controller not enabled)")
                    target.write_text(str(value))
                    if name in ("memory.max", "memory.limit_in_bytes"):
                        memory_file = target
        except OSError:
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            return None
        return cls(made, [folder / "cgroup.procs" for folder in made], memory_file)

    def enter_command(self) -> list[str]:
        """A prefix that moves the command into this cgroup before it runs (no ``preexec_fn`` in a threaded
        parent): a shell writes its own pid to each ``cgroup.procs`` and then execs the command."""
        script = 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f" || exit 125; shift; done; shift; exec "$@"'
        return ["/bin/sh", "-c", script, "sh", *map(str, self.procs), "--"]

    def out_of_memory(self) -> bool:
        """True when the kernel had to stop the page for memory."""
        for folder in self.folders:
            for name, key in (("memory.events", "oom_kill"), ("memory.oom_control", "oom_kill")):
                with contextlib.suppress(OSError, ValueError):
                    for line in (folder / name).read_text().splitlines():
                        word, _, value = line.partition(" ")
                        if word == key and int(value) > 0:
                            return True
        return False

    def remove(self) -> None:
        """Kill whatever is still in the cgroup, then delete it."""
        for _ in range(100):
            alive = set(self.pids())
            if not alive:
                break
            for pid in alive:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)
        for folder in reversed(self.folders):
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)

    def pids(self) -> Iterator[int]:
        for procs in self.procs:
            with contextlib.suppress(OSError, ValueError):
                yield from (int(line) for line in procs.read_text().split())
