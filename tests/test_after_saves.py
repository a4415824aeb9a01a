"""The update after saves in a previewing or watching process (incremental._after_saves), which
changes the last update's record only where the saved files change it, against the update
worked out over every explainer (incremental._whole) from nothing: after each kind of edit,
the same files with the same bytes, the same versions of every input, the same stories and
the same lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.realistic import make_project, slug_of
from generator.cache import Record, Stored
from generator.incremental import Job, Update, update
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


# Each edit, with whether the update after it changes the last one's record (True) or works
# everything out again (False: the saves moved an explainer in the lists, or changed how many
# corrections there are).
EDITS: list[tuple[str, Callable[[Path], list[Path]], bool]] = [
    ("summary", _front(5, r"^summary: >-\n", "summary: >-\n  Edited while previewing.\n"), True),
    ("title", _front(3, r'^title: "Variant 3:', 'title: "Variant 3, renamed:'), True),
    ("a correction's words", _front(11, r"^    kind: correction\n    text: >-\n",
                                    "    kind: correction\n    text: >-\n      Reworded.\n"),
     True),
    ("the day updated", _front(2, r"^updated: 2026-12-02$", "updated: 2026-12-05"), True),
    ("the day of the events", _front(4, r"^events_from: 2025-03-16$", "events_from: 2025-03-15"),
     True),
    ("a phase's name", _front(7, r"^    title: Halt to strikes on energy infrastructure$",
                              "    title: Halt to strikes on power plants"), True),
    ("article and seed", _article, True),
    ("saved unchanged", _unchanged, True),
    ("an editor's temporary files", _temporary, True),
    ("an editor's temporary files deleted", _temporary_gone, True),
    ("the day published", _front(1, r"^published: 2026-11-27$", "published: 2026-11-28"), False),
    ("story", _front(10, r"^story: (.*)-1$", r"story: \1-0"), False),
    ("a correction", _front(11, r"^corrections:\n", "corrections:\n  - date: 2026-12-02\n"
                            "    kind: correction\n    text: A correction added.\n"), False),
]


def _whole(project: Project, folder: Path) -> Update:
    """The update from nothing, every file made, in a store of its own."""
    stored = Stored(folder)
    return update(Job(project, load_settings(project), stored), Record(), None, None,
                  lambda _: False)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("after-saves") / "desk", COUNT)


def test_each_update_after_saves_gives_what_the_whole_update_gives(desk, tmp_path):
    project = Project.at(desk)
    stored = Stored(tmp_path / "files")
    job = Job(project, load_settings(project), stored)
    change = update(job, Record(), None, None, stored.__contains__, at_hand=True)
    for n, (what, edit, patched) in enumerate(EDITS):
        look = frozenset(path.parent.resolve() / path.name for path in edit(desk))
        before = dict(change.shas)
        change = update(job, change.record, look, change.engines, stored.__contains__,
                        at_hand=True)
        assert (change.remade is not None) == patched, what
        whole = _whole(project, tmp_path / f"whole-{n}")
        assert dict(change.shas) == dict(whole.shas), what
        assert change.record.versions == whole.record.versions, what
        assert change.record.sources == whole.record.sources, what
        assert {ident: told.story for ident, told in change.record.stories.items()} == {
            ident: told.story for ident, told in whole.record.stories.items()}, what
        assert change.record.lists == whole.record.lists, what
        if change.remade is not None:  # it names every file whose bytes changed
            after = dict(change.shas)
            assert {path for path in before.keys() | after.keys()
                    if before.get(path) != after.get(path)} <= change.remade, what
