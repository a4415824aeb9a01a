"""The command line as a user types it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.cli import main


def test_root_works_before_or_after_the_command(project, capsys):
    assert main(["--root", str(project.root), "check"]) == 0
    assert main(["check", "--root", str(project.root)]) == 0
    assert capsys.readouterr().out.count("1 explainer checked: no problems.") == 2


def test_build_reports_what_it_did_then_that_nothing_changed(project, capsys):
    assert main(["build", "--root", str(project.root)]) == 0
    assert main(["build", "--root", str(project.root)]) == 0
    first, second = capsys.readouterr().out.strip().split("\n")
    assert first.startswith("Built 1 explainer (") and "1 page rendered" in first
    assert second.startswith("Checked 1 explainer (") and second.endswith("site/ is up to date.")


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
