"""The pipeline, top to bottom: load → validate → render → write.

`check` stops after validation; `build` goes all the way. Nothing is written unless every file
is valid and every page rendered. A build skips the files the cache knows unchanged, spreads the
rest over all cores, and writes only the files whose bytes changed.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.article import ArticleParser
from generator.cache import BuildCache, Entry, file_key, fingerprint, site_key, store_page
from generator.errors import ContentError, Problem
from generator.load import FAST_LOADER, parse_source, parse_yaml_file
from generator.project import Project
from generator.render import (
    make_environment,
    page_path,
    render_explainer,
    render_index,
    render_listing_item,
    site_files,
)
from generator.schema import Explainer, Listing, Settings
from generator.validate import is_web_address, validate, validate_settings, with_base_url
from generator.write import Content, Stamps, Written, is_untouched, stat_in, write_site

# Below this many files to render, starting worker processes costs more than it saves.
_PARALLEL_FROM = 24
# _times of a file that does not exist.
_MISSING = (-1, -1, -1)


@dataclass(frozen=True)
class BuildOptions:
    jobs: int = 0  # worker processes for a cold build; 0: one per core
    cache: bool = True
    fast_yaml: bool = True  # libyaml; False: PyYAML's pure-Python loader (the naive mode)


@dataclass(frozen=True)
class CheckedSite:
    settings: Settings
    explainers: tuple[Explainer, ...]


@dataclass(frozen=True)
class BuildResult:
    settings: Settings
    explainers: int
    files: int
    rendered: int
    out_dir: Path
    written: Written


def content_files(project: Project) -> list[Path]:
    return [project.content_dir / name for name in _content_times(project)]


def _content_times(project: Project) -> dict[str, tuple[int, int, int]]:
    """Each content file's name, in order, with _times of it, from one pass over the folder."""
    if not project.content_dir.is_dir():
        raise ContentError([Problem("content/", None, None, "folder",
                                    f"no content folder at {project.content_dir}")])
    # Names starting with '.' are editors' lock and swap files, as the shell's * skips them.
    found = {name: times for name, times in _folder_times(project.content_dir).items()
             if name.endswith(".md") and not name.startswith(".")}
    if not found:
        raise ContentError([Problem("content/", None, None, "folder",
                                    "no .md files to build; start one with 'explainer new'")])
    return dict(sorted(found.items()))


def load_settings(project: Project, base_url: str | None = None) -> Settings:
    """The site settings (defaults when there is no settings file), or ContentError."""
    path = project.settings_file
    node = parse_yaml_file(path.read_bytes(), project.display(path)) if path.is_file() else None
    settings = validate_settings(node, project.display(path))
    if base_url is None:
        return settings
    if not is_web_address(base_url):
        raise ContentError([Problem("--base-url", None, None, "base_url",
                                    f"'{base_url}' is not a web address: use a full "
                                    "http:// or https:// URL")])
    return with_base_url(settings, base_url)


def load_explainer(project: Project, path: Path, parser: ArticleParser,
                   fast_yaml: bool = True, data: bytes | None = None) -> Explainer:
    """Load and validate one content file (stages 1 and 2), or raise ContentError."""
    data = path.read_bytes() if data is None else data
    loader = FAST_LOADER if fast_yaml else yaml.SafeLoader
    return validate(parse_source(data, project.display(path), loader), parser,
                    project.seeds_dir)


def duplicate_slugs(explainers: Iterable[Explainer | Listing]) -> list[Problem]:
    """Two files may not publish to the same address."""
    first: dict[str, Explainer | Listing] = {}
    problems = []
    for explainer in sorted(explainers, key=lambda e: e.file):
        other = first.setdefault(explainer.slug, explainer)
        if other is not explainer:
            problems.append(Problem(explainer.file, explainer.slug_line, None, "slug",
                                    f"'{explainer.slug}' is already the slug of "
                                    f"{other.file}:{other.slug_line}"))
    return problems


def check(project: Project, base_url: str | None = None) -> CheckedSite:
    """Load and validate the settings and every content file; raise ContentError listing all
    problems."""
    parser = ArticleParser()
    explainers: list[Explainer] = []
    problems: list[Problem] = []
    settings = Settings()
    try:
        settings = load_settings(project, base_url)
    except ContentError as err:
        problems.extend(err.problems)
    for path in content_files(project):
        try:
            explainers.append(load_explainer(project, path, parser))
        except ContentError as err:
            problems.extend(err.problems)
    problems.extend(duplicate_slugs(explainers))
    if problems:
        raise ContentError(problems)
    return CheckedSite(settings, tuple(explainers))


# ------------------------------------------------------------------------------- build


@dataclass(frozen=True)
class _Compiled:
    """One content file, checked and rendered: what the index needs, and its page."""

    name: str
    content: str  # SHA-256 of the file as it was read, for the cache key
    stat: tuple[int, ...]  # size and time of the file and its seed, taken before reading
    seed: str
    listing: Listing
    item: str  # its entry on the home page
    page: bytes | str  # the page, or its SHA-256 once stored in the cache


def build(project: Project, base_url: str | None = None,
          options: BuildOptions = BuildOptions()) -> BuildResult:
    """Check everything, render every page that changed, then write what differs."""
    settings = load_settings(project, base_url)
    content_times = _content_times(project)
    cache = BuildCache.open(project, fingerprint(project, settings)) if options.cache else None

    reuse: dict[str, Entry] = {}
    todo: list[Path] = []
    seed_times = _folder_times(project.seeds_dir) if cache else {}
    prefix = project.display(project.content_dir) + "/"
    for file_name, times in content_times.items():
        name = prefix + file_name
        known = cache.entries.get(name) if cache else None
        if cache and known:
            now = (*times, *seed_times.get(known.seed, _MISSING))
            if now == known.stat:
                reuse[name] = known
                continue
            path = project.content_dir / file_name
            key = _key(cache.fingerprint, project, name, _sha(path.read_bytes()), known.seed)
            if key == known.key:
                reuse[name] = known._replace(stat=now)
                continue
        todo.append(project.content_dir / file_name)

    untouched = cache is not None and is_untouched(project.out_dir, cache.site)
    if cache and not untouched:
        # The site will be written whole, linking the cache's pages. Those are the very files
        # of the last site (hard links), so a page edited in place there is edited here too:
        # check each against its name, and render again any that no longer match.
        for name, entry in list(reuse.items()):
            if not cache.page_intact(entry.page):
                del reuse[name]
                todo.append(project.content_dir / name.removeprefix(prefix))

    compiled, problems = _compile(project, settings, todo, options,
                                  cache.folder if cache else None)
    listings = [e.listing for e in reuse.values()] + [c.listing for c in compiled]
    problems += duplicate_slugs(listings)
    if problems:
        raise ContentError(problems)

    entries: dict[str, Entry] = dict(reuse)
    if cache:
        for item in compiled:
            assert isinstance(item.page, str)
            key = _key(cache.fingerprint, project, item.name, item.content, item.seed)
            entries[item.name] = Entry(key, item.seed, item.listing, item.page, item.stat,
                                       item.item)
        inputs = site_key(cache.fingerprint, entries)
        if inputs == cache.site_key and untouched:
            # Same inputs as the build that wrote this folder, which nobody has touched since.
            cache.save(project, entries, cache.site, inputs)
            return BuildResult(settings, len(listings), _file_count(cache.site),
                               len(compiled), project.out_dir,
                               Written("unchanged", 0, 0, cache.site))

    env = make_environment(project.templates_dir, cache.folder / "jinja" if cache else None)
    items = {e.listing.slug: e.item for e in (*reuse.values(), *compiled)}
    files: dict[str, Content] = {"index.html": render_index(env, listings, items, settings)}
    for item in compiled:
        if isinstance(item.page, bytes):
            files[page_path(item.listing)] = item.page
    if cache:
        for entry in entries.values():
            files[page_path(entry.listing)] = cache.page(entry.page)
    files.update(site_files(env, listings, settings, project.templates_dir))
    files = dict(sorted(files.items()))

    written = write_site(files, project.out_dir, cache.site if cache and untouched else None)
    if cache:
        cache.save(project, entries, written.stamps, site_key(cache.fingerprint, entries))
    return BuildResult(settings, len(listings), len(files), len(compiled), project.out_dir,
                       written)


def _file_count(stamps: Stamps) -> int:
    return sum(1 for path in stamps if not path.endswith("/"))


def _key(fingerprint_: str, project: Project, name: str, content: str, seed: str) -> str:
    seed_path = project.seeds_dir / seed
    seed_bytes = seed_path.read_bytes() if seed and seed_path.is_file() else None
    return file_key(fingerprint_, name, content, seed, seed_bytes)


def _file_times(path: Path) -> tuple[int, int, int]:
    """_times of a file, or _MISSING if there is none."""
    try:
        return _times(path.stat())
    except FileNotFoundError:
        return _MISSING


def _folder_times(folder: Path) -> dict[str, tuple[int, int, int]]:
    """_times of every file in a folder (following links, as reading it does)."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    times = {}
    with stat_in(folder, follow_symlinks=True) as stat_of:
        for name in names:
            try:
                found = stat_of(name)
            except FileNotFoundError:  # deleted while we look, or a broken link
                continue
            if stat.S_ISREG(found.st_mode):
                times[name] = _times(found)
    return times


def _times(found: os.stat_result) -> tuple[int, int, int]:
    """Size, modification and change times: any write to a file changes at least one."""
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _compile(project: Project, settings: Settings, paths: list[Path], options: BuildOptions,
             store: Path | None) -> tuple[list[_Compiled], list[Problem]]:
    """Check and render the files, across worker processes when there are many."""
    if not paths:
        return [], []
    jobs = options.jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) < _PARALLEL_FROM:
        return _compile_chunk(project, settings, paths, options.fast_yaml, store)
    # A few chunks per worker: each chunk pays once for a Markdown parser and templates.
    size = -(-len(paths) // (jobs * 2))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    compiled: list[_Compiled] = []
    problems: list[Problem] = []
    with concurrent.futures.ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context(method)) as pool:
        for done, found in pool.map(_compile_chunk, [project] * len(chunks),
                                    [settings] * len(chunks), chunks,
                                    [options.fast_yaml] * len(chunks), [store] * len(chunks)):
            compiled += done
            problems += found
    return compiled, problems


def _compile_chunk(project: Project, settings: Settings, paths: list[Path], fast_yaml: bool,
                   store: Path | None) -> tuple[list[_Compiled], list[Problem]]:
    """Check and render some files in this process; with `store` (the cache folder), pages go
    into the cache and only their names come back."""
    parser = ArticleParser()
    env = make_environment(project.templates_dir, store / "jinja" if store else None)
    compiled, problems = [], []
    for path in paths:
        before = path.stat()
        data = path.read_bytes()
        try:
            explainer = load_explainer(project, path, parser, fast_yaml, data)
            listing = Listing.of(explainer)
            page = render_explainer(env, explainer, settings)
            item = render_listing_item(env, listing, settings)
        except ContentError as err:
            problems.extend(err.problems)
            continue
        seed_times = _file_times(project.seeds_dir / explainer.seed)
        compiled.append(_Compiled(
            project.display(path), _sha(data), (*_times(before), *seed_times),
            explainer.seed, listing, item, store_page(store, page) if store else page))
    return compiled, problems
