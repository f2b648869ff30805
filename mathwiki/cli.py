"""The command line: ``python -m mathwiki check docs/`` checks pages without building the site.

Each subcommand is a function registered in ``main``; the checks of ``check`` are in ``mathwiki.checks``
(``CHECKERS``), the same core functions the build's hooks call. Nothing here imports MkDocs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mathwiki.checks import CHECKERS, Findings
from mathwiki.pages import link_problem, prepare_text
from mathwiki.problems import Problem
from mathwiki.settings import Settings


def _counts_line(path: str, c: dict[str, int]) -> str:
    return (
        f"{path}: {c['verified']} proved, {c['numeric']} agree numerically only, {c['wrong']} wrong, "
        f"{c['unchecked']} not checked, {c['unread']} unread; {c['definitions']} definition(s)"
    )


def _markdown_files(paths: Sequence[str]) -> tuple[dict[str, str], list[Problem]]:
    pages: dict[str, str] = {}
    problems = []
    for raw in paths:
        path = Path(raw)
        files = sorted(path.rglob("*.md")) if path.is_dir() else [path]
        if not path.exists():
            problems.append(Problem(raw, 1, "no such file or folder"))
        for file in files:
            name = os.path.relpath(file).replace(os.sep, "/")
            if path.is_dir():
                why = link_problem(path, file.relative_to(path).as_posix())
                if why is not None:
                    problems.append(Problem(name, 1, why))
                    continue
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(name, 1, f"cannot read the page: {exc}"))
                continue
            text, found, _ = prepare_text(text, name, Path.cwd())  # as the build does
            problems.extend(found)
            pages[name] = text
    return pages, problems


def _settings(project_dir: Path) -> tuple[Settings, str, Any]:
    """``extra: mathwiki:``, ``docs_dir`` and ``markdown_extensions`` of ./mkdocs.yml when there is one (tags
    such as !!python/name are read as None)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data: Any = {}
    config = project_dir / "mkdocs.yml"
    if config.exists():
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader) or {}  # noqa: S506 - SafeLoader
    extra = (data.get("extra") or {}) if isinstance(data, dict) else {}
    docs_dir = str(data.get("docs_dir") or "docs") if isinstance(data, dict) else "docs"
    docs_dir = os.path.relpath(project_dir / docs_dir).replace(os.sep, "/")
    settings = Settings.from_mapping(extra.get("mathwiki") if isinstance(extra, dict) else None, project_dir)
    extensions = data.get("markdown_extensions") if isinstance(data, dict) else None
    return settings, docs_dir, extensions


def run_check(args: argparse.Namespace) -> int:
    started = time.monotonic()
    settings, docs_dir, extensions = _settings(Path.cwd())
    pages, problems = _markdown_files(args.paths)
    findings = Findings(docs_dir=docs_dir, markdown_extensions=extensions)
    chosen = args.only.split(",") if args.only else list(CHECKERS)
    unknown = [name for name in chosen if name not in CHECKERS]
    if unknown:
        print(f"unknown check(s): {', '.join(unknown)}; the checks are {', '.join(CHECKERS)}", file=sys.stderr)
        return 2
    for name in chosen:
        problems.extend(CHECKERS[name](pages, settings, findings))
    problems.sort(key=lambda p: (p.path, p.line))
    if args.format == "json":
        import json

        data = {
            "claims": findings.records,
            "pages": findings.counts,
            "problems": [
                {"page": p.path, "line": p.line, "severity": p.severity, "message": p.message} for p in problems
            ],
        }
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return 1 if problems else 0
    for problem in problems:
        print(
            problem.github_annotation()
            if args.github
            else f"{problem}{' (warning)' if problem.severity == 'warning' else ''}"
        )
    total = {k: sum(c[k] for c in findings.counts.values()) for k in next(iter(findings.counts.values()), {})}
    if not args.github:
        for path, counts in findings.counts.items():
            print(_counts_line(path, counts))
        if total:
            print(_counts_line("total", total))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(
        f"checked {len(pages)} page(s) in {time.monotonic() - started:.1f} s: {errors} error(s), {warnings} warning(s)"
    )
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mathwiki", description="Check the wiki's pages without building it.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="every check of the build, on Markdown pages, without building")
    check.add_argument("paths", nargs="+", help="Markdown files or folders (searched recursively)")
    check.add_argument("--github", action="store_true", help="print GitHub Actions annotations")
    check.add_argument("--only", help=f"comma-separated checks to run (default: all of {', '.join(CHECKERS)})")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="json: one record per claim, counts per page"
    )
    check.set_defaults(run=run_check)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
