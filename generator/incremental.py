"""The site kept in memory and brought up to date file by file, for the live preview.

After a save, only what the change affects is redone: a content file is loaded, validated and
rendered again with the index; a seed re-checks the files that use it; a template re-renders
every page. The same load, validate and render functions as `build` do the work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.article import ArticleParser
from generator.build import content_files, duplicate_slugs, load_explainer, load_settings
from generator.errors import ContentError, Problem
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


@dataclass(frozen=True)
class Refresh:
    """What one refresh did: the site paths whose bytes changed, and what was redone."""

    changed: frozenset[str]
    reloaded: tuple[str, ...]
    rerendered: int


@dataclass
class IncrementalSite:
    project: Project
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _entries: dict[Path, Explainer | ContentError] = field(default_factory=dict)
    _parser: ArticleParser = field(default_factory=ArticleParser)
    _env: jinja2.Environment | None = None
    _items: dict[str, str] = field(default_factory=dict)  # home page entries by slug
    _settings: Settings | ContentError = field(default_factory=Settings)
    _stale_render: bool = True

    def refresh(self, changed: Iterable[Path] | None = None) -> Refresh:
        """Bring the site up to date after `changed` files were saved (None: everything)."""
        content, seeds, templates, settings_changed = self._classify(changed)
        if changed is None or settings_changed:
            try:
                self._settings = load_settings(self.project)
            except ContentError as err:
                self._settings = err
        reload: set[Path] = set()
        folder_problems: list[Problem] = []
        if changed is None:
            self._entries.clear()
            try:
                reload = set(content_files(self.project))
            except ContentError as err:  # no content folder, or no files in it
                folder_problems = err.problems
        reload |= content
        if seeds:
            reload |= {path for path, entry in self._entries.items()
                       if isinstance(entry, ContentError) or entry.seed in seeds}
        for path in sorted(reload):
            if path.is_file() or path.is_symlink():  # a link that loops is reported
                try:
                    self._entries[path] = load_explainer(self.project, path, self._parser)
                except ContentError as err:
                    self._entries[path] = err
            else:
                self._entries.pop(path, None)

        explainers = [e for e in self._entries.values() if isinstance(e, Explainer)]
        problems = [p for e in self._entries.values() if isinstance(e, ContentError)
                    for p in e.problems]
        problems += duplicate_slugs(explainers)
        if isinstance(self._settings, ContentError):
            problems += self._settings.problems
        problems += folder_problems
        reloaded = tuple(self.project.display(p) for p in sorted(reload))
        if problems:
            self.problems = sorted(problems, key=str)
            self._stale_render = True
            return Refresh(frozenset(), reloaded, 0)

        full = self._stale_render or templates or settings_changed or changed is None
        assert isinstance(self._settings, Settings)
        try:
            new_files, count = self._render(explainers, self._settings, reload, full)
        except ContentError as err:
            self.problems = err.problems
            self._stale_render = True
            return Refresh(frozenset(), reloaded, 0)
        self.problems = []
        self._stale_render = False
        differ = {path for path in new_files.keys() | self.files.keys()
                  if new_files.get(path) != self.files.get(path)}
        self.files = new_files
        return Refresh(frozenset(differ), reloaded, count)

    def _render(self, explainers: list[Explainer], settings: Settings, reloaded: set[Path],
                full: bool) -> tuple[dict[str, bytes], int]:
        """The whole site after a change: what the change touched is rendered again, the rest
        is taken from the previous refresh."""
        if full or self._env is None:
            self._env = make_environment(self.project.templates_dir)
        env = self._env
        listings = [Listing.of(e) for e in explainers]
        shown = {self.project.display(p) for p in reloaded}
        if full:
            self._items.clear()
        for listing in listings:
            if listing.file in shown or listing.slug not in self._items:
                self._items[listing.slug] = render_listing_item(env, listing, settings)
        self._items = {listing.slug: self._items[listing.slug] for listing in listings}
        files = {"index.html": render_index(env, listings, self._items, settings)}
        if full:
            files.update(fixed_files(env, settings, self.project.templates_dir))
        else:
            files.update((path, data) for path, data in self.files.items()
                         if not path.endswith("/index.html") and path != "index.html")
        files.update(listing_files(env, listings, settings))
        files.update(corrections_files(env, listings, settings))
        files.update(story_files(env, listings, settings))
        count = 1
        for explainer in explainers:
            path = page_path(explainer)
            if full or explainer.file in shown or path not in self.files:
                files[path] = render_explainer(env, explainer, settings)
                count += 1
            else:
                files[path] = self.files[path]
        return dict(sorted(files.items())), count

    def _classify(self, changed: Iterable[Path] | None
                  ) -> tuple[set[Path], set[str], bool, bool]:
        content: set[Path] = set()
        seeds: set[str] = set()
        templates = settings = False
        for path in changed or ():
            path = Path(path)
            # The folder resolved, not the file: a file that is a link is classed by where it
            # is (and a link that loops cannot be resolved).
            path = path.parent.resolve() / path.name
            if path.name.startswith(".") or path.name.endswith("~"):
                continue  # editors' swap and backup files
            if path.parent == self.project.content_dir and path.suffix == ".md":
                content.add(path)
            elif path.is_relative_to(self.project.seeds_dir):
                seeds.add(path.name)
            elif path.is_relative_to(self.project.templates_dir):
                templates = True
            elif path == self.project.settings_file:
                settings = True
        return content, seeds, templates, settings
