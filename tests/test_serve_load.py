"""The live preview under load, as a newsroom's desk uses it: many tabs open, many pages asked
for at once. How fast it answers is measured by `python -m bench.serve --load`; this checks
that it answers every request and tells every tab."""

from __future__ import annotations

import shutil

from bench.serve import pages_of, under_load
from bench.synthetic import make_project
from generator.project import Project
from generator.serve import PreviewServer
from tests.test_serve import run_async


def test_100_concurrent_requests_and_50_open_tabs_all_answered_and_all_told_to_reload(
        tmp_path):
    project = Project.at(make_project(tmp_path / "desk", 100))
    server = PreviewServer(project, port=0, log=lambda _: None)
    server.start()
    try:
        pages = pages_of(project, 100)
        assert len(set(pages)) == 100
        # On a loop of its own: Playwright's tests may hold one in this thread.
        load = run_async(lambda: under_load(server, pages, project.content_dir / "story-00050.md",
                                            sockets=50))
    finally:
        server.stop()
        shutil.rmtree(tmp_path / "desk")
    assert load.failed == []
    assert len(load.requests) == 100
    assert load.told == 50
