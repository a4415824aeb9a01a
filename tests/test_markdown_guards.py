"""The shortcuts markdown_guards takes through Python-Markdown change nothing: an article
parses to the same HTML, text and sentences with them as without."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.article import ArticleParser

_MARKDOWN_PIECES = ["word", "U.S.", " ", "\n", "\n\n", "*", "**", "_", "`", "\\", "[", "]",
                    "(", ")", "<", ">", "https://example.org", "a@b.org", "# ", "- ", "1. ",
                    "> ", "    ", "&amp;", "!", ":", "\"", "“", "[x]: https://example.org\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MARKDOWN_PIECES), max_size=40).map("".join))
def test_skipping_plain_text_in_the_inline_stage_changes_nothing(body):
    """Text without inline syntax skips Python-Markdown's inline patterns; the result must be
    what running every pattern over it gives."""
    ours, theirs = ArticleParser().parse(body), ArticleParser(guards=False).parse(body)
    assert (ours.html, ours.text, ours.blocks) == (theirs.html, theirs.text, theirs.blocks)


_BLOCK_PIECES = ["word", "U.S.", " ", "  ", "    ", "\n", "\n\n", "#", "# ", "## ", "###### ",
                 "-", "---", "- - -", "***", "* * *", "___", "_", "*", "=", "===", "\n=",
                 "\n-", "> ", ">", "1. ", "- ", "* ", "[x]: https://example.org", "[x]",
                 "]:", "[y]: <https://example.org> \"T\"", "\\#", "`#`"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_BLOCK_PIECES), max_size=40).map("".join))
def test_guarded_block_processors_parse_as_python_markdown_does(body):
    """Block processors whose patterns cannot match a block are skipped; the result must be
    what running every block processor's own test gives."""
    ours, theirs = ArticleParser().parse(body), ArticleParser(guards=False).parse(body)
    assert (ours.html, ours.text, ours.blocks) == (theirs.html, theirs.text, theirs.blocks)


def test_guarded_block_processors_still_find_every_kind_of_block():
    html = ArticleParser().parse("# Head\n\nSub\n===\n\n---\n\n> Said.\n\nSee [x].\n\n[x]: https://example.org\n"
                 ).html
    soup = BeautifulSoup(html, "html.parser")
    assert [t.name for t in soup.find_all(["h2", "h3", "hr", "blockquote"])] == [
        "h2", "h2", "hr", "blockquote"]
    assert soup.find("a")["href"] == "https://example.org"
