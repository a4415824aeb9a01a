"""A small valid explainer, and the bad variants of it that users actually write.

Each case is (name, transform of the valid file's bytes, expected problem lines). The expected
lines are exactly what `explainer check` prints, without the final count.
"""

from __future__ import annotations

from collections.abc import Callable

SEED = (
    "Ann spoke on Tuesday about a truce. \u201cIt would start with power plants,\u201d she said.\n"
    "Next steps\n"
    "Whether B agrees is unclear.\n"
)

VALID = """\
---
title: A call about a truce
slug: truce-call
summary: Two leaders spoke about a truce.
published: 2025-03-19
seed: truce.txt
language: en
events_from: 2025-03-18
actors:
  - id: ann
    name: Ann Example
    role: President of A
    side: A
    also_named: [Ann]
    position: A truce that starts with power plants.
    evidence:
      - spoke on Tuesday about a truce
quotes:
  - words: It would start with power plants
    speaker: ann
plan:
  - id: power
    title: Power-plant truce
    what: No strikes on power plants.
    status: proposed
    actors: [ann]
    evidence:
      - start with power plants
questions:
  - id: b-agrees
    question: Will B agree?
    why_it_matters: Nothing holds without B.
    status: open
    sources: [wire]
notes:
  - id: date
    title: When it happened
    passage: spoke on Tuesday
    verdict: adds context
    facts:
      - statement: The call was on 18 March.
        date: 2025-03-18
        sources: [wire]
sources:
  - id: wire
    title: Wire report
    kind: reporting
    url: https://example.org/report
key_points:
  - text: Ann spoke about a truce.
    evidence: [spoke on Tuesday about a truce]
  - text: It would start with power plants.
    sources: [wire]
---
Ann spoke on Tuesday about a truce. \u201cIt would start with power plants,\u201d she said.

## Next steps

Whether B agrees is unclear.
"""

Transform = Callable[[bytes], bytes]


def sub(old: str, new: str) -> Transform:
    """Replace text that must occur exactly once in the valid file."""

    def apply(data: bytes) -> bytes:
        assert data.count(old.encode()) == 1, old
        return data.replace(old.encode(), new.encode())

    return apply


def subs(*pairs: tuple[str, str]) -> Transform:
    """Several replacements, in order, each of text that must occur exactly once."""

    def apply(data: bytes) -> bytes:
        for old, new in pairs:
            data = sub(old, new)(data)
        return data

    return apply


def raw(data: bytes) -> Transform:
    return lambda _: data


F = "content/truce-call.md"

LAUGHS = (
    "---\n"
    + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "---\nbody\n"
)

CASES: list[tuple[str, Transform]] = [
    ("empty file", raw(b"")),
    ("only white space", raw(b"\n  \n\t\n")),
    ("body without front matter", raw(SEED.encode())),
    ("missing opening fence", lambda d: d.split(b"\n", 1)[1]),
    ("unclosed front matter", sub("---\nAnn spoke", "Ann spoke")),
    ("only front matter", lambda d: d.split(b"---\nAnn")[0] + b"---\n"),
    ("empty front matter", raw(b"---\n---\n" + SEED.encode())),
    ("front matter is a list", raw(b"---\n- a\n- b\n---\n" + SEED.encode())),
    ("YAML syntax error", sub("title: A call about a truce", "title: [A call")),
    ("YAML bad indentation", sub("    role: President of A", "   role: President of A")),
    ("tab indentation", sub("    name: Ann Example", "\tname: Ann Example")),
    ("not UTF-8", lambda d: d.replace(b"Ann Example", b"Ann \xff")),
    ("file too large", lambda d: d + b"x" * 1_000_000),
    ("duplicate key", sub("slug: truce-call\n", "slug: truce-call\ntitle: Again\n")),
    ("no read as boolean", sub("    side: A\n", "    side: no\n")),
    ("on read as boolean", sub("name: Ann Example", "name: on")),
    ("sexagesimal number", sub("role: President of A", "role: 20:25")),
    ("bare number", sub("position: A truce that starts with power plants.", "position: 1.5")),
    ("bare date as text", sub("title: A call about a truce", "title: 2025-03-19")),
    ("null as text", sub("kind: reporting", "kind: null")),
    ("impossible date", sub("published: 2025-03-19", "published: 2025-02-30")),
    ("date in words", sub("published: 2025-03-19", "published: 19 March 2025")),
    ("date with time", sub("published: 2025-03-19", "published: 2025-03-19 10:00")),
    ("updated before published", sub("seed: truce.txt", "updated: 2025-03-01\nseed: truce.txt")),
    ("missing top-level field", sub("title: A call about a truce\n", "")),
    ("missing nested field", sub("    role: President of A\n", "")),
    ("text where a list is expected", sub("actors: [ann]", "actors: ann")),
    ("list where text is expected", sub("title: A call about a truce", "title: [a, b]")),
    ("mapping where text is expected", sub("name: Ann Example", "name: {first: Ann}")),
    ("empty string", sub("summary: Two leaders spoke about a truce.", 'summary: ""')),
    ("blank value", sub("summary: Two leaders spoke about a truce.", "summary:")),
    (
        "empty required list",
        sub("    facts:\n      - statement: The call was on 18 March.\n        date: 2025-03-18\n"
            "        sources: [wire]", "    facts: []"),
    ),
    ("required list left blank", sub("        sources: [wire]", "        sources:")),
    ("misspelt field", sub("    role:", "    rloe:")),
    ("unknown field", sub("language: en", "language: en\ncolour: red")),
    ("key that is not a name", sub("language: en", "language: en\nyes: 1")),
    (
        "duplicate id",
        sub("quotes:\n", "  - id: ann\n    name: B\n    role: R\nquotes:\n"),
    ),
    ("unknown actor id", sub("actors: [ann]", "actors: [ann, bob]")),
    ("misspelt source id", sub("        sources: [wire]", "        sources: [wier]")),
    ("slug with capitals and spaces", sub("slug: truce-call", "slug: Truce Call")),
    ("slug with a path", sub("slug: truce-call", "slug: ../etc")),
    ("id with capitals", sub("  - id: b-agrees", "  - id: B_agrees")),
    ("invalid language", sub("language: en", "language: English")),
    ("title on two lines", sub("title: A call about a truce", 'title: "A call\\nabout a truce"')),
    ("status not allowed", sub("status: proposed", "status: maybe")),
    ("status misspelt", sub("status: proposed", "status: propsed")),
    ("javascript URL", sub("url: https://example.org/report", "url: javascript:alert(1)")),
    ("data URL", sub("url: https://example.org/report", "url: 'data:text/html,hi'")),
    ("relative URL", sub("url: https://example.org/report", "url: /report")),
    ("URL with an unclosed bracket", sub("url: https://example.org/report",
                                         "url: 'https://[example.org/report'")),
    ("quote not in the article", sub("words: It would start", "words: It would strat")),
    ("quote with no close passage", sub("words: It would start with power plants",
                                        "words: the moon landing")),
    ("quote across paragraphs", sub("passage: spoke on Tuesday", "passage: she said. Next steps")),
    ("narration given as a direct quote", sub("words: It would start with power plants",
                                              "words: Ann spoke on Tuesday")),
    ("speaker not named in the paragraph", subs(
        ("quotes:\n", "  - id: bob\n    name: Bob Other\n    role: Envoy of B\nquotes:\n"),
        ("    speaker: ann", "    speaker: bob"))),
    ("when words were said, without a source", sub(
        "    speaker: ann\n", "    speaker: ann\n    said_on: 2025-03-17\n")),
    ("a claim resting on nothing", sub("    evidence:\n      - start with power plants\n", "")),
    ("a field of the old shape", sub("    position:", "    wants:")),
    ("a note that differs, without its passage", sub(
        "    passage: spoke on Tuesday\n    verdict: adds context", "    verdict: differs")),
    ("a source with a title and a description", sub(
        "    title: Wire report\n", "    title: Wire report\n    description: A report\n")),
    ("a status history out of order", sub("    actors: [ann]\n", (
        "    actors: [ann]\n    history:\n      - date: 2025-03-20\n        status: agreed\n"
        "        what: Agreed.\n        sources: [wire]\n      - date: 2025-03-19\n"
        "        status: lapsed\n        what: Lapsed.\n        sources: [wire]\n"))),
    ("a correction without an update date", sub("sources:\n  - id: wire", (
        "corrections:\n  - date: 2025-03-20\n    kind: correction\n    text: Fixed a date.\n"
        "sources:\n  - id: wire"))),
    ("events after publication", sub("events_from: 2025-03-18", "events_from: 2025-03-20")),
    ("a slug the site uses itself", sub("slug: truce-call", "slug: corrections")),
    ("a key point too long to read at a glance", sub(
        "  - text: Ann spoke about a truce.",
        "  - text: " + " ".join(["Ann spoke about a truce"] * 6) + ".")),
    ("one key point only", sub(
        "  - text: It would start with power plants.\n    sources: [wire]\n", "")),
    ("six key points", sub("    sources: [wire]\n---", "    sources: [wire]\n" + (
        "  - text: More.\n    sources: [wire]\n" * 4) + "---")),
    ("a key point resting on nothing", sub(
        "    evidence: [spoke on Tuesday about a truce]\n", "")),
    ("seed that does not exist", sub("seed: truce.txt", "seed: nope.txt")),
    ("seed outside seeds/", sub("seed: truce.txt", "seed: ../truce.txt")),
    ("body differs from the seed", sub("B agrees is unclear.", "B agrees is uncertain.")),
    ("body stops before the seed", sub("\n## Next steps\n\nWhether B agrees is unclear.\n", "\n")),
    (
        "anchor and alias",
        sub(
            "summary: Two leaders spoke about a truce.",
            "summary: &s Two leaders spoke about a truce.\nx: *s",
        ),
    ),
    ("billion laughs", raw(LAUGHS.encode())),
    ("unsupported tag", sub("title: A call about a truce", "title: !!binary aGk=")),
    ("too many brackets", sub("Whether B agrees", "[" * 300 + " Whether B agrees")),
    # Characters copy and paste brings along (issue 17).
    ("terminal escapes in a title", sub("title: A call about a truce",
                                        'title: "\\e[2J\\e[31mA call about a truce"')),
    ("raw control character", sub("name: Ann Example", "name: Ann \x1b[31mExample")),
    ("C1 control character", sub("role: President of A", 'role: "President\\x9b of A"')),
    ("NUL written as an escape", sub("summary: Two leaders spoke about a truce.",
                                     'summary: "Two leaders\\0 spoke about a truce."')),
    ("carriage return written as an escape", sub("side: A", 'side: "A\\rB"')),
    ("control character in the article", sub("Whether B agrees", "Whether \x1bB agrees")),
    ("Markdown's own markers in the article", sub("Whether B", "Whether \x02B\x03")),
    ("line separator in a plain value", sub("summary: Two leaders spoke",
                                            "summary: Two leaders\u2028spoke")),
    ("next line character in a plain value", sub("title: A call about", "title: A call\x85about")),
    ("line separator written as an escape", sub("title: A call about a truce",
                                                'title: "A call\\Labout a truce"')),
    ("right-to-left override in a name", sub("name: Ann Example", "name: Ann \u202eelpmaxE")),
    ("bidirectional isolate written as an escape", sub("title: A call about a truce",
                                                       'title: "A call \\u2067about a truce"')),
    ("zero width joiner in a quote", sub("words: It would start", "words: It\u200d would start")),
    ("title cut short by ' #'", sub("title: A call about a truce",
                                    "title: Ceasefire talks #2 explained")),
    ("nested value cut short by ' #'", sub("role: President of A", "role: President #1 of A")),
    ("list nested too deep", sub("Whether B agrees", "- " * 700 + "Whether B agrees")),
    ("indented list nested too deep", sub(
        "Whether B agrees is unclear.\n",
        "".join("    " * i + "- Whether\n" for i in range(40)) + "\nWhether B agrees is unclear.\n")),
    ("quotes nested too deep", sub("Whether B agrees", ">" * 100 + " Whether B agrees")),
]

# What `explainer check` prints for each case, before the final count.
EXPECTED: dict[str, list[str]] = {
    "empty file": [
        f"{F}:1:1: file: file is empty; it needs front matter between '---' lines and the article below",
    ],
    "only white space": [
        f"{F}:1:1: file: file is empty; it needs front matter between '---' lines and the article below",
    ],
    "body without front matter": [
        f"{F}:1:1: front matter: the file must start with a line '---' before the front matter (did you forget the opening '---'?)",
    ],
    "missing opening fence": [
        f"{F}:1:1: front matter: the file must start with a line '---' before the front matter (did you forget the opening '---'?)",
    ],
    "unclosed front matter": [
        f"{F}:1:1: front matter: front matter is not closed: add a line '---' between it and the article",
    ],
    "only front matter": [
        f'{F}:55: body: the article is missing below the front matter',
    ],
    "empty front matter": [
        f'{F}:1:1: front matter: front matter is empty',
    ],
    "front matter is a list": [
        f"{F}:2:1: front matter: front matter must be 'key: value' lines",
    ],
    "YAML syntax error": [
        f"{F}:3:5: front matter: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']'",
    ],
    "YAML bad indentation": [
        f"{F}:12:4: front matter: YAML syntax error: while parsing a block collection, did not find expected '-' indicator",
    ],
    "tab indentation": [
        f'{F}:11:1: front matter: tab used for indentation; YAML needs spaces',
    ],
    "not UTF-8": [
        f'{F}:11:15: file: not valid UTF-8: byte 0xff at offset 200; save the file as UTF-8',
    ],
    "file too large": [
        f'{F}: file: file is 1,001,355 bytes; the limit is 1,000,000',
    ],
    "duplicate key": [
        f'{F}:4:1: title: duplicate key (first given on line 2); keep one',
    ],
    "no read as boolean": [
        f'{F}:13:11: actors[0].side: YAML reads no as a true/false value, not text; put it in quotes: "no"',
    ],
    "on read as boolean": [
        f'{F}:11:11: actors[0].name: YAML reads on as a true/false value, not text; put it in quotes: "on"',
    ],
    "sexagesimal number": [
        f'{F}:12:11: actors[0].role: YAML reads 20:25 as a number, not text; put it in quotes: "20:25"',
    ],
    "bare number": [
        f'{F}:15:15: actors[0].position: YAML reads 1.5 as a number, not text; put it in quotes: "1.5"',
    ],
    "bare date as text": [
        f'{F}:2:8: title: YAML reads 2025-03-19 as a date, not text; put it in quotes: "2025-03-19"',
    ],
    "null as text": [
        f'{F}:47:11: sources[0].kind: YAML reads null as an empty value, not text; put it in quotes: "null"',
    ],
    "impossible date": [
        f"{F}:5:12: published: '2025-02-30' is not a real date",
    ],
    "date in words": [
        f"{F}:5:12: published: '19 March 2025' is not a date written YYYY-MM-DD",
    ],
    "date with time": [
        f"{F}:5:12: published: '2025-03-19 10:00' is not a date written YYYY-MM-DD",
    ],
    "updated before published": [
        f'{F}:6:10: updated: 2025-03-01 is before published (2025-03-19)',
    ],
    "missing top-level field": [
        f'{F}:2:1: title: required field is missing',
    ],
    "missing nested field": [
        f'{F}:10:5: actors[0].role: required field is missing',
    ],
    "text where a list is expected": [
        f"{F}:26:13: plan[0].actors: expected a list ('- ' items)",
    ],
    "list where text is expected": [
        f'{F}:2:8: title: expected text, found a list',
    ],
    "mapping where text is expected": [
        f"{F}:11:11: actors[0].name: expected text, found a set of 'key: value' lines",
    ],
    "empty string": [
        f'{F}:4:10: summary: must not be empty',
    ],
    "blank value": [
        f'{F}:4:9: summary: must not be empty',
    ],
    "empty required list": [
        f'{F}:40:12: notes[0].facts: must list at least 1',
    ],
    "required list left blank": [
        f'{F}:43:17: notes[0].facts[0].sources: is empty; list at least 1',
    ],
    "misspelt field": [
        f'{F}:10:5: actors[0].role: required field is missing',
        f"{F}:12:5: actors[0].rloe: unknown field; did you mean 'role'?",
    ],
    "unknown field": [
        f'{F}:8:1: colour: unknown field; the fields here are title, slug, summary, published, updated, events_from, events_to, seed, language, story, story_title, developing, plan_title, key_points, actors, credited, quotes, plan, questions, notes, corrections, sources',
    ],
    "key that is not a name": [
        f"{F}:8:1: front matter: key 'yes' must be a plain name",
    ],
    "duplicate id": [
        f"{F}:18:5: actors[1].id: duplicate id 'ann' (first used on line 10)",
    ],
    "unknown actor id": [
        f"{F}:26:19: plan[0].actors[1]: 'bob' is not the id of any of actors; known: ann",
    ],
    "misspelt source id": [
        f"{F}:43:19: notes[0].facts[0].sources[0]: 'wier' is not the id of any of sources; did you mean 'wire'?",
    ],
    "slug with capitals and spaces": [
        f"{F}:3:7: slug: 'Truce Call' is not valid: a slug is lowercase letters, digits and single hyphens, e.g. 'city-budget-vote'",
    ],
    "slug with a path": [
        f"{F}:3:7: slug: '../etc' is not valid: a slug is lowercase letters, digits and single hyphens, e.g. 'city-budget-vote'",
    ],
    "id with capitals": [
        f"{F}:30:9: questions[0].id: 'B_agrees' is not valid: an id is lowercase letters, digits and single hyphens, starting with a letter, e.g. 'budget-vote'",
    ],
    "invalid language": [
        f"{F}:7:11: language: 'English' is not valid: a language is a BCP 47 tag such as 'en' or 'en-GB'",
    ],
    "title on two lines": [
        f'{F}:2:8: title: must be a single line',
    ],
    "status not allowed": [
        f"{F}:25:13: plan[0].status: 'maybe' is not one of 'proposed', 'under negotiation', 'pledged by one side', 'agreed', 'agreed with conditions', 'in effect', 'no date set', 'stalled', 'lapsed', 'broken', 'rejected'",
    ],
    "status misspelt": [
        f"{F}:25:13: plan[0].status: 'propsed' is not one of 'proposed', 'under negotiation', 'pledged by one side', 'agreed', 'agreed with conditions', 'in effect', 'no date set', 'stalled', 'lapsed', 'broken', 'rejected' (did you mean 'proposed'?)",
    ],
    "javascript URL": [
        f"{F}:48:10: sources[0].url: 'javascript:alert(1)' is not a web address: use a full http:// or https:// URL, or leave the field out",
    ],
    "data URL": [
        f"{F}:48:10: sources[0].url: 'data:text/html,hi' is not a web address: use a full http:// or https:// URL, or leave the field out",
    ],
    "relative URL": [
        f"{F}:48:10: sources[0].url: '/report' is not a web address: use a full http:// or https:// URL, or leave the field out",
    ],
    "URL with an unclosed bracket": [
        f"{F}:48:10: sources[0].url: 'https://[example.org/report' is not a web address: use a full http:// or https:// URL, or leave the field out",
    ],
    "quote not in the article": [
        f'{F}:19:12: quotes[0].words: quote not found in the article; closest passage: “"It would start with power plants,"”',
    ],
    "quote with no close passage": [
        f'{F}:19:12: quotes[0].words: quote not found in the article',
    ],
    "quote across paragraphs": [
        f'{F}:38:14: notes[0].passage: quote runs across two paragraphs; quote each part separately',
    ],
    "narration given as a direct quote": [
        f"{F}:19:12: quotes[0].words: these words are not inside quotation marks in the article: this is the article's own reporting, not Ann Example's words: put it under evidence",
    ],
    "speaker not named in the paragraph": [
        f"{F}:23:14: quotes[0].speaker: the paragraph holding these words does not name Bob Other: check the speaker, or add the name the article uses there to the actor's 'also_named'",
    ],
    "when words were said, without a source": [
        f"{F}:21:5: quotes[0].said_on: when and where words were said come from the record: cite it under 'sources' or link the context 'note'",
    ],
    "a claim resting on nothing": [
        f"{F}:24:5: plan[0].what: the phase's description and status rests on nothing: cite the article's words under 'evidence' or the record under 'sources'",
    ],
    "a field of the old shape": [
        f"{F}:15:5: actors[0].wants: is now 'position' (optional), resting on 'evidence' or 'sources'",
    ],
    "a note that differs, without its passage": [
        f"{F}:38:5: notes[0].passage: a note saying the record differs must give the article's 'passage' it corrects",
    ],
    "a source with a title and a description": [
        f"{F}:45:5: sources[0].title: give either 'title' (its headline, as published) or 'description' (what it is, when it has no title), not both",
    ],
    "a status history out of order": [
        f'{F}:32:15: plan[0].history[1].date: 2025-03-19 is before 2025-03-20, when the status before it held; list later changes oldest first',
    ],
    "a correction without an update date": [
        f"{F}:45:11: corrections[0].date: a dated correction means the explainer was updated: give 'updated: 2025-03-20' (or later)",
    ],
    "events after publication": [
        f"{F}:8:14: events_from: 2025-03-20 is after published (2025-03-19): later events go in a status's 'history' or a note's 'facts'",
    ],
    "a slug the site uses itself": [
        f"{F}:3:7: slug: 'corrections' is the address of one of the site's own pages; choose another slug",
    ],
    "a key point too long to read at a glance": [
        f'{F}:50:11: key_points[0].text: has 30 words; a key point has at most 25: say one thing, briefly',
    ],
    "one key point only": [
        f'{F}:50:3: key_points: must list at least 2',
    ],
    "six key points": [
        f'{F}:50:3: key_points: lists 6; at most 5: keep the ones a reader needs first',
    ],
    "a key point resting on nothing": [
        f"{F}:50:5: key_points[0].text: the key point rests on nothing: cite the article's words under 'evidence' or the record under 'sources'",
    ],
    "seed that does not exist": [
        f'{F}:6:7: seed: seeds/nope.txt does not exist',
    ],
    "seed outside seeds/": [
        f"{F}:6:7: seed: '../truce.txt' must be a file name in seeds/, without folders",
    ],
    "body differs from the seed": [
        f"{F}:59: body: differs from seeds/truce.txt: word 22 is 'uncertain.' but the seed has 'unclear.' (seed: 'Whether B agrees is unclear.')",
    ],
    "body stops before the seed": [
        f"{F}:55: body: differs from seeds/truce.txt: the article stops before the seed does; the seed goes on: 'Next steps Whether B agrees is unclear.'",
    ],
    "anchor and alias": [
        f"{F}:4:10: front matter: anchor '&s' is not allowed (1 alias uses it); write the text out in full",
    ],
    "billion laughs": [
        f"{F}:2:4: front matter: anchor '&a' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:3:4: front matter: anchor '&b' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:4:4: front matter: anchor '&c' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:5:4: front matter: anchor '&d' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:6:4: front matter: anchor '&e' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:7:4: front matter: anchor '&f' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:8:4: front matter: anchor '&g' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:9:4: front matter: anchor '&h' is not allowed (9 aliases use it); write the text out in full",
        f"{F}:10:4: front matter: anchor '&i' is not allowed; write the text out in full",
    ],
    "unsupported tag": [
        f'{F}:2:8: title: unsupported YAML tag tag:yaml.org,2002:binary',
    ],
    "too many brackets": [
        f"{F}:59: body: paragraph has 300 unescaped '['; write them as '\\[' (the limit is 200)",
    ],
    "terminal escapes in a title": [
        f'{F}:2:8: title: control character U+001B (ESCAPE) is not allowed (in double quotes, YAML makes one of an escape such as \\e or \\x1b); delete it',
    ],
    "raw control character": [
        f'{F}:11:15: front matter: control character U+001B (ESCAPE) is not allowed; delete it',
    ],
    "C1 control character": [
        f'{F}:12:11: actors[0].role: control character U+009B (a C1 control character) is not allowed (in double quotes, YAML makes one of an escape such as \\e or \\x1b); delete it',
    ],
    "NUL written as an escape": [
        f'{F}:4:10: summary: control character U+0000 (NULL) is not allowed (in double quotes, YAML makes one of an escape such as \\e or \\x1b); delete it',
    ],
    "carriage return written as an escape": [
        f'{F}:13:11: actors[0].side: control character U+000D (CARRIAGE RETURN) is not allowed (in double quotes, YAML makes one of an escape such as \\e or \\x1b); delete it',
    ],
    "control character in the article": [
        f'{F}:59:9: body: control character U+001B (ESCAPE) is not allowed; delete it (and from the seed, if it is there too)',
    ],
    "Markdown's own markers in the article": [
        f'{F}:59:9: body: control character U+0002 (START OF TEXT) is not allowed; delete it (and from the seed, if it is there too)',
        f'{F}:59:11: body: control character U+0003 (END OF TEXT) is not allowed; delete it (and from the seed, if it is there too)',
    ],
    "line separator in a plain value": [
        f'{F}:4:21: front matter: U+2028 (LINE SEPARATOR) is not allowed: YAML reads it as a line break where an editor shows none; replace it with a space',
    ],
    "next line character in a plain value": [
        f'{F}:2:14: front matter: U+0085 (NEXT LINE) is not allowed: YAML reads it as a line break where an editor shows none; replace it with a space',
    ],
    "line separator written as an escape": [
        f'{F}:2:8: title: U+2028 (LINE SEPARATOR) is not allowed; replace it with a space',
    ],
    "right-to-left override in a name": [
        f'{F}:11:11: actors[0].name: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed: it makes text display in another order than it is written; delete it',
    ],
    "bidirectional isolate written as an escape": [
        f'{F}:2:8: title: bidirectional control U+2067 (RIGHT-TO-LEFT ISOLATE) is not allowed: it makes text display in another order than it is written; delete it',
    ],
    "zero width joiner in a quote": [
        f'{F}:19:12: quotes[0].words: quote holds U+200D (ZERO WIDTH JOINER), which does not show and is not in the article; delete it',
    ],
    "title cut short by ' #'": [
        f"{F}:2:24: title: the value ends at 'Ceasefire talks': YAML reads '#2 explained' as a comment; put the whole value in quotes (or, for a comment, leave two spaces before '#')",
    ],
    "nested value cut short by ' #'": [
        f"{F}:12:21: actors[0].role: the value ends at 'President': YAML reads '#1 of A' as a comment; put the whole value in quotes (or, for a comment, leave two spaces before '#')",
    ],
    "list nested too deep": [
        f'{F}:59: body: nested 700 levels deep (lists, quotes or indentation); the limit is 32',
    ],
    "indented list nested too deep": [
        f'{F}:91: body: nested 33 levels deep (lists, quotes or indentation); the limit is 32',
    ],
    "quotes nested too deep": [
        f'{F}:59: body: nested 100 levels deep (lists, quotes or indentation); the limit is 32',
    ],
}
