"""Draw all the figures of a build: the cache first, then the misses in worker processes, in parallel.

A figure's cache key is the hash of everything that decides its pixels (``Figure.identity()``: the resolved
definition, ranges, constants, point, title, grid, and the function and derivatives drawn) and of the versions
of the renderer and the libraries it uses, so a rebuild draws only what changed. The figures are split into a
few batches (matplotlib costs about half a second to import in each process), one worker per core.
"""

from __future__ import annotations

import base64
import binascii
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from mathwiki.cache import Cache
from mathwiki.isolation import Limits, run_parallel, run_worker
from mathwiki.settings import Settings
from plots import RENDERER_VERSION
from plots.figure import Figure

WORKER_MODULE = "plots.worker"
MAX_BATCH = 25  # figures per worker process: bounds what one crash or time-out costs
_STARTUP_S = 10.0  # allowance for the worker's imports, on top of the per-figure time limit


@dataclass(frozen=True)
class Drawn:
    """The result of one figure: the two PNGs and the numbers its caption needs, or why it failed."""

    key: str
    light: bytes = b""
    dark: bytes = b""
    width: int = 0
    height: int = 0
    slopes: tuple[float, float] | None = None
    value: float | None = None
    zrange: tuple[float, float] | None = None
    holes: bool = False
    clipped: bool = False
    error: str | None = None
    error_at_point: bool = False
    cached: bool = field(default=False, compare=False)
    final: bool = True  # False for a crash or a time-out: those are not cached, the next build tries again

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Stats:
    figures: int = 0
    from_cache: int = 0
    drawn: int = 0
    failed: int = 0
    workers: int = 0
    elapsed_s: float = 0.0


def renderer_version() -> str:
    """RENDERER_VERSION and the versions of every library that decides the pixels."""
    parts = [f"renderer={RENDERER_VERSION}"]
    for package in ("matplotlib", "numpy", "sympy", "pillow"):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=?")
    return ";".join(parts)


def open_cache(settings: Settings) -> Cache:
    return Cache(settings.cache_dir, "figures", renderer_version())


def figure_key(cache: Cache, figure: Figure) -> str:
    return cache.key(figure.identity())


def _from_value(key: str, value: Any, cached: bool) -> Drawn:
    if "error" in value:
        return Drawn(key, error=str(value["error"]), error_at_point=bool(value.get("at_point")), cached=cached)
    slopes = value.get("slopes")
    zrange = value.get("zrange")
    return Drawn(
        key,
        light=base64.b64decode(value["light"], validate=True),
        dark=base64.b64decode(value["dark"], validate=True),
        width=int(value["width"]),
        height=int(value["height"]),
        slopes=(float(slopes[0]), float(slopes[1])) if slopes else None,
        value=float(value["value"]) if value.get("value") is not None else None,
        zrange=(float(zrange[0]), float(zrange[1])) if zrange else None,
        holes=bool(value.get("holes")),
        clipped=bool(value.get("clipped")),
        cached=cached,
    )


def _cached(cache: Cache, key: str) -> Drawn | None:
    value = cache.get(key)
    if not isinstance(value, dict):
        return None
    try:
        drawn = _from_value(key, value, cached=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return None  # an entry of an older shape: draw again
    if drawn.ok and not (drawn.light.startswith(b"\x89PNG") and drawn.dark.startswith(b"\x89PNG")):
        return None
    return drawn


def batches(items: Sequence[Any], workers: int) -> list[list[Any]]:
    """About ``workers`` contiguous batches of similar size, none larger than ``MAX_BATCH``."""
    if not items:
        return []
    count = max(workers, math.ceil(len(items) / MAX_BATCH))
    count = min(count, len(items))
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out


def _run_batch(batch: list[tuple[str, Figure]], settings: Settings) -> list[Drawn]:
    payload = {"figures": [{"key": key, "figure": figure.payload()} for key, figure in batch]}
    limits = Limits(timeout_s=_STARTUP_S + settings.figure_timeout_s * len(batch), memory_mb=2048)
    outcome = run_worker(WORKER_MODULE, payload, limits)
    if outcome.ok:
        by_key = {item["key"]: item for item in outcome.value.get("results", [])}
        out = []
        for key, _ in batch:
            item = by_key.get(key)
            if item is None:
                out.append(Drawn(key, error="the drawing worker returned no figure", final=False))
            elif "error" in item:
                out.append(Drawn(key, error=item["error"], error_at_point=bool(item.get("at_point"))))
            else:
                out.append(_from_value(key, item["drawn"], cached=False))
        return out
    if len(batch) > 1:  # find the figure that crashed or hung: draw each on its own
        return [drawn for item in batch for drawn in _run_batch([item], settings)]
    if outcome.status == "timeout":
        message = f"drawing the figure took longer than {settings.figure_timeout_s:g} s (figure_timeout_s)"
    else:
        message = f"drawing the figure failed: {outcome.detail}"
    return [Drawn(batch[0][0], error=message, final=False)]


def draw_all(
    figures: Sequence[Figure],
    settings: Settings,
    *,
    workers: int | None = None,
    cache: Cache | None = None,
    log: logging.Logger | None = None,
) -> tuple[dict[str, Drawn], dict[Figure, str], Stats]:
    """Every figure's result by key, each figure's key, and what it cost."""
    started = time.monotonic()
    cache = cache or open_cache(settings)
    keys: dict[Figure, str] = {}
    results: dict[str, Drawn] = {}
    missing: list[tuple[str, Figure]] = []
    seen: set[str] = set()
    for figure in figures:
        key = keys.get(figure) or figure_key(cache, figure)
        keys[figure] = key
        if key in seen:
            continue
        seen.add(key)
        hit = _cached(cache, key)
        if hit is not None:
            results[key] = hit
        else:
            missing.append((key, figure))
    stats = Stats(figures=len(keys), from_cache=len(results))
    workers = workers or settings.workers
    groups = batches(missing, workers)
    stats.workers = min(workers, len(groups))
    for group in run_parallel(lambda batch: _run_batch(batch, settings), groups, workers=workers):
        for drawn in group:
            results[drawn.key] = drawn
            if drawn.ok:
                stats.drawn += 1
            else:
                stats.failed += 1
            if drawn.final:
                cache.put(drawn.key, _to_value(drawn))
    stats.elapsed_s = time.monotonic() - started
    if log is not None:
        log.info(
            "surfaces: %d figure(s): %d from the cache, %d drawn, %d failed (%d worker(s), %.1f s)",
            stats.figures,
            stats.from_cache,
            stats.drawn,
            stats.failed,
            stats.workers,
            stats.elapsed_s,
        )
    return results, keys, stats


def _to_value(drawn: Drawn) -> dict[str, Any]:
    if drawn.error is not None:
        return {"error": drawn.error, "at_point": drawn.error_at_point}
    return {
        "light": base64.b64encode(drawn.light).decode("ascii"),
        "dark": base64.b64encode(drawn.dark).decode("ascii"),
        "width": drawn.width,
        "height": drawn.height,
        "slopes": list(drawn.slopes) if drawn.slopes else None,
        "value": drawn.value,
        "zrange": list(drawn.zrange) if drawn.zrange else None,
        "holes": drawn.holes,
        "clipped": drawn.clipped,
    }
