"""The home page of a large site, over pages: every explainer listed once, newest first, a
story's explainers together, each page linked to the next, and each made again only when what
it lists changed."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import pipeline, render
from generator.incremental import build
from generator.lists import HOME_PAGE_SIZE
from generator.project import Project
from tests.bad_inputs import SEED, VALID
from tests.browser import served
from tests.conftest import REPO
from tests.test_atomic_write import tree_hash
from tests.test_pages_in_browser import SCREENSHOTS, VNU, axe_violations, open_page

FIRST_DAY = datetime.date(2025, 3, 19)


def _explainer(n: int, story: str | None = None) -> str:
    """VALID as the n-th explainer, published n days after the first."""
    text = VALID.replace("slug: truce-call", f"slug: truce-call-{n}").replace(
        "title: A call about a truce", f"title: A call about a truce, number {n}").replace(
        "published: 2025-03-19", f"published: {FIRST_DAY + datetime.timedelta(days=n)}")
    return text.replace("language: en\n", f"language: en\nstory: {story}\n") if story else text


def desk(root: Path, count: int, stories: dict[int, str] | None = None) -> Project:
    """A project of `count` small explainers, the n-th published on FIRST_DAY + n days, those
    `stories` names in that story."""
    (root / "content").mkdir(parents=True)
    (root / "seeds").mkdir()
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "seeds" / "truce.txt").write_text(SEED, encoding="utf-8")
    for n in range(count):
        (root / "content" / f"truce-{n:03d}.md").write_text(
            _explainer(n, (stories or {}).get(n)), encoding="utf-8")
    return Project.at(root)


def soup(project: Project, path: str) -> BeautifulSoup:
    return BeautifulSoup((project.out_dir / path).read_text(encoding="utf-8"), "html.parser")


def listed(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select(".explainer-list > li > h2 a")]


def test_a_large_site_lists_every_explainer_once_newest_first_over_linked_pages(tmp_path):
    project = desk(tmp_path / "desk", 2 * HOME_PAGE_SIZE + 5)
    build(project)
    paths = ["index.html", "page-2.html", "page-3.html"]
    pages = [soup(project, path) for path in paths]
    assert not (project.out_dir / "page-4.html").exists()
    newest_first = [f"truce-call-{n}/index.html" for n in reversed(range(2 * HOME_PAGE_SIZE + 5))]
    assert [href for page in pages for href in listed(page)] == newest_first
    assert [len(listed(page)) for page in pages] == [HOME_PAGE_SIZE, HOME_PAGE_SIZE, 5]
    for href in newest_first:  # every entry leads to its page, from every home page
        assert (project.out_dir / href).is_file()
    links = [{a.get_text(strip=True): a["href"] for a in page.select("nav.pages a")}
             for page in pages]
    assert links == [{"Older explainers →": "page-2.html"},
                     {"← Newer explainers": "index.html", "Older explainers →": "page-3.html"},
                     {"← Newer explainers": "page-2.html"}]
    assert [page.select_one("nav.pages span").get_text() for page in pages] == [
        "Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    assert pages[1].title.get_text() == "Explainers, page 2 of 3"
    assert pages[1].select_one('link[rel="next"]')["href"] == "page-3.html"
    assert pages[0].select_one('link[rel="prev"]') is None


def test_a_story_s_explainers_stay_together_on_one_page(tmp_path):
    # 18 explainers newer than a story of three, which would fill the first page and more.
    count = HOME_PAGE_SIZE + 2
    project = desk(tmp_path / "desk", count, {n: "truce-talks" for n in (1, 2, 3)})
    build(project)
    first, second = soup(project, "index.html"), soup(project, "page-2.html")
    assert len(listed(first)) == count - 4 and first.select(".story-group") == []
    (group,) = second.select(".story-group")
    assert [a["href"] for a in group.select("h2 a")] == [
        f"truce-call-{n}/index.html" for n in (3, 2, 1)]
    assert listed(second)[-1] == "truce-call-0/index.html"


def test_a_site_of_one_page_has_no_page_links(small_project, page):
    home = page(small_project / "site" / "index.html")
    assert home.select("nav.pages") == [] and home.select('link[rel="next"]') == []
    assert not (small_project / "site" / "page-2.html").exists()


@pytest.fixture
def counted_home_pages(monkeypatch) -> list[str]:
    made: list[str] = []
    make = render.render_home_page

    def counted(env, page, stories, items, settings):
        made.append(page.path)
        return make(env, page, stories, items, settings)

    monkeypatch.setattr("generator.render.render_home_page", counted)
    return made


def test_an_edit_makes_again_only_the_home_page_that_lists_it(tmp_path, counted_home_pages):
    project = desk(tmp_path / "desk", 2 * HOME_PAGE_SIZE + 5)
    build(project)
    counted_home_pages.clear()
    oldest = project.content_dir / "truce-000.md"
    oldest.write_text(oldest.read_text(encoding="utf-8").replace(
        "summary: Two leaders spoke", "summary: Two leaders spoke at length"), encoding="utf-8")
    build(project)
    assert counted_home_pages == ["page-3.html"]
    assert "spoke at length" in (project.out_dir / "page-3.html").read_text(encoding="utf-8")
    fresh = Project.at(project.root, tmp_path / "fresh")
    pipeline.build(fresh)
    assert tree_hash(project.out_dir) == tree_hash(fresh.out_dir)


def test_a_new_explainer_moves_the_others_along_every_page(tmp_path, counted_home_pages):
    count = 2 * HOME_PAGE_SIZE
    project = desk(tmp_path / "desk", count)
    build(project)
    assert not (project.out_dir / "page-3.html").exists()
    counted_home_pages.clear()
    (project.content_dir / "truce-new.md").write_text(_explainer(count), encoding="utf-8")
    build(project)
    assert sorted(counted_home_pages) == ["index.html", "page-2.html", "page-3.html"]
    assert listed(soup(project, "page-3.html")) == ["truce-call-0/index.html"]
    fresh = Project.at(project.root, tmp_path / "fresh")
    pipeline.build(fresh)
    assert tree_hash(project.out_dir) == tree_hash(fresh.out_dir)


@pytest.fixture(scope="module")
def served_pages(tmp_path_factory) -> Iterator[tuple[Project, str]]:
    """A site of three home pages, served over HTTP."""
    project = desk(tmp_path_factory.mktemp("pages") / "desk", 2 * HOME_PAGE_SIZE + 5)
    build(project)
    with served(project.out_dir) as address:
        yield project, address


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_further_home_page_is_accessible_and_fits(served_pages, browser, width, scheme):
    _, base = served_pages
    check_a_further_page(browser, base, ("page-2.html", "page-3.html"), "explainers",
                         f"home-page-3-{width}-{scheme}.png", width, scheme)


def check_a_further_page(browser, base: str, pages: tuple[str, str], things: str, shot: str,
                         width: int, scheme: str) -> None:
    """The first of `pages` of a list in pages has no accessibility violation or console
    problem and fits the width; its link to older `things` leads to the second, which is
    screenshot as `shot`."""
    page, problems = open_page(browser, base + pages[0], width=width, scheme=scheme)
    assert axe_violations(page) == [] and problems == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("navigation", name=f"Pages of {things}").get_by_role(
        "link", name=f"Older {things}").click()
    assert page.url == base + pages[1]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
    page.context.close()


def test_the_home_pages_are_valid_for_the_nu_html_checker(served_pages):
    project, _ = served_pages
    pages = [str(project.out_dir / name) for name in ("index.html", "page-2.html", "page-3.html")]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True, check=False)
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []
    assert result.returncode == 0
