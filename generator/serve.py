"""`explainer serve`: a live preview that rebuilds on save and reloads the open browser tab.

Sits on the incremental layer, as `build` does, with the site's files kept by their hashes in
a temporary folder of its own (PreviewSite): the deployable `site/` is never touched, the
livereload script is injected into served pages only, and only paths of the built site are
ever served, each read by its hash: no path from a request reaches the disk, so no traversal
and no symlinks to follow. The reload socket accepts connections from the preview's own pages
only.
"""

from __future__ import annotations

import asyncio
import errno
import html
import mimetypes
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import escape, web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from generator.errors import Problem, counted, printable
from generator.incremental import PreviewSite, set_aside_from_collections
from generator.project import Project

LOOPBACK = "127.0.0.1"
# Injected before </body> of served pages only. livereload.js reads its port from its own
# address, so the snippet works whichever host name the browser used.
RELOAD_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b's.src="//"+location.hostname+":"+location.port+"/livereload.js?port="+location.port'
    b'+"&mindelay=100&maxdelay=2000";document.head.appendChild(s);})();</script>'
)


class PortInUse(Exception):
    """The preview's port is taken."""


class ReloadHub:
    """The browser tabs connected to the reload socket of one preview server."""

    def __init__(self) -> None:
        self.waiters: set[ReloadSocket] = set()
        self.sent = 0

    def reload(self, path: str) -> None:
        message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
        for waiter in list(self.waiters):
            waiter.write_message(message)
        self.sent += 1


def _netloc(address: str) -> str | None:
    """The host and port of an address; None if it cannot be parsed."""
    try:
        return urlsplit(address).netloc
    except ValueError:  # e.g. an unclosed '[' where an IPv6 host would go
        return None


class ReloadSocket(LiveReloadHandler):
    """livereload's protocol, with this server's tabs kept per server, not in a class-wide set,
    and connections refused from any origin but the preview itself."""

    def initialize(self, hub: ReloadHub) -> None:
        self.hub = hub

    def prepare(self) -> None:
        # Tornado's own origin check raises on an Origin it cannot parse (a 500 and a traceback
        # in the log); such a request is refused here first.
        if _netloc(self.request.headers.get("Origin", "")) is None:
            raise web.HTTPError(403)

    def check_origin(self, origin: str) -> bool:
        return _netloc(origin) == self.request.host

    def on_message(self, message: str | bytes) -> None:
        data = escape.json_decode(message)
        if data.get("command") == "hello":
            self.send_message({"command": "hello",
                               "protocols": ["http://livereload.com/protocols/official-7"],
                               "serverName": "explainer"})
        elif data.get("command") == "info":
            self.hub.waiters.add(self)

    def on_close(self) -> None:
        self.hub.waiters.discard(self)


class SiteHandler(web.RequestHandler):
    """Serves the preview's site, or the current problems in place of any page."""

    def initialize(self, site: PreviewSite) -> None:
        self.site = site

    def get(self, path: str) -> None:
        if "\\" in path or "\0" in path or any(p in ("..", ".") for p in path.split("/")):
            return self._page(404, _message_page("Not found", "No such page in this site."))
        if path == "" or path.endswith("/"):
            path += "index.html"
        if self.site.problems and path.endswith(".html"):
            return self._page(500, error_page(self.site.problems))
        try:
            data = self.site.files.get(path)
        except OSError:  # the preview's folder, deleted with the cache, say
            return self._page(503, _message_page(
                "Files missing", "The preview's files were deleted (with .explainer-cache/, "
                "say). Save a file and they are made again; this page reloads by itself."))
        if data is None:
            if f"{path}/index.html" in self.site.files:
                return self.redirect(f"/{path}/")
            return self._page(404, _message_page("Not found", "No such page in this site."))
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if content_type == "text/html":
            return self._page(200, data)
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", "no-store")
        self.finish(data)

    def _page(self, status: int, page: bytes) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(inject_reload_script(page))


def inject_reload_script(page: bytes) -> bytes:
    at = page.rfind(b"</body>")
    return page + RELOAD_SCRIPT if at < 0 else page[:at] + RELOAD_SCRIPT + page[at:]


def error_page(problems: list[Problem]) -> bytes:
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    stop = "stops" if len(problems) == 1 else "stop"
    body = (f"<p>{counted(len(problems), 'problem')} {stop} the build. Fix them and save; "
            f"this page reloads by itself.</p><ul>{items}</ul>")
    return _message_page("Build problems", body)


def _message_page(title: str, body: str) -> bytes:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} · explainer preview</title>"
        "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem}code{white-space:pre-wrap}li{margin:.5rem 0}</style></head>"
        f'<body><h1>{html.escape(title)}</h1><div id="problems">{body}</div></body></html>'
    ).encode()


def make_app(site: PreviewSite, hub: ReloadHub) -> web.Application:
    return web.Application([
        (r"/livereload", ReloadSocket, {"hub": hub}),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"/(.*)", SiteHandler, {"site": site}),
    ])


class PreviewServer:
    """One preview: the site (PreviewSite), an HTTP server, a file watcher and the reload hub."""

    def __init__(self, project: Project, host: str = LOOPBACK, port: int = 8000,
                 log: Callable[[str], None] = print) -> None:
        self.project = project
        self.site = PreviewSite(project)
        self.hub = ReloadHub()
        self.log = log
        self.last_refresh_ms = 0.0
        try:
            self._sockets = bind_sockets(port, host)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} on {host} is already in use (is another preview "
                                f"running?); try --port {port + 1}") from None
            raise
        self.host = host
        self.port = self._sockets[0].getsockname()[1]
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def watched(self) -> list[Path]:
        return self.project.sources()

    async def run(self, ready: Callable[[], None] | None = None) -> None:
        """Serve until stop() is called (or the task is cancelled by Ctrl-C)."""
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self.apply(None)
        server = HTTPServer(make_app(self.site, self.hub))
        server.add_sockets(self._sockets)
        if ready:
            ready()
        try:
            # step: how long to wait for more changes after the first (editors write a file in
            # several steps); livereload's own watcher polls every 800 ms instead.
            async for changes in watchfiles.awatch(*self.watched(), stop_event=self._stop,
                                                   step=10, debounce=500):
                self.apply(Path(path) for _, path in changes)
        finally:
            server.stop()
            await server.close_all_connections()

    def apply(self, changed: Iterable[Path] | None) -> None:
        """Refresh the site after a change, report, and reload the browser if anything shows
        differently."""
        before = self.site.problems
        start = time.perf_counter()
        result = self.site.refresh(list(changed) if changed is not None else None)
        self.last_refresh_ms = (time.perf_counter() - start) * 1000
        if result.new_engines:
            set_aside_from_collections()
        what = printable(", ".join(result.reloaded[:3])) or "templates"
        if self.site.problems:
            if self.site.problems != before:
                self.log(f"Problems after change to {what}:")
                for problem in self.site.problems:
                    self.log(f"  {problem}")
                self.hub.reload("index.html")
            return
        if changed is not None:
            self.log(f"Rebuilt {what} in {self.last_refresh_ms:.0f} ms "
                     f"({counted(len(result.reloaded), 'page')} rendered)")
        if result.changed or before:
            # The 404 page inlines the stylesheet, so it changes with it: still a restyle.
            styles = sorted(path for path in result.changed if path.endswith(".css"))
            css_only = styles and not before and all(
                path.endswith(".css") or path == "404.html" for path in result.changed)
            self.hub.reload(styles[0] if css_only else "index.html")

    # -- running in a background thread (tests, benchmarks) ------------------------------

    def start(self) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self.run(ready.set)),
                                        daemon=True)
        self._thread.start()
        if not ready.wait(30):
            raise RuntimeError("preview server did not start")

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(10)
