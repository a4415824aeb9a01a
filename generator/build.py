"""The pipeline, top to bottom: load → validate → render → write.

`check` stops after validation; `build` goes all the way. Nothing is written unless every file
is valid and every page rendered. A build skips the files the cache knows unchanged, spreads the
rest over all cores, and writes only the files whose bytes changed.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import hashlib
import multiprocessing
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from generator.article import ArticleParser
from generator.cache import (
    BuildCache,
    Entry,
    bytecode_folder,
    cached_page,
    code_fingerprint,
    file_key,
    fingerprint,
    keep_page,
    site_key,
    store_page,
)
from generator.errors import ContentError, Problem
from generator.load import parse_source, parse_yaml_file
from generator.project import Project
from generator.render import (
    corrections_files,
    fixed_files,
    listing_files,
    make_environment,
    page_path,
    render_explainer,
    render_index,
    render_listing_item,
    story_files,
)
from generator.schema import Explainer, Listing, Settings
from generator.validate import is_web_address, validate, validate_settings, with_base_url
from generator.write import (
    Content,
    Linked,
    Staged,
    Stamps,
    Written,
    discard_staged,
    in_place_at_most,
    is_untouched,
    place_page,
    stage_site,
    stat_in,
    write_site,
)

# Below this many files to render, starting worker processes costs more than it saves.
_PARALLEL_FROM = 24
# The fewest files a worker is handed at once (see _chunks).
_SMALLEST_CHUNK = 4
# Size, modification and change times of a file (see _times).
Times = tuple[int, int, int]
# _times of a file that does not exist.
_MISSING = (-1, -1, -1)


@dataclass(frozen=True)
class BuildOptions:
    jobs: int = 0  # worker processes for a cold build; 0: one per core
    cache: bool = True
    # How worker processes start: None for fork where the system has it (fastest). A process
    # that runs other threads (a file watcher's) passes "forkserver" or "spawn".
    start_method: str | None = None


@dataclass(frozen=True)
class Warm:
    """What a long-running build (`explainer build --watch`) keeps from one build for the
    next: the times of every content file and seed, the fingerprint of code and templates,
    the cache as saved, and the Tools (parser, templates, files made once) of the last build.

    `changed` holds the paths a file watcher reported since the last build, and a build looks
    again at those only, where a fresh process stats every content file and seed; None means
    look at everything. With `site_as_left`, the caller vouches that the output folder is
    as the last build left it, so its files are not stat-ed either; a watcher does so for the
    builds that follow saves and checks the folder in full (recheck) once saves stop."""

    content_times: dict[str, Times]
    seed_times: dict[str, Times]
    code: str
    cache: BuildCache
    tools: Tools
    changed: frozenset[Path] | None = frozenset()
    site_as_left: bool = False

    def saw(self, paths: Iterable[Path], site_as_left: bool = False) -> Warm:
        """This state with more changed paths to look at."""
        changed = None if self.changed is None else self.changed | {Path(p) for p in paths}
        return replace(self, changed=changed, site_as_left=site_as_left)

    def recheck(self) -> Warm:
        """This state, to look at every file and the output folder again (as a fresh
        process would) while keeping the cache and tools in memory."""
        return replace(self, changed=None, site_as_left=False)


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
    warm: Warm | None = None  # for the next build of a long-running process (with a cache)


def content_files(project: Project) -> list[Path]:
    return [project.content_dir / name for name in _content_times(project)]


def require_content_folder(project: Project) -> None:
    """The build's problem when the project has no content folder, as a ContentError."""
    if not project.content_dir.is_dir():
        raise ContentError([Problem("content/", None, None, "folder",
                                    f"no content folder at {project.content_dir}")])


def _content_times(project: Project) -> dict[str, Times]:
    """Each content file's name, in order, with _times of it, from one pass over the folder."""
    require_content_folder(project)
    return _only_content(_folder_times(project.content_dir))


def _only_content(times: dict[str, Times]) -> dict[str, Times]:
    # Names starting with '.' are editors' lock and swap files, as the shell's * skips them.
    found = {name: t for name, t in times.items()
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
                   data: bytes | None = None) -> Explainer:
    """Load and validate one content file (stages 1 and 2), or raise ContentError."""
    data = read_content(project, path) if data is None else data
    return validate(parse_source(data, project.display(path)), parser,
                    project.seeds_dir)


def read_content(project: Project, path: Path) -> bytes:
    """A content file's bytes (see refuse_link)."""
    refuse_link(project, path)
    return path.read_bytes()


def refuse_link(project: Project, path: Path) -> None:
    """ContentError for a content file that is a link not to follow (Project.link_problem)."""
    if problem := project.link_problem(path):
        raise ContentError([Problem(project.display(path), None, None, "file", problem)])


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
    key: str  # its cache key (file_key), made where it was read; "" without a cache
    times: Times  # _times of the file, taken before reading it
    seed: str
    listing: Listing
    item: str  # its entry on the home page
    page: Content  # the page, or its file in the cache
    placed: bool  # already in the staging folder of the new site


def build(project: Project, base_url: str | None = None,
          options: BuildOptions = BuildOptions(), warm: Warm | None = None) -> BuildResult:
    """Check everything, render every page that changed, then write what differs. `warm` is
    what the previous build of this process returned, with the paths changed since."""
    settings = load_settings(project, base_url)
    if options.cache:
        content_times, seed_times, code = _look(project, warm)
        cache = _open_cache(project, fingerprint(code, settings), warm)
    else:
        content_times, seed_times, code, cache = _content_times(project), {}, "", None
    if warm and cache and warm.tools.fingerprint == cache.fingerprint:
        tools = warm.tools
    else:
        tools = Tools(project, cache.folder if cache else None,
                      cache.fingerprint if cache else "")
        if warm:  # the parser depends on neither templates nor settings
            tools.parser_ = warm.tools.parser_

    reuse: dict[str, Entry] = {}
    todo: list[Path] = []
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
            if project.link_problem(path):
                todo.append(path)  # where it is reported, never read
                continue
            key = _key(cache.fingerprint, project, name, _sha(path.read_bytes()), known.seed)
            if key == known.key:
                reuse[name] = known._replace(stat=now)
                continue
        todo.append(project.content_dir / file_name)

    # Vouched for, the site is not stat-ed file by file; its folder still is, so that a site
    # deleted (or a file added at its top) meanwhile is written whole, not patched.
    vouched = warm is not None and warm.site_as_left and cache is warm.cache
    untouched = cache is not None and is_untouched(project.out_dir, cache.site,
                                                   ["/"] if vouched else None)
    if cache and not untouched:
        # The site will be written whole, linking the cache's pages. Those are the very files
        # of the last site (hard links), so a page edited in place there is edited here too:
        # check each against its name, and render again any that no longer match.
        for name, entry in list(reuse.items()):
            if not cache.page_intact(entry.page):
                del reuse[name]
                todo.append(project.content_dir / name.removeprefix(prefix))

    # When the site will be written whole, a new folder for it is made now and each page is
    # placed in it by the process that rendered it, in parallel, rather than all by this one
    # at the end: making a file and a folder per page is a good part of a cold build.
    whole = bool(todo) and (not untouched or len(todo) > in_place_at_most(len(content_times)))
    with _staging(project.out_dir, whole) as staging:
        compiled, problems = _compile(project, settings, todo, options, tools, staging)
        listings = [e.listing for e in reuse.values()] + [c.listing for c in compiled]
        problems += duplicate_slugs(listings)
        if problems:
            raise ContentError(problems)

        def finish(files: int, written: Written, saved: BuildCache | None) -> BuildResult:
            next_warm = Warm(content_times, seed_times, code, saved, tools) if saved else None
            return BuildResult(settings, len(listings), files, len(compiled), project.out_dir,
                               written, next_warm)

        entries: dict[str, Entry] = dict(reuse)
        inputs = ""
        if cache:
            for item in compiled:
                assert isinstance(item.page, Linked)
                # The seed's times as looked at before any file was read: a seed saved while
                # this build checked against it then differs from them, and is looked at again.
                stat = (*item.times, *seed_times.get(item.seed, _MISSING))
                entries[item.name] = Entry(item.key, item.seed, item.listing, item.page.sha,
                                           stat, item.item)
            inputs = site_key(cache.fingerprint, entries)
            if inputs == cache.site_key and untouched:
                # Same inputs as the build that wrote this folder, which nobody has touched since.
                saved = cache.save(project, entries, cache.site, inputs)
                return finish(_file_count(cache.site), Written("unchanged", 0, 0, cache.site),
                              saved)

        env = tools.env
        items = {e.listing.slug: e.item for e in (*reuse.values(), *compiled)}
        files: dict[str, Content] = {"index.html": render_index(env, listings, items, settings)}
        for item in compiled:
            if isinstance(item.page, bytes):
                files[page_path(item.listing)] = item.page
        if cache:
            for entry in entries.values():
                files[page_path(entry.listing)] = cache.page(entry.page)
        files.update(tools.fixed_files(settings))
        files.update(tools.listing_files(listings, settings))
        files.update(corrections_files(env, listings, settings))
        files.update(story_files(env, listings, settings))
        files = dict(sorted(files.items()))

        staged = None
        if staging:
            staged = Staged(staging, frozenset(page_path(c.listing) for c in compiled if c.placed))
        written = write_site(files, project.out_dir, cache.site if cache and untouched else None,
                             staged)
        saved = None
        if cache:
            saved = cache.save(project, entries, written.stamps, inputs)
        return finish(len(files), written, saved)


@contextlib.contextmanager
def _staging(out_dir: Path, wanted: bool) -> Iterator[Path | None]:
    """A staging folder for a site written whole (if `wanted`), removed unless swapped in."""
    staging = stage_site(out_dir) if wanted else None
    try:
        yield staging
    finally:
        if staging:
            discard_staged(staging)


def _look(project: Project, warm: Warm | None) -> tuple[dict[str, Times], dict[str, Times], str]:
    """The times of every content file and seed, and the code fingerprint: from scratch, or
    from a warm state by looking again at the changed paths only."""
    if warm is None or warm.changed is None:
        return (_content_times(project), _folder_times(project.seeds_dir),
                code_fingerprint(project))
    content, seeds, code = dict(warm.content_times), dict(warm.seed_times), warm.code
    templates_changed = False
    for path in warm.changed:
        if path.parent == project.content_dir:
            _look_again(content, path)
        elif path.parent == project.seeds_dir:
            _look_again(seeds, path)
        elif path.is_relative_to(project.templates_dir):
            templates_changed = True
        elif path != project.settings_file:  # read on every build anyway
            # A folder made, moved or removed, or anything unforeseen: look at everything.
            return _look(project, None)
    return _only_content(content), seeds, code_fingerprint(project) if templates_changed \
        else code


def _look_again(times: dict[str, Times], path: Path) -> None:
    """Update a folder's _folder_times for one of its files, as _folder_times would see it."""
    found = _file_times(path)
    if found == _MISSING:
        times.pop(path.name, None)
    else:
        times[path.name] = found


def _open_cache(project: Project, fingerprint_: str, warm: Warm | None) -> BuildCache:
    """The cache a warm state holds while nothing else has built since, else the one on
    disk."""
    if warm and warm.cache.fingerprint == fingerprint_ and warm.cache.is_current():
        return warm.cache
    return BuildCache.open(project, fingerprint_)


class Tools:
    """What one process needs to render and makes once: the Markdown parser, the templates,
    the files that list no explainer, and the last sitemap and feed with what they were made
    from. Each is made when first needed (a build with nothing to render needs none), for one
    fingerprint of code, templates and settings; a warm process hands them to its next build
    while that fingerprint holds."""

    def __init__(self, project: Project, store: Path | None, fingerprint_: str) -> None:
        self.project, self.store, self.fingerprint = project, store, fingerprint_
        self.parser_: ArticleParser | None = None
        self._env: jinja2.Environment | None = None
        self._fixed: dict[str, bytes] | None = None
        self._made: dict[str, tuple[object, bytes]] = {}

    @property
    def parser(self) -> ArticleParser:
        if self.parser_ is None:
            self.parser_ = ArticleParser()
        return self.parser_

    @property
    def env(self) -> jinja2.Environment:
        if self._env is None:
            self._env = make_environment(self.project.templates_dir,
                                         bytecode_folder(self.store) if self.store else None)
        return self._env

    def fixed_files(self, settings: Settings) -> dict[str, bytes]:
        if self._fixed is None:
            self._fixed = fixed_files(self.env, settings, self.project.templates_dir)
        return self._fixed

    def listing_files(self, listings: list[Listing], settings: Settings) -> dict[str, bytes]:
        """The sitemap and the feed, each made again only when what it shows changed."""
        return listing_files(self.env, listings, settings, self._made)


def _file_count(stamps: Stamps) -> int:
    return sum(1 for path in stamps if not path.endswith("/"))


def _key(fingerprint_: str, project: Project, name: str, content: str, seed: str) -> str:
    """file_key of a content file whose seed is read now."""
    seed_path = project.seeds_dir / seed
    readable = seed and seed_path.is_file() and not project.link_problem(seed_path)
    seed_sha = _sha(seed_path.read_bytes()) if readable else ""
    return file_key(fingerprint_, name, content, seed, seed_sha)


def _file_times(path: Path) -> Times:
    """_times of a file, or _MISSING if there is no file there (nothing, or a folder)."""
    try:
        found = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if not path.is_symlink():
            return _MISSING
        found = path.lstat()  # a link to nothing: listed, so that it is reported
    except OSError:  # a link that loops
        found = path.lstat()
    return _times(found) if stat.S_ISREG(found.st_mode) or stat.S_ISLNK(found.st_mode) \
        else _MISSING


def _folder_times(folder: Path) -> dict[str, Times]:
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
            except OSError:  # deleted while we look, or a link that loops or leads nowhere
                try:
                    found = os.lstat(folder / name)
                except FileNotFoundError:
                    continue
            # A link left as a link is listed with its own times, to be reported as a
            # problem of that file (read_content), rather than stop the whole build.
            if stat.S_ISREG(found.st_mode) or stat.S_ISLNK(found.st_mode):
                times[name] = _times(found)
    return times


def _times(found: os.stat_result) -> Times:
    """Size, modification and change times: any write to a file changes at least one."""
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _compile(project: Project, settings: Settings, paths: list[Path], options: BuildOptions,
             tools: Tools, staging: Path | None) -> tuple[list[_Compiled], list[Problem]]:
    """Check and render the files, across worker processes when there are many; with
    `staging`, each page is also placed there."""
    if not paths:
        return [], []
    jobs = options.jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) < _PARALLEL_FROM:
        return _compile_chunk(project, settings, paths, tools.store,
                              tools.fingerprint, staging, tools)
    chunks = _chunks(paths, jobs)
    method = options.start_method or (
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    compiled: list[_Compiled] = []
    problems: list[Problem] = []
    with concurrent.futures.ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context(method)) as pool:
        for done, found in pool.map(_compile_chunk, [project] * len(chunks),
                                    [settings] * len(chunks), chunks,
                                    [tools.store] * len(chunks), [tools.fingerprint] * len(chunks),
                                    [staging] * len(chunks)):
            compiled += done
            problems += found
    return compiled, problems


def _chunks(paths: list[Path], jobs: int) -> list[list[Path]]:
    """The files cut into chunks for `jobs` workers, each a fraction of what is left, so that
    they shrink to a few files at the end. Whichever worker is free takes the next chunk: the
    big first ones cost little to hand over, and the small last ones let both workers finish
    together even when one runs slower (the two CPUs of a virtual machine seldom run alike)."""
    chunks, start = [], 0
    while start < len(paths):
        size = max(_SMALLEST_CHUNK, (len(paths) - start) // (jobs * 3))
        chunks.append(paths[start:start + size])
        start += size
    return chunks


@functools.lru_cache(maxsize=1)
def _tools_of(project: Project, store: Path | None, fingerprint_: str) -> Tools:
    """A worker process's tools: made for its first chunk, kept for the others. (A pool of
    workers serves one build.)"""
    return Tools(project, store, fingerprint_)


def _compile_chunk(project: Project, settings: Settings, paths: list[Path],
                   store: Path | None, fingerprint_: str, staging: Path | None,
                   tools: Tools | None = None) -> tuple[list[_Compiled], list[Problem]]:
    """Check and render some files in this process; with `store` (the cache folder), pages go
    into the cache and only where they are kept comes back, with each file's cache key for
    `fingerprint_`; with `staging`, pages are placed in the new site's folder too."""
    tools = tools or _tools_of(project, store, fingerprint_)
    parser, env = tools.parser, tools.env
    compiled, problems = [], []
    for path in paths:
        try:
            refuse_link(project, path)  # before any stat: it may loop
            before = path.stat()
            data = path.read_bytes()
            explainer = load_explainer(project, path, parser, data)
            listing = Listing.of(explainer)
            page = render_explainer(env, explainer, settings)
            item = render_listing_item(env, listing, settings)
        except ContentError as err:
            problems.extend(err.problems)
            continue
        name = project.display(path)
        # Made here, in parallel, rather than by the main process once all are back; from
        # the bytes of the file and its seed as they were checked.
        key = file_key(tools.fingerprint, name, _sha(data), explainer.seed,
                       explainer.seed_sha) if store else ""
        if store and staging:
            kept, placed = _place_and_keep(store, staging, page_path(listing), page)
        else:
            kept = store_page(store, page) if store else page
            placed = staging is not None and place_page(staging, page_path(listing), kept)
        compiled.append(_Compiled(name, key, _times(before), explainer.seed, listing, item,
                                  kept, placed))
    return compiled, problems


def _place_and_keep(store: Path, staging: Path, path: str, page: bytes) -> tuple[Linked, bool]:
    """Place a page in the new site and keep it in the cache, one file for both: the cache's
    copy linked into the site if it holds one, else the page written into the site and linked
    into the cache (one new file per page, not two: on this kind of file system making a file
    is a good part of a page's time). Returns where the cache keeps it and whether it was
    placed (see place_page)."""
    kept, present = cached_page(store, page)
    if present:
        return kept, place_page(staging, path, kept)
    placed = place_page(staging, path, page, mode=0o444)
    keep_page(store, kept, page, os.path.join(staging, path) if placed else None)
    return kept, placed
