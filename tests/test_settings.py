"""Site settings (explainer.yaml): read by the build for titles, addresses and site files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from bench.synthetic import make_project
from generator.cli import main
from generator.errors import ContentError
from generator.incremental import build
from generator.lists import FEED_ENTRIES
from generator.project import Project
from tests.conftest import FIRST_STORY

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_without_settings_the_site_uses_defaults_and_relative_links_only(project, page):
    build(project)
    index = page(project.out_dir / "index.html")
    assert index.title.get_text() == "Explainers"
    assert index.find("link", rel="canonical") is None
    assert not (project.out_dir / "sitemap.xml").exists()
    assert (project.out_dir / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert (project.out_dir / ".nojekyll").exists()
    assert not (project.out_dir / "CNAME").exists()


def test_settings_name_the_site_and_give_absolute_addresses(project, page):
    project.settings_file.write_text(
        "title: Newsroom explainers\npublisher: The Example Desk\n"
        "base_url: https://desk.github.io/explainers\ncustom_domain: explain.example.org\n")
    build(project)
    story = page(project.out_dir / FIRST_STORY / "index.html")
    assert story.title.get_text().endswith("· Newsroom explainers")
    assert story.find("link", rel="canonical")["href"] == \
        f"https://desk.github.io/explainers/{FIRST_STORY}/"
    assert "Published by The Example Desk." in story.get_text()
    assert [a["href"] for a in story.select(".site-header a")] == ["../index.html",
                                                                  "../search/index.html"]

    sitemap = ET.parse(project.out_dir / "sitemap.xml").getroot()
    locations = [url.findtext(f"{SITEMAP}loc") for url in sitemap]
    assert locations == ["https://desk.github.io/explainers/",
                         "https://desk.github.io/explainers/corrections/",
                         "https://desk.github.io/explainers/stories/ukraine-ceasefire-talks/",
                         f"https://desk.github.io/explainers/{FIRST_STORY}/"]
    robots = (project.out_dir / "robots.txt").read_text()
    assert "Sitemap: https://desk.github.io/explainers/sitemap.xml" in robots
    assert (project.out_dir / "CNAME").read_text() == "explain.example.org\n"


def test_base_url_flag_overrides_the_settings(project, page):
    project.settings_file.write_text("base_url: https://old.example.org/\n")
    assert main(["--root", str(project.root), "build", "--base-url",
                 "https://new.example.org/sub"]) == 0
    index = page(project.out_dir / "index.html")
    assert index.find("link", rel="canonical")["href"] == "https://new.example.org/sub/"


def test_settings_mistakes_are_reported_with_their_line(project, capsys):
    project.settings_file.write_text("title: Desk\nbase_url: ftp://x.org/\nlanguge: en\n")
    assert main(["--root", str(project.root), "check"]) == 1
    err = capsys.readouterr().err.strip().split("\n")
    assert err == [
        "explainer.yaml:2:11: base_url: 'ftp://x.org/' is not a web address: use a full "
        "http:// or https:// URL, or leave the field out",
        "explainer.yaml:3:1: languge: unknown field; did you mean 'language'?",
        "2 problems found.",
    ]


def test_a_bad_base_url_flag_is_refused(project):
    with pytest.raises(ContentError, match="'javascript:x' is not a web address"):
        build(project, base_url="javascript:x")


def test_the_feed_holds_the_newest_fifty_and_the_sitemap_every_page(tmp_path):
    project = Project.at(make_project(tmp_path / "many", FEED_ENTRIES + 5))
    build(project)
    base = "https://newsroom.example/explainers/"
    texts = [p.read_text(encoding="utf-8") for p in project.content_dir.glob("*.md")]
    listed = sorted((-date.fromisoformat(_field(t, "published")).toordinal(), _field(t, "slug"))
                    for t in texts)
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(project.out_dir / "feed.xml").getroot()
    assert [e.findtext(f"{atom}id") for e in feed.findall(f"{atom}entry")] == [
        f"{base}{slug}/" for _, slug in listed[:50]], "the newest fifty, newest first"
    sitemap = ET.parse(project.out_dir / "sitemap.xml").getroot()
    urls = {u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sitemap}
    assert urls == {base, f"{base}corrections/"} | {f"{base}{slug}/" for _, slug in listed}


def _field(text: str, name: str) -> str:
    return text.split(f"\n{name}: ", 1)[1].split("\n", 1)[0]
