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

from generator.cli import main
from generator.incremental import build
from generator.lint import stale_developing
from generator.pipeline import check
from generator.project import Project
from generator.scaffold import article_markdown
from tests.conftest import FIRST_STORY, REPO

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
