"""The GitHub Pages workflow: valid, and doing what GitHub documents for a Pages deployment."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def workflow() -> dict:
    # BaseLoader: GitHub reads `on:` as a key, where YAML 1.1 would read it as true.
    return yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def actionlint(workflow_file: Path) -> subprocess.CompletedProcess:
    linter = Path(sys.executable).parent / "actionlint"
    return subprocess.run([str(linter), "-no-color", str(workflow_file)], capture_output=True,
                          text=True, check=False)


def test_workflow_matches_githubs_workflow_schema():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_no_problem_in_the_workflow():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_an_action_on_a_retired_runtime(tmp_path):
    # What the test above guards against: checkout@v4 runs on node20, which GitHub retired.
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    old = tmp_path / ".github" / "workflows" / "pages.yml"
    old.write_text(re.sub(r"actions/checkout@v\d+", "actions/checkout@v4",
                          WORKFLOW.read_text(encoding="utf-8")), encoding="utf-8")
    result = actionlint(old)
    assert result.returncode == 1
    assert '"node20" is deprecated' in result.stdout and "actions/checkout@v4" in result.stdout


def test_runs_on_push_to_main_and_by_hand():
    triggers = workflow()["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_has_the_permissions_and_concurrency_pages_needs():
    data = workflow()
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"]


def test_build_tests_then_builds_with_the_pages_address_and_uploads_the_site():
    build = workflow()["jobs"]["build"]
    assert uses(build) == ["actions/checkout", "actions/setup-python",
                           "actions/configure-pages", "actions/upload-pages-artifact"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "make test" in runs
    built = next(r for r in runs if "explainer build" in r)
    assert "steps.pages.outputs.base_url" in built
    assert runs.index("make test") < runs.index(built)
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"


def test_deploy_job_publishes_the_artifact_to_the_pages_environment():
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages"]


def test_make_test_is_the_same_command_ci_runs():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert [line for line in ci.splitlines() if line and not line.startswith(("#", "set ",
                                                                                "cd "))] \
        == ["make test"]

