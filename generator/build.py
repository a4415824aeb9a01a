"""The pipeline, top to bottom: load → validate → render → write.

`check` stops after validation; `build` goes all the way. Nothing is written unless every file
is valid and every page rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.article import ArticleParser
from generator.errors import ContentError, Problem
from generator.load import parse_yaml_file, read_source
from generator.project import Project
from generator.render import render_site
from generator.schema import Explainer, Settings
from generator.validate import validate, validate_settings, with_base_url
from generator.write import write_site


@dataclass(frozen=True)
class CheckedSite:
    settings: Settings
    explainers: tuple[Explainer, ...]


@dataclass(frozen=True)
class BuildResult:
    explainers: tuple[Explainer, ...]
    files: int
    out_dir: Path


def content_files(project: Project) -> list[Path]:
    if not project.content_dir.is_dir():
        raise ContentError([Problem("content/", None, None, "folder",
                                    f"no content folder at {project.content_dir}")])
    files = sorted(project.content_dir.glob("*.md"))
    if not files:
        raise ContentError([Problem("content/", None, None, "folder",
                                    "no .md files to build; start one with 'explainer new'")])
    return files


def load_settings(project: Project, base_url: str | None = None) -> Settings:
    """The site settings (defaults when there is no settings file), or ContentError."""
    path = project.settings_file
    node = parse_yaml_file(path.read_bytes(), project.display(path)) if path.is_file() else None
    settings = validate_settings(node, project.display(path))
    if base_url is None:
        return settings
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ContentError([Problem("--base-url", None, None, "base_url",
                                    f"'{base_url}' is not a web address: use a full "
                                    "http:// or https:// URL")])
    return with_base_url(settings, base_url)


def load_explainer(project: Project, path: Path, parser: ArticleParser) -> Explainer:
    """Load and validate one content file (stages 1 and 2), or raise ContentError."""
    return validate(read_source(path, project.display(path)), parser, project.seeds_dir)


def duplicate_slugs(explainers: Iterable[Explainer]) -> list[Problem]:
    """Two files may not publish to the same address."""
    first: dict[str, Explainer] = {}
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


def build(project: Project, base_url: str | None = None) -> BuildResult:
    """Check everything, render every page, then swap the new site in."""
    site = check(project, base_url)
    files = render_site(site.explainers, project.templates_dir, site.settings)
    write_site(files, project.out_dir)
    return BuildResult(site.explainers, len(files), project.out_dir)
