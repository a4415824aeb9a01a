"""`explainer build --watch`, and the builds it runs with what the last one kept in memory: after
every kind of change the site must be byte for byte what a fresh build makes."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.synthetic import make_project
from generator import pipeline
from generator.cache import manifest_id
from generator.cli import main
from generator.errors import ContentError
from generator.incremental import Memory, build, rebuild, save_unsaved
from generator.project import Project
from generator.watch import Rebuild, watch
from generator.write import Outcome
from tests.conftest import FIRST_STORY, set_top_level, story_text, write_story
from tests.test_atomic_write import tree_hash


def fresh_site(project: Project, tmp_path: Path) -> dict[str, str]:
    """What `explainer build --no-cache` makes of the project as it is now, elsewhere."""
    out = tmp_path / f"fresh-{time.monotonic_ns()}"
    pipeline.build(Project.at(project.root, out))
    site = tree_hash(out)
    shutil.rmtree(out)
    return site


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add(project: Project) -> list[Path]:
    text = (project.content_dir / "story-00003.md").read_text(encoding="utf-8")
    new = project.content_dir / "story-new.md"
    new.write_text(text.replace("slug: story-00003", "slug: story-new"), encoding="utf-8")
    return [new]


def _remove(project: Project) -> list[Path]:
    gone = project.content_dir / "story-00004.md"
    gone.unlink()
    return [gone]


def _folder_replaced(project: Project) -> list[Path]:
    # A tool that swaps the whole folder: reported as the folder, not file by file. The
    # build cannot tell what changed inside, so it looks at everything again.
    old = project.root / "content-old"
    project.content_dir.rename(old)
    shutil.copytree(old, project.content_dir)
    shutil.rmtree(old)
    _edit(project.content_dir / "story-00005.md", "A synthetic explainer", "A swapped explainer")
    return [project.content_dir]


def _touched(edit: Callable[[Project], None], *parts: str) -> Callable[[Project], list[Path]]:
    def change(project: Project) -> list[Path]:
        edit(project)
        return [project.root / part for part in parts]
    return change


# Each step edits the project and returns the paths a file watcher would report.
STEPS: list[tuple[str, Callable[[Project], list[Path]], int | None]] = [
    ("summary", _touched(lambda p: _edit(p.content_dir / "story-00001.md",
                                         "A synthetic explainer", "An edited explainer"),
                         "content/story-00001.md"), 1),
    ("title", _touched(lambda p: _edit(p.content_dir / "story-00002.md",
                                       "title: Synthetic explainer number 2",
                                       "title: Renamed <explainer> & more"),
                       "content/story-00002.md"), 1),
    ("seed and body", _touched(lambda p: [_edit(path, "Part 1 of the story", "Part 1 of the tale")
                                          for path in (p.seeds_dir / "story-00006.txt",
                                                       p.content_dir / "story-00006.md")],
                               "seeds/story-00006.txt", "content/story-00006.md"), 1),
    ("new file", _add, 1),
    ("removed file", _remove, 0),
    ("template", _touched(lambda p: _edit(p.templates_dir / "partials" / "listing.html",
                                          "<li>", "<li class=\"changed\">"),
                          "templates/partials/listing.html"), None),
    ("settings", _touched(lambda p: _edit(p.settings_file, "title: Synthetic newsroom",
                                          "title: Renamed newsroom"), "explainer.yaml"), None),
    ("content folder replaced", _folder_replaced, 1),
]


@pytest.fixture
def synthetic(tmp_path: Path) -> Project:
    return Project.at(make_project(tmp_path / "desk", 30))


def test_builds_from_memory_after_each_kind_of_change_make_what_a_fresh_build_makes(
        synthetic, tmp_path):
    result, memory = rebuild(synthetic, None, None, None)
    for what, change, rendered in STEPS:
        saved = change(synthetic)
        result, memory = rebuild(synthetic, None, memory, saved, site_as_left=True)
        assert tree_hash(synthetic.out_dir) == fresh_site(synthetic, tmp_path), what
        if rendered is not None:  # only what the change touched was rendered again
            assert result.rendered == rendered, what
        else:
            assert result.rendered == result.explainers, what


def test_a_build_from_memory_after_a_bad_save_fails_and_the_next_save_recovers(
        synthetic, tmp_path):
    _, memory = rebuild(synthetic, None, None, None)
    before = tree_hash(synthetic.out_dir)
    seed = synthetic.seeds_dir / "story-00007.txt"
    good = seed.read_text(encoding="utf-8")
    seed.write_text("An article that no longer says what the explainer quotes.\n",
                    encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        rebuild(synthetic, None, memory, [seed], site_as_left=True)
    assert {p.file for p in caught.value.problems} == {"content/story-00007.md"}
    assert tree_hash(synthetic.out_dir) == before
    seed.write_text(good, encoding="utf-8")
    # An unrelated save: the seed is still to be looked at, as the failed build was to.
    other = synthetic.content_dir / "story-00001.md"
    other.write_bytes(other.read_bytes())
    result, _ = rebuild(synthetic, None, memory.after_failure([seed]), [other],
                        site_as_left=True)
    assert tree_hash(synthetic.out_dir) == before == fresh_site(synthetic, tmp_path)
    assert result.written.outcome is Outcome.UNCHANGED


def test_a_build_by_another_process_in_between_is_noticed(synthetic, tmp_path):
    _, memory = rebuild(synthetic, None, None, None)
    # Say `explainer build --base-url ...` from another terminal: another site, another
    # manifest. What this process remembers of the site is out of date, and not trusted.
    build(synthetic, base_url="https://elsewhere.example/")
    result, _ = rebuild(synthetic, None, memory, [], site_as_left=True)
    assert tree_hash(synthetic.out_dir) == fresh_site(synthetic, tmp_path)
    assert result.written.outcome is Outcome.REPLACED


def test_the_full_recheck_puts_right_a_hand_edit_to_the_site(synthetic, tmp_path):
    _, memory = rebuild(synthetic, None, None, None)
    page = synthetic.out_dir / "story-00008" / "index.html"
    page.write_text("edited by hand", encoding="utf-8")
    stray = synthetic.out_dir / "story-00008" / "stray.html"
    stray.write_text("not made by the build", encoding="utf-8")
    rebuild(synthetic, None, memory, None)
    assert tree_hash(synthetic.out_dir) == fresh_site(synthetic, tmp_path)
    assert not stray.exists()


def test_a_site_deleted_while_vouched_for_is_written_whole(synthetic, tmp_path):
    _, memory = rebuild(synthetic, None, None, None)
    shutil.rmtree(synthetic.out_dir)
    saved = _touched(lambda p: _edit(p.content_dir / "story-00009.md", "A synthetic explainer",
                                     "An edited explainer"), "content/story-00009.md")(synthetic)
    result, _ = rebuild(synthetic, None, memory, saved, site_as_left=True)
    assert result.written.outcome is Outcome.REPLACED
    assert tree_hash(synthetic.out_dir) == fresh_site(synthetic, tmp_path)
    # ...and the next build is no mistake either: the folder is still one the build made.
    build(synthetic)


def _saved_unsaved(synthetic: Project) -> Memory:
    """The memory of a build after a save that left the manifest unsaved, as a save's
    build in the watch does."""
    _, memory = rebuild(synthetic, None, None, None)
    saved = _touched(lambda p: _edit(p.content_dir / "story-00009.md", "A synthetic explainer",
                                     "An edited explainer"), "content/story-00009.md")(synthetic)
    _, memory = rebuild(synthetic, None, memory, saved, site_as_left=True, search=False,
                        save=False)
    assert not memory.saved
    return memory


@pytest.mark.parametrize("then", ["full check", "stop"])
def test_a_saves_build_leaves_the_manifest_to_the_full_check_or_the_stop(synthetic, tmp_path,
                                                                          then):
    memory = _saved_unsaved(synthetic)
    if then == "full check":
        _, memory = rebuild(synthetic, None, memory, None)
        assert memory.saved
    else:
        save_unsaved(synthetic, memory)
    # The next process knows the edited page: it renders nothing again.
    assert build(synthetic).rendered == 0
    assert tree_hash(synthetic.out_dir) == fresh_site(synthetic, tmp_path)


def test_an_unsaved_record_is_not_saved_over_another_builds_manifest(synthetic, tmp_path):
    memory = _saved_unsaved(synthetic)
    build(synthetic, base_url="https://elsewhere.example/")
    theirs = manifest_id(synthetic)
    save_unsaved(synthetic, memory)
    assert manifest_id(synthetic) == theirs
    result, _ = rebuild(synthetic, None, None, None)
    assert tree_hash(synthetic.out_dir) == fresh_site(synthetic, tmp_path)
    assert result.written.outcome is Outcome.REPLACED


# --------------------------------------------------------------------- the watch itself


@pytest.fixture
def watching(project: Project) -> Iterator[queue.Queue[Rebuild]]:
    """`watch` on the project in a thread; yields the queue of its rebuilds."""
    rebuilds: queue.Queue[Rebuild] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, rebuilds.put),
                              kwargs={"stop": stop, "quiet_ms": 150}, daemon=True)
    thread.start()
    yield rebuilds
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def next_rebuild(rebuilds: queue.Queue[Rebuild], reason: str) -> Rebuild:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rebuild = rebuilds.get(timeout=deadline - time.monotonic())
        if rebuild.cause.value == reason:
            return rebuild
    raise AssertionError(f"no {reason} rebuild")


def page_html(project: Project) -> str:
    return (project.out_dir / FIRST_STORY / "index.html").read_text(encoding="utf-8")


def test_watch_builds_then_rebuilds_on_save_and_reports_problems(project, watching):
    start = next_rebuild(watching, "start")
    assert start.result is not None and (project.out_dir / "index.html").is_file()

    good = story_text(project)
    path = write_story(project, set_top_level(good, "title", "A title saved while watching"))
    save = next_rebuild(watching, "save")
    assert save.result is not None and save.result.rendered == 1
    assert save.saved == (f"content/{FIRST_STORY}.md",)
    assert "A title saved while watching" in page_html(project)
    assert path.exists()

    before = tree_hash(project.out_dir)
    write_story(project, set_top_level(good, "title", '""'))
    bad = next_rebuild(watching, "save")
    assert bad.result is None
    assert [(p.file, p.field) for p in bad.problems] == [(f"content/{FIRST_STORY}.md", "title")]
    assert tree_hash(project.out_dir) == before

    write_story(project, good)
    fixed = next_rebuild(watching, "save")
    assert fixed.result is not None
    assert "A title saved while watching" not in page_html(project)


def test_watch_puts_right_a_hand_edit_to_the_site_once_saves_stop(project, watching):
    next_rebuild(watching, "start")
    built = tree_hash(project.out_dir)
    # Files the next save does not change, so only the full check can put them right.
    (project.out_dir / "404.html").write_text("edited by hand", encoding="utf-8")
    (project.out_dir / "static" / "stray.css").write_text("added by hand", encoding="utf-8")
    write_story(project, set_top_level(story_text(project), "title", "Saved"))
    next_rebuild(watching, "save")
    check = next_rebuild(watching, "check")
    assert check.result is not None and check.result.written.outcome is Outcome.REPLACED
    now = tree_hash(project.out_dir)
    assert now["404.html"] == built["404.html"]
    assert "static/stray.css" not in now
    assert "Saved" in page_html(project)


def test_build_watch_from_the_command_line_rebuilds_on_save_and_stops_on_ctrl_c(project):
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(project.root), "build", "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines, reader = _lines(process)
    # Read as it comes, like stdout: a pipe left unread stops a child that fills it.
    assert process.stderr is not None
    errors: list[str] = []
    stderr = process.stderr
    error_reader = threading.Thread(target=lambda: errors.extend(stderr), daemon=True)
    error_reader.start()
    try:
        assert "Built 1 explainer" in _until(lines, "Built")
        assert _until(lines, "Watching").startswith("Watching content/, seeds/, templates/")
        write_story(project, set_top_level(story_text(project), "title", "Saved"))
        saved = _until(lines, "ms")
        assert saved.startswith(f"content/{FIRST_STORY}.md: ")
        assert "1 page rendered" in saved
        assert "Saved" in page_html(project)
        # Once saves stop, the search index follows: said as the expected step it is.
        checked = _until(lines, "Checked everything once the saves stopped")
        assert "0 pages rendered" in checked and "unseen" not in checked
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    reader.join(10)
    error_reader.join(10)
    assert process.returncode == 0
    assert _until(lines, "Stopped.")
    assert not any("Traceback" in line for line in errors), "".join(errors)


@pytest.mark.parametrize("command", [["build", "--watch"], ["serve", "--port", "0"]])
def test_watching_without_a_content_folder_says_so_and_stops(tmp_path, capsys, command):
    # Nothing to watch: a watch that could never see the folder appear would wait forever.
    assert main(["--root", str(tmp_path), *command]) == 1
    assert "content/: folder: no content folder at" in capsys.readouterr().err


def test_build_watch_refuses_no_cache(project, capsys):
    assert main(["--root", str(project.root), "build", "--watch", "--no-cache"]) == 1
    assert "--watch" in capsys.readouterr().err


def _lines(process: subprocess.Popen) -> tuple[queue.Queue[str], threading.Thread]:
    """The process's output lines as they come, read by a thread that ends with the output."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True)
    reader.start()
    return lines, reader


def _until(lines: queue.Queue[str], text: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = lines.get(timeout=deadline - time.monotonic())
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r}")



def test_a_fresh_build_with_no_page_to_make_keeps_what_the_whole_update_would(synthetic):
    # A record read from the manifest with no page to make keeps every output as recorded
    # (incremental._as_recorded); an update in the same process always goes through the
    # stories, the lists and every group of outputs. They must agree.
    _, memory = rebuild(synthetic, None, None, None)
    _, whole = rebuild(synthetic, None, memory, None)
    _, fresh = rebuild(synthetic, None, None, None)
    assert whole.record.versions and not fresh.record.versions  # each took its own way
    assert fresh.record.outputs == whole.record.outputs
    assert fresh.record.sources == whole.record.sources
    assert fresh.record == whole.record


def test_saves_after_the_cache_and_then_the_site_were_deleted_make_what_is_missing(tmp_path):
    # After a save, a watching process looks only at what the save changed, and only while
    # every output of the build before is at hand: here they are in neither the cache nor
    # the site, and are made again.
    from tests.test_home_pages import desk

    project = desk(tmp_path / "desk", 5)
    _, memory = rebuild(project, None, None, None)
    shutil.rmtree(project.root / ".explainer-cache" / "files")
    for n, then in ((0, None), (1, lambda: shutil.rmtree(project.out_dir))):
        if then:
            then()
        saved = project.content_dir / f"truce-{n:03d}.md"
        saved.write_text(saved.read_text(encoding="utf-8").replace(
            "summary: Two leaders spoke", "summary: Two leaders spoke at length"),
            encoding="utf-8")
        _, memory = rebuild(project, None, memory, [saved], site_as_left=True)
    fresh = Project.at(project.root, tmp_path / "fresh")
    pipeline.build(fresh)
    assert tree_hash(project.out_dir) == tree_hash(fresh.out_dir)
