"""The corrections page of a site with many corrections, over pages: every correction listed
once, newest first, each page linked to the next, the feed with the newest; accessible, fits
a phone, valid HTML."""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from generator import pipeline, render
from generator.incremental import build, rebuild
from generator.lists import CORRECTIONS_PAGE_SIZE, FEED_ENTRIES
from generator.project import Project
from tests.browser import served
from tests.test_atomic_write import tree_hash
from tests.test_home_pages import FIRST_DAY, check_a_further_page, desk, soup
from tests.test_pages_in_browser import VNU

COUNT = 2 * CORRECTIONS_PAGE_SIZE + 5
ATOM = "{http://www.w3.org/2005/Atom}"
PATHS = ["corrections/index.html", "corrections/page-2.html", "corrections/page-3.html"]


def corrected_desk(root: Path, count: int) -> Project:
    """desk's explainers, the n-th corrected on the day it was published."""
    project = desk(root, count)
    for n in range(count):
        path = project.content_dir / f"truce-{n:03d}.md"
        day = FIRST_DAY + datetime.timedelta(days=n)
        text = path.read_text(encoding="utf-8").replace(
            f"published: {day}\n", f"published: {day}\nupdated: {day}\n").replace(
            "sources:\n  - id: wire", f"corrections:\n  - date: {day}\n    kind: correction\n"
            f"    text: Correction number {n}.\nsources:\n  - id: wire")
        path.write_text(text, encoding="utf-8")
    return project


def corrections(page: BeautifulSoup) -> list[str]:
    return [" ".join(li.get_text(" ", strip=True).split()) for li in page.select("li.correction")]


def test_many_corrections_are_listed_once_each_newest_first_over_linked_pages(tmp_path):
    project = corrected_desk(tmp_path / "desk", COUNT)
    build(project, base_url="https://newsroom.example.org/")
    pages = [soup(project, path) for path in PATHS]
    assert not (project.out_dir / "corrections" / "page-4.html").exists()
    shown = [entry for page in pages for entry in corrections(page)]
    assert [entry.split("Correction: ")[1] for entry in shown] == [
        f"Correction number {n}." for n in reversed(range(COUNT))]
    assert [len(corrections(page)) for page in pages] == [
        CORRECTIONS_PAGE_SIZE, CORRECTIONS_PAGE_SIZE, 5]
    # Numbered on from the page before, as one list.
    assert [page.select_one("ol.corrections-list").get("start") for page in pages] == [
        None, str(CORRECTIONS_PAGE_SIZE + 1), str(2 * CORRECTIONS_PAGE_SIZE + 1)]
    for page in pages:  # each entry leads to the correction on its explainer's page
        for link in page.select("li.correction a"):
            slug, anchor = link["href"].removeprefix("../").split("/index.html#")
            assert soup(project, f"{slug}/index.html").find(id=anchor) is not None
    links = [{a.get_text(strip=True): a["href"] for a in page.select("nav.pages a")}
             for page in pages]
    assert links == [{"Older corrections →": "page-2.html"},
                     {"← Newer corrections": "index.html", "Older corrections →": "page-3.html"},
                     {"← Newer corrections": "page-2.html"}]
    assert pages[1].title.get_text() == "Corrections, page 2 of 3 · Explainers"
    assert pages[1].select_one('link[rel="next"]')["href"] == "page-3.html"
    assert pages[1].select_one('link[rel="canonical"]')["href"] == (
        "https://newsroom.example.org/corrections/page-2.html")
    feed = ElementTree.parse(project.out_dir / "corrections.xml").getroot()
    assert [entry.findtext(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")] == [
        f"Correction number {n}." for n in reversed(range(COUNT - FEED_ENTRIES, COUNT))]


def test_a_site_with_few_corrections_has_one_page_without_page_links(tmp_path):
    project = corrected_desk(tmp_path / "desk", 3)
    build(project)
    page = soup(project, "corrections/index.html")
    assert len(corrections(page)) == 3 and page.select("nav.pages") == []
    assert page.title.get_text() == "Corrections · Explainers"
    assert not (project.out_dir / "corrections" / "page-2.html").exists()


def test_a_correction_that_adds_a_page_or_removes_one_leaves_what_a_fresh_build_makes(tmp_path):
    project = corrected_desk(tmp_path / "desk", 2 * CORRECTIONS_PAGE_SIZE)
    build(project)
    assert not (project.out_dir / "corrections" / "page-3.html").exists()
    path = project.content_dir / "truce-000.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("corrections:\n", "corrections:\n  - date: 2025-03-19\n"
                                 "    kind: clarification\n    text: Clarified.\n"),
                    encoding="utf-8")
    build(project)
    assert len(corrections(soup(project, "corrections/page-3.html"))) == 1
    path.write_text(text, encoding="utf-8")
    build(project)
    assert not (project.out_dir / "corrections" / "page-3.html").exists()
    fresh = Project.at(project.root, tmp_path / "fresh")
    pipeline.build(fresh)
    assert tree_hash(project.out_dir) == tree_hash(fresh.out_dir)


@pytest.mark.parametrize("watching", [False, True])
def test_a_correction_reworded_makes_again_only_the_page_that_shows_it(tmp_path, monkeypatch,
                                                                      watching):
    project = corrected_desk(tmp_path / "desk", COUNT)
    site = "https://newsroom.example.org/"
    _, memory = rebuild(project, site, None, None)
    made: list[str] = []
    page, feed = render.corrections_page, render.corrections_feed

    def counted_page(env, settings, shown):
        made.append(f"page {shown.number}")
        return page(env, settings, shown)

    def counted_feed(env, settings, shown):
        made.append("feed")
        return feed(env, settings, shown)

    monkeypatch.setattr(render, "corrections_page", counted_page)
    monkeypatch.setattr(render, "corrections_feed", counted_feed)
    before = tree_hash(project.out_dir)
    path = project.content_dir / "truce-002.md"  # the third oldest: on the last page
    path.write_text(path.read_text(encoding="utf-8").replace(
        "text: Correction number 2.", "text: Correction number 2, reworded."), encoding="utf-8")
    if watching:  # build --watch, after the save: the update after saves
        rebuild(project, site, memory, [path], site_as_left=True)
    else:
        build(project, base_url=site)
    after = tree_hash(project.out_dir)
    assert {name for name in after if name.startswith("corrections")
            and before[name] != after[name]} == {"corrections/page-3.html"}
    assert made == ["page 3"]  # not the other pages, nor the feed of the newest 50


@pytest.fixture(scope="module")
def served_corrections(tmp_path_factory) -> Iterator[tuple[Project, str]]:
    """A site of three pages of corrections, served over HTTP."""
    project = corrected_desk(tmp_path_factory.mktemp("corrections") / "desk", COUNT)
    build(project)
    with served(project.out_dir) as address:
        yield project, address


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_further_corrections_page_is_accessible_and_fits(served_corrections, browser, width,
                                                           scheme):
    _, base = served_corrections
    check_a_further_page(browser, base, ("corrections/page-2.html", "corrections/page-3.html"),
                         "corrections", f"corrections-page-3-{width}-{scheme}.png", width,
                         scheme)


def test_the_corrections_pages_are_valid_for_the_nu_html_checker(served_corrections):
    project, _ = served_corrections
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *(str(project.out_dir / path) for path in PATHS)],
                            capture_output=True, text=True, check=False)
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []
    assert result.returncode == 0
