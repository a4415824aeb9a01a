"""What the files that list explainers show of them: which explainers each page of the home
page lists, and what the sitemap, the feed, and the corrections page and its feed show. Plain
data from the explainers' listings and their stories, worked out without Jinja, as the stories
are (stories.py): everything those files are rendered from but the settings (render.shown_files
renders it). Each file's version, for the incremental layer, comes from a hash of what it shows
of each explainer (listed_versions, kept with the explainer's listing), so that after an edit
it is made again only when what it shows changed, without working that out over every
explainer.
"""

from __future__ import annotations

import datetime
import hashlib
import operator
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence, Sized
from typing import NamedTuple

from generator.schema import Listing, Settings, page_path
from generator.stories import Story

# A feed is polled over and over by readers that only want what is new.
FEED_ENTRIES = 50
# A home page listing every explainer of a large site would be megabytes long on a phone; the
# older ones are on further pages. A story's explainers are never split between two pages.
HOME_PAGE_SIZE = 20
# So, for the corrections page: a desk that corrects its explainers in the open can have
# thousands, a page of megabytes.
CORRECTIONS_PAGE_SIZE = 50


def index_order(listings: Sequence[Listing]) -> list[Listing]:
    """Newest first; the slug breaks ties so the order never depends on file-system order."""
    # Two sorts with C key functions, several times faster than one with a Python key: the
    # second keeps the slug order among explainers of the same day (sorts are stable, also
    # in reverse).
    by_slug = sorted(listings, key=operator.attrgetter("slug"))
    return sorted(by_slug, key=operator.attrgetter("published"), reverse=True)


class HomePage(NamedTuple):
    """One page of the home page: its path, its number (from 1) of how many, and its groups,
    each a story's id (None for an explainer in no story) with its explainers, newest first."""

    path: str
    number: int
    count: int
    groups: tuple[tuple[str | None, tuple[Listing, ...]], ...]


def home_path(number: int) -> str:
    """Beside the first, so that every page links to the explainers as the first does."""
    return "index.html" if number == 1 else f"page-{number}.html"


def home_pages(ordered: Sequence[Listing]) -> list[HomePage]:
    """The pages of the home page: the explainers (`ordered`, in index_order) newest first,
    each story's together where its newest is, at most HOME_PAGE_SIZE explainers a page
    unless one story has more."""
    groups: dict[str, list[Listing]] = {}
    for listing in ordered:
        groups.setdefault(listing.story or f"/{listing.slug}", []).append(listing)
    pages: list[list[tuple[str | None, tuple[Listing, ...]]]] = [[]]
    size = 0
    for key, members in groups.items():
        if pages[-1] and size + len(members) > HOME_PAGE_SIZE:
            pages.append([])
            size = 0
        pages[-1].append((None if key.startswith("/") else key, tuple(members)))
        size += len(members)
    return [HomePage(home_path(number), number, len(pages), tuple(page))
            for number, page in enumerate(pages, 1)]


def page_url(settings: Settings, path: str) -> str | None:
    """The absolute address of a page, when the site's base URL is known."""
    if not settings.base_url:
        return None
    return settings.base_url + path.removesuffix("index.html")


class Sitemap(NamedTuple):
    """Every page's address, with the day it last changed ("" for none)."""

    entries: tuple[tuple[str | None, str], ...]


class Fed(NamedTuple):
    """What the feed shows of an explainer, besides its address."""

    title: str
    summary: str
    published: datetime.date
    updated: datetime.date | None


class Feed(NamedTuple):
    updated: str  # the day the newest explainer last changed ("" for none)
    entries: tuple[tuple[Fed, str | None], ...]  # the newest FEED_ENTRIES, with addresses


class Corrected(NamedTuple):
    """What the corrections page and feed show of the explainer corrected."""

    slug: str
    title: str


class CorrectionEntry(NamedTuple):
    listing: Corrected
    number: int  # its place in the explainer's list, from 1: the anchor on its page
    date: datetime.date
    kind: str
    text: str


class Corrections(NamedTuple):
    """Every explainer's corrections, clarifications and updates, newest first."""

    entries: tuple[CorrectionEntry, ...]


Shown = Sitemap | Feed | Corrections


class CorrectionsPage(NamedTuple):
    """One page of the corrections page: its path, its number (from 1) of how many, its
    entries, newest first, and the place of the first among all (from 1)."""

    path: str
    number: int
    count: int
    entries: tuple[CorrectionEntry, ...]
    first: int


def corrections_path(number: int) -> str:
    return "corrections/index.html" if number == 1 else f"corrections/page-{number}.html"


def corrections_versions(ordered: Sequence[Listing], placed: Sequence[Placed],
                         listed: Callable[[Listing], Mapping[str, str]]) -> list[str]:
    """The version of each page of corrections_pages, in order: a hash of how many pages
    there are and which corrections of which explainers the page holds (`placed`:
    corrections_placed), with what the corrections page shows of each of those explainers
    (listed_versions), so that it changes whenever the page's data does, worked out without
    making the entries."""
    size, count = CORRECTIONS_PAGE_SIZE, corrections_count(placed)
    return [_hash((count, _corrections_shown(ordered, placed[first:first + size], listed)))
            for first in range(0, count * size, size)]


def corrections_feed_version(ordered: Sequence[Listing], placed: Sequence[Placed],
                             listed: Callable[[Listing], Mapping[str, str]]) -> str:
    """The version of what the corrections feed shows (newest_corrections), as
    corrections_versions gives each page's: a correction further down changes nothing in
    it."""
    return _hash(_corrections_shown(ordered, placed[:FEED_ENTRIES], listed))


def _corrections_shown(ordered: Sequence[Listing], placed: Sequence[Placed],
                       listed: Callable[[Listing], Mapping[str, str]]
                       ) -> list[tuple[str, int]]:
    """Which corrections these are, each as what the corrections page shows of its
    explainer (listed_versions) and its number there."""
    return [(listed(ordered[at])["corrections"], number) for _, at, number in placed]


def corrections_pages(shown: Corrections) -> list[CorrectionsPage]:
    """The pages of the corrections page: the entries newest first, CORRECTIONS_PAGE_SIZE a
    page; one page, with none, when there are none."""
    count = corrections_count(shown.entries)
    return [_corrections_page(number, count, shown.entries[_on_page(number)])
            for number in range(1, count + 1)]


def _on_page(number: int) -> slice:
    """Which of all the corrections page's entries its page of this number holds."""
    return slice((number - 1) * CORRECTIONS_PAGE_SIZE, number * CORRECTIONS_PAGE_SIZE)


def _corrections_page(number: int, count: int, entries: tuple[CorrectionEntry, ...]
                      ) -> CorrectionsPage:
    return CorrectionsPage(corrections_path(number), number, count, entries,
                           _on_page(number).start + 1)


def shown_kinds(settings: Settings) -> tuple[str, ...]:
    """The files that list every explainer but the home page, by kind; the sitemap and the
    feed need absolute addresses, so only with a base URL."""
    return ("corrections", "sitemap", "feed") if settings.base_url else ("corrections",)


def shown_in_lists(listings: Sequence[Listing], stories: Sequence[Story],
                   settings: Settings) -> dict[str, Shown]:
    """What each of those files shows, by its kind. `stories` are the listings'
    (stories.stories_of)."""
    ordered = index_order(listings)
    return {kind: shown_in(kind, ordered, stories, settings) for kind in shown_kinds(settings)}


def shown_in(kind: str, ordered: Sequence[Listing], stories: Sequence[Story],
             settings: Settings) -> Shown:
    """What the file of one kind (of shown_kinds) shows; `ordered` is in index_order."""
    return _SHOWN[kind](ordered, stories, settings)


def _sitemap(ordered: Sequence[Listing], stories: Sequence[Story], settings: Settings
             ) -> Sitemap:
    return Sitemap(((page_url(settings, "index.html"), ""),
                    (page_url(settings, "corrections/index.html"), ""),
                    *((page_url(settings, f"stories/{story.id}/index.html"),
                       story.last_change.isoformat()) for story in stories),
                    *((page_url(settings, path), day) for path, day in map(_mapped, ordered))))


def _feed(ordered: Sequence[Listing], stories: Sequence[Story], settings: Settings) -> Feed:
    newest = _newest(ordered)
    return Feed(newest.isoformat() if newest else "", tuple(
        (fed, page_url(settings, path)) for fed, path in map(_fed, ordered[:FEED_ENTRIES])))


def _corrections(ordered: Sequence[Listing], stories: Sequence[Story], settings: Settings
                 ) -> Corrections:
    return Corrections(_entries(ordered, corrections_placed(ordered)))


# Where a correction is: its day, its explainer's place in index_order, its number there.
Placed = tuple[datetime.date, int, int]


def corrections_placed(ordered: Sequence[Listing]) -> list[Placed]:
    """Every correction of the explainers (`ordered`, in index_order), in the order the
    corrections page shows them: newest first; of one day, in index order, an explainer's
    newest first."""
    placed = [(day, at, number) for at, listing in enumerate(ordered)
              for number, day in reversed(list(enumerate(listing.correction_days, 1)))]
    placed.sort(key=operator.itemgetter(0), reverse=True)  # stable
    return placed


def corrections_count(corrections: Sized) -> int:
    """How many pages the corrections page has for so many corrections: one, with none."""
    return -(-len(corrections) // CORRECTIONS_PAGE_SIZE) or 1


def corrections_page(ordered: Sequence[Listing], placed: Sequence[Placed], number: int
                     ) -> CorrectionsPage:
    """One page of corrections_pages, made from where the corrections are (corrections_placed)
    without making the entries of the others."""
    return _corrections_page(number, corrections_count(placed),
                             _entries(ordered, placed[_on_page(number)]))


def newest_corrections(ordered: Sequence[Listing], placed: Sequence[Placed]) -> Corrections:
    """What the corrections feed shows: the newest FEED_ENTRIES (newest_of, from where the
    corrections are)."""
    return Corrections(_entries(ordered, placed[:FEED_ENTRIES]))


def newest_of(shown: Corrections) -> Corrections:
    """What the corrections feed shows of the corrections page's: the newest FEED_ENTRIES."""
    return Corrections(shown.entries[:FEED_ENTRIES])


_SHOWN = {"sitemap": _sitemap, "feed": _feed, "corrections": _corrections}


# What each file shows of one explainer. shown_in makes the files' data from these, and
# listed_versions hashes them, so that the two cannot disagree.

def _newest(ordered: Sequence[Listing]) -> datetime.date | None:
    """The latest day an explainer was published or updated: the feed's own date."""
    return max((e.updated or e.published for e in ordered), default=None)


def _mapped(listing: Listing) -> tuple[str, str]:
    """The sitemap's entry: the page's path and the day it last changed."""
    return page_path(listing), (listing.updated or listing.published).isoformat()


def _fed(listing: Listing) -> tuple[Fed, str]:
    """The feed's entry, with the page's path."""
    return Fed(listing.title, listing.summary, listing.published, listing.updated), \
        page_path(listing)


def _corrections_of(listing: Listing) -> tuple[CorrectionEntry, ...]:
    """The corrections page's entries, the explainer's newest first."""
    return tuple(_entry(listing, number)
                 for number in range(len(listing.correction_days), 0, -1))


def _entries(ordered: Sequence[Listing], placed: Sequence[Placed]
             ) -> tuple[CorrectionEntry, ...]:
    """The corrections page's entries of these corrections (corrections_placed)."""
    return tuple(_entry(ordered[at], number) for _, at, number in placed)


def _entry(listing: Listing, number: int) -> CorrectionEntry:
    day, kind, text = listing.corrections[number - 1]
    return CorrectionEntry(Corrected(listing.slug, listing.title), number, day, kind, text)


def listed_versions(listing: Listing) -> dict[str, str]:
    """A hash of what each file of shown_kinds shows of one explainer, by kind: what
    shown_versions makes the files' versions from, with no need to work out what they show."""
    return {"sitemap": _hash(_mapped(listing)), "feed": _hash(_fed(listing)),
            "corrections": _hash(_corrections_of(listing))}


def shown_versions(ordered: Sequence[Listing], listed: Callable[[Listing], Mapping[str, str]],
                   stories: Sequence[Story], kinds: Collection[str]) -> dict[str, str]:
    """The version of what each file of `kinds` (of shown_kinds, but the corrections page,
    whose pages and feed have versions of their own: corrections_versions) shows: a hash that
    changes whenever shown_in's data does (the settings aside: what is made from this is made
    from them too), from each explainer's listed_versions (`listed`), in the order shown_in
    takes them (`ordered`, in index_order; and so with it, what sorts them)."""

    def joined(kind: str, shown: Iterable[Listing]) -> str:
        return "".join(listed(listing)[kind] for listing in shown)

    made = {"sitemap": lambda: _hash(([(story.id, story.last_change) for story in stories],
                                      joined("sitemap", ordered))),
            "feed": lambda: _hash((_newest(ordered), joined("feed", ordered[:FEED_ENTRIES])))}
    return {kind: made[kind]() for kind in kinds}


def _hash(data: object) -> str:
    return hashlib.sha256(repr(data).encode()).hexdigest()
