"""Characters and constructs that text pasted from web pages, terminals and word processors
brings along, which a reader cannot see or which change what is published: control
characters, line separators that YAML counts as line breaks and editors do not, invisible
joiners, bidirectional controls, ' #' cutting a value short, and Markdown nested deeper than
Python-Markdown can parse.

Each check takes text (and where it starts) and returns problems or a message; the stages
call them (load.py before YAML reads the front matter, validate.py on every text field and
on the body), so a file gets every one of its problems at once, each at the line and column
an editor shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import yaml

from generator.errors import Problem

# C0 and C1 control characters, DEL included, but not tab and line feed (the white space a
# YAML value and Markdown keep). A carriage return is refused too: line endings are made
# line feeds when a file is read, so one left in text came from an escape ("\r"), and it
# moves a terminal's cursor back over what was printed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What YAML reads as a line break and editors show on one line (or not at all): the
# line numbers of every later problem would be off.
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
# Explicit bidirectional embeddings, overrides and isolates: they make text display in
# another order than it is written ("Trojan Source"). The marks U+200E, U+200F and U+061C
# are left alone: they only set the direction of the characters around them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Invisible characters that change a word without changing how it looks. The invisible ones
# with no meaning to a reader (zero width space, word joiner, U+FEFF, soft hyphen) are
# ignored when quotes are compared (article.normalize); these are not, as they spell words
# in Persian, Hindi and emoji, so a quote holding one the article lacks is named (as is a
# bidirectional control or mark, which a quote may hold if the article does).
_INVISIBLE_IN_QUOTES = re.compile(
    "[\u200c\u200d\u034f\u180e\u2061-\u2064\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
# Python-Markdown parses each level of a nested list or quote by calling itself again, and
# slower and slower (a list 200 levels deep takes a fifth of a second, 400 exhaust Python's
# stack). News copy nests two or three levels; this many is refused before parsing.
MAX_NESTING = 32
# The start of a line that nests: indentation, '>' and list markers, in any mix.
_NESTING_PREFIX = re.compile(r"(?:[ \t]|>|[-*+][ \t]|\d{1,9}[.)][ \t])*")
_MARKERS = re.compile(r">[ \t]?|(?:[-*+]|\d{1,9}[.)])[ \t]")

_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)
_OTHER_NAMES = {"\x7f": "DELETE", "\x85": "NEXT LINE"}
# Where a plain value could be cut short: ' #' after its last character, never white space.
_CUT = re.compile(r"[^ \t\n] #")


def describe(char: str) -> str:
    """A character as a message names it: 'U+001B (ESCAPE)', never the character itself."""
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code]
    else:
        name = _OTHER_NAMES.get(char) or unicodedata.name(char, "a C1 control character")
    return f"U+{code:04X} ({name})"


def _positions(pattern: re.Pattern[str], text: str, first_line: int
               ) -> Iterator[tuple[int, int, str]]:
    """(line, column, character) of each match, lines counted at line feeds only, as
    editors count them, columns in characters from 1."""
    for match in pattern.finditer(text):
        at = match.start()
        line_start = text.rfind("\n", 0, at) + 1
        yield first_line + text.count("\n", 0, at), at - line_start + 1, match.group()


def raw_characters(text: str, display: str, first_line: int, field: str) -> list[Problem]:
    """Control characters and YAML's extra line breaks written into YAML text, at the line
    and column where an editor shows them. Found before YAML reads the text: it would
    refuse the first control character with an offset, not a line, and count the line
    separators as line breaks."""
    problems: list[Problem] = []
    for line, col, char in _positions(_CONTROL, text, first_line):
        if _YAML_BREAKS.match(char):
            continue  # U+0085, named below as the line break YAML reads it as
        problems.append(Problem(display, line, col, field, f"control character "
                                f"{describe(char)} is not allowed; delete it"))
    for line, col, char in _positions(_YAML_BREAKS, text, first_line):
        problems.append(Problem(
            display, line, col, field, f"{describe(char)} is not allowed: YAML reads it as a "
            "line break where an editor shows none; replace it with a space"))
    return problems


def body_problems(body: str, display: str, first_line: int) -> list[Problem]:
    """Control characters in the article, and Markdown nested too deep to parse. The page
    would carry the former (Python-Markdown also uses two of them as its own markers)."""
    problems = [
        Problem(display, line, col, "body", f"control character {describe(char)} is not "
                "allowed; delete it (and from the seed, if it is there too)")
        for line, col, char in _positions(_CONTROL, body, first_line)
    ]
    problems.extend(_nesting_problems(body, display, first_line))
    return problems


def _nesting_problems(body: str, display: str, first_line: int) -> list[Problem]:
    for n, line in enumerate(body.split("\n")):
        depth = _nesting(line)
        if depth > MAX_NESTING:
            return [Problem(display, first_line + n, None, "body", f"nested {depth} levels "
                            f"deep (lists, quotes or indentation); the limit is {MAX_NESTING}")]
    return []


def _nesting(line: str) -> int:
    """How many levels a line opens: one per '>' and list marker at its start, one per four
    columns of indentation (Python-Markdown's tab width)."""
    prefix = _NESTING_PREFIX.match(line).group()  # type: ignore[union-attr]
    if len(prefix) <= MAX_NESTING:
        return 0  # each level takes a character at least
    indent, markers = _MARKERS.subn("", prefix)
    return markers + (indent.count(" ") + 4 * indent.count("\t")) // 4


def value_problem(text: str, is_quote: bool) -> str | None:
    """Why a front-matter text value cannot be published, or None. Its raw characters were
    checked as written; these came from YAML's escapes ("\\e", "\\x1b", "\\u202e")."""
    if text.isprintable():
        return None  # as nearly every value: a control or format character is not printable
    if found := _CONTROL.search(text):
        return (f"control character {describe(found.group())} is not allowed (in double "
                "quotes, YAML makes one of an escape such as \\e or \\x1b); delete it")
    if found := _YAML_BREAKS.search(text):
        return f"{describe(found.group())} is not allowed; replace it with a space"
    if not is_quote and (found := _BIDI.search(text)):
        return (f"bidirectional control {describe(found.group())} is not allowed: it makes "
                "text display in another order than it is written; delete it")
    return None


def quote_problem(quote: str, article_text: str) -> str | None:
    """An invisible character in a quote that the article does not hold (a joiner, or a
    bidirectional control or mark): the quote cannot be found, and would look the same as
    the passage it should match."""
    for found in _INVISIBLE_IN_QUOTES.finditer(quote):
        if found.group() not in article_text:
            return (f"quote holds {describe(found.group())}, which does not show and is not "
                    "in the article; delete it")
    return None


def comment_cuts(node: yaml.Node, lines: list[str], display: str,
                 first_line: int) -> list[Problem]:
    """Plain (unquoted) values followed by ' #' and more on their line: YAML reads that as a
    comment, so 'Ceasefire talks #2 explained' publishes as 'Ceasefire talks'. A comment
    meant as one is written two spaces after the value, as YAML style guides ask."""
    if not _CUT.search("\n".join(lines)):
        return []  # no ' #' right after a character a plain value can end with
    return cuts_in_values(node, lines, display, first_line)


def cuts_in_values(node: yaml.Node, lines: list[str], display: str,
                   first_line: int) -> list[Problem]:
    """comment_cuts, looking at every plain value."""
    problems = []
    for scalar, path in _plain_values(node):
        end = scalar.end_mark
        rest = lines[end.line][end.column:] if end.line < len(lines) else ""
        if rest.startswith(" #"):  # one space: two would be a comment written as one
            problems.append(Problem(
                display, first_line + end.line, end.column + 2, path,
                f"the value ends at '{scalar.value}': YAML reads '{rest.strip()}' as a "
                "comment; put the whole value in quotes (or, for a comment, leave two "
                "spaces before '#')"))
    return problems


def _plain_values(root: yaml.Node) -> Iterator[tuple[yaml.ScalarNode, str]]:
    """Every unquoted scalar value with its field path ('actors[0].name'), walked without
    recursion: YAML may nest a thousand levels."""
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            prefix = f"{path}." if path else ""
            stack.extend((value, prefix + str(key.value)) for key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            items = list(enumerate(node.value))
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(items))
        elif isinstance(node, yaml.ScalarNode) and not node.style and path:  # libyaml: ""
            yield node, path
