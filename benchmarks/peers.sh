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
# An installed package ships compiled modules; an editable install compiles them on first use,
# unless PYTHONDONTWRITEBYTECODE is set (as on the benchmark machines), when every run would
# compile digest's modules again (~0.2 s). Compile them once, as an install would.
"$(dirname "$DIGEST_BIN")/python" -m compileall -q "$ROOT/digest" || true
exec bash "$SHARED/bench/run_peers.sh" "$@" --digest "$HERE/digest-cold"
