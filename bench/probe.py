"""Time one edit in `explainer build --watch` or `explainer serve`, with the generator of a given
source tree (this one, or the code before a change): run by bench/build.py in a fresh process.

    python bench/probe.py --code DIR watch|serve ROOT COUNT

Prints JSON: the milliseconds of each rebuild after a save. Only the watch's and the
preview's public functions are used, the same in every version compared.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import threading
from pathlib import Path

SAVES = 3


def watch_edits(root: Path, count: int) -> list[float]:
    """`explainer build --watch` with its real file watcher: the rebuild after each save, each
    save made once the full check that follows the last one is done."""
    from realistic import edit_one

    from generator.project import Project
    from generator.watch import watch

    rebuilds: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(Project.at(root), rebuilds.put),
                              kwargs={"stop": stop})
    thread.start()

    def next_one(cause: str):
        while True:
            rebuild = rebuilds.get(timeout=120)
            why = getattr(rebuild, "cause", None) or rebuild.reason  # an enum since issue 22
            if getattr(why, "value", why) == cause:
                assert rebuild.result is not None, rebuild
                return rebuild

    try:
        next_one("start")
        times = []
        for n in range(SAVES):
            edit_one(root, count, f"Saved while watching {n}.")
            times.append(next_one("save").seconds * 1000)
            next_one("check")
    finally:
        stop.set()
        thread.join()
    return times


def serve_edits(root: Path, count: int) -> list[float]:
    """`explainer serve`'s refresh after each save (the watcher's delivery left out)."""
    from realistic import edit_one

    from generator.project import Project
    from generator.serve import PreviewServer

    server = PreviewServer(Project.at(root), port=0, log=lambda _: None)
    server.apply(None)
    assert not server.site.problems, server.site.problems
    times = []
    for n in range(SAVES):
        server.apply([edit_one(root, count, f"Saved while previewing {n}.")])
        assert not server.site.problems, server.site.problems
        times.append(server.last_refresh_ms)
    return times


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--code", type=Path, required=True)
    parser.add_argument("mode", choices=("watch", "serve"))
    parser.add_argument("root", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    # The generator of the tree given, and realistic.py from beside this file.
    sys.path[:0] = [str(args.code.resolve()), str(Path(__file__).resolve().parent)]
    assert Path(__import__("generator").__file__).is_relative_to(args.code.resolve())
    run = watch_edits if args.mode == "watch" else serve_edits
    print(json.dumps(run(args.root, args.count)))
