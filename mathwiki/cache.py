"""A content-addressed disk cache for expensive results: claim checks, code runs, figures.

Entries are JSON files named by the SHA-256 of what produced them. Each entry carries a checksum of its own
content, so a truncated or edited file is detected, deleted and recomputed, never shown as empty output.
Writes go to a temporary file first and are renamed into place, so a killed build leaves no half entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


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
            raw = path.read_text(encoding="utf-8")
            entry = json.loads(raw)
            body = json.dumps(entry["value"], sort_keys=True, separators=(",", ":"))
            if entry.get("key") != key or entry.get("sha256") != digest(body):
                raise ValueError("checksum mismatch")
            return entry["value"]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)  # corrupted: recompute rather than trust it
            return None

    def put(self, key: str, value: Any) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(value, sort_keys=True, separators=(",", ":"))
        entry = {"key": key, "sha256": digest(body), "value": value}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, sort_keys=True, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
