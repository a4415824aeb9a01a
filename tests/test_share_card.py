"""The share card that social sites and chat apps show for an explainer: its size, that the
same input gives the same bytes, and that it follows what it shows."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageDraw, ImageStat

from generator import share_card as cards
from generator.incremental import build
from generator.pipeline import check
from generator.project import Project
from generator.schema import Listing
from generator.share_card import HEIGHT, WIDTH, drawn, share_card
from tests.conftest import FIRST_STORY, REPO


@pytest.fixture(scope="module")
def listing() -> Listing:
    return Listing.of(check(Project.at(REPO)).explainers[0])


def test_the_card_is_a_1200_by_630_png(listing):
    image = Image.open(io.BytesIO(share_card(listing, "Explainers", "The Desk")))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)


def test_the_same_listing_gives_the_same_bytes_and_a_change_other_bytes(listing):
    card = share_card(listing, "Explainers", None)
    assert share_card(listing, "Explainers", None) == card
    later = listing.replaced(phases=(listing.phases[0]._replace(status="in effect"),
                                     *listing.phases[1:]))
    assert share_card(later, "Explainers", None) != card
    assert share_card(listing._replace(title="Another headline"), "Explainers", None) != card


def test_a_long_headline_and_many_phases_still_make_a_card(listing):
    long = listing.replaced(title=" ".join(["A very long headline"] * 20),
                            phases=listing.phases * 4)
    image = Image.open(io.BytesIO(share_card(long, "Explainers", "The Desk")))
    assert image.size == (1200, 630)


@pytest.mark.parametrize("base_url", [None, "https://desk.example/explainers/"])
def test_each_explainer_has_its_card_named_in_its_page(tmp_path, base_url):
    for part in ("content", "seeds", "templates"):
        shutil.copytree(REPO / part, tmp_path / part)
    project = Project.at(tmp_path)
    build(project, base_url=base_url)
    card = project.out_dir / FIRST_STORY / "share.png"
    explainer = check(project).explainers[0]
    page = BeautifulSoup((project.out_dir / FIRST_STORY / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    image = page.find("meta", property="og:image")
    if base_url:
        assert card.read_bytes() == share_card(Listing.of(explainer), "Explainers", None)
        assert card.stat().st_size < 100_000
        assert image["content"] == f"{base_url}{FIRST_STORY}/share.png"
        assert page.find("meta", attrs={"name": "twitter:card"})["content"] == \
            "summary_large_image"
        alt = page.find("meta", property="og:image:alt")["content"]
        assert explainer.title in alt
    else:  # a share card is named by its absolute address, which is not known
        assert image is None and not card.exists()


BASE = "https://desk.example/"


@pytest.fixture
def built_with_cards(tmp_path) -> Project:
    """A copy of the project, built with a base URL (so with share cards)."""
    for part in ("content", "seeds", "templates"):
        shutil.copytree(REPO / part, tmp_path / part)
    project = Project.at(tmp_path)
    build(project, base_url=BASE)
    return project


@pytest.fixture
def cards_drawn(monkeypatch) -> list[tuple[str, str]]:
    """Each card drawn from now on, as (the explainer's title, the site's title)."""
    made: list[tuple[str, str]] = []
    draw = cards.share_card
    monkeypatch.setattr(cards, "share_card", lambda listing, title, *rest: (
        made.append((listing.title, title)), draw(listing, title, *rest))[1])
    return made


def test_a_card_is_made_again_only_when_its_page_is(built_with_cards):
    project = built_with_cards
    card = project.out_dir / FIRST_STORY / "share.png"
    before = card.read_bytes()
    assert build(project, base_url=BASE).rendered == 0
    story = project.content_dir / f"{FIRST_STORY}.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "    status: proposed\n", "    status: in effect\n", 1), encoding="utf-8")
    assert build(project, base_url=BASE).rendered == 1
    assert card.read_bytes() != before, "the card shows the new status"
    build(project)  # without a base URL there is nothing to name a card by
    assert not card.exists()


def card_as_a_cold_build_has_it(project: Project, fresh: Path) -> bool:
    from generator import pipeline

    pipeline.build(Project.at(project.root, fresh), base_url=BASE)
    card = f"{FIRST_STORY}/share.png"
    return (project.out_dir / card).read_bytes() == (fresh / card).read_bytes()


def test_a_card_is_drawn_again_only_when_what_it_shows_changes(built_with_cards, cards_drawn,
                                                                tmp_path):
    # The card shows the title, the events' dates and the phases: an edit to the summary
    # renders the page again but keeps the card; an edit to the title draws it again.
    project = built_with_cards
    story = project.content_dir / f"{FIRST_STORY}.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("summary: >-\n", "summary: >-\n  Edited.\n", 1),
                     encoding="utf-8")
    assert build(project, base_url=BASE).rendered == 1 and cards_drawn == []
    title = Listing.of(check(project).explainers[0]).title
    story.write_text(story.read_text(encoding="utf-8").replace(title, f"{title}, edited", 1),
                     encoding="utf-8")
    assert build(project, base_url=BASE).rendered == 1
    assert [explainer for explainer, _ in cards_drawn] == [f"{title}, edited"]
    assert card_as_a_cold_build_has_it(project, tmp_path / "fresh")


def test_a_template_saved_renders_the_pages_again_but_draws_no_card(built_with_cards, cards_drawn,
                                                                    tmp_path):
    # A card is drawn by the generator alone, from the site's title and publisher: a template
    # does not reach it, the site's title does.
    project = built_with_cards
    partial = project.templates_dir / "partials" / "summary.html"
    partial.write_text(partial.read_text(encoding="utf-8") + "{# saved #}\n", encoding="utf-8")
    assert build(project, base_url=BASE).rendered == 1 and cards_drawn == []
    project.settings_file.write_text("title: The Desk\n", encoding="utf-8")
    assert build(project, base_url=BASE).rendered == 1
    assert [site for _, site in cards_drawn] == ["The Desk"]
    assert card_as_a_cold_build_has_it(project, tmp_path / "fresh")


def test_the_card_keeps_the_colours_it_was_drawn_in(listing):
    # Its palette is fixed, not chosen per card: every pixel stays close to the full-colour
    # drawing, anti-aliased text included.
    card = Image.open(io.BytesIO(share_card(listing, "Explainers", "The Desk"))).convert("RGB")
    difference = ImageChops.difference(card, drawn(listing, "Explainers", "The Desk"))
    assert max(most for _, most in difference.getextrema()) <= 20
    assert max(ImageStat.Stat(difference).mean) < 0.5


@pytest.mark.parametrize("size", [20, 26, 48])
def test_text_drawn_glyph_by_glyph_is_pixel_for_pixel_pillows_own(size):
    """The card draws each line from glyphs drawn once (cards._text); Pillow drawing the
    whole line gives the very same pixels, for any text a headline or a phase may hold."""
    text = "Trump–Putin: “phased” ceasefire, 30 days… Zelenskyy’s reply (Kyiv, Kraków) 9/11 WAV"
    ours = Image.new("RGB", (1400, 80), "#fdfdfb")
    cards._text(ours, (7, 9), text, size, "#575757")
    theirs = Image.new("RGB", (1400, 80), "#fdfdfb")
    ImageDraw.Draw(theirs).text((7, 9), text, font=cards._font(size), fill="#575757")
    blank = Image.new("RGB", ours.size, "#fdfdfb")
    assert ImageChops.difference(ours, blank).getbbox() is not None, "something was drawn"
    assert ImageChops.difference(ours, theirs).getbbox() is None
    assert cards._length(text, size) == ImageDraw.Draw(theirs).textlength(
        text, font=cards._font(size))


def test_a_card_kept_for_a_new_address_comes_from_the_cache_or_is_drawn_again(tmp_path):
    # A new slug moves the card to a new address; with the cache emptied, its bytes are in
    # the old address of the site only, so it is drawn again rather than looked for there.
    from generator import pipeline
    from tests.test_home_pages import desk

    project = desk(tmp_path / "desk", 3)
    build(project, base_url=BASE)
    shutil.rmtree(project.root / ".explainer-cache" / "files")
    story = project.content_dir / "truce-000.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "slug: truce-call-0", "slug: truce-call-zero"), encoding="utf-8")
    assert build(project, base_url=BASE).rendered == 1
    fresh = Project.at(project.root, tmp_path / "fresh")
    pipeline.build(fresh, base_url=BASE)
    card = "truce-call-zero/share.png"
    assert (project.out_dir / card).read_bytes() == (fresh.out_dir / card).read_bytes()
