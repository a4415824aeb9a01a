"""The command line: parses arguments, calls one function, prints the outcome."""

from __future__ import annotations

import argparse
import datetime
import functools
import re
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.errors import counted, printable, report
from generator.project import Project

if TYPE_CHECKING:
    from generator import pipeline
    from generator.serve import PreviewServer
    from generator.watch import Rebuild


# Each command imports the modules only it uses when it runs, and `build` only once it knows
# there is something to do (up_to_date): a build that finds nothing to do is over in less
# time than importing them takes.


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = Project.at(Path(args.root), Path(args.out) if getattr(args, "out", None) else None)
    try:
        return args.run(project, args)
    except Exception as err:
        # Imported only now: a build that finds nothing to do imports neither.
        from generator.errors import ContentError
        from generator.write import UnsafeOutputError

        if isinstance(err, ContentError):
            print(report(err.problems), file=sys.stderr)
            if args.command in ("build", "publish"):
                print(f"{project.display(project.out_dir)}/ was left as it was.",
                      file=sys.stderr)
            if args.command == "publish":
                print("Nothing was published.", file=sys.stderr)
            return 1
        if isinstance(err, (UnsafeOutputError, OSError)):
            print(f"explainer {args.command}: {err}", file=sys.stderr)
            return 1
        raise


def _build(project: Project, args: argparse.Namespace) -> int:
    if args.watch:
        if args.no_cache:
            print("explainer build: --watch rebuilds through the cache, so it cannot be "
                  "used with --no-cache", file=sys.stderr)
            return 1
        return _watch(project, args)
    start = time.perf_counter()
    if not args.no_cache:
        from generator.up_to_date import unchanged

        basis = unchanged(str(project.root), str(project.out_dir), args.base_url)
        if basis is not None:
            print(_checked(project, basis.explainers, basis.files, time.perf_counter() - start))
            if not basis.has_base_url:
                print(NO_BASE_URL)
            return 0
    from generator import incremental, parallel, pipeline

    progress = parallel.terminal_progress("Rendering")
    if args.no_cache:
        each = functools.partial(parallel.map_files, jobs=args.jobs, progress=progress)
        result = pipeline.build(project, args.base_url, each)
    else:
        result = incremental.build(project, args.base_url, args.jobs, progress)
    print(_outcome(project, result, time.perf_counter() - start))
    if not result.settings.base_url:
        print(NO_BASE_URL)
    return 0


def _outcome(project: Project, result: pipeline.Built, seconds: float) -> str:
    from generator.write import Outcome

    if result.written.outcome is Outcome.UNCHANGED:
        return _checked(project, result.explainers, result.files, seconds)
    return f"Built {_what(result.explainers, result.files)} into " \
        f"{project.display(result.out_dir)}/ in {_took(seconds)}: {_work(result)}"


def _checked(project: Project, explainers: int, files: int, seconds: float) -> str:
    return f"Checked {_what(explainers, files)} in {_took(seconds)}: " \
        f"{project.display(project.out_dir)}/ is up to date."


def _what(explainers: int, files: int) -> str:
    return f"{counted(explainers, 'explainer')} ({counted(files, 'file')})"


def _took(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def _work(result: pipeline.Built) -> str:
    written = result.written
    return (f"{counted(result.rendered, 'page')} rendered, "
            f"{counted(written.changed, 'file')} written, {written.removed} removed.")


# Said once a build, when the site has no address: no static page can know its sub-path.
NO_BASE_URL = ("Note: no base_url is set, so the 404 page and the site's absolute links "
               "assume the site is served at the domain root (/). If it is served under a "
               "sub-path, such as a GitHub project site, set base_url in explainer.yaml or "
               "pass --base-url.")


def _watch(project: Project, args: argparse.Namespace) -> int:
    # Imported here, like the preview: only --watch needs the file watcher.
    from generator.watch import watch

    try:
        watch(project, functools.partial(_show_rebuild, project), args.base_url, args.jobs)
    except KeyboardInterrupt:
        print("\nStopped.")
    return 0


def _show_rebuild(project: Project, rebuild: Rebuild) -> None:
    from generator.watch import Cause
    from generator.write import Outcome

    out = f"{project.display(project.out_dir)}/"
    if rebuild.error:
        print(f"explainer build: {rebuild.error}", file=sys.stderr)
    elif rebuild.problems:
        print(report(list(rebuild.problems)), file=sys.stderr)
        print(f"{out} was left as it was; fix the problems and save.", file=sys.stderr)
    elif rebuild.result is None:
        pass
    elif rebuild.cause is Cause.START:
        print(_outcome(project, rebuild.result, rebuild.seconds))
        if not rebuild.result.settings.base_url:
            print(NO_BASE_URL)
        print("Watching " + ", ".join(_shown(project, p) for p in project.sources())
              + " (Ctrl-C to stop).")
    elif rebuild.cause is Cause.SAVE:
        saved = printable(", ".join(rebuild.saved[:3]))
        took = f"{saved}{' …' if len(rebuild.saved) > 3 else ''}: " \
            f"{rebuild.seconds * 1000:.0f} ms"
        if rebuild.result.written.outcome is Outcome.UNCHANGED:
            print(f"{took}, {out} is up to date.")
        else:
            print(f"{took}, {_work(rebuild.result)}")
    elif rebuild.result.written.outcome is not Outcome.UNCHANGED:
        # The check once saves stop writes the search index the saves left (and puts right
        # what the watcher missed): expected, not a warning.
        print(f"Checked everything once the saves stopped, in {_took(rebuild.seconds)}: "
              f"{_work(rebuild.result)}")


def _shown(project: Project, path: Path) -> str:
    return project.display(path) + ("/" if path.is_dir() else "")


def _check(project: Project, args: argparse.Namespace) -> int:
    from generator.lint import stale_developing
    from generator.pipeline import check

    explainers = check(project).explainers
    print(f"{counted(len(explainers), 'explainer')} checked: no problems.")
    if args.stale_after is not None:
        for line in stale_developing(explainers, datetime.date.today(), args.stale_after):
            print(f"warning: {line}", file=sys.stderr)
    return 0


def _new(project: Project, args: argparse.Namespace) -> int:
    from generator.scaffold import new_content
    from generator.schema import SLUG

    seed = Path(args.seed)
    if args.slug and not re.fullmatch(SLUG.regex, args.slug):
        print(f"explainer new: --slug '{args.slug}': {SLUG.explain}", file=sys.stderr)
        return 1
    if not seed.is_file():
        print(f"explainer new: {seed}: no such file", file=sys.stderr)
        return 1
    in_seeds = project.seeds_dir / seed.name
    if seed.resolve() != in_seeds.resolve():
        if in_seeds.exists() and in_seeds.read_bytes() != seed.read_bytes():
            print(f"explainer new: seeds/{seed.name} already exists with other text; "
                  "rename one of them", file=sys.stderr)
            return 1
        project.seeds_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, in_seeds)
        print(f"Copied {seed} to {project.display(in_seeds)} byte for byte.")
    try:
        target, text = new_content(in_seeds, project.content_dir, args.slug)
    except UnicodeDecodeError as err:
        print(f"explainer new: {seed}: not valid UTF-8 at byte offset {err.start}; "
              "save it as UTF-8 first", file=sys.stderr)
        return 1
    except FileExistsError as err:
        print(f"explainer new: {err}", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:
        out.write(text)
    print(f"Wrote {project.display(target)}. Fill in the front matter, check that the "
          "## subheadings are right, then run: explainer check")
    return 0


def _serve(project: Project, args: argparse.Namespace) -> int:
    # Imported here: the preview's web server and event loop are a tenth of a second of
    # start-up that build, check and the rest do not need.
    import asyncio

    from generator.pipeline import require_content_folder
    from generator.serve import PortInUse, PreviewServer

    require_content_folder(project)  # else there is nothing to watch
    try:
        server = PreviewServer(project, host=args.bind, port=args.port)
    except PortInUse as err:
        print(f"explainer serve: {err}", file=sys.stderr)
        return 1
    if args.bind not in ("127.0.0.1", "::1", "localhost"):
        print(f"Warning: serving on {args.bind}, so other machines can reach this preview.",
              file=sys.stderr)
    print(f"Serving a live preview at {server.url} (Ctrl-C to stop); watching "
          + ", ".join(project.display(p) + "/" for p in server.watched()))
    # Stopped by its terminal closing or a `kill` as by Ctrl-C: its folder is deleted.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _interrupt)
    try:
        asyncio.run(server.run(lambda: _report_start(server)))
    except KeyboardInterrupt:
        print("\nStopped.")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _report_start(server: PreviewServer) -> None:
    if server.site.problems:
        print(report(server.site.problems), file=sys.stderr)
        print("The browser shows these problems until they are fixed.", file=sys.stderr)
    else:
        print(f"Built {counted(len(server.site.files), 'file')} in "
              f"{server.last_refresh_ms:.0f} ms.")


def _publish(project: Project, args: argparse.Namespace) -> int:
    from generator.publish import PublishError, publish

    try:
        done = publish(project, remote=args.remote, branch=args.branch, push=not args.no_push,
                       message=args.message, allow_dirty=args.allow_dirty,
                       base_url=args.base_url)
    except PublishError as err:
        print(f"explainer publish: {err}. Nothing was published.", file=sys.stderr)
        return 1
    count = done.build.explainers
    print(f"Built {counted(count, 'explainer')} and committed the site to "
          f"{done.branch} as {done.commit[:12]}.")
    if done.pushed_to:
        print(f"Pushed {done.branch} to {done.pushed_to}.")
    else:
        print(f"Not pushed (--no-push); to publish: git push {args.remote} {done.branch}")
    if done.address:
        print(f"The site will appear at {done.address}")
    return 0


def _schema(project: Project, args: argparse.Namespace) -> int:
    from generator.schema_json import json_schema_text

    sys.stdout.write(json_schema_text())
    return 0


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 0 or more")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer", description="Build sourced, checkable news explainers.")
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    # --root is accepted after the command too: `explainer build --root ../desk`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=summary)

    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = command("build", "check all content and write the site")
    p.add_argument("--out", help="output folder (default: site/ in the project)")
    p.add_argument("--base-url", help="address the site is published at (overrides "
                   "base_url in explainer.yaml)")
    p.add_argument("--no-cache", action="store_true",
                   help="check and render every file, ignoring .explainer-cache/")
    p.add_argument("--jobs", type=_count, default=0,
                   help="worker processes for rendering (default: one per core)")
    p.add_argument("--watch", action="store_true",
                   help="keep running, and rebuild the site each time a source is saved")
    p.set_defaults(run=_build)

    p = command("check", "check all content without writing anything")
    p.add_argument("--stale-after", type=_count, metavar="DAYS",
                   help="also warn about explainers marked developing that have not been "
                   "updated for more than DAYS days")
    p.set_defaults(run=_check)

    p = command("new", "start content/<slug>.md from a source article")
    p.add_argument("seed", help="the source article, a UTF-8 text file (copied into seeds/)")
    p.add_argument("--slug", help="the page's slug (default: from the seed's file name)")
    p.set_defaults(run=_new)

    p = command("serve", "preview the site, rebuilding and reloading on save")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--bind", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.set_defaults(run=_serve)

    p = command("publish", "build and commit the site to a gh-pages branch")
    p.add_argument("--remote", default="origin", help="remote to push to (default: origin)")
    p.add_argument("--branch", default="gh-pages", help="branch to commit to (default: gh-pages)")
    p.add_argument("--no-push", action="store_true", help="commit, but do not push")
    p.add_argument("--message", help="commit message (default: names the source commit)")
    p.add_argument("--allow-dirty", action="store_true",
                   help="publish even with uncommitted changes to the content")
    p.add_argument("--base-url", help="address the site is published at")
    p.set_defaults(run=_publish)

    p = command("schema", "print the JSON Schema of the front matter")
    p.set_defaults(run=_schema)
    return parser
