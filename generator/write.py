"""Stage 4, write: put the rendered files on disk so that the old site survives any failure.

The site is written into a fresh folder beside the target and swapped in at the very end, with
an atomic exchange where the system offers one (Linux renameat2), so a reader or a web server
never sees a half-written site, and a failed or interrupted build leaves the old one as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

MARKER = ".explainer-site"
_MARKER_TEXT = b"This folder is written by `explainer build`; its contents are replaced on build.\n"


class UnsafeOutputError(Exception):
    """The output folder holds something that `explainer build` did not make."""


def write_site(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Replace `out_dir` with exactly `files`, all at once."""
    _refuse_foreign(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for relative, data in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
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
