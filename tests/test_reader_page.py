"""The first story as a reader in a hurry meets it: key points, where each phase stands, who
said what, and nothing of the article said twice before the article itself."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.article import normalize
from generator.incremental import build
from generator.project import Project
from generator.render import long_date
from tests.conftest import FIRST_STORY, REPO, copy_of_project
from tests.test_explainer_page import front_matter


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    project = copy_of_project(tmp_path_factory.mktemp("project"))
    build(project)
    return project


@pytest.fixture(scope="module")
def story(built) -> BeautifulSoup:
    return BeautifulSoup((built.out_dir / FIRST_STORY / "index.html").read_text(
        encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def annotation(built) -> dict:
    return front_matter(built.content_dir / f"{FIRST_STORY}.md")


def _words(text: str) -> list[str]:
    return normalize(text).replace('"', "").lower().split()


def test_no_run_of_ten_article_words_is_shown_twice_above_the_article(story, annotation):
    seed = " ".join(_words((REPO / "seeds" / annotation["seed"]).read_text(encoding="utf-8")))
    main = BeautifulSoup(str(story.select_one("main")), "html.parser")
    for later in ("#article", "#context", "#corrections", "#sources"):
        for element in main.select(later):
            element.decompose()
    shown = _words(main.get_text(" "))
    seen: dict[str, int] = {}
    for at in range(len(shown) - 9):
        run = " ".join(shown[at:at + 10])
        if run in seed:
            seen[run] = seen.get(run, 0) + 1
    assert seen, "the page shows the article's words"
    assert [run for run, count in seen.items() if count > 1] == []


def test_a_second_use_of_a_passage_links_to_the_first(story):
    repeats = story.select("a.repeat")
    assert repeats, "the first story uses some passages twice"
    for link in repeats:
        first = story.find(id=link["href"][1:])
        assert first is not None and first.select_one("a.quote q.reported")
        where = link.find_next_sibling(class_="where")
        if where is not None and where.get_text().startswith("(in full"):
            shown = link.get_text().removesuffix(" \u2026")
            assert normalize(first.get_text()).find(normalize(shown)) >= 0


def test_key_points_come_first_each_short_and_resting_on_something(story, annotation):
    points = story.select("#key-points li")
    assert 2 <= len(points) <= 5
    assert story.select("main section")[0]["id"] == "key-points"
    for li, point in zip(points, annotation["key_points"], strict=True):
        assert " ".join(point["text"].split()) in " ".join(li.get_text().split())
        assert len(point["text"].split()) <= 25
        refs = [a["href"] for a in li.select(".refs a")]
        assert refs, "each point links to what it rests on"
        for ref in refs:
            target = story.find(id=ref[1:])
            assert target.find_parent(id="article") or target.find_parent(id="sources")


def test_the_board_shows_each_phase_in_order_with_its_badge_and_dates(story, annotation):
    steps = story.select("#where-it-stands .step")
    assert [s.select_one(".step-title").get_text() for s in steps] == \
        [p["title"] for p in annotation["plan"]]
    moment = annotation.get("events_to") or annotation["events_from"]
    for step, phase in zip(steps, annotation["plan"], strict=True):
        status = " ".join(step.select_one(".step-status").get_text(" ").split())
        assert status == f"{phase['status']} as of {long_date(phase.get('as_of', moment))}"
        later = step.select_one(".step-later")
        if phase.get("history"):
            last = phase["history"][-1]
            assert " ".join(later.get_text(" ").split()) == \
                f"later: {last['status']} as of {long_date(last['date'])}"
        else:
            assert later is None
        assert story.find(id=step.select_one(".step-title")["href"][1:]).h3.get_text() == \
            phase["title"]


def test_differing_accounts_are_shown_with_their_sources(story):
    accounts = story.select("#note-kremlin-condition .account")
    assert [a.select_one(".account-by").get_text() for a in accounts] == [
        "The article", "The Kremlin readout"]
    assert accounts[1].select(".ref") and "foreign military assistance" in accounts[1].get_text()
    assert "Western" in accounts[0].get_text()


def test_people_the_article_only_credits_are_listed_as_such(story, annotation):
    listed = [li.strong.get_text() for li in story.select("#credited li")]
    assert listed == [c["name"] for c in annotation["credited"]]
    assert not story.select("#credited q"), "listed briefly, their passages not repeated"
    names = {a["name"] for a in annotation["actors"]}
    assert not names & set(listed)


def test_the_home_page_shows_dates_key_points_and_the_board(built, annotation):
    home = BeautifulSoup((built.out_dir / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    entry = home.select_one(".explainer-list > li")
    assert entry.select_one(".dates").get_text().startswith("Events of 16\u201318 March 2025")
    assert [" ".join(li.get_text().split()) for li in entry.select(".listing-points li")] == \
        [" ".join(p["text"].split()) for p in annotation["key_points"]]
    assert [s.select_one(".status").get_text() for s in entry.select(".board .step")] == \
        [p["status"] for p in annotation["plan"]]
