"""A problem found in a page, located by file and line, the way compilers report them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the project root, with ``docs/``: ``docs/topics/x.md``
    line: int  # 1-based, counted in the whole file (front matter included)
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command, so a pull request shows it on the diff."""
        kind = "error" if self.severity == "error" else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path},line={self.line}::{message}"
