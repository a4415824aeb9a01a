"""The pipeline, top to bottom: load → validate → render → write.

`check` stops after validation; `build` goes all the way. Nothing is written unless every file
is valid and every page rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

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


def check(project: Project) -> tuple[Explainer, ...]:
    """Load and validate every content file; raise ContentError listing all problems."""
    parser = ArticleParser()
    explainers: list[Explainer] = []
    problems: list[Problem] = []
    slugs: dict[str, tuple[str, int]] = {}
    for path in content_files(project):
        display = project.display(path)
        try:
            source = read_source(path, display)
            explainer = validate(source, parser, project.seeds_dir)
        except ContentError as err:
            problems.extend(err.problems)
            continue
        line = _line_of_key(source.front, "slug", source.front_line)
        if explainer.slug in slugs:
            other, other_line = slugs[explainer.slug]
            problems.append(Problem(display, line, None, "slug",
                                    f"'{explainer.slug}' is already the slug of "
                                    f"{other}:{other_line}"))
            continue
        slugs[explainer.slug] = (display, line)
        explainers.append(explainer)
    if problems:
        raise ContentError(problems)
    return tuple(explainers)


def build(project: Project) -> BuildResult:
    """Check everything, render every page, then swap the new site in."""
    explainers = check(project)
    files = render_site(explainers, project.templates_dir)
    write_site(files, project.out_dir)
    return BuildResult(explainers, len(files), project.out_dir)


def _line_of_key(front: yaml.MappingNode, key: str, front_line: int) -> int:
    node = next(k for k, _ in front.value if k.value == key)
    return front_line + node.start_mark.line
