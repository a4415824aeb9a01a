"""Turning an article body into addressable sentences, and finding quotes in it."""

from __future__ import annotations

from unittest import mock

from bs4 import BeautifulSoup
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.article import (
    ArticleParser,
    NotFound,
    _normalize_with_offsets,
    locate,
    normalize,
)


def parse(body: str):
    return ArticleParser().parse(body)


def test_abbreviations_do_not_end_sentences():
    article = parse("Special U.S. envoy Steve Witkoff spoke. Then the U.S. team left.\n")
    assert [s.text for s in article.blocks[0].sentences] == [
        "Special U.S. envoy Steve Witkoff spoke.", "Then the U.S. team left."]


def test_sentence_ids_run_through_the_whole_article():
    article = parse("## Heading\n\nOne. Two.\n\nThree.\n")
    ids = [s.id for b in article.blocks for s in b.sentences]
    assert ids == ["s1", "s2", "s3", "s4"]
    assert [b.id for b in article.blocks] == ["p1", "p2", "p3"]


def test_emphasis_across_a_sentence_boundary_stays_well_nested():
    article = parse("Start *one. two* end.\n")
    soup = BeautifulSoup(article.html, "html.parser")
    spans = soup.select("span.sentence")
    assert [s.get_text() for s in spans] == ["Start one.", "two end."]
    assert all(span.find("em") for span in spans)


def test_quotes_match_despite_typographic_marks_and_spacing():
    article = parse("He said \u201cwe\u2019ll go \u2014 now.\u201d Then left.\n")
    found = locate(article, "he said".capitalize() + ' "we\'ll  go - now."')
    assert found .target == "s1"


def test_quote_spanning_two_sentences_targets_the_paragraph():
    article = parse("First one. Second one.\n")
    assert locate(article, "one. Second") .target == "p1"


def test_missing_quote_names_the_closest_passage():
    article = parse("The plant remains a contentious issue.\n")
    found = locate(article, "The plant remains a contentius issue")
    assert isinstance(found, NotFound)
    assert found.message == ("quote not found in the article; closest passage: "
                             "\u201cThe plant remains a contentious issue.\u201d")


def test_quote_across_paragraphs_is_refused_with_a_hint():
    article = parse("End of one.\n\nStart of two.\n")
    found = locate(article, "one. Start")
    assert isinstance(found, NotFound) and "two paragraphs" in found.message


def test_normalize_folds_only_marks_dashes_and_space():
    assert normalize("\u2018a\u2019 \u201cb\u201d \u2013 c\u00a0\n d") == "'a' \"b\" - c d"
    assert normalize("Case") != normalize("case")


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\u00a0\u2028ab“”‘’—–…-\u0301e\u00e9")))
       | st.text())
def test_fast_and_offset_tracking_normalisation_agree(text):
    assert normalize(text) == _normalize_with_offsets(text)[0]


_TYPOGRAPHY = ["a", "b", ".", " ", "U.S.", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014",
               "\u2026", "\n", "  ", "\u00a0", "'", '"', "-"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TYPOGRAPHY), min_size=1, max_size=60).map("".join),
       st.data())
def test_quotes_are_placed_alike_whether_or_not_folding_kept_positions(body, data):
    """A block whose folding changed characters one for one is searched without mapping
    positions back; the sentence found must be the one the mapping gives."""
    article = parse(body)
    assume(article.blocks)
    block = data.draw(st.sampled_from(article.blocks))
    start = data.draw(st.integers(0, len(block.text) - 1))
    quote = block.text[start:data.draw(st.integers(start + 1, len(block.text)))]
    with mock.patch("generator.article._same_positions", lambda b: b.folded == b.text):
        mapped = locate(article, quote)
    assert locate(article, quote) == mapped


def test_a_quote_with_typed_apostrophes_links_to_its_sentence():
    article = parse("The envoy\u2019s \u201cfirst step\u201d was agreed. Then talks \u2013 "
                    "long ones \u2013 began.\n")
    assert locate(article, "talks - long ones - began.") .target == "s2"
    assert locate(article, "envoy's \"first step\"") .target == "s1"
