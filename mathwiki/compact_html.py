"""Whitespace in a finished page, cut down without changing what a reader sees.

Material's templates indent every nav item, so a pruned sidebar of a hundred links is mostly blank lines: about a
fifth of a topic page. A text node of whitespace alone, between two tags, renders as at most one space. So each
one becomes a single newline (or a single space if it held no line break). Nothing else changes: not the text,
not the tags, not the attribute values, not the comments, and nothing inside the elements that keep their
whitespace (``pre``, ``code``, ``kbd``, ``textarea``, ``script``, ``style``; Material prints ``code`` and
``kbd`` with ``white-space: pre-wrap``).

Where the page is not plain to read that way, it is left as it is, so the rule is only applied where it is exact:
a stretch between two kept elements that has an attribute value holding ``<`` or ``>`` (Markdown and the
sanitizer escape them, so this is rare) is not changed, and a kept element or comment that never closes keeps the
rest of the page. Inside a kept element nothing is read but its closing tag: the sanitizer and Pygments escape
every ``<`` in the page's own text, so the first ``</pre>`` closes the ``<pre>``.

Why not minify-html or htmlmin: minify-html also unquotes attributes and drops optional tags (the page changes
far beyond whitespace, and everything that reads the HTML as text would have to follow), and htmlmin is
unmaintained pure Python. This pass is a few regular expressions: about 1.5 ms for a 100 KB page, 3 ms for
200 KB. ``compact_around`` does not read the page's own content when it holds no run (Markdown and Temml
write none), which halves the time. Gzipped, a page is only about 3 % smaller: the gain is in the bytes a browser
parses, not in the bytes sent.
"""

from __future__ import annotations

import re

_KEPT_START = re.compile(r"<!--|<(pre|code|kbd|textarea|script|style)(?=[\s/>])", re.IGNORECASE)
_KEPT_END = {
    name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("pre", "code", "kbd", "textarea", "script", "style")
}
# An attribute value with an angle bracket: where it is, ``>`` and ``<`` do not mark tags alone.
_ANGLE_IN_VALUE = re.compile(r"""=\s*(?:"[^"<>]*[<>]|'[^'<>]*[<>])""")
_BREAKS = re.compile(r">(?=[ \t\r\n\f]{2})[ \t]*[\r\n\f][ \t\r\n\f]*<")
_ANY_RUN = re.compile(r">[ \t\r\n\f]{2,}<")
_SPACES = re.compile(r">[ \t]{2,}<")


def _squeeze(segment: str) -> str:
    if _ANGLE_IN_VALUE.search(segment):
        return segment  # not plain to read: left as it is
    return _SPACES.sub("> <", _BREAKS.sub(">\n<", segment))


_PRE = re.compile(r"<pre\b.*?</pre\s*>", re.IGNORECASE | re.DOTALL)
_WHOLE_CONTENT = 1000  # shorter page content could also occur elsewhere in the page: compact it with the rest


def compact_around(html: str, content: str) -> str:
    """``compact(html)``, with the page's own content (Markdown's HTML, which the theme inserts once, as it is)
    copied unread when it holds no run to cut outside its code blocks, as it mostly does not: a page's content is
    most of its bytes, and reading it would double the time for nothing. Short content, content not found, or
    content with a run is read with the rest. (Leaving a run is always safe: this can only compact less.)"""
    core = content.strip()  # the whitespace at its edges is compacted with the theme's part beside it
    at = html.find(core) if len(core) >= _WHOLE_CONTENT else -1
    if at < 0 or _ANY_RUN.search(_PRE.sub("", core)):  # a code block's indents are its own
        return compact(html)
    # each side is compacted with the content's edge character, so the runs beside it are between two tags too
    head = compact(html[:at] + core[0])[:-1]
    tail = compact(core[-1] + html[at + len(core) :])[1:]
    return head + core + tail


def compact(html: str) -> str:
    """The page with each whitespace-only text node between two tags cut to one character."""
    out: list[str] = []
    pos = scan = 0  # html[pos:] is not written yet; kept elements are looked for from scan on
    while (kept := _KEPT_START.search(html, scan)) is not None:
        start = kept.start()
        if kept.group(1) is None:
            close = html.find("-->", start + 4)
            end = -1 if close < 0 else close + 3
        else:
            closing = _KEPT_END[kept.group(1).lower()].search(html, kept.end())
            end = -1 if closing is None else closing.end()
        if end >= 0 and not _ANY_RUN.search(html, start, end):
            scan = end  # nothing in it the rule would change (inline code): no need to cut the page here
            continue
        out.append(_between(html, pos, start))
        if end < 0:
            out.append(html[start:])  # never closes: the rest of the page stays as it is
            return "".join(out)
        out.append(html[start:end])
        pos = scan = end
    out.append(_between(html, pos, len(html)))
    return "".join(out)


def _between(html: str, start: int, end: int) -> str:
    """``html[start:end]`` squeezed, with the characters either side: the ``>`` before it and the ``<`` after it
    bound a text node as well."""
    before, after = start > 0, end < len(html)
    squeezed = _squeeze(html[start - before : end + after])
    return squeezed[before : len(squeezed) - after]
