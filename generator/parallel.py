"""Map a function over files across worker processes: the one module that knows about them.

`map_files(work, items, setup)` is `[work(setup(), item) for item in items]`, with `setup` run
once per process: in this process when there are few items, else once in each worker. It can
report progress as items are done, and `terminal_progress` draws that on one line of a
terminal (and nothing at all when the output is not one, so logs and CI stay clean).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TextIO, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Progress = Callable[[int, int], None]  # (items done, items in all)

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_FROM = 24
# The fewest items a worker is handed at once (see _chunks).
SMALLEST_CHUNK = 4

# What `setup` made in a worker process, for every chunk that worker is handed: set once per
# process by the pool's initializer, the way concurrent.futures hands a worker its state.
_made_by_setup: list[Any] = []


def map_files(work: Callable[[Any, Item], Result], items: Sequence[Item],
              setup: Callable[[], Any], jobs: int = 0, progress: Progress | None = None,
              here: Any = None) -> list[Result]:
    """work(setup(), item) for each item, in order, across `jobs` processes (0: one per
    core). `here`, if given, is what setup makes, made already in this process, and used
    when the work is done here."""
    if not items:
        return []  # nothing to set up for: a build with nothing to render makes no parser
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(items) < PARALLEL_FROM:
        made = setup() if here is None else here
        results = []
        for done, item in enumerate(items, 1):
            results.append(work(made, item))
            if progress:
                progress(done, len(items))
        return results
    # Imported here: a build with little or nothing to render starts no workers.
    import concurrent.futures
    import multiprocessing

    chunks = _chunks(items, jobs)
    context = multiprocessing.get_context(_start_method())
    results_of: list[list[Result]] = [[] for _ in chunks]
    done = 0
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context,
                                                initializer=_set_up, initargs=(setup,)) as pool:
        futures = {pool.submit(_work_on, work, chunk): n for n, chunk in enumerate(chunks)}
        for future in concurrent.futures.as_completed(futures):
            results_of[futures[future]] = future.result()
            done += len(results_of[futures[future]])
            if progress:
                progress(done, len(items))
    return [result for chunk in results_of for result in chunk]


def _start_method() -> str | None:
    """fork where the system has it (quickest), unless this process runs other threads (a
    file watcher's), which a forked child would inherit half-way."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _set_up(setup: Callable[[], Any]) -> None:
    _made_by_setup.append(setup())


def _work_on(work: Callable[[Any, Item], Result], chunk: Sequence[Item]) -> list[Result]:
    return [work(_made_by_setup[0], item) for item in chunk]


def _chunks(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    """The items cut into chunks, each a fraction of what is left, so that they shrink to a
    few at the end: the big first ones cost little to hand over, and the small last ones let
    every worker finish at about the same time even when one runs slower."""
    chunks, start = [], 0
    while start < len(items):
        size = max(SMALLEST_CHUNK, (len(items) - start) // (jobs * 3))
        chunks.append(items[start:start + size])
        start += size
    return chunks


def terminal_progress(what: str, stream: TextIO = sys.stderr) -> Progress | None:
    """A Progress that keeps one line of a terminal up to date ('Rendering 120/1000 pages'),
    and clears it when all are done; None when `stream` is not a terminal."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        if done < total:
            stream.write(f"\r{what} {done}/{total}\x1b[K")
        else:
            stream.write("\r\x1b[K")
        stream.flush()

    return show
