"""`explainer publish`: build, then commit the site to a gh-pages branch and push it.

Everything happens in git's object store: the site is added through a temporary index, so the
working tree, the real index and the current branch are never touched. The new commit goes on
top of the branch's history and is pushed without force, as `mkdocs gh-deploy` and Pelican's
`make github` do.

ghp-import does the same job, but it runs git in the process's current folder, quietly moves the
local branch to the remote's tip, and prints rather than fails when its commit fails; the few
plumbing commands below do exactly what is needed and report every failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.incremental import build
from generator.pipeline import Built
from generator.project import Project
from generator.schema import Settings

# What a published site is made from: a change to any of these must be committed first.
SOURCES = ("content", "seeds", "templates", "explainer.yaml")


class PublishError(Exception):
    """Publishing was refused or failed; nothing was changed on the branch."""


@dataclass(frozen=True)
class Published:
    commit: str
    parent: str | None
    branch: str
    pushed_to: str | None
    address: str | None
    build: Built


def git(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run one git command in `folder`; its output, or PublishError with git's own message."""
    result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, check=False)
    if result.returncode != 0:
        command = next(a for a in args if not a.startswith("-"))
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PublishError(f"git {command} failed: {detail[-1] if detail else 'no message'}")
    return result.stdout.rstrip("\n")


def _try_git(repo: Path, *args: str) -> str | None:
    try:
        return git(repo, *args)
    except PublishError:
        return None


def publish(project: Project, *, remote: str = "origin", branch: str = "gh-pages",
            push: bool = True, message: str | None = None, allow_dirty: bool = False,
            base_url: str | None = None) -> Published:
    """Build the site and commit it on top of `branch`; push it unless `push` is False."""
    repo = project.root
    if _try_git(repo, "rev-parse", "--show-toplevel") is None:
        raise PublishError(f"{repo} is not inside a git repository")
    if _try_git(repo, "symbolic-ref", "--quiet", "--short", "HEAD") == branch:
        raise PublishError(f"'{branch}' is the branch checked out here; switch to your "
                           "source branch first")
    dirty = git(repo, "status", "--porcelain", "--", *SOURCES)
    if dirty and not allow_dirty:
        files = ", ".join(line[3:] for line in dirty.splitlines()[:5])
        raise PublishError(f"uncommitted changes in {files}: commit them first, or publish "
                           "anyway with --allow-dirty")
    source = _try_git(repo, "rev-parse", "HEAD")

    parent = _try_git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    if push:
        parent = _parent_after_fetch(repo, remote, branch, parent)

    result = build(project, base_url)
    tree = _tree_of(repo, result.out_dir)
    text = message or _default_message(source, bool(dirty))
    commit = git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", text)
    git(repo, "update-ref", "-m", "explainer publish", f"refs/heads/{branch}", commit,
        parent or "0" * 40)
    if push:
        git(repo, "push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}")
    return Published(commit, parent, branch, remote if push else None,
                     _address(result.settings, repo, remote), result)


def _parent_after_fetch(repo: Path, remote: str, branch: str, local: str | None) -> str | None:
    """The commit to build on: the local branch, if it contains everything the remote has."""
    if _try_git(repo, "remote", "get-url", remote) is None:
        raise PublishError(f"no git remote named '{remote}'; add one, choose another with "
                           "--remote, or use --no-push")
    listed = git(repo, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if not listed:
        return local  # the first publication to this remote
    remote_tip = listed.split()[0]
    git(repo, "fetch", "--quiet", remote, f"refs/heads/{branch}")
    if local is None:
        return remote_tip
    if _try_git(repo, "merge-base", "--is-ancestor", remote_tip, local) is None:
        raise PublishError(
            f"{remote}/{branch} has commits that your {branch} does not (someone else "
            f"published since); to build on theirs run: git fetch {remote} {branch} && "
            f"git branch -f {branch} FETCH_HEAD, then publish again")
    return local


def _tree_of(repo: Path, folder: Path) -> str:
    """Write the folder into git's object store as a tree, through a throwaway index."""
    git_dir = git(repo, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory(prefix="explainer-publish-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        # -f: the site folder is usually in .gitignore, and must be added all the same.
        git(folder, f"--git-dir={git_dir}", f"--work-tree={folder}", "add", "--all", "--force",
            ".", env=env)
        return git(folder, f"--git-dir={git_dir}", "write-tree", env=env)


def _default_message(source: str | None, dirty: bool) -> str:
    if source is None:
        return f"Publish site (no source commit yet)\n\nBuilt by explainer {__version__}."
    note = ", with uncommitted changes" if dirty else ""
    return (f"Publish site from {source[:12]}{note}\n\nSource commit: {source}\n"
            f"Built by explainer {__version__}.")


def _address(settings: Settings, repo: Path, remote: str) -> str | None:
    """Where the site will appear: the settings' base URL, the custom domain, or the address
    GitHub Pages gives a github.com remote."""
    if settings.base_url:
        return settings.base_url
    if settings.custom_domain:
        return f"https://{settings.custom_domain}/"
    url = _try_git(repo, "remote", "get-url", remote) or ""
    found = re.search(r"github\.com[:/]([^/]+)/([^/]+?)(?:\.git)?/?$", url)
    if not found:
        return None
    owner, name = found.group(1).lower(), found.group(2)
    if name.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{name}/"
