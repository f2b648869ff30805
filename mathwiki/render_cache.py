"""A page's Markdown converted to HTML once: a build reuses the conversion of every page whose conversion would
read exactly what it read the last time.

Converting Markdown (Python-Markdown with every extension, and a new converter per page) is the largest part of
a build that a page's text decides; on a warm build nothing it reads has changed for almost every page. A
conversion reads, and the key holds (``Inputs``, the page's part, and ``BuildInputs``, the part every page of a
build shares, digested once a build):

- the page's Markdown as the hooks left it, and where it is (its source path, output path and URL: relative
  links are rewritten from there);
- every file of the build with its output path and URL (a link is rewritten to its target's URL, or warned about),
  and whether it is included;
- the Markdown extensions and their settings, the versions of the packages that convert (and of the ones whose
  output the fence formatters show), our own code, and the build's settings;
- the files ``pymdownx.snippets`` may include;
- what the fence formatters look up for the page: the pre-pass results of its ``verify``, ``python`` and
  ``surface`` fences, which each concern notes (``BuildContext.note_render_input``);
- the verbosity of MkDocs' logger (MkDocs keeps a page's links to anchors only above DEBUG).

A value the key cannot be made of exactly (an object this module does not know how to write down) makes the
page not cached, never cached under a key that leaves it out. A conversion that logged anything or reported a
problem is not kept either: a warm build must say it again. What is kept is what MkDocs takes from a conversion:
the HTML, the table of contents, the title found in it and the anchors.

This module never imports MkDocs: ``hooks/render_cache.py`` adapts it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import importlib.metadata
import json
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any

from mathwiki.cache import Cache, code_version, digest, pack, unpack

ROOT = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("mathwiki", "hooks", "plots")  # our code: a fence formatter or a hook may change what is shown
PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "pygments", "sympy", "matplotlib")
NAMESPACE = "converted-pages"


class Uncacheable(TypeError):
    """A value the key cannot be written from exactly."""


def canonical(value: Any) -> Any:
    """``value`` as plain JSON data that two equal values always give and two different values never share;
    bytes by their digest, functions and classes by their qualified name (their code is in the key as source).
    Raises ``Uncacheable`` for anything else."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": hashlib.sha256(value).hexdigest()}
    if isinstance(value, PurePath):
        return {"path": str(value)}
    if isinstance(value, enum.Enum):
        return {"enum": f"{type(value).__qualname__}.{value.name}"}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, tuple):
        return {"tuple": [canonical(item) for item in value]}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((canonical(item) for item in value), key=_text)}
    if isinstance(value, dict):
        return {"dict": sorted(([canonical(k), canonical(v)] for k, v in value.items()), key=lambda kv: _text(kv[0]))}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value)]
        return {"object": _name(type(value)), "fields": [[name, canonical(getattr(value, name))] for name in names]}
    if isinstance(value, functools.partial):
        return {"partial": canonical(value.func), "args": canonical(value.args), "kw": canonical(value.keywords)}
    if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__"):
        return {"code": _name(value)}
    raise Uncacheable(f"cannot key a {type(value).__qualname__}")


def _name(thing: Any) -> str:
    return f"{getattr(thing, '__module__', '?')}.{thing.__qualname__}"


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@functools.cache
def _versions() -> tuple[str, ...]:
    found = [sys.version]
    for name in PACKAGES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return tuple(found)


def code_and_versions() -> str:
    """Our code (every ``.py`` file of its folders, by name and bytes, read again each build: ``mkdocs serve``
    loads the hook files anew for each rebuild) and the versions of the packages that convert (once per
    process)."""
    paths = [path for folder in CODE_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))]
    return digest(*_versions(), *(str(path.relative_to(ROOT)) for path in paths), code_version(*paths))


def files_digest(files: Iterable[tuple[str, str, str, str]]) -> str:
    """Every file of the build as (source path, output path, URL, inclusion), in any order."""
    return digest(*sorted("\0".join(row) for row in files))


def folders_digest(folders: Iterable[Path]) -> str:
    """Every file under ``folders`` (a folder may be missing or a single file): its path and bytes."""
    parts: list[str | bytes] = []
    for folder in folders:
        paths = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
        for path in paths:
            parts += [str(path), path.read_bytes()]
        parts.append("\0end\0")
    return digest(*parts)


@dataclasses.dataclass(frozen=True)
class BuildInputs:
    """What every page's conversion of one build reads alike; ``digest`` is made once a build, of all of it."""

    code: str  # code_and_versions()
    files: str  # files_digest of the build
    extensions: Any  # the extension names and their settings, the link settings, the plugins and hooks
    snippets: str  # folders_digest of the snippet folders
    settings: Any  # the build's settings
    log_level: int

    def digest(self) -> str:
        """Raises ``Uncacheable`` when a part cannot be written down exactly."""
        data = canonical([self.files, self.extensions, self.snippets, self.settings, self.log_level])
        return digest(self.code, _text(data))


@dataclasses.dataclass(frozen=True)
class Inputs:
    """Everything one page's conversion reads; ``key`` is made of all of it."""

    build: str  # BuildInputs.digest() of the build
    markdown: str
    src_uri: str
    dest_uri: str
    url: str
    fences: Any  # concern -> what its fence formatter looks up for this page

    def key(self) -> str:
        """Raises ``Uncacheable`` when a part cannot be written down exactly."""
        data = canonical([self.src_uri, self.dest_uri, self.url, self.fences])
        return digest(self.build, _text(data), self.markdown)


@dataclasses.dataclass(frozen=True)
class Converted:
    """What MkDocs takes from converting a page."""

    content: str
    toc_tokens: list  # Python-Markdown's toc extension's tokens (plain data), for MkDocs' ``get_toc``
    title: str | None
    anchors: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # target page's source path -> anchor -> link as written


class Store:
    """The converted pages, in the build cache. Closed (``open`` not called) it keeps nothing."""

    def __init__(self) -> None:
        self._cache: Cache | None = None
        self.reused = self.converted = 0  # this build's pages taken from here, and converted (kept or not)

    def open(self, root: Path) -> None:
        self._cache = Cache(root, NAMESPACE, "1")
        self.reused = self.converted = 0

    def get(self, key: str) -> Converted | None:
        if self._cache is None:
            return None
        found = self._cache.get(key)
        if not isinstance(found, dict):
            return None
        try:
            converted = Converted(
                unpack(found["content"]),
                _tokens(found["toc"]),
                found["title"] if found["title"] is None else str(found["title"]),
                frozenset(str(anchor) for anchor in found["anchors"]),
                None if found["links"] is None else {str(k): dict(v) for k, v in found["links"].items()},
            )
        except (TypeError, KeyError, ValueError, AttributeError, zlib.error):
            return None  # not an entry of this layout (or none at all): convert again
        self.reused += 1
        return converted

    def put(self, key: str, converted: Converted) -> None:
        if self._cache is None:
            return
        self._cache.put(
            key,
            {
                "content": pack(converted.content),
                "toc": converted.toc_tokens,
                "title": converted.title,
                "anchors": sorted(converted.anchors),
                "links": converted.links_to_anchors,
            },
        )


def _tokens(tokens: Any) -> list:
    """The stored toc tokens, checked to be what Python-Markdown writes: dicts with a list of children."""
    if not isinstance(tokens, list):
        raise TypeError("toc tokens are not a list")
    for token in tokens:
        if not isinstance(token, dict) or not isinstance(token.get("children"), list):
            raise TypeError("a toc token without children")
        _tokens(token["children"])
    return tokens


STORE = Store()
