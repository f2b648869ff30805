"""The memos ``hooks/rebuild_memo.py`` keeps between the rebuilds of ``mkdocs serve``.

- ``MemoryBytecodeCache``: Jinja's compiled templates, in memory. Jinja stores each with its source's checksum
  and compiles again when the source changed. In memory only: bytecode read back from disk is code, and the
  cache folder is not a place a build should run code from.
- ``NavMemo`` and ``key``: the nav awesome-nav derives from the folders, as a ``nav:`` configuration. The key is
  every input awesome-nav reads: the path of each page in the nav, each ``.nav.yml`` file's text, each page's
  front matter block (it reads index pages' titles, and every title when a folder sorts by title) and the
  plugin's settings. ``as_config`` turns the nav it made back into the ``nav:`` list MkDocs builds the same nav
  from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it if the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


def key(
    pages: Iterable[tuple[str, str]], nav_files: Iterable[tuple[str, bytes]], settings: str, front_matter: re.Pattern
) -> str:
    """A digest of everything awesome-nav reads to make the nav: each page in the nav (path, text) by its path
    and the front matter block ``front_matter`` (MkDocs' own pattern) finds at its start, each ``.nav.yml`` (path,
    bytes), and the plugin's settings."""
    digest = hashlib.blake2b(settings.encode("utf-8"), digest_size=20)
    for src_uri, text in sorted(pages):
        head = front_matter.match(text)
        digest.update(b"\0page\0" + src_uri.encode("utf-8") + b"\0" + (head.group(0) if head else "").encode())
    for src_uri, data in sorted(nav_files):
        digest.update(b"\0nav\0" + src_uri.encode("utf-8") + b"\0" + data)
    return digest.hexdigest()


class NavMemo:
    """The last nav made, by key (one is enough: each rebuild asks for the nav of the files as they are now)."""

    def __init__(self) -> None:
        self._key: str | None = None
        self._nav: list[Any] | None = None

    def get(self, digest: str) -> list[Any] | None:
        return self._nav if digest == self._key else None

    def put(self, digest: str, nav: list[Any]) -> None:
        self._key, self._nav = digest, nav


def as_config(nav) -> list[Any]:
    """The ``nav:`` list that MkDocs' ``get_navigation`` makes ``nav`` from."""
    return [_item(item) for item in nav.items]


def _item(item) -> Any:
    if item.is_section:
        return {item.title: [_item(child) for child in item.children]}
    if item.is_page:
        return {item.title: item.file.src_uri} if item.title else item.file.src_uri
    return {item.title: item.url}  # a link
