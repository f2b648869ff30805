"""Benchmark of the python code blocks: a generated wiki of 200 pages with 3 small blocks each.

Measures, in one run: a cold build (empty cache, ``workers`` = all cores), a warm build (cache full), a plain
build (execution off: MATHWIKI_EXECUTE=0) and a cold build with one worker at a time (the serial baseline).
Targets: warm within 10% of plain; cold faster than serial. Not a test: it prints numbers.

    .venv/bin/python benchmarks/code_blocks.py [--pages 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

BLOCKS = (
    "import math\nvalues = [math.sin(i / {n}) for i in range(100)]\nprint(round(sum(values), 6))",
    "total = sum(v * v for v in values)\nprint(f'page {n}: {{total:.4f}}')",
    "def f(x):\n    return x ** 2 + {n}\nprint([f(i) for i in range(5)])",
)


def generate(folder: Path, pages: int, workers: int | None, cache: Path) -> Path:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for n in range(pages):
        body = "".join(f"```python\n{code.format(n=n + 1)}\n```\n\nSome prose.\n\n" for code in BLOCKS)
        (docs / f"page-{n:03d}.md").write_text(f"---\ntitle: Page {n}\n---\n\n# Page {n}\n\n{body}", encoding="utf-8")
    mathwiki: dict[str, object] = {"cache_dir": str(cache)}
    if workers:
        mathwiki["workers"] = workers
    config = {
        "site_name": "bench",
        "docs_dir": str(docs),
        "site_dir": str(folder / "site"),
        "theme": {"name": "material"},
        "hooks": [str(ROOT / "hooks" / "report.py"), str(ROOT / "hooks" / "code_blocks.py")],
        "markdown_extensions": ["admonition", "pymdownx.highlight", "pymdownx.superfences"],
        "extra": {"mathwiki": mathwiki},
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def build(config: Path, **env: str) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        check=False,
    )
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mathwiki-bench-code-") as tmp:
        base = Path(tmp)
        parallel = generate(base / "parallel", args.pages, None, base / "cache-parallel")
        serial = generate(base / "serial", args.pages, 1, base / "cache-serial")

        cold = build(parallel)
        warms, plains = [], []
        for _ in range(args.repeat):  # alternate, so load from other processes hits both alike
            warms.append(build(parallel))
            plains.append(build(parallel, MATHWIKI_EXECUTE="0"))
        warm, plain = statistics.median(warms), statistics.median(plains)
        serial_cold = build(serial)
        shutil.rmtree(base / "cache-parallel")
        cold_again = build(parallel)

    cores = os.cpu_count()
    blocks = args.pages * len(BLOCKS)
    print(f"{args.pages} pages x {len(BLOCKS)} python blocks ({blocks} blocks), {cores} cores")
    print(f"  cold build, {cores} workers (empty cache)  {cold:7.2f} s   (again: {cold_again:.2f} s)")
    print(f"  cold build, 1 worker (serial)         {serial_cold:7.2f} s")
    print(f"  warm build (cache full), median of {args.repeat}  {warm:7.2f} s")
    print(f"  plain build (MATHWIKI_EXECUTE=0), median  {plain:7.2f} s")
    best_cold = min(cold, cold_again)
    print(f"  warm / plain  = {warm / plain:5.2f}   (target <= 1.10)")
    print(f"  serial / cold = {serial_cold / best_cold:5.2f}   (target > 1: parallel faster than serial)")
    print(
        f"  cold per page = {best_cold / args.pages * 1000:5.0f} ms, serial per page = "
        f"{serial_cold / args.pages * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
