"""Print the pip requirement for the uv that uv.lock holds, with the hash of each of its wheels.

uv installs everything else from the lock, so it is the one package pip installs: this lets
pip check it against the lock's hashes too (`pip install --require-hashes`), and keeps its
version in the lock, where `make upgrade` moves it with the rest.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path


def uv_requirement(lock: Path) -> str:
    packages = tomllib.loads(lock.read_text(encoding="utf-8"))["package"]
    uv = next((p for p in packages if p["name"] == "uv"), None)
    if uv is None:
        raise SystemExit(f"{lock} holds no uv: pyproject.toml's 'installer' group names it")
    hashes = " ".join(f"--hash={wheel['hash']}" for wheel in uv["wheels"])
    return f"uv=={uv['version']} {hashes}"


if __name__ == "__main__":
    print(uv_requirement(Path(sys.argv[1] if len(sys.argv) > 1 else "uv.lock")))
