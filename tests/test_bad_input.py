"""Every kind of bad input gets exact one-line errors, exit status 1, and an untouched site."""

from __future__ import annotations

import re

import pytest

from generator.cli import main
from tests.bad_inputs import CASES, EXPECTED, VALID
from tests.test_atomic_write import tree_hash


def test_the_table_is_large_and_every_case_has_an_expectation():
    assert len(CASES) >= 40
    assert [name for name, _ in CASES] == list(EXPECTED)


@pytest.mark.parametrize(("name", "transform"), CASES, ids=[name for name, _ in CASES])
def test_bad_input_is_reported_exactly_and_the_site_is_untouched(
        small_project, capsys, name, transform):
    before = tree_hash(small_project / "site")
    path = small_project / "content" / "truce-call.md"
    path.write_bytes(transform(VALID.encode("utf-8")))

    for command in ("check", "build"):
        status = main(["--root", str(small_project), command])
        out = capsys.readouterr()
        assert status == 1
        lines = out.err.strip().split("\n")
        expected = EXPECTED[name]
        count = len(expected)
        summary = f"{count} problem{'s' if count != 1 else ''} found."
        if command == "build":
            assert lines[-1] == "site/ was left as it was."
            lines = lines[:-1]
        assert lines == [*expected, summary]
        assert "Traceback" not in out.err
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out.out + out.err), \
            "a raw control character reached the terminal"
    assert tree_hash(small_project / "site") == before


def test_problems_in_several_files_are_all_reported(small_project, capsys):
    content = small_project / "content"
    (content / "truce-call.md").write_text(VALID.replace("status: open", "status: shut"))
    (content / "other.md").write_text(VALID.replace("slug: truce-call", "slug: other")
                                      .replace("kind: reporting", "kind: rumour"))
    assert main(["--root", str(small_project), "check"]) == 1
    err = capsys.readouterr().err.strip().split("\n")
    assert err[0].startswith("content/other.md:47:11: sources[0].kind: 'rumour' is not one of")
    assert err[1].startswith("content/truce-call.md:33:13: questions[0].status: 'shut' is not")
    assert err[2] == "2 problems found."


def test_two_files_with_the_same_slug_are_refused(small_project, capsys):
    (small_project / "content" / "again.md").write_text(VALID)
    assert main(["--root", str(small_project), "check"]) == 1
    err = capsys.readouterr().err.strip().split("\n")
    assert err == ["content/truce-call.md:3: slug: 'truce-call' is already the slug of "
                   "content/again.md:3", "1 problem found."]


def test_bom_and_crlf_line_endings_are_accepted(small_project, capsys):
    data = b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8")
    (small_project / "content" / "truce-call.md").write_bytes(data)
    assert main(["--root", str(small_project), "check"]) == 0
    assert capsys.readouterr().out == "1 explainer checked: no problems.\n"


def test_quoted_yaml_words_are_text(small_project):
    text = VALID.replace("    side: A\n", '    side: "no"\n').replace(
        "title: A call about a truce", "title: '2025-03-19'")
    (small_project / "content" / "truce-call.md").write_text(text)
    assert main(["--root", str(small_project), "check"]) == 0


def test_missing_content_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/: folder: no content folder at ")
