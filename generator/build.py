"""The pipeline, top to bottom: load → validate → render → write.

`check` stops after validation; `build` goes all the way. Nothing is written unless every file
is valid and every page rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.article import ArticleParser
from generator.errors import ContentError, Problem
from generator.load import read_source
from generator.project import Project
from generator.render import render_site
from generator.schema import Explainer
from generator.validate import validate
from generator.write import write_site


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


def check(project: Project) -> tuple[Explainer, ...]:
    """Load and validate every content file; raise ContentError listing all problems."""
    parser = ArticleParser()
    explainers: list[Explainer] = []
    problems: list[Problem] = []
    for path in content_files(project):
        try:
            explainers.append(load_explainer(project, path, parser))
        except ContentError as err:
            problems.extend(err.problems)
    problems.extend(duplicate_slugs(explainers))
    if problems:
        raise ContentError(problems)
    return tuple(explainers)


def build(project: Project) -> BuildResult:
    """Check everything, render every page, then swap the new site in."""
    explainers = check(project)
    files = render_site(explainers, project.templates_dir)
    write_site(files, project.out_dir)
    return BuildResult(explainers, len(files), project.out_dir)
