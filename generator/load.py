"""Stage 1, load: read a content file and split it into YAML front matter and Markdown body.

Nothing here knows the explainer schema; it only turns bytes into a YAML node tree (which keeps
line numbers) and the body text, or reports why it cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from generator import text_checks
from generator.errors import ContentError, Problem

# libyaml, about ten times faster than PyYAML's pure-Python loader; both compose the same nodes.
LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1_000_000
FENCE = "---"
_TAB_IN_INDENT = re.compile(r"^[ \-?:]*\t")


@dataclass(frozen=True)
class SourceFile:
    """A content file split into its parts, with the line each part starts on (1-based)."""

    display: str
    front: yaml.MappingNode
    front_line: int
    body: str
    body_line: int
    # Found while loading, and reported with validation's: a value YAML cut short at ' #'.
    problems: tuple[Problem, ...] = ()


def parse_source(data: bytes, display: str) -> SourceFile:
    """Split raw file bytes into front matter nodes and body."""

    def fail(line: int | None, col: int | None, field: str, message: str) -> ContentError:
        return ContentError([Problem(display, line, col, field, message)])

    if len(data) > MAX_BYTES:
        raise fail(None, None, "file", f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    text = _decode(data, display)
    if not text.strip():
        raise fail(1, 1, "file", "file is empty; it needs front matter between '---' lines "
                   "and the article below")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise fail(1, 1, "front matter", "the file must start with a line '---' before the "
                   "front matter (did you forget the opening '---'?)")
    close = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in (FENCE, "...")),
                 None)
    if close is None:
        raise fail(1, 1, "front matter", "front matter is not closed: add a line '---' between "
                   "it and the article")
    front_text = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1:])
    front_line, body_line = 2, close + 2

    problems = _tab_problems(lines[1:close], display, front_line)
    problems += text_checks.raw_characters(front_text, display, front_line, "front matter")
    if not front_text.strip():
        problems.append(Problem(display, 1, 1, "front matter", "front matter is empty"))
    else:
        problems.extend(_reject_anchors(front_text, display, front_line))
    if not body.strip():
        problems.append(Problem(display, body_line, None, "body",
                                "the article is missing below the front matter"))
    if problems:
        raise ContentError(problems)

    node = _compose(front_text, display, front_line)
    if not isinstance(node, yaml.MappingNode):
        line = front_line + node.start_mark.line if node is not None else front_line
        raise fail(line, 1, "front matter", "front matter must be 'key: value' lines")
    cuts = text_checks.comment_cuts(node, lines[1:close], display, front_line)
    return SourceFile(display, node, front_line, body, body_line, tuple(cuts))


def parse_yaml_file(data: bytes, display: str) -> yaml.MappingNode | None:
    """A whole-file YAML mapping (the site settings), with the same checks as front matter;
    None for an empty file."""
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(display, None, None, "file",
                                    f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")])
    text = _decode(data, display)
    if not text.strip():
        return None
    lines = text.split("\n")
    problems = _tab_problems(lines, display, 1)
    problems += text_checks.raw_characters(text, display, 1, "settings")
    problems.extend(_reject_anchors(text, display, 1))
    if problems:
        raise ContentError(problems)
    node = _compose(text, display, 1)
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        raise ContentError([Problem(display, node.start_mark.line + 1, 1, "settings",
                                    "settings must be 'key: value' lines")])
    cuts = text_checks.comment_cuts(node, lines, display, 1)
    if cuts:
        raise ContentError(cuts)
    return node


def _tab_problems(lines: list[str], display: str, first_line: int) -> list[Problem]:
    # libyaml accepts some tabs that the pure-Python loader rejects; refuse them all alike.
    if "\t" not in "".join(lines):
        return []
    return [
        Problem(display, first_line + n, line.index("\t") + 1, "front matter",
                "tab used for indentation; YAML needs spaces")
        for n, line in enumerate(lines)
        if _TAB_IN_INDENT.match(line)
    ]


def _decode(data: bytes, display: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise ContentError([Problem(
            display, line, col, "file",
            f"not valid UTF-8: byte 0x{data[err.start]:02x} at offset {err.start}; "
            "save the file as UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reject_anchors(front_text: str, display: str, front_line: int) -> list[Problem]:
    """Anchors and aliases can blow a small file up into a huge document: refuse them early,
    one problem per anchor, before anything is expanded."""
    if "&" not in front_text and "*" not in front_text:
        return []
    anchors: dict[str, yaml.Mark] = {}
    aliases: dict[str, int] = {}
    try:
        for event in yaml.parse(front_text, Loader=LOADER):
            if isinstance(event, yaml.AliasEvent):
                aliases[event.anchor] = aliases.get(event.anchor, 0) + 1
            elif getattr(event, "anchor", None):
                anchors.setdefault(event.anchor, event.start_mark)
    except yaml.YAMLError:
        pass  # the compose step reports syntax errors with their position
    problems = []
    for name, mark in anchors.items():
        uses = aliases.get(name, 0)
        used = f" ({uses} alias{'es use' if uses != 1 else ' uses'} it)" if uses else ""
        problems.append(Problem(display, front_line + mark.line, mark.column + 1,
                                "front matter", f"anchor '&{name}' is not allowed{used}; "
                                "write the text out in full"))
    return problems


def _compose(front_text: str, display: str, front_line: int) -> yaml.Node | None:
    try:
        return yaml.compose(front_text, Loader=LOADER)
    except RecursionError:
        # PyYAML's pure-Python composer calls itself for each level; libyaml stops at a
        # thousand levels with a syntax error.
        raise ContentError([Problem(display, front_line, None, "front matter",
                                    "YAML nested too deeply to read")]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = front_line + mark.line if mark else None
        col = mark.column + 1 if mark else None
        what = err.problem or err.context or "invalid YAML"
        if err.context and err.problem:
            what = f"{err.context}, {err.problem}"
        raise ContentError([Problem(display, line, col, "front matter",
                                    f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as err:
        raise ContentError([Problem(display, front_line, None, "front matter",
                                    f"YAML error: {err}")]) from None
