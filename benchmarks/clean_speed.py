"""Captures cleaned per second on one core over the extraction dev set.

    PYTHONPATH=. python benchmarks/clean_speed.py [--runs 5]

Reads every capture into memory first, then times `decode_capture` + `clean_text` over
the whole set several times and reports the median run. The rate is measured in CPU
time of this (single-threaded) process, pinned to one core, so other work on the
machine does not distort it; wall-clock time is printed alongside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import digest.cleaning.lines
from digest.cleaning import DateReference, clean_text, decode_capture


def default_inputs() -> Path:
    shared = os.environ.get("DIGEST_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[1] / ".." / "shared"
    return base / "extraction-dev" / "inputs" / "dev"


def cleaner_build() -> str:
    """Which cleaner runs: the mypyc-compiled one (an opt-in install) or the .py files."""
    compiled = digest.cleaning.lines.__file__.endswith((".so", ".pyd"))
    return "compiled (mypyc)" if compiled else "pure Python"


def time_runs(captures: list[bytes], runs: int) -> list[tuple[float, float]]:
    """(CPU seconds, wall seconds) each run took to clean every capture once."""
    reference = DateReference(tz=dt.UTC)
    timings = []
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        for data in captures:
            clean_text(decode_capture(data), reference)
        timings.append((time.process_time() - cpu, time.perf_counter() - wall))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=default_inputs())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    paths = sorted(args.inputs.glob("*.txt"))
    if not paths:
        print(f"no captures under {args.inputs}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    captures = [path.read_bytes() for path in paths]
    time_runs(captures[:5], 1)  # warm up regex caches and imports
    timings = time_runs(captures, args.runs)
    cpu = statistics.median(t[0] for t in timings)
    wall = statistics.median(t[1] for t in timings)
    print(f"cleaner: {cleaner_build()} ({digest.cleaning.lines.__file__})")
    print(
        f"{len(captures)} captures, {args.runs} runs: median {cpu:.3f}s CPU "
        f"= {len(captures) / cpu:.0f} captures/s on one core "
        f"(wall {wall:.3f}s = {len(captures) / wall:.0f}/s); "
        f"range {len(captures) / max(t[0] for t in timings):.0f}"
        f"-{len(captures) / min(t[0] for t in timings):.0f}/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
