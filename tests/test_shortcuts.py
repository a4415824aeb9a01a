"""Shortcuts through the checks of a page change nothing: each gives what the plain way,
kept here or in the module, gives on random input."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import text_checks
from generator.article import pairs_from_marks, quotation_pairs
from generator.load import LOADER


def _pairs_char_by_char(text: str) -> list[tuple[int, int]]:
    """article.quotation_pairs as it was written first: every character looked at."""
    return pairs_from_marks(text, enumerate(text))


_TEXT = st.lists(st.sampled_from(["word", "U.S.", " ", "'", "\"", "\u201c", "\u201d", "\u2018",
                                  "\u2019", "\u201e", "\u00ab", "\u00bb", "s", "1", "\u00e9",
                                  ",", "\n"]), max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_quotation_marks_pair_as_when_every_character_is_looked_at(text):
    assert quotation_pairs(text) == _pairs_char_by_char(text)


_VALUE = st.lists(st.sampled_from(["word", " ", "  ", "#", " #", "#2", "\u00a0", "\t", "'",
                                   "\"", ":", "- "]), min_size=1, max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "summary", "- id"]), _VALUE),
                min_size=1, max_size=5))
def test_comment_cuts_are_found_as_when_every_value_is_looked_at(entries):
    lines = [f"{key}: {value}" for key, value in entries]
    try:
        node = yaml.compose("\n".join(lines), Loader=LOADER)
    except yaml.YAMLError:
        return
    if node is None:
        return
    assert text_checks.comment_cuts(node, lines, "f.md", 2) == \
        text_checks.cuts_in_values(node, lines, "f.md", 2)
