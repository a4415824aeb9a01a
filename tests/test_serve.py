"""explainer serve: a live preview that rebuilds on save and reloads the open tab."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable, Coroutine

import jinja2
import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from generator.cli import main
from generator.serve import RELOAD_SCRIPT, PortInUse, PreviewServer
from tests.conftest import FIRST_STORY, set_top_level, story_text, write_story

PAGE = f"{FIRST_STORY}/"


def fetch(server: PreviewServer, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def raw_get(server: PreviewServer, path: str) -> int:
    """A request line sent exactly as written, as an attacker would, not as a browser would."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


async def _reload_after(server: PreviewServer, action: Callable[[], None],
                        origin: str | None = None) -> dict:
    origin = origin or f"http://{server.host}:{server.port}"
    request = HTTPRequest(f"ws://{server.host}:{server.port}/livereload",
                          headers={"Origin": origin})
    socket_ = await websocket_connect(request)
    await socket_.write_message(json.dumps({"command": "hello",
                                            "protocols": ["http://livereload.com/protocols/official-7"]}))
    hello = json.loads(await socket_.read_message())
    assert hello["command"] == "hello"
    await socket_.write_message(json.dumps({"command": "info", "url": server.url}))
    for _ in range(100):
        if server.hub.waiters:
            break
        await asyncio.sleep(0.01)
    action()
    message = await asyncio.wait_for(socket_.read_message(), 10)
    socket_.close()
    return json.loads(message)


def run_async(make_coroutine: Callable[[], Coroutine]) -> object:
    """Run a coroutine on its own loop in another thread: Playwright's sync API may already
    hold a running loop in this one."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as err:  # re-raised in the test's thread
            outcome["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def reload_after(server: PreviewServer, action: Callable[[], None]) -> dict:
    return run_async(lambda: _reload_after(server, action))  # type: ignore[return-value]


def wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_served_pages_carry_the_reload_script_and_built_pages_do_not(server, project):
    status, page = fetch(server, PAGE)
    assert status == 200
    assert RELOAD_SCRIPT.decode() in page
    assert page.index(RELOAD_SCRIPT.decode()) < page.index("</body>")
    assert main(["--root", str(project.root), "build"]) == 0
    built = (project.out_dir / FIRST_STORY / "index.html").read_text(encoding="utf-8")
    assert "livereload" not in built
    assert re.findall(r"<script[^>]*>", built) == ['<script type="application/ld+json">']


def test_preview_never_writes_the_site_folder(server, project):
    assert not project.out_dir.exists()


def test_saving_content_rebuilds_the_page_and_reloads_the_tab(server, project):
    text = set_top_level(story_text(project), "summary", "A brand-new summary line.")
    message = reload_after(server, lambda: write_story(project, text))
    assert message["command"] == "reload"
    status, page = fetch(server, PAGE)
    assert status == 200 and "A brand-new summary line." in page
    assert "A brand-new summary line." in fetch(server, "")[1], "the index shows it too"


def test_broken_yaml_shows_the_error_in_the_browser_until_fixed(server, project):
    good = story_text(project)
    bad = good.replace("slug: trump-putin-phased-ceasefire-call",
                       "slug: [trump-putin-phased-ceasefire-call", 1)
    reload_after(server, lambda: write_story(project, bad))
    status, page = fetch(server, PAGE)
    assert status == 500
    assert "content/trump-putin-phased-ceasefire-call.md:4:8: front matter: YAML syntax error" \
        in page
    assert RELOAD_SCRIPT.decode() in page, "the error page reloads itself when fixed"
    reload_after(server, lambda: write_story(project, good))
    status, page = fetch(server, PAGE)
    assert status == 200 and "The phased plan" in page


def test_template_change_rerenders_every_page(server, project):
    footer = project.templates_dir / "base.html"
    changed = footer.read_text(encoding="utf-8").replace(
        "Every quotation links", "Each quotation links")
    reload_after(server, lambda: footer.write_text(changed, encoding="utf-8"))
    assert "Each quotation links" in fetch(server, PAGE)[1]
    assert "Each quotation links" in fetch(server, "")[1]


def test_stylesheet_change_is_sent_as_a_css_reload(server, project):
    css = project.templates_dir / "static" / "style.css"
    message = reload_after(server, lambda: css.write_text(
        css.read_text(encoding="utf-8") + "\n/* new */\n", encoding="utf-8"))
    assert message["path"] == "static/style.css" and message["liveCSS"] is True
    assert "/* new */" in fetch(server, "static/style.css")[1]


def test_binds_to_loopback_by_default(project):
    preview = PreviewServer(project, port=0)
    try:
        assert preview.host == "127.0.0.1"
        assert preview._sockets[0].getsockname()[0] == "127.0.0.1"
    finally:
        for sock in preview._sockets:
            sock.close()


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/%2e%2e/pyproject.toml",
                                  "/static/../../pyproject.toml", "/..%2f..%2fpyproject.toml",
                                  "/static/%2e%2e/%2e%2e/content/", "/%5c..%5cpyproject.toml",
                                  "/content/trump-putin-phased-ceasefire-call.md"])
def test_paths_outside_the_site_are_never_served(server, path):
    assert raw_get(server, path) == 404


def test_unknown_page_is_404_and_folder_without_slash_redirects(server):
    assert fetch(server, "no-such-page/")[0] == 404
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    connection.request("GET", f"/{FIRST_STORY}")
    response = connection.getresponse()
    assert response.status == 302 and response.getheader("Location") == f"/{PAGE}"


@pytest.mark.parametrize("origin", ["http://evil.example", "http://[not-a-host"])
def test_reload_socket_refuses_other_websites(server, origin):
    async def attempt() -> None:
        await _reload_after(server, lambda: None, origin=origin)

    with pytest.raises(HTTPClientError) as err:
        run_async(attempt)
    assert err.value.code == 403


def test_busy_port_gives_a_clear_message_and_a_hint(project, capsys):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(PortInUse, match=f"try --port {port + 1}"):
            PreviewServer(project, port=port)
        assert main(["--root", str(project.root), "serve", "--port", str(port)]) == 1
        err = capsys.readouterr().err
        assert err.strip() == (f"explainer serve: port {port} on 127.0.0.1 is already in use "
                               f"(is another preview running?); try --port {port + 1}")
    finally:
        taken.close()


def test_a_new_file_appears_and_a_removed_one_disappears(server, project):
    second = project.content_dir / "second.md"
    text = story_text(project).replace("slug: trump-putin-phased-ceasefire-call",
                                       "slug: second-copy", 1)
    reload_after(server, lambda: second.write_text(text, encoding="utf-8"))
    assert fetch(server, "second-copy/")[0] == 200
    assert "second-copy/index.html" in fetch(server, "")[1]
    reload_after(server, second.unlink)
    assert fetch(server, "second-copy/")[0] == 404
    assert "second-copy" not in fetch(server, "")[1]


def test_a_broken_template_is_shown_until_fixed(server, project):
    partial = project.templates_dir / "partials" / "summary.html"
    good = partial.read_text(encoding="utf-8")
    reload_after(server, lambda: partial.write_text("{% if %}\n" + good, encoding="utf-8"))
    status, page = fetch(server, PAGE)
    assert status == 500 and "templates/partials/summary.html:1: template:" in page
    reload_after(server, lambda: partial.write_text(good, encoding="utf-8"))
    assert fetch(server, PAGE)[0] == 200


def test_templates_saved_again_and_again_leave_no_old_templates_in_memory(project, monkeypatch):
    # Each template save makes a new set of templates; the preview must let the old ones go.
    made: list[weakref.ref] = []
    make = jinja2.Environment.__init__

    def recorded(self, *args, **kwargs):
        make(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(jinja2.Environment, "__init__", recorded)
    preview = PreviewServer(project, port=0, log=lambda _: None)
    preview.apply(None)
    template = project.templates_dir / "partials" / "summary.html"
    for n in range(3):
        template.write_text(template.read_text(encoding="utf-8") + f"\n{{# save {n} #}}\n",
                            encoding="utf-8")
        preview.apply([template])
    assert not preview.site.problems
    assert len(made) >= 4
    gc.collect()  # a set of templates is a cycle: the collector's to free, unless frozen
    assert sum(ref() is not None for ref in made) == 1, "only the templates in use are kept"


def test_the_preview_keeps_its_files_on_disk_in_a_folder_it_removes(project):
    # The pages of a large site would not fit in memory: the preview keeps them by their
    # hashes in a folder of the cache's, never in site/, and it goes with the preview.
    from generator import pipeline
    from generator.incremental import PreviewSite

    preview = PreviewSite(project)
    preview.refresh()
    (folder,) = (project.root / ".explainer-cache").glob("preview-*")
    kept = {path.name for path in folder.rglob("*") if path.is_file()}
    built = pipeline.build(project)  # the deployable site, as a cold build makes it
    page = (built.out_dir / FIRST_STORY / "index.html").read_bytes()
    assert preview.files[f"{FIRST_STORY}/index.html"] == page
    assert hashlib.sha256(page).hexdigest() in kept
    del preview
    gc.collect()
    assert not folder.exists()


def test_the_preview_s_folder_holds_exactly_the_site_s_files_after_every_refresh(tmp_path):
    # Enough explainers, in one story, for worker processes to render them and for every
    # page to be composed with its story: what the workers keep before composing goes.
    from generator.incremental import PreviewSite
    from tests.test_home_pages import desk

    project = desk(tmp_path / "desk", 30, {n: "truce-talks" for n in range(30)})
    preview = PreviewSite(project)
    for saved in (None, [project.templates_dir / "partials" / "summary.html"]):
        if saved:
            saved[0].write_text(saved[0].read_text(encoding="utf-8") + "\n{# saved #}\n",
                                encoding="utf-8")
        preview.refresh(saved)
        assert not preview.problems and len(preview.files) > 30
        (folder,) = (project.root / ".explainer-cache").glob("preview-*/files")
        shas = {hashlib.sha256(preview.files[path]).hexdigest() for path in preview.files}
        assert {path.name for path in folder.iterdir()} == shas


def test_the_preview_makes_its_files_again_after_the_cache_was_deleted(tmp_path):
    # The cache is safe to delete, even while a preview runs: a page asked for meanwhile
    # says so, and the next save makes everything again.
    from generator import pipeline
    from generator.incremental import PreviewSite
    from generator.project import Project
    from tests.test_home_pages import desk

    project = desk(tmp_path / "desk", 3)
    preview = PreviewSite(project)
    preview.refresh()
    shutil.rmtree(project.root / ".explainer-cache")
    with pytest.raises(OSError):
        preview.files["truce-call-1/index.html"]
    assert "truce-call-1/index.html" in preview.files  # without reading it
    saved = project.content_dir / "truce-000.md"
    saved.write_text(saved.read_text(encoding="utf-8").replace(
        "summary: Two leaders spoke", "summary: Two leaders spoke again"), encoding="utf-8")
    preview.refresh([saved])
    assert not preview.problems
    built = pipeline.build(Project.at(project.root, tmp_path / "fresh"))
    for path in ("truce-call-0/index.html", "truce-call-1/index.html", "index.html"):
        assert preview.files[path] == (built.out_dir / path).read_bytes()


def test_a_preview_stopped_by_kill_deletes_its_folder(project):
    # As when its terminal is closed: not only Ctrl-C.
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(project.root), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.startswith("Built "):  # the first build is done
                break
        assert list((project.root / ".explainer-cache").glob("preview-*"))
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    assert not list((project.root / ".explainer-cache").glob("preview-*"))


def test_a_preview_deletes_the_folders_of_previews_killed_before_it(project):
    import fcntl

    from generator.incremental import PreviewSite

    cache = project.root / ".explainer-cache"
    killed, running = cache / "preview-killed", cache / "preview-running"
    for folder in (killed, running):
        (folder / "files").mkdir(parents=True)
        (folder / "lock").write_bytes(b"")
    with open(running / "lock", "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as its preview holds it
        PreviewSite(project)
        assert not killed.exists() and running.exists()
