"""Benchmark `explainer build` at newsroom scale, against its own naive mode in the same run.

For each size it makes a synthetic project (bench/synthetic.py: valid explainers whose quotes
occur in their articles, so every check runs), then times, each in a fresh process:
  naive      one process, PyYAML's pure-Python loader, no cache (what a plain script does)
  cold       the real build from scratch: libyaml, all cores, cache empty, no site
  no-change  the real build again, nothing edited
  one-edit   the real build after one content file was saved
It repeats each, prints medians, ms per page, peak memory (the build process and its workers)
and the ratio of cold to naive.

Before a naive or cold run the previous site/ and cache are moved aside, not deleted, and are
deleted once all runs of that size are done. On ext4 without a journal (this project's
machines) the kernel skips over recently deleted inodes when it makes a file, so a run right
after deleting thousands of files spends seconds in the kernel on the benchmark's own clean-up
rather than on the build; both modes are treated alike, so the ratio is fair either way.

    .venv/bin/python -m bench.build --sizes 100 1000 --repeat 3
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
import uuid
from pathlib import Path

from bench.synthetic import make_project

MODES = ("naive", "cold", "no-change", "one-edit")


def run_once(mode: str, root: Path) -> dict:
    """One build in this process; called in a fresh process per measurement."""
    from generator.build import BuildOptions, build
    from generator.project import Project

    project = Project.at(root)
    options = {"naive": BuildOptions(jobs=1, cache=False, fast_yaml=False)}.get(
        mode, BuildOptions())
    start = time.perf_counter()
    result = build(project, options=options)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "rendered": result.rendered, "how": result.written.how,
            "peak_mb": max(own, workers) / 1024}


def _discarded(root: Path) -> Path:
    """Where runs of this project put the site and cache they replace, until all are done."""
    return root.parent / f"{root.name}-discarded"


def measure(mode: str, root: Path) -> dict:
    if mode in ("naive", "cold"):
        aside = _discarded(root)
        aside.mkdir(exist_ok=True)
        for name in ("site", ".explainer-cache"):
            if (root / name).exists():
                (root / name).rename(aside / f"{name}-{uuid.uuid4().hex}")
    if mode == "one-edit":
        target = sorted((root / "content").glob("*.md"))[len(list((root / "content").glob(
            "*.md"))) // 2]
        text = target.read_text(encoding="utf-8")
        marker = "A synthetic explainer for benchmarks"
        edited = text.replace(marker, "An edited synthetic explainer", 1) if marker in text \
            else text.replace("An edited synthetic explainer", marker, 1)
        target.write_text(edited, encoding="utf-8")
    output = subprocess.run([sys.executable, "-m", "bench.build", "--run", mode, str(root)],
                            capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-naive-above", type=int, default=1000,
                        help="naive mode only up to this many explainers (it is slow)")
    parser.add_argument("--folder", type=Path, default=Path(".bench-work"),
                        help="where to make the synthetic projects (default: .bench-work/)")
    parser.add_argument("--run", nargs=2, metavar=("MODE", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_once(args.run[0], Path(args.run[1]))))
        return

    print(f"{'explainers':>10} {'mode':>10} {'median':>10} {'ms/page':>8} {'peak MB':>8}  "
          f"runs (s)")
    for size in args.sizes:
        args.folder.mkdir(parents=True, exist_ok=True)
        root = make_project(Path(tempfile.mkdtemp(prefix="explainer-bench-", dir=args.folder)),
                            size)
        medians = {}
        for mode in MODES:
            if mode == "naive" and size > args.skip_naive_above:
                continue
            runs = []
            for _ in range(args.repeat):
                if mode in ("no-change", "one-edit") and not (root / "site").exists():
                    measure("cold", root)
                runs.append(measure(mode, root))
            seconds = [r["seconds"] for r in runs]
            medians[mode] = statistics.median(seconds)
            peak = max(r["peak_mb"] for r in runs)
            print(f"{size:>10} {mode:>10} {medians[mode] * 1000:>8.0f}ms "
                  f"{medians[mode] * 1000 / size:>8.2f} {peak:>8.0f}  "
                  + " ".join(f"{s:.3f}" for s in seconds))
        if "naive" in medians:
            print(f"{size:>10} {'cold/naive':>10} {medians['cold'] / medians['naive']:>10.2f}")
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(_discarded(root), ignore_errors=True)


if __name__ == "__main__":
    main()
