"""The incremental layer and parallel builds: never a stale file, always the same bytes as a
build from scratch, and only what an input change touches made again."""

from __future__ import annotations

import functools
import importlib.metadata
import marshal
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from bench import realistic
from bench.synthetic import make_project
from generator import cache, parallel, pipeline, render
from generator.errors import ContentError
from generator.incremental import build
from generator.project import Project
from generator.schema import Listing
from generator.validate import validate
from generator.write import Outcome
from tests.conftest import FIRST_STORY, set_top_level, story_text, write_story
from tests.test_atomic_write import tree_hash

PAGE = f"{FIRST_STORY}/index.html"


def page_text(project: Project) -> str:
    return (project.out_dir / PAGE).read_text(encoding="utf-8")


def test_a_second_build_with_no_change_renders_and_writes_nothing(project):
    first = build(project)
    assert first.rendered == 1 and first.written.outcome is Outcome.REPLACED
    before = tree_hash(project.out_dir)
    again = build(project)
    assert (again.rendered, again.written.outcome) == (0, Outcome.UNCHANGED)
    assert tree_hash(project.out_dir) == before


def _search_index_files(project) -> dict[str, bytes]:
    folder = project.out_dir / "pagefind"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def _changed_search_files(project, before: dict[str, bytes]) -> int:
    """How many files of the search index a build wrote: new ones and changed ones."""
    after = _search_index_files(project)
    assert after, "the search index is there"
    return sum(1 for name, data in after.items() if before.get(name) != data)


def test_one_changed_file_rerenders_one_page_and_rewrites_only_what_changed(project):
    build(project)
    index_before = (project.out_dir / "index.html").read_bytes()
    css = (project.out_dir / "static" / "style.css").stat()
    write_story(project, set_top_level(story_text(project), "summary", "A new summary."))
    index_files = _search_index_files(project)
    result = build(project)
    assert result.rendered == 1
    assert result.written.outcome is Outcome.UPDATED
    # The page, the home page that lists its summary, and the search index of the pages.
    assert result.written.changed == 2 + _changed_search_files(project, index_files)
    assert "A new summary." in page_text(project)
    assert (project.out_dir / "index.html").read_bytes() != index_before
    after = (project.out_dir / "static" / "style.css").stat()
    assert (after.st_ino, after.st_mtime_ns) == (css.st_ino, css.st_mtime_ns)


@pytest.mark.parametrize(("changed", "edit", "shows"), [
    ("a template", lambda p: _replace(p.templates_dir / "explainer.html",
                                      '"toc-title">Contents</h2>',
                                      '"toc-title">In this explainer</h2>'),
     "In this explainer"),
    ("a shared partial", lambda p: _replace(p.templates_dir / "partials" / "sources.html",
                                            "no link available", "no address known"),
     "no address known"),
    # Included by partials that explainer.html includes.
    ("a partial's partial", lambda p: _replace(p.templates_dir / "partials" / "support.html",
                                               'title="Read it in the source article"',
                                               'title="Read this in the source article"'),
     'title="Read this in the source article"'),
    ("a setting", lambda p: p.settings_file.write_text("title: The Desk\n"), "· The Desk"),
])
def test_a_change_every_page_depends_on_rerenders_every_page(project, changed, edit, shows):
    build(project)
    edit(project)
    result = build(project)
    assert result.rendered == 1, f"{changed} must invalidate the cached page"
    assert shows in page_text(project)


def test_a_stylesheet_change_renders_no_page_and_reaches_the_stylesheet_and_404(
        project, tmp_path):
    # No template reads a static file: a designer's save of the stylesheet renders nothing,
    # and only the copies and the 404 page, which inlines the stylesheet, are written.
    build(project)
    _replace(project.templates_dir / "static" / "style.css", "--mark: #fff0a8;",
             "--mark: #ffe066;")
    result = build(project)
    assert result.rendered == 0 and result.written.changed == 2
    for path in ("static/style.css", "404.html"):
        assert "#ffe066" in (project.out_dir / path).read_text(encoding="utf-8")
    fresh = Project.at(project.root, tmp_path / "fresh")
    pipeline.build(fresh)
    assert tree_hash(project.out_dir) == tree_hash(fresh.out_dir)


def test_a_new_generator_version_rerenders_every_page(project, monkeypatch):
    build(project)
    monkeypatch.setattr("generator.cache.__version__", "99.0")
    assert build(project).rendered == 1


def _upgraded(monkeypatch, dist: str, version: str) -> None:
    """As if `pip install --upgrade` had installed another version of a library."""
    installed = cache.installed_versions
    monkeypatch.setattr("generator.cache.installed_versions",
                        lambda folder: {**installed(folder), dist: version})


@pytest.mark.parametrize("dist", ["markdown", "nh3", "sentencex", "pyyaml"])
def test_an_upgraded_library_rerenders_every_page(project, monkeypatch, dist):
    build(project)
    _upgraded(monkeypatch, dist, "99.0")
    assert build(project).rendered == 1


def test_an_upgraded_jinja_compiles_the_templates_afresh(project, monkeypatch):
    build(project)
    folder = project.root / cache.FOLDER
    assert [p.name for p in folder.glob("jinja*")] == [f"jinja-{jinja2.__version__}"]
    _upgraded(monkeypatch, "jinja2", "99.0")
    monkeypatch.setattr(jinja2, "__version__", "99.0")
    assert build(project).rendered == 1
    # Jinja checks its compiled templates against the source and Python's version only.
    assert [p.name for p in folder.glob("jinja*")] == ["jinja-99.0"]
    assert any((folder / "jinja-99.0").iterdir())


def test_library_versions_are_read_from_the_installed_metadata(tmp_path):
    for name in ["nh3-0.3.8.dist-info", "PyYAML-6.0.1-py3.11.egg-info", "Markdown-3.5.dist-info",
                 "markdown", "nh3", "yaml"]:
        (tmp_path / name).mkdir()
    assert cache.installed_versions(str(tmp_path)) == {
        "nh3": "0.3.8", "pyyaml": "6.0.1", "markdown": "3.5"}
    (tmp_path / "nh3-0.3.8.dist-info").rename(tmp_path / "nh3-0.4.0.dist-info")
    assert cache.installed_versions(str(tmp_path))["nh3"] == "0.4.0"
    # As the environment the tests run in has them installed:
    found = dict(part.split(" ") for part in cache.library_versions().split(", "))
    assert {dist: found[dist] for dist, _ in cache.LIBRARIES} == {
        dist: importlib.metadata.version(dist) for dist, _ in cache.LIBRARIES}


def test_a_changed_seed_is_checked_again(project):
    build(project)
    seed = project.seeds_dir / "000_a66ea636ac6472d1.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("lengthy", "short"),
                    encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape("differs from seeds/000_a66ea636ac6472d1")):
        build(project)


def test_a_seed_saved_while_the_build_checks_it_is_checked_again_next_build(project,
                                                                           monkeypatch):
    seed = project.seeds_dir / "000_a66ea636ac6472d1.txt"
    checked = validate

    def saved_right_after_the_check(*args, **kwargs):
        explainer = checked(*args, **kwargs)
        seed.write_text(seed.read_text(encoding="utf-8").replace("lengthy", "short"),
                        encoding="utf-8")
        return explainer

    monkeypatch.setattr("generator.pipeline.validate", saved_right_after_the_check)
    build(project)  # checked against the seed as it was
    monkeypatch.undo()
    with pytest.raises(ContentError, match=re.escape("differs from seeds/000_a66ea636ac6472d1")):
        build(project)


def test_a_removed_file_loses_its_page(project):
    build(project)
    other = project.content_dir / "second.md"
    other.write_text(story_text(project).replace(
        "slug: trump-putin-phased-ceasefire-call", "slug: second-copy"), encoding="utf-8")
    build(project)
    assert (project.out_dir / "second-copy" / "index.html").exists()
    other.unlink()
    build(project)
    assert not (project.out_dir / "second-copy").exists()
    assert "second-copy" not in (project.out_dir / "index.html").read_text()


def test_a_hand_edited_site_is_replaced_whole(project):
    build(project)
    cold = tree_hash(project.out_dir)
    (project.out_dir / PAGE).unlink()
    (project.out_dir / PAGE).write_text("edited by hand")
    result = build(project)
    assert result.written.outcome is Outcome.REPLACED
    assert tree_hash(project.out_dir) == cold


def test_cold_cached_and_parallel_builds_give_byte_identical_sites(tmp_path):
    root = make_project(tmp_path / "many", 30)
    project = Project.at(root)
    pipeline.build(project)
    serial = tree_hash(project.out_dir)
    shutil.rmtree(project.out_dir)
    result = build(project, jobs=2)
    assert result.rendered == 30
    assert tree_hash(project.out_dir) == serial
    shutil.rmtree(project.out_dir)
    result = build(project)
    assert result.rendered == 0, "every page came from the cache"
    assert tree_hash(project.out_dir) == serial
    assert not any(str(tmp_path) in text for text in (
        p.read_text(encoding="utf-8") for p in project.out_dir.rglob("*.html"))), \
        "no absolute paths of the machine in the output"


def test_problems_are_found_in_parallel_builds_too(tmp_path):
    root = make_project(tmp_path / "many", 30)
    bad = root / "content" / "story-00007.md"
    bad.write_text(bad.read_text().replace("status: proposed", "status: maybe", 1))
    with pytest.raises(ContentError) as err:
        build(Project.at(root), jobs=2)
    assert [p.file for p in err.value.problems] == ["content/story-00007.md"]


def leftovers(project: Project) -> list[str]:
    return [p.name for p in project.root.iterdir() if p.name.startswith(".site")]


def test_a_failed_parallel_build_leaves_the_previous_site_and_no_half_written_one(tmp_path):
    # Pages go into the new site's folder as they are rendered; a problem found after some
    # of them were placed must leave the old site as it was, and nothing of the new one.
    root = make_project(tmp_path / "many", 30)
    project = Project.at(root)
    build(project, jobs=2)
    before = tree_hash(project.out_dir)
    _replace(project.templates_dir / "partials" / "summary.html", '<p class="summary">',
             '<p class="summary" >')
    bad = root / "content" / "story-00029.md"
    bad.write_text(bad.read_text().replace("status: proposed", "status: maybe", 1))
    with pytest.raises(ContentError):
        build(project, jobs=2)
    assert tree_hash(project.out_dir) == before
    assert leftovers(project) == []


@pytest.mark.parametrize("cache", [True, False])
def test_two_files_with_one_slug_fail_a_parallel_cold_build_cleanly(tmp_path, cache):
    root = make_project(tmp_path / "many", 30)
    twin = root / "content" / "story-00011.md"
    twin.write_text(twin.read_text().replace("slug: story-00011", "slug: story-00003", 1))
    project = Project.at(root)
    with pytest.raises(ContentError) as err:
        if cache:
            build(project, jobs=2)
        else:
            pipeline.build(project, map_files=functools.partial(parallel.map_files, jobs=2))
    assert [(p.file, p.field) for p in err.value.problems] == [
        ("content/story-00011.md", "slug")]
    assert "already the slug of content/story-00003.md" in err.value.problems[0].message
    assert not project.out_dir.exists()
    assert leftovers(project) == []


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(project):
    build(project)
    path = project.content_dir / f"{FIRST_STORY}.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: proposed", "status: rejected", 1).replace(
        "    status: open", "    status: ope", 1).replace(
        "language: en", "language: en", 1), encoding="utf-8")
    edited = path.read_bytes()
    path.write_bytes(edited + b" " * (before.st_size - len(edited)))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    with pytest.raises(ContentError, match="'ope'"):
        build(project)


@pytest.mark.parametrize("stray", [f"{FIRST_STORY}/notes.html", "drafts/index.html"])
def test_a_file_added_to_the_site_by_hand_is_removed_by_the_next_build(project, stray):
    build(project)
    cold = tree_hash(project.out_dir)
    (project.out_dir / stray).parent.mkdir(exist_ok=True)
    (project.out_dir / stray).write_text("added by hand")
    result = build(project)
    assert result.written.outcome is Outcome.REPLACED
    assert tree_hash(project.out_dir) == cold


def test_the_home_page_entry_is_rendered_with_its_partial_and_follows_edits(project):
    build(project)
    listing = project.templates_dir / "partials" / "listing.html"
    _replace(listing, "<p>{{ e.summary }}</p>", "<p class=\"teaser\">{{ e.summary }}</p>")
    assert build(project).rendered == 1, "the partial must invalidate the cached entries"
    write_story(project, set_top_level(story_text(project), "summary", "Changed <summary>."))
    build(project)
    home = (project.out_dir / "index.html").read_text(encoding="utf-8")
    assert '<p class="teaser">Changed &lt;summary&gt;.</p>' in home


def _detail_damaged(data: bytes) -> bytes:
    """The manifest with one byte of each listing's packed detail changed: marshal still
    reads it."""
    header, code, files, sources, *rest = marshal.loads(data)
    damaged = {}
    for name, row in sources.items():
        seed, listing, *others = marshal.loads(row)
        detail = bytearray(listing[10])
        detail[len(detail) // 2] ^= 0xFF
        damaged[name] = marshal.dumps((seed, (*listing[:10], bytes(detail), *listing[11:]),
                                       *others))
    return marshal.dumps((header, code, files, damaged, *rest))


@pytest.mark.parametrize("damage", [
    lambda data: b"\x00not a manifest",
    lambda data: data[:len(data) // 2],
    lambda data: marshal.dumps([1, 2, 3]),
    lambda data: marshal.dumps((*marshal.loads(data)[:5], [("not", "rows")])),
    _detail_damaged,
], ids=["garbage", "truncated", "another shape", "rows of another shape", "a listing damaged"])
def test_a_damaged_cache_is_ignored_and_rebuilt(project, damage):
    build(project)
    cold = tree_hash(project.out_dir)
    for manifest in (project.root / ".explainer-cache").glob("manifest*"):
        manifest.write_bytes(damage(manifest.read_bytes()))
    result = build(project)
    assert result.rendered == 1
    assert tree_hash(project.out_dir) == cold
    assert build(project).written.outcome is Outcome.UNCHANGED


def test_without_lookups_from_a_folder_descriptor_builds_still_see_every_change(
        project, monkeypatch):
    """Windows cannot stat relative to an open folder; the full-path fallback must notice the
    same things."""
    monkeypatch.setattr(os, "supports_dir_fd", set())
    build(project)
    cold = tree_hash(project.out_dir)
    assert build(project).written.outcome is Outcome.UNCHANGED
    (project.out_dir / FIRST_STORY / "notes.html").write_text("added by hand")
    assert build(project).written.outcome is Outcome.REPLACED
    assert tree_hash(project.out_dir) == cold
    write_story(project, set_top_level(story_text(project), "summary", "A new summary."))
    result = build(project)
    assert (result.rendered, result.written.outcome) == (1, Outcome.UPDATED)


def test_a_page_edited_in_place_in_the_site_is_put_right(project):
    build(project)
    cold = tree_hash(project.out_dir)
    with open(project.out_dir / PAGE, "r+b") as stored:
        stored.write(b"<!-- edited in place -->")
    assert build(project).written.outcome is Outcome.REPLACED
    assert tree_hash(project.out_dir) == cold
    assert build(project).written.outcome is Outcome.UNCHANGED
    shutil.rmtree(project.out_dir)
    assert build(project).rendered == 0, "the cache holds the page as built"
    assert tree_hash(project.out_dir) == cold


def test_an_edit_the_lists_do_not_show_rewrites_only_the_page(project):
    # The home page, the feeds, the corrections page and the story page are made from what
    # each explainer shows in them; an edit to anything else (an actor's role) leaves them be.
    project.settings_file.write_text("base_url: https://desk.example.org/explainers/\n")
    build(project)
    lists = {name: (project.out_dir / name).stat().st_mtime_ns
             for name in ("index.html", "feed.xml", "sitemap.xml", "corrections/index.html",
                          "corrections.xml")}
    text = story_text(project)
    role = "    role: President of the United States\n"
    assert role in text
    write_story(project, text.replace(role, role.rstrip() + " (edited)\n", 1))
    index_files = _search_index_files(project)
    result = build(project)
    # The page, and the search index, which indexes the pages.
    assert (result.rendered, result.written.changed) == (
        1, 1 + _changed_search_files(project, index_files))
    assert "(edited)" in page_text(project)
    assert {name: (project.out_dir / name).stat().st_mtime_ns for name in lists} == lists


def test_a_correction_added_to_one_explainer_reaches_the_corrections_page_and_feed(project):
    project.settings_file.write_text("base_url: https://desk.example.org/explainers/\n")
    build(project)
    text = story_text(project)
    entry = "corrections:\n"
    assert entry in text
    write_story(project, text.replace(entry, entry + "  - date: 2026-12-01\n"
                                      "    kind: clarification\n"
                                      "    text: A clarification added today.\n", 1))
    build(project)
    for name in ("corrections/index.html", "corrections.xml"):
        assert "A clarification added today." in (project.out_dir / name).read_text()


def test_a_story_page_is_made_again_when_one_of_its_own_explainers_changes_only(
        tmp_path, monkeypatch):
    # Four variants of the first story, in two stories of two explainers each.
    root = realistic.make_project(tmp_path / "desk", 4)
    for n in range(4):
        path = root / "content" / f"{realistic.slug_of(n)}.md"
        path.write_text(re.sub(r"^story: .*$", f"story: talks-{n // 2}", path.read_text(
            encoding="utf-8"), count=1, flags=re.MULTILINE), encoding="utf-8")
    project = Project.at(root)
    build(project)
    made: list[set[str]] = []
    make = render.story_files

    def counted(env, stories, settings):
        made.append({story.id for story in stories})
        return make(env, stories, settings)

    monkeypatch.setattr("generator.render.story_files", counted)
    path = root / "content" / f"{realistic.slug_of(3)}.md"
    path.write_text(path.read_text(encoding="utf-8").replace('title: "', 'title: "New: ', 1),
                    encoding="utf-8")
    build(project)
    assert made == [{"talks-1"}]
    assert "New: " in (project.out_dir / "stories" / "talks-1" / "index.html").read_text()
    fresh = Project.at(root, tmp_path / "fresh")
    pipeline.build(fresh)
    assert tree_hash(project.out_dir) == tree_hash(fresh.out_dir)


def test_a_build_with_nothing_to_do_loads_no_templates_markdown_images_or_workers(project):
    build(project)
    # A fresh process, as a user runs it: what a build imports is decided at its start.
    script = ("import sys; from generator import cli; cli.main(['--root', sys.argv[1], "
              "'build']); print(' '.join(sorted(m for m in ('jinja2', 'markdown', 'nh3', "
              "'sentencex', 'PIL', 'pagefind_bin', 'multiprocessing', 'concurrent.futures', "
              "'generator.render') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script, str(project.root)], check=True,
                          capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert "is up to date" in done.stdout
    assert done.stdout.splitlines()[-1] == ""


def test_what_the_manifest_keeps_of_an_explainer_reads_back_the_same(project):
    listing = Listing.of(pipeline.check(project).explainers[0])
    assert any(phase.history for phase in listing.phases) and listing.corrections
    assert Listing.from_row(marshal.loads(marshal.dumps(listing.to_row()))) == listing
