"""A content-addressed disk cache for expensive results: claim checks, code runs, figures.

Entries are JSON files named by the SHA-256 of what produced them (``PageSteps`` keeps the result of a step
of a page's HTML the same way). Each entry is a line of JSON with its key and the SHA-256 of the rest, then the
value as JSON (the checksum is over the bytes as stored, so reading one needs no second serialisation), so a
truncated or edited file is detected, deleted and recomputed, never shown as empty output.
Writes go to a temporary file first and are renamed into place, so a killed build leaves no half entry.
The cache is bounded: every entry a build reads or writes is noted, and ``sweep`` (at the end of each full
build) drops the entries that none of the last ``keep_builds`` full builds used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import zlib
from pathlib import Path
from typing import Any

from mathwiki.problems import Problem


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path, namespace: str, version: str) -> None:
        self.folder = Path(root) / namespace
        self.version = version

    def key(self, *parts: str | bytes) -> str:
        return digest(self.version, *parts)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        path = self._path(key)
        try:
            header, _, body = path.read_text(encoding="utf-8").partition("\n")
            entry = json.loads(header)
            if not isinstance(entry, dict) or entry.get("key") != key or entry.get("sha256") != digest(body):
                raise ValueError("checksum mismatch")
            value = json.loads(body)
            _USED.add(path)
            return value
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            _discard(path)  # corrupted (or not a file at all): recompute rather than trust it
            return None

    def put(self, key: str, value: Any) -> None:
        """Store ``value``; a cache that cannot be written (read-only, full, an entry replaced by a folder) is a
        warning, once per build, and the build goes on without it."""
        path = self._path(key)
        body = json.dumps(value, sort_keys=True, separators=(",", ":"))
        header = json.dumps({"key": key, "sha256": digest(body)}, sort_keys=True)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_dir():
                _discard(path)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        except OSError as exc:
            _warn_once(self.folder, exc)
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"{header}\n{body}")
            os.replace(tmp, path)
            _USED.add(path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            _warn_once(self.folder, exc)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def code_version(*files: str | os.PathLike[str]) -> str:
    """A digest of source files: a cache whose version includes it forgets its entries when that code changes."""
    return digest(*(Path(file).read_bytes() for file in files))


def pack(text: str) -> str:
    """Text (a page's HTML) as a cache entry holds it: compressed, as ASCII."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 1)).decode("ascii")


def unpack(packed: str) -> str:
    """The text ``pack`` made; raises ``ValueError`` or ``zlib.error`` for anything else."""
    return zlib.decompress(base64.b64decode(packed)).decode("utf-8")


class PageSteps:
    """The results of one pure step of a page's HTML (raw-TeX check, sanitizing), kept by a digest of everything
    the step reads: its input HTML, the page's source (problems name its lines), the page's path and the step's
    code. A warm build takes them from here instead of walking every tag of every page again. Closed (``open``
    not called) it keeps nothing."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._cache: Cache | None = None

    def open(self, root: Path, version: str) -> None:
        self._cache = Cache(root, self.namespace, version)

    def get(self, *parts: str) -> tuple[str | None, list[Problem]] | None:
        """The stored HTML (None when the step keeps none) and problems, or None."""
        if self._cache is None:
            return None
        found = self._cache.get(self._cache.key(*parts))
        if not isinstance(found, dict):
            return None
        try:
            html = unpack(found["html"]) if found["html"] else None
            problems = [
                Problem(str(p), int(n), str(m), "warning" if s == "warning" else "error")
                for p, n, m, s in found["problems"]
            ]
            return html, problems
        except (TypeError, KeyError, ValueError, zlib.error):
            return None

    def put(self, html: str | None, problems: list[Problem], *parts: str) -> None:
        if self._cache is None:
            return
        packed = pack(html) if html is not None else ""
        rows = [[p.path, p.line, p.message, p.severity] for p in problems]
        self._cache.put(self._cache.key(*parts), {"html": packed, "problems": rows})


_WARNED: set[Path] = set()


def _warn_once(folder: Path, exc: OSError) -> None:
    if folder not in _WARNED:
        _WARNED.add(folder)
        logging.getLogger("mathwiki.cache").warning(
            "the cache at %s cannot be written (%s): this build goes on without storing results", folder, exc
        )


def _discard(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


# --- Bounding the cache ------------------------------------------------------------------------------------

_USED: set[Path] = set()  # entries read or written since the last sweep, by every Cache of this process
_ENTRY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}\.json")
USAGE_FILE = "usage.json"


def _used_names(root: Path) -> set[str]:
    """The entries used since the last sweep, as names under ``root`` (``namespace/ab/<key>.json``). A path is
    compared as written first (no system call); only one under another spelling of the root is resolved."""
    bases = (root.absolute(), root.resolve())
    names: set[str] = set()
    for path in _USED:
        name = _name_under(path.absolute(), bases)
        if name is None:
            try:
                name = _name_under(path.resolve(), bases)
            except OSError:
                continue
        if name is not None:
            names.add(name)
    return names


def _name_under(path: Path, bases: tuple[Path, ...]) -> str | None:
    for base in bases:
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return None


def sweep(root: Path, keep_builds: int) -> int:
    """Count one more full build, and delete the entries under ``root`` that none of the last ``keep_builds``
    builds used; return how many were deleted. ``root/usage.json`` keeps, for each entry, the number of the
    last build that used it. An entry the file does not know yet (from before this file) counts as used now."""
    root = Path(root)
    usage_path = root / USAGE_FILE
    try:
        usage = json.loads(usage_path.read_text(encoding="utf-8"))
        build, last_used = int(usage["build"]), dict(usage["last_used"])
    except (OSError, ValueError, KeyError, TypeError):
        build, last_used = 0, {}
    build += 1
    used = _used_names(root)
    _USED.clear()
    kept: dict[str, int] = {}
    deleted = 0
    for path in sorted(root.glob("*/*/*.json")):
        name = path.relative_to(root).as_posix()
        if not _ENTRY.fullmatch(name.split("/", 1)[1]):
            continue  # not a cache entry (matplotlib's font list lives here too)
        last = build if name in used else last_used.get(name, build)
        if not isinstance(last, int) or build - last >= keep_builds:
            path.unlink(missing_ok=True)
            deleted += 1
        else:
            kept[name] = last
    if root.is_dir():
        body = json.dumps({"build": build, "last_used": kept}, sort_keys=True, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(tmp, usage_path)
    return deleted
