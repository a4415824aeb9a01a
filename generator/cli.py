"""The command line: parses arguments, calls one function, prints the outcome."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import __version__
from generator.build import build, check
from generator.errors import ContentError, report
from generator.project import Project
from generator.write import UnsafeOutputError


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = Project.at(Path(args.root), Path(args.out) if getattr(args, "out", None) else None)
    try:
        return args.run(project, args)
    except ContentError as err:
        print(report(err.problems), file=sys.stderr)
        if args.command == "build":
            print(f"{project.display(project.out_dir)}/ was left as it was.", file=sys.stderr)
        return 1
    except (UnsafeOutputError, OSError) as err:
        print(f"explainer {args.command}: {err}", file=sys.stderr)
        return 1


def _build(project: Project, args: argparse.Namespace) -> int:
    result = build(project)
    count = len(result.explainers)
    print(f"Built {count} explainer{'s' if count != 1 else ''} ({result.files} files) into "
          f"{project.display(result.out_dir)}/")
    return 0


def _check(project: Project, args: argparse.Namespace) -> int:
    explainers = check(project)
    count = len(explainers)
    print(f"{count} explainer{'s' if count != 1 else ''} checked: no problems.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer", description="Build sourced, checkable news explainers.")
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", help="check all content and write the site")
    p.add_argument("--out", help="output folder (default: site/ in the project)")
    p.set_defaults(run=_build)

    p = commands.add_parser("check", help="check all content without writing anything")
    p.set_defaults(run=_check)
    return parser
