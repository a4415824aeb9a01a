"""`explainer build --watch`: build, then keep the output folder current as files are saved.

Sits on top of build. Each batch of saved files starts a build that is handed what the last
one learned (build.Warm): it looks again at the saved files only, and does not stat the
output folder file by file, since nothing but this process has written it a moment ago.
Once saves stop for a moment, one more build looks at everything, as a fresh
`explainer build` would, so a change the watcher did not report, or a hand edit to the
output folder, is put right within a second of the last save.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import watchfiles

from generator.build import BuildOptions, BuildResult, Warm, build, require_content_folder
from generator.errors import ContentError, Problem
from generator.project import Project
from generator.write import UnsafeOutputError

# How long the files must stay unchanged before the full check (and the first build) runs.
QUIET_MS = 500


@dataclass(frozen=True)
class Rebuild:
    """One build of a watch: why it ran, and what it did or what stopped it."""

    reason: str  # "start", "save" (files were saved) or "check" (the full look once quiet)
    saved: tuple[str, ...]  # the saved files, as the project shows them
    seconds: float
    result: BuildResult | None = None
    problems: tuple[Problem, ...] = ()  # the content's problems: nothing was written
    error: str | None = None  # the output folder could not be written


def watch(project: Project, report: Callable[[Rebuild], None], base_url: str | None = None,
          options: BuildOptions = BuildOptions(), stop: threading.Event | None = None,
          quiet_ms: int = QUIET_MS) -> None:
    """Build, then build again after every save, until `stop` is set (or Ctrl-C). Without a
    content folder there is nothing to watch: ContentError, as from build."""
    require_content_folder(project)
    # The watcher runs a thread of its own: worker processes must not be forked from here.
    options = replace(options, cache=True, start_method=options.start_method or (
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"))
    warm: Warm | None = None
    started = checked = False
    # The watcher starts before the first build (on the first, empty, batch after quiet_ms),
    # so that nothing saved during a build is missed.
    for changes in watchfiles.watch(*project.sources(), stop_event=stop, step=10,
                                    debounce=quiet_ms, rust_timeout=quiet_ms,
                                    yield_on_timeout=True):
        saved = sorted({Path(path) for _, path in changes})
        if warm is None:
            if started and not saved:
                continue  # the first build failed: wait for a save
            reason, given = "start", None
        elif saved:
            reason, given = "save", warm.saw(saved, site_as_left=True)
        elif not checked:
            reason, given = "check", warm.recheck()
        else:
            continue
        started = True
        # Shown: the files saved, or removed ones that were content (not an editor's or a
        # tool's temporary file, made and gone within the batch).
        shown = tuple(project.display(p) for p in saved if p.exists() or p.suffix == ".md")
        rebuild = _build_once(project, base_url, options, given, reason, shown)
        if rebuild.result is not None:
            warm, checked = rebuild.result.warm, reason != "save"
        else:
            # Nothing was written: keep what is known, with the saves still to look at, and
            # wait for the next save rather than report the same problems again.
            warm, checked = given, True
        # What a build keeps (cache entries, parser, templates) lives as long as the watch:
        # moved out of the collector's way, as in the preview.
        gc.freeze()
        report(rebuild)


def _build_once(project: Project, base_url: str | None, options: BuildOptions,
                warm: Warm | None, reason: str, saved: tuple[str, ...]) -> Rebuild:
    start = time.perf_counter()
    try:
        result = build(project, base_url, options, warm)
    except ContentError as err:
        return Rebuild(reason, saved, time.perf_counter() - start, problems=tuple(err.problems))
    except (UnsafeOutputError, OSError) as err:
        return Rebuild(reason, saved, time.perf_counter() - start, error=str(err))
    return Rebuild(reason, saved, time.perf_counter() - start, result)
