"""Stage 2, validate: check a loaded file against the schema and the article, and build the
typed Explainer. Every problem is collected, each with its line, column and field path."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator import article as art
from generator import text_checks
from generator.errors import ContentError, Problem
from generator.load import SourceFile
from generator.project import link_problem
from generator.schema import (
    KEY_POINT_WORDS,
    MOVED,
    RESERVED_SLUGS,
    Account,
    Actor,
    Choice,
    Condition,
    Date,
    Evidence,
    Explainer,
    Flag,
    KeyPoint,
    Kind,
    ListOf,
    Note,
    Obj,
    Passage,
    Pattern,
    Phase,
    PhaseChange,
    Question,
    QuestionChange,
    Quote,
    QuoteText,
    Ref,
    Reported,
    SeedName,
    Settings,
    Source,
    Text,
    Url,
    fields_of,
)

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SURPRISES = {
    "tag:yaml.org,2002:bool": "a true/false value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "an empty value",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Invalid:
    """Marks a value that failed validation; its problem has been recorded."""


INVALID: Any = _Invalid()


@dataclass
class _Walk:
    """State of one file's validation: problems so far, ids defined and ids referred to."""

    source: SourceFile
    article: art.Article | None
    seeds_dir: Path
    problems: list[Problem] = field(default_factory=list)
    defined: dict[tuple[str, str], int] = field(default_factory=dict)
    refs: list[tuple[str, str, yaml.Node, str]] = field(default_factory=list)
    # Each direct quote with its node and path, checked against its speaker once every
    # actor is known.
    quotes: list[tuple[Quote, yaml.MappingNode, str]] = field(default_factory=list)
    seed_sha: str = ""  # of the seed the article was checked against

    def problem(self, node: yaml.Node | None, path: str, message: str) -> Any:
        if node is None:
            line, col = None, None
        else:
            line = self.source.front_line + node.start_mark.line
            col = node.start_mark.column + 1
        self.problems.append(Problem(self.source.display, line, col, path, message))
        return INVALID

    def text(self, node: yaml.Node, path: str, accept_date: bool) -> Any:
        """The stripped text of a scalar, or a problem saying what the node is instead."""
        if isinstance(node, yaml.MappingNode):
            return self.problem(node, path, "expected text, found a set of 'key: value' lines")
        if isinstance(node, yaml.SequenceNode):
            return self.problem(node, path, "expected text, found a list")
        value = node.value
        if node.tag == _STR or (accept_date and node.tag == _TIMESTAMP):
            if not value.strip():
                return self.problem(node, path, "must not be empty")
            return value.strip()
        if node.tag == "tag:yaml.org,2002:null" and value in ("", "~"):
            return self.problem(node, path, "must not be empty")
        if node.tag in _SURPRISES:
            return self.problem(node, path, f"YAML reads {value} as {_SURPRISES[node.tag]}, "
                                f"not text; put it in quotes: \"{value}\"")
        return self.problem(node, path, f"unsupported YAML tag {node.tag}")

    def mapping(self, cls: type, node: yaml.Node, path: str) -> Any:
        """The `cls` a set of 'key: value' lines makes, or INVALID with its problems recorded."""
        if not isinstance(node, yaml.MappingNode):
            return self.problem(node, path or "front matter", _not_a_mapping(cls, path))
        prefix = f"{path}." if path else ""
        keys, values, valid = self._given(cls, node, path, prefix)
        if len(values) < len(_fields(cls)):  # some field is not given
            for name in _missing(cls, keys):
                self.problem(node, prefix + name, "required field is missing")
                valid = False
        ident = values.get("id")
        if isinstance(ident, str):
            self.define(path, ident, keys["id"])
        return self._whole(cls(**values), node, path) if valid else INVALID

    def _given(self, cls: type, node: yaml.MappingNode, path: str,
               prefix: str) -> tuple[dict[str, yaml.Node], dict[str, Any], bool]:
        """The fields a mapping gives, each converted: the node of each key, the values, and
        whether every value is valid. A key that names no field is a problem, and skipped."""
        fields = _fields(cls)
        keys: dict[str, yaml.Node] = {}
        values: dict[str, Any] = {}
        valid = True
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.tag != _STR or not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path or "front matter", f"key {key!r} must be a plain name")
            elif key in keys:
                first = self.source.front_line + keys[key].start_mark.line
                self.problem(key_node, prefix + key,
                             f"duplicate key (first given on line {first}); keep one")
            elif key in fields:
                keys[key] = key_node
                value = values[key] = fields[key](self, value_node, prefix + key)
                valid = valid and value is not INVALID
            else:
                keys[key] = key_node
                self.problem(key_node, prefix + key, _unknown_field(cls, key, fields))
                valid = valid and (cls, key) not in MOVED
        return keys, values, valid

    def _whole(self, value: Any, node: yaml.MappingNode, path: str) -> Any:
        """The value, or INVALID when the rule for its class (_RULES) finds a problem with it."""
        rule = _RULES.get(type(value))
        if rule is not None and rule(self, value, node, path) is INVALID:
            return INVALID
        return value

    def define(self, path: str, ident: str, node: yaml.Node) -> None:
        collection = path.split("[")[0]
        line = self.source.front_line + node.start_mark.line
        first = self.defined.setdefault((collection, ident), line)
        if first != line:
            self.problem(node, f"{path}.id", f"duplicate id '{ident}' (first used on line "
                         f"{first})")

    def check_refs(self) -> None:
        for collection, ident, node, path in self.refs:
            if (collection, ident) in self.defined:
                continue
            known = sorted(i for c, i in self.defined if c == collection)
            close = difflib.get_close_matches(ident, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                f"known: {', '.join(known)}" if known else f"no {collection} are defined")
            self.problem(node, path, f"'{ident}' is not the id of any of {collection}; {hint}")


# What checks a node against one kind of field, called with the walk, the node and its path.
Convert = Callable[[_Walk, yaml.Node, str], Any]


@functools.cache
def _fields(cls: type) -> dict[str, Convert]:
    """The front-matter fields of a model class, in order, each with its converter."""
    return {spec.name: _converter(spec.kind) for spec in fields_of(cls)}


@functools.cache
def _required(cls: type) -> tuple[str, ...]:
    return tuple(spec.name for spec in fields_of(cls) if spec.required)


def _not_a_mapping(cls: type, path: str) -> str:
    """What to say of a node that should be a set of 'key: value' lines: below the front
    matter, with the fields it needs."""
    names = ", ".join(f"'{name}'" for name in _required(cls)) if path else ""
    hint = f" ({names})" if names else ""
    return f"expected a set of 'key: value' lines{hint}"


def _unknown_field(cls: type, key: str, fields: dict[str, Convert]) -> str:
    """What to say of a key that is no field of `cls`: where it moved, or the nearest field."""
    if (cls, key) in MOVED:
        return MOVED[cls, key]
    close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"the fields here are {', '.join(fields)}"
    return f"unknown field; {hint}"


def _missing(cls: type, keys: dict[str, yaml.Node]) -> list[str]:
    """The required fields of `cls` that none of these keys gives."""
    return [name for name in _required(cls) if name not in keys]


@functools.cache
def _converter(kind: Kind) -> Convert:  # noqa: C901 (one flat match)
    """The function that checks a node against `kind` and returns its value (or INVALID,
    with the problem recorded). Made once per kind rather than matching the kind at every
    node: a build walks thousands of nodes per second."""
    match kind:
        case Obj(cls):
            return functools.partial(_mapping, cls)
        case ListOf(item, min_items, max_items):
            return _sequence(_converter(item), min_items, max_items)
        case Text(single_line=True):
            return _textual(_single_line)
        case Text():
            return _textual(None)
        case Pattern(regex, explain):
            return _textual(functools.partial(_pattern, re.compile(regex).fullmatch, explain))
        case Choice(options):
            return _textual(functools.partial(_choice, options))
        case Date():
            return _textual(_date, accept_date=True)
        case Url():
            return _textual(_url)
        case QuoteText():
            return _textual(_quote)
        case Reported():
            return _reported
        case Ref(collection):
            return _textual(functools.partial(_ref, collection))
        case SeedName():
            return _textual(_seed_name)
        case Flag():
            return _flag
    raise TypeError(f"unknown kind {kind!r}")  # a bug in schema.py, not a user mistake


def _mapping(cls: type, walk: _Walk, node: yaml.Node, path: str) -> Any:
    return walk.mapping(cls, node, path)


def _sequence(item: Convert, min_items: int, max_items: int | None = None) -> Convert:
    def convert(walk: _Walk, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
                if min_items:
                    return walk.problem(node, path, f"is empty; list at least {min_items}")
                return ()
            return walk.problem(node, path, "expected a list ('- ' items)")
        if len(node.value) < min_items:
            return walk.problem(node, path, f"must list at least {min_items}")
        if max_items is not None and len(node.value) > max_items:
            return walk.problem(node, path, f"lists {len(node.value)}; at most {max_items}: "
                                "keep the ones a reader needs first")
        values = tuple([item(walk, child, f"{path}[{i}]") for i, child in enumerate(node.value)])
        return INVALID if INVALID in values else values

    return convert


# Checks the text of a scalar field further: (walk, text, node, path) -> value or INVALID.
Check = Callable[[_Walk, str, yaml.Node, str], Any]


def _textual(check: Check | None, accept_date: bool = False) -> Convert:
    def convert(walk: _Walk, node: yaml.Node, path: str) -> Any:
        # The common case first: a plain string, no problem to describe.
        if node.tag == _STR and node.__class__ is yaml.ScalarNode:
            text = node.value.strip()
            if not text:
                return walk.problem(node, path, "must not be empty")
        else:
            text = walk.text(node, path, accept_date)
            if text is INVALID:
                return INVALID
        if not text.isprintable() and (refused := _refused(walk, text, check is _quote)):
            return walk.problem(node, path, refused)
        return text if check is None else check(walk, text, node, path)

    return convert


def _refused(walk: _Walk, text: str, is_quote: bool) -> str | None:
    """Characters no text field may hold (text_checks), or that a quote lacks in the article."""
    refused = text_checks.value_problem(text, is_quote)
    if not refused and is_quote and walk.article and not text.isascii():
        refused = text_checks.quote_problem(text, walk.article.text)
    return refused


def _single_line(walk: _Walk, text: str, node: yaml.Node, path: str) -> Any:
    if "\n" in text:
        return walk.problem(node, path, "must be a single line")
    return text


def _pattern(fullmatch: Callable[[str], Any], explain: str, walk: _Walk, text: str,
             node: yaml.Node, path: str) -> Any:
    if not fullmatch(text):
        return walk.problem(node, path, f"'{text}' is not valid: {explain}")
    return text


def _choice(options: tuple[str, ...], walk: _Walk, text: str, node: yaml.Node,
            path: str) -> Any:
    if text not in options:
        close = difflib.get_close_matches(text, options, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        allowed = ", ".join(f"'{o}'" for o in options)
        return walk.problem(node, path, f"'{text}' is not one of {allowed}{hint}")
    return text


def _date(walk: _Walk, text: str, node: yaml.Node, path: str) -> Any:
    if not _DATE.fullmatch(text):
        return walk.problem(node, path, f"'{text}' is not a date written YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return walk.problem(node, path, f"'{text}' is not a real date")


def _url(walk: _Walk, text: str, node: yaml.Node, path: str) -> Any:
    if not is_web_address(text):
        return walk.problem(node, path, f"'{text}' is not a web address: use a full "
                            "http:// or https:// URL, or leave the field out")
    return text


def _quote(walk: _Walk, text: str, node: yaml.Node, path: str) -> Any:
    if walk.article is None:
        return Passage(text, "")
    found = art.locate(walk.article, text)
    if isinstance(found, art.NotFound):
        return walk.problem(node, path, found.message)
    return Passage(text, found.target, found.block, found.start, found.end)


_PASSAGE = _textual(_quote)


def _reported(walk: _Walk, node: yaml.Node, path: str) -> Any:
    """A passage of evidence: its words alone, or a set with whom the article credits."""
    if isinstance(node, yaml.MappingNode):
        return walk.mapping(Evidence, node, path)
    passage = _PASSAGE(walk, node, path)
    return INVALID if passage is INVALID else Evidence(passage=passage)


def _ref(collection: str, walk: _Walk, text: str, node: yaml.Node, path: str) -> Any:
    walk.refs.append((collection, text, node, path))
    return text


def _flag(walk: _Walk, node: yaml.Node, path: str) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on", "y")
    return walk.problem(node, path, "expected true or false")


def _seed_name(walk: _Walk, text: str, node: yaml.Node, path: str) -> Any:
    if "/" in text or "\\" in text or text.startswith("."):
        return walk.problem(node, path, f"'{text}' must be a file name in seeds/, "
                            "without folders")
    if problem := link_problem(walk.seeds_dir / text, walk.seeds_dir.parent):
        return walk.problem(node, path, f"seeds/{text} {problem}")
    if not (walk.seeds_dir / text).is_file():
        return walk.problem(node, path, f"seeds/{text} does not exist")
    return text


# Checks of one item as a whole, once each of its fields is valid: (walk, item, its node, its
# path) -> INVALID when a problem was recorded.
Rule = Callable[[_Walk, Any, yaml.MappingNode, str], Any]


def _rests_on(claim_field: str | None, what: str) -> Rule:
    """A claim in the annotator's words must cite the article's reporting or the record."""

    def rule(walk: _Walk, item: Any, node: yaml.MappingNode, path: str) -> Any:
        claim = getattr(item, claim_field) if claim_field else True
        if claim and not item.evidence and not item.sources:
            at = _at(node, claim_field) if claim_field else None
            key = _key_at(node, claim_field) if claim_field else None
            return walk.problem(key or at or node, f"{path}.{claim_field}" if claim_field
                                else path, f"{what} rests on nothing: cite the article's "
                                "words under 'evidence' or the record under 'sources'")
        return None

    return rule


def _quote_rule(walk: _Walk, quote: Quote, node: yaml.MappingNode, path: str) -> Any:
    if (quote.said_on or quote.said_where) and not quote.sources and not quote.note:
        key = _key_at(node, "said_on") or _key_at(node, "said_where")
        return walk.problem(key, f"{path}.said_on" if quote.said_on else f"{path}.said_where",
                            "when and where words were said come from the record: cite it "
                            "under 'sources' or link the context 'note'")
    walk.quotes.append((quote, node, path))
    return None


def _key_point_rule(walk: _Walk, point: KeyPoint, node: yaml.MappingNode, path: str) -> Any:
    count = len(point.text.split())
    if count > KEY_POINT_WORDS:
        return walk.problem(_at(node, "text"), f"{path}.text", f"has {count} words; a key "
                            f"point has at most {KEY_POINT_WORDS}: say one thing, briefly")
    return _rests_on("text", "the key point")(walk, point, node, path)


def _account_rule(walk: _Walk, account: Account, node: yaml.MappingNode, path: str) -> Any:
    if account.passage is None and not account.sources:
        return walk.problem(_key_at(node, "says"), f"{path}.says", "an account rests on the "
                            "article's 'passage' or on 'sources' from the record")
    return None


def _note_rule(walk: _Walk, note: Note, node: yaml.MappingNode, path: str) -> Any:
    if note.verdict == "differs" and note.passage is None:
        return walk.problem(_key_at(node, "verdict"), f"{path}.passage", "a note saying the "
                            "record differs must give the article's 'passage' it corrects")
    return None


def _source_rule(walk: _Walk, source: Source, node: yaml.MappingNode, path: str) -> Any:
    if (source.title is None) == (source.description is None):
        return walk.problem(node, f"{path}.title", "give either 'title' (its headline, as "
                            "published) or 'description' (what it is, when it has no title), "
                            "not both" if source.title else "give either 'title' (its "
                            "headline, as published) or 'description' (what it is)")
    return None


_RULES: dict[type, Rule] = {
    Actor: _rests_on("position", "the position"),
    Phase: _rests_on("what", "the phase's description and status"),
    Condition: _rests_on("text", "the condition"),
    PhaseChange: _rests_on("what", "the change"),
    QuestionChange: _rests_on("what", "the answer"),
    Question: _rests_on("question", "the question"),
    Quote: _quote_rule,
    KeyPoint: _key_point_rule,
    Account: _account_rule,
    Note: _note_rule,
    Source: _source_rule,
}


def _at(node: yaml.Node | None, *keys: str | int) -> yaml.Node | None:
    """The node at a path of keys and list indexes below a node, or None."""
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and (
                key < len(node.value)):
            node = node.value[key]
        else:
            return None
    return node


def _key_at(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((k for k, _ in node.value if k.value == key), None)


def _check_attribution(walk: _Walk, explainer: Explainer) -> None:
    """Quotation marks on the page belong to speakers' words: a direct quote must stand
    inside quotation marks in the article, in a paragraph that names its speaker."""
    if walk.article is None:
        return
    actors: dict[str, Actor] = {}
    for actor in explainer.actors:  # the first of a duplicate id: the second is refused
        actors.setdefault(actor.id, actor)
    for quote, node, path in walk.quotes:
        speaker = actors.get(quote.speaker)
        if speaker is None:  # reported as an unknown id
            continue
        block = walk.article.blocks[quote.words.paragraph]
        if not art.inside_quotation(block, quote.words.start, quote.words.end):
            walk.problem(_at(node, "words"), f"{path}.words", "these words are not inside "
                         "quotation marks in the article: this is the article's own "
                         f"reporting, not {_in_sentence(speaker.name)}'s words: put it under "
                         "evidence")
        elif not art.names_in(block, (speaker.name, *speaker.also_named)):
            also = f" or any of {', '.join(speaker.also_named)}" if speaker.also_named else ""
            walk.problem(_at(node, "speaker"), f"{path}.speaker", "the paragraph holding these "
                         f"words does not name {speaker.name}{also}: check the speaker, or "
                         "add the name the article uses there to the actor's 'also_named'")


def _in_sentence(name: str) -> str:
    """'The Kremlin' as it reads after other words."""
    return "the " + name[4:] if name.startswith("The ") else name


def _unquoted(quote: Quote) -> Quote:
    """The quote without the article's own marks around it, which the page puts back."""
    words = quote.words
    if len(words.text) > 2 and (0, len(words.text) - 1) in art.quotation_pairs(words.text):
        words = words._replace(text=words.text[1:-1].strip(), start=words.start + 1,
                               end=words.end - 1)
    return dataclasses.replace(quote, words=words)


def validate(source: SourceFile, parser: art.ArticleParser, seeds_dir: Path) -> Explainer:
    """The typed explainer for a loaded file, or ContentError listing every problem in it."""
    walk = _Walk(source, None, seeds_dir)
    walk.problems.extend(source.problems)
    unsafe = text_checks.body_problems(source.body, source.display, source.body_line)
    walk.problems.extend(unsafe)
    overloaded = art.count_brackets(source.body)
    for line, count in overloaded:
        walk.problems.append(Problem(
            source.display, source.body_line + line - 1, None, "body",
            f"paragraph has {count} unescaped '['; write them as '\\[' (the limit is "
            f"{art.MAX_BRACKETS_PER_PARAGRAPH})"))
    if not overloaded and not unsafe:
        walk.article = parser.parse(source.body, _peek(source.front, "language"))
    explainer = walk.mapping(Explainer, source.front, "")
    walk.check_refs()
    if explainer is not INVALID:
        _check_dates(walk, explainer)
        _check_slug(walk, explainer)
        _check_attribution(walk, explainer)
        _check_seed(walk, explainer)
        explainer = dataclasses.replace(
            explainer, quotes=tuple(_unquoted(q) for q in explainer.quotes))
    if walk.problems:
        raise ContentError(walk.problems)
    slug_key = next(k for k, _ in source.front.value if k.value == "slug")
    return dataclasses.replace(explainer, file=source.display, article=walk.article,
                               slug_line=source.front_line + slug_key.start_mark.line,
                               seed_sha=walk.seed_sha)


def validate_settings(node: yaml.MappingNode | None, display: str) -> Settings:
    """Typed settings from the settings file's YAML, or ContentError listing every problem."""
    if node is None:
        return Settings()
    walk = _Walk(SourceFile(display, node, 1, "", 1), None, Path())
    settings = walk.mapping(Settings, node, "")
    if walk.problems:
        raise ContentError(walk.problems)
    return with_base_url(settings, settings.base_url)


def with_base_url(settings: Settings, base_url: str | None) -> Settings:
    """Settings with this base URL, always ending in '/' so page paths can be appended."""
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return dataclasses.replace(settings, base_url=base_url)


def is_web_address(text: str) -> bool:
    """A full http:// or https:// address with a host and no spaces."""
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed '[' where an IPv6 host would go
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


def _peek(node: yaml.MappingNode, key: str) -> str | None:
    for key_node, value_node in node.value:
        if key_node.value == key and isinstance(value_node, yaml.ScalarNode):
            return str(value_node.value)
    return None


# A problem found in a typed explainer: the keys leading to its node in the front matter
# (_at), and the message.
Found = tuple[tuple[str | int, ...], str]


def _check_dates(walk: _Walk, explainer: Explainer) -> None:
    """Dates in the order time runs: events, then publication, then updates and corrections;
    each status's history after the moment it held."""
    front = walk.source.front
    for keys, message in (*_event_dates(explainer), *_correction_dates(explainer),
                          *_status_dates(explainer)):
        walk.problem(_at(front, *keys), _field_path(keys), message)


def _event_dates(e: Explainer) -> Iterator[Found]:
    """The events before publication, and the update after it."""
    if e.updated and e.updated < e.published:
        yield ("updated",), f"{e.updated} is before published ({e.published})"
    if e.events_to and e.events_to < e.events_from:
        yield ("events_to",), f"{e.events_to} is before events_from ({e.events_from})"
    if e.moment > e.published:
        yield (("events_to" if e.events_to else "events_from",),
               f"{e.moment} is after published ({e.published}): later events go in a "
               "status's 'history' or a note's 'facts'")


def _correction_dates(e: Explainer) -> Iterator[Found]:
    """Each correction between publication and the update that made it."""
    for i, correction in enumerate(e.corrections):
        keys = ("corrections", i, "date")
        if correction.date < e.published:
            yield keys, f"{correction.date} is before published ({e.published})"
        elif e.updated is None:
            yield keys, ("a dated correction means the explainer was updated: "
                         f"give 'updated: {correction.date}' (or later)")
        elif correction.date > e.updated:
            yield keys, f"{correction.date} is after updated ({e.updated})"


def _status_dates(e: Explainer) -> Iterator[Found]:
    """The dates of every phase's and question's status."""
    for section, items in (("plan", e.plan), ("questions", e.questions)):
        for i, item in enumerate(items):
            for keys, message in _history_dates(item, e):
                yield (section, i, *keys), message


def _history_dates(item: Phase | Question, e: Explainer) -> Iterator[Found]:
    """A status held from its as_of, within the events; each change after the one before."""
    held = item.as_of or e.moment
    if item.as_of and item.as_of < e.events_from:
        yield ("as_of",), f"{item.as_of} is before the events ({e.events_from})"
    for j, change in enumerate(item.history):
        if change.date < held:
            yield (("history", j, "date"), f"{change.date} is before {held}, when the status "
                   "before it held; list later changes oldest first")
        held = change.date


def _field_path(keys: tuple[str | int, ...]) -> str:
    """Keys as a problem names their field: ('plan', 0, 'as_of') is 'plan[0].as_of'."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in keys)[1:]


def _check_slug(walk: _Walk, explainer: Explainer) -> None:
    if explainer.slug in RESERVED_SLUGS:
        walk.problem(_at(walk.source.front, "slug"), "slug", f"'{explainer.slug}' is the "
                     "address of one of the site's own pages; choose another slug")


def _check_seed(walk: _Walk, explainer: Explainer) -> None:
    """The article in content/ must say what the seed says, word for word."""
    if walk.article is None:
        return
    seed_path = walk.seeds_dir / explainer.seed
    seed_bytes = seed_path.read_bytes()
    walk.seed_sha = hashlib.sha256(seed_bytes).hexdigest()
    try:
        seed_text = seed_bytes.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        walk.problem(_at(walk.source.front, "seed"), "seed",
                     f"seeds/{explainer.seed} is not valid UTF-8 (byte offset {err.start})")
        return
    if art.normalize(walk.article.text) == art.normalize(seed_text):
        return  # the same words with the same single spaces between them
    ours, theirs = art.words(walk.article.text), art.words(seed_text)
    if ours == theirs:
        return
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
              min(len(ours), len(theirs)))
    line = _line_of_word(walk.source.body, ours, at) + walk.source.body_line - 1
    context = " ".join(theirs[max(0, at - 4):at + 4])
    if at >= len(ours):
        rest = " ".join(theirs[at:at + 8])
        message = f"the article stops before the seed does; the seed goes on: '{rest}'"
    elif at >= len(theirs):
        message = f"the article has words the seed does not, from '{ours[at]}'"
    else:
        message = (f"word {at + 1} is '{ours[at]}' but the seed has '{theirs[at]}' "
                   f"(seed: '{context}')")
    walk.problems.append(Problem(walk.source.display, line, None, "body",
                                 f"differs from seeds/{explainer.seed}: {message}"))


def _line_of_word(body: str, body_words: list[str], index: int) -> int:
    """Line of the body (1-based) where the index-th word of the rendered article sits, found
    by following the words through the Markdown source."""
    text = art.normalize(body.replace("\n", "\n\x00"))
    cursor = 0
    for word in body_words[:index + 1]:
        found = text.find(word, cursor)
        if found < 0:
            break
        cursor = found
    return text.count("\x00", 0, cursor) + 1
