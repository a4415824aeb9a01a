"""Odd and hostile input that the table of bad inputs cannot write as bytes of one file:
symbolic links, settings, file names, and the invisible characters a quote may hold and
still be found. Each problem is exact, through both `check` and `build`, and the site is
left as it was."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from tests.bad_inputs import SEED, VALID
from tests.test_atomic_write import tree_hash

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
OUTSIDE = "content/outside.md: file: is a symbolic link to '../../elsewhere/outside.md', " \
    "outside the project, which is not read; copy the file into the project instead"


def other_explainer(slug: str) -> str:
    return VALID.replace("slug: truce-call", f"slug: {slug}")


def link_outside(root: Path) -> None:
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "outside.md").write_text(other_explainer("outside"), encoding="utf-8")
    (root / "content" / "outside.md").symlink_to("../../elsewhere/outside.md")


def seed_outside(root: Path) -> None:
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "truce.txt").write_text(SEED, encoding="utf-8")
    (root / "seeds" / "truce.txt").unlink()
    (root / "seeds" / "truce.txt").symlink_to("../../elsewhere/truce.txt")


def static_outside(root: Path) -> None:
    (root.parent / "secret.txt").write_text("not for the web\n", encoding="utf-8")
    (root / "templates" / "static" / "notes.txt").symlink_to("../../../secret.txt")


# (name, what makes the link, the problems; the content links are found with the problems of
# other content files, the static file once the content is valid, as the build renders).
LINKS: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("content file linked to itself",
     lambda root: (root / "content" / "loop.md").symlink_to("loop.md"),
     ["content/loop.md: file: is a symbolic link that leads back to itself; put the file "
      "itself here"]),
    ("two content files linked to each other",
     lambda root: ((root / "content" / "a.md").symlink_to("b.md"),
                   (root / "content" / "b.md").symlink_to("a.md")),
     ["content/a.md: file: is a symbolic link that leads back to itself; put the file itself "
      "here",
      "content/b.md: file: is a symbolic link that leads back to itself; put the file itself "
      "here"]),
    ("content file linked outside the project", link_outside, [OUTSIDE]),
    ("content file linked to nothing",
     lambda root: (root / "content" / "gone.md").symlink_to("draft.md"),
     ["content/gone.md: file: is a symbolic link to 'draft.md', which does not exist"]),
    ("seed linked outside the project", seed_outside,
     ["content/truce-call.md:6:7: seed: seeds/truce.txt is a symbolic link to "
      "'../../elsewhere/truce.txt', outside the project, which is not read; copy the file "
      "into the project instead"]),
    ("static file linked outside the project", static_outside,
     ["templates/static/notes.txt: file: is a symbolic link to '../../../secret.txt', "
      "outside the project, which is not read; copy the file into the project instead"]),
]


def run(root: Path, command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["--root", str(root), command])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert not CONTROL.search(out.out + out.err), "a raw control character reached the terminal"
    return status, out.err.strip().split("\n")


@pytest.mark.parametrize(("name", "setup", "expected"), LINKS, ids=[n for n, _, _ in LINKS])
def test_links_that_loop_or_leave_the_project_are_located_problems_and_nothing_is_read(
        small_project, capsys, name, setup, expected):
    before = tree_hash(small_project / "site")
    setup(small_project)
    if name.startswith("content file"):
        # Another file's own problem is still found and reported beside the link's.
        (small_project / "content" / "other.md").write_text(
            other_explainer("other").replace("status: open", "status: shut"), encoding="utf-8")
        expected = sorted([*expected, "content/other.md:33:13: questions[0].status: 'shut' is "
                           "not one of 'open', 'partly answered', 'answered'"])
    count = f"{len(expected)} problems found." if len(expected) > 1 else "1 problem found."
    for command in ("check", "build"):
        status, lines = run(small_project, command, capsys)
        if command == "check" and name.startswith("static"):
            assert status == 0  # checking reads no static file
            continue
        assert status == 1
        if command == "build":
            assert lines.pop() == "site/ was left as it was."
        assert lines == [*expected, count]
    assert tree_hash(small_project / "site") == before


def test_a_link_within_the_project_is_followed(small_project, capsys):
    drafts = small_project / "drafts"
    drafts.mkdir()
    (drafts / "linked.md").write_text(other_explainer("linked"), encoding="utf-8")
    (small_project / "content" / "linked.md").symlink_to("../drafts/linked.md")
    status, _ = run(small_project, "build", capsys)
    assert status == 0
    assert (small_project / "site" / "linked" / "index.html").is_file()


def test_a_cached_file_replaced_by_a_link_outside_is_refused(small_project, capsys):
    # The build cache knows the file; the link in its place must not be read to compare it.
    before = tree_hash(small_project / "site")
    content = small_project / "content"
    elsewhere = small_project.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "truce-call.md").write_text(VALID.replace("Ann Example", "Ann Other"))
    (content / "truce-call.md").unlink()
    (content / "truce-call.md").symlink_to("../../elsewhere/truce-call.md")
    status, lines = run(small_project, "build", capsys)
    assert status == 1
    assert lines[0] == ("content/truce-call.md: file: is a symbolic link to "
                        "'../../elsewhere/truce-call.md', outside the project, which is not "
                        "read; copy the file into the project instead")
    assert tree_hash(small_project / "site") == before


SETTINGS = [
    ("title: \"Desk\\e[5m\"\n",
     "explainer.yaml:1:8: title: control character U+001B (ESCAPE) is not allowed (in double "
     "quotes, YAML makes one of an escape such as \\e or \\x1b); delete it"),
    ("title: Desk \x07\n",
     "explainer.yaml:1:13: settings: control character U+0007 (BELL) is not allowed; delete it"),
    ("title: Desk #1 explainers\n",
     "explainer.yaml:1:13: title: the value ends at 'Desk': YAML reads '#1 explainers' as a "
     "comment; put the whole value in quotes (or, for a comment, leave two spaces before '#')"),
    ("publisher: The \u202eDesk\n",
     "explainer.yaml:1:12: publisher: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is "
     "not allowed: it makes text display in another order than it is written; delete it"),
]


@pytest.mark.parametrize(("settings", "expected"), SETTINGS)
def test_settings_are_checked_for_the_same_characters(small_project, capsys, settings,
                                                      expected):
    before = tree_hash(small_project / "site")
    (small_project / "explainer.yaml").write_text(settings, encoding="utf-8")
    for command in ("check", "build"):
        status, lines = run(small_project, command, capsys)
        assert status == 1
        assert lines[0] == expected
    assert tree_hash(small_project / "site") == before


def test_a_file_name_with_control_characters_is_shown_escaped(small_project, capsys):
    (small_project / "content" / "\x1b[2Jcall.md").write_text("no front matter\n")
    status, lines = run(small_project, "check", capsys)
    assert status == 1
    assert lines[0].startswith("content/\\x1b[2Jcall.md:1:1: front matter: the file must start")


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad"])
@pytest.mark.parametrize("where", ["quote", "article"])
def test_a_quote_is_found_whatever_invisible_character_either_side_holds(
        small_project, capsys, page, invisible, where):
    # Pasted from a web page, a quote or the article carries characters a reader never sees.
    text = VALID
    if where == "quote":
        text = text.replace("      - start with power plants",
                            f"      - start with power{invisible} plants")
    else:
        seed = SEED.replace("power plants.", f"power{invisible} plants.")
        (small_project / "seeds" / "truce.txt").write_text(seed, encoding="utf-8")
        text = text.replace("start with power plants.", f"start with power{invisible} plants.")
    (small_project / "content" / "truce-call.md").write_text(text, encoding="utf-8")
    status, _ = run(small_project, "build", capsys)
    assert status == 0
    story = page(small_project / "site" / "truce-call" / "index.html")
    link = story.select_one("#plan a.quote")
    target = story.find(id=link["href"].removeprefix("#"))
    assert "It would start with power" in target.get_text()


def test_hash_in_quotes_or_after_two_spaces_is_kept_as_written(small_project, capsys, page):
    text = VALID.replace("title: A call about a truce", "title: 'Ceasefire talks #2 explained'")
    text = text.replace("status: proposed", "status: proposed  # as of Tuesday")
    (small_project / "content" / "truce-call.md").write_text(text, encoding="utf-8")
    status, _ = run(small_project, "build", capsys)
    assert status == 0
    story = page(small_project / "site" / "truce-call" / "index.html")
    assert story.h1.get_text() == "Ceasefire talks #2 explained"


def test_right_to_left_marks_and_joiners_the_article_holds_are_accepted(small_project, capsys):
    # Persian writes some words with a zero width non-joiner; a quote of them holds it too.
    word = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a non-joiner
    seed = SEED.replace("Next steps", f"Next steps {word}")
    (small_project / "seeds" / "truce.txt").write_text(seed, encoding="utf-8")
    text = VALID.replace("## Next steps", f"## Next steps {word}")
    text = text.replace("      - a truce", f"      - {word}")
    text = text.replace("name: Ann Example", "name: Ann \u200fExample")
    (small_project / "content" / "truce-call.md").write_text(text, encoding="utf-8")
    status, lines = run(small_project, "check", capsys)
    assert status == 0, lines


def test_the_preview_reports_a_looping_link_too(small_project):
    from generator.incremental import PreviewSite
    from generator.project import Project

    loop = [
        "content/loop.md: file: is a symbolic link that leads back to itself; put the file "
        "itself here"]
    site = PreviewSite(Project.at(small_project))
    site.refresh()
    assert site.problems == []
    os.symlink("loop.md", small_project / "content" / "loop.md")
    site.refresh([small_project / "content" / "loop.md"])  # as the file watcher reports it
    assert [str(p) for p in site.problems] == loop
    site.refresh()
    assert [str(p) for p in site.problems] == loop
