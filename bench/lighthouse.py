"""Lighthouse scores for every page of the site (home, explainers, story, corrections and
search pages, the 404 page), served under a sub-path.

Needs Node.js; fetches Lighthouse 12 with npx on first use (it is not a test dependency).

    .venv/bin/python -m bench.lighthouse
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from generator import pipeline
from generator.project import Project

REPO = Path(__file__).resolve().parent.parent
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = "performance,accessibility,best-practices,seo"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="explainer-lighthouse-"))
    for part in ("content", "seeds", "templates"):
        shutil.copytree(REPO / part, work / part)
    served = work / "served"
    handler = functools.partial(_Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/explainers/"
    project = Project.at(work, served / "explainers")
    pipeline.build(project, base_url=base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    try:
        site = served / "explainers"
        pages = ["", *sorted(p.relative_to(site).parent.as_posix() + "/"
                             for p in site.glob("**/index.html") if p.parent != site
                             and not p.relative_to(site).parts[0].startswith("pagefind")),
                 "404.html"]
        for page in pages:
            report = work / "report.json"
            subprocess.run(["npx", "--yes", "lighthouse@12", base + page, "--quiet",
                            f"--chrome-flags={FLAGS}", f"--only-categories={CATEGORIES}",
                            "--output=json", f"--output-path={report}"],
                           env=env, check=True)
            data = json.loads(report.read_text(encoding="utf-8"))
            scores = {name: round(category["score"] * 100)
                      for name, category in data["categories"].items()}
            print(f"/{page or '(home)'}: {scores}")
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
