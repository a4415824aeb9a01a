"""Benchmark the preview across sizes: `explainer serve`'s refresh after one save, and the
preview process's peak memory, at N realistic explainers for each N given.

For each size, a realistic project (bench/realistic.py) is previewed by bench/probe.py in a
process of its own (its first build, then three saves, each timed); that process's peak
memory comes from os.wait4. The cost per explainer at each size shows whether a save's cost
grows with the site (it should not: a save renders one page), and the peak memory what the
preview holds:

    .venv/bin/python -m bench.preview --sizes 100 1000 10000

`--own-steps` words each explainer's status changes its own way: the corpus's variants share
them, and a story keeps each different one once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.realistic import make_project

BENCH = Path(__file__).resolve().parent


def preview(root: Path, count: int) -> tuple[list[float], float, float]:
    """The refresh times (ms) of three saves, the seconds the whole probe took, and the
    probe's peak memory (MB)."""
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        probe = subprocess.Popen([sys.executable, str(BENCH / "probe.py"), "--code",
                                  str(BENCH.parent), "serve", str(root), str(count)],
                                 cwd=BENCH.parent, env=env, stdout=out, stderr=err)
        # Reaped here, not by subprocess, for the child's own resource usage.
        _, status, usage = os.wait4(probe.pid, 0)
        probe.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if probe.returncode:
            raise SystemExit(f"the probe failed at {count}:\n{err.read()}")
        return json.loads(out.read()), seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--own-steps", action="store_true", help="each explainer's status "
                        "changes worded its own way (bench/realistic.py's variant)")
    args = parser.parse_args()
    print("explainers  save, ms (each)            ms per 1,000  peak MB  probe s")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = make_project(Path(folder) / "desk", size, args.own_steps)
            times, seconds, peak = preview(root, size)
        median = statistics.median(times)
        each = " ".join(f"{t:6.1f}" for t in times)
        print(f"{size:10,}  {median:6.1f} ({each})  {median / size * 1000:10.1f}  "
              f"{peak:7.0f}  {seconds:7.1f}", flush=True)


if __name__ == "__main__":
    main()
