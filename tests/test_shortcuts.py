"""Shortcuts through the checks of a page, and the packed form of its listing, change
nothing: each gives what the plain way, kept here or in the module, gives on random input."""

from __future__ import annotations

import datetime
import marshal

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline, text_checks
from generator.article import pairs_from_marks, quotation_pairs
from generator.load import LOADER
from generator.schema import (
    ChangeRecord,
    Detail,
    Listing,
    PhaseRecord,
    pack_detail,
    unpack_detail,
)


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


_WORDS = st.text(st.characters(codec="utf-8"), max_size=12)
_DAY = st.dates(datetime.date(1, 1, 1))
_CITED = st.lists(st.tuples(_WORDS, _WORDS), max_size=2).map(tuple)
_PHASE = st.builds(PhaseRecord, _WORDS, _WORDS, _WORDS, _DAY, _CITED, st.lists(
    st.builds(ChangeRecord, _DAY, _WORDS, _WORDS, _CITED), max_size=2).map(tuple))
_DETAIL = st.builds(Detail, st.lists(st.tuples(_DAY, _WORDS, _WORDS), max_size=3).map(tuple),
                    st.lists(_WORDS, max_size=3).map(tuple),
                    st.lists(_PHASE, max_size=3).map(tuple))


def _afresh(value):
    """The same value made again of new objects: no string, date or tuple shared with it."""
    if isinstance(value, str):
        return value.encode().decode()
    if isinstance(value, datetime.date):
        return datetime.date.fromordinal(value.toordinal())
    if hasattr(value, "_fields"):
        return type(value)(*map(_afresh, value))
    return tuple(map(_afresh, value))


@settings(max_examples=300, deadline=None)
@given(_DETAIL)
def test_a_listing_s_packed_detail_reads_back_as_it_was_and_packs_the_same_way_again(detail):
    packed = pack_detail(detail)
    # The same types too (repr names them): named tuples and tuples, not lists.
    assert repr(unpack_detail(packed)) == repr(detail)
    # The same values made of other objects give the same bytes: a listing's version is
    # worked out from them.
    assert pack_detail(_afresh(detail)) == packed


def test_one_string_in_many_places_packs_as_its_copies_do():
    word = "Ceasefire talks " * 4
    shared = Detail((), (word, word, word), ())
    copies = Detail((), tuple(_afresh(word) for _ in range(3)), ())
    assert shared.key_points[0] is shared.key_points[2]
    assert copies.key_points[0] is not copies.key_points[2]
    assert pack_detail(shared) == pack_detail(copies)


def test_the_real_story_s_listing_shows_what_its_explainer_says(project):
    explainer = pipeline.check(project).explainers[0]
    listing = Listing.of(explainer)
    labels = {source.id: source.label for source in explainer.sources}
    assert listing.corrections == tuple((c.date, c.kind, c.text) for c in explainer.corrections)
    assert listing.correction_days == tuple(c.date for c in explainer.corrections)
    assert listing.key_points == tuple(point.text for point in explainer.key_points)
    assert listing.phases == tuple(PhaseRecord.of(phase, explainer.moment, labels)
                                   for phase in explainer.plan)
    assert any(phase.history for phase in listing.phases) and listing.corrections
    # Loaded again, or read back from the build cache's manifest, it is the same listing.
    again = Listing.of(pipeline.check(project).explainers[0])
    assert again == listing == Listing.from_row(marshal.loads(marshal.dumps(again.to_row())))


def test_a_listing_replaced_in_its_detail_and_elsewhere_changes_both(project):
    listing = Listing.of(pipeline.check(project).explainers[0])
    day = datetime.date(2026, 12, 7)
    changed = listing.replaced(title="Another", corrections=((day, "update", "Later."),))
    assert changed.title == "Another" and changed.corrections == ((day, "update", "Later."),)
    assert changed.correction_days == (day,)
    assert changed.phases == listing.phases and changed.key_points == listing.key_points
