"""The maths engines side by side on the wiki's own formulas: Temml (what the build uses), KaTeX
(what it used before, kept as a development dependency for this comparison), and latex2mathml (used before
that) when it is installed.

    .venv/bin/python benchmarks/maths_engines.py [--runs 3]

For every page of docs/ it takes the formulas as the page writes them ($...$ and $$...$$, outside code) and
typesets them with each engine, through the same long-lived engine process the build drives. Prints, per
engine: formulas it could not typeset, the median and largest typeset HTML per page (what a page's maths
weighs; also gzipped, as a server sends it), the fonts and stylesheet a reader downloads once, and the median
time per formula (medians of --runs, engines alternating). Not a test: timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mathwiki import typeset as engines  # noqa: E402

_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_BLOCK = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")


def page_formulas(text: str) -> list[tuple[str, bool]]:
    text = _CODE.sub("", _FENCE.sub("", text))
    blocks = [(m.group(1).strip(), True) for m in _BLOCK.finditer(text)]
    inline = [(m.group(1).strip(), False) for m in _INLINE.finditer(_BLOCK.sub("", text))]
    return blocks + inline


def _node_engine(name: str) -> Callable[[list[tuple[str, bool]]], list[tuple[str, str]]]:
    running = engines.Engine(name)

    def run(items: list[tuple[str, bool]]) -> list[tuple[str, str]]:
        return [(r.html, r.error) for r in running.typeset(items)]

    return run


def _latex2mathml() -> Callable[[list[tuple[str, bool]]], list[tuple[str, str]]] | None:
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None

    def run(items: list[tuple[str, bool]]) -> list[tuple[str, str]]:
        out = []
        for tex, display in items:
            try:
                out.append((convert(tex, display="block" if display else "inline"), ""))
            except Exception as exc:  # noqa: BLE001 - any failure is "could not typeset"
                out.append(("", str(exc)))
        return out

    return run


def _asset_kb(name: str) -> float:
    try:
        stylesheet, fonts = engines.assets(name)
    except engines.EngineMissing:
        return 0.0
    return sum(p.stat().st_size for p in [stylesheet, *fonts.values()] if p.exists()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pages = {
        path.relative_to(ROOT).as_posix(): page_formulas(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "docs").rglob("*.md"))
    }
    pages = {name: formulas for name, formulas in pages.items() if formulas}
    total = sum(len(f) for f in pages.values())
    candidates = {"katex": _node_engine("katex"), "temml": _node_engine("temml"), "latex2mathml": _latex2mathml()}
    chosen = {name: run for name, run in candidates.items() if run is not None}
    for run in chosen.values():  # start each engine before timing
        run([("x", False)])
    times: dict[str, list[float]] = {name: [] for name in chosen}
    results: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for _ in range(args.runs):
        for name, run in chosen.items():
            started = time.perf_counter()
            results[name] = {page: run(formulas) for page, formulas in pages.items()}
            times[name].append((time.perf_counter() - started) / total * 1e6)
    print(f"{len(pages)} pages with maths, {total} formulas; medians of {args.runs} runs")
    print(
        f"{'engine':<13} {'errors':>6} {'HTML/page median':>17} {'gzipped':>8} {'largest page':>13}"
        f" {'fonts+css':>10} {'µs/formula':>11}"
    )
    for name in chosen:
        weights = [sum(len(h.encode()) for h, _ in out) / 1024 for out in results[name].values()]
        zipped = [len(gzip.compress("".join(h for h, _ in out).encode())) / 1024 for out in results[name].values()]
        errors = [
            (page, tex)
            for page, out in results[name].items()
            for (tex, _), (_, e) in zip(pages[page], out, strict=True)
            if e
        ]
        print(
            f"{name:<13} {len(errors):>6} {statistics.median(weights):>14.1f} KB {statistics.median(zipped):>5.1f} KB"
            f" {max(weights):>10.1f} KB"
            f" {_asset_kb(name) if name != 'latex2mathml' else 0:>7.0f} KB {statistics.median(times[name]):>11.0f}"
        )
        for page, tex in errors[:3]:
            print(f"    {page}: cannot typeset {tex[:70]!r}")


if __name__ == "__main__":
    main()
