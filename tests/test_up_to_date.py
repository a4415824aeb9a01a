"""The shortcut of a build that finds nothing to do (up_to_date): it answers only when the
plain incremental build would make and write nothing, and any change to what a build reads
or leaves in the site sends the command down the plain path."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import up_to_date
from generator.cache import LIBRARIES, read_by_every_build
from generator.incremental import build
from generator.project import Project
from generator.write import Outcome
from tests.conftest import FIRST_STORY, REPO, story_text, write_story


def _unchanged(project: Project, base_url: str | None = None) -> up_to_date.Basis | None:
    return up_to_date.unchanged(str(project.root), str(project.out_dir), base_url)


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def _same_bytes(path: Path) -> None:
    path.write_bytes(path.read_bytes())


def _seed(project: Project) -> Path:
    return next(project.seeds_dir.glob("*.txt"))


CHANGES: dict[str, Callable[[Project], None]] = {
    "an explainer edited": lambda p: write_story(p, story_text(p).replace(
        "title: \"", "title: \"Edited ", 1)),
    "an explainer saved with the same bytes": lambda p: _same_bytes(
        p.content_dir / f"{FIRST_STORY}.md"),
    "an explainer added": lambda p: (p.content_dir / "second.md").write_text(
        story_text(p).replace(f"slug: {FIRST_STORY}", "slug: second", 1), encoding="utf-8"),
    "a file beside the content": lambda p: (p.content_dir / "notes.txt").write_text("x"),
    "a seed saved again": lambda p: _same_bytes(_seed(p)),
    "a seed added": lambda p: (p.seeds_dir / "another.txt").write_text("Another story."),
    "a template edited": lambda p: _append(p.templates_dir / "explainer.html", "\n"),
    "a partial added": lambda p: (p.templates_dir / "partials" / "extra.html").write_text(
        "<p>extra</p>"),
    "a static file edited": lambda p: _append(next(
        (p.templates_dir / "static").glob("*.css")), "\n"),
    "a settings file added": lambda p: p.settings_file.write_text("title: Desk\n"),
    "a page of the site edited": lambda p: _append(p.out_dir / FIRST_STORY / "index.html",
                                                   " "),
    "a file of the site removed": lambda p: (p.out_dir / "index.html").unlink(),
    "a file put in the site": lambda p: (p.out_dir / FIRST_STORY / "stray.html").write_text(
        "x"),
    "the site removed": lambda p: shutil.rmtree(p.out_dir),
    "the cache removed": lambda p: shutil.rmtree(p.root / up_to_date.FOLDER),
    "the manifest saved by a build of another folder": lambda p: build(
        Project.at(p.root, p.root / "elsewhere")),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_a_build_reads_or_left_takes_the_plain_path(project, change):
    first = build(project)
    assert first.rendered == 1
    basis = _unchanged(project)
    assert basis is not None
    assert (basis.explainers, basis.files) == (first.explainers, first.files)
    again = build(project)  # what the shortcut stands for: nothing to make, nothing to write
    assert (again.rendered, again.written.outcome) == (0, Outcome.UNCHANGED)

    CHANGES[change](project)
    assert _unchanged(project) is None

    after = build(project)  # the plain path, which saves the basis again
    saved = _unchanged(project)
    assert saved is not None and (saved.explainers, saved.files) == (after.explainers,
                                                                     after.files)


def test_another_output_folder_or_base_url_is_another_build(project):
    build(project)
    assert _unchanged(project) is not None
    assert _unchanged(project, "https://example.org/") is None
    assert up_to_date.unchanged(str(project.root), str(project.root / "other"), None) is None
    build(project, "https://example.org/")
    assert _unchanged(project, "https://example.org/") is not None
    assert _unchanged(project) is None


def test_a_failed_build_leaves_no_basis_that_its_fix_could_be_mistaken_for(project):
    build(project)
    good = story_text(project)
    write_story(project, good.replace("title: ", "title:\n  - not a title\n", 1))
    with pytest.raises(Exception):  # noqa: B017  (the content's problems: ContentError)
        build(project)
    write_story(project, good)  # the same bytes as the site was built from, saved anew
    assert _unchanged(project) is None
    assert build(project).written.outcome is Outcome.UNCHANGED
    assert _unchanged(project) is not None


def test_the_generator_code_templates_and_libraries_are_among_what_it_stamps(project):
    read = set(read_by_every_build(project))
    code = {str(p) for p in (REPO / "generator").rglob("*") if "__pycache__" not in p.parts}
    assert code <= read
    assert {str(p) for p in project.templates_dir.rglob("*")} <= read
    for _, module in LIBRARIES:
        package = Path(__import__(module).__file__).parent
        assert str(package.parent) in read, module


def test_a_second_build_from_the_command_line_says_up_to_date_importing_no_stage(project):
    script = ("import sys\nfrom generator.cli import main\n"
              f"code = main(['--root', {str(project.root)!r}, 'build'])\n"
              "print(code, sorted(m for m in sys.modules if m.startswith(('generator.', "
              "'yaml', 'jinja2', 'markdown'))))")
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True)
    assert first.stdout.startswith("Built 1 explainer")
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    said, imported = second.stdout.splitlines()[0], second.stdout.splitlines()[-1]
    assert said.startswith("Checked 1 explainer (") and said.endswith(
        ": site/ is up to date.")
    assert imported.startswith("0 ")
    modules = ast.literal_eval(imported[2:])
    assert "generator.incremental" not in modules and "yaml" not in modules
    assert "jinja2" not in modules and "generator.up_to_date" in modules
