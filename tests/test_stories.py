"""Stories that develop: explainers sharing a `story` get a story page with each phase's
statuses across them, a timeline and the explainers in order; the home page groups them."""

from __future__ import annotations

import dataclasses
import datetime
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import pipeline
from generator.cli import main
from generator.incremental import build, rebuild
from generator.lint import stale_developing
from generator.pipeline import check
from generator.project import Project
from generator.scaffold import article_markdown
from tests.conftest import FIRST_STORY, REPO
from tests.test_atomic_write import tree_hash

FIRST_SEED = ("Ministers from Arland and Brenia met on Monday to discuss a river treaty. "
              "They agreed to study shared fishing quotas.\n"
              "\u201cWe start with the fish,\u201d said Arland\u2019s minister Ola Berg.\n")
SECOND_SEED = ("A week later the ministers signed a fishing deal in Corth. "
               "The treaty on water rights was put off until autumn.\n"
               "\u201cThe fish come first, the water later,\u201d Berg said.\n")


def explainer(slug: str, seed: str, day: str, published: str, status: str, what: str,
              extra: str = "") -> str:
    return f"""---
title: The river talks, {day}
slug: {slug}
summary: Ministers met about a river treaty.
published: {published}
events_from: {day}
seed: {slug}.txt
language: en
story: river-talks
{extra}key_points:
  - text: The ministers met.
    evidence: [fish]
  - text: They spoke of fish.
    evidence: [fish]
actors:
  - id: berg
    name: Ola Berg
    role: Minister of Arland
    also_named: [Berg]
plan:
  - id: fishing
    title: Fishing quotas
    what: {what}
    status: {status}
    evidence: [fish]
questions:
  - id: water
    question: When will water rights be settled?
    status: open
    evidence: [fish]
sources:
  - id: article
    description: The article
    kind: article
---
"""


@pytest.fixture
def story_project(tmp_path: Path) -> Project:
    for folder in ("content", "seeds"):
        (tmp_path / folder).mkdir()
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    for slug, seed, day, published, status, what, extra in (
            ("river-talks-begin", FIRST_SEED, "2025-05-05", "2025-05-06", "proposed",
             "A study of shared quotas.", ""),
            ("river-deal-signed", SECOND_SEED, "2025-05-12", "2025-05-13", "agreed",
             "A deal on quotas.", "story_title: The river treaty talks\ndeveloping: true\n")):
        (tmp_path / "seeds" / f"{slug}.txt").write_text(seed, encoding="utf-8")
        text = explainer(slug, seed, day, published, status, what, extra)
        (tmp_path / "content" / f"{slug}.md").write_text(text + article_markdown(seed),
                                                         encoding="utf-8")
    project = Project.at(tmp_path)
    (tmp_path / "explainer.yaml").write_text("base_url: https://desk.example/\n")
    build(project)
    return project


def page(project: Project, path: str) -> BeautifulSoup:
    return BeautifulSoup((project.out_dir / path).read_text(encoding="utf-8"), "html.parser")


def test_the_story_page_shows_each_phase_moving_across_explainers(story_project):
    story = page(story_project, "stories/river-talks/index.html")
    assert story.h1.get_text() == "The river treaty talks", "the newest explainer names it"
    phase = story.find(id="phase-fishing")
    assert phase.select_one(".status-line .status").get_text() == "agreed"
    steps = phase.select(".history > li")
    assert [s.select_one(".status").get_text() for s in steps] == ["proposed", "agreed"]
    assert [s.time["datetime"] for s in steps] == ["2025-05-05", "2025-05-12"]
    assert [s.select_one(".refs a")["href"] for s in steps] == [
        "../../river-talks-begin/index.html#phase-fishing",
        "../../river-deal-signed/index.html#phase-fishing"]


def test_the_story_page_has_a_timeline_and_the_explainers_in_order(story_project):
    story = page(story_project, "stories/river-talks/index.html")
    days = [li.time["datetime"] for li in story.select("#timeline li")]
    assert days == sorted(days) and days[0] == "2025-05-05"
    assert [a["href"] for a in story.select("#explainers li > a")] == [
        "../../river-talks-begin/index.html", "../../river-deal-signed/index.html"]
    assert "Developing story" in story.select_one("header .dates").get_text()
    data = json.loads(story.find("script", type="application/ld+json").string)
    assert data["@type"] == "LiveBlogPosting" and len(data["hasPart"]) == 2
    assert data["url"] == "https://desk.example/stories/river-talks/"


def test_each_explainer_links_to_its_story_and_the_home_page_groups_them(story_project):
    one = page(story_project, "river-talks-begin/index.html")
    assert one.select_one(".story-link a")["href"] == "../stories/river-talks/index.html"
    home = page(story_project, "index.html")
    (group,) = home.select(".story-group")
    assert group.select_one(".story-label a")["href"] == "stories/river-talks/index.html"
    assert [a["href"] for a in group.select(".explainer-list > li > h2 a")] == [
        "river-deal-signed/index.html", "river-talks-begin/index.html"], "newest first"
    sitemap = (story_project.out_dir / "sitemap.xml").read_text()
    assert "https://desk.example/stories/river-talks/" in sitemap


def test_each_explainers_json_ld_names_the_story_it_is_part_of(story_project, tmp_path):
    for slug in ("river-talks-begin", "river-deal-signed"):
        data = json.loads(page(story_project, f"{slug}/index.html").find(
            "script", type="application/ld+json").string)
        assert data["@type"] == "NewsArticle"
        # Developing (the newest explainer says so): a live story, by its settled title.
        assert data["isPartOf"] == {"@type": "LiveBlogPosting",
                                    "headline": "The river treaty talks",
                                    "url": "../stories/river-talks/index.html"}, slug
    alone = Project.at(tmp_path / "alone")
    shutil.copytree(story_project.root / "content", alone.content_dir)
    shutil.copytree(story_project.root / "seeds", alone.seeds_dir)
    shutil.copytree(story_project.root / "templates", alone.templates_dir)
    (alone.content_dir / "river-deal-signed.md").unlink()
    path = alone.content_dir / "river-talks-begin.md"
    path.write_text(path.read_text(encoding="utf-8").replace("story: river-talks\n", ""),
                    encoding="utf-8")
    build(alone)
    data = json.loads(page(alone, "river-talks-begin/index.html").find(
        "script", type="application/ld+json").string)
    assert "isPartOf" not in data


def test_developing_must_be_true_or_false(story_project, capsys):
    path = story_project.content_dir / "river-deal-signed.md"
    path.write_text(path.read_text().replace("developing: true", "developing: soon"))
    assert main(["--root", str(story_project.root), "check"]) == 1
    assert "developing: expected true or false" in capsys.readouterr().err


def test_the_real_story_has_a_story_page_with_its_dated_history(tmp_path):
    for part in ("content", "seeds", "templates"):
        shutil.copytree(REPO / part, tmp_path / part)
    project = Project.at(tmp_path)
    build(project)
    front = (project.content_dir / f"{FIRST_STORY}.md").read_text(encoding="utf-8")
    story_id = front.split("\nstory: ", 1)[1].split("\n", 1)[0]
    story = page(project, f"stories/{story_id}/index.html")
    energy = story.find(id="phase-energy-truce")
    assert energy.select_one(".status-line").get_text(" ", strip=True) == \
        "lapsed as of 18 April 2025"
    assert [li.time["datetime"] for li in energy.select(".history > li")] == [
        "2025-03-18", "2025-03-19", "2025-03-25", "2025-04-18"]


def test_check_warns_about_a_developing_story_nobody_updated(story_project, capsys):
    root = str(story_project.root)
    assert main(["--root", root, "check"]) == 0
    assert capsys.readouterr().err == "", "no warning unless asked, so output stays the same"
    assert main(["--root", root, "check", "--stale-after", "30"]) == 0
    err = capsys.readouterr().err.strip().split("\n")
    assert len(err) == 1 and err[0].startswith(
        "warning: content/river-deal-signed.md: developing: last updated 2025-05-13, ")
    assert err[0].endswith("(more than 30); update it, or set 'developing: false'")


def test_stale_developing_counts_days_from_the_latest_revision():
    site = check(Project.at(REPO))
    fresh = [dataclasses.replace(e, developing=True) for e in site.explainers]
    last = fresh[0].updated or fresh[0].published
    assert stale_developing(fresh, last + datetime.timedelta(days=10), 10) == []
    assert len(stale_developing(fresh, last + datetime.timedelta(days=11), 10)) == 1
    assert stale_developing(site.explainers, last + datetime.timedelta(days=99), 10) == []


def test_each_explainer_links_to_the_one_before_and_after_it_in_its_story(story_project):
    first = page(story_project, "river-talks-begin/index.html")
    second = page(story_project, "river-deal-signed/index.html")
    assert first.select_one(".story-link").get_text(" ", strip=True) == \
        "Part of the story: The river treaty talks · explainer 1 of 2", \
        "the story's title, from the newest explainer, on a page that does not name it"
    assert "Developing" in second.select_one(".story-link").get_text()
    links = {a["rel"][0]: (a["href"], a.get_text()) for a in first.select("nav a[rel]")}
    assert links == {"next": ("../river-deal-signed/index.html", "The river talks, 2025-05-12")}
    links = {a["rel"][0]: (a["href"], a.get_text()) for a in second.select("nav a[rel]")}
    assert links == {"prev": ("../river-talks-begin/index.html", "The river talks, 2025-05-05")}


def test_a_status_a_later_explainer_moved_on_says_so_with_a_link(story_project):
    first = page(story_project, "river-talks-begin/index.html")
    board = first.select_one("#where-it-stands li").get_text(" ", strip=True)
    phase = first.find(id="phase-fishing")
    later = "Later: agreed , 12 May 2025 — see The river talks, 2025-05-12"
    assert later in board and later in phase.get_text(" ", strip=True)
    assert phase.select_one("p.status-line .status").get_text() == "proposed", \
        "the page's own status, as of its own date, stays as the article reported it"
    for place in (first.select_one("#where-it-stands li"), phase):
        assert place.find("a", string="The river talks, 2025-05-12")["href"] == \
            "../river-deal-signed/index.html#phase-fishing"
    second = page(story_project, "river-deal-signed/index.html")
    assert "Later:" not in second.select_one("main").get_text(), "nothing after the newest"


def edit(project: Project, slug: str, old: str, new: str) -> None:
    path = project.content_dir / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = pytest.mark.parametrize(("change", "rendered", "first_shows"), [
    # The second explainer's summary: on no other explainer's page.
    (lambda p: edit(p, "river-deal-signed", "summary: Ministers met",
                    "summary: The ministers met"), 1, "The river talks, 2025-05-12"),
    (lambda p: edit(p, "river-deal-signed", "title: The river talks, 2025-05-12",
                    "title: A fishing deal in Corth"), 2, "A fishing deal in Corth"),
    (lambda p: edit(p, "river-deal-signed", "status: agreed", "status: stalled"), 2,
     "Later: stalled ,"),
    (lambda p: edit(p, "river-deal-signed", "story: river-talks", "story: corth-deal"), 2,
     "Part of the story: The river talks, 2025-05-05 Key points"),
    (lambda p: (p.content_dir / "river-deal-signed.md").unlink(), 1,
     "Part of the story: The river talks, 2025-05-05 Key points"),
], ids=["summary", "title", "status", "story id", "removed"])


@CHANGES
def test_a_change_to_one_explainer_reaches_its_neighbours_as_a_cold_build_has_it(
        story_project, tmp_path, change, rendered, first_shows):
    change(story_project)
    built = build(story_project)
    assert built.rendered == rendered, "the edited page, and the neighbours it shows on"
    shown = page(story_project, "river-talks-begin/index.html").get_text(" ", strip=True)
    assert first_shows in shown
    fresh = Project.at(story_project.root, tmp_path / "cold")
    pipeline.build(fresh)
    assert tree_hash(story_project.out_dir) == tree_hash(fresh.out_dir)


@CHANGES
def test_a_save_reaches_the_neighbours_in_a_watching_process_as_a_cold_build_has_it(
        story_project, tmp_path, change, rendered, first_shows):
    # After a save, a watching process looks only at the pages the save can change (those
    # saved, and those whose story shows differently around them). The process starts with
    # no cache: its first build makes every page, as a watch's first save after one would.
    shutil.rmtree(story_project.root / ".explainer-cache")
    _, memory = rebuild(story_project, None, None, None)
    assert memory.record.versions, "the versions the next update compares with"
    change(story_project)
    saved = [story_project.content_dir / "river-deal-signed.md"]
    built, _ = rebuild(story_project, None, memory, saved, site_as_left=True)
    assert built.rendered == rendered
    shown = page(story_project, "river-talks-begin/index.html").get_text(" ", strip=True)
    assert first_shows in shown
    fresh = Project.at(story_project.root, tmp_path / "cold")
    pipeline.build(fresh)
    assert tree_hash(story_project.out_dir) == tree_hash(fresh.out_dir)


def test_content_cannot_make_a_slot_for_the_story_to_fill(story_project):
    slot = "<!--story:nav--><!--story:later-plan:fishing-->"
    edit(story_project, "river-talks-begin", "what: A study of shared quotas.",
         f"what: 'A study {slot}'")
    build(story_project)
    first = page(story_project, "river-talks-begin/index.html")
    assert len(first.select("nav.story-nav")) == 1
    assert len(first.find(id="phase-fishing").select("p.superseded")) == 1
    assert f"A study {slot}" in first.find(id="phase-fishing").get_text()
