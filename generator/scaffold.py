"""`explainer new`: a content file from a seed, with a commented front-matter skeleton.

The skeleton is generated from schema.py, so it always lists every field. Required text is
left empty on purpose: `explainer check` then names each field still to fill in.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from generator.schema import Choice, Date, Explainer, Flag, Kind, ListOf, Obj, SeedName, fields_of

_SENTENCE_END = tuple(".!?,;:…\"”’')]")
_MAX_HEADING_WORDS = 12


def slug_from(name: str) -> str:
    """A URL-safe slug from a file name or title."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "explainer"


def is_subheading(line: str) -> bool:
    """A short line standing alone that does not end like a sentence."""
    stripped = line.strip()
    return bool(stripped) and len(stripped.split()) <= _MAX_HEADING_WORDS and (
        not stripped.endswith(_SENTENCE_END))


def article_markdown(seed_text: str) -> str:
    """The seed as Markdown: one paragraph per line, standalone short lines as `##` headings.
    Only line structure changes; the words stay the article's words."""
    text = seed_text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = [line.strip() for line in text.split("\n") if line.strip()]
    out = []
    for n, block in enumerate(blocks):
        # The first line is the article's opening, even when short (a lede, not a heading).
        out.append(f"## {_escape_inline(block)}" if n and is_subheading(block)
                   else _escape(block))
    return "\n\n".join(out) + "\n"


def _escape(paragraph: str) -> str:
    """Keep the article's characters from being read as Markdown (emphasis, links, code, lists,
    headings, quotes), so the page shows exactly the seed's words."""
    escaped = re.sub(r"^([#>+-])(\s)", r"\\\1\2", _escape_inline(paragraph))
    return re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", escaped)


def _escape_inline(text: str) -> str:
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def skeleton(seed_name: str, slug: str) -> str:
    lines = ["---"]
    lines += _fields(Explainer, 0, {"seed": seed_name, "slug": slug, "language": "en"})
    lines.append("---")
    return "\n".join(lines) + "\n"


def _fields(cls: type, indent: int, given: dict[str, str]) -> list[str]:
    lines = []
    pad = " " * indent
    for f in fields_of(cls):
        need = "required" if f.required else "optional"
        comment = f"# {f.name} ({need}{_hint(f.kind)}): {f.doc}"
        lines.append(pad + comment)
        value = given.get(f.name)
        if value is not None:
            lines.append(f"{pad}{f.name}: {value}")
        elif isinstance(f.kind, ListOf) and isinstance(f.kind.item, Obj):
            item = _fields(f.kind.item.cls, indent + 4, {})
            first = next(i for i, line in enumerate(item) if not line.lstrip().startswith("#"))
            item[first] = f"{pad}  - {item[first].lstrip()}"
            if f.kind.min_items:
                lines += [f"{pad}{f.name}:", *item]
            else:  # optional: an example to uncomment, so an unused list passes the check
                lines += [f"{pad}{f.name}: []", *(f"{pad}# {line[indent:]}" for line in item)]
        elif isinstance(f.kind, ListOf):
            lines.append(f"{pad}{f.name}: []")
        elif f.required:
            lines.append(f"{pad}{f.name}: \"\"")
        else:
            lines.append(f"{pad}# {f.name}:")
    return lines


def _hint(kind: Kind) -> str:
    match kind:
        case Choice(options):
            return "; one of: " + ", ".join(options)
        case Date():
            return "; YYYY-MM-DD"
        case ListOf(min_items=min_items, max_items=max_items) if min_items and max_items:
            return f"; a list of {min_items} to {max_items}"
        case ListOf(min_items=min_items) if min_items:
            return f"; a list, at least {min_items}"
        case ListOf():
            return "; a list"
        case SeedName():
            return "; a file in seeds/"
        case Flag():
            return "; true or false"
    return ""


def new_content(seed_path: Path, content_dir: Path, slug: str | None = None) -> tuple[Path, str]:
    """The path and text of a new content file for a seed. Raises FileExistsError if the file
    is already there: an annotation is never overwritten."""
    seed_text = seed_path.read_bytes().decode("utf-8")
    slug = slug or slug_from(seed_path.stem)
    target = content_dir / f"{slug}.md"
    if target.exists():
        raise FileExistsError(f"{target} already exists; choose another --slug or edit it")
    return target, skeleton(seed_path.name, slug) + article_markdown(seed_text)
