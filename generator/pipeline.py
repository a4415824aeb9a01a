"""The pipeline, top to bottom: load → validate → render → write.

`check` stops after validation; `build` goes all the way, and writes the site only once every
file is valid and every file rendered. Nothing here remembers an earlier build: incremental.py
does that, beside this module, with the same functions.

The render stage (Jinja, the share cards, the search index) is imported by the functions that
render: a build that finds nothing changed, or `check`, does not load it.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.article import ArticleParser
from generator.errors import ContentError, Problem
from generator.lists import shown_in_lists
from generator.load import parse_source, parse_yaml_file
from generator.neighbours import compose, story_contexts
from generator.project import Project
from generator.schema import Explainer, Listing, Settings, card_path, page_path
from generator.stories import Story, stories_of
from generator.validate import is_web_address, validate, validate_settings, with_base_url
from generator.write import Written, write_site

if TYPE_CHECKING:
    import jinja2

# `map_files` of parallel.py, or this: every file in this process.
MapFiles = Callable[..., list]


def in_this_process(work: Callable, items: Sequence, setup: Callable) -> list:
    made = setup()
    return [work(made, item) for item in items]


@dataclass(frozen=True)
class Engines:
    """The Markdown parser and the templates: made once per process, used for every file."""

    parser: ArticleParser
    templates: jinja2.Environment


def make_engines(templates_dir: Path, bytecode_dir: Path | None = None) -> Engines:
    from generator.render import make_environment

    return Engines(ArticleParser(), make_environment(templates_dir, bytecode_dir))


@dataclass(frozen=True)
class Page:
    """One content file loaded, validated and rendered: its page (with the slots of a page in a
    story still to fill, neighbours.py), and what the site's other files show of it."""

    file: str  # as the project shows it
    listing: Listing
    item: bytes  # its entry on the home page (partials/listing.html), as UTF-8
    html: bytes
    sha: str  # of html
    seed: str
    seed_sha: str  # of the seed's bytes as validation read them
    # Its share card (share_card.py), made with the page where it has an address to be
    # shared at: only a site with a base URL can name it in og:image.
    card: bytes | None = None
    card_sha: str = ""


@dataclass(frozen=True)
class Built:
    settings: Settings
    explainers: int
    files: int
    rendered: int
    out_dir: Path
    written: Written


@dataclass(frozen=True)
class CheckedSite:
    settings: Settings
    explainers: tuple[Explainer, ...]


def build(project: Project, base_url: str | None = None,
          map_files: MapFiles = in_this_process) -> Built:
    """Check everything and render every file, then write the site."""
    from generator.render import fixed_files, make_environment, search_outputs, story_files

    settings = load_settings(project, base_url)
    made = map_files(functools.partial(make_page, project, settings), content_files(project),
                     functools.partial(make_engines, project.templates_dir))
    pages = checked_pages(made)
    env = make_environment(project.templates_dir)
    listings = [page.listing for page in pages]
    stories = stories_of(listings)
    contexts = story_contexts(stories)
    files = {page_path(page.listing): compose(env, page.html, contexts.get(page.file))
             for page in pages}
    files |= {card_path(page.listing): page.card for page in pages if page.card}
    files |= listed_files(env, settings, listings, stories,
                          {page.listing.slug: page.item for page in pages})
    files |= story_files(env, stories, settings)
    files |= fixed_files(env, settings, project.templates_dir)
    # Last: its search page is the one that finds (fixed_files' says there is no index).
    files |= search_outputs(env, settings, listings,
                            {page_path(p.listing): files[page_path(p.listing)] for p in pages})
    written = write_site(dict(sorted(files.items())), project.out_dir)
    return Built(settings, len(pages), len(files), len(pages), project.out_dir, written)


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


def make_page(project: Project, settings: Settings, engines: Engines, path: Path,
              card: bool = True) -> Page | ContentError:
    """Load, validate and render one content file, with its share card where the site has an
    address (not with `card` false: the caller draws it); its problems are returned, not
    raised, so that every file's are reported together."""
    from generator.render import render_explainer, render_listing_item
    from generator.share_card import share_card

    try:
        explainer = load_explainer(project, path, engines.parser)
        listing = Listing.of(explainer)
        env = engines.templates
        html = render_explainer(env, explainer, settings)
        png = share_card(listing, settings.title, settings.publisher) \
            if card and settings.base_url else None
        return Page(explainer.file, listing, render_listing_item(env, listing, settings),
                    html, hashlib.sha256(html).hexdigest(), explainer.seed, explainer.seed_sha,
                    png, hashlib.sha256(png).hexdigest() if png else "")
    except ContentError as err:
        return err


def checked_pages(made: Sequence[Page | ContentError]) -> list[Page]:
    """The pages, or ContentError with every file's problems and any slug used twice."""
    pages = [page for page in made if isinstance(page, Page)]
    problems = [p for err in made if isinstance(err, ContentError) for p in err.problems]
    problems += duplicate_slugs(page.listing for page in pages)
    if problems:
        raise ContentError(problems)
    return pages


def listed_files(env: jinja2.Environment, settings: Settings, listings: Sequence[Listing],
                 stories: Sequence[Story], items: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files that list every explainer (and `stories`, theirs: stories_of): the pages of
    the home page (from each one's entry, by slug), and those of what lists.py says the
    others show: the sitemap, the feed, the corrections page and its feed."""
    from generator.render import home_files, shown_files

    files = home_files(env, listings, stories, items, settings)
    for shown in shown_in_lists(listings, stories, settings).values():
        files |= shown_files(env, settings, shown)
    return files


def content_files(project: Project) -> list[Path]:
    """The content files, in order; ContentError when there are none."""
    return [project.content_dir / name for name in content_names(project)]


def content_names(project: Project) -> list[str]:
    """The names of the content files, in order; ContentError when there are none."""
    require_content_folder(project)
    found = sorted(name for name in _names_in(project.content_dir) if is_content_name(name))
    if not found:
        raise ContentError([Problem("content/", None, None, "folder",
                                    "no .md files to build; start one with 'explainer new'")])
    return found


def is_content_name(name: str) -> bool:
    """Whether a file of the content folder is an explainer, by its name."""
    # Names starting with '.' are editors' lock and swap files, as the shell's * skips them.
    return name.endswith(".md") and not name.startswith(".")


def _names_in(folder: Path) -> list[str]:
    """The names of the files in a folder, links that loop or lead nowhere included (they are
    reported as problems of that file)."""
    with os.scandir(folder) as entries:
        return [entry.name for entry in entries if entry.is_symlink() or entry.is_file()]


def require_content_folder(project: Project) -> None:
    """The build's problem when the project has no content folder, as a ContentError."""
    if not project.content_dir.is_dir():
        raise ContentError([Problem("content/", None, None, "folder",
                                    f"no content folder at {project.content_dir}")])


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


def load_explainer(project: Project, path: Path, parser: ArticleParser) -> Explainer:
    """Load and validate one content file (stages 1 and 2), or raise ContentError. A file that
    is a link not to follow (Project.link_problem) is a problem of that file, never read."""
    if problem := project.link_problem(path):
        raise ContentError([Problem(project.display(path), None, None, "file", problem)])
    return validate(parse_source(path.read_bytes(), project.display(path)), parser,
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
