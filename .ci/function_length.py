"""Fails when a function in the given folders is longer than MAX_LINES lines (its signature,
docstring and body): a function a reader can take in at once is the rule of generator/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_LINES = 60


def long_functions(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    found.append(f"{path}:{node.lineno}: {node.name} is {lines} lines "
                                 f"(at most {MAX_LINES})")
    return found


if __name__ == "__main__":
    problems = [line for folder in sys.argv[1:] for line in long_functions(Path(folder))]
    print("\n".join(problems) or "No function over 60 lines.")
    sys.exit(1 if problems else 0)
