"""What runs on a page: its python blocks, their time limit, its verify fences (for ``bind=``).

The one code path of the build hook and the check command.
"""

from __future__ import annotations

from mathwiki import frontmatter, pagemodel
from mathwiki.execution.runner import Block, PageJob
from mathwiki.problems import Problem
from mathwiki.settings import Settings


def page_timeout(text: str, settings: Settings) -> float:
    """Front matter ``timeout:`` (seconds, up to 600) or the build's ``code_timeout_s``."""
    block, _, _ = frontmatter.split(text)
    if block is not None:
        meta, _ = frontmatter.read(text, "", topic=False)
        value = meta.data.get("timeout")
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 600:
            return float(value)
    return settings.code_timeout_s


def page_job(path: str, text: str, settings: Settings) -> tuple[PageJob | None, list[Problem]]:
    """The page's python blocks as one job (None when it has none), and problems with their options."""
    fences = pagemodel.read(text).fences
    blocks = []
    problems = []
    for fence in fences:
        if fence.lang != "python":
            continue
        run = fence.options.get("run", "yes").lower()
        if run not in ("yes", "no"):
            problems.append(
                Problem(path, fence.line, f'run="{fence.options["run"]}": the only values are "no" and "yes"')
            )
        blocks.append(Block.from_fence(fence))
    if not blocks:
        return None, problems
    verify = tuple((f.body, f.line) for f in fences if f.lang == "verify")
    return PageJob(path, tuple(blocks), page_timeout(text, settings), verify), problems
