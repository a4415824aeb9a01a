"""The first story, built and read the way a reader would read it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.article import normalize
from generator.incremental import build
from tests.conftest import FIRST_STORY, REPO


def front_matter(path: Path) -> dict:
    """The annotation as plain YAML, read independently of the generator."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


@pytest.fixture
def built(project):
    build(project)
    return project


@pytest.fixture
def story(built, page) -> BeautifulSoup:
    return page(built.out_dir / FIRST_STORY / "index.html")


@pytest.fixture
def annotation(built) -> dict:
    return front_matter(built.content_dir / f"{FIRST_STORY}.md")


def texts(elements) -> list[str]:
    return [" ".join(e.get_text(" ", strip=True).split()) for e in elements]


def test_page_has_language_title_description_and_one_h1(story, annotation):
    assert story.html["lang"] == annotation["language"]
    assert annotation["title"] in story.title.get_text()
    description = story.find("meta", attrs={"name": "description"})
    assert " ".join(description["content"].split()) == " ".join(annotation["summary"].split())
    assert [h.get_text() for h in story.find_all("h1")] == [annotation["title"]]


def test_sections_appear_in_reading_order_with_headings(story):
    ids = [s["id"] for s in story.select("main section")]
    assert ids == ["key-points", "where-it-stands", "actors", "plan", "questions", "article",
                   "credited", "context", "corrections", "sources"]
    for section in story.select("main section"):
        assert section.find("h2"), section["id"]


def test_actors_section_lists_every_actor_in_order(story, annotation):
    names = texts(story.select("#actors .actor .actor-name"))
    sides = list(dict.fromkeys(a.get("side", "") for a in annotation["actors"]))
    sides.sort(key=lambda side: side == "")  # those with no side last
    assert names == [a["name"] for side in sides for a in annotation["actors"]
                     if a.get("side", "") == side]
    headings = texts(story.select("#actors .side-title"))
    assert headings == [side or "Others" for side in sides]
    for actor in annotation["actors"]:
        item = story.find(id=f"actor-{actor['id']}")
        if "position" in actor:
            assert " ".join(actor["position"].split()) in " ".join(item.get_text(" ").split())
        else:
            assert item.select_one(".position") is None


def test_nothing_on_the_page_says_the_article_does_not_say(story):
    assert "does not say" not in story.select_one("main").get_text()


def test_plan_is_ordered_with_titles_and_status(story, annotation):
    plan = story.select_one("#plan ol.plan")
    phases = plan.select(":scope > li")
    assert len(phases) == len(annotation["plan"])
    for li, phase in zip(phases, annotation["plan"], strict=True):
        assert li.find("h3").get_text() == phase["title"]
        assert li.select_one(".status-line .status").get_text() == phase["status"]
        involved = [a["href"] for a in li.select(".involved a")]
        assert involved == [f"#actor-{i}" for i in phase.get("actors", [])]


def test_questions_section_lists_every_question_in_order(story, annotation):
    asked = [h.find(string=True).strip() for h in story.select("#questions .question > h3")]
    assert asked == [q["question"] for q in annotation["questions"]]


def test_context_notes_cite_their_sources(story, annotation):
    notes = story.select("#context .note")
    assert [n.find("h3").get_text() for n in notes] == [n["title"] for n in annotation["notes"]]
    for div, note in zip(notes, annotation["notes"], strict=True):
        facts = div.select(".facts > li")
        assert len(facts) == len(note["facts"])
        for li, fact in zip(facts, note["facts"], strict=True):
            assert li.find("time")["datetime"] == fact["date"].isoformat()
            assert [a["href"] for a in li.select(".cited a")] == [f"#source-{s}"
                                                                  for s in fact["sources"]]


def test_sources_link_only_where_a_url_is_known(story, annotation):
    items = story.select("#sources li.source")
    assert len(items) == len(annotation["sources"])
    for li, source in zip(items, annotation["sources"], strict=True):
        link = li.select_one("a.source-title")
        if "url" in source:
            assert link["href"] == source["url"]
        else:
            assert link is None
            assert "no link available" in li.get_text()


def test_every_quote_links_to_its_sentence(story):
    quotes = story.select("a.quote")
    assert len(quotes) > 20
    for link in quotes:
        target = story.find(id=link["href"][1:])
        assert target is not None, link["href"]
        assert target.find_parent(id="article"), "quotes must point into the source article"
        # The page shows the article's own marks inside a quotation as nested <q>.
        shown = normalize(link.get_text()).replace('"', "")
        assert shown in normalize(target.get_text()).replace('"', ""), link["href"]


def test_quote_within_one_sentence_targets_that_sentence(story):
    link = next(a for a in story.select("a.quote") if a.get_text() == "begin immediately.")
    target = story.find(id=link["href"][1:])
    assert "sentence" in target["class"]
    assert target.get_text().startswith("U.S. Press Secretary Karoline Leavitt")


def test_article_sentences_are_addressable_and_unsplit_at_abbreviations(story):
    sentences = story.select("#article .sentence")
    ids = [s["id"] for s in sentences]
    assert ids == [f"s{n}" for n in range(1, len(ids) + 1)]
    assert any(s.get_text().startswith("Special U.S. envoy Steve Witkoff confirmed")
               for s in sentences)
    assert not any(s.get_text() in ("U.S.", "Special U.S.") for s in sentences)


def test_article_on_the_page_says_what_the_seed_says(story, annotation):
    seed = (REPO / "seeds" / annotation["seed"]).read_text(encoding="utf-8")
    shown = story.select_one("#article .article-body").get_text(" ")
    assert normalize(shown).split() == normalize(seed).split()


def test_subheadings_become_headings_below_the_section_heading(story):
    headings = texts(story.select("#article .article-body h3"))
    assert headings == ["A Step Toward Peace Talks", "Russia’s Key Demands",
                        "Talks on Land and Energy Infrastructure", "Zelenskyy’s Response"]


def test_every_internal_link_and_fragment_resolves(built, page):
    pages = {path: page(path) for path in sorted(built.out_dir.rglob("*.html"))}
    assert len(pages) == 6  # index, explainer, corrections, story and search pages, 404
    not_found = built.out_dir / "404.html"
    for path, soup in pages.items():
        refs = [(a.name, a.get("href") or a.get("src")) for a in soup.find_all(["a", "link"])]
        for _, ref in refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                continue
            if path == not_found and parts.path:
                # Served at any missing address, its links start from the site's root:
                # without a base_url, the domain root (explainer build says so).
                assert ref.startswith("/"), f"{path}: {ref} depends on the address"
                target = (built.out_dir / unquote(parts.path).lstrip("/")).resolve()
                assert target.is_file(), f"{path}: {ref}"
                continue
            assert not ref.startswith("/"), f"{path}: absolute link {ref} breaks under a sub-path"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path}: {ref}"
            if parts.fragment:
                assert pages[target].find(id=parts.fragment), f"{path}: {ref}"


def test_index_lists_each_explainer_with_a_relative_link(built, page):
    index = page(built.out_dir / "index.html")
    links = index.select(".explainer-list h2 a")
    assert [a["href"] for a in links] == [f"{FIRST_STORY}/index.html"]
    steps = index.select(".explainer-list .board .step-title")
    assert [a["href"] for a in steps] == [f"{FIRST_STORY}/index.html#phase-{p}"
                                          for p in ("energy-truce", "black-sea", "full-ceasefire")]
    assert index.html["lang"] and index.title.get_text() and len(index.find_all("h1")) == 1


def test_page_uses_one_stylesheet_and_no_script_or_inline_style(built):
    html = (built.out_dir / FIRST_STORY / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']
    assert "style=" not in html
    assert re.findall(r'rel="stylesheet" href="([^"]+)"', html) == ["../static/style.css"]


def test_seed_is_byte_identical_to_the_shared_original():
    shared = REPO.parent / "shared" / "seeds" / "000_a66ea636ac6472d1.txt"
    if not shared.exists():
        pytest.skip("the shared folder is not beside this checkout")
    assert (REPO / "seeds" / shared.name).read_bytes() == shared.read_bytes()
