"""Stage 4, write: put the rendered files on disk so that the old site survives any failure.

Everything is checked and rendered before anything is written, so a failed build writes
nothing. A full build goes into a fresh folder beside the target, swapped in at the very end
with an atomic exchange where the system offers one (Linux renameat2). A small change to a
site that is exactly as the last build left it is made in place instead: the new files are
written beside their targets first, then renamed over them together, with Ctrl-C held back
for those few renames. Files whose bytes did not change are never rewritten, and pages from
the build cache are hard links, not copies.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

MARKER = ".explainer-site"
_MARKER_TEXT = b"This folder is written by `explainer build`; its contents are replaced on build.\n"


class Linked(NamedTuple):
    """A file of the build cache, to be linked into the site rather than copied."""

    sha: str  # SHA-256 of its bytes, and its name
    folder: str  # where it is kept

    @property
    def path(self) -> str:
        # Joined only for the files actually written: a build lists every page, writes few.
        return os.path.join(self.folder, self.sha)


# What a build may put in a site: bytes to write, or a file of the build cache to link.
Content = bytes | Linked
# For each file of a written site: its SHA-256, size and modification time; for each folder
# (a key ending in "/", the site itself "/"): its modification time, which any file added,
# removed or renamed in it changes. Together they tell whether the site is still as written.
Stamps = dict[str, tuple[str, int, int]]


class UnsafeOutputError(Exception):
    """The output folder holds something that `explainer build` did not make."""


@dataclass(frozen=True)
class Written:
    how: str  # "unchanged", "updated in place" or "replaced"
    changed: int
    removed: int
    stamps: Stamps


class Staged(NamedTuple):
    """A site being written whole: its new folder (see stage_site) and the files already
    placed in it."""

    folder: Path
    placed: frozenset[str]


def stage_site(out_dir: Path) -> Path:
    """A new, empty folder beside `out_dir` for a site that will be written whole, so that
    its pages can be placed in it (place_page) by the processes rendering them, while the
    rest is still being made. write_site swaps it in; discard_staged removes it if the build
    fails."""
    _refuse_foreign(out_dir)
    return _new_folder_beside(out_dir)


def _new_folder_beside(out_dir: Path) -> Path:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))


def place_page(staging: Path | str, path: str, content: Content, mode: int = 0o644) -> bool:
    """Put a page (`path` is '<folder>/index.html') in a staging folder, bytes as a file of
    `mode`. False, and nothing written, if its folder is already there: two explainers with
    one slug, which the build reports before any site is swapped in."""
    folder = os.path.join(staging, os.path.dirname(path))
    try:
        os.mkdir(folder)
    except FileExistsError:
        return False
    _put(content, Path(staging, path), mode)
    return True


def discard_staged(staging: Path) -> None:
    """Remove a staging folder that was not swapped in (nothing, if it was)."""
    shutil.rmtree(staging, ignore_errors=True)


def write_site(files: Mapping[str, Content], out_dir: Path,
               previous: Stamps | None = None, staged: Staged | None = None) -> Written:
    """Make `out_dir` hold exactly `files`. `previous` is what the last write returned, given
    only once is_untouched has found the folder still as that write left it; then only what
    differs is written. Without it the folder is written whole; with `staged`, it is written
    whole into that staging folder, where the files it names were placed already."""
    if staged is None:
        _refuse_foreign(out_dir)  # stage_site did, for a staged site
    wanted = {path: _sha(content) for path, content in files.items()}
    if previous and staged is None:
        changed = sorted(p for p, sha in wanted.items() if previous.get(p, ("",))[0] != sha)
        removed = sorted(p for p in previous if p not in wanted and not p.endswith("/"))
        if not changed and not removed:
            return Written("unchanged", 0, 0, previous)
        if len(changed) + len(removed) <= in_place_at_most(len(wanted)):
            _update_in_place(files, out_dir, changed, removed)
            # Folders of the site now: those of the last build, less any that only held
            # removed files, plus any that new files went into.
            folders = {p for p in previous if p.endswith("/")} | _folders_of(changed)
            if removed:
                folders &= _folders_of(wanted)
            touched = _folders_of([*changed, *removed]) & folders
            stamps = {p: s for p, s in previous.items()
                      if (p in wanted and p not in changed) or p in folders}
            stamps.update(_stamp(out_dir, changed, wanted))
            stamps.update(_stamp(out_dir, sorted(touched), wanted))
            return Written("updated in place", len(changed), len(removed), stamps)
    _replace(files, out_dir, staged)
    return Written("replaced", len(files), 0,
                   _stamp(out_dir, [*wanted, *sorted(_folders_of(wanted))], wanted))


def in_place_at_most(files: int) -> int:
    """How many files of a site of this many may change for the site to be updated in place
    rather than written whole: beyond it, a fresh folder is as quick and always consistent."""
    return max(20, files // 10)


def _sha(content: Content) -> str:
    if isinstance(content, Linked):
        return content.sha
    return hashlib.sha256(content).hexdigest()


def _put(content: Content, target: Path, mode: int = 0o644) -> None:
    if isinstance(content, bytes):
        with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as out:
            out.write(content)
        return
    try:
        os.link(content.path, target)
    except OSError:  # another file system, or links not allowed: copy instead
        shutil.copyfile(content.path, target)


def _folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder holding one of the paths, up to the site itself ("/")."""
    folders = {"/"}
    for path in paths:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    return folders


def _stamp(out_dir: Path, paths: list[str], wanted: dict[str, str]) -> Stamps:
    stamps = {}
    with stat_in(out_dir) as stat_of:
        for path in paths:
            info = stat_of(_relative(path))
            stamps[path] = (wanted.get(path, ""), info.st_size, info.st_mtime_ns)
    return stamps


def _relative(path: str) -> str:
    """A stamp's key as a path relative to the site ("/" is the site itself)."""
    return path.rstrip("/") or "."


@contextlib.contextmanager
def stat_in(folder: Path, follow_symlinks: bool = False
            ) -> Iterator[Callable[[str], os.stat_result]]:
    """A stat function for paths relative to the folder. Where the system allows, paths are
    looked up from an open descriptor of the folder rather than walked from / each time,
    which is most of a stat's cost over thousands of files; elsewhere (Windows), by full path."""
    if os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY"):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            yield lambda name: os.stat(name, dir_fd=descriptor, follow_symlinks=follow_symlinks)
        finally:
            os.close(descriptor)
    else:
        base = str(folder)
        yield lambda name: os.stat(os.path.join(base, name), follow_symlinks=follow_symlinks)


def is_untouched(out_dir: Path, previous: Stamps, only: Iterable[str] | None = None) -> bool:
    """Whether the folder is as the last build left it: no file edited, added or removed.
    One stat per file and per folder, no listing: a folder's time changes with its entries.
    With `only`, just those of its stamped paths are looked at."""
    if "/" not in previous:
        return False  # no stamps of this folder (a first build, or another output folder)
    stamps = previous if only is None else {p: previous[p] for p in only if p in previous}
    is_dir, is_file = stat.S_ISDIR, stat.S_ISREG
    try:
        with stat_in(out_dir) as stat_of:
            # The loop runs once per file of the site on every build: kept tight.
            for path, (_, size, mtime) in stamps.items():
                if path[-1] == "/":
                    info = stat_of(path[:-1] or ".")
                    if info.st_mtime_ns != mtime or not is_dir(info.st_mode):
                        return False
                else:
                    info = stat_of(path)
                    if info.st_mtime_ns != mtime or info.st_size != size \
                            or not is_file(info.st_mode):
                        return False
    except OSError:
        return False
    return True


def _update_in_place(files: Mapping[str, Content], out_dir: Path, changed: list[str],
                     removed: list[str]) -> None:
    staged: list[tuple[Path, Path]] = []
    try:
        for path in changed:
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.explainer-new")
            _put(files[path], temporary)
            staged.append((temporary, target))
        with _interrupts_held():
            for temporary, target in staged:
                os.replace(temporary, target)
            for path in removed:
                (out_dir / path).unlink(missing_ok=True)
                with contextlib.suppress(OSError):  # only succeeds once the folder is empty
                    (out_dir / path).parent.rmdir()
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C waits until the block is done, so renames are not left half-way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda *args: pending.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if pending:
            raise KeyboardInterrupt


def _replace(files: Mapping[str, Content], out_dir: Path, staged: Staged | None = None
             ) -> None:
    staging = staged.folder if staged else _new_folder_beside(out_dir)
    placed = staged.placed if staged else frozenset()
    try:
        for relative, content in files.items():
            if relative in placed:
                continue
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            _put(content, target)
        (staging / MARKER).write_bytes(_MARKER_TEXT)
        os.chmod(staging, 0o755)
        _swap_in(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _refuse_foreign(out_dir: Path) -> None:
    """Never delete a folder that is not a previous build (say `--out .` by mistake)."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise UnsafeOutputError(f"{out_dir} exists and is not a folder")
    if any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise UnsafeOutputError(
            f"{out_dir} is not empty and was not made by explainer build; "
            "choose another output folder or empty it first")


def _swap_in(staging: Path, out_dir: Path) -> None:
    if out_dir.exists() and _exchange(staging, out_dir):
        return  # staging now holds the old site and is removed by the caller
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.rename(out_dir, old)
        os.rename(staging, out_dir)
        shutil.rmtree(old)
    else:
        os.rename(staging, out_dir)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 with RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
