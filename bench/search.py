"""Benchmark search: what the Pagefind index costs a build of N realistic explainers.

Makes a realistic site (bench/realistic.py) and, each turn, times a cold `explainer build` of
it, the whole command (the baseline, the index included), then the index alone made again
from the same explainer pages, shard by shard, in a process of its own, where the peak
memory of Pagefind (its largest run) and of Python holding the pages are read from
getrusage. Prints each
turn's index time as a share of the cold build, the medians, and the bundle's size:

    .venv/bin/python -m bench.search --count 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.realistic import make_project, slug_of

REPO = Path(__file__).resolve().parent.parent


def explainer_pages(site: Path, count: int) -> dict[str, bytes]:
    """The pages the build indexes: every explainer's, by its site path."""
    return {f"{slug_of(n)}/index.html": (site / slug_of(n) / "index.html").read_bytes()
            for n in range(count)}


def index_alone(site: Path, count: int) -> dict[str, float]:
    """Run in a fresh process: seconds to index, and the peak memory of Pagefind and of
    this process, in MB."""
    from generator.search import search_files, shards

    pages = explainer_pages(site, count)
    start = time.perf_counter()
    parts = shards(list(pages))
    for folder, paths in parts:
        search_files({path: pages[path] for path in paths}, "en", folder)
    seconds = time.perf_counter() - start
    kb = 1024  # ru_maxrss is in kilobytes on Linux
    return {"seconds": seconds, "shards": len(parts),
            "pagefind_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kb,
            "python_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kb}


def cold_build(root: Path) -> float:
    for left in ("site", ".explainer-cache"):
        shutil.rmtree(root / left, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build"],
                          cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the cold build failed:\n{done.stderr}")
    return time.perf_counter() - start


def bundle(site: Path) -> dict[str, tuple[int, int]]:
    """(files, bytes) of the search bundle: all of it, and by the part a search loads."""
    parts: dict[str, tuple[int, int]] = {}
    for path in (site / "pagefind").rglob("*"):
        if path.is_file():
            rel = path.relative_to(site / "pagefind")
            part = rel.parts[0] if len(rel.parts) > 1 else "scripts, wasm, metadata"
            files, size = parts.get(part, (0, 0))
            parts[part] = (files + 1, size + path.stat().st_size)
    parts["all"] = (sum(f for f, _ in parts.values()), sum(s for _, s in parts.values()))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)  # the measured process
    args = parser.parse_args()
    if args.index:
        print(json.dumps(index_alone(args.index, args.count)))
        return
    turns: list[tuple[float, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "desk", args.count)
        for _ in range(args.repeat):
            cold = cold_build(root)
            done = subprocess.run([sys.executable, "-m", "bench.search", "--count",
                                   str(args.count), "--index", str(root / "site")],
                                  cwd=REPO, check=True, capture_output=True, text=True)
            turns.append((cold, json.loads(done.stdout)))
        parts = bundle(root / "site")
    print(f"{args.count} realistic explainers, {args.repeat} turns")
    for n, (cold, index) in enumerate(turns, 1):
        print(f"turn {n}: cold build {cold:6.2f} s, index alone {index['seconds']:5.2f} s, "
              f"index/cold {index['seconds'] / cold:.2f}")
    median = {key: statistics.median(index[key] for _, index in turns)
              for key in ("seconds", "pagefind_mb", "python_mb")}
    cold = statistics.median(cold for cold, _ in turns)
    print(f"median: cold build {cold:.2f} s, index {median['seconds']:.2f} s "
          f"({median['seconds'] / args.count * 1000:.1f} ms a page, "
          f"{median['seconds'] / cold:.0%} of the cold build)")
    print(f"{turns[0][1]['shards']:.0f} shards; peak memory: "
          f"Pagefind {median['pagefind_mb']:.0f} MB, "
          f"Python holding the pages {median['python_mb']:.0f} MB")
    for part, (files, size) in sorted(parts.items()):
        print(f"bundle {part:24} {files:5} files {size / 1024:9.0f} KB")


if __name__ == "__main__":
    main()
