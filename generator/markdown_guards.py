"""Python-Markdown, spared work that cannot change its result: patterns tried on text that
cannot match them. ArticleParser installs these; tests/test_markdown_guards.py checks, on
random Markdown, that an article parses to the same HTML with and without them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# For some of Python-Markdown's block processors, a test a block must pass for the processor's
# regular expression to match it. Python-Markdown runs each expression over every block, and
# most blocks of an article are paragraphs none of them matches. Each test is implied by its
# expression (a header needs '#', a rule three '-', '_' or '*', a quote '>', a setext
# underline a line starting '=' or '-').
_BLOCK_NEEDS: dict[str, Callable[[str], bool]] = {
    "hashheader": lambda block: "#" in block,
    "setextheader": lambda block: "\n=" in block or "\n-" in block,
    "hr": lambda block: block.count("-") > 2 or block.count("_") > 2 or block.count("*") > 2,
    "quote": lambda block: ">" in block,
}

# Every inline pattern an article's parser keeps starts at one of these characters, or at a
# placeholder (\x02) the block parser left; text with none of them comes out of the inline
# stage as it went in.
_INLINE_SYNTAX = re.compile(r"[`\\\[<*_\x02]")


def install(md: markdown.Markdown) -> None:
    """Guard `md`'s block processors and let plain text skip its inline patterns."""
    processors = md.parser.blockprocessors
    for name, needs in _BLOCK_NEEDS.items():
        test = processors[name].test
        processors[name].test = (  # type: ignore[method-assign]
            lambda parent, block, test=test, needs=needs: needs(block) and test(parent, block))
    # A link reference definition ('[id]: url') always holds ']:'. This processor tests
    # nothing and searches in run(), which returns False when it finds none.
    run = processors["reference"].run
    processors["reference"].run = (  # type: ignore[method-assign]
        lambda parent, blocks, run=run: "]:" in blocks[0] and run(parent, blocks))
    md.treeprocessors.register(_PlainText(md), "plain_text", 25)  # before 'inline'


class _PlainText(Treeprocessor):
    """Marks text with no inline syntax as final (AtomicString, Python-Markdown's documented
    way), so the inline patterns skip it."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.text and not _INLINE_SYNTAX.search(element.text):
                element.text = AtomicString(element.text)
            if element.tail and not _INLINE_SYNTAX.search(element.tail):
                element.tail = AtomicString(element.tail)
