"""What an explainer's page shows of the other explainers of its story: the story's title,
the explainers before and after it, and, for each of its phases, a later status that another
explainer gives.

Workers render each page on its own (pipeline.make_page), before the other explainers are
known; a page in a story is rendered with slots (`<!--story:…-->`), which `compose` fills
once every explainer is loaded. A context holds only what the page shows, so a page is
composed again exactly when that changes (incremental.py), not when a neighbour's summary
does. Content cannot make a slot: the templates escape every `<` it gives, and the article's
HTML is sanitised with its comments removed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from generator.errors import ContentError, Problem
from generator.schema import Listing
from generator.stories import Story

if TYPE_CHECKING:
    import jinja2


class Neighbour(NamedTuple):
    """Another explainer of the story, as a link to it."""

    slug: str
    title: str
    events_from: datetime.date
    events_to: datetime.date | None


class Later(NamedTuple):
    """A phase's status, dated later than anything this page says of it, from another
    explainer of the story."""

    phase: str  # the phase's id
    status: str
    date: datetime.date
    what: str
    told_by: Neighbour


class StoryContext(NamedTuple):
    story: str  # its id
    title: str
    developing: bool  # this explainer's own flag
    number: int  # its place among the story's explainers, from 1
    count: int
    previous: Neighbour | None
    next: Neighbour | None
    later: tuple[Later, ...]
    story_developing: bool  # the story's: its newest explainer's flag


def _neighbour(listing: Listing) -> Neighbour:
    return Neighbour(listing.slug, listing.title, listing.events_from, listing.events_to)


def story_contexts(stories: Iterable[Story]) -> dict[str, StoryContext]:
    """Each explainer of the stories, by its content file, with what its page shows of the
    others (stories.stories_of gives their order: that of the events they report)."""
    contexts = {}
    for story in stories:
        told, phases = story.explainers, story.phases  # worked out when read: once
        for n, listing in enumerate(told):
            contexts[listing.file] = StoryContext(
                story.id, story.title, listing.developing, n + 1, len(told),
                _neighbour(told[n - 1]) if n else None,
                _neighbour(told[n + 1]) if n + 1 < len(told) else None,
                _laters(listing, phases), story.developing)
    return contexts


def _laters(listing: Listing, phases) -> tuple[Later, ...]:
    """For each of the explainer's phases, the latest status another explainer gives it, if
    that is dated after the last this explainer gives."""
    steps = {phase.id: phase.steps for phase in phases}
    found = []
    for phase in listing.phases:
        known = max([phase.as_of, *(change.date for change in phase.history)])
        later = [step for step in steps.get(phase.id, ())
                 if step.date > known and step.explainer.slug != listing.slug]
        if later:
            step = later[-1]
            found.append(Later(phase.id, step.status, step.date, step.what,
                               _neighbour(step.explainer)))
    return tuple(found)


CONTEXT_TEMPLATE = "partials/story_context.html"
_SLOT = re.compile(rb"<!--story:([a-z-]+)(?::([a-z0-9-]+))?-->")


def compose(env: jinja2.Environment, page: bytes, context: StoryContext | None) -> bytes:
    """The page with its slots filled from its story's context; a page in no story (no
    context) is rendered without slots, and is the page as it is."""
    from generator.templating import template_problems  # Jinja: only when a page is made

    if context is None:
        return page
    with template_problems(env):
        parts = env.get_template(CONTEXT_TEMPLATE).make_module(
            {"c": context, "root": "../"})
        later = {step.phase: step for step in context.later}

        def fill(slot: re.Match[bytes]) -> bytes:
            kind, phase = slot[1].decode().replace("-", "_"), (slot[2] or b"").decode()
            if kind == "part_of":  # data, not presentation: the same whatever the templates
                return _part_of(context).encode()
            if not hasattr(parts, kind):
                raise ContentError([Problem(
                    f"templates/{CONTEXT_TEMPLATE}", None, None, "template",
                    f"no macro {kind}() for the slot {slot[0].decode()} a page has")])
            if kind.startswith("later_"):
                step = later.get(phase)
                return getattr(parts, kind)(step).encode() if step else b""
            return getattr(parts, kind)().encode()

        return _SLOT.sub(fill, page)


def _part_of(context: StoryContext) -> str:
    """schema.org: the story the explainer is part of, for the page's JSON-LD."""
    from generator.render import json_ld

    live = context.story_developing
    return json_ld({"@type": "LiveBlogPosting" if live else "CollectionPage",
                    "headline" if live else "name": context.title,
                    "url": f"../stories/{context.story}/index.html"})
