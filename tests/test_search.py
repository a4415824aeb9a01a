"""Search over the archive: `explainer build` writes a Pagefind index of the explainer pages
and a search page; only the search page loads a script."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from generator.incremental import build
from generator.project import Project
from tests.conftest import FIRST_STORY, copy_of_project


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
    assert [s["src"] for s in search.find_all("script")] == [
        "../pagefind/pagefind-ui.js", "../static/search.js"]
    for page in ("index.html", f"{FIRST_STORY}/index.html", "corrections/index.html"):
        html = (built.out_dir / page).read_text(encoding="utf-8")
        assert re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>", html) == [], page
        assert 'href="' in html and "search/index.html" in html, "every page links to search"


def test_a_reader_finds_the_explainer_by_a_word_of_it(built, browser):
    import http.server
    import threading

    def handler(*args, **kwargs):
        return http.server.SimpleHTTPRequestHandler(*args, directory=str(built.out_dir),
                                                    **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/index.html")
        page.fill("#search input", "Zaporizhzhia")
        link = page.locator(".pagefind-ui__result-link").first
        link.wait_for(timeout=10_000)
        assert link.get_attribute("href").endswith(f"/{FIRST_STORY}/")
        page.close()
    finally:
        server.shutdown()


def test_every_file_of_the_bundle_is_complete(built):
    # Pagefind's Python service acknowledged a write before its files were flushed, and a
    # build sometimes shipped an empty script; the command line has written all on exit.
    files = {p.name: p.stat().st_size for p in (built.out_dir / "pagefind").rglob("*")
             if p.is_file()}
    assert "pagefind-highlight.js" in files and "pagefind-ui.js" in files
    assert [name for name, size in files.items() if size == 0] == []

