"""Nothing from content can inject markup or script into a page."""

from __future__ import annotations

import json

import pytest

from generator.article import ArticleParser
from generator.incremental import build
from tests.conftest import FIRST_STORY, set_top_level, story_text, write_story

PAYLOAD = '<script>alert("x")</script>'


@pytest.mark.parametrize("field", ["title", "summary"])
def test_script_in_front_matter_renders_as_text(project, page, field):
    text = set_top_level(story_text(project), field, f"'{PAYLOAD} & <b>bold</b>'")
    write_story(project, text)
    build(project)
    for path in (project.out_dir / FIRST_STORY / "index.html", project.out_dir / "index.html"):
        soup = page(path)
        assert executable_scripts(soup) == []
        assert soup.find("b") is None
        assert PAYLOAD in soup.get_text()
    story = page(project.out_dir / FIRST_STORY / "index.html")
    (data,) = story.find_all("script", type="application/ld+json")
    assert "</script" not in data.string and "<" not in data.string
    assert PAYLOAD in json.loads(data.string)["headline" if field == "title" else "description"]


def executable_scripts(soup) -> list:
    """Script elements a browser would run: anything but JSON-LD data blocks."""
    return [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]


def test_script_in_nested_fields_renders_as_text(project, page):
    text = story_text(project).replace(
        "    position: Said that talks on the ceasefire terms would begin immediately.",
        f"    position: '{PAYLOAD}'", 1)
    text = text.replace("title: Maritime ceasefire in the Black Sea",
                        "title: '<img src=x onerror=alert(1)>'", 1)
    write_story(project, text)
    build(project)
    soup = page(project.out_dir / FIRST_STORY / "index.html")
    assert executable_scripts(soup) == [] and soup.find("img") is None
    assert PAYLOAD in soup.find(id="actor-leavitt").get_text()


def test_raw_html_in_the_article_body_is_shown_as_text():
    article = ArticleParser().parse(f"Before {PAYLOAD} after.\n\n<div onclick=x>block</div>\n")
    assert "<script" not in article.html and "<div" not in article.html
    assert "&lt;script&gt;" in article.html
    assert PAYLOAD in article.text


@pytest.mark.parametrize("href", ["javascript:alert(1)", "data:text/html,<script>x</script>",
                                  "vbscript:msgbox(1)"])
def test_dangerous_links_in_the_article_body_lose_their_address(href):
    article = ArticleParser().parse(f"A [link]({href}) here.\n")
    assert "href" not in article.html
    assert "link" in article.text


def test_web_links_in_the_article_body_are_kept_and_marked_noopener():
    article = ArticleParser().parse("A [link](https://example.org/a) here.\n")
    assert 'href="https://example.org/a"' in article.html
    assert 'rel="noopener noreferrer"' in article.html
