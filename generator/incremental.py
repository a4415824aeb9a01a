"""The incremental layer: make again only what changed, for `build`, `build --watch` and `serve`
alike, beside the pipeline (pipeline.py), whose functions do all the work.

Each output file records what it was made from: a hash over the versions of its inputs, each
named: a content file or a seed (the hash of its bytes), "code" (the generator, the libraries
that shape a page, every template), "static" (the static files, which only their copies and
the 404 page show), "settings", "card:<content file>" (what its share card shows),
"listing:<content file>"
(what the site's lists show of that explainer: the pages of the home page list them all),
"shown:<kind>" (what the sitemap, the feed or the corrections page, which list every
explainer too, show of them all, lists.py: narrower, so they are made again only when that
changes), and "context:<content file>" (what its page shows of the other explainers of its
story: a page is composed again when that changes, and rendered again only when its own
inputs do). An output is made again exactly when the versions of its
inputs are not those it was made from, or when its bytes are needed and kept nowhere.

What a build knew is a Record (cache.py), saved in `.explainer-cache/` for the next process
and kept in memory (Memory) for the next build of a watching process, which then looks again
only at the files its watcher reported. When those are explainers and seeds it knew, the update
starts from the record kept and changes only what they change (_after_saves), without a loop
over every explainer: a save costs about the same in a site of a hundred and of ten thousand.
Any other change is worked out over every explainer (_whole); a test checks that the two give
the same.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import gc
import hashlib
import operator
import os
import stat
from collections.abc import Callable, Collection, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from generator import parallel, up_to_date
from generator.cache import (
    FOLDER,
    Made,
    ManifestId,
    PreviewFolder,
    Record,
    Source,
    Stored,
    bytecode_folder,
    code_fingerprint,
    generator_part,
    manifest_id,
    read_by_every_build,
    read_record,
    save_record,
    static_fingerprint,
)
from generator.errors import ContentError, Problem
from generator.lists import (
    HomePage,
    Placed,
    corrections_count,
    corrections_feed_version,
    corrections_page,
    corrections_placed,
    corrections_versions,
    home_pages,
    index_order,
    listed_versions,
    newest_corrections,
    shown_in,
    shown_kinds,
    shown_versions,
)
from generator.neighbours import StoryContext, compose, story_contexts
from generator.pipeline import (
    Built,
    Engines,
    Page,
    content_names,
    duplicate_slugs,
    is_content_name,
    load_settings,
    make_engines,
    make_page,
)
from generator.project import Project
from generator.schema import Listing, Settings, card_path, page_path
from generator.search import FOLDER as SEARCH_FOLDER
from generator.stories import Story, event_order, story_members, story_of
from generator.write import FileStamp, KnownFile, is_untouched, write_site

SHARED = ("code", "settings")
# Whether the bytes of an output (by its SHA-256) can be had without making it again.
Has = Callable[[str], bool]


def rendered_inputs(file: str, seed: str) -> tuple[str, ...]:
    """What an explainer's page is rendered from."""
    return ("page", *SHARED, file, f"seeds/{seed}")


def card_made_from(file: str, listing: Listing, drawing: str) -> str:
    """The made_from of an explainer's share card: what it shows of it
    (share_card.shown_on_card), with `drawing`, the version of what draws it (drawing_version)."""
    from generator.share_card import shown_on_card

    return made_from(("card", "drawing", f"card:{file}"), {
        "drawing": drawing, f"card:{file}": _version_of(repr(shown_on_card(listing)))})


def drawing_version(code: str, settings: Settings) -> str:
    """What draws a share card: the generator and its libraries (not the templates: a card
    is drawn without them), and the site's title and publisher, which the card names."""
    return _version_of(repr((generator_part(code), settings.title, settings.publisher)))


def page_inputs(file: str, seed: str) -> tuple[str, ...]:
    """What an explainer's page is made from: what it is rendered from, and what it shows of
    the other explainers of its story ("context:<file>", neighbours.py)."""
    return (*rendered_inputs(file, seed), f"context:{file}")


def home_inputs(page: HomePage) -> tuple[str, ...]:
    """What a page of the home page is made from (render.render_home_page): its number and
    the number of pages, and the explainers it lists, in order."""
    return ("home", f"{page.number}/{page.count}", *SHARED,
            *(f"listing:{e.file}" for _, members in page.groups for e in members))


def shown_inputs(kind: str) -> tuple[str, ...]:
    """What a file that lists explainers but the home page is made from (lists.py)."""
    return ("shown", kind, *SHARED, f"shown:{kind}")


def corrections_inputs(number: int, count: int) -> tuple[str, ...]:
    """What a page of the corrections page is made from: its number and the number of pages,
    and the version of what it shows ("corrections:<n>", lists.corrections_versions)."""
    return ("corrections", f"{number}/{count}", *SHARED, f"corrections:{number}")


def story_inputs(story: str, files: Collection[str]) -> tuple[str, ...]:
    """What a story's page is made from: its own explainers (render.story_files)."""
    return ("story", story, *SHARED, *(f"listing:{file}" for file in sorted(files)))


# The files that list no explainer (render.fixed_files): the static files' copies among them.
FIXED_INPUTS = ("fixed", *SHARED, "static")


def versions_want_cards(versions: Mapping[str, str]) -> bool:
    """Whether pages come with share cards: with the settings' base URL (see update)."""
    return versions.get("cards") == "yes"


def made_from(inputs: tuple[str, ...], versions: Mapping[str, str]) -> str:
    """A hash of the inputs' names and their versions now."""
    text = "\n".join(f"{name}\0{versions.get(name, '')}" for name in inputs)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Memory:
    """What a long-running process keeps from one build for the next."""

    record: Record
    # The manifest the record was saved as, if on disk; while `saved` is false, the manifest
    # the build that made the record started from, which a build of this process is to save.
    manifest: ManifestId | None = None
    engines: tuple[str, Engines] | None = None  # made for this code_fingerprint
    # Files saved since the last build that succeeded, to look at again; None: everything.
    pending: frozenset[Path] | None = frozenset()
    saved: bool = True
    basis: Callable[[], up_to_date.Basis] | None = None  # of the record, when it is saved

    def after_failure(self, changed: Collection[Path] | None) -> Memory:
        """This memory, with the files a failed build was asked to look at still to look at."""
        if self.pending is None or changed is None:
            return dataclasses.replace(self, pending=None)
        return dataclasses.replace(self, pending=self.pending | _resolved(changed))


@dataclass(frozen=True)
class Update:
    """What one update found: the new record (the site as before; the bytes of every output
    it made are in the job's store, kept as they were made), and the paths of the outputs it
    made or kept anew (None: any may differ from before)."""

    record: Record
    loaded: tuple[str, ...]  # the content files loaded again
    engines: tuple[str, Engines] | None
    remade: frozenset[str] | None = None
    # What it kept in the store that may be no output: the pages of a story before they were
    # composed with it.
    scratch: frozenset[str] = frozenset()

    @property
    def shas(self) -> Mapping[str, str]:
        """Every output's SHA-256, by its path."""
        return _Shas(self.record.outputs)


@dataclass(frozen=True)
class Job:
    """What an update needs besides the record: where it runs and with what."""

    project: Project
    settings: Settings
    # Where the pages and cards are kept as they are made, by the process that makes them:
    # a build of thousands holds none of their bytes in memory.
    stored: Stored
    bytecode: Path | None = None  # where Jinja keeps compiled templates, if anywhere
    jobs: int = 0
    progress: parallel.Progress | None = None


def build(project: Project, base_url: str | None = None, jobs: int = 0,
          progress: parallel.Progress | None = None) -> Built:
    """Build the site into project.out_dir, making again only what changed since the last
    build (as `.explainer-cache/` remembers it)."""
    return rebuild(project, base_url, None, None, jobs=jobs, progress=progress)[0]


def rebuild(project: Project, base_url: str | None, memory: Memory | None,
            changed: Collection[Path] | None, *, jobs: int = 0, site_as_left: bool = False,
            progress: parallel.Progress | None = None, search: bool = True, save: bool = True
            ) -> tuple[Built, Memory]:
    """`build`, for a process that built before: with `memory`, what its last build
    returned, `changed` (the files saved since; None: look at everything) is all it looks at
    again. With `site_as_left`, the caller vouches that nothing but this process has written
    the site since, so its files are not looked at one by one. Without `save`, the record is
    not saved as the manifest yet: the next build that saves does, or save_unsaved."""
    read = up_to_date.stamps(read_by_every_build(project))  # before any is read
    settings = load_settings(project, base_url)
    before, look, identity = _remembered(project, memory, changed)
    previous = before.site if before.out_dir == str(project.out_dir) else {}
    only = ["/"] if site_as_left and look is not None else None
    untouched = is_untouched(project.out_dir, previous, only)
    stored = Stored.in_cache(project)
    have = lambda sha: untouched or sha in stored  # noqa: E731
    job = Job(project, settings, stored, bytecode_folder(project), jobs, progress)
    change = update(job, before, look, memory.engines if memory else None, have,
                    at_hand=untouched)
    site = project.out_dir if untouched else None
    change = _searched(job, before, change, _Outputs(change.shas, stored, site),
                       have) if search else _search_as_before(before, change, have)
    files = _Outputs(change.shas, stored, site)
    written = write_site(files, project.out_dir, change.shas, previous if untouched else None)
    record = dataclasses.replace(change.record, site=written.site,
                                 out_dir=str(project.out_dir))
    on_disk = record == before and identity is not None and (
        memory is None or memory.saved or before is not memory.record)
    saved = identity if on_disk or not save else save_record(project, record)
    stored.keep_only(set(change.shas.values()))
    built = Built(settings, len(record.sources), len(change.shas), len(change.loaded),
                  project.out_dir, written)
    # Worked out only when saved: a watch's saves leave that to the check after them.
    basis = functools.partial(_basis, project, base_url, read, record, built)
    if save and saved is not None:
        up_to_date.save(str(project.root / FOLDER), saved, basis())
    return built, Memory(record, saved, change.engines, saved=on_disk or save, basis=basis)


def save_unsaved(project: Project, memory: Memory) -> None:
    """Save the record a build left unsaved (rebuild without `save`) as the manifest, unless
    another build has saved one since."""
    if not memory.saved and memory.manifest == manifest_id(project):
        saved = save_record(project, memory.record)
        if memory.basis is not None:
            up_to_date.save(str(project.root / FOLDER), saved, memory.basis())


def _basis(project: Project, base_url: str | None, read: dict[str, up_to_date.Stamp],
           record: Record, built: Built) -> up_to_date.Basis:
    """What the next command needs to tell that a build would find nothing to do."""
    root = str(project.root)
    read = read | {os.path.join(root, name): tuple(known.stamp)
                   for name, known in record.files.items()}
    return up_to_date.Basis((str(project.out_dir), base_url), read,
                            {path: tuple(known.stamp) for path, known in record.site.items()},
                            built.explainers, built.files, bool(built.settings.base_url))


def _remembered(project: Project, memory: Memory | None, changed: Collection[Path] | None
                ) -> tuple[Record, frozenset[Path] | None, ManifestId | None]:
    """The record to start from, the files to look at again (None: every file) and the
    manifest the record is: the memory's while the manifest is the one it saved (no other
    build ran since), else the manifest's."""
    if memory is not None and memory.manifest == manifest_id(project):
        return memory.record, _to_look_at(memory, changed), memory.manifest
    record, identity = read_record(project)
    return record, None, identity


def _to_look_at(memory: Memory | None, changed: Collection[Path] | None
                ) -> frozenset[Path] | None:
    """The files a build after `memory` must look at again: those saved since, and those
    a failed build was to look at; None: every file."""
    if memory is None or changed is None or memory.pending is None:
        return None
    return memory.pending | _resolved(changed)


def _resolved(paths: Collection[Path]) -> frozenset[Path]:
    """The paths with their folders resolved, as the project's are, so that the update after
    saves knows them (_saved_files); not the files: a file that is a link is classed by where
    it is."""
    return frozenset(path.parent.resolve() / path.name for path in paths)


def update(job: Job, before: Record, look: frozenset[Path] | None,
           engines: tuple[str, Engines] | None, have: Has, at_hand: bool = False) -> Update:
    """Load and render again what changed since `before`; ContentError with every problem.
    `at_hand`: the caller knows that every output of `before` can be had; then, after saves of
    explainers and seeds, `before` is changed only where they change it (_after_saves)."""
    code = _code_now(job.project, before, look)
    files = _looked_at(job.project, before.files, look)
    saved = _saved_files(job.project, before, look, files) if at_hand else None
    rendered: list[Kept] = []
    if saved is not None:
        patched = _after_saves(job, before, saved, engines, have, code, files)
        if isinstance(patched, Update):
            return patched
        rendered, engines = patched
    return _whole(job, before, engines, have, code, files, rendered)


def _whole(job: Job, before: Record, engines: tuple[str, Engines] | None, have: Has,
           code: str, files: dict[str, KnownFile], rendered: list[Kept]) -> Update:
    """The update worked out over every explainer and every file of the site, with the
    pages `rendered` already (by _after_saves, which found it could not go on)."""
    project, settings = job.project, job.settings
    versions = _versions_of(project, settings, code, files)
    names = [f"{project.content_dir.name}/{name}" for name in content_names(project)]
    made_before = _by_inputs(before)
    differing = _differing(before, versions)
    done = {page.file for page in rendered}
    todo = [name for name in names
            if name not in done and _stale_page(before, name, versions, have, differing)]
    engines = _engines_for(code, engines, job) if todo else engines
    made: list[Kept | ContentError] = [*rendered, *_render_pages(
        job, todo, engines, _Cards.of(before, todo, versions, job.stored))]
    todo += done
    sources = _sources(before, names, made, versions)
    if not todo and _as_recorded_will_do(before, sources, versions, made_before, have):
        return _as_recorded(dataclasses.replace(before, code=code, files=files), engines)
    versions |= {f"listing:{name}": source.version for name, source in sources.items()}
    told = _stories(before.stories, [source.listing for source in sources.values()])
    versions |= {f"context:{name}": _NO_CONTEXT for name in sources}
    for story in told.values():
        versions |= story.versions
    lists = _lists_of(index_order([source.listing for source in sources.values()]))
    versions |= _shown(lists, sources, told, shown_kinds(settings))
    # Pages whose story changed around them: rendered again (their bytes before composing
    # are kept nowhere), as few as a story's explainers.
    rendered = set(todo)
    differing = _differing(before, versions)
    again = [name for name in sources if name not in rendered
             and _stale_composition(before, name, sources[name], versions, differing)]
    if again:
        engines = _engines_for(code, engines, job)
        made += _render_pages(job, again, engines,
                              _Cards.of(before, again, versions, job.stored))
    pages = _pages(made)
    outputs = _page_outputs(before, sources, pages) | _made_pages(
        pages, versions, functools.partial(_composed, engines, told, job.stored))
    made_now, engines = _make_groups(job, code, engines, _groups(sources, lists, told, settings),
                                     versions, lambda digest: _kept(made_before, digest, have))
    record = Record(code, files | _seeds_as_read(files, made), sources, outputs | made_now,
                    before.site, before.out_dir, before.rows, stories=told, versions=versions,
                    lists=lists)
    return Update(record, (*todo, *again), engines)


def _versions_of(project: Project, settings: Settings, code: str,
                 files: Mapping[str, KnownFile]) -> dict[str, str]:
    """The versions of the content files and seeds, and of what they are all read with."""
    return {name: known.sha for name, known in files.items()} | _shared_versions(
        project, settings, code)


def _shared_versions(project: Project, settings: Settings, code: str) -> dict[str, str]:
    """The versions of what many outputs are made from: what a change to one changes is
    worked out by the whole update."""
    return {"code": code, "settings": _version_of(repr(settings)),
            "cards": "yes" if settings.base_url else "no", "static": static_fingerprint(project),
            "drawing": drawing_version(code, settings)}



def _code_now(project: Project, before: Record, look: frozenset[Path] | None) -> str:
    """The code's version (code_fingerprint), as before while no template was saved."""
    if look is not None and before.code and not any(
            path.is_relative_to(project.templates_dir) for path in look):
        return before.code
    return code_fingerprint(project)


def _as_recorded_will_do(before: Record, sources: Mapping[str, Source],
                         versions: Mapping[str, str], made_before: Mapping[str, object],
                         have: Has) -> bool:
    """With no page to make, whether every output is as `before` (read from the manifest)
    records it: the same explainers, every output at hand, the static files as they were."""
    return not before.versions and sources.keys() == before.sources.keys() and all(
        have(made.sha) for made in before.outputs.values()) and made_from(
        FIXED_INPUTS, versions) in made_before


def _as_recorded(before: Record, engines: tuple[str, Engines] | None) -> Update:
    """The update of a record read from the manifest when no page is to be made: what every
    other output is made from (the pages' listings, the code, the settings, the static files)
    is as it was,
    and so is every output; working out the stories and lists again would change nothing.
    The search index and page are the search stage's (_searched, or as it was)."""
    return Update(before, (), engines)


def _of_search(path: str) -> bool:
    """Whether an output is the search stage's: the search page or the index."""
    return path == "search/index.html" or path.startswith(f"{SEARCH_FOLDER}/")


class Told(NamedTuple):
    """A story worked out from its explainers (stories.story_of), with what each of their
    pages shows of it (neighbours.story_contexts) and the version of that."""

    explainers: tuple[Listing, ...]
    story: Story
    contexts: dict[str, StoryContext]  # by content file
    versions: dict[str, str]  # of each context, as the input "context:<content file>"


_NO_CONTEXT = hashlib.sha256(repr(None).encode()).hexdigest()  # a page in no story


def _stories(known: Mapping[str, Told], listings: list[Listing]) -> dict[str, Told]:
    """Each story of the listings, by its id: as `known` has it while its explainers are
    the same, else worked out again."""
    return {ident: _told(ident, explainers, known.get(ident))
            for ident, explainers in story_members(listings).items()}


def _told(ident: str, explainers: tuple[Listing, ...], known: Told | None) -> Told:
    """A story of these explainers (in event_order): `known` if it has the same."""
    if known is not None and known.explainers == explainers:
        return known
    story = story_of(ident, explainers)
    contexts = story_contexts([story])
    return Told(explainers, story, contexts, {f"context:{name}": _version_of(repr(context))
                                             for name, context in contexts.items()})


class Lists(NamedTuple):
    """The order of the site's lists, as an update worked it out, kept with its record for
    the next update in the same process (_after_saves)."""

    ordered: list[Listing]  # lists.index_order
    position: dict[str, int]  # each explainer's in `ordered`, by content file
    home: list[HomePage]  # lists.home_pages
    home_of: dict[str, int]  # the page of `home` that lists each explainer, by content file
    corrections: list[Placed]  # lists.corrections_placed


def _lists_of(ordered: list[Listing]) -> Lists:
    home = home_pages(ordered)
    return Lists(ordered, {listing.file: n for n, listing in enumerate(ordered)}, home,
                 {e.file: n for n, page in enumerate(home) for _, members in page.groups
                  for e in members}, corrections_placed(ordered))


def _shown(lists: Lists, sources: Mapping[str, Source], told: Mapping[str, Told],
           kinds: Collection[str]) -> dict[str, str]:
    """The versions of what the files of `kinds` (lists.shown_kinds) show, as the inputs
    "shown:<kind>" (for the corrections page, of its feed: its pages have theirs,
    "corrections:<n>")."""
    def listed(listing: Listing) -> Mapping[str, str]:
        return sources[listing.file].listed

    versions = {f"shown:{kind}": version for kind, version in shown_versions(
        lists.ordered, listed, [story.story for story in told.values()],
        [kind for kind in kinds if kind != "corrections"]).items()}
    if "corrections" in kinds:
        versions["shown:corrections"] = corrections_feed_version(
            lists.ordered, lists.corrections, listed)
        pages = corrections_versions(lists.ordered, lists.corrections, listed)
        versions |= {f"corrections:{n}": version for n, version in enumerate(pages, 1)}
    return versions


class Kept(NamedTuple):
    """A content file's page as the process that made it kept it (_make_and_keep): the
    page's bytes, before it is composed with its story, and its card's are in the store by
    their hashes; the rest is what the site's lists show of it (pipeline.Page, but the bytes)."""

    file: str
    listing: Listing
    item: bytes
    sha: str
    seed: str
    seed_sha: str
    card_sha: str  # "" without a card


class _Cards(NamedTuple):
    """The share cards of the pages about to be rendered as they were made before, by
    content file, and what draws a card now: a card whose made_from is the same is not drawn
    again."""

    drawing: str  # drawing_version
    before: dict[str, Made]

    @classmethod
    def of(cls, record: Record, names: list[str], versions: Mapping[str, str],
           stored: Stored) -> _Cards:
        """Those in the store (a card may be reused at a new address: its bytes must be had
        from the store), none after the code changed (they are all drawn again)."""
        drawing = versions["drawing"]
        if generator_part(record.code) != generator_part(versions["code"]):
            return cls(drawing, {})  # every card is drawn again
        cards = {name: record.outputs.get(card_path(record.sources[name].listing))
                 for name in names if name in record.sources}
        return cls(drawing, {name: made for name, made in cards.items()
                            if made and made.sha in stored})


def _render_pages(job: Job, names: list[str], engines: tuple[str, Engines] | None,
                  cards: _Cards) -> list[Kept | ContentError]:
    """Each content file of `names` loaded, validated and rendered (pipeline.make_page), in
    worker processes when there are many."""
    project = job.project
    made = parallel.map_files(
        functools.partial(_make_and_keep, job.stored, cards, project, job.settings),
        [project.root / name for name in names],
        functools.partial(make_engines, project.templates_dir, job.bytecode), job.jobs,
        job.progress, here=engines[1] if engines else None)
    job.stored.known_to_hold(sha for page in made if isinstance(page, Kept)
                             for sha in (page.sha, page.card_sha) if sha)
    return made


def _composed(engines: tuple[str, Engines] | None, told: Mapping[str, Told], stored: Stored,
              page: Kept) -> str:
    """The SHA-256 of a page rendered now, with what it shows of its story
    (neighbours.compose; `told`: the stories by id), kept in the store."""
    story = told.get(page.listing.story) if page.listing.story else None
    context: StoryContext | None = story.contexts.get(page.file) if story else None
    if context is None:  # in no story: rendered without slots
        return page.sha
    assert engines is not None  # a page was rendered, so engines were made
    html = compose(engines[1].templates, stored.read(page.sha), context)
    sha = _sha(html)
    stored.keep([(sha, html)])
    return sha


def _searched(job: Job, before: Record, change: Update, read: Mapping[str, bytes],
              have: Has) -> Update:
    """The update with the search index, shard by shard (search.shards), and the search page,
    each made again when one of its pages changed. Only a build written to disk indexes: the
    index is made from the explainer pages, which `serve`, saving after saving, does not
    wait for. The page's filters (each explainer's title, date, story, statuses and actors)
    are all shown on the explainer's page, so its bytes stand for them."""
    from generator.search import index_shards, shards

    pages = sorted(page_path(source.listing) for source in change.record.sources.values())
    parts = shards(pages)
    made_before, kept = _by_inputs(before), {}
    again: dict[str, tuple[str, list[str]]] = {}  # the shards to index again, by digest
    for folder, paths in parts:
        digest = _version_of("\n".join([folder, change.record.code, job.settings.language,
                                         *(f"{path}\0{change.shas[path]}" for path in paths)]))
        shard = _kept(made_before, digest, have)
        if shard is None:
            again[digest] = (folder, paths)
        else:
            kept |= shard
    bundles = index_shards([(folder, {path: read[path] for path in paths})
                            for folder, paths in again.values()], job.settings.language)
    for digest, bundle in zip(again, bundles, strict=True):
        kept |= _keep(job.stored, digest, bundle)
    digest = _version_of("\n".join(["search", change.record.code, repr(job.settings),
                                     *(folder for folder, _ in parts),
                                     *(f"{path}\0{change.shas[path]}" for path in pages)]))
    page = _kept(made_before, digest, have)
    if page is None:
        from generator.render import search_page

        engines = _engines_for(change.record.code, change.engines, job)
        listings = [source.listing for source in change.record.sources.values()]
        page = _keep(job.stored, digest, {"search/index.html": search_page(
            engines[1].templates, job.settings, listings, [folder for folder, _ in parts])})
    record = dataclasses.replace(change.record,
                                 outputs=_unsearched(change.record.outputs) | kept | page)
    return dataclasses.replace(change, record=record, remade=None)


def _search_as_before(before: Record, change: Update, have: Has) -> Update:
    """The update with the search index the last build made, as it was: indexing every page
    takes seconds at a thousand explainers, too long to wait for after each save."""
    kept = {path: made for path, made in before.outputs.items()
            if _of_search(path) and have(made.sha)}
    if "search/index.html" not in kept:  # an index without its page is none
        kept = {}
    record = dataclasses.replace(change.record, outputs=_unsearched(change.record.outputs) | kept)
    return dataclasses.replace(change, record=record, remade=None)


def _unsearched(outputs: dict[str, Made]) -> dict[str, Made]:
    """The outputs but the search stage's (updates from a record keep them)."""
    return {path: made for path, made in outputs.items() if not _of_search(path)}


def _make_and_keep(stored: Stored, cards: _Cards, project: Project, settings: Settings,
                   engines: Engines, path: Path) -> Kept | ContentError:
    """make_page, with the page and its card kept in the store by the process that made it,
    and handed back as Kept, without their bytes (a page in a story is read back to be
    composed with it, neighbours.py; what is no output is dropped from the store after the
    update). A card is drawn again only when what it is made from changed (`cards`)."""
    page = make_page(project, settings, engines, path, card=False)
    if not isinstance(page, Page):
        return page
    stored.put(page.sha, page.html)
    card_sha = ""
    if settings.base_url:
        before = cards.before.get(page.file)
        if before is not None and before.inputs == card_made_from(page.file, page.listing,
                                                                   cards.drawing):
            card_sha = before.sha
        else:
            from generator.share_card import share_card

            png = share_card(page.listing, settings.title, settings.publisher)
            card_sha = _sha(png)
            stored.put(card_sha, png)
    return Kept(page.file, page.listing, page.item, page.sha, page.seed, page.seed_sha, card_sha)


def _engines_for(code: str, engines: tuple[str, Engines] | None, job: Job
                 ) -> tuple[str, Engines]:
    """The engines made for this code: those given, if they were, else new ones."""
    if engines is None or engines[0] != code:
        return code, make_engines(job.project.templates_dir, job.bytecode)
    return engines


def _stale_page(before: Record, name: str, versions: Mapping[str, str], have: Has,
                differing: AbstractSet[str] | None) -> bool:
    """Whether a content file's page must be made again."""
    source = before.sources.get(name)
    if source is None:
        return True
    made = before.outputs.get(page_path(source.listing))
    if made is None or _changed(rendered_inputs(name, source.seed), versions,
                                source.rendered_from, differing) or not have(made.sha):
        return True
    # Its share card is made with it (_make_and_keep), when the site has a base URL.
    card = before.outputs.get(card_path(source.listing))
    wanted = versions_want_cards(versions)
    return (card is not None) != wanted or (card is not None and not have(card.sha))


def _stale_composition(before: Record, name: str, source: Source,
                       versions: Mapping[str, str], differing: AbstractSet[str] | None) -> bool:
    """Whether a page rendered as before must be composed with its story again."""
    made = before.outputs.get(page_path(source.listing))
    return made is None or _changed(page_inputs(name, source.seed), versions, made.inputs,
                                    differing)


def _story_changed(sources: Mapping[str, Source], differing: AbstractSet[str]) -> list[str]:
    """The pages whose story may show differently around them (`differing`: the inputs
    changed)."""
    return sorted(name for key in differing if key.startswith("context:")
                  and (name := key.removeprefix("context:")) in sources)


def _differing(before: Record, versions: Mapping[str, str]) -> frozenset[str] | None:
    """After an update in this process, whose versions `before` keeps: the inputs whose
    versions are not those then. None for a record read from the manifest."""
    if not before.versions:
        return None
    then = before.versions
    return frozenset({name for name, version in versions.items() if then.get(name) != version}
                     | (then.keys() - versions.keys()))


def _changed(inputs: tuple[str, ...], versions: Mapping[str, str], made_then: str,
             differing: AbstractSet[str] | None) -> bool:
    """Whether the versions of the inputs are not those an output was made from (`made_then`,
    their made_from then): after an update in this process, as `differing` says, else by
    hashing them all."""
    if differing is not None:
        return not differing.isdisjoint(inputs)
    return made_then != made_from(inputs, versions)


def _sources(before: Record, names: list[str], made: list[Kept | ContentError],
             versions: Mapping[str, str]) -> dict[str, Source]:
    """What each content file gives the lists: as loaded now, or as before; ContentError
    with every file's problems, and any slug used twice."""
    problems = [p for err in made if isinstance(err, ContentError) for p in err.problems]
    new = {page.file: _source(page, versions) for page in made if isinstance(page, Kept)}
    sources = {name: new.get(name) or before.sources[name] for name in names
               if name in new or name in before.sources}
    problems += duplicate_slugs(source.listing for source in sources.values())
    if problems:
        raise ContentError(problems)
    return sources


def _pages(made: list[Kept | ContentError]) -> dict[str, Kept]:
    """The pages rendered, by content file; ContentError with every problem, if any."""
    problems = [p for err in made if isinstance(err, ContentError) for p in err.problems]
    if problems:
        raise ContentError(problems)
    return {page.file: page for page in made if isinstance(page, Kept)}


def _source(page: Kept, versions: Mapping[str, str]) -> Source:
    """What a page rendered now gives the lists."""
    return Source(page.seed, page.listing, page.item, _version_of(repr((page.listing, page.item))),
                  made_from(rendered_inputs(page.file, page.seed), versions),
                  listed_versions(page.listing))


def _page_outputs(before: Record, sources: dict[str, Source], pages: Mapping[str, Kept]
                  ) -> dict[str, Made]:
    """The page (and share card) of each explainer not among `pages`, as before."""
    outputs = {}
    for name, source in sources.items():
        if name not in pages:
            path, card = page_path(source.listing), card_path(source.listing)
            outputs[path] = before.outputs[path]
            if card in before.outputs:
                outputs[card] = before.outputs[card]
    return outputs


def _made_pages(pages: Mapping[str, Kept], versions: Mapping[str, str],
                composed: Callable[[Kept], str]) -> dict[str, Made]:
    """The page (and share card) of each explainer of `pages`, as made now (`composed`: its
    SHA-256, composed with its story and kept in the store)."""
    outputs = {}
    for name, page in pages.items():
        outputs[page_path(page.listing)] = Made(made_from(page_inputs(name, page.seed),
                                                          versions), composed(page))
        if page.card_sha:
            outputs[card_path(page.listing)] = Made(
                card_made_from(name, page.listing, versions["drawing"]), page.card_sha)
    return outputs


def _by_inputs(before: Record) -> dict[str, dict[str, Made]]:
    """The outputs of the last build grouped by what they were made from."""
    grouped: dict[str, dict[str, Made]] = {}
    for path, made in before.outputs.items():
        grouped.setdefault(made.inputs, {})[path] = made
    return grouped


def _kept(made_before: dict[str, dict[str, Made]], inputs: str, have: Has
          ) -> dict[str, Made] | None:
    """The outputs made from these inputs before (`made_before`: _by_inputs), if there are
    any and their bytes can be had; None if they must be made again."""
    kept = made_before.get(inputs)
    return kept if kept and all(have(made.sha) for made in kept.values()) else None


# How to make a group of outputs, from the job and the engines.
Make = Callable[[Job, Engines], dict[str, bytes]]
# The outputs made from several explainers, or from none, in groups, each with the inputs it
# is made from: outputs made together from the same inputs are made again together.
Group = tuple[tuple[str, ...], Make]


def _groups(sources: Mapping[str, Source], lists: Lists, told: Mapping[str, Told],
            settings: Settings) -> list[Group]:
    """Every group: the pages of the home page, the other files that list every explainer,
    the files that list none, and each story's page."""
    return [*(_home_group(page, sources, told) for page in lists.home),
            *(_shown_group(kind, lists, told) for kind in shown_kinds(settings)),
            *_corrections_groups(lists),
            (FIXED_INPUTS, _fixed_files),
            *(_story_group(ident, story) for ident, story in told.items())]


def _home_group(page: HomePage, sources: Mapping[str, Source], told: Mapping[str, Told]
                ) -> Group:
    items = {e.slug: sources[e.file].item for _, members in page.groups for e in members}
    stories = {ident: told[ident].story for ident, _ in page.groups if ident is not None}
    return home_inputs(page), functools.partial(_home_page, page, stories, items)


def _shown_group(kind: str, lists: Lists, told: Mapping[str, Told]) -> Group:
    return shown_inputs(kind), functools.partial(_shown_files, kind, lists, told)


def _corrections_groups(lists: Lists) -> list[Group]:
    """Each page of the corrections page."""
    count = corrections_count(lists.corrections)
    return [(corrections_inputs(n, count), functools.partial(_corrections_page, lists, n))
            for n in range(1, count + 1)]


def _story_group(ident: str, story: Told) -> Group:
    return (story_inputs(ident, [explainer.file for explainer in story.explainers]),
            functools.partial(_story_files, story.story))


def _make_groups(job: Job, code: str, engines: tuple[str, Engines] | None,
                 groups: list[Group], versions: Mapping[str, str],
                 kept: Callable[[str], dict[str, Made] | None]
                 ) -> tuple[dict[str, Made], tuple[str, Engines] | None]:
    """The outputs of the groups, as made before (`kept`, by their made_from, when at hand)
    or made now and kept in the store, with the engines they were made with."""
    outputs: dict[str, Made] = {}
    for inputs, make in groups:
        digest = made_from(inputs, versions)
        found = kept(digest)
        if found is None:
            engines = _engines_for(code, engines, job)
            found = _keep(job.stored, digest, make(job, engines[1]))
        outputs |= found
    return outputs, engines


def _keep(stored: Stored, digest: str, made: dict[str, bytes]) -> dict[str, Made]:
    """Outputs made from the inputs of this made_from, kept in the store as they are made:
    the bytes of a large site's lists are not all held in memory at once."""
    outputs = {path: Made(digest, _sha(data)) for path, data in made.items()}
    stored.keep((outputs[path].sha, data) for path, data in made.items())
    return outputs


# The render stage is imported when something is made: not by a build that makes nothing.

def _home_page(page: HomePage, stories: Mapping[str, Story], items: dict[str, bytes], job: Job,
               engines: Engines) -> dict[str, bytes]:
    from generator.render import render_home_page

    return {page.path: render_home_page(engines.templates, page, stories, items, job.settings)}


def _shown_files(kind: str, lists: Lists, told: Mapping[str, Told], job: Job,
                 engines: Engines) -> dict[str, bytes]:
    from generator.render import corrections_feed, shown_files

    if kind == "corrections":  # the feed: the pages are made one by one (_corrections_groups)
        return corrections_feed(engines.templates, job.settings,
                                newest_corrections(lists.ordered, lists.corrections))
    shown = shown_in(kind, lists.ordered, [story.story for story in told.values()],
                     job.settings)
    return shown_files(engines.templates, job.settings, shown)


def _corrections_page(lists: Lists, number: int, job: Job, engines: Engines
                      ) -> dict[str, bytes]:
    from generator.render import corrections_page as render_page

    page = corrections_page(lists.ordered, lists.corrections, number)
    return {page.path: render_page(engines.templates, job.settings, page)}


def _fixed_files(job: Job, engines: Engines) -> dict[str, bytes]:
    from generator.render import fixed_files

    return fixed_files(engines.templates, job.settings, job.project.templates_dir)


def _story_files(story: Story, job: Job, engines: Engines) -> dict[str, bytes]:
    from generator.render import story_files

    return story_files(engines.templates, [story], job.settings)


def _seeds_as_read(files: dict[str, KnownFile], made: list[Kept | ContentError]
                   ) -> dict[str, KnownFile]:
    """Each seed a page was checked against, with the hash of the bytes validation read and
    the stamp from before: a seed saved meanwhile has another stamp, and is read again."""
    pages = [page for page in made if isinstance(page, Kept)]
    return {f"seeds/{page.seed}": files[f"seeds/{page.seed}"]._replace(sha=page.seed_sha)
            for page in pages if f"seeds/{page.seed}" in files}


# ------------------------------------------------------------------- after saves

def _saved_files(project: Project, before: Record, look: frozenset[Path] | None,
                 files: Mapping[str, KnownFile]) -> list[str] | None:
    """The files saved (`look`), by name, when `before` was made by an update in this process
    (it keeps its lists) and each of them is in the content or seeds folder: an explainer it
    listed, still there, or a file that is no explainer (a seed, or an editor's temporary
    file); else None."""
    if look is None or before.lists is None:
        return None
    saved = []
    for path in look:
        name = f"{path.parent.name}/{path.name}"
        if path.parent == project.content_dir and is_content_name(path.name):
            if name not in before.sources or name not in files:  # a new or deleted explainer
                return None
        elif path.parent != project.seeds_dir and path.parent != project.content_dir:
            return None
        saved.append(name)
    return saved


# What an update after saves hands the whole update when it cannot go on: the pages it
# rendered (not to be rendered twice), and the engines.
GivenUp = tuple[list[Kept], tuple[str, Engines] | None]


def _after_saves(job: Job, before: Record, saved: list[str],
                 engines: tuple[str, Engines] | None, have: Has, code: str,
                 files: dict[str, KnownFile]) -> Update | GivenUp:
    """The update after saves of explainers and seeds (_saved_files), made from `before` by
    changing only what they change, found by the inputs whose versions changed where _whole
    looks at every explainer: the pages saved (and those whose seed was), the lists and
    stories they are in (_listed_anew), and the pages of those stories and the files of those
    lists (_made_anew). GivenUp when a save changed what is worked out over every explainer:
    an input of every page, or where an explainer is listed (_placed). A test checks that it
    gives what _whole does."""
    versions, differing = dict(before.versions), set[str]()
    shared = _shared_versions(job.project, job.settings, code)
    _patch(versions, differing, shared | {name: files[name].sha for name in saved
                                          if name in files})
    for gone in (name for name in saved if name not in files and name in versions):
        del versions[gone]
        differing.add(gone)
    if not differing.isdisjoint(shared):
        return [], engines
    todo = [name for name in _pages_saved(before, saved, differing)
            if _stale_page(before, name, versions, have, differing)]
    if not todo:
        return Update(dataclasses.replace(before, files=files, versions=versions), (), engines,
                      frozenset())
    engines = _engines_for(code, engines, job)
    made = _render_pages(job, todo, engines, _Cards.of(before, todo, versions, job.stored))
    pages = _pages(made)
    if any(_placed(page.listing) != _placed(before.sources[name].listing)
           for name, page in pages.items()):
        return list(pages.values()), engines
    sources, told, lists, kinds = _listed_anew(job.settings, before, pages, versions,
                                               differing)
    again = [name for name in _story_changed(sources, differing) if name not in pages
             and _stale_composition(before, name, sources[name], versions, differing)]
    if again:  # their story changed around them
        made += _render_pages(job, again, engines,
                              _Cards.of(before, again, versions, job.stored))
        pages = _pages(made)
    outputs, engines = _made_anew(job, code, engines, pages, sources, told, lists, kinds,
                                  versions, differing)
    record = Record(code, files | _seeds_as_read(files, made), sources,
                    before.outputs | outputs, before.site, before.out_dir, before.rows,
                    stories=told, versions=versions, lists=lists)
    return Update(record, tuple(pages), engines, frozenset(outputs),
                  frozenset(page.sha for page in pages.values()))


def _listed_anew(settings: Settings, before: Record, pages: Mapping[str, Kept],
                 versions: dict[str, str], differing: set[str]
                 ) -> tuple[dict[str, Source], dict[str, Told], Lists, list[str]]:
    """What the site's lists and stories are with `pages` as rendered now, each in its place
    as before: the sources, the stories, the lists, and the kinds of lists.shown_kinds that
    may show something else. The versions of what they give (listings, stories' contexts,
    what the shown kinds show) are set in `versions`, and noted in `differing` if new."""
    sources = before.sources | {name: _source(page, versions) for name, page in pages.items()}
    _patch(versions, differing, {f"listing:{name}": sources[name].version for name in pages})
    idents = _stories_of(pages)
    told = before.stories | {ident: _told(ident, tuple(sorted(
        (sources[e.file].listing for e in before.stories[ident].explainers), key=event_order)),
        before.stories[ident]) for ident in idents}
    for ident in idents:
        _patch(versions, differing, told[ident].versions)
    assert before.lists is not None  # _saved_files: an update in this process made `before`
    lists = _relisted(before.lists, pages, sources)
    kinds = [kind for kind in shown_kinds(settings)
             if _shows_anew(kind, before, sources, pages, told, idents)]
    if "corrections" in kinds:  # a correction's day may have moved it
        lists = lists._replace(corrections=corrections_placed(lists.ordered))
    _patch(versions, differing, _shown(lists, sources, told, kinds))
    return sources, told, lists, kinds


def _made_anew(job: Job, code: str, engines: tuple[str, Engines] | None,
               pages: Mapping[str, Kept], sources: Mapping[str, Source],
               told: Mapping[str, Told], lists: Lists, kinds: list[str],
               versions: Mapping[str, str], differing: set[str]
               ) -> tuple[dict[str, Made], tuple[str, Engines] | None]:
    """The outputs made again after saves (_after_saves): the pages rendered, and the groups
    listing them (their page of the home page, their stories, the shown kinds) whose inputs
    changed."""
    outputs = _made_pages(pages, versions,
                          functools.partial(_composed, engines, told, job.stored))
    home = sorted({lists.home_of[name] for name in pages})
    idents = _stories_of(pages)
    groups = [group for group in (*(_home_group(lists.home[n], sources, told) for n in home),
                                  *(_shown_group(kind, lists, told) for kind in kinds),
                                  *(_corrections_groups(lists)
                                    if "corrections" in kinds else ()),
                                  *(_story_group(ident, told[ident]) for ident in idents))
              if not differing.isdisjoint(group[0])]
    made, engines = _make_groups(job, code, engines, groups, versions, lambda _: None)
    return outputs | made, engines


def _stories_of(pages: Mapping[str, Kept]) -> list[str]:
    """The stories these pages are in, by id, in order."""
    return sorted({page.listing.story for page in pages.values() if page.listing.story})


def _patch(versions: dict[str, str], differing: set[str], new: Mapping[str, str]) -> None:
    """Set these versions, noting in `differing` those that are not as they were."""
    differing.update(name for name, version in new.items() if versions.get(name) != version)
    versions.update(new)


def _pages_saved(before: Record, saved: list[str], differing: set[str]) -> list[str]:
    """The explainers whose content file or seed is among those saved with other bytes."""
    pages = [name for name in saved if name in differing and name in before.sources]
    seeds = {name.removeprefix("seeds/") for name in saved
             if name in differing and name.startswith("seeds/")}
    if seeds:
        pages += [name for name, source in before.sources.items()
                  if source.seed in seeds and name not in pages]
    return pages


def _placed(listing: Listing) -> tuple[str, str | None, datetime.date, int]:
    """What says where an explainer is listed: on which page of the home page, where in the
    lists, in which story; and how many corrections it has, which the number of the
    corrections page's pages is worked out from."""
    return listing.slug, listing.story, listing.published, len(listing.correction_days)


def _relisted(lists: Lists, pages: Mapping[str, Kept], sources: Mapping[str, Source]) -> Lists:
    """The lists with the listings of `pages` as they are now, each in its place."""
    ordered, home = list(lists.ordered), list(lists.home)
    for name, page in pages.items():
        ordered[lists.position[name]] = page.listing
    for n in {lists.home_of[name] for name in pages}:
        home[n] = home[n]._replace(groups=tuple(
            (ident, tuple(sources[e.file].listing for e in members))
            for ident, members in home[n].groups))
    return lists._replace(ordered=ordered, home=home)


def _shows_anew(kind: str, before: Record, sources: Mapping[str, Source],
                pages: Mapping[str, Kept], told: Mapping[str, Told], idents: list[str]
                ) -> bool:
    """Whether the file of a kind (lists.shown_kinds) may show something else now that
    `pages` were made again: what it shows of one of them, or, for the sitemap, the day
    one of their stories last changed."""
    return any(sources[name].listed[kind] != before.sources[name].listed[kind]
               for name in pages) or (kind == "sitemap" and any(
        told[ident].story.last_change != before.stories[ident].story.last_change
        for ident in idents))


# ------------------------------------------------------------------- looking at the files

def _looked_at(project: Project, before: dict[str, KnownFile], look: frozenset[Path] | None
               ) -> dict[str, KnownFile]:
    """Every content file and seed, with its stamp and hash: those `look` names (all, for
    None) looked at again, the others as before. By name, as strings: a site of thousands
    of files makes no Path of each."""
    folders = (project.content_dir, project.seeds_dir)
    if look is None or any(path.parent not in folders and not _read_anyway(project, path)
                           for path in look):
        names = [f"{folder.name}/{name}" for folder in folders for name in _names(folder)]
        return _known(project, names, before)
    looked = {f"{path.parent.name}/{path.name}" for path in look if path.parent in folders}
    kept = dict(before)  # a copy, not a loop over every file
    for name in looked:
        kept.pop(name, None)
    return kept | _known(project, sorted(looked), before)


def _read_anyway(project: Project, path: Path) -> bool:
    """Changed files every update reads or looks at anyway: templates and settings."""
    return path.is_relative_to(project.templates_dir) or path == project.settings_file


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _known(project: Project, names: list[str], before: dict[str, KnownFile]
           ) -> dict[str, KnownFile]:
    """The files of `names` (as the project shows them) that are there, each hashed again
    only if its stamp changed. A file that is a link not to follow gets no hash: what uses it
    is loaded again, and told."""
    found = {}
    root = str(project.root)
    for name in names:
        path = os.path.join(root, name)
        stamp = _stamp(path)
        if stamp is None:
            continue
        known = before.get(name)
        if known is not None and known.stamp == stamp:
            found[name] = known
        elif project.link_problem(Path(path)):
            found[name] = KnownFile(stamp, "")
        else:
            with open(path, "rb") as file:
                found[name] = KnownFile(stamp, _sha(file.read()))
    return found


def _stamp(path: str) -> FileStamp | None:
    """A file's stamp as reading it finds it (up_to_date.stat_of); None if there is no file
    there."""
    found = up_to_date.stat_of(path)
    return FileStamp.of(found) if found is not None and (
        stat.S_ISREG(found.st_mode) or stat.S_ISLNK(found.st_mode)) else None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _version_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class _Shas(Mapping[str, str]):
    """Each output's SHA-256 by its path, read from the record's outputs when asked for: after
    a save, no loop over every output of a large site."""

    def __init__(self, outputs: Mapping[str, Made]) -> None:
        self.outputs = outputs

    def __getitem__(self, path: str) -> str:
        return self.outputs[path].sha

    def __iter__(self) -> Iterator[str]:
        return iter(self.outputs)

    def __contains__(self, path: object) -> bool:
        return path in self.outputs

    def __len__(self) -> int:
        return len(self.outputs)


class _Outputs(Mapping[str, bytes]):
    """Every output's bytes, read only when written: as kept in the store, else from the site
    (`site`, when it is as the last build left it)."""

    def __init__(self, shas: Mapping[str, str], stored: Stored, site: Path | None) -> None:
        self.shas, self.stored, self.site = shas, stored, site

    def __getitem__(self, path: str) -> bytes:
        if self.shas[path] in self.stored:
            return self.stored.read(self.shas[path])
        assert self.site is not None, path
        return (self.site / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.shas)

    def __contains__(self, path: object) -> bool:
        return path in self.shas

    def __len__(self) -> int:
        return len(self.shas)


def set_aside_from_collections() -> None:
    """For a long-running process, after a build that made its engines (the first that
    rendered a page, or one after the code or a template changed): collect what the build
    dropped (the engines before), then move what is kept out of the collector's way, so that
    the collections a save sets off pass over what it made, not over every object of a large
    site. Only after such a build: what is set aside is never collected in a cycle (engines
    are cycles)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


# ------------------------------------------------------------------- the preview's site

@dataclass(frozen=True)
class Refresh:
    """What one refresh of the preview's site did: the site paths whose bytes changed, the
    content files loaded again, and whether it made its engines (set_aside_from_collections)."""

    changed: frozenset[str]
    reloaded: tuple[str, ...]
    new_engines: bool = False


class PreviewSite:
    """The site as the live preview serves it, brought up to date by the same update as
    `build`, its files kept by their hashes in a folder of its own (cache.PreviewFolder,
    deleted with it) rather than written to the output folder: memory holds what a save
    needs, not the pages of the whole site."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.problems: list[Problem] = []
        self._memory: Memory | None = None
        self._failed = False  # since the folder was last swept of what is no output
        self._folder = PreviewFolder(project)
        self._site = _Outputs({}, Stored(self._folder.path / "files"), None)

    @property
    def files(self) -> Mapping[str, bytes]:
        """Every file of the site by its path, read when asked for."""
        return self._site

    def refresh(self, changed: Collection[Path] | None = None) -> Refresh:
        """Bring the site up to date after `changed` files were saved (None: look at
        everything)."""
        stored = self._site.stored
        if self._memory is not None and not stored.folder.is_dir():
            # Deleted with the cache, say: everything is made again.
            self._memory, stored = None, Stored(stored.folder)
        memory = self._memory
        look = _to_look_at(memory, changed)
        try:
            job = Job(self.project, load_settings(self.project), stored,
                      bytecode_folder(self.project))
            # Every output of the last refresh is in the folder: it keeps exactly those.
            change = update(job, memory.record if memory else Record(), look,
                            memory.engines if memory else None, stored.__contains__,
                            at_hand=True)
        except ContentError as err:
            self.problems, self._failed = err.problems, True  # what it kept is no output
            if memory is not None:
                self._memory = memory.after_failure(changed)
            return Refresh(frozenset(), ())
        before, shas = self._site.shas, change.shas
        looked = change.remade if change.remade is not None else shas.keys() | before.keys()
        differ = {path for path in looked if shas.get(path) != before.get(path)}
        if change.remade is None or self._failed:
            stored.keep_only(set(shas.values()))
        else:  # what the paths changed held and scratch, unless an output holds it
            wanted = set(map(operator.itemgetter(1), change.record.outputs.values()))
            stored.drop(({before[path] for path in differ if path in before}
                         | change.scratch) - wanted)
        self._site, self.problems, self._failed = _Outputs(shas, stored, None), [], False
        self._memory = Memory(change.record, None, change.engines)
        return Refresh(frozenset(differ), change.loaded,
                       change.engines is not (memory.engines if memory else None))
