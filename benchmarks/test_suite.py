"""Wall time of the whole test suite at two commits, side by side: does ``make test`` take longer than before?

    .venv/bin/python benchmarks/test_suite.py [--base HEAD~1] [--head HEAD] [--runs 1]

Each commit is checked out in a temporary git worktree and its own test command (the ``test:`` target of its
Makefile, read from that commit) runs there with this checkout's virtual environment and node_modules; the runs
alternate (base, head, base, head, ...) so a busy moment of the machine hurts both alike. Prints each run, the
medians and head/base. Asserts nothing: the suite's time on a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _test_command(tree: Path) -> list[str]:
    """The pytest command of the commit's ``make test``, with this interpreter."""
    makefile = (tree / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n\t(.+)$", makefile, re.MULTILINE)
    if recipe is None:
        sys.exit(f"no test: target in {tree / 'Makefile'}")
    words = shlex.split(recipe.group(1))
    at = words.index("pytest")
    return [sys.executable, "-m", "pytest", *words[at + 1 :], "-q", "-p", "no:cacheprovider"]


def _worktree(rev: str, where: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(where), rev], check=True, capture_output=True
    )
    (where / "node_modules").symlink_to(ROOT / "node_modules")
    return where


def _run(tree: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "NO_MKDOCS_2_WARNING": "1"}  # its own mathwiki, not ours
    started = time.perf_counter()
    result = subprocess.run(_test_command(tree), cwd=tree, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    last = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    return elapsed, f"rc={result.returncode} {last}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="the commit to compare with (default: the one before)")
    parser.add_argument("--head", default="HEAD")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="suite-bench-") as tmp:
        trees = {name: _worktree(rev, Path(tmp) / name) for name, rev in (("base", args.base), ("head", args.head))}
        try:
            times: dict[str, list[float]] = {"base": [], "head": []}
            for run in range(args.runs):
                for name, tree in trees.items():
                    elapsed, summary = _run(tree)
                    times[name].append(elapsed)
                    print(
                        f"run {run + 1} {name:4} {elapsed:7.1f} s  {' '.join(_test_command(tree)[3:])}: {summary}",
                        flush=True,
                    )
        finally:
            for tree in trees.values():
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True
                )
    base, head = statistics.median(times["base"]), statistics.median(times["head"])
    print(f"median base {base:.1f} s, head {head:.1f} s, head/base {head / base:.2f}")


if __name__ == "__main__":
    main()
