#!/usr/bin/env bash
# Cold full builds: digest vs Hugo (and Pelican) on the same N-article corpus, side by side.
#
#   benchmarks/peers.sh N [RUNS] [--with-pelican]
#
# Uses ../shared/bench/run_peers.sh (it installs Hugo and Pelican once under ~/.cache/digest-bench).
# digest runs with --no-cache (benchmarks/digest-cold): a truly cold build, nothing reused from
# earlier runs. DIGEST_BENCH_FLAGS=--no-search builds exactly the work Hugo's build does (Hugo's
# corpus site has no search index); by default the search index is built too.
# Ratios are "peer / digest": above 1 means digest is faster (wall) or smaller (memory).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DIGEST_SHARED:-$ROOT/../shared}"
export DIGEST_BIN="${DIGEST:-$(command -v digest || echo "$ROOT/.venv/bin/digest")}"
cd "$ROOT"
exec bash "$SHARED/bench/run_peers.sh" "$@" --digest "$HERE/digest-cold"
