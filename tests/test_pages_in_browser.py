"""Built pages in a real browser, served under a sub-path as GitHub Pages serves a project site:
accessible (axe-core), valid (Nu HTML Checker), usable by keyboard, at phone and desktop widths,
in light and dark themes, and complete without JavaScript."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.incremental import build
from generator.project import Project
from tests.conftest import FIRST_STORY, REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(os.environ.get("EXPLAINER_SCREENSHOTS", REPO / "test-artifacts" / "screenshots"))
PAGES = {"index": "", "explainer": f"{FIRST_STORY}/", "corrections": "corrections/",
         "story": "stories/ukraine-ceasefire-talks/", "search": "search/",
         "not-found": "no/such/page/"}
ATOM = "{http://www.w3.org/2005/Atom}"


class _PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder the way GitHub Pages does: the site's 404.html for anything missing."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        page = Path(self.directory) / "explainers" / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args: object) -> None:
        pass


def _served(root: Path, with_base_url: bool) -> Iterator[tuple[Project, str]]:
    """The real project built (for its address, or without one) and served at
    http://127.0.0.1:PORT/explainers/."""
    for part in ("content", "seeds", "templates"):
        shutil.copytree(REPO / part, root / part)
    served = root / "served"

    def handler(*args, **kwargs):
        return _PagesLikeHandler(*args, directory=str(served), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/explainers/"
    project = Project.at(root)
    build(project, base_url=base if with_base_url else None)
    shutil.copytree(project.out_dir, served / "explainers")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield project, base
    server.shutdown()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[Project, str]]:
    """The real project built for, and served at, http://127.0.0.1:PORT/explainers/."""
    yield from _served(tmp_path_factory.mktemp("project"), with_base_url=True)


@pytest.fixture(scope="module")
def site_without_base_url(tmp_path_factory) -> Iterator[tuple[Project, str]]:
    """The same, built with no base_url, as a first project site often is."""
    yield from _served(tmp_path_factory.mktemp("project"), with_base_url=False)


def open_page(browser, url: str, *, width: int = 1280, scheme: str = "light",
              javascript: bool = True, motion: str = "no-preference"):
    """A page and the problems a reader's browser would log while loading it (beyond a 404
    page's own status)."""
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme, java_script_enabled=javascript,
                                  reduced_motion=motion)
    page = context.new_page()
    problems: list[str] = []
    own_status = "Failed to load resource: the server responded with a status of 404"
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") and not (
                url.endswith(PAGES["not-found"]) and m.text.startswith(own_status)) else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" else None)
    page.goto(url)
    return page, problems


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_loads_cleanly_and_fits(site, browser, name, width, scheme):
    _, base = site
    page, problems = open_page(browser, base + PAGES[name], width=width, scheme=scheme)
    # The 404 page carries its styles, to look right at whatever address it is served.
    assert page.locator("link[rel=stylesheet]").count() == (0 if name == "not-found" else 1)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != \
        "rgba(0, 0, 0, 0)", "the stylesheet loaded"
    assert axe_violations(page) == []
    assert problems == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_followed_quote_highlights_its_sentence_in_both_themes(site, browser, scheme):
    _, base = site
    # Reduced motion: a click mid-way through a smooth scroll would land on the wrong element.
    page, problems = open_page(browser, base + PAGES["explainer"], scheme=scheme,
                               motion="reduce")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    link = page.locator("a.quote").first
    target = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '{target}'")
    marked = page.evaluate(f"getComputedStyle(document.querySelector('{target}'))"
                           ".backgroundColor")
    page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert marked not in (page_bg, "rgba(0, 0, 0, 0)")
    assert page.locator(target).is_visible()
    assert axe_violations(page) == [], "the highlight keeps enough contrast"
    assert problems == []
    page.screenshot(path=str(SCREENSHOTS / f"highlight-{scheme}.png"))
    page.context.close()


def test_404_page_under_a_sub_path_without_base_url_is_styled_and_loads_nothing_else(
        site_without_base_url, browser):
    _, base = site_without_base_url
    page, problems = open_page(browser, base + PAGES["not-found"])
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != \
        "rgba(0, 0, 0, 0)", "its inline styles apply"
    assert axe_violations(page) == []
    assert problems == [], "no request for a stylesheet or icon at the domain root"
    page.context.close()


def test_keyboard_reaches_every_link_with_a_visible_focus_ring(site, browser):
    _, base = site
    page, _ = open_page(browser, base + PAGES["explainer"])
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent")
    assert first == "Skip to the content"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0, \
        "the skip link shows when focused"
    # Every link a reader can see, and the summary that unfolds each folded list.
    focusable = "a[href]:not(details:not([open]) > :not(summary) a), summary"
    links = page.locator(focusable).count()
    reached, without_ring = set(), []
    for _ in range(links):
        info = page.evaluate("""(focusable) => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {key: [...document.querySelectorAll(focusable)].indexOf(el),
                    ring: style.outlineStyle !== 'none' && style.outlineWidth !== '0px'};
        }""", focusable)
        reached.add(info["key"])
        if not info["ring"]:
            without_ring.append(info["key"])
        page.keyboard.press("Tab")
    assert reached == set(range(links)), "every visible link and summary is reachable by Tab"
    assert without_ring == []
    page.goto(base + PAGES["explainer"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.context.close()


def test_page_is_complete_without_javascript(site, browser):
    _, base = site
    page, problems = open_page(browser, base + PAGES["explainer"], javascript=False)
    for section in ("key-points", "where-it-stands", "actors", "plan", "questions", "context",
                    "sources", "article"):
        assert page.locator(f"#{section}").is_visible()
    assert page.locator("a.quote").count() > 20
    assert problems == []
    page.context.close()


def test_html_is_valid_for_the_nu_html_checker(site):
    project, _ = site
    pages = sorted(str(p) for p in project.out_dir.rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True, check=False)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], messages
    assert result.returncode == 0


def test_json_ld_names_the_article_its_sources_and_dates(site):
    project, base = site
    html = (project.out_dir / FIRST_STORY / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    front = yaml.load((project.content_dir / f"{FIRST_STORY}.md").read_text(
        encoding="utf-8").split("\n---\n")[0][4:], Loader=yaml.BaseLoader)
    assert data["@type"] == "NewsArticle" and data["headline"] == front["title"]
    assert data["datePublished"] == front["published"]
    assert data.get("dateModified") == front.get("updated")
    assert data["temporalCoverage"] == f"{front['events_from']}/{front['events_to']}"
    assert data["url"] == f"{base}{FIRST_STORY}/"
    sources = front["sources"]
    assert [w["name"] for w in data["isBasedOn"]] == \
        [s.get("title", s.get("description")) for s in sources if s["kind"] == "article"]
    assert [w["name"] for w in data["citation"]] == \
        [s.get("title", s.get("description")) for s in sources if s["kind"] != "article"]
    assert [w.get("url") for w in data["citation"]] == \
        [s.get("url") for s in sources if s["kind"] != "article"]


def test_json_ld_gives_each_direct_quote_its_speaker_and_each_correction_its_date(site):
    project, base = site
    soup = BeautifulSoup((project.out_dir / FIRST_STORY / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    front = yaml.load((project.content_dir / f"{FIRST_STORY}.md").read_text(
        encoding="utf-8").split("\n---\n")[0][4:], Loader=yaml.BaseLoader)
    names = {a["id"]: a["name"] for a in front["actors"]}
    quotations = data["hasPart"]
    assert [q["@type"] for q in quotations] == ["Quotation"] * len(front["quotes"])
    for quotation, quote in zip(quotations, front["quotes"], strict=True):
        assert quotation["text"] == quote["words"]
        assert quotation["creator"]["name"] == names[quote["speaker"]]
        assert quotation["spokenByCharacter"] == quotation["creator"]
        assert quotation["url"].startswith(f"{base}{FIRST_STORY}/#s")
        assert soup.find(id=quotation["url"].split("#")[1]).find_parent(id="article")
    # One Quotation per direct quote shown under a speaker; the article's reporting is none.
    assert len(quotations) == len(soup.select("#actors q.said")) == 5
    assert [(c["datePublished"], c["text"].split(": ", 1)[1]) for c in data["correction"]] == \
        [(c["date"], " ".join(c["text"].split())) for c in front["corrections"]]


def test_feed_and_sitemap_are_well_formed_and_absolute(site):
    project, base = site
    feed = ET.parse(project.out_dir / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"{base}{FIRST_STORY}/"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}updated")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{base}feed.xml"
    sitemap = ET.parse(project.out_dir / "sitemap.xml").getroot()
    assert all(loc.text.startswith(base) for loc in sitemap.iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"))


def test_social_metadata_describes_each_page(site):
    project, base = site
    soup = BeautifulSoup((project.out_dir / FIRST_STORY / "index.html").read_text("utf-8"),
                         "html.parser")

    def meta(key: str) -> str:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        return tag["content"]

    assert meta("og:type") == "article"
    assert meta("og:url") == f"{base}{FIRST_STORY}/"
    assert meta("og:title") == meta("twitter:title") == soup.h1.get_text()
    assert meta("og:description") == meta("description")
    assert meta("twitter:card") == "summary_large_image"
    assert meta("og:image") == f"{base}{FIRST_STORY}/share.png"
    assert soup.find("link", rel="icon")["href"] == "../static/favicon.svg"


def _top(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().top"
                         " + scrollY")


def _bottom(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect()"
                         ".bottom + scrollY")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_first_screen_says_what_happened_and_where_it_stands(site, browser, width, scheme):
    _, base = site
    page, _ = open_page(browser, base + PAGES["explainer"], width=width, scheme=scheme)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"first-screen-{width}-{scheme}.png"))
    if width == 1280:
        assert _bottom(page, "#key-points") <= 900, "the key points are in the first screen"
        for n in range(page.locator("#where-it-stands .step").count()):
            assert _bottom(page, f"#where-it-stands .step:nth-child({n + 1})") <= 1800
        assert _top(page, "#article") <= 4500, "the source article is not far below"
    page.context.close()


def test_status_badges_differ_by_colour_shape_and_sign(site, browser):
    _, base = site
    page, _ = open_page(browser, base + PAGES["explainer"])
    looks = page.evaluate("""() => [...document.querySelectorAll('#where-it-stands .status')]
        .map(el => { const s = getComputedStyle(el), b = getComputedStyle(el, '::before');
                     return [el.textContent, s.backgroundColor, s.borderTopStyle, b.content]; })""")
    by_status = {text: tuple(look) for text, *look in looks}
    assert set(by_status) == {"agreed", "lapsed", "proposed", "agreed with conditions"}
    tones = {by_status["agreed"], by_status["lapsed"], by_status["proposed"],
             by_status["agreed with conditions"]}
    assert len({colour for colour, _, _ in tones}) == 4, "four colours"
    assert len({sign for _, _, sign in tones}) == 4, "four signs, not colour alone"
    assert len({border for _, border, _ in tones}) >= 3, "borders of three shapes"
    page.context.close()


def test_differing_accounts_stand_side_by_side(site, browser):
    _, base = site
    page, _ = open_page(browser, base + PAGES["explainer"])
    page.locator("#note-kremlin-condition").evaluate("el => el.closest('details').open = true")
    tops = page.evaluate("""() => [...document.querySelectorAll(
        '#note-kremlin-condition .account')].map(el => el.getBoundingClientRect().top)""")
    assert len(tops) == 2 and tops[0] == tops[1]
    page.context.close()


def test_printed_page_unfolds_everything_and_drops_navigation(site, browser):
    _, base = site
    page, _ = open_page(browser, base + PAGES["explainer"])
    page.emulate_media(media="print")
    assert page.locator(".toc").is_hidden() and page.locator(".site-header").is_hidden()
    folded = page.locator("details:not([open]) .evidence li").first
    assert folded.is_visible(), "a folded list is printed"
    page.pdf(path=str(SCREENSHOTS / "explainer-print.pdf"))
    page.context.close()
