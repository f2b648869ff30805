"""The one typed place for the build's settings.

They come from ``extra: mathwiki:`` in ``mkdocs.yml`` (MkDocs accepts any mapping under ``extra``), and a few
can be switched by environment variables for benchmarks and quick previews. Every option is documented in the
authoring guide (docs/contributing/write-a-topic.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

_ENV_SWITCHES = {
    "MATHWIKI_CLAIMS": "claims",
    "MATHWIKI_EXECUTE": "execute",
    "MATHWIKI_FIGURES": "figures",
    "MATHWIKI_GRAPH": "graph",
}


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    workers: int
    claims: bool = True
    claim_timeout_s: float = 5.0
    numeric_claims_fail: bool = False  # a claim that agrees at points but is not proved fails the strict build
    execute: bool = True
    code_timeout_s: float = 10.0
    code_memory_mb: int = 1024
    output_limit_bytes: int = 65536
    page_output_limit_bytes: int = 1 << 20  # all the output of one page; the rest is cut with a note
    allow_weak_sandbox: bool = False  # under CI=true, a machine missing a protection fails the build unless set
    figures: bool = True
    figure_timeout_s: float = 60.0
    figure_max_grid: int = 400
    graph: bool = True
    cache_keep_builds: int = 10
    page_render_timeout_s: float = 30.0  # rendering one page in the build's own process (mathwiki.time_limit)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, project_dir: Path) -> Settings:
        """Validate ``data`` (the ``extra.mathwiki`` mapping); raise ``ValueError`` naming the bad option."""
        data = dict(data or {})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(f"unknown option(s) in extra.mathwiki: {', '.join(unknown)}")
        values: dict[str, Any] = {
            "cache_dir": project_dir / ".cache" / "mathwiki",
            "workers": os.cpu_count() or 1,
        }
        for name, value in data.items():
            values[name] = _coerce(name, value, known[name].type)
        if "cache_dir" in data:
            values["cache_dir"] = (project_dir / str(data["cache_dir"])).resolve()
        if os.environ.get("MATHWIKI_CACHE_DIR"):
            values["cache_dir"] = Path(os.environ["MATHWIKI_CACHE_DIR"]).resolve()
        for variable, name in _ENV_SWITCHES.items():
            if variable in os.environ:
                values[name] = os.environ[variable].strip().lower() not in ("0", "false", "no", "off", "")
        if values["workers"] < 1:
            raise ValueError("extra.mathwiki.workers must be at least 1")
        if values.get("cache_keep_builds", 1) < 1:
            raise ValueError("extra.mathwiki.cache_keep_builds must be at least 1")
        return cls(**values)

    @property
    def every_check_on(self) -> bool:
        """A build with every check on uses every cache entry the pages need: only such a build may sweep."""
        return self.claims and self.execute and self.figures and self.graph


def _coerce(name: str, value: Any, annotation: Any) -> Any:
    kind = str(annotation)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"extra.mathwiki.{name} must be true or false, not {value!r}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"extra.mathwiki.{name} must be a whole number, not {value!r}")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"extra.mathwiki.{name} must be a positive number, not {value!r}")
        return float(value)
    if kind == "Path":
        if not isinstance(value, str):
            raise ValueError(f"extra.mathwiki.{name} must be a path, not {value!r}")
        return Path(value)
    return value
