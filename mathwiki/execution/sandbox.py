"""The walls around a page's code: what is cut, how, and what is left when the platform cannot cut it.

Two layers, each probed once per build and each optional:

1. A wrapper around the worker process (parent side, :func:`probe`): util-linux ``unshare`` puts the worker in
   new PID, mount and network namespaces (``--map-root-user`` adds a user namespace when the build is not
   root), then ``setpriv`` sets no-new-privs and empties the capability sets, then ``/bin/sh`` stays as PID 1
   of the namespace so the worker is an ordinary process (signals behave as usual). Effects: no network
   interface but loopback; every process the code starts -- even one that called ``setsid`` or double-forked
   -- is killed when the worker ends or times out (the kernel kills a PID namespace with its init); no
   capability (no mount, module loading, raw I/O, clock setting) even when the build runs as root.
2. Landlock, applied by the worker to itself before any page code runs (:func:`confine`): the code may write
   only inside its fresh working folder (plus ``/dev/null``-like devices); it may read only the Python
   installation, the system libraries and a few files of ``/etc`` (so not the repository, ``/root`` or the
   build's home); it may not open or accept TCP connections; and it may not signal processes or reach abstract
   UNIX sockets outside its own sandbox. This layer works without root and without namespaces (any kernel
   >= 5.13 with Landlock enabled).

Missing layers are reported as one INFO line by the hook, never as a warning: a laptop without user
namespaces still builds, with the time, memory and CPU limits and the scrubbed environment of
:mod:`mathwiki.isolation` only.
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

    @property
    def description(self) -> str:
        """A stable text for cache keys and log lines."""
        return f"namespaces={int(self.namespaces)} landlock={self.landlock_abi}"

    def missing(self) -> list[str]:
        """Protections that are off on this machine, in words."""
        off = []
        if not self.namespaces:
            off.append(
                "no PID/network namespace (unshare failed): processes the code starts in a new session may "
                "outlive the page, and the network is not cut"
            )
        if self.landlock_abi == 0:
            off.append("no Landlock: the code can write and read files wherever the build's user can")
        elif self.landlock_abi < 4 and not self.namespaces:
            off.append("Landlock is too old to cut TCP")
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
    abi = landlock_abi()
    command = wrapper_command()
    if not (shutil.which("unshare") and shutil.which("setpriv") and os.path.exists("/bin/sh")):
        return Sandbox((), False, abi)
    try:
        done = subprocess.run(
            [*command, "true"], capture_output=True, timeout=timeout_s, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return Sandbox((), False, abi)
    if done.returncode != 0:
        return Sandbox((), False, abi)
    return Sandbox(tuple(command), True, abi)


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
