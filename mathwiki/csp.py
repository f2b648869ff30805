"""The Content-Security-Policy each page carries (a ``<meta>``, as a static site has no headers of its own).

Scripts may come only from the site itself, plus the theme's own inline scripts, each allowed by the SHA-256 of
its exact text: the page content cannot contain a script (the sanitizer removed them), and any other inline
script would not run. Styles may be inline (the typeset maths sets sizes with ``style=``); nothing is loaded from
another host.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]{0,500})>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]{0,200}>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta charset=[^>]{0,40}>", re.IGNORECASE)


def _executable(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE):
        return False
    kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attrs, re.IGNORECASE)
    return kind is None or kind.group(1).lower() in ("text/javascript", "module", "application/javascript")


def policy(page_html: str) -> str:
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode() + "'"
            for m in _INLINE_SCRIPT.finditer(page_html)
            if _executable(m.group("attrs"))
        }
    )
    scripts = " ".join(["'self'", *hashes])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'; "
        "frame-src 'none'; worker-src 'self' blob:"
    )


def add_policy(page_html: str) -> str:
    """The page with its policy as the first thing in ``<head>`` (after the charset), before any script."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(page_html)}">'
    anchor = _CHARSET.search(page_html) or _HEAD.search(page_html)
    if anchor is None:
        return page_html
    return page_html[: anchor.end()] + meta + page_html[anchor.end() :]
