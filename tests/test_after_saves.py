"""The update after saves in a previewing or watching process (incremental._after_saves), which
changes the last update's record only where the saved files change it, against the update
worked out over every explainer (incremental._whole) from nothing: after each kind of edit,
the same files with the same bytes, the same versions of every input, the same stories and
the same lists."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.realistic import make_project, slug_of
from generator import incremental, lists
from generator.cache import Record, Stored
from generator.errors import ContentError
from generator.incremental import Job, PreviewSite, Update, update
from generator.pipeline import load_settings
from generator.project import Project

COUNT = 12  # two stories: explainers 0 to 9, and 10 and 11


def _content(root: Path, n: int) -> Path:
    return root / "content" / f"{slug_of(n)}.md"


def _edit(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited = re.sub(pattern, new, text, count=1, flags=re.MULTILINE)
    assert edited != text, (path, pattern)
    path.write_text(edited, encoding="utf-8")


def _front(n: int, pattern: str, new: str) -> Callable[[Path], list[Path]]:
    def edit(root: Path) -> list[Path]:
        _edit(_content(root, n), pattern, new)
        return [_content(root, n)]
    return edit


def _article(root: Path) -> list[Path]:
    """An edit to an article and its seed, which no list shows."""
    seed = root / "seeds" / f"{slug_of(8)}.txt"
    for path in (seed, _content(root, 8)):
        _edit(path, "marks an initial diplomatic step", "marks a first diplomatic step")
    return [seed, _content(root, 8)]


def _unchanged(root: Path) -> list[Path]:
    path = _content(root, 9)
    path.write_bytes(path.read_bytes())
    return [path]


def _temporary(root: Path) -> list[Path]:
    """What some editors do on saving: write a file to test the folder, and delete it."""
    made = [root / "content" / "4913", root / "seeds" / ".story-00006.txt.tmp"]
    for path in made:
        path.write_text("", encoding="utf-8")
    return made


def _temporary_gone(root: Path) -> list[Path]:
    gone = [root / "content" / "4913", root / "seeds" / ".story-00006.txt.tmp"]
    for path in gone:
        path.unlink()
    return gone


# What the update after an edit does: change the last one's record (PATCHED), work everything
# out again (WHOLE: the saves moved an explainer in the lists, or changed how many corrections
# there are), or fail (FAILS: a ContentError; the next update looks at the files again).
PATCHED, WHOLE, FAILS = "patched", "whole", "fails"
Edit = tuple[str, Callable[[Path], list[Path]], str]

EDITS: list[Edit] = [
    ("summary", _front(5, r"^summary: >-\n", "summary: >-\n  Edited while previewing.\n"), PATCHED),
    ("title", _front(3, r'^title: "Variant 3:', 'title: "Variant 3, renamed:'), PATCHED),
    ("a correction's words", _front(11, r"^    kind: correction\n    text: >-\n",
                                    "    kind: correction\n    text: >-\n      Reworded.\n"),
     PATCHED),
    ("the day updated", _front(2, r"^updated: 2026-12-02$", "updated: 2026-12-05"), PATCHED),
    ("the day of the events", _front(4, r"^events_from: 2025-03-16$", "events_from: 2025-03-15"),
     PATCHED),
    ("a phase's name", _front(7, r"^    title: Halt to strikes on energy infrastructure$",
                              "    title: Halt to strikes on power plants"), PATCHED),
    ("article and seed", _article, PATCHED),
    ("a correction's day", _front(4, r"^  - date: 2026-12-02\n    kind: correction",
                                  "  - date: 2026-11-30\n    kind: correction"), PATCHED),
    ("saved unchanged", _unchanged, PATCHED),
    ("an editor's temporary files", _temporary, PATCHED),
    ("an editor's temporary files deleted", _temporary_gone, PATCHED),
    ("the day published", _front(1, r"^published: 2026-11-27$", "published: 2026-11-28"), WHOLE),
    ("story", _front(10, r"^story: (.*)-1$", r"story: \1-0"), WHOLE),
    ("a correction", _front(11, r"^corrections:\n", "corrections:\n  - date: 2026-12-02\n"
                            "    kind: correction\n    text: A correction added.\n"), WHOLE),
]


def _whole(project: Project, folder: Path) -> Update:
    """The update from nothing, every file made, in a store of its own."""
    stored = Stored(folder)
    return update(Job(project, load_settings(project), stored), Record(), None, None,
                  lambda _: False)


def _seed(name: str, old: str, new: str) -> Callable[[Path], list[Path]]:
    def edit(root: Path) -> list[Path]:
        path = root / "seeds" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return [path]
    return edit


def _new_seed(root: Path) -> list[Path]:
    path = root / "seeds" / "unused.txt"
    path.write_text("An article no explainer is checked against.\n", encoding="utf-8")
    return [path]


def _removed(name: str) -> Callable[[Path], list[Path]]:
    def edit(root: Path) -> list[Path]:
        (root / name).unlink()
        return [root / name]
    return edit


_SAME_STEP = "marks an initial diplomatic step", "marks a first diplomatic step"

# More of them, on a site without a base URL (no sitemap, feed or cards) and with small pages
# of the home page and a short feed, so that explainers are on several pages and outside the
# feed; some fail, and the next update is to look at their files again.
MORE_EDITS: list[Edit] = [
    ("a story's title from its newest explainer", _front(10, r"^story_title: .*\n", ""), PATCHED),
    ("and from the other's", _front(11, r"^story_title: .*\n", ""), PATCHED),
    ("the explainer changed last", _front(10, r"^updated: 2026-12-02$", "updated: 2026-12-09"),
     PATCHED),
    ("its title", _front(10, r'^title: "Variant 10:', 'title: "Variant 10, renamed:'), PATCHED),
    ("the other changed last", _front(11, r"^updated: 2026-12-02$", "updated: 2026-12-10"),
     PATCHED),
    ("a story in order of its events", _front(9, r"^events_from: 2025-03-16$",
                                             "events_from: 2025-03-01"), PATCHED),
    ("developing", _front(5, r"^(story: .*)$", r"\1\ndeveloping: true"), PATCHED),
    ("a seed shared", _front(5, r"^seed: .*$", "seed: story-00006.txt"), PATCHED),
    ("a shared seed that no longer says what one explainer quotes",
     _seed("story-00006.txt", *_SAME_STEP), FAILS),
    ("both explainers say it again", lambda root: [
        *_front(5, _SAME_STEP[0], _SAME_STEP[1])(root),
        *_front(6, _SAME_STEP[0], _SAME_STEP[1])(root)], PATCHED),
    ("a seed no explainer uses", _new_seed, PATCHED),
    ("and deleted", _removed("seeds/unused.txt"), PATCHED),
    ("a seed no longer used, deleted", _removed("seeds/story-00005.txt"), PATCHED),
    ("an explainer leaves its story", _front(11, r"^story: .*\n", ""), WHOLE),
    ("and is edited alone", _front(11, r"^summary: >-\n", "summary: >-\n  Alone now.\n"),
     PATCHED),
    ("and changed last of all", _front(11, r"^updated: .*$", "updated: 2026-12-20"), PATCHED),
]


def _check_each(desk: Path, edits: list[Edit], folder: Path) -> None:
    """After each edit, the update after saves against the whole update from nothing."""
    project = Project.at(desk)
    stored = Stored(folder / "files")
    job = Job(project, load_settings(project), stored)
    change = update(job, Record(), None, None, stored.__contains__, at_hand=True)
    pending: frozenset[Path] = frozenset()
    for n, (what, edit, outcome) in enumerate(edits):
        look = pending | frozenset(path.parent.resolve() / path.name for path in edit(desk))
        before = dict(change.shas)
        try:
            change = update(job, change.record, look, change.engines, stored.__contains__,
                            at_hand=True)
        except ContentError:
            assert outcome == FAILS, what
            pending = look
            continue
        pending = frozenset()
        assert (PATCHED if change.remade is not None else WHOLE) == outcome, what
        whole = _whole(project, folder / f"whole-{n}")
        assert dict(change.shas) == dict(whole.shas), what
        assert change.record.versions == whole.record.versions, what
        assert change.record.sources == whole.record.sources, what
        assert change.record.files == whole.record.files, what
        assert {ident: told.story for ident, told in change.record.stories.items()} == {
            ident: told.story for ident, told in whole.record.stories.items()}, what
        assert change.record.lists == whole.record.lists, what
        if change.remade is not None:  # it names every file whose bytes changed
            after = dict(change.shas)
            assert {path for path in before.keys() | after.keys()
                    if before.get(path) != after.get(path)} <= change.remade, what


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return make_project(tmp_path / "desk", COUNT)


def test_each_update_after_saves_gives_what_the_whole_update_gives(desk, tmp_path):
    _check_each(desk, EDITS, tmp_path)


def test_so_it_does_on_a_site_of_many_home_pages_without_a_base_url(desk, tmp_path,
                                                                     monkeypatch):
    (desk / "explainer.yaml").write_text("title: Realistic newsroom\n", encoding="utf-8")
    monkeypatch.setattr(lists, "HOME_PAGE_SIZE", 3)
    monkeypatch.setattr(lists, "FEED_ENTRIES", 3)
    _check_each(desk, MORE_EDITS, tmp_path)


def test_so_it_does_with_a_base_url_too(desk, tmp_path, monkeypatch):
    monkeypatch.setattr(lists, "HOME_PAGE_SIZE", 3)
    monkeypatch.setattr(lists, "FEED_ENTRIES", 3)
    _check_each(desk, MORE_EDITS, tmp_path)


def test_an_update_that_cannot_go_on_after_saves_renders_the_saved_page_once(
        desk, tmp_path, monkeypatch):
    project = Project.at(desk)
    stored = Stored(tmp_path / "files")
    job = Job(project, load_settings(project), stored)
    change = update(job, Record(), None, None, stored.__contains__, at_hand=True)
    rendered: list[str] = []
    make_page = incremental.make_page

    def counted(*args, **kwargs):  # one page: rendered in this process
        rendered.append(args[3].name)
        return make_page(*args, **kwargs)

    monkeypatch.setattr(incremental, "make_page", counted)
    saved = _front(1, r"^published: 2026-11-27$", "published: 2026-11-28")(desk)
    change = update(job, change.record, frozenset(saved), change.engines, stored.__contains__,
                    at_hand=True)
    assert change.remade is None  # the whole update, which moved it in the lists
    # Once; the others of its story again, as it moved among them.
    assert rendered.count(f"{slug_of(1)}.md") == 1


def test_the_preview_keeps_only_its_files_after_saves_and_a_failure(desk):
    site = PreviewSite(Project.at(desk))
    site.refresh(None)
    folder = site.files.stored.folder  # type: ignore[attr-defined]
    edits = [_front(5, r"^summary: >-\n", "summary: >-\n  Once.\n"),
             _front(5, r"^summary: >-\n", "summary: >-\n  Twice.\n"),
             _front(5, r"^events_to: .*$", "events_to: 2025-03-01"),  # before the events begin
             _front(3, r"^summary: >-\n", "summary: >-\n  Meanwhile.\n"),
             _front(5, r"^events_to: .*$", "events_to: 2025-03-18"),
             _front(4, r"^updated: .*$", "updated: 2026-12-09")]
    for n, edit in enumerate(edits):
        site.refresh(edit(desk))
        assert bool(site.problems) == (n in (2, 3)), n  # till the explainer is put right
        if not site.problems:
            assert set(os.listdir(folder)) == set(site.files.shas.values()), n  # type: ignore


def test_after_a_failure_saves_through_a_linked_folder_still_change_the_last_update(
        desk, tmp_path, monkeypatch):
    linked = tmp_path / "linked"
    linked.symlink_to(desk)  # the project opened through a link, as a watcher reports it
    site = PreviewSite(Project.at(linked))
    site.refresh(None)
    wholes: list[int] = []
    whole = incremental._whole

    def counted(*args, **kwargs):
        wholes.append(1)
        return whole(*args, **kwargs)

    monkeypatch.setattr(incremental, "_whole", counted)
    path = linked / "content" / f"{slug_of(5)}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("events_to: 2025-03-18", "events_to: 2025-03-01"),
                    encoding="utf-8")
    site.refresh([path])
    assert site.problems  # the events end before they begin
    path.write_text(text.replace("summary: >-\n", "summary: >-\n  Put right.\n"),
                    encoding="utf-8")
    site.refresh([path])
    assert not site.problems and wholes == []
