"""What an annotated explainer is: the typed model, and the YAML shape of each field.

The front matter is declared once, here, as dataclasses whose fields carry a `Kind` and a
description. Validation (`validate.py`), the JSON Schema (`explainer schema`) and the skeleton
that `explainer new` writes are all derived from these declarations, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.article import Article

# ---------------------------------------------------------------------------- field kinds


@dataclass(frozen=True)
class Text:
    """Non-empty text; `single_line` refuses line breaks (names, titles)."""

    single_line: bool = False


@dataclass(frozen=True)
class Pattern:
    """Text matching a regular expression, such as ids and slugs."""

    regex: str
    explain: str


@dataclass(frozen=True)
class Url:
    """An absolute http or https address."""


@dataclass(frozen=True)
class Date:
    """A calendar date written YYYY-MM-DD."""


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]


@dataclass(frozen=True)
class QuoteText:
    """Words that must appear verbatim in the article."""


@dataclass(frozen=True)
class Ref:
    """The id of an item defined in another list of the same file."""

    collection: str


@dataclass(frozen=True)
class SeedName:
    """The file name of the source article in `seeds/`."""


@dataclass(frozen=True)
class ListOf:
    item: Kind
    min_items: int = 1


@dataclass(frozen=True)
class Obj:
    cls: type


Kind = Text | Pattern | Url | Date | Choice | QuoteText | Ref | SeedName | ListOf | Obj

TEXT = Text()
LINE = Text(single_line=True)
ID = Pattern(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*",
             "an id is lowercase letters, digits and single hyphens, starting with a letter, "
             "e.g. 'energy-truce'")
SLUG = Pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*",
               "a slug is lowercase letters, digits and single hyphens, e.g. "
               "'trump-putin-ceasefire-call'")
HOSTNAME = Pattern(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
                   "a custom domain is a host name such as 'explainers.example.org'")
LANGUAGE = Pattern(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*",
                   "a language is a BCP 47 tag such as 'en' or 'en-GB'")
PHASE_STATUS = Choice(("proposed", "under negotiation", "agreed", "in effect", "stalled",
                       "rejected"))
QUESTION_STATUS = Choice(("open", "partly answered", "answered"))
SOURCE_KIND = Choice(("article", "official statement", "reporting", "analysis"))


def spec(kind: Kind, doc: str, **kwargs: Any) -> Any:
    """A dataclass field that appears in the front matter as `kind`, described by `doc`."""
    return field(metadata={"kind": kind, "doc": doc}, **kwargs)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    doc: str
    required: bool


@functools.cache
def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """The front-matter fields of a model class, in declaration order."""
    return tuple(
        FieldSpec(f.name, f.metadata["kind"], f.metadata["doc"],
                  f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(cls)
        if "kind" in f.metadata
    )


# ---------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Quote:
    """A verbatim quote, and the id of the sentence (or paragraph) of the article it is in."""

    text: str
    target: str


@dataclass(frozen=True, kw_only=True)
class Actor:
    id: str = spec(ID, "Short id the plan and questions use to refer to this actor.")
    name: str = spec(LINE, "The person or institution, named as in the article.")
    role: str = spec(LINE, "What they are, e.g. 'President of Russia'.")
    side: str = spec(LINE, "Who they speak for or belong to, e.g. 'Russia'.")
    wants: str = spec(TEXT, "Their stated position, in the annotator's words.")
    quotes: tuple[Quote, ...] = spec(ListOf(QuoteText(), 0),
                                     "Their words, verbatim from the article.", default=())


@dataclass(frozen=True, kw_only=True)
class Phase:
    id: str = spec(ID, "Short id for this phase.")
    title: str = spec(LINE, "Name of the phase, e.g. 'Energy and infrastructure truce'.")
    what: str = spec(TEXT, "What the phase would do, in the annotator's words.")
    status: str = spec(PHASE_STATUS, "Where the phase stands according to the article.")
    actors: tuple[str, ...] = spec(ListOf(Ref("actors")), "Ids of the actors involved.")
    conditions: tuple[str, ...] = spec(ListOf(TEXT, 0), "Conditions attached to it.",
                                       default=())
    evidence: tuple[Quote, ...] = spec(ListOf(QuoteText()),
                                       "The article's words describing this phase, verbatim.")


@dataclass(frozen=True, kw_only=True)
class Question:
    id: str = spec(ID, "Short id for this question.")
    question: str = spec(LINE, "The open question, as a question.")
    why_it_matters: str = spec(TEXT, "Why a reader should care about the answer.")
    status: str = spec(QUESTION_STATUS, "Whether the article or later events answer it.")
    actors: tuple[str, ...] = spec(ListOf(Ref("actors"), 0),
                                   "Ids of the actors whose decision answers it.", default=())
    evidence: tuple[Quote, ...] = spec(ListOf(QuoteText(), 0),
                                       "Where the article speaks to it, verbatim.", default=())


@dataclass(frozen=True, kw_only=True)
class Source:
    id: str = spec(ID, "Short id that notes use to cite this source.")
    title: str = spec(LINE, "Title of the statement, report or article.")
    kind: str = spec(SOURCE_KIND, "What sort of source it is.")
    publisher: str | None = spec(LINE, "Who published or issued it.", default=None)
    date: datetime.date | None = spec(Date(), "Date it was published or issued.",
                                      default=None)
    url: str | None = spec(Url(), "Where a reader can check it; leave out if unknown, "
                           "never guess.", default=None)
    note: str | None = spec(TEXT, "What a reader should know about this source.",
                            default=None)


@dataclass(frozen=True, kw_only=True)
class Note:
    id: str = spec(ID, "Short id for this context note.")
    title: str = spec(LINE, "One line saying what the note is about.")
    claim: Quote = spec(QuoteText(), "What the article says, verbatim.")
    record: str = spec(TEXT, "What the public record shows, in the annotator's words.")
    sources: tuple[str, ...] = spec(ListOf(Ref("sources")),
                                    "Ids of the sources that show it.")


@dataclass(frozen=True, kw_only=True)
class Explainer:
    title: str = spec(LINE, "Headline of the explainer.")
    slug: str = spec(SLUG, "Last part of the page's address: site/<slug>/index.html.")
    summary: str = spec(TEXT, "What happened, in one or two sentences.")
    published: datetime.date = spec(Date(), "Date this explainer was first published.")
    updated: datetime.date | None = spec(Date(), "Date of its latest revision.", default=None)
    seed: str = spec(SeedName(), "File name of the source article in seeds/.")
    language: str = spec(LANGUAGE, "Language of the article, e.g. 'en'.")
    actors: tuple[Actor, ...] = spec(ListOf(Obj(Actor)), "Who is involved and what they want.")
    plan: tuple[Phase, ...] = spec(ListOf(Obj(Phase)), "The phased plan, in order.")
    questions: tuple[Question, ...] = spec(ListOf(Obj(Question)), "What is still open.")
    notes: tuple[Note, ...] = spec(ListOf(Obj(Note), 0),
                                   "Context from outside the article, with sources.",
                                   default=())
    sources: tuple[Source, ...] = spec(ListOf(Obj(Source)), "Everything the page relies on.")
    # Filled in by validation, not written in the front matter.
    file: str = ""
    slug_line: int = 0
    article: Article | None = field(default=None, repr=False)
    # SHA-256 of the seed's bytes as the article was checked against them: the cache key is
    # made from these, not from a second read that an edit in between could make differ.
    seed_sha: str = field(default="", repr=False)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Site-wide settings, from explainer.yaml at the project's root (every field optional)."""

    title: str = spec(LINE, "Name of the site, shown on every page.", default="Explainers")
    description: str = spec(TEXT, "What the site is, for the home page's description.",
                            default="Sourced explainers: who is involved, what is proposed, "
                            "what is still open, and the article behind each.")
    base_url: str | None = spec(Url(), "Address the site is published at, e.g. "
                                "'https://user.github.io/repo/'; used for canonical links, "
                                "the sitemap and the feed.", default=None)
    language: str = spec(LANGUAGE, "Language of the site's own pages.", default="en")
    publisher: str | None = spec(LINE, "Who publishes the site.", default=None)
    custom_domain: str | None = spec(HOSTNAME, "A custom domain for GitHub Pages; written to "
                                     "CNAME.", default=None)


class Listing(NamedTuple):
    """What the home page, the feed and the sitemap show of an explainer; small enough for the
    build cache to keep, so an unchanged file is never read again to list it. A named tuple:
    a build of thousands of explainers makes one per file from the cache, and a frozen
    dataclass is several times slower to make."""

    slug: str
    title: str
    summary: str
    published: datetime.date
    updated: datetime.date | None
    language: str
    file: str
    slug_line: int

    @classmethod
    def of(cls, explainer: Explainer) -> Listing:
        return cls(explainer.slug, explainer.title, explainer.summary, explainer.published,
                   explainer.updated, explainer.language, explainer.file, explainer.slug_line)

    def to_row(self) -> tuple:
        """Plain values for the build cache's manifest (dates as day numbers)."""
        return (self.slug, self.title, self.summary, self.published.toordinal(),
                self.updated.toordinal() if self.updated else 0, self.language, self.file,
                self.slug_line)

    @classmethod
    def from_row(cls, row: tuple) -> Listing:
        slug, title, summary, published, updated, language, file, slug_line = row
        return cls(slug, title, summary, datetime.date.fromordinal(published),
                   datetime.date.fromordinal(updated) if updated else None, language, file,
                   slug_line)
