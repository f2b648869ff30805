"""The cache stays bounded: an entry no build of the last ``cache_keep_builds`` full builds used is deleted,
and only full builds count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import build

pytestmark = pytest.mark.build

HEAD = "---\ntitle: Page\ntags: [calculus]\ndate: 2026-01-01\n---\n\n## The Math Inside\n\n"


def claim(power: int) -> str:
    return HEAD + f"```verify\nf(x, y) = x^{power} + y\n\\frac{{\\partial f}}{{\\partial y}} = 1\n```\n"


def claim_entries(project: Path) -> set[str]:
    return {path.name for path in (project / "cache" / "claims").glob("*/*.json")}


def test_an_entry_no_recent_full_build_used_is_deleted(make_wiki: Callable[..., Path]) -> None:
    project = make_wiki({"index.md": "---\ntitle: Home\n---\n[Page](topics/page.md)\n", "topics/page.md": claim(2)})
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["extra"]["mathwiki"]["cache_keep_builds"] = 2
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    page = project / "docs/topics/page.md"

    def full_build() -> set[str]:
        result = build(project)
        assert result.returncode == 0, result.stderr
        return claim_entries(project)

    (x2,) = full_build()  # build 1 writes the entry of x^2
    page.write_text(claim(3), encoding="utf-8")
    (x3,) = full_build() - {x2}  # build 2: x^2's entry unused once, kept
    assert x2 in claim_entries(project)
    assert full_build() == {x3}  # build 3: unused by the last two full builds, deleted

    page.write_text(claim(4), encoding="utf-8")
    for _ in range(3):  # a build with a check off is no full build: nothing is swept
        result = build(project, env={"MATHWIKI_FIGURES": "0"})
        assert result.returncode == 0, result.stderr
    assert x3 in claim_entries(project)
    assert x3 in full_build()  # the first full build without x^3
    assert x3 not in full_build()  # the second
    assert len(claim_entries(project)) == 1  # x^4's entry, used by both
