"""The build cache, `.explainer-cache/`: what the incremental layer remembers between processes.

It holds the manifest (a Record: every input file's stamp and hash, what each content file
gave the site's lists, and each output with what it was made from), the outputs' bytes by
their SHA-256 (so that a site deleted, or a fresh clone in CI, is written again without
rendering), and Jinja's compiled templates.

The manifest is read and written on every build, so it is marshal, not JSON: plain tuples,
strings and numbers, several times faster to read and write than JSON and, unlike pickle,
unable to run code. Its format is tied to the Python version that wrote it. What a content
file gives the lists is marshalled on its own, so that the manifest is saved with the rows
of the files that did not change as they were read or last saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import re
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator import __version__, up_to_date
from generator.project import Project
from generator.schema import Listing
from generator.up_to_date import FOLDER
from generator.write import FileStamp, KnownFile, SiteFiles

if TYPE_CHECKING:
    from generator.incremental import Lists, Told

_GENERATOR = Path(__file__).resolve().parent
_FORMAT = 14
_MANIFEST = up_to_date.MANIFEST
# The libraries whose code shapes a page's bytes, as (distribution, module): a new version of
# one may change pages (how Markdown is read, what is sanitised, where sentences end) as a new
# version of the generator does.
LIBRARIES = (("jinja2", "jinja2"), ("markdown", "markdown"), ("markupsafe", "markupsafe"),
             ("nh3", "nh3"), ("pyyaml", "yaml"), ("sentencex", "sentencex"),
             ("pillow", "PIL"), ("pagefind-bin", "pagefind_bin"))


class Source(NamedTuple):
    """What the site's lists show of one content file, kept so that an unchanged file is not
    read again to list it."""

    seed: str
    listing: Listing
    item: bytes  # its entry on the home page (partials/listing.html), as UTF-8 HTML
    version: str  # a hash of the two above: the input "listing:<file>" of what lists it
    # A hash of the versions of what its page was rendered from (incremental.page_inputs):
    # its page is composed again, with its story's context, without rendering it again.
    rendered_from: str
    # What each file that lists every explainer but the home page shows of this one, hashed,
    # by kind (lists.listed_versions).
    listed: dict[str, str]


class Made(NamedTuple):
    """An output file: a hash of the versions of the inputs it was made from, and its own."""

    inputs: str
    sha: str


@dataclass(frozen=True)
class Record:
    """What one build knew when it finished: enough for the next to redo only what changed."""

    code: str = ""  # code_fingerprint
    files: dict[str, KnownFile] = field(default_factory=dict)  # content files and seeds
    sources: dict[str, Source] = field(default_factory=dict)  # by content file
    outputs: dict[str, Made] = field(default_factory=dict)  # by path in the site
    site: SiteFiles = field(default_factory=dict)  # the output folder as written
    out_dir: str = ""
    # Each source with its row in the manifest (marshalled on its own), as read or last
    # saved: a build saves the rows of the sources it did not change as they are.
    rows: dict[str, tuple[Source, bytes]] = field(default_factory=dict, compare=False,
                                                  repr=False)
    # Each story as last worked out from its explainers, by its id: an update in the same
    # process works out again only the stories whose explainers changed. Not saved.
    stories: dict[str, Told] = field(default_factory=dict, compare=False, repr=False)
    # The versions of the inputs (incremental.py) at the update in this process that made
    # this record: every output of it was made from these. Not saved.
    versions: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # The order of the site's lists at that update (incremental.Lists). Not saved.
    lists: Lists | None = field(default=None, compare=False, repr=False)


def code_fingerprint(project: Project) -> str:
    """What every output depends on, but the settings and the static files
    (static_fingerprint): a hash of the generator's version and code and of the libraries'
    versions, a colon, and a hash of every template and partial. The share cards, drawn
    without templates, depend on the first part only (generator_part)."""
    generator = hashlib.sha256(f"{_header()}\n{library_versions()}\n".encode())
    _hash_files(generator, _GENERATOR, [p for p in _GENERATOR.rglob("*") if p.is_file()
                                        and "__pycache__" not in p.parts])
    templates = hashlib.sha256()
    static = project.templates_dir / "static"
    _hash_files(templates, project.templates_dir, [
        p for p in project.templates_dir.rglob("*") if p.is_file()
        and not p.is_relative_to(static)])
    return f"{generator.hexdigest()}:{templates.hexdigest()}"


def generator_part(code: str) -> str:
    """The generator's and the libraries' part of a code_fingerprint."""
    return code.partition(":")[0]


def static_fingerprint(project: Project) -> str:
    """A hash of the static files (templates/static/): no template reads them, so only the
    files copied from them, and the 404 page that inlines the stylesheet, depend on them."""
    digest = hashlib.sha256()
    static = project.templates_dir / "static"
    _hash_files(digest, static, [p for p in static.rglob("*") if p.is_file()])
    return digest.hexdigest()


def _hash_files(digest: hashlib._Hash, folder: Path, paths: list[Path]) -> None:
    for path in sorted(paths):
        digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def library_versions() -> str:
    """Each library of LIBRARIES with its version as installed, and libyaml's. Found beside
    each library's files, without importing it: a build with nothing to render imports none
    of them but PyYAML, which reads the settings."""
    installed: dict[str, dict[str, str]] = {}  # per folder the libraries are in
    found = [f"{dist} {_version(dist, module, installed)}" for dist, module in LIBRARIES]
    import yaml

    if yaml.__with_libyaml__:
        found.append(f"libyaml {yaml._yaml.get_version_string()}")  # type: ignore[attr-defined]
    return ", ".join(found)


def read_by_every_build(project: Project) -> list[str]:
    """What a build reads besides the content files and seeds, as paths for up_to_date: the
    settings file, the content and seeds folders (their stamps change as files come and go),
    the templates and the generator's code (code_fingerprint), and the folders the libraries
    are installed in (library_versions: a library installed, removed or upgraded changes its
    folder's entries)."""
    folders = sorted({_library_folder(module) for _, module in LIBRARIES})
    return [str(project.settings_file), str(project.content_dir), str(project.seeds_dir),
            *up_to_date.tree(str(project.templates_dir)), *up_to_date.tree(str(_GENERATOR)),
            *folders]


def _library_folder(module: str) -> str:
    spec = importlib.util.find_spec(module)
    return os.path.dirname(os.path.dirname(spec.origin or "")) if spec else ""


def _version(dist: str, module: str, installed: dict[str, dict[str, str]]) -> str:
    """A library's version, from the metadata folder beside its package (`installed` keeps
    each folder's listing)."""
    folder = _library_folder(module)
    if folder not in installed:
        installed[folder] = installed_versions(folder)
    return installed[folder].get(re.sub(r"[-_.]+", "_", dist).lower()) or _asked_version(dist)


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


def _header() -> str:
    # marshal's format may change between Python versions, and zlib's bytes (schema's packed
    # listing details, whose bytes are compared) between zlib's: another starts afresh.
    return (f"explainer {__version__} cache {_FORMAT} python {sys.version_info[:2]} "
            f"zlib {zlib.ZLIB_RUNTIME_VERSION}")


def bytecode_folder(project: Project) -> Path:
    """Where Jinja's compiled templates are kept: one folder per Jinja version, as Jinja
    checks a compiled template against its source and Python's version but not its own."""
    return project.root / FOLDER / _jinja_folder()


def _jinja_folder() -> str:
    return f"jinja-{_version('jinja2', 'jinja2', {})}"


# ------------------------------------------------------------------------------ manifest

# Inode, size and modification time of a manifest: while the file on disk is still the one a
# process read or wrote, no other build has run since.
ManifestId = tuple[int, int, int]


def manifest_id(project: Project) -> ManifestId | None:
    try:
        return _identity(os.stat(project.root / FOLDER / _MANIFEST))
    except OSError:
        return None


def read_record(project: Project) -> tuple[Record, ManifestId | None]:
    """The record the last build saved (an empty one if none, or one this version cannot
    read), and which manifest it came from."""
    try:
        with open(project.root / FOLDER / _MANIFEST, "rb") as handle:
            identity = _identity(os.fstat(handle.fileno()))
            header, *rows = marshal.loads(handle.read())
        if header != _header():
            return Record(), identity
        return _from_rows(*rows), identity
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError, AttributeError):
        return Record(), None


def save_record(project: Project, record: Record) -> ManifestId:
    """Save the record as the manifest; returns its identity. The basis of the build that
    saved the last one goes first: it is of that manifest only (up_to_date)."""
    folder = project.root / FOLDER
    _make_folder(folder)
    up_to_date.forget(str(folder))
    rows = (_header(), record.code,
            {name: (tuple(known.stamp), known.sha) for name, known in record.files.items()},
            {name: _source_row(record.rows, name, source)
             for name, source in record.sources.items()},
            {path: tuple(made) for path, made in record.outputs.items()},
            {path: (tuple(known.stamp), known.sha) for path, known in record.site.items()},
            record.out_dir)
    return _atomic_write(folder / _MANIFEST, marshal.dumps(rows))


def _source_row(rows: dict[str, tuple[Source, bytes]], name: str, source: Source) -> bytes:
    known = rows.get(name)
    if known is None or known[0] is not source:
        row = (source.seed, source.listing.to_row(), source.item, source.version,
               source.rendered_from, source.listed)
        known = rows[name] = (source, marshal.dumps(row))
    return known[1]


def _from_rows(code: str, files: dict, sources: dict, outputs: dict, site: dict,
               out_dir: str) -> Record:
    rows = {name: (Source(seed, Listing.from_row(listing), item, version, rendered, listed), row)
            for name, row in sources.items()
            for seed, listing, item, version, rendered, listed in (marshal.loads(row),)}
    return Record(code, _known_files(files), {name: row[0] for name, row in rows.items()},
                  {path: Made(*made) for path, made in outputs.items()}, _known_files(site),
                  out_dir, rows)


def _known_files(rows: dict) -> dict[str, KnownFile]:
    # tuple.__new__ rather than the named tuples' own: thousands are read on every build.
    new = tuple.__new__
    return {name: new(KnownFile, (new(FileStamp, stamp), sha))
            for name, (stamp, sha) in rows.items()}


# --------------------------------------------------------------------------------- store

@dataclass
class Stored:
    """Outputs' bytes by their SHA-256, as files in a folder: the cache's, or the preview's."""

    folder: Path
    _names: set[str] | None = None

    @classmethod
    def in_cache(cls, project: Project) -> Stored:
        return cls(project.root / FOLDER / "files")

    def __contains__(self, sha: str) -> bool:
        return sha in self._listed()

    def _listed(self) -> set[str]:
        if self._names is None:
            try:
                self._names = set(os.listdir(self.folder))
            except OSError:
                self._names = set()
        return self._names

    def read(self, sha: str) -> bytes:
        return (self.folder / sha).read_bytes()

    def keep(self, made: Iterable[tuple[str, bytes]]) -> None:
        """Keep these (sha, bytes) that are not kept yet."""
        for sha, data in made:
            if sha not in self:
                self.put(sha, data)

    def put(self, sha: str, data: bytes) -> None:
        """Keep these bytes, kept already or not: for a worker process, which would list the
        folder to know (the write is atomic, and the same bytes for the same hash)."""
        _make_folder(self.folder.parent)
        self.folder.mkdir(exist_ok=True)
        _atomic_write(self.folder / sha, data)
        if self._names is not None:
            self._names.add(sha)

    def known_to_hold(self, shas: Iterable[str]) -> None:
        """Note files the folder holds that this process did not write (its workers did)."""
        self._listed().update(shas)

    def __getstate__(self) -> dict:
        # Handed to each worker with every chunk of work: not the listing, which can be long.
        return {"folder": self.folder, "_names": None}

    def drop(self, shas: Iterable[str]) -> None:
        """Drop these, if kept."""
        names = self._listed()
        for sha in shas:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.folder / sha)
            names.discard(sha)

    def keep_only(self, shas: set[str]) -> None:
        """Drop what no output of the last build is."""
        self.drop([name for name in self._listed() if name not in shas])
        for stale in self.folder.parent.glob("jinja*"):  # of another Jinja version
            if stale.name != _jinja_folder():
                shutil.rmtree(stale, ignore_errors=True)


class PreviewFolder:
    """A folder for a preview's files, deleted with it: in the cache, on the project's disk
    (a system's temporary folder is often in memory), or the system's where the cache cannot
    be made. A lock on it, held while the preview runs, tells those of previews that were
    killed, which the next preview deletes."""

    def __init__(self, project: Project) -> None:
        import fcntl

        cache = project.root / FOLDER
        try:
            _make_folder(cache)
            for left in cache.glob("preview-*"):
                _delete_unless_locked(left)
            self._folder = tempfile.TemporaryDirectory(prefix="preview-", dir=cache)
        except OSError:
            self._folder = tempfile.TemporaryDirectory(prefix="explainer-preview-")
        self.path = Path(self._folder.name)
        self._lock = open(self.path / "lock", "wb")  # noqa: SIM115 (held while it lives)
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _delete_unless_locked(folder: Path) -> None:
    import fcntl

    try:
        with open(folder / "lock", "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # locked: its preview runs; no lock yet: one is starting
        return
    shutil.rmtree(folder, ignore_errors=True)


def _make_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():  # like .pytest_cache: git never sees the cache
        ignore.write_text("# Made by explainer build; safe to delete.\n*\n")


def _identity(found: os.stat_result) -> ManifestId:
    return found.st_ino, found.st_size, found.st_mtime_ns


def _atomic_write(target: Path, data: bytes) -> ManifestId:
    """Write beside the target, then rename over it: readers see the old file or the new one.
    The temporary name is unique per process and target, so no random names are needed.
    Returns the new file's _identity."""
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as out:
            out.write(data)
            out.flush()
            written = _identity(os.fstat(out.fileno()))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return written
