"""The one error type for mistakes in a user's content, carrying where each problem is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake: `file:line:col: field: message`."""

    file: str
    line: int | None
    col: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {_one_line(self.field)}: {_one_line(self.message)}"


def _one_line(text: str) -> str:
    """Control characters from user input, shown escaped so each problem stays on one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


class ContentError(Exception):
    """Every problem found, so the user can fix them all in one go."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    return (problem.file, problem.line or 0, problem.col or 0, problem.field, problem.message)


def report(problems: list[Problem]) -> str:
    """The text the CLI prints: one line per problem, then a count."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return "\n".join([*(str(p) for p in problems), f"{count} {noun} found."])
