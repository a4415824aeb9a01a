"""Search over the archive: a Pagefind index of the explainer pages, made from the pages as
rendered, before anything is written, so it joins the site in the same atomic swap.

Pagefind (PyPI's `pagefind[bin]` ships its binary) reads only what the pages mark with
`data-pagefind-body`, `-filter` and `-meta`; the search page loads its script, and no other
page does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import tempfile
from collections.abc import Mapping
from pathlib import Path

FOLDER = "pagefind"


def search_files(pages: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    """The Pagefind bundle for these HTML pages (site path -> bytes), as site files under
    pagefind/."""
    # Pagefind's client is asyncio; a thread of its own runs it even where the caller is
    # inside an event loop (the preview's server, a browser driven by Playwright).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _index(pages, language)).result()


async def _index(pages: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    from pagefind.index import PagefindIndex  # imported here: only a full build indexes

    with tempfile.TemporaryDirectory(prefix="explainer-search-") as folder:
        # The pages go to Pagefind as a folder it reads itself: sent one by one through its
        # pipe, a thousand pages took minutes.
        site, out = Path(folder) / "site", Path(folder) / FOLDER
        for path, html in pages.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(html)
        config = {"output_path": str(out), "force_language": language.split("-")[0]}
        async with PagefindIndex(config=config) as index:  # type: ignore[arg-type]
            await index.add_directory(str(site))
            # Written and awaited here: read after the context closes, some files were
            # sometimes still empty.
            await index.write_files(str(out))
            return {f"{FOLDER}/{p.relative_to(out).as_posix()}": p.read_bytes()
                    for p in sorted(out.rglob("*")) if p.is_file()}
