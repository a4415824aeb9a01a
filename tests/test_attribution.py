"""Who said what, and when: quotation marks on a page hold only words the article quotes, under
the speaker it names; the article's own reporting is shown as its reporting; every status says
as of when it held; corrections reach every place that uses what they correct."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.article import normalize
from generator.cli import main
from generator.incremental import build
from generator.project import Project
from generator.render import long_date
from generator.scaffold import article_markdown
from tests.conftest import FIRST_STORY, REPO, copy_of_project
from tests.test_explainer_page import front_matter

STORY = """\
---
title: A vote on the harbour
slug: harbour-vote
summary: The council voted on the harbour.
published: 2025-06-02
events_from: 2025-06-01
seed: harbour.txt
language: en
actors:
  - id: mayor
    name: Mira Holm
    role: Mayor
    also_named: [Holm]
    evidence:
      - The council met on Sunday.
quotes:
{quotes}
plan:
  - id: vote
    title: The vote
    what: A vote on the harbour.
    status: agreed
    evidence:
      - The council met on Sunday.
questions:
  - id: next
    question: What comes next?
    status: open
    evidence:
      - The council met on Sunday.
sources:
  - id: article
    description: The article
    kind: article
key_points:
  - text: The council met.
    evidence: [The council met on Sunday.]
  - text: It voted on the harbour.
    evidence: [The council met on Sunday.]
---
{body}
"""


def check(tmp_path: Path, body: str, quotes: str, capsys) -> tuple[int, str]:
    """`explainer check` on a one-paragraph story with these quotes; status and problems."""
    for folder in ("content", "seeds", "templates"):
        (tmp_path / folder).mkdir(exist_ok=True)
    (tmp_path / "seeds" / "harbour.txt").write_text(body + "\n", encoding="utf-8")
    (tmp_path / "content" / "harbour-vote.md").write_text(
        STORY.format(quotes=quotes, body=body), encoding="utf-8")
    status = main(["--root", str(tmp_path), "check"])
    return status, capsys.readouterr().err


def said(words: str, speaker: str = "mayor") -> str:
    return f"  - words: {json.dumps(words, ensure_ascii=False)}\n    speaker: {speaker}"


@pytest.mark.parametrize(("body", "words"), [
    ("The council met on Sunday. \u201cWe will rebuild the harbour,\u201d Holm said.",
     "We will rebuild the harbour"),
    ('The council met on Sunday. "We will rebuild the harbour," Holm said.',
     "We will rebuild the harbour"),
    # Part of a longer quoted span, and with the article's own marks typed in.
    ("The council met on Sunday. Holm said it was \u201ctime to rebuild the harbour now\u201d.",
     "rebuild the harbour"),
    ("The council met on Sunday. Holm said it was \u201ctime to rebuild the harbour\u201d.",
     "\u201ctime to rebuild the harbour\u201d"),
    # Nested: single marks inside double ones, and the words inside the inner pair.
    ("The council met on Sunday. \u201cThey told us \u2018no harbour\u2019 for years,\u201d "
     "Holm said.", "They told us \u2018no harbour\u2019 for years"),
    ("The council met on Sunday. \u201cThey told us \u2018no harbour\u2019 for years,\u201d "
     "Holm said.", "no harbour"),
    # British style: single marks outside; an apostrophe inside is not a closing mark.
    ("The council met on Sunday. \u2018The city\u2019s harbour comes first,\u2019 said Holm.",
     "The city\u2019s harbour comes first"),
])
def test_words_inside_the_articles_quotation_marks_are_a_direct_quote(
        tmp_path, capsys, body, words):
    assert check(tmp_path, body, said(words), capsys) == (0, "")


def test_the_articles_narration_given_as_a_quote_is_refused_with_a_hint(tmp_path, capsys):
    body = ("The council met on Sunday. Holm wants the harbour rebuilt, aides said. "
            "\u201cNot now,\u201d Holm said.")
    status, err = check(tmp_path, body, said("Holm wants the harbour rebuilt"), capsys)
    assert status == 1
    assert err.split("\n")[0] == (
        "content/harbour-vote.md:17:12: quotes[0].words: these words are not inside quotation "
        "marks in the article: this is the article's own reporting, not Mira Holm's words: "
        "put it under evidence")


def test_words_that_run_past_the_closing_mark_are_refused(tmp_path, capsys):
    body = "The council met on Sunday. \u201cWe will rebuild,\u201d Holm said on Monday."
    status, err = check(tmp_path, body, said("We will rebuild,\u201d Holm said"), capsys)
    assert status == 1 and "not inside quotation marks" in err


def test_a_speaker_the_paragraph_does_not_name_is_refused(tmp_path, capsys):
    body = "The council met on Sunday. \u201cWe will rebuild the harbour,\u201d an aide said."
    status, err = check(tmp_path, body, said("We will rebuild the harbour"), capsys)
    assert status == 1
    assert err.split("\n")[0] == (
        "content/harbour-vote.md:18:14: quotes[0].speaker: the paragraph holding these words "
        "does not name Mira Holm or any of Holm: check the speaker, or add the name the "
        "article uses there to the actor's 'also_named'")


def test_a_speaker_named_by_another_of_their_names_is_accepted(tmp_path, capsys):
    body = "The council met on Sunday. \u201cWe will rebuild,\u201d the mayor said."
    quotes = said("We will rebuild")
    status, err = check(tmp_path, body, quotes, capsys)
    assert status == 1 and "does not name Mira Holm" in err
    text = (tmp_path / "content" / "harbour-vote.md").read_text(encoding="utf-8")
    (tmp_path / "content" / "harbour-vote.md").write_text(
        text.replace("also_named: [Holm]", "also_named: [Holm, the mayor]"), encoding="utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 0


# ---------------------------------------------------------------- the first story, as built


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    project = copy_of_project(tmp_path_factory.mktemp("project"))
    build(project, base_url="https://desk.example/explainers/")
    return project


@pytest.fixture(scope="module")
def story(built) -> BeautifulSoup:
    return BeautifulSoup((built.out_dir / FIRST_STORY / "index.html").read_text(
        encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def annotation(built) -> dict:
    return front_matter(built.content_dir / f"{FIRST_STORY}.md")


def _quoted_spans(seed: str) -> list[str]:
    """What the seed puts inside “ ”, read with a plain pattern, not the generator's code."""
    return [normalize(span) for span in re.findall("\u201c([^\u201d]*)\u201d", seed)]


def test_every_quotation_on_the_page_is_the_articles_quote_or_labelled_as_its_words(
        story, annotation):
    seed = (REPO / "seeds" / annotation["seed"]).read_text(encoding="utf-8")
    spans = _quoted_spans(seed)
    names = {a["name"] for a in annotation["actors"]}
    outermost = [q for q in story.select("main q") if not q.find_parent("q")
                 and not q.find_parent(id="article")]
    assert len(outermost) > 20
    for q in outermost:
        words = normalize(q.get_text())
        if "said" in q["class"]:
            assert any(words in span for span in spans), f"not quoted by the article: {words}"
            figure = q.find_parent("figure")
            if figure:  # under its speaker, in the speaker's card
                speaker = figure.select_one("figcaption .speaker").get_text()
                assert speaker in names
                card = figure.find_parent(class_="actor")
                assert card.select_one(".actor-name").get_text() == speaker
            else:
                pytest.fail(f"a quotation outside its speaker's card: {words}")
        else:
            assert q["class"] == ["reported"]
            label = q.find_parent(["li", "p"]).select_one(".label").get_text()
            assert label.startswith(("The article reports", "The article says",
                                     "In the article’s words")), words


def test_the_first_story_shows_exactly_the_articles_five_direct_quotes(story, annotation):
    shown = [(q.get_text(), q.find_parent(class_="actor")["id"])
             for q in story.select("#actors q.said")]
    assert shown == [
        ("land, power plants, and the division of certain assets.", "actor-trump"),
        ("first step", "actor-white-house"),
        ("begin immediately.", "actor-leavitt"),
        ("complete cessation", "actor-kremlin"),
        ("This proposal could have been implemented long ago. Every day of war means more "
         "lives lost", "actor-zelenskyy"),
    ]
    assert len(annotation["quotes"]) == 5


def test_a_quote_says_when_and_where_it_was_said_and_who_relayed_it(story):
    figure = story.select_one("#actor-trump figure.said")
    caption = " ".join(figure.figcaption.get_text().split())
    assert caption.startswith("Donald Trump, to reporters aboard Air Force One, 16 March 2025;")
    assert "relayed, the article says, by a senior White House official (not named)" in caption
    assert figure.select_one(".differs a")["href"] == "#note-land-remark"
    zelenskyy = story.select_one("#actor-zelenskyy figure.said figcaption").get_text(" ")
    assert "17 March 2025" in zelenskyy and "the night before the call" in zelenskyy


def test_the_articles_own_quotation_marks_show_as_nested_marks(story):
    passage = next(q for q in story.select("#actor-white-house q.reported")
                   if q.get_text().startswith("The White House described"))
    assert passage.q.get_text() == "first step", "the article's “…” is a nested <q>"
    assert "\u201c" not in str(passage) and "\u201d" not in str(passage)


def test_the_header_dates_the_events_beside_publication_and_update(story, annotation):
    dates = " ".join(story.select_one(".explainer-header .dates").get_text(" ").split())
    assert dates.startswith("Events of 16\u201318 March 2025 · Published 27 November 2026")
    assert "Updated 2 December 2026" in dates
    assert annotation["events_from"].isoformat() == "2025-03-16"


def test_each_status_says_as_of_when_and_shows_what_followed(story, annotation):
    moment = annotation.get("events_to") or annotation["events_from"]
    for section, prefix in (("plan", "phase"), ("questions", "question")):
        for item in annotation[section]:
            card = story.find(id=f"{prefix}-{item['id']}")
            line = " ".join(card.select_one(".status-line").get_text(" ").split())
            held = item.get("as_of", moment)
            assert line.startswith(f"{item['status']} as of {long_date(held)}"), line
            history = item.get("history", [])
            assert len(card.select(".history > li")) == len(history)
            if history:
                latest = history[-1]
                assert line.endswith(f"later: {latest['status']} as of "
                                     f"{long_date(latest['date'])}")
            else:
                assert "later" not in line


def test_the_energy_halt_is_agreed_as_of_the_call_and_lapsed_later(story):
    card = story.find(id="phase-energy-truce")
    line = " ".join(card.select_one(".status-line").get_text(" ").split())
    assert line == "agreed as of 18 March 2025 · later: lapsed as of 18 April 2025"
    assert "30-day" in card.get_text()
    assert card.find("a", href="#source-mt-expired")


def test_corrections_of_the_record_reach_every_place_that_uses_the_passage(story):
    def differs(element) -> set[str]:
        return {a["href"] for a in element.select(".differs a")}

    assert "#note-aid-demand" in differs(story.find(id="actor-putin"))
    assert "#note-aid-demand" in differs(story.find(id="question-military-aid"))
    assert {"#note-kremlin-condition", "#note-aid-demand"} <= differs(
        story.find(id="phase-full-ceasefire"))
    assert "#note-kremlin-condition" in differs(story.find(id="actor-kremlin"))
    assert "#note-land-remark" in differs(story.find(id="question-land-and-assets"))
    assert "#note-land-remark" in differs(story.find(id="actor-trump"))
    for link in story.select(".differs a"):
        note = story.find(id=link["href"][1:])
        assert "The record differs" in note.get_text()


def test_later_facts_are_marked_as_later_and_dated(story, annotation):
    moment = annotation["events_to"]
    for note in annotation["notes"]:
        for li, fact in zip(story.select(f"#note-{note['id']} .facts > li"), note["facts"],
                            strict=True):
            assert li.find("time")["datetime"] == fact["date"].isoformat()
            assert (li.select_one(".later") is not None) == (fact["date"] > moment)


def test_corrections_are_on_the_page_in_its_feed_and_on_the_corrections_page(built, story,
                                                                             annotation):
    corrections = annotation["corrections"]
    items = story.select("#corrections .correction")
    assert len(items) == len(corrections)
    latest = corrections[-1]
    assert items[0].time["datetime"] == latest["date"].isoformat()
    assert " ".join(latest["text"].split()) in " ".join(items[0].get_text().split())
    assert story.select_one(".explainer-header .latest-correction a")["href"] == "#corrections"

    page = BeautifulSoup((built.out_dir / "corrections" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    listed = page.select(".corrections-list .correction")
    assert len(listed) == len(corrections)
    link = listed[0].find("a")
    assert link["href"] == f"../{FIRST_STORY}/index.html#correction-{len(corrections)}"
    assert story.find(id=f"correction-{len(corrections)}")

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built.out_dir / "corrections.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == len(corrections)
    assert entries[0].findtext(f"{atom}updated").startswith(latest["date"].isoformat())
    assert entries[0].find(f"{atom}link").get("href").endswith(
        f"{FIRST_STORY}/#correction-{len(corrections)}")


def test_sources_without_a_headline_are_shown_as_descriptions(story, annotation):
    for source in annotation["sources"]:
        shown = story.find(id=f"source-{source['id']}").select_one(".source-title")
        if "title" in source:
            assert shown.cite.get_text() == source["title"]
        else:
            assert shown.cite is None and shown.get_text().strip() == source["description"]


# ---------------------------------------------------------------- a second, unrelated story

SECOND_SEED = (
    "Dockworkers in Portmere ended a four-day strike on Friday after the port authority "
    "offered a new shift pattern.\n"
    "The Deal\n"
    "\u201cThis is a fair start,\u201d union leader Ines Varga told reporters. The authority "
    "said the pattern would begin in July.\n"
    "Harbour pilots have not yet voted on the offer.\n"
)

SECOND = """\
---
title: How the Portmere dock strike ended
slug: portmere-dock-strike
summary: Dockworkers ended a four-day strike after a new shift pattern was offered.
published: 2025-06-09
events_from: 2025-06-06
seed: portmere.txt
language: en
plan_title: What each side agreed
actors:
  - id: varga
    name: Ines Varga
    role: Union leader
    also_named: [Varga]
  - id: authority
    name: The port authority
    role: Runs the port
    position: A new shift pattern from July.
    evidence:
      - The authority said the pattern would begin in July.
quotes:
  - words: This is a fair start
    speaker: varga
plan:
  - id: shifts
    title: New shift pattern
    what: Shifts change from July.
    status: agreed with conditions
    evidence:
      - the port authority offered a new shift pattern
questions:
  - id: pilots
    question: Will the harbour pilots accept?
    status: open
    evidence:
      - Harbour pilots have not yet voted on the offer.
sources:
  - id: article
    description: The report of the strike's end
    kind: article
key_points:
  - text: Dockworkers in Portmere ended a four-day strike on Friday.
    evidence: [Dockworkers in Portmere ended a four-day strike on Friday]
  - text: Harbour pilots have yet to vote on the offer.
    evidence: [Harbour pilots have not yet voted on the offer.]
---
"""

FIRST_STORY_WORDS = ("Trump", "Putin", "Kremlin", "Ukrain", "Zelenskyy", "ceasefire",
                     "Black Sea", "phased", "energy", "does not say")


def test_a_second_story_builds_with_none_of_the_first_storys_words(tmp_path):
    for folder in ("content", "seeds"):
        (tmp_path / folder).mkdir()
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "seeds" / "portmere.txt").write_text(SECOND_SEED, encoding="utf-8")
    (tmp_path / "content" / "portmere-dock-strike.md").write_text(
        SECOND + article_markdown(SECOND_SEED), encoding="utf-8")
    project = Project.at(tmp_path)
    build(project)
    html = (project.out_dir / "portmere-dock-strike" / "index.html").read_text(encoding="utf-8")
    for word in FIRST_STORY_WORDS:
        assert word.lower() not in html.lower(), word
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("#plan-title").get_text() == "What each side agreed"
    varga = page.find(id="actor-varga")
    assert varga.select_one(".position") is None and varga.select_one(".side") is None
    assert [q.get_text() for q in varga.select("q.said")] == ["This is a fair start"]
    assert page.select_one(".status-line").get_text(" ").split() == [
        "agreed", "with", "conditions", "as", "of", "6", "June", "2025"]
    assert "Events of 6 June 2025" in page.select_one(".dates").get_text()
