"""Stage 4, write: put the rendered files on disk so that the old site survives any failure.

Everything is checked and rendered before anything is written, so a failed build writes
nothing. A full build goes into a fresh folder beside the target, swapped in at the very end
with an atomic exchange where the system offers one (Linux renameat2). A small change to a
site that is exactly as the last build left it is made in place instead: the new files are
written beside their targets first, then renamed over them together, with Ctrl-C held back
for those few renames. Files whose bytes did not change are never rewritten.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

MARKER = ".explainer-site"
_MARKER_TEXT = b"This folder is written by `explainer build`; its contents are replaced on build.\n"


class FileStamp(NamedTuple):
    """Size, modification and change times of a file or folder: any write to a file changes
    at least one, and any file added, removed or renamed in a folder changes the folder's."""

    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, found: os.stat_result) -> FileStamp:
        return cls(found.st_size, found.st_mtime_ns, found.st_ctime_ns)


class KnownFile(NamedTuple):
    """A file as a build last saw it: its stamp, and the SHA-256 of its bytes ("" for a
    folder)."""

    stamp: FileStamp
    sha: str


# Every file and folder of a written site (a folder's key ends in "/", the site's own is "/"):
# together they tell whether the site is still as written.
SiteFiles = dict[str, KnownFile]


class Outcome(enum.Enum):
    UNCHANGED = "unchanged"
    UPDATED = "updated in place"
    REPLACED = "replaced"


class UnsafeOutputError(Exception):
    """The output folder holds something that `explainer build` did not make."""


@dataclass(frozen=True)
class Written:
    outcome: Outcome
    changed: int
    removed: int
    site: SiteFiles


def write_site(files: Mapping[str, bytes], out_dir: Path, shas: Mapping[str, str] | None = None,
               previous: SiteFiles | None = None) -> Written:
    """Make `out_dir` hold exactly `files`. `shas`, when known, is the SHA-256 of each, so that
    only the files written are read from `files`. `previous` is what the last write returned,
    given only once is_untouched has found the folder still as that write left it; then only
    what differs is written. Without it the folder is written whole."""
    _refuse_foreign(out_dir)
    wanted = dict(shas) if shas is not None else {
        path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    if previous:
        changed = sorted(p for p, sha in wanted.items() if p not in previous
                         or previous[p].sha != sha)
        removed = sorted(p for p in previous if p not in wanted and not p.endswith("/"))
        if not changed and not removed:
            return Written(Outcome.UNCHANGED, 0, 0, previous)
        if len(changed) + len(removed) <= in_place_at_most(len(wanted)):
            _update_in_place(files, out_dir, changed, removed)
            return Written(Outcome.UPDATED, len(changed), len(removed),
                           _restamped(out_dir, previous, wanted, changed, removed))
    _replace(files, out_dir, wanted)
    return Written(Outcome.REPLACED, len(wanted), 0,
                   _stamp(out_dir, [*wanted, *sorted(_folders_of(wanted))], wanted))


def _restamped(out_dir: Path, previous: SiteFiles, wanted: dict[str, str], changed: list[str],
               removed: list[str]) -> SiteFiles:
    """The stamps of a site updated in place: folders of the last build, less any that only
    held removed files, plus any that new files went into."""
    folders = {p for p in previous if p.endswith("/")} | _folders_of(changed)
    if removed:
        folders &= _folders_of(wanted)
    touched = _folders_of([*changed, *removed]) & folders
    site = {p: known for p, known in previous.items()
            if (p in wanted and p not in changed) or p in folders}
    site.update(_stamp(out_dir, changed, wanted))
    site.update(_stamp(out_dir, sorted(touched), wanted))
    return site


def in_place_at_most(files: int) -> int:
    """How many files of a site of this many may change for the site to be updated in place
    rather than written whole: beyond it, a fresh folder is as quick and always consistent."""
    return max(20, files // 10)


def _put(data: bytes, target: Path) -> None:
    with open(target, "wb") as out:
        out.write(data)


def _folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder holding one of the paths, up to the site itself ("/")."""
    folders = {"/"}
    for path in paths:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    return folders


def _stamp(out_dir: Path, paths: list[str], wanted: dict[str, str]) -> SiteFiles:
    with stat_in(out_dir) as stat_of:
        return {path: KnownFile(FileStamp.of(stat_of(_relative(path))), wanted.get(path, ""))
                for path in paths}


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


def is_untouched(out_dir: Path, previous: SiteFiles, only: Iterable[str] | None = None) -> bool:
    """Whether the folder is as the last build left it: no file edited, added or removed.
    One stat per file and per folder, no listing: a folder's times change with its entries.
    With `only`, just those of its paths are looked at."""
    if "/" not in previous:
        return False  # no stamps of this folder (a first build, or another output folder)
    paths = previous if only is None else [p for p in only if p in previous]
    try:
        with stat_in(out_dir) as stat_of:
            return all(FileStamp.of(stat_of(_relative(path))) == previous[path].stamp
                       for path in paths)
    except OSError:
        return False


def _update_in_place(files: Mapping[str, bytes], out_dir: Path, changed: list[str],
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


def _replace(files: Mapping[str, bytes], out_dir: Path, paths: Iterable[str]) -> None:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for relative in paths:
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            _put(files[relative], target)
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
    import ctypes.util  # only a full rebuild swaps folders

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
