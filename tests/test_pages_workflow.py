"""The GitHub Pages workflow: valid, and doing what GitHub documents for a Pages deployment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def workflow() -> dict:
    # BaseLoader: GitHub reads `on:` as a key, where YAML 1.1 would read it as true.
    return yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def step_using(job: dict, action: str, path: str) -> dict:
    """The step of `job` that runs `action` on `path` (actions/cache is used twice)."""
    return next(step for step in job["steps"] if step.get("uses", "").startswith(action + "@")
                and path in step.get("with", {}).get("path", "").split())


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
    assert uses(build) == ["actions/checkout", "actions/setup-python", "actions/cache",
                           "actions/configure-pages", "actions/cache",
                           "actions/upload-pages-artifact"]
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


def test_the_build_restores_the_last_builds_cache_right_before_building():
    build = workflow()["jobs"]["build"]
    steps = build["steps"]
    restore = step_using(build, "actions/cache", ".explainer-cache")
    built = next(s for s in steps if "explainer build" in s.get("run", ""))
    tested = next(s for s in steps if s.get("run") == "make test")
    # After the tests, so that nothing they do touches it; saved when the job succeeds.
    assert steps.index(tested) < steps.index(restore) == steps.index(built) - 1


def test_the_build_cache_is_keyed_on_what_every_page_depends_on():
    restore = step_using(workflow()["jobs"]["build"], "actions/cache", ".explainer-cache")
    key, fallback = restore["with"]["key"], restore["with"]["restore-keys"].strip()
    # The inputs that make the build throw a cache away: library versions (the lock), the
    # generator, the templates, the settings and the Python version (of the manifest).
    hashed = re.search(r"hashFiles\(([^)]*)\)", key).group(1)
    assert [p.strip(" '") for p in hashed.split(",")] == [
        "uv.lock", "generator/**/*.py", "templates/**", "explainer.yaml"]
    assert "env.PYTHON_VERSION" in key
    for pattern in ("uv.lock", "generator/**/*.py", "templates/**"):
        assert list(REPO.glob(pattern)), f"{pattern} names no file of the repository"
    # Each run saves a new cache (a key is written once); a run restores the newest cache of
    # the same inputs, whatever explainers it was built from.
    assert key.endswith("-${{ github.run_id }}")
    assert fallback == key.removesuffix("${{ github.run_id }}")


def test_package_downloads_are_cached_for_pip_uv_and_npm_keyed_on_the_locks():
    build = workflow()["jobs"]["build"]
    steps = build["steps"]
    downloads = step_using(build, "actions/cache", "~/.cache/uv")
    assert downloads["with"]["path"].split() == ["~/.cache/pip", "~/.cache/uv", "~/.npm"]
    assert "hashFiles('uv.lock', 'package-lock.json')" in downloads["with"]["key"]
    assert steps.index(downloads) < next(i for i, s in enumerate(steps)
                                         if s.get("run") == "make test")


def test_python_on_the_runner_is_the_version_the_cache_is_keyed_on():
    data = workflow()
    setup = next(s for s in data["jobs"]["build"]["steps"]
                 if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ env.PYTHON_VERSION }}"
    assert data["env"]["PYTHON_VERSION"] == "3.11"


@pytest.fixture
def github_runner(tmp_path) -> tuple[dict[str, str], Path]:
    """The environment of `make` on GitHub's Ubuntu runner: not root, Google Chrome named by
    CHROMIUM, Java on the path; apt-get only records that it was called."""
    tools = tmp_path / "bin"
    tools.mkdir()
    calls = tmp_path / "apt-get calls"
    scripts = {"id": "echo 1001", "java": "exit 0", "google-chrome": "exit 0",
               "apt-get": f'echo "$@" >> "{calls}"', "sudo": f'echo "$@" >> "{calls}"'}
    for name, body in scripts.items():
        (tools / name).write_text(f"#!/bin/sh\n{body}\n")
        (tools / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
           "CHROMIUM": str(tools / "google-chrome")}
    return env, calls


def test_browser_set_up_installs_nothing_on_a_github_runner(github_runner):
    env, calls = github_runner
    result = subprocess.run(["make", "--no-print-directory", "browser"], cwd=REPO, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert not calls.exists(), "nothing is installed"


def test_browser_set_up_names_what_is_missing_where_it_cannot_install(github_runner):
    env, calls = github_runner
    env["CHROMIUM"] = "/nonexistent/chrome"
    result = subprocess.run(["make", "--no-print-directory", "browser"], cwd=REPO, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "The browser tests need: sudo apt-get install chromium" in result.stderr
    assert not calls.exists()
