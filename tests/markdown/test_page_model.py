"""The page model (``mathwiki.pagemodel``) against what Python-Markdown and SuperFences really render.

Hypothesis writes pages from the blocks the wiki uses: paragraphs with code spans, fences with backticks or
tildes of any length (holding shorter fences and blank lines), fences in list items, admonitions and quotes,
indented code blocks, list items with indented paragraphs. Every page is rendered with SuperFences and a custom
fence that records the body it is handed. The model must find the same fences, in the same order, with the same
bodies, and must call code exactly the words that the HTML shows inside ``<code>``.
"""

from __future__ import annotations

import html
import itertools
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mathwiki import pagemodel
from mathwiki.fences import same_body

_counter = itertools.count()


def _token() -> str:
    return f"tok{next(_counter):05d}x"


def _key(word: str) -> str:
    return word.strip("`.,")


class _CodeWords(HTMLParser):
    """The words of the page and whether each sits inside a ``<code>`` element."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.words: dict[str, bool] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.depth += tag == "code"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "code"

    def handle_data(self, data: str) -> None:
        for word in data.split():
            if word.startswith("tok"):
                self.words[_key(word)] = self.depth > 0


def _render(text: str) -> tuple[list[str], dict[str, bool]]:
    bodies: list[str] = []

    def record(source: str, language: str, css_class: str, options: dict, md: object, **kwargs: object) -> str:
        bodies.append(source)
        return f'<pre class="rec"><code>{html.escape(source)}</code></pre>'

    md = markdown.Markdown(
        extensions=["pymdownx.superfences", "admonition"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [{"name": "rec", "class": "rec", "format": record, "validator": lambda *a: True}]
            }
        },
    )
    parser = _CodeWords()
    parser.feed(md.convert(text))
    return bodies, parser.words


def _model_words(text: str) -> dict[str, bool]:
    model = pagemodel.read(text)
    found = {}
    for index, line in enumerate(text.split("\n")):
        start = 0
        for word in line.split():
            at = line.index(word, start)
            start = at + len(word)
            if not word.startswith("tok"):
                continue
            offset = sum(len(x) + 1 for x in text.split("\n")[:index]) + at
            found[_key(word)] = model.code[index] or not model.prose[offset : offset + len(word)].strip("` ")
    return found


@st.composite
def _fence(draw: st.DrawFn, prefix: str = "") -> str:
    char = draw(st.sampled_from("`~"))
    size = draw(st.integers(3, 5))
    lang = draw(st.sampled_from(["rec", "rec", "{.rec}", ".rec", "text", "python"]))
    header = draw(st.sampled_from(["", ' title="t"', " linenums=1", ' hl_lines="1"'])) if "rec" not in lang else ""
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["word", "word", "blank", "inner", "hash"]))
        if kind == "word":
            lines.append(f"{draw(st.sampled_from(['', '  ', '    ']))}code {_token()}")
        elif kind == "blank":
            lines.append("")
        elif kind == "inner" and size > 3:  # a shorter fence of the same kind: text of the block
            lines.append(char * 3 + draw(st.sampled_from(["", "md"])))
        else:
            lines.append(f"## heading {_token()}")
    closing = char * draw(st.sampled_from([size, size, size, size + 1]))  # a longer run is body text
    if draw(st.integers(0, 9)) == 0:
        lines.append("outdented line")  # in a list or quote: leaves the fence, which is then no fence at all
    fence = [char * size + lang + header, *lines, closing]
    return "\n".join(
        line if line == "outdented line" else prefix + line if line or prefix.strip() == "" else prefix.rstrip()
        for line in fence
    )


@st.composite
def _block(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "paragraph",
                "span",
                "fence",
                "fence",
                "list",
                "tab",
                "nested",
                "admonition",
                "quote",
                "indented",
                "listcont",
            ]
        )
    )
    if kind == "paragraph":
        return f"Some words {_token()} and more {_token()}."
    if kind == "span":
        ticks = draw(st.sampled_from(["`", "``"]))
        return f"Text {_token()} with {ticks}code {_token()}{ticks} after {_token()}."
    if kind == "fence":
        return draw(_fence())
    if kind == "list":
        return f"- item {_token()}\n\n" + draw(_fence("    "))
    if kind == "tab":
        return f"* item {_token()}\n\n" + draw(_fence("\t"))
    if kind == "nested":
        return f"- outer {_token()}\n\n    - inner {_token()}\n\n" + draw(_fence("        "))
    if kind == "admonition":
        return f'!!! note "Note"\n\n    Inside {_token()}.\n\n' + draw(_fence("    "))
    if kind == "quote":
        return f"> Quoted {_token()}.\n>\n" + draw(_fence("> "))
    if kind == "indented":
        return f"Before {_token()}.\n\n    indented code {_token()}\n    more {_token()}\n\nAfter {_token()}."
    return f"1. first {_token()}\n\n    continued {_token()}, not code\n\n2. second {_token()}"


pages = st.lists(_block(), min_size=1, max_size=7).map(lambda blocks: "\n\n".join(blocks) + "\n")


@settings(
    max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(pages)
def test_the_model_reads_fences_and_code_as_superfences_renders_them(text: str) -> None:
    bodies, rendered = _render(text)
    model = pagemodel.read(text)
    scanned = [fence.body for fence in model.fences_of("rec")]
    assert len(scanned) == len(bodies), text
    assert all(same_body(a, b) for a, b in zip(bodies, scanned, strict=True)), text
    assert [fence.ordinal for fence in model.fences_of("rec")] == list(range(len(bodies)))
    words = _model_words(text)
    for word, in_code in rendered.items():
        assert words.get(word) == in_code, (word, in_code, text)


def test_a_longer_fence_holding_a_heading_is_code_for_every_reader() -> None:
    text = "---\ntitle: T\n---\n\n````md\n```\n## Used In\n```\n````\n\n## Real\n"
    model = pagemodel.read(text)
    assert [(h.text, h.line) for h in model.headings] == [("Real", 11)]
    assert [(f.line, f.end_line, f.body) for f in model.fences] == [(5, 9, "```\n## Used In\n```")]


def test_wikilinks_and_links_skip_code_and_maths_and_keep_their_lines() -> None:
    text = "A [[B]] and `[[C]]` and $R[[x]]$\n\n```\n[[D]] [e](e.md)\n```\n\n    [f](f.md)\n\n[g](g.md) [[H|h]]\n"
    model = pagemodel.read(text, front_matter=False)
    assert [(w.inner, w.line) for w in model.wikilinks] == [("B", 1), ("H|h", 9)]
    assert [(link.target, link.line) for link in model.links] == [("g.md", 9)]
    assert all(text[w.start : w.end] == f"[[{w.inner}]]" for w in model.wikilinks)


_HEADS = st.sampled_from(
    [
        "---\ntitle: T\n---\n",
        "---\ntitle: T\n---\n\n\n",
        "---\ntitle: T\nuses: [A, B]\n---\n\n",
        "---\ntitle: T\n...\n\n",  # MkDocs closes with '...' too
        "---\ntitle: [unclosed\n---\n\n",  # not YAML: MkDocs keeps it in the body
        "---\n- a list\n---\n\n",  # not a mapping: MkDocs keeps it in the body
        "",
    ]
)


def _with_links(text: str) -> str:
    return (
        text.replace("Some words", "Some [words](w.md#part)")
        .replace("with `", "[with](x.md) `")
        .replace("indented code", "indented [code](c.md)")
        .replace("Inside", "## Inside [i](i.md)\n\nInside")
    )


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_HEADS, pages.map(_with_links))
def test_the_file_model_stands_for_the_body_mkdocs_passes_whenever_it_says_so(head: str, body: str) -> None:
    """hooks/links.py and hooks/maths.py read a page's links and code lines from the model of the whole file
    when ``body_shift`` says MkDocs' body is its page after the front matter: then the links, headings, fences and
    code flags must be the body's own, the front matter's lines further down."""
    from mkdocs.utils.meta import get_data

    text = head + body
    markdown, _ = get_data(text)
    whole = pagemodel.read(text)
    alone = pagemodel.read(markdown, front_matter=False)
    shift = pagemodel.body_shift(whole, markdown)
    if shift is None:
        assert markdown == text or whole.front_matter is None, (head, "a clean front matter must be recognised")
        return
    assert shift == text[: len(text) - len(markdown)].count("\n")
    assert whole.code[shift:] == alone.code
    assert [(k.target, k.line - shift) for k in whole.links] == [(k.target, k.line) for k in alone.links]
    assert [(h.text, h.level, h.line - shift) for h in whole.headings] == [
        (h.text, h.level, h.line) for h in alone.headings
    ]
    assert [(f.name, f.body, f.line - shift) for f in whole.fences] == [(f.name, f.body, f.line) for f in alone.fences]


def test_body_shift_refuses_a_changed_body_and_a_page_without_front_matter() -> None:
    text = "---\ntitle: T\n---\n\n[a](a.md)\n"
    model = pagemodel.read(text)
    assert pagemodel.body_shift(model, "[a](a.md)\n") == 4
    assert pagemodel.body_shift(model, "\n[a](a.md)\n") == 3
    assert pagemodel.body_shift(model, "[b](a.md)\n") is None  # an earlier hook rewrote it
    assert pagemodel.body_shift(model, "a](a.md)\n") is None  # a suffix that is not whole lines
    assert pagemodel.body_shift(model, "title: T\n---\n\n[a](a.md)\n") is None
    bare = pagemodel.read("[a](a.md)\n")
    assert pagemodel.body_shift(bare, "[a](a.md)\n") is None
