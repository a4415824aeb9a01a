"""What the files that list explainers show of them: which explainers each page of the home
page lists, and what the sitemap, the feed, and the corrections page and its feed show. Plain
data from the explainers' listings and their stories, worked out without Jinja, as the stories
are (stories.py). What the other files show is everything they are rendered from but the
settings (render.shown_files renders it), so that its repr is a version of the file
(incremental.py), rendered again only when it changes.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Sequence
from typing import NamedTuple

from generator.schema import Listing, Settings, page_path
from generator.stories import Story

# A feed is polled over and over by readers that only want what is new.
FEED_ENTRIES = 50
# A home page listing every explainer of a large site would be megabytes long on a phone; the
# older ones are on further pages. A story's explainers are never split between two pages.
HOME_PAGE_SIZE = 20


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


def home_pages(listings: Sequence[Listing]) -> list[HomePage]:
    """The pages of the home page: the explainers newest first, each story's together where
    its newest is, at most HOME_PAGE_SIZE explainers a page unless one story has more."""
    groups: dict[str, list[Listing]] = {}
    for listing in index_order(listings):
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


def shown_in_lists(listings: Sequence[Listing], stories: Sequence[Story],
                   settings: Settings) -> dict[str, Shown]:
    """What each of those files shows, by its kind; the sitemap and the feed need absolute
    addresses, so only with a base URL. `stories` are the listings' (stories.stories_of)."""
    ordered = index_order(listings)
    shown: dict[str, Shown] = {"corrections": Corrections(correction_entries(ordered))}
    if settings.base_url:
        shown["sitemap"] = Sitemap(sitemap_entries(ordered, stories, settings))
        shown["feed"] = Feed(*feed_entries(ordered, settings))
    return shown


def correction_entries(ordered: Sequence[Listing]) -> tuple[CorrectionEntry, ...]:
    """Every explainer's corrections, newest first; `ordered` is in index_order."""
    entries = [CorrectionEntry(Corrected(listing.slug, listing.title), number, day, kind, text)
               for listing in ordered
               for number, (day, kind, text) in reversed(list(enumerate(listing.corrections,
                                                                        1)))]
    return tuple(sorted(entries, key=operator.attrgetter("date"), reverse=True))


def sitemap_entries(ordered: Sequence[Listing], stories: Sequence[Story], settings: Settings
                    ) -> tuple[tuple[str | None, str], ...]:
    """Every page; `ordered` is in index_order."""
    # Plain strings, formatted here: the sitemap's loop runs once per explainer.
    return ((page_url(settings, "index.html"), ""),
            (page_url(settings, "corrections/index.html"), ""),
            *((page_url(settings, f"stories/{story.id}/index.html"),
               story.last_change.isoformat()) for story in stories),
            *((page_url(settings, page_path(e)), (e.updated or e.published).isoformat())
              for e in ordered))


def feed_entries(ordered: Sequence[Listing], settings: Settings
                 ) -> tuple[str, tuple[tuple[Fed, str | None], ...]]:
    """The day the newest explainer last changed, and the newest FEED_ENTRIES; `ordered` is
    in index_order."""
    newest = max((e.updated or e.published for e in ordered), default=None)
    return newest.isoformat() if newest else "", tuple(
        (Fed(e.title, e.summary, e.published, e.updated), page_url(settings, page_path(e)))
        for e in ordered[:FEED_ENTRIES])
