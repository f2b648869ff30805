"""Build time of the real site: cold (empty cache), warm (cache full) and plain (every check off), side by side.

    .venv/bin/python benchmarks/site_build.py [--runs 5]

Prints the median of each and the warm/plain ratio. Not a test: timings on a shared machine are noisy.
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

ROOT = Path(__file__).resolve().parents[1]
PLAIN = {"MATHWIKI_CLAIMS": "0", "MATHWIKI_EXECUTE": "0", "MATHWIKI_FIGURES": "0", "MATHWIKI_GRAPH": "0"}


def build(site: Path, cache: Path, extra_env: dict[str, str] | None = None) -> float:
    env = {**os.environ, "MATHWIKI_CACHE_DIR": str(cache), **(extra_env or {})}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr[-4000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site, cache = Path(tmp, "site"), Path(tmp, "cache")
        cold = []
        for _ in range(max(1, args.runs // 2)):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(build(site, cache))
        warm, plain = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            warm.append(build(site, cache))
            plain.append(build(site, cache, PLAIN))
    pages = len(list((ROOT / "docs").rglob("*.md")))
    print(f"real site: {pages} pages, {os.cpu_count()} cores")
    print(f"cold  (empty cache): median {statistics.median(cold):6.2f} s  of {len(cold)} runs")
    print(f"warm  (cache full):  median {statistics.median(warm):6.2f} s  of {len(warm)} runs")
    print(f"plain (checks off):  median {statistics.median(plain):6.2f} s  of {len(plain)} runs")
    print(f"warm / plain = {statistics.median(warm) / statistics.median(plain):.2f}")


if __name__ == "__main__":
    main()
