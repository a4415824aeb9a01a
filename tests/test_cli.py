"""The command line as a user types it."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from generator import parallel
from generator.cli import NO_BASE_URL, main


def test_root_works_before_or_after_the_command(project, capsys):
    assert main(["--root", str(project.root), "check"]) == 0
    assert main(["check", "--root", str(project.root)]) == 0
    assert capsys.readouterr().out.count("1 explainer checked: no problems.") == 2


def test_build_reports_what_it_did_then_that_nothing_changed(project, capsys):
    project.settings_file.write_text("base_url: https://desk.example.org/explainers/\n")
    assert main(["build", "--root", str(project.root)]) == 0
    assert main(["build", "--root", str(project.root)]) == 0
    out, err = capsys.readouterr()
    first, second = out.strip().split("\n")
    assert first.startswith("Built 1 explainer (") and "1 page rendered" in first
    assert second.startswith("Checked 1 explainer (") and second.endswith("site/ is up to date.")
    assert re.search(r"into site/ in [0-9.]+ m?s: ", first), "the summary says how long it took"
    assert err == "", "no progress drawn when the output is not a terminal"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_one_line_of_a_terminal_and_cleared_at_the_end():
    assert parallel.terminal_progress("Rendering", io.StringIO()) is None
    screen = Terminal()
    results = parallel.map_files(lambda made, n: n * made, [1, 2, 3], lambda: 10,
                                 progress=parallel.terminal_progress("Rendering", screen))
    assert results == [10, 20, 30]
    assert "\n" not in screen.getvalue()
    assert screen.getvalue().split("\r")[1:] == [
        "Rendering 1/3\x1b[K", "Rendering 2/3\x1b[K", "\x1b[K"]


def untimed(line: str) -> str:
    """A summary line without the time it gives ('in 148 ms', 'in 2.3 s')."""
    assert re.search(r" in [0-9.]+ m?s\b", line) or not line.startswith(("Built", "Checked")), \
        line
    return re.sub(r" in [0-9.]+ m?s\b", "", line, count=1)


def test_every_count_in_a_summary_agrees_with_its_noun(project, capsys):
    project.settings_file.write_text("base_url: https://desk.example.org/explainers/\n")
    assert main(["build", "--root", str(project.root)]) == 0
    path = project.content_dir / "trump-putin-phased-ceasefire-call.md"
    path.write_text(path.read_text().replace('title: "', 'title: "New: ', 1))
    assert main(["build", "--root", str(project.root)]) == 0
    lines = [untimed(line) for line in capsys.readouterr().out.strip().split("\n")]
    total = sum(1 for p in project.out_dir.rglob("*") if p.is_file()) - 1  # its mark
    assert lines[0] == (f"Built 1 explainer ({total} files) into site/: 1 page rendered, "
                        f"{total} files written, 0 removed.")
    # The page and the home page changed, the feed, the corrections page and its feed and
    # the story page, which show titles, its share card, and the search index; not the
    # sitemap.
    assert re.fullmatch(rf"Built 1 explainer \({total} files\) into site/: 1 page rendered, "
                        r"\d+ files written, \d+ removed\.", lines[1])
    assert int(lines[1].split(", ")[1].split()[0]) >= 7
    assert not re.search(r"\b1 (files|pages|explainers|problems)\b", "\n".join(lines))


def test_without_base_url_build_says_once_that_the_site_assumes_the_domain_root(
        project, capsys):
    assert main(["build", "--root", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert out.count(NO_BASE_URL) == 1
    assert out.strip().split("\n")[-1] == NO_BASE_URL
    project.settings_file.write_text("base_url: https://desk.example.org/explainers/\n")
    assert main(["build", "--root", str(project.root)]) == 0
    assert "base_url" not in capsys.readouterr().out


def test_a_negative_job_count_is_refused(project, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--root", str(project.root), "--jobs", "-1"])
    assert exit_.value.code == 2
    assert "'-1' is not a whole number of 0 or more" in capsys.readouterr().err


def test_python_dash_m_generator_is_the_same_command(project):
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(project.root),
                             "check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout == "1 explainer checked: no problems.\n"
