"""Where a project's parts live. Every stage gets its paths from here, never from globals."""

from __future__ import annotations

import errno
import os
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

    def link_problem(self, path: Path) -> str | None:
        """Why a file of the project is not to be read (see link_problem)."""
        return link_problem(path, self.root)

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


def link_problem(path: Path, root: Path) -> str | None:
    """Why a file must not be read, when it is a symbolic link: it loops, leads nowhere, or
    leads out of the project `root` and the folder it is in. None for any other file. As
    Jekyll's safe mode and GitHub Pages do, a link never takes the build outside the
    project: a link to a draft elsewhere would be published, and a link to any other file
    on this machine too."""
    if not path.is_symlink():
        return None
    target = os.readlink(path)
    try:
        real = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so; later versions with OSError
        return "is a symbolic link that leads back to itself; put the file itself here"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "is a symbolic link that leads back to itself; put the file itself here"
        return f"is a symbolic link to '{target}', which does not exist"
    if real.is_relative_to(root.resolve()) or real.is_relative_to(path.parent.resolve()):
        return None
    return (f"is a symbolic link to '{target}', outside the project, which is not read; "
            "copy the file into the project instead")
