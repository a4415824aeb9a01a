"""A synthetic project of N valid explainers, for benchmarks.

Every explainer has its own seed article, a body that says what the seed says, and quotes that
occur in that body, so the real checks run on every file. Output is deterministic for a given N.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "ceasefire", "talks", "officials", "energy", "infrastructure", "ministers", "agreement",
    "region", "border", "council", "statement", "envoy", "delegation", "proposal", "sanctions",
    "aid", "plant", "negotiators", "summit", "capital", "forces", "monitors", "treaty",
    "corridor", "harbour", "grid", "vote", "parliament", "budget", "court", "election",
    "ministry", "transport", "water", "schools", "hospital", "farmers", "exporters",
)


def _sentence(rng: random.Random) -> str:
    """A sentence with what news copy has: now and then a possessive with a typographic
    apostrophe, words in typographic quotation marks, a dash between two clauses."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.5:
        words[rng.randrange(1, len(words))] += "\u2019s"
    if rng.random() < 0.3:
        at = rng.randrange(1, len(words) - 2)
        words[at], words[at + 2] = f"\u201c{words[at]}", f"{words[at + 2]}\u201d"
    if rng.random() < 0.2:
        words.insert(rng.randrange(2, len(words)), "\u2013")
    return " ".join(words).capitalize() + "."


def _article(rng: random.Random) -> tuple[list[str], list[str]]:
    """Paragraphs (one line each) and the headings between them."""
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(6)]
    # Words a speaker said, in quotation marks, in a paragraph that names the speaker.
    said = f"We will discuss the {rng.choice(WORDS)} and the {rng.choice(WORDS)} next week."
    paragraphs[0] += f" The minister said: \u201c{said}\u201d"
    headings = [f"Part {n} of the story" for n in range(1, 3)]
    return paragraphs, headings


def explainer_text(n: int, seed_name: str, paragraphs: list[str], headings: list[str]) -> str:
    rng = random.Random(n)
    # Quotes as typed by an annotator: straight apostrophes where the article has typographic
    # ones (the build matches them), every other character as in the article.
    quotes = [p.split(". ")[0].split(" ", 2)[2].replace("\u2019", "'") for p in paragraphs]
    said = paragraphs[0].rsplit("\u201c", 1)[1].rstrip("\u201d").replace("\u2019", "'")
    actors = "\n".join(
        f"  - id: actor-{a}\n    name: Actor {a} of story {n}\n    role: Minister\n"
        f"    side: Side {a}\n    also_named: [the minister]\n"
        f"    position: An agreement on terms number {a}.\n"
        f"    evidence:\n      - {quotes[a]}"
        for a in range(3))
    plan = "\n".join(
        f"  - id: phase-{p}\n    title: Phase {p}\n    what: Step {p} of the plan.\n"
        f"    status: proposed\n    actors: [actor-{p % 3}]\n    evidence:\n"
        f"      - {quotes[p + 1]}"
        for p in range(3))
    body = (f"{paragraphs[0]}\n\n{paragraphs[1]}\n\n## {headings[0]}\n\n{paragraphs[2]}\n\n"
            f"{paragraphs[3]}\n\n## {headings[1]}\n\n{paragraphs[4]}\n\n{paragraphs[5]}\n")
    return f"""---
title: Synthetic explainer number {n}
slug: story-{n:05d}
summary: A synthetic explainer for benchmarks, number {n}, with {rng.randint(2, 9)} parts.
published: 2025-{1 + n % 12:02d}-{1 + n % 28:02d}
events_from: 2025-01-01
seed: {seed_name}
language: en
actors:
{actors}
quotes:
  - words: "{said}"
    speaker: actor-0
plan:
{plan}
questions:
  - id: q1
    question: Will phase 1 hold?
    why_it_matters: Everything else depends on it.
    status: open
    up_to: [actor-0]
    evidence:
      - {quotes[4]}
notes:
  - id: n1
    title: Context for story {n}
    passage: {quotes[5]}
    verdict: adds context
    facts:
      - statement: A synthetic note.
        date: 2025-01-02
        sources: [wire]
sources:
  - id: article
    description: The source article
    kind: article
  - id: wire
    title: Wire report {n}
    kind: reporting
    publisher: Synthetic Wire
    date: 2025-03-19
key_points:
  - text: Phase 1 of story {n} is proposed.
    evidence:
      - {quotes[2]}
  - text: A wire report gives the context.
    sources: [wire]
---
{body}"""


def make_project(root: Path, count: int) -> Path:
    """Write content/, seeds/, settings with a base URL (so the sitemap and the feed are built
    too) and a copy of the real templates/ under root."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    if not (root / "templates").exists():
        shutil.copytree(REPO / "templates", root / "templates")
    (root / "explainer.yaml").write_text(
        "title: Synthetic newsroom\nbase_url: https://newsroom.example/explainers/\n"
        "publisher: Synthetic Newsroom\n", encoding="utf-8")
    for n in range(count):
        rng = random.Random(n * 7919)
        paragraphs, headings = _article(rng)
        seed_name = f"story-{n:05d}.txt"
        seed = "\n".join([paragraphs[0], paragraphs[1], headings[0], paragraphs[2],
                          paragraphs[3], headings[1], paragraphs[4], paragraphs[5]]) + "\n"
        (root / "seeds" / seed_name).write_text(seed, encoding="utf-8")
        (root / "content" / f"story-{n:05d}.md").write_text(
            explainer_text(n, seed_name, paragraphs, headings), encoding="utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    make_project(args.folder, args.count)
    print(f"Wrote {args.count} explainers into {args.folder}")
