"""Stage 3, render: typed explainers in, a mapping of site paths to file bytes out.

Templates only read data; anything derived (lookups, ordering, relative roots) is computed here.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import jinja2
from markupsafe import Markup, escape

from generator.article import quotation_pairs
from generator.errors import ContentError, Problem
from generator.lists import (
    Corrections,
    CorrectionsPage,
    Feed,
    HomePage,
    Shown,
    Sitemap,
    corrections_pages,
    corrections_path,
    home_pages,
    home_path,
    index_order,
    newest_of,
    page_url,
)
from generator.project import link_problem
from generator.schema import (
    PHASE_STATUS,
    STATUS_TONE,
    Actor,
    BoardStep,
    Evidence,
    Explainer,
    Listing,
    Note,
    Passage,
    PhaseRecord,
    Settings,
    Source,
    page_path,
)
from generator.stories import Story, story_members, story_title
from generator.templating import jinja_environment, template_problems

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def long_date(day: datetime.date) -> str:
    """'18 March 2025', the same whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def date_range(start: datetime.date, end: datetime.date | None) -> str:
    """'18 March 2025', '17–18 March 2025', '30 March – 2 April 2025'."""
    if end is None or end == start:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{long_date(end)}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} \u2013 {long_date(end)}"
    return f"{long_date(start)} \u2013 {long_date(end)}"


def opening(text: str, count: int = 5) -> str:
    """The first words of a passage shown in full elsewhere on the page, to name it."""
    words = text.split()
    return " ".join(words[:count]) + (" \u2026" if len(words) > count else "")


def in_sentence(name: str) -> str:
    """A name as it reads after other words: 'A senior official' becomes 'a senior
    official'; a proper name is left alone."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if first in ("A", "An", "The") and rest else name


def nested_quotes(text: str) -> Markup:
    """Escaped text in which each pair of the article's own quotation marks becomes a nested
    <q>, so that inside a quotation the reader sees them as ‘ ’: which words the article
    itself quoted."""
    pairs = [(opened, closed) for opened, closed in quotation_pairs(text) if closed < len(text)]
    if not pairs:
        return escape(text)
    marks = {opened: "<q>" for opened, _ in pairs} | {closed: "</q>" for _, closed in pairs}
    out, start = [], 0
    for at in sorted(marks):
        out.append(str(escape(text[start:at])))
        out.append(marks[at])
        start = at + 1
    out.append(str(escape(text[start:])))
    return Markup("".join(out))


def make_environment(templates_dir: Path, bytecode_dir: Path | None = None
                     ) -> jinja2.Environment:
    """The Jinja environment of the templates (templating.jinja_environment), with the
    filters they use."""
    return jinja_environment(templates_dir, bytecode_dir,
                             {"long_date": long_date, "date_range": date_range,
                              "nested_quotes": nested_quotes, "in_sentence": in_sentence,
                              "tone": STATUS_TONE.get, "opening": opening})


def render_listing_item(env: jinja2.Environment, listing: Listing, settings: Settings
                        ) -> bytes:
    """An explainer's entry on the home page, as UTF-8. Rendered with its page and kept in
    the build cache, so the home page of a large site is joined from entries, not rendered
    from scratch after every edit; as bytes, half the memory of a string of news copy's
    curly quotes and dashes, for a process that holds every explainer's."""
    with template_problems(env):
        return env.get_template("partials/listing.html").render(site=settings, e=listing,
                                                                 root="").encode("utf-8")


def home_files(env: jinja2.Environment, listings: Sequence[Listing], stories: Sequence[Story],
               items: Mapping[str, bytes], settings: Settings) -> dict[str, bytes]:
    """Every page of the home page (lists.home_pages); `stories` are those of the listings
    (stories.stories_of), and `items` holds render_listing_item's HTML for each slug."""
    by_id = {story.id: story for story in stories}
    return {page.path: render_home_page(env, page, by_id, items, settings)
            for page in home_pages(index_order(listings))}


def render_home_page(env: jinja2.Environment, page: HomePage, stories: Mapping[str, Story],
                     items: Mapping[str, bytes], settings: Settings) -> bytes:
    """One page of the home page, with the stories of its groups (by id). The template gets
    each group's entries joined, as `groups`, and the pages before and after it."""
    shown = [(stories[key] if key else None,
              Markup(b"".join(items[e.slug] for e in members).decode("utf-8")))
             for key, members in page.groups]
    with template_problems(env):
        return _render(env, "index.html", settings, root="", groups=shown, page=page,
                       **_page_links(page.number, page.count, home_path),
                       lang=settings.language, canonical=page_url(settings, page.path))


def story_files(env: jinja2.Environment, stories: Sequence[Story],
                settings: Settings) -> dict[str, bytes]:
    """A page for each story, at stories/<id>/index.html."""
    files = {}
    with template_problems(env):
        for story in stories:
            path = f"stories/{story.id}/index.html"
            files[path] = _render(env, "story.html", settings, root="../../", story=story,
                                  lang=story.newest.language, canonical=page_url(settings, path),
                                  number={e.slug: n for n, e in enumerate(story.explainers, 1)},
                                  json_ld=json_ld(story_json_ld(story, settings)))
    return files


def story_json_ld(story: Story, settings: Settings) -> dict:
    """schema.org: a LiveBlogPosting while the story develops, a CollectionPage after."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting" if story.developing else "CollectionPage",
        "headline" if story.developing else "name": story.title,
        "dateModified": story.last_change.isoformat(),
        "hasPart": [{"@type": "NewsArticle", "headline": e.title,
                     "datePublished": e.published.isoformat(),
                     **({"url": page_url(settings, page_path(e))} if settings.base_url else {})}
                    for e in story.explainers],
    }
    url = page_url(settings, f"stories/{story.id}/index.html")
    if url:
        data["url"] = url
    return data


def render_explainer(env: jinja2.Environment, explainer: Explainer, settings: Settings) -> bytes:
    e = explainer
    use_of, notes_for = _passage_uses(e), _record_differs(e)
    labels = {s.id: s.label for s in e.sources}
    with template_problems(env):
        return _render(
            env, "explainer.html", settings, root="../", e=e, lang=e.language,
            canonical=page_url(settings, page_path(e)),
            actors_by_id={a.id: a for a in e.actors},
            sources_by_id={s.id: s for s in e.sources},
            credited_by_id={c.id: c for c in e.credited},
            notes_by_id={n.id: n for n in e.notes},
            quotes_by_speaker={a.id: [q for q in e.quotes if q.speaker == a.id]
                               for a in e.actors},
            record_differs=notes_for,
            use_of=use_of,
            differing=_differing(e, notes_for),
            source_number={s.id: n for n, s in enumerate(e.sources, 1)},
            credited_places=_credited_places(e, use_of),
            board=[BoardStep.of(PhaseRecord.of(phase, e.moment, labels)) for phase in e.plan],
            sides=actors_by_side(e),
            article_html=Markup(e.article.html if e.article else ""),
            json_ld=_with_story_slot(e, json_ld(news_article(e, settings))),
        )


def _with_story_slot(explainer: Explainer, data: Markup) -> Markup:
    """The page's JSON-LD with, for an explainer in a story, the story it is part of, which
    neighbours.compose fills in once every explainer is known. A slot cannot come from
    content: json_ld escapes every `<` in it."""
    if not explainer.story:
        return data
    assert data.endswith("}")
    return Markup(f'{data[:-1]},"isPartOf":<!--story:part-of-->}}')


class PassageUse(NamedTuple):
    """How the page shows one use of a passage of the article's reporting: in full, with an
    anchor, or, when an earlier place shows the same words, as a link to that place."""

    anchor: str
    first: str | None  # the anchor of the place showing it in full, if this repeats it
    place: str  # what that place is about, e.g. an actor's name
    same: bool  # whether that place shows the very same words (not only overlapping ones)


def _passage_uses(explainer: Explainer):
    """A passage is shown in full once, where the page first uses it (in reading order: the
    actors, the plan, the questions, the notes); a later use of words that overlap it links
    to that first one, so the page does not say the article's words twice above the
    article."""
    order = [(ev.passage, place) for ev, place in shown_evidence(explainer)]
    for note in explainer.notes:
        order += [(note.passage, note.title)] if note.passage else []
        order += [(a.passage, note.title) for a in note.accounts if a.passage]
    uses: dict[int, PassageUse] = {}
    shown: list[tuple[Passage, PassageUse]] = []
    for n, (passage, place) in enumerate(order, 1):
        other, earlier = next(((o, use) for o, use in shown if o.overlaps(passage)),
                              (None, None))
        use = PassageUse(f"passage-{n}", earlier.anchor if earlier else None,
                         earlier.place if earlier else place,
                         other is not None and other[2:] == passage[2:])
        if earlier is None:
            shown.append((passage, use))
        uses[id(passage)] = use

    def use_of(passage: Passage) -> PassageUse:
        return uses[id(passage)]

    return use_of


def shown_evidence(explainer: Explainer) -> list[tuple[Evidence, str]]:
    """The evidence the page shows in words, each with what it supports, in reading order:
    the actors, the plan's phases and their conditions, the questions. (Key points and later
    changes link to their passages instead.)"""
    e = explainer
    found = [(ev, actor.name) for actor in e.actors for ev in actor.evidence]
    for phase in e.plan:
        found += [(ev, phase.title) for ev in phase.evidence]
        found += [(ev, phase.title) for c in phase.conditions for ev in c.evidence]
    found += [(ev, q.question) for q in e.questions for ev in q.evidence]
    return found


def _differing(explainer: Explainer, notes_for):
    """The notes that correct a passage an item rests on, once each; for an actor, not those
    already shown beside their own words (`notes_for`: _record_differs of the explainer)."""

    def differing(item) -> list[Note]:
        shown: list[Note] = []
        if isinstance(item, Actor):
            for quote in explainer.quotes:
                if quote.speaker == item.id:
                    shown += notes_for(quote.words)
                    shown += [n for n in explainer.notes if n.id == quote.note]
        return [n for n in _unique(n for ev in item.evidence for n in notes_for(ev.passage))
                if n not in shown]

    return differing


def _unique(items):
    found: list = []
    for item in items:
        if item not in found:
            found.append(item)
    return found


def _credited_places(explainer: Explainer, use_of) -> dict[str, list[tuple[str, str]]]:
    """For each of those the article credits, where the page shows what it credits them
    with: (anchor, place), once each (`use_of`: _passage_uses of the explainer)."""
    places: dict[str, list[tuple[str, str]]] = {c.id: [] for c in explainer.credited}
    for ev, _ in shown_evidence(explainer):
        if ev.credited_to:
            use = use_of(ev.passage)
            place = (use.first or use.anchor, use.place)
            if place not in places[ev.credited_to]:
                places[ev.credited_to].append(place)
    return places


def actors_by_side(explainer: Explainer) -> list[tuple[str, list[Actor]]]:
    """The actors grouped by the side they are on, in the order each side first appears;
    those with no side last."""
    sides: dict[str, list[Actor]] = {}
    for actor in explainer.actors:
        sides.setdefault(actor.side or "", []).append(actor)
    return sorted(sides.items(), key=lambda item: item[0] == "")


def _record_differs(explainer: Explainer):
    """The notes whose record differs from a passage of the article that this passage
    overlaps: every place that uses the passage links to the correction."""
    differing = [n for n in explainer.notes if n.verdict == "differs" and n.passage]

    def notes_for(passage: Passage) -> list[Note]:
        return [n for n in differing if n.passage and n.passage.overlaps(passage)]

    return notes_for


def news_article(explainer: Explainer, settings: Settings) -> dict:
    """schema.org NewsArticle: what search engines read; the source article as isBasedOn,
    every other source as a citation."""
    e = explainer
    url = page_url(settings, page_path(e))
    based_on = [_creative_work(s) for s in e.sources if s.kind == "article"]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": e.title,
        "description": e.summary,
        "inLanguage": e.language,
        "datePublished": e.published.isoformat(),
        "temporalCoverage": _temporal_coverage(e),
        "isBasedOn": based_on,
        "citation": [_creative_work(s) for s in e.sources if s.kind != "article"],
        "mentions": [_agent(a) for a in e.actors],
    }
    if e.updated:
        data["dateModified"] = e.updated.isoformat()
    if e.quotes:
        data["hasPart"] = _quotations(e, url, based_on[0] if based_on else None)
    if e.corrections:
        data["correction"] = [{"@type": "CorrectionComment", "text": f"{c.kind.capitalize()}: "
                               f"{c.text}", "datePublished": c.date.isoformat()}
                              for c in e.corrections]
    if url:
        data["url"] = data["mainEntityOfPage"] = url
    if settings.publisher:
        data["publisher"] = {"@type": "Organization", "name": settings.publisher}
    return data


def _creative_work(source: Source) -> dict:
    """A source as schema.org CreativeWork, with what is known of it."""
    item: dict = {"@type": "CreativeWork", "name": source.label}
    if source.publisher:
        item["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.date:
        item["datePublished"] = source.date.isoformat()
    if source.url:
        item["url"] = source.url
    return item


def _temporal_coverage(e: Explainer) -> str:
    """The days of the events, as an ISO 8601 date or interval."""
    if e.events_to and e.events_to != e.events_from:
        return f"{e.events_from.isoformat()}/{e.events_to.isoformat()}"
    return e.events_from.isoformat()


def _quotations(e: Explainer, url: str | None, based_on: dict | None) -> list[dict]:
    """Each direct quote as schema.org Quotation, linked to its place on the page and to the
    article it was reported in."""
    actors = {a.id: a for a in e.actors}
    quotations = []
    for quote in e.quotes:
        speaker = _agent(actors[quote.speaker])
        item = {"@type": "Quotation", "text": quote.words.text, "creator": speaker,
                "spokenByCharacter": speaker, "url": f"{url or ''}#{quote.words.target}"}
        if based_on is not None:
            item["isBasedOn"] = based_on
        if quote.said_on:
            item["dateCreated"] = quote.said_on.isoformat()
        quotations.append(item)
    return quotations


def _agent(actor: Actor) -> dict:
    kind = {"person": "Person", "organization": "Organization"}.get(actor.kind or "", "Thing")
    return {"@type": kind, "name": actor.name}


def json_ld(data: object) -> Markup:
    """JSON for a <script> element: <, > and & escaped so no text can end the element."""
    # Compact, so the C encoder does the work.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c")
                  .replace(">", "\\u003e"))


def search_page(env: jinja2.Environment, settings: Settings,
                listings: Sequence[Listing] | None, folders: Sequence[str] = ()) -> bytes:
    """The search page; with the listings, over the index in `folders` (search.shards),
    filtered by story, status and actor; without (the preview, which does not index), a page
    that says so."""
    filters = None if listings is None else search_filters(listings)
    with template_problems(env):
        return _render(env, "search.html", settings, root="../", filters=filters,
                       facets=None if filters is None else json_ld(filters["facets"]),
                       indexes=json_ld([f"{folder}/" for folder in folders]),
                       lang=settings.language,
                       canonical=page_url(settings, "search/index.html"))


def search_filters(listings: Sequence[Listing]) -> dict:
    """What the search page offers to filter by, and each explainer's values, newest first.
    The build writes them, not Pagefind, whose filter index differs from run to run
    (Pagefind 1.5.2), and a site is the same bytes from the same files."""
    ordered = index_order(listings)
    statuses = [sorted({phase.status for phase in listing.phases}) for listing in ordered]
    present = {status for each in statuses for status in each}
    return {
        "stories": sorted(((ident, story_title(told))
                           for ident, told in story_members(ordered).items()),
                          key=lambda story: story[1].casefold()),
        "statuses": [status for status in PHASE_STATUS.options if status in present],
        "actors": sorted({name for listing in ordered for name in listing.actors},
                         key=str.casefold),
        "facets": [{"url": f"{listing.slug}/", "title": listing.title,
                    "date": listing.last_change.isoformat(),
                    "day": long_date(listing.last_change), "story": listing.story or "",
                    "statuses": shown, "actors": list(listing.actors)}
                   for listing, shown in zip(ordered, statuses, strict=True)],
    }


def search_outputs(env: jinja2.Environment, settings: Settings, listings: Sequence[Listing],
                   pages: Mapping[str, bytes]) -> dict[str, bytes]:
    """The search page and the Pagefind index of these explainer pages, shard by shard."""
    from generator.search import index_shards, shards  # only a build written to disk indexes

    parts = shards(list(pages))
    bundles = index_shards([(folder, {path: pages[path] for path in paths})
                            for folder, paths in parts], settings.language)
    files = {path: data for bundle in bundles for path, data in bundle.items()}
    page = search_page(env, settings, listings, [folder for folder, _ in parts])
    return {"search/index.html": page, **files}


def fixed_files(env: jinja2.Environment, settings: Settings,
                templates_dir: Path) -> dict[str, bytes]:
    """The files that do not list the explainers: stylesheet and other static files, the 404
    page, robots.txt, and GitHub Pages' files."""
    static = templates_dir / "static"
    found = sorted(static.rglob("*"))
    links = [Problem(f"templates/static/{path.relative_to(static).as_posix()}", None, None,
                     "file", problem)
             for path in found if (problem := link_problem(path, templates_dir.parent))]
    if links:
        raise ContentError(links)  # published as they are: never through a link out
    files = {f"static/{path.relative_to(static).as_posix()}": path.read_bytes()
             for path in found if path.is_file()}
    with template_problems(env):
        files["404.html"] = _render(env, "404.html", settings, canonical=None,
                                    lang=settings.language, **not_found_assets(files, settings))
        files["robots.txt"] = _render(env, "robots.txt", settings,
                                      sitemap=page_url(settings, "sitemap.xml"))
        # Until a build indexes the site (search_outputs), the search page says there is none.
        files["search/index.html"] = search_page(env, settings, None)
    # GitHub Pages: serve the files as they are (no Jekyll), and on the custom domain if set.
    files[".nojekyll"] = b""
    if settings.custom_domain:
        files["CNAME"] = f"{settings.custom_domain}\n".encode()
    return files


def not_found_assets(static: Mapping[str, bytes], settings: Settings) -> dict[str, object]:
    """What the 404 page needs to look right at any address: the stylesheet to inline, the
    icon as a data: address, and the root its links start from (the site's address, else
    the domain root)."""
    css = static.get("static/style.css", b"").decode("utf-8")
    # Nothing in a stylesheet needs '</', and it would end the <style> element early.
    css = css.replace("</", "<\\/")
    icon = base64.b64encode(static.get("static/favicon.svg", b"")).decode("ascii")
    return {"stylesheet": Markup(css), "icon": f"data:image/svg+xml;base64,{icon}",
            "root": settings.base_url or "/"}


def shown_files(env: jinja2.Environment, settings: Settings, shown: Shown) -> dict[str, bytes]:
    """The files of what lists.py says one of the files that list explainers shows: the
    sitemap, the feed, or the corrections page (and with a base URL its feed)."""
    with template_problems(env):
        if isinstance(shown, Sitemap):
            return {"sitemap.xml": _render(env, "sitemap.xml", settings, entries=shown.entries)}
        if isinstance(shown, Feed):
            return {"feed.xml": _render(env, "feed.xml", settings, updated=shown.updated,
                                        entries=shown.entries)}
        return {page.path: corrections_page(env, settings, page)
                for page in corrections_pages(shown)} | corrections_feed(
            env, settings, newest_of(shown))


def corrections_page(env: jinja2.Environment, settings: Settings, page: CorrectionsPage
                     ) -> bytes:
    """One page of the corrections page (lists.corrections_pages)."""
    with template_problems(env):
        return _render(
            env, "corrections.html", settings, root="../", page=page,
            **_page_links(page.number, page.count, lambda n: _name(corrections_path(n))),
            lang=settings.language, canonical=page_url(settings, page.path))


def corrections_feed(env: jinja2.Environment, settings: Settings, shown: Corrections
                     ) -> dict[str, bytes]:
    """The corrections feed of these (lists.newest_of); none without a base URL."""
    if not settings.base_url:
        return {}
    entries = shown.entries
    with template_problems(env):
        return {"corrections.xml": _render(
            env, "corrections.xml", settings,
            updated=entries[0].date.isoformat() if entries else "",
            entries=[(entry, page_url(settings, page_path(entry.listing)))
                     for entry in entries])}


def _page_links(number: int, count: int, path_of: Callable[[int], str]
                ) -> dict[str, str | None]:
    """The pages before and after page `number` of `count` of a list in pages
    (partials/pages.html), as its links name them (`path_of` a page's number)."""
    return {"newer": path_of(number - 1) if number > 1 else None,
            "older": path_of(number + 1) if number < count else None}


def _name(path: str) -> str:
    """A path's link from a page in the same folder."""
    return path.rsplit("/", 1)[-1]


def _render(env: jinja2.Environment, name: str, settings: Settings, **context: object) -> bytes:
    return env.get_template(name).render(site=settings, **context).encode("utf-8")
