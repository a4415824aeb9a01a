"""A developing story across its explainers: each phase's statuses in the order of their dates,
and a timeline. Plain data from the explainers' listings, for the story page (render.py) and
for what each explainer's page shows of the others (neighbours.py); it needs no templates, so
a build that renders nothing can work out its stories without loading Jinja."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import NamedTuple

from generator.schema import Listing


class StoryStep(NamedTuple):
    """One dated status of a phase on a story page, and the explainer that gives it."""

    date: datetime.date
    status: str
    what: str
    sources: tuple[tuple[str, str], ...]
    explainer: Listing


class StoryPhase(NamedTuple):
    id: str
    title: str
    steps: tuple[StoryStep, ...]  # oldest first

    @property
    def latest(self) -> StoryStep:
        return self.steps[-1]


class Story(NamedTuple):
    """The explainers of one developing story, and what they say across them. Its phases and
    timeline are worked out from the explainers when read, not kept: `serve` keeps every
    story, and renders few of their pages."""

    id: str
    title: str
    explainers: tuple[Listing, ...]  # in the order of the events they report

    @property
    def phases(self) -> tuple[StoryPhase, ...]:
        return story_phases(self.explainers)

    @property
    def timeline(self) -> tuple[tuple[datetime.date, str, Listing], ...]:
        """Its dated events, oldest first: date, what, told by."""
        return story_timeline(self.explainers, self.phases)

    @property
    def newest(self) -> Listing:
        return newest(self.explainers)

    @property
    def developing(self) -> bool:
        return self.newest.developing

    @property
    def last_change(self) -> datetime.date:
        return max(e.last_change for e in self.explainers)


def stories_of(listings: Sequence[Listing]) -> list[Story]:
    """Each story the explainers belong to: its phases matched by id across explainers, each
    phase's statuses in the order of their dates, and the dated events of all of them."""
    return [story_of(ident, told) for ident, told in story_members(listings).items()]


def story_members(listings: Sequence[Listing]) -> dict[str, tuple[Listing, ...]]:
    """The explainers of each story, by its id (in order), in the order of the events they
    report."""
    members: dict[str, list[Listing]] = {}
    for listing in sorted(listings, key=event_order):
        if listing.story:
            members.setdefault(listing.story, []).append(listing)
    return {ident: tuple(found) for ident, found in sorted(members.items())}


def event_order(listing: Listing) -> tuple[datetime.date, datetime.date, str]:
    """The order of a story's explainers: of the events they report."""
    return listing.events_from, listing.published, listing.slug


def story_of(ident: str, explainers: tuple[Listing, ...]) -> Story:
    """One story, from its explainers in the order of the events they report."""
    return Story(ident, story_title(explainers), explainers)


def story_phases(explainers: tuple[Listing, ...]) -> tuple[StoryPhase, ...]:
    """Each phase of a story's explainers, matched by id, with its statuses in the order of
    their dates, each different one once."""
    steps: dict[str, list[StoryStep]] = {}
    seen: set[tuple[str, datetime.date, str, str]] = set()  # phase, date, status, what
    titles: dict[str, str] = {}
    for e in explainers:
        for phase in e.phases:
            titles[phase.id] = phase.title  # the latest explainer's name for it
            found = steps.setdefault(phase.id, [])
            for step in (StoryStep(phase.as_of, phase.status, "", phase.sources, e),
                         *(StoryStep(c.date, c.status, c.what, c.sources, e)
                           for c in phase.history)):
                if (key := (phase.id, step.date, step.status, step.what)) not in seen:
                    seen.add(key)
                    found.append(step)
    return tuple(StoryPhase(pid, titles[pid], tuple(sorted(found, key=lambda s: s.date)))
                 for pid, found in steps.items())


def story_timeline(explainers: tuple[Listing, ...], phases: tuple[StoryPhase, ...]
                   ) -> tuple[tuple[datetime.date, str, Listing], ...]:
    """The dated events of a story's explainers and of its phases, oldest first."""
    timeline = [(e.events_from, f"The events reported in \u201c{e.title}\u201d begin", e)
                for e in explainers]
    for phase in phases:
        for step in phase.steps:
            text = f"{phase.title}: {step.status}" + (f". {step.what}" if step.what else "")
            timeline.append((step.date, text, step.explainer))
    return tuple(sorted(timeline, key=lambda entry: entry[0]))


def newest(explainers: Sequence[Listing]) -> Listing:
    """The explainer of a story changed last."""
    return max(explainers, key=lambda e: (e.last_change, e.published, e.slug))


def story_title(explainers: Sequence[Listing]) -> str:
    """A story's title: the `story_title` its explainer changed last gives, of those that
    give one; else that explainer's own title."""
    given = next((e.story_title for e in sorted(explainers, key=lambda e: e.last_change,
                                                reverse=True) if e.story_title), None)
    return given or newest(explainers).title
