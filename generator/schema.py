"""What an annotated explainer is: the typed model, and the YAML shape of each field.

The front matter is declared once, here, as dataclasses whose fields carry a `Kind` and a
description. Validation (`validate.py`), the JSON Schema (`explainer schema`) and the skeleton
that `explainer new` writes are all derived from these declarations, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import zlib
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
class Reported:
    """A passage of the article's own reporting: its words, verbatim, or a set of
    `passage` and `credited_to` (whom the article credits with it)."""


@dataclass(frozen=True)
class Ref:
    """The id of an item defined in another list of the same file."""

    collection: str


@dataclass(frozen=True)
class SeedName:
    """The file name of the source article in `seeds/`."""


@dataclass(frozen=True)
class Flag:
    """true or false."""


@dataclass(frozen=True)
class ListOf:
    item: Kind
    min_items: int = 1
    max_items: int | None = None


@dataclass(frozen=True)
class Obj:
    cls: type


Kind = (Text | Pattern | Url | Date | Choice | QuoteText | Reported | Ref | SeedName | Flag
        | ListOf | Obj)

TEXT = Text()
LINE = Text(single_line=True)
ID = Pattern(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*",
             "an id is lowercase letters, digits and single hyphens, starting with a letter, "
             "e.g. 'budget-vote'")
SLUG = Pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*",
               "a slug is lowercase letters, digits and single hyphens, e.g. "
               "'city-budget-vote'")
HOSTNAME = Pattern(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
                   "a custom domain is a host name such as 'explainers.example.org'")
LANGUAGE = Pattern(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*",
                   "a language is a BCP 47 tag such as 'en' or 'en-GB'")
# Where a phase of a plan stands, in words that fit negotiations and other undertakings (after
# the stages the PA-X peace agreements database and PolitiFact's promise meters name).
PHASE_STATUS = Choice(("proposed", "under negotiation", "pledged by one side", "agreed",
                       "agreed with conditions", "in effect", "no date set", "stalled",
                       "lapsed", "broken", "rejected"))
QUESTION_STATUS = Choice(("open", "partly answered", "answered"))
# What each status says at a glance, for its badge: still to happen, done, or failed; and for
# a question, open, partly or wholly answered.
STATUS_TONE = {
    "proposed": "pending", "under negotiation": "pending", "no date set": "pending",
    "pledged by one side": "partial", "agreed with conditions": "partial",
    "agreed": "done", "in effect": "done",
    "stalled": "failed", "lapsed": "failed", "broken": "failed", "rejected": "failed",
    "open": "pending", "partly answered": "partial", "answered": "done",
}
SOURCE_KIND = Choice(("article", "official statement", "reporting", "analysis"))
ACTOR_KIND = Choice(("person", "organization", "group"))
VERDICT = Choice(("differs", "adds context"))
CORRECTION_KIND = Choice(("correction", "clarification", "update"))
# Slugs the site uses for its own pages.
RESERVED_SLUGS = frozenset({"static", "corrections", "stories", "search", "pagefind"})


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


class Passage(NamedTuple):
    """Words of the article, verbatim, and where they are: the id of the sentence (or
    paragraph) a link to them targets, and their place in that paragraph's text."""

    text: str
    target: str
    paragraph: int = -1  # index of the paragraph in Article.blocks
    start: int = 0  # offset of the first character in the paragraph's text
    end: int = 0  # offset just past the last

    def overlaps(self, other: Passage) -> bool:
        return (self.paragraph == other.paragraph >= 0 and self.start < other.end
                and other.start < self.end)


EVIDENCE = ListOf(Reported(), 0)
SOURCES = ListOf(Ref("sources"), 0)
_EVIDENCE_DOC = "Passages of the article's own reporting it rests on, verbatim."
_SOURCES_DOC = "Ids of the sources from the record it rests on."


# A key point is read at a glance: Reuters' handbook asks for points of ten to twenty words.
KEY_POINT_WORDS = 25


@dataclass(frozen=True, kw_only=True)
class Evidence:
    passage: Passage = spec(QuoteText(), "The article's words, verbatim.")
    credited_to: str | None = spec(Ref("credited"), "Id of whom the article credits with "
                                   "it, from `credited`.", default=None)


@dataclass(frozen=True, kw_only=True)
class Actor:
    id: str = spec(ID, "Short id that quotes, the plan and questions use for this actor.")
    name: str = spec(LINE, "The person or institution, named as in the article.")
    role: str = spec(LINE, "What they are, e.g. 'Minister of Finance'.")
    kind: str | None = spec(ACTOR_KIND, "Whether a person, an organization or a group.",
                            default=None)
    side: str | None = spec(LINE, "Who they speak for or belong to; leave out if the article "
                            "does not say.", default=None)
    also_named: tuple[str, ...] = spec(ListOf(LINE, 0), "Other names the article uses for "
                                       "them, e.g. a surname alone or the capital's name.",
                                       default=())
    position: str | None = spec(TEXT, "Their position, in the annotator's words; leave out "
                                "if the article and the record do not give one.",
                                default=None)
    evidence: tuple[Evidence, ...] = spec(EVIDENCE, _EVIDENCE_DOC, default=())
    sources: tuple[str, ...] = spec(SOURCES, _SOURCES_DOC, default=())


@dataclass(frozen=True, kw_only=True)
class Credited:
    id: str = spec(ID, "Short id that quotes (`via`) and evidence (`credited_to`) use.")
    name: str = spec(LINE, "Whom the article credits, e.g. 'A senior official (not named)'.")
    description: str | None = spec(TEXT, "What the article says of them.", default=None)


@dataclass(frozen=True, kw_only=True)
class Quote:
    words: Passage = spec(QuoteText(), "What the speaker said: words that stand inside "
                          "quotation marks in the article, verbatim.")
    speaker: str = spec(Ref("actors"), "Id of the actor who said them; the article must name "
                        "them (or one of their `also_named`) in the same paragraph.")
    via: str | None = spec(Ref("credited"), "Id of whom the article credits with relaying "
                           "the words, from `credited`.", default=None)
    said_on: datetime.date | None = spec(Date(), "When they were said, where the record "
                                         "knows it.", default=None)
    said_where: str | None = spec(LINE, "Where or to whom they were said, where the record "
                                  "knows it.", default=None)
    sources: tuple[str, ...] = spec(SOURCES, "Ids of the sources that say when and where.",
                                    default=())
    note: str | None = spec(Ref("notes"), "Id of a context note about these words.",
                            default=None)


@dataclass(frozen=True, kw_only=True)
class Condition:
    text: str = spec(TEXT, "The condition, in the annotator's words, naming who sets it.")
    evidence: tuple[Evidence, ...] = spec(EVIDENCE, _EVIDENCE_DOC, default=())
    sources: tuple[str, ...] = spec(SOURCES, _SOURCES_DOC, default=())


@dataclass(frozen=True, kw_only=True)
class PhaseChange:
    date: datetime.date = spec(Date(), "When the status changed.")
    status: str = spec(PHASE_STATUS, "The status from that date.")
    what: str = spec(TEXT, "What happened, in the annotator's words.")
    evidence: tuple[Evidence, ...] = spec(EVIDENCE, _EVIDENCE_DOC, default=())
    sources: tuple[str, ...] = spec(SOURCES, _SOURCES_DOC, default=())


@dataclass(frozen=True, kw_only=True)
class QuestionChange:
    date: datetime.date = spec(Date(), "When the answer changed.")
    status: str = spec(QUESTION_STATUS, "The status from that date.")
    what: str = spec(TEXT, "What answered it, in the annotator's words.")
    evidence: tuple[Evidence, ...] = spec(EVIDENCE, _EVIDENCE_DOC, default=())
    sources: tuple[str, ...] = spec(SOURCES, _SOURCES_DOC, default=())


@dataclass(frozen=True, kw_only=True)
class Phase:
    id: str = spec(ID, "Short id for this phase.")
    title: str = spec(LINE, "Name of the phase.")
    what: str = spec(TEXT, "What the phase would do, in the annotator's words.")
    status: str = spec(PHASE_STATUS, "Where the phase stood as of `as_of`.")
    as_of: datetime.date | None = spec(Date(), "When the status held; leave out for the "
                                       "article's moment (`events_to`, else `events_from`).",
                                       default=None)
    status_detail: str | None = spec(TEXT, "Who agreed, pledged or refused, where that is "
                                     "known.", default=None)
    actors: tuple[str, ...] = spec(ListOf(Ref("actors"), 0), "Ids of the actors involved.",
                                   default=())
    conditions: tuple[Condition, ...] = spec(ListOf(Obj(Condition), 0),
                                             "Conditions attached to it.", default=())
    evidence: tuple[Evidence, ...] = spec(EVIDENCE, "Passages of the article's own reporting "
                                          "that the description and status rest on.",
                                          default=())
    sources: tuple[str, ...] = spec(SOURCES, "Ids of the sources that the description and "
                                    "status rest on.", default=())
    history: tuple[PhaseChange, ...] = spec(ListOf(Obj(PhaseChange), 0),
                                            "Later changes of status, oldest first.",
                                            default=())


@dataclass(frozen=True, kw_only=True)
class Question:
    id: str = spec(ID, "Short id for this question.")
    question: str = spec(LINE, "The question, as a question.")
    why_it_matters: str | None = spec(TEXT, "Why a reader should care, where the article or "
                                      "the record says.", default=None)
    status: str = spec(QUESTION_STATUS, "Whether it was answered as of `as_of`.")
    as_of: datetime.date | None = spec(Date(), "When the status held; leave out for the "
                                       "article's moment.", default=None)
    up_to: tuple[str, ...] = spec(ListOf(Ref("actors"), 0), "Ids of the actors whose "
                                  "decision answers it.", default=())
    evidence: tuple[Evidence, ...] = spec(EVIDENCE, "Where the article raises it, verbatim.",
                                          default=())
    sources: tuple[str, ...] = spec(SOURCES, _SOURCES_DOC, default=())
    history: tuple[QuestionChange, ...] = spec(ListOf(Obj(QuestionChange), 0),
                                               "Later answers, oldest first.", default=())


@dataclass(frozen=True, kw_only=True)
class Source:
    id: str = spec(ID, "Short id that claims use to cite this source.")
    title: str | None = spec(LINE, "Its headline or title, exactly as published.",
                             default=None)
    description: str | None = spec(LINE, "What it is, when it has no title to quote, e.g. "
                                   "'Ministry statement on the budget'.", default=None)
    kind: str = spec(SOURCE_KIND, "What sort of source it is.")
    publisher: str | None = spec(LINE, "Who published or issued it.", default=None)
    date: datetime.date | None = spec(Date(), "Date it was published or issued.",
                                      default=None)
    url: str | None = spec(Url(), "Where a reader can check it; leave out if unknown, "
                           "never guess.", default=None)
    note: str | None = spec(TEXT, "What a reader should know about this source.",
                            default=None)

    @property
    def label(self) -> str:
        return self.title or self.description or ""


@dataclass(frozen=True, kw_only=True)
class KeyPoint:
    text: str = spec(TEXT, f"One point a reader in a hurry needs, in at most {KEY_POINT_WORDS} "
                     "words.")
    evidence: tuple[Evidence, ...] = spec(EVIDENCE, _EVIDENCE_DOC, default=())
    sources: tuple[str, ...] = spec(SOURCES, _SOURCES_DOC, default=())


@dataclass(frozen=True, kw_only=True)
class Account:
    by: str = spec(LINE, "Whose account it is, e.g. 'The ministry's statement'.")
    says: str = spec(TEXT, "What it says of the matter, in its words where they are known.")
    passage: Passage | None = spec(QuoteText(), "The article's words, when the account is the "
                                   "article's, verbatim.", default=None)
    sources: tuple[str, ...] = spec(SOURCES, "Ids of the sources that give this account.",
                                    default=())


@dataclass(frozen=True, kw_only=True)
class Fact:
    statement: str = spec(TEXT, "One fact from the record, in the annotator's words.")
    date: datetime.date = spec(Date(), "When it happened or was said; where the sources do "
                               "not say, the date they reported it.")
    sources: tuple[str, ...] = spec(ListOf(Ref("sources")), "Ids of the sources that show it.")


@dataclass(frozen=True, kw_only=True)
class Note:
    id: str = spec(ID, "Short id for this context note.")
    title: str = spec(LINE, "One line saying what the note is about.")
    passage: Passage | None = spec(QuoteText(), "The article's words the note is about, "
                                   "verbatim.", default=None)
    verdict: str = spec(VERDICT, "Whether the record differs from the passage or adds "
                        "context to it.")
    facts: tuple[Fact, ...] = spec(ListOf(Obj(Fact)), "What the record shows, one fact each.")
    accounts: tuple[Account, ...] = spec(ListOf(Obj(Account), 0), "Two or more accounts of "
                                         "the same thing that differ, shown side by side.",
                                         default=())


@dataclass(frozen=True, kw_only=True)
class Correction:
    date: datetime.date = spec(Date(), "When the change was made.")
    kind: str = spec(CORRECTION_KIND, "A correction of an error, a clarification, or an "
                     "update with new facts.")
    text: str = spec(TEXT, "What was changed, and why.")


@dataclass(frozen=True, kw_only=True)
class Explainer:
    title: str = spec(LINE, "Headline of the explainer.")
    slug: str = spec(SLUG, "Last part of the page's address: site/<slug>/index.html.")
    summary: str = spec(TEXT, "What happened, in one or two sentences.")
    published: datetime.date = spec(Date(), "Date this explainer was first published.")
    updated: datetime.date | None = spec(Date(), "Date of its latest revision.", default=None)
    events_from: datetime.date = spec(Date(), "Date of the events the article reports (the "
                                      "first, if they span days).")
    events_to: datetime.date | None = spec(Date(), "Last date of the events, if they span "
                                           "days.", default=None)
    seed: str = spec(SeedName(), "File name of the source article in seeds/.")
    language: str = spec(LANGUAGE, "Language of the article, e.g. 'en'.")
    story: str | None = spec(ID, "Id shared by the explainers of one developing story; they "
                             "get a story page at stories/<story>/.", default=None)
    story_title: str | None = spec(LINE, "Name of the story; the newest explainer's is "
                                   "shown on the story page.", default=None)
    developing: bool = spec(Flag(), "true while the story is still developing.",
                            default=False)
    plan_title: str = spec(LINE, "Heading of the plan section.", default="The phased plan")
    key_points: tuple[KeyPoint, ...] = spec(ListOf(Obj(KeyPoint), 2, 5), "Two to five points "
                                            "a reader needs first, each resting on evidence "
                                            "or sources.")
    actors: tuple[Actor, ...] = spec(ListOf(Obj(Actor)), "Who is involved, and their "
                                     "positions.")
    credited: tuple[Credited, ...] = spec(ListOf(Obj(Credited), 0), "Whom the article credits "
                                          "with its reporting, when they are not actors "
                                          "(unnamed officials, analysts).", default=())
    quotes: tuple[Quote, ...] = spec(ListOf(Obj(Quote), 0), "Words the article quotes, each "
                                     "under its speaker.", default=())
    plan: tuple[Phase, ...] = spec(ListOf(Obj(Phase)), "The plan or sequence under "
                                   "discussion, in order.")
    questions: tuple[Question, ...] = spec(ListOf(Obj(Question)), "What was open at the "
                                           "article's moment.")
    notes: tuple[Note, ...] = spec(ListOf(Obj(Note), 0),
                                   "Context from outside the article, with sources.",
                                   default=())
    corrections: tuple[Correction, ...] = spec(ListOf(Obj(Correction), 0), "Corrections, "
                                               "clarifications and updates, oldest first.",
                                               default=())
    sources: tuple[Source, ...] = spec(ListOf(Obj(Source)), "Everything the page relies on.")
    # Filled in by validation, not written in the front matter.
    file: str = ""
    slug_line: int = 0
    article: Article | None = field(default=None, repr=False)
    # SHA-256 of the seed's bytes as the article was checked against them: the cache key is
    # made from these, not from a second read that an edit in between could make differ.
    seed_sha: str = field(default="", repr=False)

    @property
    def moment(self) -> datetime.date:
        """The article's moment: what statuses hold as of, unless they say otherwise."""
        return self.events_to or self.events_from


# Fields of the shape before attribution was modelled, and what replaced each: a file in the
# old shape gets this instead of "unknown field".
MOVED: dict[tuple[type, str], str] = {
    (Actor, "wants"): "is now 'position' (optional), resting on 'evidence' or 'sources'",
    (Actor, "quotes"): "an actor's quotes are now in the top-level 'quotes' list, each with "
                       "'words' and 'speaker'; the article's own reporting goes under "
                       "'evidence'",
    (Question, "actors"): "is now 'up_to': the actors whose decision answers it",
    (Note, "claim"): "is now 'passage', with 'verdict' ('differs' or 'adds context')",
    (Note, "record"): "is now 'facts': a list of 'statement', 'date' and 'sources', one fact "
                      "each",
    (Note, "sources"): "sources now go with each of the note's 'facts'",
}


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


class ChangeRecord(NamedTuple):
    """A later change of a phase's status, as other pages show it."""

    date: datetime.date
    status: str
    what: str
    sources: tuple[tuple[str, str], ...]  # (id, label) of each source it cites


class PhaseRecord(NamedTuple):
    """A phase as pages other than its explainer's show it: where it stood as of when, what
    it rests on, and what followed."""

    id: str
    title: str
    status: str
    as_of: datetime.date
    sources: tuple[tuple[str, str], ...]
    history: tuple[ChangeRecord, ...]

    @classmethod
    def of(cls, phase: Phase, moment: datetime.date, labels: dict[str, str]) -> PhaseRecord:
        return cls(phase.id, phase.title, phase.status, phase.as_of or moment,
                   tuple((s, labels[s]) for s in phase.sources),
                   tuple(ChangeRecord(c.date, c.status, c.what,
                                      tuple((s, labels[s]) for s in c.sources))
                         for c in phase.history))

    def to_row(self) -> tuple:
        return (self.id, self.title, self.status, self.as_of.toordinal(), self.sources,
                tuple((c.date.toordinal(), c.status, c.what, c.sources)
                      for c in self.history))

    @classmethod
    def from_row(cls, row: tuple) -> PhaseRecord:
        # Sources as (id, label) tuples again: JSON gives back lists.
        ident, title, status, as_of, sources, history = row
        day = datetime.date.fromordinal
        return cls(ident, title, status, day(as_of), tuple(map(tuple, sources)),
                   tuple([ChangeRecord(day(d), st, what, tuple(map(tuple, srcs)))
                          for d, st, what, srcs in history]))


class BoardStep(NamedTuple):
    """A phase as a status board shows it: where it stood, and where it went later."""

    id: str
    title: str
    status: str
    as_of: datetime.date
    later_status: str  # "" when nothing followed
    later_date: datetime.date | None

    @classmethod
    def of(cls, phase: PhaseRecord) -> BoardStep:
        latest = phase.history[-1] if phase.history else None
        return cls(phase.id, phase.title, phase.status, phase.as_of,
                   latest.status if latest else "", latest.date if latest else None)


class Detail(NamedTuple):
    """The parts of a listing that are most of its size and that few pages show: its
    corrections, key points and phases."""

    corrections: tuple[tuple[datetime.date, str, str], ...]  # date, kind, text
    key_points: tuple[str, ...]
    phases: tuple[PhaseRecord, ...]


def pack_detail(detail: Detail) -> bytes:
    """A listing's detail as compressed JSON: the same detail always gives the same bytes, so
    listings compare and hash as their values do (marshal's and pickle's bytes depend on
    which objects are shared)."""
    corrections, key_points, phases = detail
    plain = ([(day.toordinal(), kind, text) for day, kind, text in corrections], key_points,
             [phase.to_row() for phase in phases])
    return zlib.compress(json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
                         .encode(), 1)


@functools.lru_cache(maxsize=64)
def unpack_detail(packed: bytes) -> Detail:
    """pack_detail undone. A page reads several parts of the same few listings in turn, so
    the last few are kept unpacked."""
    corrections, key_points, phases = json.loads(zlib.decompress(packed))
    day = datetime.date.fromordinal
    return Detail(tuple([(day(d), kind, text) for d, kind, text in corrections]),
                  tuple(key_points), tuple([PhaseRecord.from_row(row) for row in phases]))


class Listing(NamedTuple):
    """What pages other than an explainer's own show of it: the home page, the feed, the
    sitemap, the corrections page and its story's page. Small enough for the build cache to
    keep, so an unchanged file is never read again to list it. A named tuple: a build of
    thousands of explainers makes one per file from the cache, and a frozen dataclass is
    several times slower to make. Its detail, most of its size, is kept packed and unpacked
    when read: `serve` keeps every explainer's listing in memory, and reads the detail of
    few."""

    slug: str
    title: str
    summary: str
    published: datetime.date
    updated: datetime.date | None
    language: str
    file: str
    slug_line: int
    events_from: datetime.date
    events_to: datetime.date | None
    detail: bytes  # pack_detail
    # The day of each correction (of the detail's), which the corrections page is ordered by:
    # placing every explainer's corrections unpacks none.
    correction_days: tuple[datetime.date, ...]
    story: str | None
    story_title: str | None
    developing: bool
    actors: tuple[str, ...]  # names, as the search page's filter offers them

    @classmethod
    def of(cls, explainer: Explainer) -> Listing:
        e = explainer
        labels = {s.id: s.label for s in e.sources}
        detail = Detail(tuple((c.date, c.kind, c.text) for c in e.corrections),
                        tuple(point.text for point in e.key_points),
                        tuple(PhaseRecord.of(phase, e.moment, labels) for phase in e.plan))
        return cls(e.slug, e.title, e.summary, e.published, e.updated, e.language, e.file,
                   e.slug_line, e.events_from, e.events_to, pack_detail(detail),
                   tuple(c.date for c in e.corrections), e.story, e.story_title, e.developing,
                   tuple(a.name for a in e.actors))

    @property
    def corrections(self) -> tuple[tuple[datetime.date, str, str], ...]:
        return unpack_detail(self.detail).corrections

    @property
    def key_points(self) -> tuple[str, ...]:
        return unpack_detail(self.detail).key_points

    @property
    def phases(self) -> tuple[PhaseRecord, ...]:
        return unpack_detail(self.detail).phases

    def replaced(self, **changes: Any) -> Listing:
        """_replace, for the detail's parts too."""
        parts = {name: changes.pop(name) for name in Detail._fields if name in changes}
        if parts:
            detail = unpack_detail(self.detail)._replace(**parts)
            changes |= {"detail": pack_detail(detail),
                        "correction_days": tuple(day for day, _, _ in detail.corrections)}
        return self._replace(**changes)

    @property
    def board(self) -> tuple[BoardStep, ...]:
        return tuple(BoardStep.of(phase) for phase in self.phases)

    @property
    def last_change(self) -> datetime.date:
        return self.updated or self.published

    def to_row(self) -> tuple:
        """Plain values for the build cache's manifest (dates as day numbers)."""
        return (self.slug, self.title, self.summary, self.published.toordinal(),
                _day(self.updated), self.language, self.file, self.slug_line,
                self.events_from.toordinal(), _day(self.events_to), self.detail,
                tuple(day.toordinal() for day in self.correction_days), self.story or "",
                self.story_title or "", self.developing, self.actors)

    @classmethod
    def from_row(cls, row: tuple) -> Listing:
        (slug, title, summary, published, updated, language, file, slug_line, events_from,
         events_to, detail, correction_days, story, story_title, developing, actors) = row
        day = datetime.date.fromordinal
        return cls(slug, title, summary, day(published), _date(updated), language, file,
                   slug_line, day(events_from), _date(events_to), _intact(detail),
                   tuple([day(d) for d in correction_days]), story or None, story_title or None,
                   developing, actors)


def _intact(packed: bytes) -> bytes:
    """A packed detail read back from the build cache, if zlib finds it whole (by its
    checksum): ValueError if not, which has the cache set aside, rather than failing when a
    page reads it."""
    try:
        zlib.decompress(packed)
    except (zlib.error, TypeError) as err:
        raise ValueError("a listing's detail is damaged") from err
    return packed


def page_path(explainer: Explainer | Listing) -> str:
    """Where an explainer's page is in the site."""
    return f"{explainer.slug}/index.html"


def card_path(explainer: Explainer | Listing) -> str:
    """Where an explainer's share card (share_card.py) is."""
    return f"{explainer.slug}/share.png"


def _day(day: datetime.date | None) -> int:
    return day.toordinal() if day else 0


def _date(day: int) -> datetime.date | None:
    return datetime.date.fromordinal(day) if day else None
