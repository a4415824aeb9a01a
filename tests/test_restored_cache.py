"""A deploy from a fresh clone with the last deploy's cache restored, as the Pages workflow
does it (actions/checkout, then actions/cache for .explainer-cache): every file of the clone
has new times, yet only what changed since is rendered, and the site has the same bytes as a
cold build."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from bench.synthetic import make_project
from generator import pipeline
from generator.cache import FOLDER
from generator.incremental import build
from generator.project import Project
from tests.test_atomic_write import tree_hash

IDENTITY = ["-c", "user.name=Test Editor", "-c", "user.email=editor@example.org"]
BASE_URL = "https://newsroom.github.io/explainers/"  # as actions/configure-pages gives it
EXPLAINERS = 30  # enough for a cold build to use worker processes


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """The newsroom's repository: synthetic explainers, their seeds and the real templates."""
    root = make_project(tmp_path / "origin", EXPLAINERS)
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "Explainers")
    return root


class Runner:
    """A GitHub runner: each run starts from a fresh clone at the same path, and the cache is
    what the last run saved (a tar archive, as actions/cache keeps it)."""

    def __init__(self, origin: Path, home: Path) -> None:
        self.origin, self.workspace, self.saved = origin, home / "workspace", home / "cache.tar"

    def run(self, cache: bool = True) -> tuple[pipeline.Built, dict[str, str]]:
        """Check out, restore the cache if one was saved, build, save the cache; returns the
        build and the site's files with their hashes."""
        shutil.rmtree(self.workspace, ignore_errors=True)
        git(self.origin.parent, "clone", "--quiet", str(self.origin), str(self.workspace))
        if self.saved.exists():
            with tarfile.open(self.saved) as archive:
                archive.extractall(self.workspace, filter="data")
        project = Project.at(self.workspace)
        result = (build if cache else pipeline.build)(project, BASE_URL)
        if (self.workspace / FOLDER).is_dir():
            with tarfile.open(self.saved, "w") as archive:
                archive.add(self.workspace / FOLDER, arcname=FOLDER)
        return result, tree_hash(project.out_dir)


def edit_one(origin: Path) -> None:
    path = origin / "content" / "story-00007.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: A synthetic", "summary: An edited synthetic", 1),
                    encoding="utf-8")
    git(origin, "commit", "--quiet", "-am", "Edit one explainer")


def test_a_fresh_clone_with_the_cache_restored_renders_nothing_when_nothing_changed(
        origin, tmp_path):
    runner = Runner(origin, tmp_path / "runner")
    first, cold_site = runner.run()
    assert first.rendered == EXPLAINERS
    story = runner.workspace / "content" / "story-00000.md"
    before = story.stat()
    again, site = runner.run()
    after = story.stat()
    # What the cache remembers of each file's times does not hold in the new clone: an
    # unchanged explainer is known by the hash of its content.
    assert (after.st_mtime_ns, after.st_ctime_ns) != (before.st_mtime_ns, before.st_ctime_ns)
    assert again.rendered == 0, "every page came from the restored cache"
    assert site == cold_site


def test_a_fresh_clone_with_the_cache_restored_renders_only_the_changed_explainer(
        origin, tmp_path):
    runner = Runner(origin, tmp_path / "runner")
    runner.run()
    edit_one(origin)
    result, site = runner.run()
    assert result.rendered == 1
    assert "An edited synthetic" in (runner.workspace / "site" / "story-00007" /
                                     "index.html").read_text(encoding="utf-8")
    _, cold_site = Runner(origin, tmp_path / "cold").run(cache=False)
    assert site == cold_site
