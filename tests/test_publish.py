"""explainer publish: the site committed to gh-pages and pushed, the user's work untouched."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.incremental import build
from generator.project import Project
from tests.conftest import FIRST_STORY, REPO

IDENTITY = ["-c", "user.name=Test Editor", "-c", "user.email=editor@example.org"]


def run(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> tuple[Project, Path]:
    """A source repository holding the project, and a bare remote it pushes to."""
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Editor")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "editor@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Editor")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "editor@example.org")
    remote = tmp_path / "remote.git"
    run(tmp_path, "init", "--quiet", "--bare", str(remote))
    work = tmp_path / "work"
    work.mkdir()
    for part in ("content", "seeds", "templates"):
        shutil.copytree(REPO / part, work / part)
    (work / ".gitignore").write_text("site/\n.site.*\n")
    (work / "explainer.yaml").write_text(
        "title: Test explainers\ncustom_domain: explainers.example.org\n")
    run(work, "init", "--quiet", "--initial-branch=main")
    run(work, "add", ".")
    run(work, "commit", "--quiet", "-m", "Source")
    run(work, "remote", "add", "origin", str(remote))
    return Project.at(work), remote


def state(work: Path) -> tuple[str, str, str, str]:
    """What the user would notice changing: branch, HEAD, index and working tree status."""
    return (run(work, "symbolic-ref", "HEAD"), run(work, "rev-parse", "HEAD"),
            run(work, "ls-files", "--stage"), run(work, "status", "--porcelain"))


def test_publishing_twice_stacks_commits_and_leaves_the_work_untouched(repo, capsys):
    project, remote = repo
    before = state(project.root)
    assert main(["--root", str(project.root), "publish"]) == 0
    assert state(project.root) == before
    out = capsys.readouterr().out
    assert "Pushed gh-pages to origin." in out
    assert "The site will appear at https://explainers.example.org/" in out
    first = run(remote, "rev-parse", "gh-pages")

    (project.content_dir / f"{FIRST_STORY}.md").write_text(
        (project.content_dir / f"{FIRST_STORY}.md").read_text().replace(
            "updated: 2026-12-02", "updated: 2026-12-03"))
    run(project.root, "commit", "--quiet", "-am", "Update")
    before = state(project.root)
    assert main(["--root", str(project.root), "publish"]) == 0
    second = run(remote, "rev-parse", "gh-pages")
    assert run(remote, "rev-parse", "gh-pages^") == first, "on top of the earlier publication"
    assert state(project.root) == before

    files = run(remote, "ls-tree", "-r", "--name-only", "gh-pages").split("\n")
    assert {"index.html", f"{FIRST_STORY}/index.html", ".nojekyll", "CNAME",
            "static/style.css"} <= set(files)
    assert run(remote, "show", "gh-pages:CNAME") == "explainers.example.org"
    source = run(project.root, "rev-parse", "HEAD")
    message = run(remote, "log", "-1", "--format=%B", second)
    assert source in message and message.startswith(f"Publish site from {source[:12]}")
    assert "Updated <time datetime=\"2026-12-03\">" in run(
        remote, "show", f"gh-pages:{FIRST_STORY}/index.html")


def test_no_push_commits_locally_only(repo):
    project, remote = repo
    assert main(["--root", str(project.root), "publish", "--no-push", "--message", "Mine"]) == 0
    assert run(project.root, "log", "-1", "--format=%s", "gh-pages") == "Mine"
    assert run(remote, "branch", "--list") == ""


def test_uncommitted_content_is_refused_and_nothing_changes(repo, capsys):
    project, remote = repo
    story = project.content_dir / f"{FIRST_STORY}.md"
    story.write_text(story.read_text().replace("status: proposed", "status: agreed", 1))
    before = state(project.root)
    assert main(["--root", str(project.root), "publish"]) == 1
    err = capsys.readouterr().err
    assert f"uncommitted changes in content/{FIRST_STORY}.md" in err
    assert "--allow-dirty" in err and "Nothing was published." in err
    assert state(project.root) == before
    assert run(remote, "branch", "--list") == ""
    assert main(["--root", str(project.root), "publish", "--allow-dirty"]) == 0
    assert "uncommitted changes" in run(remote, "log", "-1", "--format=%s", "gh-pages")


def test_failing_build_is_refused_and_nothing_changes(repo, capsys):
    project, remote = repo
    assert main(["--root", str(project.root), "publish"]) == 0
    published = run(remote, "rev-parse", "gh-pages")
    story = project.content_dir / f"{FIRST_STORY}.md"
    story.write_text(story.read_text().replace("    status: agreed", "    status: maybe", 1))
    run(project.root, "commit", "--quiet", "-am", "Broken")
    before = state(project.root)
    assert main(["--root", str(project.root), "publish"]) == 1
    err = capsys.readouterr().err
    assert "plan[0].status: 'maybe' is not one of" in err and "Nothing was published." in err
    assert run(remote, "rev-parse", "gh-pages") == published
    assert run(project.root, "rev-parse", "gh-pages") == published
    assert state(project.root) == before


def test_remote_that_moved_on_is_refused(repo, tmp_path, capsys):
    project, remote = repo
    assert main(["--root", str(project.root), "publish"]) == 0
    other = tmp_path / "other"
    run(tmp_path, "clone", "--quiet", "--branch", "gh-pages", str(remote), str(other))
    (other / "extra.html").write_text("someone else")
    run(other, "add", ".")
    run(other, "commit", "--quiet", "-m", "Someone else's publication")
    run(other, "push", "--quiet", "origin", "gh-pages")
    theirs = run(remote, "rev-parse", "gh-pages")

    assert main(["--root", str(project.root), "publish"]) == 1
    err = capsys.readouterr().err
    assert "origin/gh-pages has commits that your gh-pages does not" in err
    assert run(remote, "rev-parse", "gh-pages") == theirs


def test_publish_refuses_outside_a_repository(project, capsys):
    assert main(["--root", str(project.root), "publish"]) == 1
    assert "is not inside a git repository" in capsys.readouterr().err


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_every_internal_link_resolves_under_a_project_sub_path(project, tmp_path):
    """GitHub Pages serves a project site under /<repo>/: nothing may assume the root."""
    build(project, base_url="https://example.github.io/explainers/")
    served = tmp_path / "pages"
    shutil.copytree(project.out_dir, served / "explainers")

    def handler(*args, **kwargs):
        return _Quiet(*args, directory=str(served), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/explainers/"
    try:
        seen, queue = set(), [base]
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            with urlopen(url, timeout=5) as response:
                assert response.status == 200, url
                body = response.read()
            if not url.endswith(("/", ".html")):
                continue
            soup = BeautifulSoup(body, "html.parser")
            for tag in soup.find_all(["a", "link", "script", "img"]):
                ref = tag.get("href") or tag.get("src")
                if not ref or (urlsplit(ref).scheme in ("http", "https", "mailto") and \
                        not ref.startswith(base)):
                    continue
                target = urljoin(url, ref).split("#")[0]
                assert target.startswith(base), f"{url}: {ref} leaves the sub-path"
                queue.append(target)
        assert len(seen) >= 3
    finally:
        server.shutdown()


@pytest.mark.parametrize(("url", "address"), [
    ("git@github.com:Desk/explainers.git", "https://desk.github.io/explainers/"),
    ("https://github.com/desk/desk.github.io", "https://desk.github.io/"),
    ("/srv/git/explainers.git", None),
])
def test_the_address_github_pages_will_use_is_printed(repo, capsys, url, address):
    project, _ = repo
    (project.root / "explainer.yaml").write_text("title: Test explainers\n")
    run(project.root, "commit", "--quiet", "-am", "No custom domain")
    run(project.root, "remote", "set-url", "origin", url)
    assert main(["--root", str(project.root), "publish", "--no-push"]) == 0
    out = capsys.readouterr().out
    if address:
        assert f"The site will appear at {address}" in out
    else:
        assert "will appear" not in out
