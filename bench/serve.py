"""Benchmark the live preview: rebuild time and save-to-reload time for one content edit.

Makes a synthetic site of N explainers, starts `explainer serve` on a free port, connects to the
reload socket as livereload.js does, then saves one content file several times and measures
(a) how long the server took to rebuild and (b) the time from the save until the reload message
arrived. Medians are printed, with a full rebuild measured in the same run as the baseline.

    .venv/bin/python -m bench.serve --count 1000 --edits 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from bench.synthetic import make_project
from generator.incremental import IncrementalSite
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()

    folder = Path(".bench-work")
    folder.mkdir(exist_ok=True)
    root = make_project(Path(tempfile.mkdtemp(prefix="explainer-bench-", dir=folder)),
                        args.count)
    try:
        project = Project.at(root)
        start = time.perf_counter()
        IncrementalSite(project).refresh()
        full_ms = (time.perf_counter() - start) * 1000

        server = PreviewServer(project, port=0, log=lambda _: None)
        server.start()
        try:
            target = project.content_dir / f"story-{args.count // 2:05d}.md"
            rebuilds, reloads = asyncio.run(measure(server, target, args.edits))
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)  # thousands of files
    rebuild, reload = statistics.median(rebuilds), statistics.median(reloads)
    print(f"explainers: {args.count}, edits: {args.edits} (medians)")
    print(f"full build in memory (baseline):   {full_ms:8.1f} ms")
    print(f"rebuild after one content edit:    {rebuild:8.1f} ms  "
          f"({rebuild / full_ms:.3f} of the full build)")
    print(f"save to reload message:            {reload:8.1f} ms")
    print(f"slowest save to reload:            {max(reloads):8.1f} ms")
    print("each save to reload (ms):", " ".join(f"{r:.0f}" for r in reloads))
    print("each rebuild (ms):       ", " ".join(f"{r:.0f}" for r in rebuilds))


if __name__ == "__main__":
    main()
