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
        # Continuation lines are indented: a line of page text such as "::error::..." must never start a line
        # of the build log, where CI would read it as a command.
        message = "\n  ".join(self.message.replace("\r", "").split("\n"))
        return f"{self.path}:{self.line}: {message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command, so a pull request shows it on the diff."""
        kind = "error" if self.severity == "error" else "warning"
        return f"::{kind} file={_escape(self.path, True)},line={self.line}::{_escape(self.message, False)}"

    def __post_init__(self) -> None:
        # A file name is page input: a newline or control character in it must not start a line of its own in
        # the log (where "::error" would be read as a command).
        if any(ch in self.path for ch in "\r\n\x00"):
            object.__setattr__(self, "path", self.path.replace("\r", "\\r").replace("\n", "\\n").replace("\x00", ""))


def _escape(text: str, property_value: bool) -> str:
    """GitHub's workflow-command escaping: % CR LF always; in a property value also ':' and ','."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
