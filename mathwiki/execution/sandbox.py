"""The walls around a page's code: what is cut, how, and what is left when the platform cannot cut it.

The build starts one worker per page; the worker forks the *page's process*, which alone runs the page's
code (:mod:`mathwiki.execution.worker`). Each layer below is probed once per build (:func:`probe`) and is
optional; a missing one is a warning, and under ``CI=true`` an error unless ``allow_weak_sandbox`` is set
(:func:`weak_sandbox_message`).

1. Namespaces, around the worker: util-linux ``unshare`` puts it in new PID, mount and network namespaces
   (``--map-root-user`` adds a user namespace when the build is not root), ``setpriv`` sets no-new-privs and
   empties the capability sets, and ``/bin/sh`` stays as PID 1 so the worker is an ordinary process. Effects:
   no network interface but loopback; no process outside the namespace is visible (so the build's
   environment in ``/proc`` is out of reach); every process the code starts -- even one that called
   ``setsid`` or double-forked -- dies with the namespace.
2. Landlock, applied by the worker to itself before it forks (:func:`confine`): writes only inside the page's
   fresh working folder; reads only the Python installation, the system libraries and a few files of
   ``/etc``; no TCP bind or connect; no signals or abstract UNIX sockets outside the sandbox.
3. In the page's process only, after it closed every descriptor but its own message pipe: capabilities
   dropped for good (:func:`drop_capabilities`, for the case without namespaces), per-process rlimits
   (:mod:`mathwiki.execution.tree`), and a seccomp filter that refuses ``socket(AF_UNIX, ...)``
   (:func:`block_unix_sockets`), so a mounted Docker or D-Bus socket cannot be reached.
4. One memory and process limit for the page's whole tree: a cgroup v2 (or v1) group when the build may
   create one, else the worker's own watch that sums the resident memory of every descendant.

Without namespaces the build makes itself non-dumpable (:func:`protect_parent`), so code running as the same
user still cannot read the build's ``/proc/<pid>/environ``; the environment the worker gets is scrubbed by
:mod:`mathwiki.isolation` in every case.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# --- parent side: the process wrapper ---

# PID 1 of a PID namespace ignores signals it has no handler for; a tiny shell as PID 1 keeps the worker an
# ordinary process. The shell's status is 128 + N when the worker died of signal N.
_PID1 = ["/bin/sh", "-c", '"$@"; exit $?', "sh"]


@dataclass(frozen=True)
class Sandbox:
    """The protections of this build, found by :func:`probe`."""

    wrapper: tuple[str, ...] = ()
    namespaces: bool = False  # PID + network + mount namespaces, capabilities dropped
    landlock_abi: int = 0  # 0: the kernel has no Landlock
    seccomp: bool = False  # UNIX sockets refused
    cgroups: bool = False  # one memory and process limit for the page's whole tree, kept by the kernel

    @property
    def description(self) -> str:
        """A stable text for cache keys and log lines."""
        return (
            f"namespaces={int(self.namespaces)} landlock={self.landlock_abi} seccomp={int(self.seccomp)} "
            f"cgroups={int(self.cgroups)}"
        )

    def missing(self) -> list[str]:
        """Protections that are off on this machine, in words (each a reason the sandbox is weaker)."""
        off = []
        if not self.namespaces:
            off.append(
                "no PID/network namespace (unshare failed): the network is not cut, and "
                + (
                    "the code runs as the build's user, so it can read the build's environment in /proc"
                    if os.geteuid() != 0
                    else "the code runs as nobody without namespaces"
                )
            )
        if self.landlock_abi == 0:
            off.append("no Landlock: the code can write and read files wherever its user can")
        elif self.landlock_abi < 4 and not self.namespaces:
            off.append("Landlock is too old to cut TCP")
        if not self.seccomp:
            off.append("no seccomp (pyseccomp or libseccomp missing): the code can connect to UNIX sockets")
        return off


def wrapper_command() -> list[str]:
    """The namespace wrapper for this user (adds a user namespace when not root)."""
    unshare = ["unshare", "--fork", "--pid", "--mount-proc", "--kill-child", "--net"]
    if os.geteuid() != 0:
        unshare[1:1] = ["--user", "--map-root-user"]
    setpriv = ["setpriv", "--no-new-privs", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all"]
    return [*unshare, "--", *setpriv, "--", *_PID1]


def probe(timeout_s: float = 10.0) -> Sandbox:
    """Find which protections work here: run the wrapper once on ``true`` and ask the kernel for Landlock."""
    from mathwiki.execution import tree

    abi = landlock_abi()
    seccomp = seccomp_available()
    group = tree.Cgroup.create(64 << 20)
    cgroups = group is not None
    if group is not None:
        group.remove()
    weak = Sandbox((), False, abi, seccomp, cgroups)
    command = wrapper_command()
    if not (shutil.which("unshare") and shutil.which("setpriv") and os.path.exists("/bin/sh")):
        return weak
    try:
        done = subprocess.run(
            [*command, "true"], capture_output=True, timeout=timeout_s, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return weak
    if done.returncode != 0:
        return weak
    return Sandbox(tuple(command), True, abi, seccomp, cgroups)


def weak_sandbox_message(sandbox: Sandbox, *, allowed: bool, ci: bool) -> tuple[str, str] | None:
    """``(level, text)`` for a machine missing protections: a warning, or an error under CI unless allowed."""
    missing = sandbox.missing()
    if not missing:
        return None
    text = "code blocks: the sandbox is weaker on this machine: " + "; ".join(missing)
    if ci and not allowed:
        return "error", text + " (CI=true: set extra.mathwiki.allow_weak_sandbox: true to build anyway)"
    return "warning", text


# --- worker side: capabilities, seccomp ---


_PR_SET_DUMPABLE, _PR_CAPBSET_DROP, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 4, 24, 47, 4
_CAP_LAST = 63
_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def protect_parent() -> bool:
    """Without a PID namespace the page's code would see the build in ``/proc``: a non-dumpable process's
    ``/proc/<pid>/environ`` (and memory) can only be read with CAP_SYS_PTRACE, which page code never has."""
    try:
        return _libc().prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def drop_capabilities() -> bool:
    """Empty every capability set of this process for good (what ``setpriv`` does in the wrapper): even a build
    run as root gives page code no capability, and an ``execve`` cannot win one back."""
    libc = _libc()
    for cap in range(_CAP_LAST + 1):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the kernel's last capability: fine
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    ok = libc.capset(ctypes.byref(header), data) == 0
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return ok


def seccomp_available() -> bool:
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError):  # the package, or the system's libseccomp, is missing
        return False
    return True


_AF_UNIX = 1


def block_unix_sockets() -> bool:
    """Refuse ``socket(AF_UNIX, ...)`` to this process and its children (seccomp, via libseccomp).

    A pathname UNIX socket (a runner's ``docker.sock``) lives in the file system, so no namespace cuts it:
    the page's code cannot create a UNIX socket at all. ``socketpair`` stays (it reaches nothing outside).
    """
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError):
        return False
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    rules.add_rule(seccomp.ERRNO(1), "socket", seccomp.Arg(0, seccomp.EQ, _AF_UNIX))  # EPERM
    rules.load()
    return True


# --- worker side: Landlock ---

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # same number on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_REMOVE_DIR, _REMOVE_FILE, _MAKE_CHAR, _MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
_MAKE_REG, _MAKE_SOCK, _MAKE_FIFO, _MAKE_BLOCK, _MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
_REFER, _TRUNCATE = 1 << 13, 1 << 14  # ABI 2, ABI 3
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6

_READ = _EXECUTE | _READ_FILE | _READ_DIR
_FILE_RIGHTS = _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE

# What code needs to read besides the Python installation: shared libraries, programs, a few of /etc, the
# process's own /proc (private to its PID namespace when the wrapper works), CPU topology for numpy.
SYSTEM_READ = (
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/fonts",
    "/etc/mime.types",
    "/etc/alternatives",
    "/proc",
    "/sys/devices/system/cpu",
    "/dev/urandom",
    "/dev/random",
)
DEVICES_WRITE = ("/dev/null", "/dev/zero", "/dev/full")


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI version of the running kernel, 0 when there is none (or not on Linux)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        value = _libc().syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(0, int(value))


def python_read_paths() -> list[str]:
    """The folders the interpreter and its packages are read from (venv and the base installation)."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths.add(os.path.dirname(os.path.realpath(sys.executable)))
    return sorted(paths)


class LandlockError(OSError):
    pass


def confine(workdir: str, read_paths: Iterable[str] = (), abi: int | None = None) -> int:
    """Restrict this process and its future children (see the module docstring); return the ABI used.

    Irreversible. Returns 0 without doing anything when the kernel has no Landlock.
    """
    abi = landlock_abi() if abi is None else abi
    if abi <= 0:
        return 0
    libc = _libc()
    fs = _READ | _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_CHAR | _MAKE_DIR | _MAKE_REG
    fs |= _MAKE_SOCK | _MAKE_FIFO | _MAKE_BLOCK | _MAKE_SYM
    if abi >= 2:
        fs |= _REFER
    if abi >= 3:
        fs |= _TRUNCATE
    attr = _RulesetAttr(fs, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP  # no rule allows any port
        size = 16
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 24
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise LandlockError(ctypes.get_errno(), f"landlock_create_ruleset: {os.strerror(ctypes.get_errno())}")
    try:
        rules: list[tuple[str, int]] = [(p, _READ) for p in (*SYSTEM_READ, *python_read_paths(), *read_paths)]
        rules += [(p, _READ_FILE | _WRITE_FILE) for p in DEVICES_WRITE]
        rules.append((workdir, fs))
        for path, access in rules:
            _add_rule(libc, ruleset, path, access & fs)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise LandlockError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
        if libc.syscall(_SYS_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)) != 0:
            raise LandlockError(ctypes.get_errno(), f"landlock_restrict_self: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(ruleset)
    return abi


def _add_rule(libc: ctypes.CDLL, ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # not on this system
    try:
        if not Path(path).is_dir():
            access &= _FILE_RIGHTS
        rule = _PathBeneathAttr(access, fd)
        if libc.syscall(
            _SYS_ADD_RULE, ruleset, ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0)
        ):
            raise LandlockError(ctypes.get_errno(), f"landlock_add_rule({path}): {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(fd)
