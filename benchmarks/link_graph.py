"""How much the link graph adds to a build: a generated wiki of 1,000 and 5,000 pages, built with and
without ``hooks/link_graph.py`` doing its work (``MATHWIKI_GRAPH=0``: the hook stays listed and returns at
once, so the two builds differ only by the graph's work).

The wiki uses the real site's theme, plugins and Markdown extensions, with a short ``nav`` (Material renders
the whole nav into every page: with 5,000 pages in it the nav alone would dominate the build) and two hooks:
``hooks/sources.py``, which reads each page once for MkDocs and the hooks, and the graph hook. Each page has
front matter with ``uses``, seven sections, about eight links of every form (inline, reference-style, anchors,
``./`` and ``../``, a folder index), two wikilinks, and links inside code that must not count.

    .venv/bin/python benchmarks/link_graph.py                 # 1000 and 5000 pages, median of 5
    .venv/bin/python benchmarks/link_graph.py --pages 300 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SUBJECTS = 20
SECTIONS = (
    "I Use This When...",
    "Why It Exists",
    "Visual Intuition",
    "How It Works",
    "The Math Inside",
    "Examples",
    "Code",
)


def _src(index: int) -> str:
    return f"topics/area/s{index % SUBJECTS:02d}/page-{index:05d}.md"


def _title(index: int) -> str:
    return f"Topic {index:05d}"


def _relative(target: str, source: str) -> str:
    source_parts, target_parts = source.split("/")[:-1], target.split("/")
    common = 0
    while common < min(len(source_parts), len(target_parts) - 1) and source_parts[common] == target_parts[common]:
        common += 1
    return "/".join([".."] * (len(source_parts) - common) + target_parts[common:])


def _page(index: int, count: int, rng: random.Random) -> str:
    src = _src(index)
    earlier = rng.sample(range(index), k=min(index, 3))
    uses = [_title(i) if n % 2 else _src(i) for n, i in enumerate(earlier)]
    others = [rng.randrange(count) for _ in range(6)]
    nxt = (index + 1) % count  # every page is linked from the one before: no orphans
    links = [
        f"[next]({_relative(_src(nxt), src)})",
        f"[a topic]({_relative(_src(others[0]), src)}#how-it-works)",
        f"[another](./{_relative(_src(others[1]), src)})",
        f"[reference][r{index}]",
        f"[[{_title(others[2])}]]",
        f"[[{_title(others[3])}#The Math Inside|its maths]]",
        "[the subject](index.md)",
        "[web](https://example.org/page)",
    ]
    body = []
    for number, heading in enumerate(SECTIONS):
        body.append(f"## {heading}\n")
        text = (
            f"Paragraph {number} of {_title(index)} with some *emphasis*, a formula $f(x) = x^2$ and "
            f"{links[number]}. " + "Filler words make the page about as long as a real topic. " * 6
        )
        body.append(text + "\n")
        if heading == "Code":
            body.append(f"```python\n# [not a link]({_relative(_src(others[4]), src)}) [[Not A Link]]\nx = 1\n```\n")
            body.append(f"Inline `[not a link]({_relative(_src(others[5]), src)})` and {links[7]}.\n")
        if heading == "Examples":
            body.append("| a | b |\n|---|---|\n| 1 | 2 |\n")
    body.append(f"[r{index}]: {_relative(_src(others[5]), src)}\n")
    front = (
        f"---\ntitle: {_title(index)}\ntags: [calculus, derivative]\ndate: 2026-01-01\n"
        f"uses: [{', '.join(uses)}]\n---\n\n"
    )
    return front + "\n".join(body)


def make_wiki(folder: Path, count: int) -> Path:
    rng = random.Random(count)
    docs = folder / "docs"
    for index in range(count):
        path = docs / _src(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(index, count, rng), encoding="utf-8")
    for subject in range(SUBJECTS):
        (docs / f"topics/area/s{subject:02d}/index.md").write_text(
            f"---\ntitle: Subject {subject}\n---\n\nPages of subject {subject}.\n", encoding="utf-8"
        )
    (docs / "topics/area/index.md").write_text("---\ntitle: Area\n---\n\nAll subjects.\n", encoding="utf-8")
    (docs / "index.md").write_text(f"---\ntitle: Home\n---\n\nStart at [{_title(0)}]({_src(0)}).\n", encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("extra_css", "repo_url", "edit_uri"):
        config.pop(key, None)
    config.update(
        docs_dir=str(docs),
        site_dir=str(folder / "site"),
        nav=[{"Home": "index.md"}, {"Area": "topics/area/index.md"}],
        validation={"nav": {"omitted_files": "info"}},
        hooks=[str(ROOT / "hooks/sources.py"), str(ROOT / "hooks/link_graph.py")],
    )
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["extra"]["mathwiki"] = {"cache_dir": str(folder / "cache")}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return folder


def _inner(config_file: str) -> None:
    """One build, as ``mkdocs build -q`` does it, timing the CPU spent inside the graph hook's events."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    spent = [0.0]

    def timed(function):
        def run(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - start

        return run

    config = load_config(config_file=config_file)
    config.plugins.on_startup(command="build", dirty=False)
    for event, functions in config.plugins.events.items():
        config.plugins.events[event] = [
            timed(f) if getattr(getattr(f, "__code__", None), "co_filename", "").endswith("link_graph.py") else f
            for f in functions
        ]
    mkdocs_build(config)
    config.plugins.on_shutdown()
    print(json.dumps({"hook_cpu": spent[0]}))


def build(folder: Path, graph: bool) -> tuple[float, float, float]:
    """Wall-clock and user CPU seconds of one build in a fresh process, and the CPU seconds spent inside the
    graph hook. System time is left out: it is mostly the file system (writing thousands of pages), and it
    varies by a second from one build to the next whatever the build does."""
    shutil.rmtree(folder / "site", ignore_errors=True)  # every build writes into an empty folder
    env = {**os.environ, "MATHWIKI_GRAPH": "1" if graph else "0", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, __file__, "--inner", str(folder / "mkdocs.yml")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=folder)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime
    if result.returncode != 0 or "ERROR" in result.stderr or "WARNING" in result.stderr:
        raise SystemExit(f"the {'with' if graph else 'without'} build reported problems:\n{result.stderr[-3000:]}")
    if graph != (folder / "site" / "graph.json").exists():
        raise SystemExit("graph.json is there exactly when the graph is on: something is wrong")
    return elapsed, cpu, json.loads(result.stdout.strip().splitlines()[-1])["hook_cpu"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=5, help="builds of each kind; the median counts")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        _inner(args.inner)
        return
    print(
        "Median of each kind. CPU = user CPU seconds of the whole build process (steadier than wall-clock on\n"
        "a shared machine); hook = CPU seconds inside hooks/link_graph.py's events, and their share of the\n"
        "build with the graph."
    )
    print(
        f"{'pages':>6} {'CPU without':>12} {'CPU with':>9} {'ratio':>6}  {'hook':>6} {'share':>6}  |  "
        f"{'wall without':>12} {'wall with':>9} {'ratio':>6}"
    )
    for count in args.pages:
        with tempfile.TemporaryDirectory(prefix=f"graph-bench-{count}-") as tmp:
            folder = make_wiki(Path(tmp), count)
            without, with_ = [], []
            for _ in range(args.repeat):  # interleaved, so a busy moment hurts both kinds alike
                without.append(build(folder, graph=False))
                with_.append(build(folder, graph=True))
            cpu0, cpu1 = statistics.median(b[1] for b in without), statistics.median(b[1] for b in with_)
            wall0, wall1 = statistics.median(b[0] for b in without), statistics.median(b[0] for b in with_)
            hook = statistics.median(b[2] for b in with_)
            share = 100 * hook / cpu1
            print(
                f"{count:>6} {cpu0:>11.2f}s {cpu1:>8.2f}s {cpu1 / cpu0:>6.3f}  {hook:>5.2f}s {share:>5.1f}%"
                f"  |  {wall0:>11.2f}s {wall1:>8.2f}s {wall1 / wall0:>6.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
