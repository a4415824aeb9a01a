"""Search over the archive: a Pagefind index of the explainer pages, made from the pages as
rendered, before anything is written, so it joins the site in the same atomic swap.

Pagefind (PyPI's `pagefind-bin` ships its binary) reads only what the pages mark with
`data-pagefind-body`; the search page loads its script, and no other page does. The pages
are indexed in shards that the search page merges (Pagefind's `mergeIndex`): Pagefind holds
a shard's pages in memory while it indexes them, and an edit to one page makes only its
shard again.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FOLDER = "pagefind"
# The pages a shard holds on average at most. Pagefind needs most of a megabyte of memory per
# page of ours while it indexes; each shard costs a reader two small files more per search.
SHARD_PAGES = 250


class SearchError(OSError):
    """Pagefind could not index the pages: an outside program failed, reported as a file that
    cannot be written is (one line, the site left as it was)."""


def shards(paths: Sequence[str], per_shard: int | None = None
           ) -> list[tuple[str, list[str]]]:
    """The pages in shards of `per_shard` (SHARD_PAGES) pages at most on average, as
    (folder, pages) with no empty shard, the first in pagefind/: a page stays in its shard
    while the number of shards does, which doubles when the pages outgrow them."""
    count, per_shard = 1, per_shard or SHARD_PAGES
    while len(paths) > count * per_shard:
        count *= 2
    groups: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(paths):
        digest = hashlib.blake2b(path.encode(), digest_size=4).digest()
        groups[int.from_bytes(digest, "big") % count].append(path)
    kept = [(n, group) for n, group in enumerate(groups) if group]
    # The first has the scripts and the interface (search_files), so it is pagefind/.
    return [(FOLDER if n == kept[0][0] else f"{FOLDER}/shard-{n}", group) for n, group in kept]


def search_files(pages: Mapping[str, bytes], language: str, folder: str = FOLDER
                 ) -> dict[str, bytes]:
    """The Pagefind bundle for these HTML pages (site path -> bytes), as site files under
    `folder`; a shard other than the first keeps only what merging it reads."""
    from pagefind_bin import get_executable  # imported here: only a full build indexes

    with tempfile.TemporaryDirectory(prefix="explainer-search-") as temporary:
        site, out = Path(temporary) / "site", Path(temporary) / "bundle"
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
        files = {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*")) if p.is_file()}
        return {f"{folder}/{name}": path.read_bytes() for name, path in files.items()
                if folder == FOLDER or _read_when_merged(name)}


def index_shards(parts: Sequence[tuple[str, Mapping[str, bytes]]], language: str
                 ) -> list[dict[str, bytes]]:
    """The bundle of each of these shards, given as (folder, pages) (search_files), indexed
    side by side: Pagefind indexes a shard on one core, and waiting on its process holds no
    lock of ours."""
    if len(parts) <= 1:
        return [search_files(pages, language, folder) for folder, pages in parts]
    with ThreadPoolExecutor(max_workers=min(len(parts), os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda part: search_files(part[1], language, part[0]), parts))


def _read_when_merged(name: str) -> bool:
    """Whether the search page reads this file of a shard it merges: the scripts, the
    interface and the WebAssembly it uses are the first shard's."""
    return (name == "pagefind-entry.json" or name.endswith(".pf_meta")
            or name.split("/")[0] in ("index", "fragment", "filter"))
