"""Shared fixtures: a real build of the real site, and small throwaway wikis built in ``tmp_path``."""

from __future__ import annotations

import fcntl
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
def real_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The real ``docs/`` built once per test run in strict mode, from a cold cache. Under pytest-xdist the
    workers share one build: the first to ask builds it, the others wait for it (a lock file)."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    out, cache, failed = shared / "real-site", shared / "real-cache", shared / "real-site.failed"
    with open(shared / "real-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "real-site.done").exists():
            command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml")]
            result = subprocess.run(
                [*command, "-d", str(out)],
                capture_output=True,
                text=True,
                timeout=900,
                cwd=ROOT,
                env={**os.environ, "MATHWIKI_CACHE_DIR": str(cache)},
            )
            if result.returncode != 0:
                failed.write_text(result.stderr[-6000:], encoding="utf-8")
            (shared / "real-site.done").touch()
    if failed.exists():
        pytest.fail(f"the real site does not build in strict mode:\n{failed.read_text(encoding='utf-8')}")
    return out
