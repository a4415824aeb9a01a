"""The GitHub Pages workflow: valid, and doing what GitHub documents for a Pages deployment."""

from __future__ import annotations

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


def test_workflow_matches_githubs_workflow_schema():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


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
