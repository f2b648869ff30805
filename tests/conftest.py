"""Shared fixtures: a real build of the real site, and small throwaway wikis built in ``tmp_path``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def project_config(project: Path, **overrides: object) -> dict:
    """The real ``mkdocs.yml``, pointed at a throwaway project: same theme, extensions and hooks."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("nav", None)
    config.pop("extra_css", None)
    config["docs_dir"] = str(project / "docs")
    config["site_dir"] = str(project / "site")
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / hook) for hook in config["hooks"]]
    config["extra"]["mathwiki"]["cache_dir"] = str(project / "cache")
    config.update(overrides)
    return config


def build(
    project: Path, *, strict: bool = True, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, cwd=project, env={**os.environ, **(env or {})}
    )


@pytest.fixture
def make_wiki(tmp_path: Path) -> Callable[..., Path]:
    """``make_wiki({"topics/a.md": "..."})`` writes a small wiki and returns its folder."""

    def make(pages: dict[str, str], **overrides: object) -> Path:
        for name, text in pages.items():
            path = tmp_path / "docs" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config = project_config(tmp_path, **overrides)
        (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        return tmp_path

    return make


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real ``docs/`` built once per test session in strict mode, from a cold cache."""
    out = tmp_path_factory.mktemp("real-site")
    cache = tmp_path_factory.mktemp("real-cache")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env={**os.environ, "MATHWIKI_CACHE_DIR": str(cache)},
    )
    if result.returncode != 0:
        pytest.fail(f"the real site does not build in strict mode:\n{result.stderr[-6000:]}")
    return out
