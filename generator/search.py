"""Search over the archive: a Pagefind index of the explainer pages, made from the pages as
rendered, before anything is written, so it joins the site in the same atomic swap.

Pagefind (PyPI's `pagefind-bin` ships its binary) reads only what the pages mark with
`data-pagefind-body`, `-filter` and `-meta`; the search page loads its script, and no other
page does.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

FOLDER = "pagefind"


class SearchError(OSError):
    """Pagefind could not index the pages: an outside program failed, reported as a file that
    cannot be written is (one line, the site left as it was)."""


def search_files(pages: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    """The Pagefind bundle for these HTML pages (site path -> bytes), as site files under
    pagefind/."""
    from pagefind_bin import get_executable  # imported here: only a full build indexes

    with tempfile.TemporaryDirectory(prefix="explainer-search-") as folder:
        site, out = Path(folder) / "site", Path(folder) / FOLDER
        for path, html in pages.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(html)
        # The command line, not Pagefind's Python service: the service acknowledges a write
        # before its files are flushed (Pagefind 1.5.2), and a file read then can be empty.
        # The process has written everything by the time it exits.
        done = subprocess.run(
            [str(get_executable()), "--site", str(site), "--output-path", str(out),
             "--force-language", language.split("-")[0], "--silent"],
            capture_output=True, text=True, check=False)
        if done.returncode != 0:
            message = (done.stderr or done.stdout).strip().splitlines() or ["no message"]
            raise SearchError(f"search index: Pagefind failed: {message[-1]}")
        return {f"{FOLDER}/{p.relative_to(out).as_posix()}": p.read_bytes()
                for p in sorted(out.rglob("*")) if p.is_file()}
