"""A realistic project of N explainers, for benchmarks: variants of the real annotated first
story (content/trump-putin-phased-ceasefire-call.md, its front matter of ~570 lines and its
article), each with its own slug, title and copy of the seed, so that every check runs on
every file as on the real one.

    .venv/bin/python -m bench.realistic /tmp/desk 1000
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STORY = REPO / "content" / "trump-putin-phased-ceasefire-call.md"
SLUG = "trump-putin-phased-ceasefire-call"
SETTINGS = "title: Realistic newsroom\nbase_url: https://newsroom.example.org/explainers/\n"


def slug_of(n: int) -> str:
    return f"story-{n:05d}"


def variant(text: str, n: int, own_steps: bool = False) -> str:
    """The first story as explainer number n: its own slug, title and seed, in a story of
    ten; with `own_steps`, each change of its phases' and questions' statuses worded its own
    way, so that none is the same as another explainer's (a story page shows each different
    step once)."""
    seed = re.search(r"^seed: (.+)$", text, re.MULTILINE)
    assert seed, "the first story names its seed"
    text = text.replace(f"slug: {SLUG}\n", f"slug: {slug_of(n)}\n", 1)
    text = text.replace(seed.group(0), f"seed: {slug_of(n)}.txt", 1)
    # Stories of ten explainers each, as a desk's developing stories might be.
    text = re.sub(r"^story: (.*)$", lambda m: f"story: {m.group(1)}-{n // 10}", text, count=1,
                  flags=re.MULTILINE)
    if own_steps:
        text = re.sub(r"(what: >-\n\s+|what: (?!>))", rf"\g<1>({n}) ", text)
    return re.sub(r'^title: "', f'title: "Variant {n}: ', text, count=1, flags=re.MULTILINE)


def make_project(root: Path, count: int, own_steps: bool = False) -> Path:
    """A project of `count` variants of the first story (variant), with the real
    templates."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    (root / "seeds").mkdir()
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "explainer.yaml").write_text(SETTINGS, encoding="utf-8")
    text = STORY.read_text(encoding="utf-8")
    seed_name = re.search(r"^seed: (.+)$", text, re.MULTILINE)
    assert seed_name
    seed = (REPO / "seeds" / seed_name.group(1)).read_bytes()
    for n in range(count):
        (root / "content" / f"{slug_of(n)}.md").write_text(variant(text, n, own_steps),
                                                           encoding="utf-8")
        (root / "seeds" / f"{slug_of(n)}.txt").write_bytes(seed)
    return root


def edit_one(root: Path, count: int, marker: str) -> Path:
    """Change the summary of the explainer in the middle, as an editor would; returns it."""
    path = root / "content" / f"{slug_of(count // 2)}.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^summary: >-\n", f"summary: >-\n  {marker}\n", text, count=1,
                  flags=re.MULTILINE) if marker not in text else text.replace(
        marker, marker + " again", 1)
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    print(make_project(args.root, args.count))
