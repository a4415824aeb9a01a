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
        where = printable(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {printable(self.field)}: {printable(self.message)}"


def printable(text: str) -> str:
    """Text from user input (a value, a file name) as it may be written to a terminal: control
    and other invisible characters shown escaped, so each problem stays on one line and no
    escape sequence reaches the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


class ContentError(Exception):
    """Every problem found, so the user can fix them all in one go."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple:
        # Made again from its problems, as it comes back from a worker process.
        return ContentError, (self.problems,)


def _sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    return (problem.file, problem.line or 0, problem.col or 0, problem.field, problem.message)


def report(problems: list[Problem]) -> str:
    """The text the CLI prints: one line per problem, then a count."""
    return "\n".join([*(str(p) for p in problems), f"{counted(len(problems), 'problem')} found."])


def counted(count: int, noun: str) -> str:
    """'1 file', '7 files': every count a message gives, in agreement."""
    return f"{count} {noun}{'s' if count != 1 else ''}"
