"""The build cache: pages of unchanged explainers are not read, checked or rendered again.

Each content file's entry is keyed by a hash of everything its page depends on: the file, its
seed, and a fingerprint of what every page depends on (the generator's version and code, every
template, partial and static file, and the settings). Change any of them and the key changes,
so a stale page is never served. Pages are kept as files named by their SHA-256, linked into
the site rather than copied.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.project import Project
from generator.schema import Listing, Settings
from generator.write import Stamps

FOLDER = ".explainer-cache"
_GENERATOR = Path(__file__).resolve().parent
_FORMAT = 3


@dataclass(frozen=True)
class Entry:
    key: str
    seed: str
    listing: Listing
    page: str  # SHA-256 of the page, the name of its file in the cache
    # Size, modification and change times of the file and its seed when the key was made:
    # while they stay the same the files are not read again (as git decides).
    stat: tuple[int, ...]


def site_key(fingerprint_: str, entries: dict[str, Entry]) -> str:
    """A hash of every input of the site: equal keys mean identical output."""
    digest = hashlib.sha256(fingerprint_.encode())
    for name, entry in sorted(entries.items()):
        digest.update(f"{name}\0{entry.key}\n".encode())
    return digest.hexdigest()


def fingerprint(project: Project, settings: Settings) -> str:
    """A hash of everything every page depends on."""
    digest = hashlib.sha256(f"explainer {__version__} cache {_FORMAT}\n".encode())
    for folder in (_GENERATOR, project.templates_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(repr(settings).encode())
    return digest.hexdigest()


def file_key(fingerprint_: str, name: str, content_sha: str, seed_name: str,
             seed: bytes | None) -> str:
    digest = hashlib.sha256(fingerprint_.encode())
    for part in (name.encode(), content_sha.encode(), seed_name.encode(), seed or b"\0missing"):
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

    @classmethod
    def open(cls, project: Project, fingerprint_: str) -> BuildCache:
        folder = project.root / FOLDER
        cache = cls(folder, fingerprint_)
        try:
            data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache
        if data.get("format") != _FORMAT:
            return cache
        if data.get("out_dir") == str(project.out_dir):
            cache.site = {path: tuple(stamp) for path, stamp in data.get("site", {}).items()}
            cache.site_key = data.get("site_key", "")
        if data.get("fingerprint") == fingerprint_:
            stored = set(os.listdir(folder / "pages")) if (folder / "pages").is_dir() else set()
            cache.entries = {
                name: Entry(e["key"], e["seed"], Listing.from_json(e["listing"]), e["page"],
                            tuple(e["stat"]))
                for name, e in data.get("entries", {}).items() if e["page"] in stored
            }
        return cache

    def page(self, sha: str) -> Path:
        return self.folder / "pages" / sha

    def save(self, project: Project, entries: dict[str, Entry], site: Stamps,
             key: str) -> None:
        if entries == self.entries and site == self.site and key == self.site_key:
            return  # nothing new to remember
        data = {
            "format": _FORMAT,
            "fingerprint": self.fingerprint,
            "out_dir": str(project.out_dir),
            "site_key": key,
            "entries": {name: {"key": e.key, "seed": e.seed, "listing": e.listing.to_json(),
                               "page": e.page, "stat": e.stat}
                        for name, e in sorted(entries.items())},
            "site": site,
        }
        _make_folder(self.folder)
        _atomic_write(self.folder / "manifest.json",
                      json.dumps(data, separators=(",", ":")).encode())
        keep = {e.page for e in entries.values()}
        if self.entries:  # pages the previous build used and this one does not
            for sha in {e.page for e in self.entries.values()} - keep:
                self.page(sha).unlink(missing_ok=True)
        else:  # the fingerprint changed: nothing before this build is of use
            for path in (self.folder / "pages").glob("*"):
                if path.name not in keep:
                    path.unlink(missing_ok=True)


def store_page(folder: Path, data: bytes) -> str:
    """Keep a page in the cache `folder`, read-only so that an edit to a linked copy cannot
    change it; its name is its SHA-256. Safe to call from several processes at once."""
    sha = hashlib.sha256(data).hexdigest()
    target = folder / "pages" / sha
    if not target.exists():
        _make_folder(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, data, mode=0o444)
    return sha


def _make_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():  # like .pytest_cache: git never sees the cache
        ignore.write_text("# Made by explainer build; safe to delete.\n*\n")


def _atomic_write(target: Path, data: bytes, mode: int = 0o644) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
