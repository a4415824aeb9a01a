"""`explainer build --watch`: build, then keep the output folder current as files are saved.

Each batch of saved files starts a build handed what the last one kept (incremental.Memory):
it looks again at the saved files only, and does not look at the output folder file by file,
since nothing but this process has written it a moment ago. Once saves stop for a moment, one
more build looks at everything, as a fresh `explainer build` would, so a change the watcher did
not report, or a hand edit to the output folder, is put right within a second of the last save;
it also saves the manifest, which the builds after a save leave to it (as the watch does when
it stops).
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from generator.errors import ContentError, Problem
from generator.incremental import Memory, rebuild, save_unsaved, set_aside_from_collections
from generator.pipeline import Built, require_content_folder
from generator.project import Project
from generator.write import UnsafeOutputError

# How long the files must stay unchanged before the full check (and the first build) runs.
QUIET_MS = 500


class Cause(enum.Enum):
    START = "start"
    SAVE = "save"  # files were saved
    CHECK = "check"  # the full look, once saves stopped


@dataclass(frozen=True)
class Rebuild:
    """One build of a watch: why it ran, and what it did or what stopped it."""

    cause: Cause
    saved: tuple[str, ...]  # the saved files, as the project shows them
    seconds: float
    result: Built | None = None
    problems: tuple[Problem, ...] = ()  # the content's problems: nothing was written
    error: str | None = None  # the output folder could not be written


def watch(project: Project, report: Callable[[Rebuild], None], base_url: str | None = None,
          jobs: int = 0, stop: threading.Event | None = None, quiet_ms: int = QUIET_MS) -> None:
    """Build, then build again after every save, until `stop` is set (or Ctrl-C). Without a
    content folder there is nothing to watch: ContentError, as from build."""
    require_content_folder(project)
    memory: Memory | None = None
    started = checked = False
    try:
        # The watcher starts before the first build (on the first, empty, batch after quiet_ms),
        # so that nothing saved during a build is missed.
        for changes in watchfiles.watch(*project.sources(), stop_event=stop, step=10,
                                        debounce=quiet_ms, rust_timeout=quiet_ms,
                                        yield_on_timeout=True):
            saved = sorted({Path(path) for _, path in changes})
            cause = _cause(memory is not None, started, checked, bool(saved))
            if cause is None:
                continue
            started = True
            look = saved if cause is Cause.SAVE else None
            engines = memory.engines if memory else None
            rebuild_, after = _build_once(project, base_url, jobs, memory, look, cause,
                                          _shown(project, saved))
            if after is not None:
                if after.engines is not engines:
                    set_aside_from_collections()
                memory, checked = after, cause is not Cause.SAVE
            else:
                # Nothing was written: keep what is known, with the saves still to look at, and
                # wait for the next save rather than report the same problems again.
                memory, checked = memory.after_failure(look) if memory else None, True
            report(rebuild_)
    finally:
        if memory is not None:  # a save's build left the manifest to the full check
            save_unsaved(project, memory)


def _cause(built: bool, started: bool, checked: bool, saved: bool) -> Cause | None:
    """Why to build after a batch of the watcher's (None: not to)."""
    if not built:
        return None if started and not saved else Cause.START
    if saved:
        return Cause.SAVE
    return None if checked else Cause.CHECK


def _shown(project: Project, saved: list[Path]) -> tuple[str, ...]:
    """The files saved, or removed ones that were content (not an editor's or a tool's
    temporary file, made and gone within the batch)."""
    return tuple(project.display(p) for p in saved if p.exists() or p.suffix == ".md")


def _build_once(project: Project, base_url: str | None, jobs: int, memory: Memory | None,
                look: list[Path] | None, cause: Cause, saved: tuple[str, ...]
                ) -> tuple[Rebuild, Memory | None]:
    start = time.perf_counter()
    try:
        # A save is shown at once; the search index and the manifest follow in the full check
        # once saves stop (or as the watch stops).
        result, after = rebuild(project, base_url, memory, look, jobs=jobs,
                                site_as_left=cause is Cause.SAVE, search=cause is not Cause.SAVE,
                                save=cause is not Cause.SAVE)
    except ContentError as err:
        return Rebuild(cause, saved, time.perf_counter() - start,
                       problems=tuple(err.problems)), None
    except (UnsafeOutputError, OSError) as err:
        return Rebuild(cause, saved, time.perf_counter() - start, error=str(err)), None
    return Rebuild(cause, saved, time.perf_counter() - start, result), after
