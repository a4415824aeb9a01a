"""The article body: Markdown into addressable blocks and sentences, and finding quotes in it.

Provenance depends on this module: every quote on a page links to the sentence (or, when it
spans sentences, the paragraph) it came from, so a reader can check it in one click.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import markdown

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6"}
_INLINE_TAGS = {"em", "strong", "a", "code"}
_DEMOTED = {f"h{n}": f"h{n + 1}" for n in range(1, 6)}
_ALLOWED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
                 "code", "em", "strong", "a", "span", "hr"}
# Python-Markdown is quadratic in unmatched '['; past this many in one paragraph it takes
# seconds, so such a paragraph is refused with a hint to escape them.
MAX_BRACKETS_PER_PARAGRAPH = 200

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2026": "...",
    # Invisible, and meaningless to a reader: pasted from web pages, where they let long
    # words break, they must not make a quote differ from what the page shows.
    "\u200b": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
}


class Sentence(NamedTuple):
    id: str
    text: str


class Block(NamedTuple):
    """A paragraph, heading or list item of the article, with its sentences. (Named tuples:
    an article has dozens, and a frozen dataclass is several times slower to make.)"""

    id: str
    text: str
    sentences: tuple[Sentence, ...]
    starts: tuple[int, ...]  # offset of each sentence in `text`
    folded: str  # `text` normalised for finding quotes


@dataclass(frozen=True)
class Article:
    html: str  # sanitised; sentences wrapped in <span class="sentence" id="sN">
    text: str  # what a reader sees, for comparing words with the seed
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Located:
    """Where a quote was found: the element a link to it should target, the paragraph (its
    index in Article.blocks) and the quote's place in that paragraph's text."""

    target: str
    block: int
    start: int
    end: int  # just past the quote's last character


@dataclass(frozen=True)
class NotFound:
    message: str


_FOLD_ITEMS = tuple(_FOLD.items())
# A run of white space, one character to fold, or a run of anything else.
_TOKEN = re.compile("\\s+|[" + re.escape("".join(_FOLD)) + "]|[^\\s" + re.escape("".join(_FOLD))
                    + "]+")


def normalize(text: str) -> str:
    """Fold what differs between a typed quote and the article: Unicode form, quotation marks,
    apostrophes, dashes and runs of white space. Everything else must match exactly."""
    folded = unicodedata.normalize("NFC", text)
    # Every character to fold is outside ASCII. A replace per character present is far
    # quicker than str.translate, which looks up each character of a non-ASCII text in turn
    # (0.2 ms for an article of 3,000 characters; the build folds each article twice).
    if not folded.isascii():
        for char, replacement in _FOLD_ITEMS:
            if char in folded:
                folded = folded.replace(char, replacement)
    # split() with no separator breaks at the same white space as the pattern \s, faster.
    return " ".join(folded.split())


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """What normalize() gives and, for each of its characters, the offset it came from."""
    out: list[str] = []
    offsets: list[int] = []
    for match in _TOKEN.finditer(unicodedata.normalize("NFC", text)):
        piece, at = match.group(), match.start()
        if piece[0].isspace():
            if out and out[-1] != " ":  # white space on both sides of an ignored character
                out.append(" ")
                offsets.append(at)
        elif piece in _FOLD:
            folded = _FOLD[piece]
            if not folded:
                continue
            out.append(folded)
            offsets.extend([at] * len(folded))
        else:
            out.append(piece)
            offsets.extend(range(at, at + len(piece)))
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


def _same_positions(block: Block) -> bool:
    """Whether each character of the block's folded text is at its place in the text. So it
    is when folding changed characters one for one (quotation marks, apostrophes, dashes, a
    line break for a space), as in most paragraphs of news copy: an ellipsis is the one fold
    that lengthens the text, and every other change shortens it."""
    return block.folded == block.text or (
        len(block.folded) == len(block.text) and "\u2026" not in block.text)


def words(text: str) -> list[str]:
    return normalize(text).split(" ") if text.strip() else []


def locate(article: Article, quote: str) -> Located | NotFound:
    """Find a quote in the article and name the sentence, or paragraph, holding all of it."""
    wanted = normalize(quote)
    if not wanted:
        return NotFound("quote is empty")
    for index, block in enumerate(article.blocks):
        at = block.folded.find(wanted)
        if at < 0:
            continue
        if _same_positions(block):
            start, end = at, at + len(wanted) - 1
        else:
            offsets = _normalize_with_offsets(block.text)[1]
            start, end = offsets[at], offsets[at + len(wanted) - 1]
        for sentence, s_start in zip(block.sentences, block.starts, strict=True):
            if s_start <= start and end < s_start + len(sentence.text):
                return Located(sentence.id, index, start, end + 1)
        return Located(block.id, index, start, end + 1)
    if wanted in normalize(article.text):
        return NotFound("quote runs across two paragraphs; quote each part separately")
    closest = closest_passage(article, wanted)
    hint = f"; closest passage: \u201c{closest}\u201d" if closest else ""
    return NotFound(f"quote not found in the article{hint}")


_OPENING_DOUBLE = "\u201c\u201e\u00ab"
_CLOSING_DOUBLE = "\u201d\u00bb"
# Every character quotation_pairs acts on: it looks at these and at their neighbours only.
_MARKS = re.compile("[\"'\u2018\u2019" + _OPENING_DOUBLE + _CLOSING_DOUBLE + "]")


def quotation_pairs(text: str) -> list[tuple[int, int]]:
    """(opening, closing) offsets of each pair of quotation marks in a text, outer pairs
    before the pairs nested in them. Double marks, curly or straight, and single ones (‘ ’,
    or straight ' at the edges of words) nested in them or standing alone; a ’ or ' with a
    letter after it is an apostrophe. A quotation still open at the end of the text (news
    copy leaves one open when a quote runs on into the next paragraph) closes there."""
    return pairs_from_marks(text, ((found.start(), found.group())
                                   for found in _MARKS.finditer(text)))


def pairs_from_marks(text: str, marks: Iterable[tuple[int, str]]) -> list[tuple[int, int]]:
    """quotation_pairs, from the (offset, character) of the text's marks, in order: any other
    character is passed over, so `enumerate(text)` gives the same pairs."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (kind of mark, offset) of each quotation still open
    last = len(text) - 1
    for at, char in marks:
        after = text[at + 1] if at < last else " "
        before = text[at - 1] if at else " "
        if char in _OPENING_DOUBLE:
            stack.append(('"', at))
        elif char in _CLOSING_DOUBLE or char == '"':
            if any(kind == '"' for kind, _ in stack):
                while stack:
                    kind, opened = stack.pop()
                    if kind == '"':
                        pairs.append((opened, at))
                        break
            elif char == '"':
                stack.append(('"', at))
        elif char == "\u2018" or (char == "'" and not before.isalnum() and after.isalnum()):
            stack.append(("'", at))
        elif char in "\u2019'" and not after.isalnum() and stack and stack[-1][0] == "'":
            pairs.append((stack.pop()[1], at))
    pairs.extend((opened, len(text)) for _, opened in stack)
    return sorted(pairs)


def inside_quotation(block: Block, start: int, end: int) -> bool:
    """Whether text[start:end] of the block lies within one pair of quotation marks (the
    words between them, or the words with the marks)."""
    return any(opened <= start and end <= closed + 1
               for opened, closed in quotation_pairs(block.text))


def names_in(block: Block, names: tuple[str, ...]) -> bool:
    """Whether the block names any of these, as whole words, in any case, a leading 'the'
    aside ('The Kremlin' is named by "the Kremlin's statement")."""
    folded = block.folded.casefold()
    for name in names:
        wanted = normalize(re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)).casefold()
        if wanted and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded):
            return True
    return False


def closest_passage(article: Article, wanted: str) -> str | None:
    """The run of article words, as long as the quote, that is most like it."""
    size = len(wanted.split(" "))
    candidates = []
    for block in article.blocks:
        ws = words(block.text)
        candidates.extend(" ".join(ws[i:i + size]) for i in range(max(1, len(ws) - size + 1)))
    best = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.6)
    return best[0] if best else None


def count_brackets(body: str) -> list[tuple[int, int]]:
    """(line, count) for each paragraph with too many unescaped '[' for Markdown to parse fast."""
    if body.count("[") <= MAX_BRACKETS_PER_PARAGRAPH:  # as in nearly every article
        return []
    found = []
    line_no, count, start = 0, 0, 1
    for line_no, line in enumerate([*body.split("\n"), ""], 1):
        if not line.strip():
            if count > MAX_BRACKETS_PER_PARAGRAPH:
                found.append((start, count))
            count, start = 0, line_no + 1
            continue
        count += len(re.findall(r"(?<!\\)[\[]", line))
    return found


class ArticleParser:
    """Turns Markdown bodies into Articles. One per build; it reuses a Markdown instance."""

    def __init__(self, language: str = "en", guards: bool = True) -> None:
        """`guards`: skip Markdown's work that cannot change the result (markdown_guards)."""
        # Imported here: validation and a build with nothing to render use the rest of this
        # module without Python-Markdown, nh3 and sentencex.
        import markdown
        import nh3
        import sentencex

        from generator import markdown_guards

        self._clean, self._sentences_of = nh3.clean, sentencex.segment
        self._language = language
        self._md = markdown.Markdown(output_format="html")
        # Raw HTML and entities in an article become visible text, never markup.
        self._md.preprocessors.deregister("html_block")
        for name in ("html", "entity", "image_link", "image_reference", "short_image_ref",
                     "linebreak"):
            self._md.inlinePatterns.deregister(name)
        if guards:
            markdown_guards.install(self._md)
        self._collector = _Sentences(self._md, self._segment)
        # After 'unescape' (priority 0), so the tree holds the final text.
        self._md.treeprocessors.register(self._collector, "sentences", -10)

    def _segment(self, text: str) -> list[str]:
        return list(self._sentences_of(self._language, text))

    def parse(self, body: str, language: str | None = None) -> Article:
        if language:
            self._language = language.split("-")[0]
        self._md.reset()
        body = unicodedata.normalize("NFC", body)
        html = self._md.convert(body)
        clean = self._clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"*": {"id", "class"}, "a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
        return Article(html=clean, text=self._collector.text, blocks=self._collector.blocks)


class _Sentences:
    """Gives each block an id and wraps each sentence in an addressable span: one of
    Markdown's tree processors (which need only `run`)."""

    def __init__(self, md: markdown.Markdown, segment) -> None:
        self.md = md
        self._segment = segment
        self.blocks: tuple[Block, ...] = ()
        self.text = ""

    def run(self, root: ET.Element) -> None:
        blocks: list[Block] = []
        sentence_count = 0
        self.text = "".join(root.itertext())
        for element in root.iter():
            tag = element.tag
            if tag in _DEMOTED:
                # The page's own sections are h2; the article's headings sit below them.
                element.tag = tag = _DEMOTED[tag]
            if tag not in _BLOCK_TAGS:
                continue
            if len(element):
                if _has_block_children(element):
                    continue
                text = "".join(element.itertext())
            else:
                text = element.text or ""
            if not text.strip():
                continue
            pieces, starts = _split(text, self._segment(text))
            sentences = tuple([Sentence(f"s{n}", piece)
                               for n, piece in enumerate(pieces, sentence_count + 1)])
            sentence_count += len(sentences)
            block = Block(f"p{len(blocks) + 1}", text, sentences, tuple(starts),
                          normalize(text))
            blocks.append(block)
            element.set("id", block.id)
            _wrap_sentences(element, block)
        self.blocks = tuple(blocks)


def _has_block_children(element: ET.Element) -> bool:
    return any(child.tag not in _INLINE_TAGS for child in element)


def _split(text: str, pieces: list[str]) -> tuple[list[str], list[int]]:
    """Locate the segmenter's sentences in the text, trimming the white space around them."""
    found, starts, cursor = [], [], 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        at = text.find(stripped, cursor)
        if at < 0:  # the segmenter changed the text; fall back to one sentence for the rest
            rest = text[cursor:].strip()
            if rest:
                found.append(rest)
                starts.append(text.index(rest, cursor))
            break
        found.append(stripped)
        starts.append(at)
        cursor = at + len(stripped)
    return found, starts


def _wrap_sentences(element: ET.Element, block: Block) -> None:
    """Rebuild the element's content with each sentence in a span, splitting inline markup
    (emphasis, links, code) at sentence boundaries so the tree stays well nested."""
    if not len(element):
        _wrap_plain(element, block)
        return
    runs = list(_flatten(element, ()))
    chars: list[tuple[str, tuple[ET.Element, ...]]] = [
        (char, path) for text, path in runs for char in text
    ]
    for child in list(element):
        element.remove(child)
    element.text = None
    cursor = 0

    def emit(parent: ET.Element, start: int, end: int) -> None:
        i = start
        while i < end:
            path = chars[i][1]
            j = i
            while j < end and chars[j][1] is path:
                j += 1
            text = "".join(c for c, _ in chars[i:j])
            if not path:
                _append_text(parent, text)
            else:
                outer = inner = ET.Element(path[0].tag, dict(path[0].attrib))
                for wrapper in path[1:]:
                    inner = ET.SubElement(inner, wrapper.tag, dict(wrapper.attrib))
                inner.text = text
                parent.append(outer)
            i = j

    for sentence, start in zip(block.sentences, block.starts, strict=True):
        emit(element, cursor, start)
        span = ET.SubElement(element, "span", {"class": "sentence", "id": sentence.id})
        emit(span, start, start + len(sentence.text))
        cursor = start + len(sentence.text)
    emit(element, cursor, len(chars))


def _wrap_plain(element: ET.Element, block: Block) -> None:
    """The common case, a block of plain text: slice it, no per-character work."""
    text = block.text
    element.text = text[:block.starts[0]] if block.starts else text
    span, span_end = None, 0
    for sentence, start in zip(block.sentences, block.starts, strict=True):
        if span is not None:
            span.tail = text[span_end:start]
        span = ET.SubElement(element, "span", {"class": "sentence", "id": sentence.id})
        span.text = sentence.text
        span_end = start + len(sentence.text)
    if span is not None:
        span.tail = text[span_end:]


def _append_text(parent: ET.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _flatten(element: ET.Element, path: tuple[ET.Element, ...]):
    """(text, inline ancestors) runs in reading order."""
    if element.text:
        yield element.text, path
    for child in element:
        yield from _flatten(child, (*path, child))
        if child.tail:
            yield child.tail, path
