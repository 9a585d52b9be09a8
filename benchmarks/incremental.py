#!/usr/bin/env python3
"""Incremental builds against Hugo's full build, measured in one run.

    python benchmarks/incremental.py --n 10000 [--runs 5]

1. makes an N-article corpus (../shared/bench/make_corpus.py) in a temporary site root;
2. a full build (cold), then: a rebuild with nothing changed, and "a day's increment": 1% new
   articles dated the day after the newest, added and built (then removed again), RUNS times;
3. Hugo's full build of the same corpus (../shared/bench/run_peers.sh installs it), once in each
   of the RUNS rounds, right after digest's runs of that round;
4. prints medians and the ratios the issue sets: no-change <= Hugo / 10, increment <= Hugo / 5
   (of the medians, and the median of the rounds' own ratios); and checks that the incremental
   output is byte-identical to a clean build.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DIGEST_SHARED", ROOT.parent / "shared"))
DIGEST = os.environ.get("DIGEST") or shutil.which("digest") or str(ROOT / ".venv/bin/digest")


def run(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def make_corpus(n: int, fmt: str, out: Path) -> None:
    subprocess.run([sys.executable, str(SHARED / "bench/make_corpus.py"), "--n", str(n), "--format", fmt,
                    "--seed", "1", "--out", str(out), "--force"], check=True, stdout=subprocess.DEVNULL)


def tree_digest(folder: Path) -> str:
    hasher = hashlib.blake2b()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def increment_files(site: Path, n: int, scratch: Path) -> list[tuple[Path, str]]:
    """1% new articles (from a bigger corpus of the same seed), re-dated to the day after the newest."""
    extra = max(1, n // 100)
    bigger = scratch / "bigger"
    make_corpus(n + extra, "digest", bigger)
    files = sorted(glob.glob(str(bigger / "content/**/*.md"), recursive=True))
    existing = {Path(p).name for p in glob.glob(str(site / "content/**/*.md"), recursive=True)}
    new = [Path(p) for p in files if Path(p).name not in existing][:extra]
    result = []
    for path in new:
        text = re.sub(r"^date: \d{4}-\d{2}-\d{2}T", "date: 2026-01-01T", path.read_text(), count=1, flags=re.M)
        result.append((site / "content/2026/01/01" / path.name, text))
    return result


def find_hugo(args: argparse.Namespace, scratch: Path) -> Callable[[int], float] | None:
    """A function timing Hugo's full build of the same corpus (a fresh output folder each
    round); None when it is skipped or not installed."""
    if args.skip_hugo:
        return None
    hugo_bin = next(iter(glob.glob(os.path.expanduser("~/.cache/digest-bench/venv/lib/python3*/site-packages/hugo/binaries/hugo"))), None)
    if hugo_bin is None:
        print("Hugo not installed: run ../shared/bench/run_peers.sh once (it installs Hugo)")
        return None
    hugo_site = scratch / "hugo"
    make_corpus(args.n, "hugo", hugo_site)
    return lambda round_: run([hugo_bin, "--noBuildLock", "--quiet", "-s", str(hugo_site),
                               "-d", str(scratch / f"hugo-out-{round_}")], scratch)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--flag", dest="flags", action="append", default=[],
                        help="extra `digest build` flag, e.g. --flag=--no-search (the same work as Hugo's)")
    args = parser.parse_args()
    # compiled once, as an installed package is (see peers.sh: PYTHONDONTWRITEBYTECODE)
    python = Path(DIGEST).parent / "python"
    if python.exists():
        subprocess.run([str(python), "-m", "compileall", "-q", str(ROOT / "digest")], check=False)
    scratch = Path(tempfile.mkdtemp(prefix="digest-incr-"))
    site = scratch / "site-root"
    make_corpus(args.n, "digest", site)
    base = ["--base-url", "https://bench.example.org/", *args.flags]
    cold = run([DIGEST, "build", *base], site)
    hugo_run = find_hugo(args, scratch)
    no_change, increment, hugo = [], [], []
    additions = increment_files(site, args.n, scratch)
    # round by round, Hugo's full build beside digest's: a shared machine's speed drifts over
    # minutes, and each round's ratio is then taken at one speed
    for round_ in range(args.runs):
        no_change.append(run([DIGEST, "build", *base], site))
        for path, text in additions:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        increment.append(run([DIGEST, "build", *base], site))
        incremental_digest = tree_digest(site / "site")
        for path, _ in additions:
            path.unlink()
        run([DIGEST, "build", *base], site)  # back to the base corpus for the next run
        if hugo_run is not None:
            hugo.append(hugo_run(round_))
    for path, text in additions:
        path.write_text(text)
    run([DIGEST, "build", *base], site)
    run([DIGEST, "build", "--no-cache", "--out", "clean", *base], site)
    identical = tree_digest(site / "site") == tree_digest(site / "clean") == incremental_digest
    print(f"corpus: {args.n} articles; increment: {len(additions)} new articles; runs: {args.runs}")
    print(f"digest cold full build:     {cold:7.2f} s")
    print(f"digest no-change rebuild:   {statistics.median(no_change):7.2f} s (median; {min(no_change):.2f}-{max(no_change):.2f})")
    print(f"digest 1% increment:        {statistics.median(increment):7.2f} s (median; {min(increment):.2f}-{max(increment):.2f})")
    print(f"incremental output byte-identical to a clean build: {identical}")
    if hugo:
        full = statistics.median(hugo)
        print(f"Hugo full build:            {full:7.2f} s (median; {min(hugo):.2f}-{max(hugo):.2f})")
        for name, times, target in (("no-change", no_change, "0.10"), ("increment", increment, "0.20")):
            rounds = [mine / theirs for mine, theirs in zip(times, hugo)]
            print(f"{name} / Hugo: {statistics.median(times) / full:.3f} of the medians, "
                  f"{statistics.median(rounds):.3f} median of the rounds' ratios "
                  f"({min(rounds):.3f}-{max(rounds):.3f}) (target <= {target})")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
