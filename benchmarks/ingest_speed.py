#!/usr/bin/env python3
"""Ingest speed: captures per second on one core, for the whole `digest ingest` (clean + write).

    python benchmarks/ingest_speed.py [--runs 5] [--parallel] [--scratch DIR] [CAPTURE_DIR]

Defaults to the dev captures in ../shared/extraction-dev/inputs/dev (else this repo's seeds/).
Each run ingests every capture into a fresh content folder in this process, serially (executor
`serial`); the figure is CPU time (user+system of this process), so it counts one core and ignores
what else the machine runs. `--parallel` also times each run with the default executor (`auto`:
a worker process per core from 64 captures on), by the wall clock, in pairs with the serial runs.

The content folders go to a RAM file system (/dev/shm) when there is one (`--scratch` chooses):
on this machine's ext4 disk, a run's new files were slow to create after the last run's were
removed (the allocator passes over inodes freed in the last seconds), a cost that grew run by
run to a fifth of the figure and that a curator's one ingest does not meet.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Appended, not prepended: an installed digest (such as the compiled build) comes first;
# a checkout that is not installed still runs.
sys.path.append(str(ROOT))

import digest.cleaning.lines  # noqa: E402
from digest.config import load_config  # noqa: E402
from digest.executor import available_cpus  # noqa: E402
from digest.ingest import IngestOptions, find_captures, ingest  # noqa: E402

SHARED = Path(os.environ.get("DIGEST_SHARED", ROOT.parent / "shared"))


def default_scratch() -> Path | None:
    """A RAM file system for the content folders when the machine has one, else the temp folder."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parallel", action="store_true", help="also time the default executor (all cores), by wall clock")
    parser.add_argument("--scratch", type=Path, default=default_scratch(),
                        help="where each run's content folder goes (default: /dev/shm when present)")
    args = parser.parse_args()
    folder = args.folder or next((p for p in (SHARED / "extraction-dev/inputs/dev", ROOT / "seeds") if p.is_dir()))
    captures, _ = find_captures([folder])
    rates, walls, parallel_walls = [], [], []
    for _ in range(args.runs):
        for executor in ("serial", "auto") if args.parallel else ("serial",):
            scratch = Path(tempfile.mkdtemp(prefix="digest-ingest-", dir=args.scratch))
            config = load_config(ROOT).with_overrides(content_dir=str(scratch / "content"))
            started, wall = time.process_time(), time.perf_counter()
            report = ingest(captures, config, IngestOptions(executor=executor))
            seconds, wall = time.process_time() - started, time.perf_counter() - wall
            if executor == "serial":
                rates.append(len(captures) / seconds)
                walls.append(wall)
            else:
                parallel_walls.append(wall)
            shutil.rmtree(scratch)
    compiled = digest.cleaning.lines.__file__.endswith((".so", ".pyd"))
    print(f"cleaner: {'compiled (mypyc)' if compiled else 'pure Python'} ({digest.cleaning.lines.__file__})")
    print(f"{len(captures)} captures from {folder}: {len(report.outcomes)} articles, {len(report.errors)} errors; "
          f"content written under {args.scratch or tempfile.gettempdir()}")
    print(f"ingest: {statistics.median(rates):.0f} captures/s on one core (median of {args.runs}; "
          f"{min(rates):.0f}-{max(rates):.0f})")
    if parallel_walls:
        serial, parallel = statistics.median(walls), statistics.median(parallel_walls)
        print(f"wall clock: serial {serial:.2f}s, default executor on {available_cpus()} cores {parallel:.2f}s "
              f"({len(captures) / parallel:.0f} captures/s, {serial / parallel:.2f}x; medians of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
