from __future__ import annotations

import os
from pathlib import Path

from mathwiki.pages import display_path, is_topic, line_offset, read_sources


def test_display_path_and_topic_rule(tmp_path: Path) -> None:
    assert display_path(tmp_path / "docs", "topics/a.md", tmp_path) == "docs/topics/a.md"
    assert is_topic("topics/math/a.md") and not is_topic("topics/math/index.md") and not is_topic("index.md")


def test_line_offset_counts_the_front_matter() -> None:
    source = "---\ntitle: A\n---\n\n## Head\ntext\n"
    assert line_offset(source, "## Head\ntext\n") + 1 == 5


def test_read_sources_reads_once_rereads_on_change_and_reports_unreadable(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "a.md"
    page.write_bytes("\ufeff---\ntitle: A\n---\n".encode())
    (docs / "bad.md").write_bytes(b"\xff\xfe\x00 not utf-8")
    (docs / "latin.md").write_bytes(b"---\ntitle: L\n---\nCaf\xe9 au lait\n")
    sources, problems = read_sources(docs, tmp_path, ["a.md", "bad.md", "latin.md", "gone.md"])
    assert sources[0].text == "---\ntitle: A\n---\n" and sources[0].readable  # the byte-order mark is dropped
    # A page that is not UTF-8 is still there to build, with its bad bytes replaced, and not readable.
    assert [(s.src_uri, s.readable) for s in sources] == [("a.md", True), ("bad.md", False), ("latin.md", False)]
    assert sources[2].text == "---\ntitle: L\n---\nCaf\ufffd au lait\n"
    assert [(p.path, p.line) for p in problems] == [("docs/bad.md", 1), ("docs/latin.md", 4), ("docs/gone.md", 1)]
    assert "not UTF-8 text: byte 0xe9 at column 4" in problems[1].message
    assert "cannot read the page" in problems[2].message
    assert read_sources(docs, tmp_path, ["latin.md"])[1] == [problems[1]]  # from the cache, the same problem

    page.write_text("---\ntitle: Changed\n---\n", encoding="utf-8")
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert read_sources(docs, tmp_path, ["a.md"])[0][0].text == "---\ntitle: Changed\n---\n"
