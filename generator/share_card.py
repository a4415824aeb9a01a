"""The share card: a 1200x630 PNG of an explainer's headline, its events' dates and where each
phase of its plan stands, for the `og:image` that social sites and chat apps show.

Made with Pillow and the font it ships with, so the same listing gives the same bytes on any
machine with the locked Pillow; no browser, no network, no system fonts.
"""

from __future__ import annotations

import functools
import io
import textwrap

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


def _lines(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, most: int) -> list[str]:
    """The text wrapped to `width` pixels in at most `most` lines, the last cut with '…'."""
    font = _font(size)
    per_line = max(10, int(width / (size * 0.5)))
    while per_line > 10:
        lines = textwrap.wrap(text, per_line)
        if all(draw.textlength(line, font=font) <= width for line in lines):
            break
        per_line -= 2
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" ,;:") + "\u2026"
    return lines


def _badge(draw: ImageDraw.ImageDraw, x: int, y: int, status: str) -> int:
    """A status badge at (x, y); returns where the next thing may start."""
    fill, ink = _TONES[STATUS_TONE.get(status, "pending")]
    font = _font(22)
    label = status.upper()
    width = int(draw.textlength(label, font=font)) + 24
    draw.rounded_rectangle((x, y, x + width, y + 34), radius=6, fill=fill,
                           outline=ink if fill == _PAPER else fill, width=2)
    draw.text((x + 12, y + 5), label, font=font, fill=ink)
    return x + width + 14


def _step(draw: ImageDraw.ImageDraw, y: int, number: int, step: BoardStep) -> int:
    """One phase at height y; returns the height it took."""
    titles = _lines(draw, f"{number}. {step.title}", 26, 480, 2)
    for n, line in enumerate(titles):
        draw.text((_MARGIN, y + 4 + 32 * n), line, font=_font(26), fill=_INK)
    x = _badge(draw, 560, y, step.status)
    when = step.as_of
    if step.later_status and step.later_date:
        draw.text((x, y + 6), "later", font=_font(20), fill=_MUTED)
        x = _badge(draw, x + 56, y, step.later_status)
        when = step.later_date
    text = long_date(when) if step.later_status else f"as of {long_date(when)}"
    if x + draw.textlength(text, font=_font(20)) <= WIDTH - _MARGIN:
        draw.text((x, y + 6), text, font=_font(20), fill=_MUTED)
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


def drawn(listing: Listing, site_title: str, publisher: str | None) -> Image.Image:
    """The share card in full colour."""
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=_ACCENT)
    byline = f"{site_title} \u00b7 {publisher}" if publisher else site_title
    draw.text((_MARGIN, 36), byline, font=_font(26), fill=_MUTED)
    y = 80
    for line in _lines(draw, listing.title, 48, WIDTH - 2 * _MARGIN, 3):
        draw.text((_MARGIN, y), line, font=_font(48), fill=_INK)
        y += 56
    events = long_date(listing.events_from)
    if listing.events_to and listing.events_to != listing.events_from:
        events = f"{long_date(listing.events_from)} to {long_date(listing.events_to)}"
    draw.text((_MARGIN, y + 10), f"Events of {events}", font=_font(24), fill=_MUTED)
    y += 60
    draw.line((_MARGIN, y, WIDTH - _MARGIN, y), fill=_RULE, width=2)
    y += 20
    shown = 0
    for number, step in enumerate(listing.board, 1):
        if y + 84 > HEIGHT - 24:  # no room for a phase of two lines and the note below
            break
        y += _step(draw, y, number, step)
        shown = number
    if shown < len(listing.board):
        draw.text((_MARGIN, y), f"and {len(listing.board) - shown} more", font=_font(20),
                  fill=_MUTED)
    return image
