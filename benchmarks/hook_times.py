"""Where a warm build's time goes, hook by hook: the wall-clock time of every event handler (our hooks and the
plugins), summed over one build, on a generated wiki. What is left of the build is MkDocs, Markdown and the theme.

    .venv/bin/python benchmarks/hook_times.py [--pages 1000] [--top 25]

It generates the wiki of ``benchmarks/site_build.py``, fills the cache with one build in a fresh process, then
runs a second build in this process with each event handler wrapped in a timer, and prints the handlers by time
with the build's total. Without a profiler: cProfile's overhead on Python-heavy hooks is larger than on MkDocs'
own code, which bends the picture. One build, so noisy: compare handlers within one run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import make_wiki, timed_build  # noqa: E402


def timed_handlers(config_file: Path) -> tuple[float, collections.Counter[str]]:
    """Build ``config_file`` in this process; the build's seconds and the seconds of each event handler."""
    from mkdocs import plugins
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    spent: collections.Counter[str] = collections.Counter()
    run_event = plugins.PluginCollection.run_event

    def timed(self, name, item=None, **kwargs):
        handlers = self.events[name]
        for index, handler in enumerate(handlers):
            if getattr(handler, "timed", False):
                continue
            origin = self._event_origins.get(handler, "?")
            label = f"{Path(origin).name if origin.endswith('.py') else origin}: on_{name}"

            def wrapper(*args, _handler=handler, _label=label, **kw):
                started = time.perf_counter()
                try:
                    return _handler(*args, **kw)
                finally:
                    spent[_label] += time.perf_counter() - started

            wrapper.timed = True  # type: ignore[attr-defined]
            handlers[index] = wrapper
            self._event_origins[wrapper] = origin
        return run_event(self, name, item, **kwargs)

    plugins.PluginCollection.run_event = timed  # type: ignore[method-assign]
    try:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        config = load_config(str(config_file))
        started = time.perf_counter()
        build(config)
        return time.perf_counter() - started, spent
    finally:
        plugins.PluginCollection.run_event = run_event  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix=f"hook-times-{args.pages}-") as tmp:
        ours, _ = make_wiki(Path(tmp), args.pages)
        cold, _ = timed_build(ours)
        os.chdir(ours.parent)
        total, spent = timed_handlers(ours)
    ours_only = sum(seconds for label, seconds in spent.items() if label.split(":")[0].endswith(".py"))
    print(f"{args.pages} generated pages: cold build {cold:.1f} s (fresh process), warm build {total:.2f} s here")
    print(f"  event handlers: {sum(spent.values()):.2f} s, of which our hooks {ours_only:.2f} s")
    for label, seconds in spent.most_common(args.top):
        print(f"  {seconds:7.2f} s  {seconds / total:6.1%}  {label}")


if __name__ == "__main__":
    main()
