"""Benchmark the live preview: rebuild time and save-to-reload time for one content edit, and
the preview under load.

Makes a synthetic site of N explainers, starts `explainer serve` on a free port, connects to the
reload socket as livereload.js does, then saves one content file several times and measures
(a) how long the server took to rebuild and (b) the time from the save until the reload message
arrived. Medians are printed, with a full rebuild measured in the same run as the baseline.

    .venv/bin/python -m bench.serve --count 1000 --edits 15

With --load, it holds R open reload sockets (as R browser tabs do), sends P page requests all at
once, each for a different page, then saves one content file, and reports every request's
status and time and whether every tab was told to reload. It exits with status 1 if any
request failed or took 1 s or more, or a tab was not told:

    .venv/bin/python -m bench.serve --count 1000 --load --requests 100 --sockets 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from bench.synthetic import make_project
from generator.incremental import PreviewSite
from generator.project import Project
from generator.serve import PreviewServer


async def measure(server: PreviewServer, target: Path, edits: int) -> tuple[list, list]:
    request = HTTPRequest(f"ws://{server.host}:{server.port}/livereload",
                          headers={"Origin": f"http://{server.host}:{server.port}"})
    socket = await websocket_connect(request)
    await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
    await socket.read_message()
    await socket.write_message(json.dumps({"command": "info", "url": server.url}))
    while not server.hub.waiters:
        await asyncio.sleep(0.01)
    original = target.read_text(encoding="utf-8")
    rebuilds, reloads = [], []
    for edit in range(edits):
        text = original.replace("A synthetic explainer for benchmarks",
                                f"Edit {edit} of a synthetic explainer", 1)
        start = time.perf_counter()
        target.write_text(text, encoding="utf-8")
        message = json.loads(await asyncio.wait_for(socket.read_message(), 30))
        reloads.append((time.perf_counter() - start) * 1000)
        assert message["command"] == "reload"
        rebuilds.append(server.last_refresh_ms)
        await asyncio.sleep(0.3)
    socket.close()
    return rebuilds, reloads


@dataclass(frozen=True)
class Load:
    """What the preview did under load: each request's path, status and time (ms), how many
    open tabs were told to reload after the save, and the time from the save to the last."""

    requests: list[tuple[str, int, float]]
    sockets: int
    told: int
    save_to_last_reload_ms: float

    @property
    def failed(self) -> list[tuple[str, int, float]]:
        return [r for r in self.requests if r[1] != 200]


async def _open_tab(server: PreviewServer) -> WebSocketClientConnection:
    request = HTTPRequest(f"ws://{server.host}:{server.port}/livereload",
                          headers={"Origin": f"http://{server.host}:{server.port}"})
    socket = await websocket_connect(request)
    await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
    await socket.read_message()
    await socket.write_message(json.dumps({"command": "info", "url": server.url}))
    return socket


async def _get(server: PreviewServer, path: str) -> tuple[str, int, float]:
    """One request on its own connection, as a browser opening a page does: (path, status, ms);
    status 0 if the connection failed."""
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection(server.host, server.port)
        writer.write(f"GET /{path} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
                     "Connection: close\r\n\r\n".encode())
        await writer.drain()
        response = await reader.read()
        writer.close()
        status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0
    except OSError:
        status = 0
    return path, status, (time.perf_counter() - start) * 1000


async def under_load(server: PreviewServer, pages: list[str], target: Path,
                     sockets: int) -> Load:
    """Open `sockets` reload sockets, request every page at once, then save `target` and wait
    (at most 10 s) for each socket's reload message."""
    tabs = await asyncio.gather(*(_open_tab(server) for _ in range(sockets)))
    deadline = time.monotonic() + 10
    while len(server.hub.waiters) < sockets and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    requests = await asyncio.gather(*(_get(server, page) for page in pages))
    text = target.read_text(encoding="utf-8")
    start = time.perf_counter()
    target.write_text(text.replace("A synthetic explainer", "An edited synthetic explainer", 1),
                      encoding="utf-8")

    async def told(tab: WebSocketClientConnection) -> float | None:
        try:
            message = await asyncio.wait_for(tab.read_message(), 10)
        except TimeoutError:
            return None
        ok = message is not None and json.loads(message).get("command") == "reload"
        return (time.perf_counter() - start) * 1000 if ok else None

    reloads = await asyncio.gather(*(told(tab) for tab in tabs))
    for tab in tabs:
        tab.close()
    arrived = [r for r in reloads if r is not None]
    return Load(list(requests), sockets, len(arrived), max(arrived, default=0.0))


def pages_of(project: Project, count: int) -> list[str]:
    """`count` different paths of the site: the home page, the stylesheet, then explainers."""
    slugs = sorted(path.stem for path in project.content_dir.glob("*.md"))
    paths = ["", "static/style.css", *(f"{slug}/" for slug in slugs)]
    return (paths * (count // len(paths) + 1))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--load", action="store_true",
                        help="measure the preview under load instead of edit after edit")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--sockets", type=int, default=50)
    args = parser.parse_args()

    folder = Path(".bench-work")
    folder.mkdir(exist_ok=True)
    root = make_project(Path(tempfile.mkdtemp(prefix="explainer-bench-", dir=folder)),
                        args.count)
    try:
        project = Project.at(root)
        start = time.perf_counter()
        PreviewSite(project).refresh()
        full_ms = (time.perf_counter() - start) * 1000

        server = PreviewServer(project, port=0, log=lambda _: None)
        server.start()
        try:
            target = project.content_dir / f"story-{args.count // 2:05d}.md"
            if args.load:
                load = asyncio.run(under_load(server, pages_of(project, args.requests), target,
                                              args.sockets))
            else:
                rebuilds, reloads = asyncio.run(measure(server, target, args.edits))
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)  # thousands of files
    if args.load:
        raise SystemExit(_report_load(args.count, full_ms, load))
    rebuild, reload = statistics.median(rebuilds), statistics.median(reloads)
    print(f"explainers: {args.count}, edits: {args.edits} (medians)")
    print(f"full build in memory (baseline):   {full_ms:8.1f} ms")
    print(f"rebuild after one content edit:    {rebuild:8.1f} ms  "
          f"({rebuild / full_ms:.3f} of the full build)")
    print(f"save to reload message:            {reload:8.1f} ms")
    print(f"slowest save to reload:            {max(reloads):8.1f} ms")
    print("each save to reload (ms):", " ".join(f"{r:.0f}" for r in reloads))
    print("each rebuild (ms):       ", " ".join(f"{r:.0f}" for r in rebuilds))



def _report_load(count: int, full_ms: float, load: Load) -> int:
    """Print what the load test saw; 1 if it missed its goal."""
    times = sorted(ms for _, _, ms in load.requests)
    print(f"explainers: {count}, {len(load.requests)} concurrent requests, "
          f"{load.sockets} open reload sockets")
    print(f"full build in memory (baseline):   {full_ms:8.1f} ms")
    print(f"requests answered 200:             {len(times) - len(load.failed):8d}")
    print(f"median request:                    {statistics.median(times):8.1f} ms")
    print(f"slowest request:                   {times[-1]:8.1f} ms")
    print(f"tabs told to reload after a save:  {load.told:8d} of {load.sockets}")
    print(f"save to the last tab told:         {load.save_to_last_reload_ms:8.1f} ms")
    for path, status, ms in load.failed:
        print(f"failed: /{path}: status {status} after {ms:.0f} ms")
    return int(bool(load.failed) or times[-1] >= 1000 or load.told < load.sockets)


if __name__ == "__main__":
    main()
