"""First hook: check the build settings (``extra.mathwiki`` in mkdocs.yml) before any other hook reads them."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from mathwiki.settings import Settings


def on_config(config):
    try:
        Settings.from_mapping(config.extra.get("mathwiki"), Path(config.config_file_path).parent)
    except ValueError as exc:
        raise PluginError(f"{config.config_file_path}: {exc}") from exc
    return config
