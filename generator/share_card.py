"""The share card: a 1200x630 PNG of an explainer's headline, its events' dates and where each
phase of its plan stands, for the `og:image` that social sites and chat apps show.

Made with Pillow and the font it ships with, so the same listing gives the same bytes on any
machine with the locked Pillow; no browser, no network, no system fonts.
"""

from __future__ import annotations

import functools
import io
import textwrap
from typing import NamedTuple

from PIL import Image, ImageColor, ImageDraw, ImageFont

from generator.render import long_date
from generator.schema import STATUS_TONE, BoardStep, Listing

WIDTH, HEIGHT = 1200, 630
_MARGIN = 60
_INK, _MUTED, _PAPER, _RULE = "#1b1b1b", "#575757", "#fdfdfb", "#d6d4cc"
# Each tone's badge: fill and text, as on the page (light theme).
_ACCENT = "#c2410c"
_TONES = {"done": ("#1d6b35", "#ffffff"), "partial": ("#fff1c2", "#5c4300"),
          "pending": (_PAPER, "#0b57a4"), "failed": ("#a61b1b", "#ffffff")}
# Each ink and what it is drawn on: anti-aliased text and edges take the shades between them.
_PAIRS = ((_INK, _PAPER), (_MUTED, _PAPER), (_RULE, _PAPER), (_ACCENT, _PAPER),
          *((ink, fill) for fill, ink in _TONES.values()),
          *((fill, _PAPER) for fill, _ in _TONES.values()))
_SHADES = 8


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)  # type: ignore[return-value]


class _Glyph(NamedTuple):
    mask: Image.Image | None  # its coverage, None for a blank (a space)
    left: int  # where the mask goes from the pen's position, and the pen's advance
    top: int
    advance: float


@functools.cache
def _glyph(size: int, char: str) -> _Glyph:
    """One character of the font at one size, drawn once. A card is drawn glyph by glyph
    from these, where having FreeType draw each line took most of a card's time; Pillow's
    basic layout places the same glyphs at the same advances (it has no shaping)."""
    font = _font(size)
    left, top, right, bottom = (int(edge) for edge in font.getbbox(char))
    mask = None
    if right > left and bottom > top:
        mask = Image.new("L", (right - left, bottom - top))
        ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255)
    return _Glyph(mask, left, top, font.getlength(char))


def _length(text: str, size: int) -> float:
    return sum(_glyph(size, char).advance for char in text)


@functools.lru_cache(maxsize=4096)
def _word(size: int, word: str) -> _Glyph:
    """A run of glyphs drawn once (the words of a site's cards repeat: statuses, dates,
    names), their coverage laid over one another as Pillow's text drawing lays it (where
    two glyphs' boxes overlap, FreeType's coverage composited)."""
    x, placed = 0.0, []
    for char in word:
        glyph = _glyph(size, char)
        if glyph.mask is not None:
            placed.append((glyph.mask, round(x) + glyph.left, glyph.top))
        x += glyph.advance
    return _Glyph(*_combined(placed), x)


def _combined(placed: list[tuple[Image.Image, int, int]]) -> tuple[Image.Image | None, int, int]:
    """Masks at their places as one mask, and where it goes."""
    if not placed:
        return None, 0, 0
    left, top = min(at[1] for at in placed), min(at[2] for at in placed)
    mask = Image.new("L", (max(at[1] + at[0].width for at in placed) - left,
                           max(at[2] + at[0].height for at in placed) - top))
    for part, at_x, at_y in placed:
        mask.paste(255, (at_x - left, at_y - top), part)
    return mask, left, top


def _text(image: Image.Image, xy: tuple[float, int], text: str, size: int, fill: str) -> None:
    """Draw a line as Pillow's ImageDraw.text does, word by word: one mask of the line's
    coverage, the ink laid through it."""
    x, y = xy
    placed = []
    for n, word in enumerate(text.split(" ")):
        if n:
            x += _glyph(size, " ").advance
        drawn = _word(size, word)
        if drawn.mask is not None:
            placed.append((drawn.mask, round(x) + drawn.left, y + drawn.top))
        x += drawn.advance
    mask, left, top = _combined(placed)
    if mask is not None:
        image.paste(ImageColor.getrgb(fill), (left, top), mask)


@functools.cache
def _palette() -> Image.Image:
    """The colours a card is drawn in, with _SHADES steps between each ink and its ground:
    a card mapped to these takes one look-up a pixel, where choosing a palette for each card
    took most of the time a card takes, and the same colours give the same bytes."""
    colours: dict[tuple[int, ...], None] = {}
    for ink, ground in _PAIRS:
        a, b = ImageColor.getrgb(ink), ImageColor.getrgb(ground)
        for step in range(_SHADES + 1):
            colours[tuple(round(x + (y - x) * step / _SHADES) for x, y in zip(a, b,
                                                                               strict=True))] = None
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour])
    return palette


def _lines(text: str, size: int, width: int, most: int) -> list[str]:
    """The text wrapped to `width` pixels in at most `most` lines, the last cut with '…'."""
    per_line = max(10, int(width / (size * 0.5)))
    while per_line > 10:
        lines = textwrap.wrap(text, per_line)
        if all(_length(line, size) <= width for line in lines):
            break
        per_line -= 2
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" ,;:") + "\u2026"
    return lines


def _badge(image: Image.Image, draw: ImageDraw.ImageDraw, x: int, y: int, status: str) -> int:
    """A status badge at (x, y); returns where the next thing may start."""
    fill, ink = _TONES[STATUS_TONE.get(status, "pending")]
    label = status.upper()
    width = int(_length(label, 22)) + 24
    draw.rounded_rectangle((x, y, x + width, y + 34), radius=6, fill=fill,
                           outline=ink if fill == _PAPER else fill, width=2)
    _text(image, (x + 12, y + 5), label, 22, ink)
    return x + width + 14


def _step(image: Image.Image, draw: ImageDraw.ImageDraw, y: int, number: int,
          step: BoardStep) -> int:
    """One phase at height y; returns the height it took."""
    titles = _lines(f"{number}. {step.title}", 26, 480, 2)
    for n, line in enumerate(titles):
        _text(image, (_MARGIN, y + 4 + 32 * n), line, 26, _INK)
    x = _badge(image, draw, 560, y, step.status)
    when = step.as_of
    if step.later_status and step.later_date:
        _text(image, (x, y + 6), "later", 20, _MUTED)
        x = _badge(image, draw, x + 56, y, step.later_status)
        when = step.later_date
    text = long_date(when) if step.later_status else f"as of {long_date(when)}"
    if x + _length(text, 20) <= WIDTH - _MARGIN:
        _text(image, (x, y + 6), text, 20, _MUTED)
    return 32 * len(titles) + 20


def share_card(listing: Listing, site_title: str, publisher: str | None) -> bytes:
    """The PNG bytes of the explainer's share card."""
    # A palette of the colours drawn makes a file a third the size, and quicker to write,
    # than full colour. zlib's level 3, not its default 6: less than half the time to write
    # for a file a quarter larger, still a fraction of what the platforms accept.
    out = io.BytesIO()
    drawn(listing, site_title, publisher).quantize(
        palette=_palette(), dither=Image.Dither.NONE).save(out, format="PNG", compress_level=3)
    return out.getvalue()


def shown_on_card(listing: Listing) -> tuple:
    """What the card shows of an explainer (besides the site's title and publisher): drawn
    reads nothing else of it, so a card is drawn again only when this changes."""
    return listing.title, listing.events_from, listing.events_to, listing.board


def drawn(listing: Listing, site_title: str, publisher: str | None) -> Image.Image:
    """The share card in full colour."""
    title, events_from, events_to, board = shown_on_card(listing)
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=_ACCENT)
    byline = f"{site_title} \u00b7 {publisher}" if publisher else site_title
    _text(image, (_MARGIN, 36), byline, 26, _MUTED)
    y = 80
    for line in _lines(title, 48, WIDTH - 2 * _MARGIN, 3):
        _text(image, (_MARGIN, y), line, 48, _INK)
        y += 56
    events = long_date(events_from)
    if events_to and events_to != events_from:
        events = f"{long_date(events_from)} to {long_date(events_to)}"
    _text(image, (_MARGIN, y + 10), f"Events of {events}", 24, _MUTED)
    y += 60
    draw.line((_MARGIN, y, WIDTH - _MARGIN, y), fill=_RULE, width=2)
    y += 20
    shown = 0
    for number, step in enumerate(board, 1):
        if y + 84 > HEIGHT - 24:  # no room for a phase of two lines and the note below
            break
        y += _step(image, draw, y, number, step)
        shown = number
    if shown < len(board):
        _text(image, (_MARGIN, y), f"and {len(board) - shown} more", 20, _MUTED)
    return image
