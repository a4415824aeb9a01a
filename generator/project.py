"""Where a project's parts live. Every stage gets its paths from here, never from globals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path
    content_dir: Path
    seeds_dir: Path
    templates_dir: Path
    out_dir: Path
    settings_file: Path

    @classmethod
    def at(cls, root: Path, out_dir: Path | None = None) -> Project:
        root = root.resolve()
        return cls(
            root=root,
            content_dir=root / "content",
            seeds_dir=root / "seeds",
            templates_dir=root / "templates",
            out_dir=(out_dir or root / "site").resolve(),
            settings_file=root / "explainer.yaml",
        )

    def sources(self) -> list[Path]:
        """What a build reads, as a file watcher should watch it: the content, seeds and
        templates folders and the settings file, those of them that exist."""
        found = [p for p in (self.content_dir, self.seeds_dir, self.templates_dir) if p.is_dir()]
        if self.settings_file.is_file():
            found.append(self.settings_file)
        return found

    def display(self, path: Path) -> str:
        """A path as the user should see it in messages: relative to the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
