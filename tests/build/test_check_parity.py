"""``python -m mathwiki check`` and ``mkdocs build --strict`` report the same problems, and check needs no MkDocs.

Each case is a small wiki with one kind of mistake; both are run on it and the ``docs/<page>.md:<line>:``
problems they print are compared.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.build.test_bad_pages_build import BAD, GOOD
from tests.conftest import ROOT, build

pytestmark = pytest.mark.build

HEAD = "---\ntitle: {title}\ntags: [calculus]\ndate: 2026-01-01\n---\n\n## The Math Inside\n\n"
EXTRA = {
    "topics/wrong-claim.md": HEAD.format(title="Wrong claim")
    + "```verify\nf(x) = x^3\n\\frac{df}{dx} = 3x\n```\n\n[A](a.md)\n",
    "topics/unread-claim.md": HEAD.format(title="Unread")
    + "```verify\nf(x) = sinx\ng(x) = \\sigma(x)\n```\n\n[A](a.md)\n",
    "topics/code-error.md": HEAD.format(title="Code error") + "```python\nprint(1 / 0)\n```\n\n[A](a.md)\n",
    "topics/bad-surface.md": HEAD.format(title="Bad surface") + "```surface\nf(x, y) = \\foo(x)\n```\n\n[A](a.md)\n",
    "topics/bad-uses.md": "---\ntitle: Bad uses\ntags: [calculus]\ndate: 2026-01-01\nuses: [No Such Page]\n---\n"
    + "\nText [A](a.md).\n",
    "topics/bad-wikilink.md": HEAD.format(title="Bad wikilink") + "See [[Nowhere At All]] and [A](a.md).\n",
    "topics/orphan.md": HEAD.format(title="Orphan") + "Nobody links here. [A](a.md)\n",
    "topics/bad-formula.md": HEAD.format(title="Bad formula") + "A formula $\\nosuchcommand{x}$ here. [A](a.md)\n",
    "topics/raw-tex.md": HEAD.format(title="Raw TeX") + "Half is \\frac{1}{2}, see [A](a.md).\n\n$$\nx^2\n",
    "topics/fence-include.md": HEAD.format(title="Fence include")
    + '```python\nprint(1)\n--8<-- "code.py"\n```\n\nPower series $R[[x]]$. [A](a.md)\n',
    "topics/script.md": HEAD.format(title="Script") + "[A](a.md)\n\n<script>alert(1)</script>\n",
    "topics/handler.md": HEAD.format(title="Handler") + '[A](a.md)\n\n<p onclick="alert(1)">click</p>\n',
}
CASES = {**{name: text for name, (text, _, _) in BAD.items()}, **EXTRA}
_PROBLEM = re.compile(r"(docs/[^\s:]+\.md):(\d+): (.*?)(?: \(warning\))?$")


def _problems(output: str) -> set[tuple[str, int, str]]:
    found = set()
    for row in output.splitlines():
        match = _PROBLEM.search(row.strip())
        if match:
            found.add((match.group(1), int(match.group(2)), match.group(3).strip()))
    return found


def _check(project) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from mathwiki.cli import main; code = main(['check', 'docs']); "
        "bad = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')); "
        "print('MKDOCS-MODULES', bad); sys.exit(code)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(project)},
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_and_build_report_the_same_problems(make_wiki, name: str) -> None:
    project = make_wiki({**GOOD, name: CASES[name]})
    built = build(project)
    checked = _check(project)
    assert "MKDOCS-MODULES []" in checked.stdout, checked.stdout[-2000:] + checked.stderr[-2000:]
    from_build, from_check = _problems(built.stderr), _problems(checked.stdout)
    assert from_build, built.stderr[-3000:]
    assert from_check == from_build, (sorted(from_check), sorted(from_build))
    assert built.returncode != 0 and checked.returncode != 0


def test_check_and_build_agree_on_the_real_wiki(real_site) -> None:
    checked = _check(ROOT)
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert _problems(checked.stdout) == set()
    assert "MKDOCS-MODULES []" in checked.stdout
