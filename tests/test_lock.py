"""uv.lock: the whole dependency set, runtime and test, at one version each with hashes; it
matches pyproject.toml, and the environment the tests run in is the one it describes."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO

UV = Path(sys.executable).parent / "uv"
LOCK = REPO / "uv.lock"


def uv(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    # --offline: the lock is checked against pyproject.toml, not against what the registry
    # holds today.
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": sys.prefix}
    return subprocess.run([str(UV), *args, "--offline", "--python", sys.executable], cwd=cwd,
                          env=env, capture_output=True, text=True, check=False)


def locked() -> dict[str, list[dict]]:
    """Each package of the lock by name (a name may be locked at two versions, one per range
    of Python versions)."""
    packages: dict[str, list[dict]] = {}
    for package in tomllib.loads(LOCK.read_text(encoding="utf-8"))["package"]:
        packages.setdefault(package["name"], []).append(package)
    return packages


def test_the_lock_matches_pyproject():
    result = uv("lock", "--check")
    assert result.returncode == 0, f"uv.lock is out of date: run make lock\n{result.stderr}"


def test_a_dependency_added_to_pyproject_but_not_locked_fails_the_check(tmp_path):
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(REPO / name, tmp_path / name)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(
        '"jinja2>=3.1",', '"jinja2>=3.1", "requests>=2",', 1), encoding="utf-8")
    assert uv("lock", "--check", cwd=tmp_path).returncode == 1


def test_the_tests_run_in_exactly_the_locked_versions():
    result = uv("sync", "--locked", "--inexact", "--extra", "test", "--check")
    assert result.returncode == 0, result.stderr


def test_every_locked_package_has_a_hash_for_each_of_its_files():
    for name, versions in locked().items():
        for package in versions:
            if "editable" in package["source"]:
                continue  # explainer itself
            files = [*package.get("wheels", []), *filter(None, [package.get("sdist")])]
            assert files, name
            assert all(f["hash"].startswith("sha256:") for f in files), name


def test_pip_installs_the_locked_uv_with_its_hashes():
    requirement = subprocess.run([sys.executable, str(REPO / ".ci" / "uv_requirement.py"),
                                  str(LOCK)], capture_output=True, text=True, check=True).stdout
    (uv_locked,) = locked()["uv"]
    assert requirement.split()[0] == f"uv=={uv_locked['version']}"
    assert requirement.split()[1:] == [f"--hash={w['hash']}" for w in uv_locked["wheels"]]
    assert importlib.metadata.version("uv") == uv_locked["version"]
