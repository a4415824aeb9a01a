"""Benchmark the share cards: what drawing one adds to making a page, on the realistic corpus.

A page is made with its card only when the site has a base URL (pipeline.make_page). This
makes every page of a realistic site of N explainers (bench/realistic.py) twice per turn, in
one process: without a base URL (the baseline) and with one, the two alternating turn by
turn, and prints the medians, the card's own cost per page, and each turn's ratio:

    .venv/bin/python -m bench.cards --count 100 --repeat 5

Whether a card is made again only when its page is (one edit, one card) is a test
(tests/test_share_card.py), not a timing.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

from bench.realistic import make_project
from generator.pipeline import load_settings, make_engines, make_page
from generator.project import Project


def make_all(project: Project, base_url: str | None) -> float:
    """Seconds to make every page (and, with a base URL, its card) in this process."""
    # The corpus's settings name a base URL; the baseline is the same site without one.
    settings = dataclasses.replace(load_settings(project, base_url), base_url=base_url)
    engines = make_engines(project.templates_dir)
    files = sorted(project.content_dir.glob("*.md"))
    start = time.perf_counter()
    for path in files:
        page = make_page(project, settings, engines, path)
        assert not isinstance(page, Exception), page
        assert (page.card is not None) == (base_url is not None)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Project.at(make_project(Path(folder) / "desk", args.count))
        make_all(project, None)  # warm: templates compiled, fonts read
        without, with_cards = [], []
        for _ in range(args.repeat):
            without.append(make_all(project, None))
            with_cards.append(make_all(project, "https://desk.example/"))
    per_page = [t / args.count * 1000 for t in without]
    per_card = [(w - b) / args.count * 1000 for w, b in zip(with_cards, without, strict=True)]
    print(f"{args.count} realistic explainers, {args.repeat} turns, one process")
    print(f"page without card  {statistics.median(per_page):7.2f} ms each")
    print(f"page with card     {statistics.median(with_cards) / args.count * 1000:7.2f} ms each")
    print(f"the card alone     {statistics.median(per_card):7.2f} ms each")
    ratios = [w / b for w, b in zip(with_cards, without, strict=True)]
    print(f"with/without       {statistics.median(ratios):7.2f}   each turn: "
          + " ".join(f"{r:.2f}" for r in ratios))


if __name__ == "__main__":
    main()
