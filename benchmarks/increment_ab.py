#!/usr/bin/env python3
"""A day's increment, two versions of digest interleaved: did a change make it faster?

    python benchmarks/increment_ab.py BASE [CHANGED] [--n 10000] [--pairs 6] [--flag=--no-search] [--cold]

BASE and CHANGED are git revisions of this repository (CHANGED defaults to the working tree).
Each version gets its own copy of an N-article corpus (../shared/bench/make_corpus.py) and its
own build cache, is built once in full, then takes turns with the other: add 1% new articles
(the same ones as `incremental.py`), time `digest build`, remove them, build back (untimed).
The order alternates from pair to pair, so a machine that speeds up or slows down mid-run
weighs on both alike. `--cold` times cold full builds instead (`--no-cache` into a fresh
output folder, removed after each run), taking turns the same way. Prints each version's
median wall and CPU time (of the build's whole process tree) and the median of the per-pair
ratios CHANGED / BASE: the figure to quote on a noisy machine, where a single run's time says
little.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from incremental import ROOT, increment_files, make_corpus

# what a version needs to run from a folder on PYTHONPATH: the package, its default config and templates
PARTS = ("digest", "templates", "digest.toml")


def export_version(revision: str | None, into: Path) -> Path:
    """The package of one revision (None: the working tree) in its own folder, compiled."""
    into.mkdir(parents=True)
    if revision is None:
        for part in PARTS:
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, into / part, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, into / part)
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision, *PARTS],
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(into, filter="data")
    # compiled once, as an installed package is (PYTHONDONTWRITEBYTECODE would recompile every run)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "digest")], check=True)
    return into


def timed_build(version: Path, site: Path, flags: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one `digest build` of `site` by `version` (CPU of its children too)."""
    env = {**os.environ, "PYTHONPATH": str(version)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "digest", "build", *flags], cwd=site, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="git revision to compare against")
    parser.add_argument("changed", nargs="?", help="git revision (default: the working tree)")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--flag", dest="flags", action="append", default=[],
                        help="extra `digest build` flag, e.g. --flag=--no-search")
    parser.add_argument("--cold", action="store_true", help="time cold full builds, not increments")
    args = parser.parse_args()
    flags = ["--base-url", "https://bench.example.org/", *args.flags]
    scratch = Path(tempfile.mkdtemp(prefix="digest-ab-"))
    try:
        names = {"base": args.base, "changed": args.changed or "working tree"}
        versions = {"base": export_version(args.base, scratch / "base"),
                    "changed": export_version(args.changed, scratch / "changed")}
        corpus = scratch / "corpus"
        make_corpus(args.n, "digest", corpus)
        sites = {}
        for name in versions:
            sites[name] = scratch / f"site-{name}"
            shutil.copytree(corpus, sites[name])
            if not args.cold:
                timed_build(versions[name], sites[name], flags)  # the full build the increments start from
        additions = [] if args.cold else increment_files(corpus, args.n, scratch)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
        for pair in range(args.pairs):
            for name in (("base", "changed") if pair % 2 == 0 else ("changed", "base")):
                site = sites[name]
                if args.cold:
                    times[name].append(timed_build(versions[name], site, [*flags, "--no-cache", "--out", "cold"]))
                    for left in (site / "cold", site / ".cold.digest"):  # the output and its work folder
                        shutil.rmtree(left, ignore_errors=True)
                    continue
                added = [site / path.relative_to(corpus) for path, _ in additions]
                for path, (_, text) in zip(added, additions):
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text)
                times[name].append(timed_build(versions[name], site, flags))
                for path in added:
                    path.unlink()
                timed_build(versions[name], site, flags)  # back to the base corpus
        what = "cold full builds" if args.cold else f"increment: {len(additions)} new articles"
        print(f"corpus: {args.n} articles; {what}; pairs: {args.pairs}")
        for name, runs in times.items():
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(f"{name:8s} {names[name]:>14s}: wall median {statistics.median(walls):.3f} s "
                  f"({min(walls):.2f}-{max(walls):.2f}), CPU median {statistics.median(cpus):.3f} s")
        for index, label in ((0, "wall"), (1, "CPU")):
            ratios = [c[index] / b[index] for b, c in zip(times["base"], times["changed"])]
            print(f"changed / base, {label}: median of the pairs' ratios {statistics.median(ratios):.3f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
