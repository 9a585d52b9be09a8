#!/usr/bin/env python3
"""Ingest speed: captures per second on one core, for the whole `digest ingest` (clean + write).

    python benchmarks/ingest_speed.py [--runs 5] [CAPTURE_DIR]

Defaults to the dev captures in ../shared/extraction-dev/inputs/dev (else this repo's seeds/).
Each run ingests every capture into a fresh content folder in this process; the figure is CPU
time (user+system of this process), so it counts one core and ignores what else the machine runs.
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
from digest.ingest import IngestOptions, find_captures, ingest  # noqa: E402

SHARED = Path(os.environ.get("DIGEST_SHARED", ROOT.parent / "shared"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = args.folder or next((p for p in (SHARED / "extraction-dev/inputs/dev", ROOT / "seeds") if p.is_dir()))
    captures, _ = find_captures([folder])
    rates = []
    for _ in range(args.runs):
        scratch = Path(tempfile.mkdtemp(prefix="digest-ingest-"))
        config = load_config(ROOT).with_overrides(content_dir=str(scratch / "content"))
        started = time.process_time()
        report = ingest(captures, config, IngestOptions())
        seconds = time.process_time() - started
        rates.append(len(captures) / seconds)
        shutil.rmtree(scratch)
    compiled = digest.cleaning.lines.__file__.endswith((".so", ".pyd"))
    print(f"cleaner: {'compiled (mypyc)' if compiled else 'pure Python'} ({digest.cleaning.lines.__file__})")
    print(f"{len(captures)} captures from {folder}: {len(report.outcomes)} articles, {len(report.errors)} errors")
    print(f"ingest: {statistics.median(rates):.0f} captures/s on one core (median of {args.runs}; "
          f"{min(rates):.0f}-{max(rates):.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
