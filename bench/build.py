"""Benchmark `explainer build` at newsroom scale, against its own naive mode and Eleventy in
the same run.

For each size it makes a synthetic project (bench/synthetic.py: valid explainers whose quotes
occur in their articles, so every check runs), then times, each in a fresh process:
  naive      one process, PyYAML's pure-Python loader, no cache (what a plain script does)
  cold       the real build from scratch: libyaml, all cores, cache empty, no site
  no-change  the real build again, nothing edited
  one-edit   the real build after one content file was saved
  command    the whole `explainer build` command from scratch, Python's start-up included
             (with compiled modules kept between runs, as Python does by default)
  eleventy   Eleventy (bench/eleventy, installed there with npm ci on first use; skipped
             without npm) building the same content files as pages through one layout,
             the whole command, cold: the issue's yardstick, measured in the same run; and
             11ty-own, the time Eleventy reports itself, without its start-up, as `cold` is
  watch      `explainer build --watch` (generator.watch, its real file watcher): the rebuild
             after each of several saves, one at a time, and, once the watch's full check
             after that save is done, the next; also the time from the save to the rebuilt
             site (watcher included) and the full check's time
The modes take turns, run after run, so that a slow minute of the machine falls on all of
them. It prints medians, ms per page, peak memory (the build process and its workers, or the
command) and the ratios of cold to naive, of cold to Eleventy's own time, and of the whole
command to Eleventy's: of the medians, and in each turn (its two runs were next to each other,
so a turn's ratio is the least touched by the machine's slow and fast minutes).

Before a naive or cold run the previous site/ and cache are moved aside, not deleted, and are
deleted once all runs of that size are done. On ext4 without a journal (this project's
machines) the kernel skips over recently deleted inodes when it makes a file, so a run right
after deleting thousands of files spends seconds in the kernel on the benchmark's own clean-up
rather than on the build; every mode is treated alike, so the ratios are fair either way.

    .venv/bin/python -m bench.build --sizes 100 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.synthetic import make_project

MODES = ("naive", "cold", "command", "eleventy", "no-change", "one-edit", "watch")
ELEVENTY = Path(__file__).resolve().parent / "eleventy"
# The page layout of the Eleventy project: what a plain site shows of each explainer.
ELEVENTY_LAYOUT = """<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><p>{{ summary }}</p>{{ content | safe }}</main></body></html>
"""
# Saves per watch measurement, each in the same watching process.
WATCH_SAVES = 5


def run_once(mode: str, root: Path) -> dict:
    """One build in this process; called in a fresh process per measurement."""
    if mode == "watch":
        return watch_saves(root)
    if mode in ("command", "eleventy"):
        return whole_command(mode, root)
    from generator import incremental, pipeline
    from generator.project import Project

    project = Project.at(root)
    start = time.perf_counter()
    result = pipeline.build(project) if mode == "naive" else incremental.build(project)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "rendered": result.rendered, "how": result.written.outcome.value,
            "peak_mb": max(own, workers) / 1024}


def watch_saves(root: Path) -> dict:
    """Watch the project as `explainer build --watch` does, save one file WATCH_SAVES times,
    and time each rebuild, each save-to-site, and each full check that follows."""
    from generator.project import Project
    from generator.watch import Rebuild, watch

    project = Project.at(root)
    rebuilds: queue.Queue[Rebuild] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, rebuilds.put), kwargs={"stop": stop})
    thread.start()

    def next_one(reason: str) -> tuple[Rebuild, float]:
        while True:
            rebuild = rebuilds.get(timeout=60)
            if rebuild.cause.value == reason:
                assert rebuild.result is not None, rebuild
                return rebuild, time.perf_counter()

    try:
        next_one("start")
        rebuild_ms, latency_ms, check_ms = [], [], []
        for _ in range(WATCH_SAVES):
            saved_at = time.perf_counter()
            edit_one(project.root)
            rebuild, done_at = next_one("save")
            rebuild_ms.append(rebuild.seconds)
            # The callback runs right after the build: the site is written by then.
            latency_ms.append(done_at - saved_at)
            check_ms.append(next_one("check")[0].seconds)
    finally:
        stop.set()
        thread.join()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": statistics.median(rebuild_ms), "rendered": 1, "how": "updated in place",
            "latency": statistics.median(latency_ms), "check": statistics.median(check_ms),
            "peak_mb": own / 1024}


def whole_command(mode: str, root: Path) -> dict:
    """Run the command from scratch in a child process: wall time and the child's peak."""
    root = root.resolve()
    output = _eleventy_output(root)
    if mode == "command":
        command, cwd = [sys.executable, "-m", "generator", "--root", str(root), "build"], root
    else:
        # Run from its input folder: Eleventy skips what a .gitignore above it names (and
        # .bench-work/ is one of those).
        cwd = _eleventy_project(root)
        command = [str(ELEVENTY / "node_modules" / ".bin" / "eleventy"), "--input=.",
                   f"--output={output}", "--quiet"]
    # Python as a user runs it: compiled modules kept between runs (this machine's
    # environment turns that off), here in a folder of the benchmark's own.
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(root.parent / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=cwd,
                          env=env)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    pages = len(list(root.glob("site/*/index.html") if mode == "command"
                     else output.glob("pages/*/index.html")))
    measured = {"seconds": seconds, "rendered": pages, "how": "", "peak_mb": peak / 1024}
    if mode == "eleventy":
        assert pages == len(list((root / "content").glob("*.md"))), f"Eleventy wrote {pages}"
        # What Eleventy reports itself ("Wrote 1000 files in 2.80 seconds"): like `cold`,
        # it leaves out the start-up of its runtime and the loading of its code.
        own = re.search(r"Wrote \d+ files? in ([\d.]+) seconds", done.stdout + done.stderr)
        assert own, done.stdout + done.stderr
        measured["own"] = float(own.group(1))
    return measured


def _eleventy_project(root: Path) -> Path:
    """The project's content files as an Eleventy input folder, every one a page through
    ELEVENTY_LAYOUT (made once per project)."""
    source = _eleventy_input(root)
    if not source.exists():
        pages = source / "pages"
        shutil.copytree(root / "content", pages)
        (pages / "pages.json").write_text('{"layout": "page.njk"}\n', encoding="utf-8")
        (source / "_includes").mkdir()
        (source / "_includes" / "page.njk").write_text(ELEVENTY_LAYOUT, encoding="utf-8")
    return source


def _eleventy_input(root: Path) -> Path:
    return root.parent / f"{root.name}-eleventy"


def _eleventy_output(root: Path) -> Path:
    """Where Eleventy writes its site of the project."""
    return root.parent / f"{root.name}-eleventy-site"


def eleventy_ready() -> bool:
    """Whether Eleventy can run here, installing it from bench/eleventy's lock file if needed."""
    if (ELEVENTY / "node_modules" / ".bin" / "eleventy").exists():
        return True
    if shutil.which("npm") is None:
        return False
    done = subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                          cwd=ELEVENTY, capture_output=True, text=True)
    return done.returncode == 0


def edit_one(root: Path) -> Path:
    """Save one content file of the project with a change (undone by the next call)."""
    files = sorted((root / "content").glob("*.md"))
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    marker = "A synthetic explainer for benchmarks"
    edited = text.replace(marker, "An edited synthetic explainer", 1) if marker in text \
        else text.replace("An edited synthetic explainer", marker, 1)
    target.write_text(edited, encoding="utf-8")
    return target


def _discarded(root: Path) -> Path:
    """Where runs of this project put the site and cache they replace, until all are done."""
    return root.parent / f"{root.name}-discarded"


def measure(mode: str, root: Path) -> dict:
    if mode in ("naive", "cold", "command", "eleventy"):
        aside = _discarded(root)
        aside.mkdir(exist_ok=True)
        for name in ("site", ".explainer-cache"):
            if (root / name).exists():
                (root / name).rename(aside / f"{name}-{uuid.uuid4().hex}")
        eleventy_site = _eleventy_output(root)
        if eleventy_site.exists():
            eleventy_site.rename(aside / f"eleventy-{uuid.uuid4().hex}")
    if mode == "one-edit":
        edit_one(root)
    output = subprocess.run([sys.executable, "-m", "bench.build", "--run", mode, str(root)],
                            capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES),
                        help="which modes to run (default: all)")
    parser.add_argument("--skip-naive-above", type=int, default=1000,
                        help="naive mode only up to this many explainers (it is slow)")
    parser.add_argument("--folder", type=Path, default=Path(".bench-work"),
                        help="where to make the synthetic projects (default: .bench-work/)")
    parser.add_argument("--run", nargs=2, metavar=("MODE", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_once(args.run[0], Path(args.run[1]))))
        return

    with_eleventy = eleventy_ready()
    if not with_eleventy:
        print("(Eleventy is not run: npm is not available to install it.)")
    print(f"{'explainers':>10} {'mode':>10} {'median':>10} {'ms/page':>8} {'peak MB':>8}  "
          f"runs (s)")
    for size in args.sizes:
        args.folder.mkdir(parents=True, exist_ok=True)
        root = make_project(Path(tempfile.mkdtemp(prefix="explainer-bench-", dir=args.folder)),
                            size)
        modes = [m for m in args.modes if (m != "naive" or size <= args.skip_naive_above)
                 and (m != "eleventy" or with_eleventy)]
        # Modes take turns, run after run, so that a slow minute of the machine falls on all.
        runs: dict[str, list[dict]] = {mode: [] for mode in modes}
        for _ in range(args.repeat):
            for mode in modes:
                if mode in ("no-change", "one-edit", "watch") and not (root / "site").exists():
                    measure("cold", root)
                runs[mode].append(measure(mode, root))
        medians, turns = {}, {}
        for mode in modes:
            seconds = turns[mode] = [r["seconds"] for r in runs[mode]]
            medians[mode] = statistics.median(seconds)
            peak = max(r["peak_mb"] for r in runs[mode])
            print(f"{size:>10} {mode:>10} {medians[mode] * 1000:>8.0f}ms "
                  f"{medians[mode] * 1000 / size:>8.2f} {peak:>8.0f}  "
                  + " ".join(f"{s:.3f}" for s in seconds))
            extra = {"watch": (("latency", "save>site"), ("check", "check")),
                     "eleventy": (("own", "11ty-own"),)}.get(mode, ())
            for what, label in extra:  # for watch: medians over each run's saves, then runs
                values = turns[label] = [r[what] for r in runs[mode]]
                medians[label] = statistics.median(values)
                print(f"{size:>10} {label:>10} {medians[label] * 1000:>8.0f}ms "
                      f"{'':>8} {'':>8}  " + " ".join(f"{v:.3f}" for v in values))
        for over, under in (("cold", "naive"), ("cold", "11ty-own"), ("command", "eleventy")):
            if over in medians and under in medians:
                # And the ratio in each turn, the two runs of which were next to each other.
                paired = [a / b for a, b in zip(turns[over], turns[under], strict=True)]
                label = f"{over}/{under}"
                print(f"{size:>10} {label:>16} {medians[over] / medians[under]:>4.2f}   "
                      f"each turn: {' '.join(f'{r:.2f}' for r in paired)} "
                      f"(below 1 in {sum(r < 1 for r in paired)} of {len(paired)})")
        for folder in (root, _discarded(root), _eleventy_input(root), _eleventy_output(root)):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
