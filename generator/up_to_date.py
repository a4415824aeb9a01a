"""Whether a build would find nothing to do, told from file stamps alone, before anything else
is imported.

A build that finds nothing changed still imports what would render, reads the manifest (the
listings of every explainer, megabytes at a thousand) and works out what every output was
made from, to conclude that nothing was. So each build that saves the manifest also saves
here a Basis: the stamp (size, modification and change times) of every file and folder it
read, taken before it read them (the settings, the content and seeds and their folders, the
templates, the generator's code, the folders its libraries are installed in), and of every
file and folder of the site as it left it. While every one of those stamps is as saved, the
same command (same output folder, same --base-url) would read the same bytes and write
nothing: `explainer build` says so without building. Any difference, and the build runs as
usual; it saves a new Basis when it is done.

Only the standard library: this is all a build that finds nothing to do imports.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Iterable, Mapping
from typing import NamedTuple

FOLDER = ".explainer-cache"  # the project's cache (cache.py)
MANIFEST = "manifest.marshal"  # the last build's record (cache.py)
FILE = "up-to-date.marshal"  # its basis
_FORMAT = 1

# A file's or folder's (size, st_mtime_ns, st_ctime_ns), as write.FileStamp; None: not there.
Stamp = tuple[int, int, int] | None


class Basis(NamedTuple):
    """What a build read and what it left in the site, as saved for the next command."""

    asked: tuple[str, str | None]  # the output folder and the --base-url it was asked for
    read: dict[str, Stamp]  # by full path
    site: dict[str, Stamp]  # by path in the site ("/" the site itself, folders end in "/")
    explainers: int
    files: int
    has_base_url: bool


def stat_of(path: str) -> os.stat_result | None:
    """A file as a build reads it: following links; a link that loops or leads nowhere, its
    own; None if there is nothing there."""
    try:
        return os.stat(path)
    except OSError:
        try:
            return os.lstat(path)
        except OSError:
            return None


def stamp(path: str) -> Stamp:
    """A file's stamp as a build reads it (stat_of)."""
    found = stat_of(path)
    return None if found is None else (found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def stamps(paths: Iterable[str]) -> dict[str, Stamp]:
    return {path: stamp(path) for path in paths}


def tree(folder: str, skip: str = "__pycache__") -> list[str]:
    """A folder and every folder and file in it, but those named `skip` (Python's bytecode,
    which a build does not read)."""
    found = [folder]
    for top, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != skip)
        found += [os.path.join(top, name) for name in (*folders, *sorted(files))]
    return found


def save(cache_dir: str, manifest: tuple[int, int, int], basis: Basis) -> None:
    """Save the basis of the build whose manifest is the file of identity `manifest`."""
    data = marshal.dumps((_FORMAT, sys.version, manifest, tuple(basis)))
    target = os.path.join(cache_dir, FILE)
    temporary = f"{target}.{os.getpid()}.tmp"
    with open(temporary, "wb") as out:
        out.write(data)
    os.replace(temporary, target)


def forget(cache_dir: str) -> None:
    """Before a build changes the site or the manifest: no later command may trust the basis
    saved before it (a build that stops half-way leaves no basis at all)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(cache_dir, FILE))


def unchanged(root: str, out_dir: str, base_url: str | None) -> Basis | None:
    """The basis of the last build of the project at `root` if a build of `out_dir` with
    `base_url` would find nothing changed since; None if anything it read or left, or the
    manifest, may have changed."""
    try:
        with open(os.path.join(root, FOLDER, FILE), "rb") as handle:
            form, python, saved_manifest, fields = marshal.loads(handle.read())
        basis = Basis(*fields)
        found = os.stat(os.path.join(root, FOLDER, MANIFEST))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if (form, python, basis.asked) != (_FORMAT, sys.version, (out_dir, base_url)) or \
            (found.st_ino, found.st_size, found.st_mtime_ns) != tuple(saved_manifest):
        return None
    if any(stamp(path) != known for path, known in basis.read.items()):
        return None
    return basis if _site_as(out_dir, basis.site) else None


def _site_as(out_dir: str, site: Mapping[str, Stamp]) -> bool:
    """Whether every file and folder of the site has its stamp (links not followed, as the
    site is stamped when written). Looked up from the folder's descriptor, where the system
    allows that (elsewhere, the build looks)."""
    if "/" not in site or os.stat not in os.supports_dir_fd:
        return False
    try:
        descriptor = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        for path, known in site.items():
            found = os.stat(path.rstrip("/") or ".", dir_fd=descriptor, follow_symlinks=False)
            if (found.st_size, found.st_mtime_ns, found.st_ctime_ns) != known:
                return False
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True
