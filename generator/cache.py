"""The build cache: pages of unchanged explainers are not read, checked or rendered again.

Each content file's entry is keyed by a hash of everything its page depends on: the file, its
seed, and a fingerprint of what every page depends on (the generator's version and code, the
installed versions of the libraries that shape a page, every template, partial and static
file, and the settings). Change any of them and the key changes, so a stale page is never
served. Pages are kept as files named by their SHA-256, each one file with its copy in the
site (hard links), not two.

The manifest is read and written on every build, so it is marshal, not JSON: plain tuples,
strings and numbers, several times faster to read and write than JSON and, unlike pickle,
unable to run code. Its format is tied to the Python version that wrote it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import marshal
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import jinja2

from generator import __version__
from generator.project import Project
from generator.schema import Listing, Settings
from generator.write import Linked, Stamps

FOLDER = ".explainer-cache"
_GENERATOR = Path(__file__).resolve().parent
_FORMAT = 6
_MANIFEST = "manifest.marshal"
# The libraries whose code shapes a page's bytes, as (distribution, module): a new version of
# one may change pages (how Markdown is read, what is sanitised, where sentences end) as a new
# version of the generator does.
LIBRARIES = (("jinja2", "jinja2"), ("markdown", "markdown"), ("markupsafe", "markupsafe"),
             ("nh3", "nh3"), ("pyyaml", "yaml"), ("sentencex", "sentencex"))


class Entry(NamedTuple):
    """What the cache knows of one content file. (A named tuple: thousands are read per
    build.)"""

    key: str
    seed: str
    listing: Listing
    page: str  # SHA-256 of the page, the name of its file in the cache
    # Size, modification and change times of the file and its seed when the key was made:
    # while they stay the same the files are not read again (as git decides).
    stat: tuple[int, ...]
    item: str  # the explainer's entry on the home page (partials/listing.html), as HTML

    def to_row(self) -> tuple:
        return (self.key, self.seed, self.listing.to_row(), self.page, self.stat, self.item)

    @classmethod
    def from_row(cls, row: tuple) -> Entry:
        key, seed, listing, page, stat, item = row
        return cls(key, seed, Listing.from_row(listing), page, stat, item)


def _header() -> str:
    # marshal's format may change between Python versions: another version starts afresh.
    return f"explainer {__version__} cache {_FORMAT} python {sys.version_info[:2]}"


def site_key(fingerprint_: str, entries: dict[str, Entry]) -> str:
    """A hash of every input of the site: equal keys mean identical output."""
    digest = hashlib.sha256(fingerprint_.encode())
    for name, entry in sorted(entries.items()):
        digest.update(f"{name}\0{entry.key}\n".encode())
    return digest.hexdigest()


def code_fingerprint(project: Project) -> str:
    """A hash of the generator's version and code, of the libraries' versions and of every
    template, partial and static file: what every page depends on, but the settings."""
    digest = hashlib.sha256(f"{_header()}\n{library_versions()}\n".encode())
    for folder in (_GENERATOR, project.templates_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def library_versions() -> str:
    """Each library of LIBRARIES with its version as installed, and libyaml's."""
    installed: dict[str, dict[str, str]] = {}  # per folder the libraries are in
    found = []
    for dist, module in LIBRARIES:
        loaded = importlib.import_module(module)  # already loaded by the build: a lookup
        folder = os.path.dirname(os.path.dirname(loaded.__file__ or ""))
        if folder not in installed:
            installed[folder] = installed_versions(folder)
        found.append(f"{dist} {installed[folder].get(dist) or _asked_version(dist)}")
    yaml = importlib.import_module("yaml")
    if yaml.__with_libyaml__:
        found.append(f"libyaml {importlib.import_module('yaml._yaml').get_version_string()}")
    return ", ".join(found)


def installed_versions(folder: str) -> dict[str, str]:
    """The distributions installed in a folder with their versions, as the names of their
    metadata folders say: '<name>-<version>.dist-info' (pip) or
    '<Name>-<version>[-pyX.Y].egg-info' (older tools, some system packages). One listing,
    where importlib.metadata takes tens of milliseconds to find the same on every build."""
    versions: dict[str, list[str]] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return {}
    for name in names:
        if name.endswith((".dist-info", ".egg-info")):
            project, _, rest = name.rpartition(".")[0].partition("-")
            normal = re.sub(r"[-_.]+", "_", project).lower()
            versions.setdefault(normal, []).append(rest.split("-")[0])
    # Two of one: an upgrade left one behind, and either may be the one in use.
    return {name: " ".join(sorted(found)) for name, found in versions.items()}


def _asked_version(dist: str) -> str:
    """A library's version from importlib.metadata: for a library installed unusually, with no
    metadata folder beside it."""
    import importlib.metadata  # slow to import: only here

    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def fingerprint(code: str, settings: Settings) -> str:
    """A hash of everything every page depends on: code_fingerprint's and the settings."""
    return hashlib.sha256(f"{code}\n{settings!r}".encode()).hexdigest()


def file_key(fingerprint_: str, name: str, content_sha: str, seed_name: str,
             seed_sha: str) -> str:
    """The key of one content file's page: `seed_sha` is that of the seed's bytes ("" if
    there is no seed)."""
    digest = hashlib.sha256(fingerprint_.encode())
    for part in (name.encode(), content_sha.encode(), seed_name.encode(), seed_sha.encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass
class BuildCache:
    folder: Path
    fingerprint: str
    entries: dict[str, Entry] = field(default_factory=dict)
    site: Stamps = field(default_factory=dict)
    site_key: str = ""
    # Each entry as stored: its own marshal bytes inside the manifest's, so that saving
    # copies the rows of unchanged entries instead of encoding them all again.
    _rows: dict[str, bytes] = field(default_factory=dict)
    # Inode, size and modification time of the manifest these entries are, as read or
    # written: a long-running build uses them while the file on disk is still this one.
    manifest: tuple[int, int, int] | None = None
    pages: str = field(init=False)  # the folder of the pages, as a string: joined per page

    def __post_init__(self) -> None:
        self.pages = _pages_of(self.folder)

    @classmethod
    def open(cls, project: Project, fingerprint_: str) -> BuildCache:
        folder = project.root / FOLDER
        cache = cls(folder, fingerprint_)
        try:
            with open(folder / _MANIFEST, "rb") as handle:
                cache.manifest = _identity(os.fstat(handle.fileno()))
                data = marshal.loads(handle.read())
            header, out_dir, site, key, stored_fingerprint, rows = data
            if header != _header():
                return cache
            if out_dir == str(project.out_dir):
                cache.site, cache.site_key = site, key
            if stored_fingerprint == fingerprint_:
                stored = set(os.listdir(cache.pages))
                for name, row in rows.items():
                    entry = Entry.from_row(marshal.loads(row))
                    if entry.page in stored:
                        cache.entries[name], cache._rows[name] = entry, row
        except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError, AttributeError):
            return BuildCache(folder, fingerprint_)  # no cache, or not one this version reads
        return cache

    def is_current(self) -> bool:
        """Whether the manifest on disk is still the one this cache was read from or saved
        as (no other build has run since)."""
        try:
            return _identity(os.stat(self.folder / _MANIFEST)) == self.manifest
        except OSError:
            return False

    def page(self, sha: str) -> Linked:
        return Linked(sha, self.pages)

    def page_intact(self, sha: str) -> bool:
        """Whether the stored page still has the bytes its name says; a damaged one is
        removed, so that the page is stored afresh."""
        return _intact(self.page(sha).path, sha)

    def save(self, project: Project, entries: dict[str, Entry], site: Stamps,
             key: str) -> BuildCache:
        """Remember this build; returns the cache as it now is on disk."""
        if entries == self.entries and site == self.site and key == self.site_key:
            return self  # nothing new to remember
        rows = {name: self._rows[name] if self.entries.get(name) is e
                else marshal.dumps(e.to_row()) for name, e in sorted(entries.items())}
        data = (_header(), str(project.out_dir), site, key, self.fingerprint, rows)
        _make_folder(self.folder)
        manifest = _atomic_write(self.folder / _MANIFEST, marshal.dumps(data))
        keep = {e.page for e in entries.values()}
        if self.entries:  # pages the previous build used and this one does not
            for sha in {e.page for e in self.entries.values()} - keep:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.page(sha).path)
        else:  # the fingerprint changed: nothing before this build is of use
            for path in Path(self.pages).glob("*"):
                if path.name not in keep:
                    path.unlink(missing_ok=True)
            (self.folder / "manifest.json").unlink(missing_ok=True)  # cache format 3
            for compiled in self.folder.glob("jinja*"):  # of another Jinja version
                if compiled != bytecode_folder(self.folder):
                    shutil.rmtree(compiled, ignore_errors=True)
        return BuildCache(self.folder, self.fingerprint, dict(entries), site, key, rows,
                          manifest)


def store_page(folder: Path, data: bytes) -> Linked:
    """Keep a page in the cache `folder`, named by its SHA-256 and read-only, so that an edit
    to a linked copy in the site needs a deliberate chmod (build checks the bytes against the
    name before relinking anyway). Safe to call from several processes at once."""
    stored, present = cached_page(folder, data)
    if not present:
        keep_page(folder, stored, data)
    return stored


def cached_page(folder: Path, data: bytes) -> tuple[Linked, bool]:
    """Where the cache `folder` keeps a page of these bytes, and whether it holds it intact."""
    stored = Linked(hashlib.sha256(data).hexdigest(), _pages_of(folder))
    return stored, _intact(stored.path, stored.sha)


def keep_page(folder: Path, stored: Linked, data: bytes, placed: str | None = None) -> None:
    """Put a page the cache does not hold into it, as `stored` (cached_page): a link to
    `placed`, a read-only file of the same bytes (the page placed in a new site), or else
    written."""
    try:
        _keep(stored.path, data, placed)
    except FileNotFoundError:  # the first page of this cache
        _make_folder(folder)
        os.makedirs(stored.folder, exist_ok=True)
        _keep(stored.path, data, placed)


def _keep(path: str, data: bytes, placed: str | None) -> None:
    if placed is not None:
        try:
            os.link(placed, path)
            return
        except FileExistsError:  # another process kept the same page meanwhile
            return
        except FileNotFoundError:  # no pages folder yet: keep_page makes it
            raise
        except OSError:  # another file system, or no links there: write it instead
            pass
    _atomic_write(path, data, mode=0o444)


def bytecode_folder(folder: Path) -> Path:
    """Where a cache keeps Jinja's compiled templates: one folder per Jinja version, as Jinja
    checks a compiled template against its source and Python's version but not its own."""
    return folder / f"jinja-{jinja2.__version__}"


def _pages_of(folder: Path) -> str:
    """Where a cache keeps its pages, as a string: joined once per page of a build."""
    return os.path.join(folder, "pages")


def _intact(path: str, sha: str) -> bool:
    try:
        with open(path, "rb") as stored:
            if hashlib.sha256(stored.read()).hexdigest() == sha:
                return True
    except OSError:
        return False
    with contextlib.suppress(OSError):
        os.unlink(path)
    return False


def _make_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():  # like .pytest_cache: git never sees the cache
        ignore.write_text("# Made by explainer build; safe to delete.\n*\n")


def _identity(found: os.stat_result) -> tuple[int, int, int]:
    return found.st_ino, found.st_size, found.st_mtime_ns


def _atomic_write(target: Path | str, data: bytes, mode: int = 0o644) -> tuple[int, int, int]:
    """Write beside the target, then rename over it: readers see the old file or the new one.
    The temporary name is unique per process and target, so no random names are needed.
    Returns the new file's _identity."""
    temporary = f"{target}.{os.getpid()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        handle = os.open(temporary, flags, mode)
    except FileExistsError:  # left by an interrupted process that had the same id
        os.unlink(temporary)
        handle = os.open(temporary, flags, mode)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            written = _identity(os.fstat(out.fileno()))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return written
