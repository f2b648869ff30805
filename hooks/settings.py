"""First hook: check the build settings (``extra.mathwiki`` in mkdocs.yml) and the order of the hooks before any
other hook runs."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from mathwiki.hook_order import order_problem
from mathwiki.settings import Settings


def on_config(config):
    problem = order_problem(config.hooks or {})
    if problem:
        raise PluginError(f"{config.config_file_path}: {problem}")
    try:
        Settings.from_mapping(config.extra.get("mathwiki"), Path(config.config_file_path).parent)
    except ValueError as exc:
        raise PluginError(f"{config.config_file_path}: {exc}") from exc
    return config
