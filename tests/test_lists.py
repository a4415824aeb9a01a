"""The versions of the sitemap, the feed (lists.shown_versions) and each page of the corrections
page and its feed (lists.corrections_versions), made from what each shows of each explainer:
whenever what a file shows changes, its version does, and an edit to what none of them shows
leaves every version as it was."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import lists
from generator.lists import (
    FEED_ENTRIES,
    corrections_feed_version,
    corrections_pages,
    corrections_placed,
    corrections_versions,
    index_order,
    listed_versions,
    newest_of,
    shown_in,
    shown_in_lists,
    shown_kinds,
    shown_versions,
)
from generator.schema import Detail, Listing, Settings, pack_detail

SITE = Settings(base_url="https://newsroom.example.org/explainers/")
DAYS = st.dates(datetime.date(2025, 3, 1), datetime.date(2025, 3, 8))
WORDS = st.sampled_from(["A truce", "A call", "Talks", "A deal"])
CORRECTIONS = st.lists(st.tuples(DAYS, st.sampled_from(["correction", "update"]), WORDS),
                       max_size=2).map(tuple)


def listing(n: int, title: str, summary: str, published: datetime.date,
            updated: datetime.date | None, corrections: tuple) -> Listing:
    return Listing(f"truce-{n}", title, summary, published, updated, "en", f"content/{n}.md", 1,
                   published, None, pack_detail(Detail(corrections, ("A key point.",), ())),
                   tuple(day for day, _, _ in corrections), None, None, False, ("Ann",))


LISTINGS = st.lists(st.builds(lambda *fields: fields, WORDS, WORDS, DAYS,
                              st.none() | DAYS, CORRECTIONS), min_size=1, max_size=6).map(
    lambda rows: [listing(n, *row) for n, row in enumerate(rows)])
# An edit to one explainer: a field and its new value.
EDITS = st.one_of(st.tuples(st.just("title"), WORDS), st.tuples(st.just("summary"), WORDS),
                  st.tuples(st.just("published"), DAYS),
                  st.tuples(st.just("updated"), st.none() | DAYS),
                  st.tuples(st.just("corrections"), CORRECTIONS),
                  st.tuples(st.just("key_points"), st.just(("Another point.",))),
                  st.tuples(st.just("actors"), st.just(("Bob",))))


def versions(listings: list[Listing], site: Settings) -> dict[str, str]:
    """Each kind's version; the corrections page's, of its pages and its feed together."""
    ordered, listed = index_order(listings), {e.slug: listed_versions(e) for e in listings}
    kinds = [kind for kind in shown_kinds(site) if kind != "corrections"]
    return shown_versions(ordered, lambda e: listed[e.slug], [], kinds) | {
        "corrections": repr(_corrections_versions(listings))}


@settings(max_examples=300, deadline=None)
@given(LISTINGS, st.data(), st.sampled_from([SITE, Settings()]))
def test_a_file_s_version_changes_whenever_what_it_shows_does(listings, data, site):
    which = data.draw(st.integers(0, len(listings) - 1))
    field, value = data.draw(EDITS)
    edited = [e.replaced(**{field: value}) if n == which else e for n, e in enumerate(listings)]
    before, after = shown_in_lists(listings, [], site), shown_in_lists(edited, [], site)
    old, new = versions(listings, site), versions(edited, site)
    assert old.keys() == new.keys() == before.keys()
    for kind in before:
        if before[kind] != after[kind]:
            assert old[kind] != new[kind], (kind, field)
    if field in ("key_points", "actors"):  # shown on the home page only
        assert old == new


@settings(max_examples=300, deadline=None)
@given(LISTINGS, st.data())
def test_each_page_of_the_corrections_page_has_a_version_that_changes_with_it(listings, data):
    which = data.draw(st.integers(0, len(listings) - 1))
    field, value = data.draw(EDITS)
    edited = [e.replaced(**{field: value}) if n == which else e for n, e in enumerate(listings)]
    size = lists.CORRECTIONS_PAGE_SIZE
    lists.CORRECTIONS_PAGE_SIZE = 2  # several pages of the few corrections drawn
    try:
        shown = [corrections_pages(shown_in("corrections", index_order(each), [], SITE))
                 for each in (listings, edited)]
        old, new = (_corrections_versions(each) for each in (listings, edited))
    finally:
        lists.CORRECTIONS_PAGE_SIZE = size
    for number, (before, after) in enumerate(zip(*shown, strict=False)):
        if before != after:
            assert old[number] != new[number], (number, field)
    feeds = [newest_of(shown_in("corrections", index_order(each), [], SITE))
             for each in (listings, edited)]
    if feeds[0] != feeds[1]:
        assert old[-1] != new[-1], field


def _corrections_versions(listings: list[Listing]) -> list[str]:
    """The version of each page of the corrections page, then of its feed."""
    ordered, listed = index_order(listings), {e.slug: listed_versions(e) for e in listings}
    placed = corrections_placed(ordered)
    return [*corrections_versions(ordered, placed, lambda e: listed[e.slug]),
            corrections_feed_version(ordered, placed, lambda e: listed[e.slug])]


def test_an_explainer_past_the_feed_s_newest_changes_only_the_sitemap():
    listings = [listing(n, "A truce", "A call", datetime.date(2025, 3, 1) +
                        datetime.timedelta(days=n), None, ()) for n in range(FEED_ENTRIES + 1)]
    oldest = listings[0]._replace(summary="Talks", updated=datetime.date(2025, 1, 1))
    old, new = versions(listings, SITE), versions([oldest, *listings[1:]], SITE)
    assert {kind for kind in old if old[kind] != new[kind]} == {"sitemap"}
