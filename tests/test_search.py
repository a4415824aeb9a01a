"""Search over the archive: `explainer build` writes a Pagefind index of the explainer pages
and a search page; only the search page loads a script."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.incremental import build
from generator.project import Project
from generator.scaffold import article_markdown
from tests.conftest import FIRST_STORY, copy_of_project
from tests.test_stories import FIRST_SEED, SECOND_SEED, explainer


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    project = copy_of_project(tmp_path_factory.mktemp("project"))
    build(project)
    return project


def test_the_index_is_the_same_bytes_from_the_same_pages(built):
    from generator.search import search_files
    pages = {f"{FIRST_STORY}/index.html": (built.out_dir / FIRST_STORY / "index.html")
             .read_bytes()}
    assert search_files(pages, "en") == search_files(pages, "en")
    written = {p.relative_to(built.out_dir).as_posix(): p.read_bytes()
               for p in (built.out_dir / "pagefind").rglob("*") if p.is_file()}
    assert search_files(pages, "en") == written


def test_the_build_indexes_every_explainer_and_nothing_else(built):
    entry = json.loads((built.out_dir / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 1
    assert list(entry["languages"]) == ["en"]


def test_only_the_search_page_loads_a_script(built):
    search = BeautifulSoup((built.out_dir / "search" / "index.html").read_text(), "html.parser")
    assert [s["src"] for s in search.find_all("script", src=True)] == ["../static/search.js"]
    for page in ("index.html", f"{FIRST_STORY}/index.html", "corrections/index.html"):
        html = (built.out_dir / page).read_text(encoding="utf-8")
        assert re.findall(r"<script(?![^>]*application/(?:ld\+)?json)[^>]*>", html) == [], page
        assert 'href="' in html and "search/index.html" in html, "every page links to search"


def test_every_file_of_the_bundle_is_complete(built):
    # Pagefind's Python service acknowledged a write before its files were flushed, and a
    # build sometimes shipped an empty script; the command line has written all on exit.
    files = {p.name: p.stat().st_size for p in (built.out_dir / "pagefind").rglob("*")
             if p.is_file()}
    assert "pagefind-highlight.js" in files and "pagefind.js" in files
    assert [name for name, size in files.items() if size == 0] == []


def make_desk(root: Path) -> Project:
    """The real story and a made-up story of two explainers, with a summary that looks like
    markup."""
    project = copy_of_project(root)
    for slug, seed, day, published, status in (
            ("river-talks-begin", FIRST_SEED, "2025-05-05", "2025-05-06", "proposed"),
            ("river-deal-signed", SECOND_SEED, "2025-05-12", "2025-05-13", "agreed")):
        (project.seeds_dir / f"{slug}.txt").write_text(seed, encoding="utf-8")
        text = explainer(slug, seed, day, published, status, "Quotas.").replace(
            "summary: Ministers met about a river treaty.",
            "summary: 'Ministers met <img src=x onerror=alert(1)> about a river treaty.'")
        (project.content_dir / f"{slug}.md").write_text(text + article_markdown(seed),
                                                        encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Project:
    """make_desk's project built with an index shard per page, so that the searches below
    go through shards merged by the search page."""
    project = make_desk(tmp_path_factory.mktemp("desk"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.search.SHARD_PAGES", 1)
        build(project)
    assert len(json.loads(page_of(project, "search/index.html").find(
        id="search-indexes").string)) > 1
    return project


def page_of(project: Project, path: str) -> BeautifulSoup:
    return BeautifulSoup((project.out_dir / path).read_text(encoding="utf-8"), "html.parser")


def facets(project: Project) -> dict[str, dict]:
    search = BeautifulSoup((project.out_dir / "search" / "index.html").read_text(),
                           "html.parser")
    return {page["url"]: page for page in json.loads(search.find(id="search-facets").string)}


def test_the_search_page_offers_each_story_status_and_actor_the_explainers_have(desk):
    search = BeautifulSoup((desk.out_dir / "search" / "index.html").read_text(), "html.parser")
    options = {name: [o.get_text() for o in search.find(id=f"search-{name}").find_all("option")]
               for name in ("story", "status", "actor")}
    by_url = facets(desk)
    # Newest first, as the home page lists them.
    assert list(by_url) == [f"{FIRST_STORY}/", "river-deal-signed/", "river-talks-begin/"]
    assert by_url["river-talks-begin/"] == {
        "url": "river-talks-begin/", "title": "The river talks, 2025-05-05",
        "date": "2025-05-06", "day": "6 May 2025", "story": "river-talks", "statuses": ["proposed"],
        "actors": ["Ola Berg"]}
    real = by_url[f"{FIRST_STORY}/"]
    assert options["story"][0] == "any story" and len(options["story"]) == 3
    assert "Ola Berg" in options["actor"] and set(real["actors"]) < set(options["actor"])
    # In the order of the status vocabulary, each once, only those some phase has.
    statuses = options["status"][1:]
    assert {"proposed", "agreed"} <= set(statuses) and len(statuses) == len(set(statuses))
    assert set(statuses) == {s for page in by_url.values() for s in page["statuses"]}


@pytest.fixture(scope="module")
def served(desk) -> Iterator[str]:
    """The site under a sub-path, as a GitHub project site is: /site/."""
    import http.server
    import threading

    def handler(*args, **kwargs):
        return http.server.SimpleHTTPRequestHandler(*args, directory=str(desk.root), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site/search/index.html"
    server.shutdown()


def results(page) -> list[str]:
    page.locator("#search-summary").filter(has_not_text="Searching").wait_for()
    return [a.get_attribute("href").split("/site/", 1)[1]
            for a in page.locator("#search-results h2 a").all()]


def test_a_reader_finds_the_explainer_by_a_word_of_it(served, browser):
    page = browser.new_page()
    page.goto(served)
    page.fill("#search-words", "Zaporizhzhia")
    page.locator("#search-results h2 a").first.wait_for(timeout=10_000)
    assert results(page) == [f"{FIRST_STORY}/"]
    assert page.locator("#search-results mark").first.inner_text().lower() == "zaporizhzhia"
    page.close()


def test_the_filters_narrow_the_words_results_and_alone_list_what_they_fit(served, browser):
    page = browser.new_page()
    page.goto(served)
    page.select_option("#search-actor", "Ola Berg")
    page.get_by_text("2 explainers fit the filters.").wait_for(timeout=10_000)
    assert results(page) == ["river-deal-signed/", "river-talks-begin/"]
    page.select_option("#search-actor", "")
    page.fill("#search-words", "agreed")
    page.get_by_text("with “agreed”").wait_for(timeout=10_000)
    assert set(results(page)) == {f"{FIRST_STORY}/", "river-deal-signed/",
                                  "river-talks-begin/"}
    page.select_option("#search-story", "river-talks")
    page.get_by_text("that fit the filters").wait_for(timeout=10_000)  # two of them
    assert set(results(page)) == {"river-deal-signed/", "river-talks-begin/"}
    page.select_option("#search-status", "agreed")
    page.get_by_text("1 explainer with").wait_for(timeout=10_000)
    assert results(page) == ["river-deal-signed/"]
    # The address keeps the search: a reader can send it, and opening it searches again.
    address = page.url
    assert "q=agreed" in address and "story=river-talks" in address
    again = browser.new_page()
    again.goto(address)
    again.get_by_text("1 explainer with").wait_for(timeout=10_000)
    assert results(again) == ["river-deal-signed/"]
    assert again.input_value("#search-status") == "agreed"
    page.close()
    again.close()


def test_an_indexed_page_cannot_put_markup_in_the_results(served, browser):
    page = browser.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(served)
    page.fill("#search-words", "ministers met")
    page.locator("#search-results h2 a").first.wait_for(timeout=10_000)
    shown = page.locator("#search-results").inner_text()
    assert "<img src=x onerror=alert(1)>" in shown
    assert page.locator("#search-results img").count() == 0 and alerts == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_results_are_accessible_and_fit_the_screen(served, browser, width, scheme):
    from tests.test_pages_in_browser import SCREENSHOTS, axe_violations, open_page

    page, problems = open_page(browser, f"{served}?q=agreed&actor=Ola+Berg", width=width,
                               scheme=scheme)
    page.get_by_text("fit the filters").wait_for(timeout=10_000)
    assert axe_violations(page) == []
    assert problems == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-results-{width}-{scheme}.png"),
                    full_page=True)
    page.context.close()


def test_pages_keep_their_shard_while_the_number_of_shards_holds():
    from generator.search import shards

    pages = [f"story-{n}/index.html" for n in range(40)]
    parts = shards(pages, per_shard=10)
    assert len(parts) == 4 and parts[0][0] == "pagefind"
    assert sorted(p for _, group in parts for p in group) == sorted(pages)  # each once
    shard_of = {p: folder for folder, group in parts for p in group}
    grown = shards([*pages, "story-new/index.html"][::-1], per_shard=11)
    assert {p: folder for folder, group in grown for p in group if p in shard_of} == shard_of
    assert len(shards(pages[:5], per_shard=10)) == 1
    assert len(shards([*pages, "one-more/index.html"], per_shard=10)) <= 8
    assert all(group for _, group in shards(pages[:3], per_shard=1))  # none empty


def test_an_edit_indexes_only_its_shard_again_and_the_site_is_a_cold_builds(
        tmp_path, monkeypatch):
    from generator import search
    from tests.test_atomic_write import tree_hash

    monkeypatch.setattr(search, "SHARD_PAGES", 1)
    project = make_desk(tmp_path / "desk")
    build(project)
    indexed: list[list[str]] = []
    real = search.search_files
    monkeypatch.setattr(search, "search_files", lambda pages, *args: (
        indexed.append(sorted(pages)), real(pages, *args))[1])
    path = project.content_dir / "river-talks-begin.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "summary: 'Ministers met", "summary: 'Two ministers met"), encoding="utf-8")
    build(project)
    parts = search.shards(["river-talks-begin/index.html", "river-deal-signed/index.html",
                           f"{FIRST_STORY}/index.html"])
    assert len(parts) > 1
    assert indexed == [group for _, group in parts if "river-talks-begin/index.html" in group]
    assert page_of(project, "search/index.html").find(id="search-facets") is not None
    cold = make_desk(tmp_path / "cold")
    cold_path = cold.content_dir / "river-talks-begin.md"
    cold_path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    build(cold)
    assert tree_hash(project.out_dir) == tree_hash(cold.out_dir)
