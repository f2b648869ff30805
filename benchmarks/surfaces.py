"""Benchmark the surface figures: 100 specs drawn cold (both cores), warm (cache full), one core vs two.

    .venv/bin/python benchmarks/surfaces.py [--count 100]

Targets: warm under 5% of cold; two cores at least 1.6x faster than one. Not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mathwiki.settings import Settings  # noqa: E402
from plots.pipeline import draw_all  # noqa: E402
from plots.resolve import Figure, resolve  # noqa: E402
from plots.spec import parse_spec  # noqa: E402

FORMULAS = [
    "f(x, y) = x^2 y + {k}y",
    "f(x, y) = \\sin(x) \\cos(y) + {k}",
    "f(x, y) = e^{-(x^2 + y^2)/{k}}",
    "f(x, y) = \\ln(1 + x^2 + {k}y^2)",
    "f(x, y) = x^3 - 3x y^2 + {k}",
    "f(x, y) = \\tanh({k}x - y)",
    "f(x, y) = \\frac{x y}{1 + x^2 + y^2} + {k}",
    "L(w, b) = (3 - ({k}w + b))^2",
    "f(x, y) = \\sqrt{{k} + x^2 + y^2}",
    "f(x, y) = \\frac{1}{1 + e^{-({k}x + y)}}",
]


def specs(count: int) -> list[Figure]:
    figures = []
    for index in range(count):
        formula = FORMULAS[index % len(FORMULAS)].replace("{k}", str(index // len(FORMULAS) + 1))
        names = ("w", "b") if formula.startswith("L") else ("x", "y")
        body = f"{formula}\n{names[0]}: [-2, 2]\n{names[1]}: [-2, 2]\nat: (0.5, 0.5)"
        figures.append(resolve(parse_spec(body, 400), {}, f"Benchmark {index}"))
    return figures


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(figures: list[Figure], cache_dir: Path, workers: int) -> tuple[float, int, int]:
    """Wall time, figures drawn, figures from the cache; prints the cores the workers actually got."""
    settings = Settings.from_mapping({"workers": workers, "cache_dir": str(cache_dir)}, cache_dir)
    cpu, started = _child_cpu(), time.perf_counter()
    _, _, stats = draw_all(figures, settings, workers=workers)
    wall = time.perf_counter() - started
    if stats.drawn:
        print(f"    (workers used {(_child_cpu() - cpu) / wall:.2f} cores on average)")
    return wall, stats.drawn, stats.from_cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    figures = specs(args.count)
    print(f"load average before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cold, drawn, _ = run(figures, root / "both", 2)
        print(f"cold, 2 workers : {cold:7.2f} s  ({drawn} drawn)")
        warm, drawn, hits = run(figures, root / "both", 2)
        print(f"warm, 2 workers : {warm:7.2f} s  ({drawn} drawn, {hits} from the cache)")
        one, drawn, _ = run(figures, root / "one", 1)
        print(f"cold, 1 worker  : {one:7.2f} s  ({drawn} drawn)")
        two, drawn, _ = run(figures, root / "two", 2)
        print(f"cold, 2 workers : {two:7.2f} s  ({drawn} drawn, second cold run)")
    print(f"warm / cold     : {warm / cold:7.2%}   (target < 5%)")
    print(f"1 core / 2 cores: {one / two:7.2f}x  (target >= 1.6x)")


if __name__ == "__main__":
    main()
