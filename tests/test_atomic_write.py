"""A failed build never damages the site that is already there."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator import pipeline
from generator import write as write_module
from generator.errors import ContentError
from generator.incremental import build
from generator.write import MARKER, UnsafeOutputError, write_site
from tests.conftest import story_text, write_story


def tree_hash(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_the_previous_site_byte_identical(project):
    build(project)
    before = tree_hash(project.out_dir)
    write_story(project, story_text(project).replace("status: proposed", "status: maybe", 1))
    with pytest.raises(ContentError):
        build(project)
    assert tree_hash(project.out_dir) == before
    leftovers = [p.name for p in project.root.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_template_error_leaves_the_previous_site_byte_identical(project):
    build(project)
    before = tree_hash(project.out_dir)
    (project.templates_dir / "partials" / "summary.html").write_text("{{ e.no_such_field }}")
    with pytest.raises(ContentError) as err:
        build(project)
    assert "no_such_field" in str(err.value)
    assert tree_hash(project.out_dir) == before


def test_rebuild_replaces_the_site_and_drops_stale_files(project):
    build(project)
    (project.out_dir / "stale.html").write_text("old")
    build(project)
    assert not (project.out_dir / "stale.html").exists()
    assert (project.out_dir / "index.html").is_file()


def test_two_builds_of_the_same_input_are_byte_identical(project):
    build(project)
    first = tree_hash(project.out_dir)
    build(project)
    assert tree_hash(project.out_dir) == first


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "draft.txt").write_text("keep me")
    with pytest.raises(UnsafeOutputError):
        write_site({"index.html": b"x"}, precious)
    assert (precious / "draft.txt").read_text() == "keep me"


def test_writes_into_a_new_or_empty_folder(tmp_path):
    write_site({"a/index.html": b"A"}, tmp_path / "out")
    assert (tmp_path / "out" / "a" / "index.html").read_bytes() == b"A"
    assert (tmp_path / "out" / MARKER).is_file()


def test_interrupted_write_leaves_the_previous_site_byte_identical(project, monkeypatch):
    pipeline.build(project)
    before = tree_hash(project.out_dir)
    real_put, calls = write_module._put, []

    def put_then_interrupt(content, target):
        calls.append(target)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C while the new site is being written
        real_put(content, target)

    monkeypatch.setattr(write_module, "_put", put_then_interrupt)
    files = {"index.html": b"new", "a/index.html": b"new", "b/index.html": b"new"}
    with pytest.raises(KeyboardInterrupt):
        write_site(files, project.out_dir)
    assert tree_hash(project.out_dir) == before
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == []


def test_missing_template_is_reported_by_name(project):
    (project.templates_dir / "index.html").unlink()
    with pytest.raises(ContentError) as err:
        build(project)
    assert str(err.value).startswith("templates/index.html: template: template not found")
