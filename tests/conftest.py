"""Shared fixtures: a copy of the real project in tmp_path, and helpers to read built pages."""

from __future__ import annotations

import gc
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.project import Project
from generator.serve import PreviewServer
from tests.bad_inputs import SEED, VALID
from tests.browser import browser  # noqa: F401  (a fixture, shared by the browser tests)

REPO = Path(__file__).resolve().parent.parent
FIRST_STORY = "trump-putin-phased-ceasefire-call"


def copy_of_project(root: Path) -> Project:
    """The repository's content, seeds and templates, copied under root so tests never touch
    the real site."""
    for part in ("content", "seeds", "templates"):
        shutil.copytree(REPO / part, root / part)
    return Project.at(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_of_project(tmp_path)


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """A project with one small valid explainer, already built, in a folder of its own (so
    that a test may put files beside it)."""
    root = tmp_path / "desk"
    (root / "content").mkdir(parents=True)
    (root / "seeds").mkdir()
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "seeds" / "truce.txt").write_text(SEED, encoding="utf-8")
    (root / "content" / "truce-call.md").write_text(VALID, encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture
def server(project: Project) -> Iterator[PreviewServer]:
    """A live preview of the project on a free port, in a background thread."""
    preview = PreviewServer(project, port=0, log=lambda _: None)
    preview.start()
    yield preview
    preview.stop()


@pytest.fixture
def page() -> Callable[[Path], BeautifulSoup]:
    def read(path: Path) -> BeautifulSoup:
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    return read


def story_text(project: Project) -> str:
    return (project.content_dir / f"{FIRST_STORY}.md").read_text(encoding="utf-8")


def set_top_level(text: str, key: str, value: str) -> str:
    """Replace a top-level front-matter field, with any indented lines that continue it."""
    pattern = re.compile(rf"^{re.escape(key)}:.*\n(?:[ ].*\n)*", re.MULTILINE)
    assert pattern.search(text), key
    return pattern.sub(lambda _: f"{key}: {value}\n", text, count=1)


def write_story(project: Project, text: str) -> Path:
    path = project.content_dir / f"{FIRST_STORY}.md"
    path.write_text(text, encoding="utf-8")
    return path


def pytest_terminal_summary(terminalreporter) -> None:
    """Tell a person where to look at what the browser tests saw."""
    from tests.test_pages_in_browser import SCREENSHOTS

    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Screenshots from the browser tests: {SCREENSHOTS}")


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    """What a preview or a watch sets aside from the collector
    (incremental.set_aside_from_collections) is set aside for that test only."""
    yield
    gc.unfreeze()
