"""Real ``mkdocs build --strict`` runs of a tiny wiki whose pages attack the code runner.

Every bad page is in ONE build: the build must report each of them (page and line), fail, stay within the
time limits, leave nothing running and write nothing outside the site and cache folders.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRET = "secret-123-do-not-leak"
SLEEPER = "987654"  # a sleep duration no other process on the machine uses

pytestmark = pytest.mark.build


def page(body: str, timeout: float | None = None) -> str:
    front = f"---\ntitle: T\ntimeout: {timeout}\n---\n" if timeout else "---\ntitle: T\n---\n"
    return front + "\n# T\n\n" + body


def fence(code: str, options: str = "") -> str:
    return f"```python{' ' + options if options else ''}\n{code}\n```\n\n"


def make_project(root: Path, pages: dict[str, str]) -> Path:
    config = {
        "site_name": "t",
        "docs_dir": str(root / "docs"),
        "site_dir": str(root / "site"),
        "theme": {"name": "material"},
        "hooks": [str(ROOT / "hooks" / "report.py"), str(ROOT / "hooks" / "code_blocks.py")],
        "markdown_extensions": ["admonition", "pymdownx.highlight", "pymdownx.superfences"],
        "extra": {"mathwiki": {"cache_dir": str(root / "cache"), "workers": 2}},
    }
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def build(config: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    return done, time.monotonic() - started


def snapshot(folder: Path, skip: tuple[str, ...]) -> dict[str, float]:
    return {
        str(p): p.stat().st_mtime if p.is_file() else 0.0  # a folder's mtime changes when site/ appears
        for p in folder.rglob("*")
        if not any(part in skip for part in p.relative_to(folder).parts)
    }


def sleepers() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if len(command) > 1 and command[0].endswith(b"sleep") and command[1] == SLEEPER.encode():
            found.append(entry.name)
    return found


def test_every_bad_page_is_reported_in_one_strict_build(tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    sentinel.mkdir()
    (sentinel / "keep.txt").write_text("untouched", encoding="utf-8")
    pages = {
        "exception.md": page(
            fence("x = 1\nprint('before', x)") + fence("a = 1\nb = 0\nprint(a / b)") + fence("print(3)")
        ),
        "loop.md": page(fence("while True:\n    pass"), timeout=2),
        "sleep.md": page(fence("import time\ntime.sleep(10**6)"), timeout=2),
        "memory.md": page(fence("x = bytearray(4 * 1024**3)")),
        "exit.md": page(fence("import sys\nsys.exit(3)")),
        "osexit.md": page(fence("print('first')") + fence("import os\nos._exit(0)")),
        "write.md": page(fence(f"open({str(sentinel / 'evil.txt')!r}, 'w').write('x')")),
        "overwrite.md": page(fence(f"open({str(sentinel / 'keep.txt')!r}, 'w').write('changed')")),
        "secret.md": page(fence("import os\nprint('token:', os.environ.get('GITHUB_TOKEN'))")),
        "background.md": page(
            fence(f"import subprocess\nsubprocess.Popen(['sleep', '{SLEEPER}'], start_new_session=True)\nprint('left')")
        ),
        "output.md": page(fence("print('x' * 10_000_000)")),
    }
    config = make_project(tmp_path / "wiki", pages)
    before = snapshot(tmp_path, ("site", "cache"))

    done, elapsed = build(config, GITHUB_TOKEN=SECRET)
    log = done.stderr

    assert done.returncode == 1, log
    expected = [
        "docs/exception.md:12: code block failed at line 3 of the block (file line 15): "
        "ZeroDivisionError: division by zero",
        "docs/loop.md:8: code block failed: the page's code did not finish within its time limit of 2 s",
        "docs/sleep.md:8: code block failed: the page's code did not finish within its time limit of 2 s",
        "docs/memory.md:7: code block failed at line 1 of the block (file line 8): MemoryError",
        "docs/exit.md:7: code block failed at line 2 of the block (file line 9): the code called sys.exit(3)",
        "docs/osexit.md:11: code block failed: the worker ended without finishing (os._exit?)",
        "docs/write.md:7: code block failed at line 1 of the block (file line 8): PermissionError",
        "docs/overwrite.md:7: code block failed at line 1 of the block (file line 8): PermissionError",
    ]
    for message in expected:
        assert f"ERROR   -  {message}" in log, message
    for good in ("secret.md", "background.md", "output.md"):
        assert f"docs/{good}" not in log
    assert elapsed < 45, f"the build took {elapsed:.1f} s"

    site = tmp_path / "wiki" / "site"
    exception_html = (site / "exception" / "index.html").read_text(encoding="utf-8")
    assert "before 1" in exception_html
    assert 'class="admonition failure code-error"' in exception_html
    assert "not run (an earlier block failed)" in exception_html
    assert "first" in (site / "osexit" / "index.html").read_text(encoding="utf-8")

    secret_html = (site / "secret" / "index.html").read_text(encoding="utf-8")
    assert "token: None" in secret_html
    assert not any(SECRET in p.read_text(errors="replace") for p in site.rglob("*.html"))

    output_html = site / "output" / "index.html"
    assert "output truncated: 9934465 bytes not shown" in output_html.read_text(encoding="utf-8")
    assert output_html.stat().st_size < 200_000

    assert sleepers() == [], "a process the code started outlived the build"
    assert not (sentinel / "evil.txt").exists()
    assert (sentinel / "keep.txt").read_text(encoding="utf-8") == "untouched"
    after = snapshot(tmp_path, ("site", "cache"))
    assert after == before, "the build wrote outside the site and cache folders"


def test_good_page_builds_shows_output_and_figure_and_is_cached(tmp_path: Path) -> None:
    code = (
        fence("x = 3\nprint('<x>', x)")
        + fence("print('not run')", 'run="no"')
        + fence("import matplotlib.pyplot as plt\nplt.plot([1, x, 2])\nprint(x * 2)", 'title="plot.py"')
    )
    config = make_project(tmp_path / "wiki", {"index.md": page(code), "deep/er/page.md": page(code)})

    done, _ = build(config)
    assert done.returncode == 0, done.stderr
    assert "2 page(s), 2 run in a worker" in done.stderr

    site = tmp_path / "wiki" / "site"
    html = (site / "deep" / "er" / "page" / "index.html").read_text(encoding="utf-8")
    assert "&lt;x&gt; 3" in html and "6\n" in html
    assert "not run" in html  # the code is shown, but it has no output box
    assert html.count('class="code-output"') == 2
    src = html.split('<img alt="Figure drawn by the code above" src="', 1)[1].split('"', 1)[0]
    assert src.startswith("../../../assets/code-figures/")
    assert (site / "deep" / "er" / "page" / src).resolve().read_bytes().startswith(b"\x89PNG")

    warm, _ = build(config)
    assert warm.returncode == 0, warm.stderr
    assert "2 page(s), 0 run in a worker" in warm.stderr
    assert (site / "index.html").read_text(encoding="utf-8").count('class="code-output"') == 2

    plain, _ = build(config, MATHWIKI_EXECUTE="0")
    assert plain.returncode == 0, plain.stderr
    assert 'class="code-output"' not in (site / "index.html").read_text(encoding="utf-8")
