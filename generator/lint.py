"""Warnings that depend on today's date, kept out of the build so that its output does not:
`explainer check --stale-after DAYS` names the developing explainers nobody has updated."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from generator.schema import Explainer


def stale_developing(explainers: Iterable[Explainer], today: datetime.date,
                     days: int) -> list[str]:
    """One line for each explainer marked developing whose latest revision is more than
    `days` days before `today`."""
    lines = []
    for e in sorted(explainers, key=lambda e: e.file):
        last = e.updated or e.published
        age = (today - last).days
        if e.developing and age > days:
            lines.append(f"{e.file}: developing: last updated {last.isoformat()}, {age} days "
                         f"ago (more than {days}); update it, or set 'developing: false'")
    return lines
