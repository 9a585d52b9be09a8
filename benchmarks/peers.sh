#!/usr/bin/env bash
# Cold full builds: digest vs Hugo (and Pelican) on the same N-article corpus, side by side.
#
#   benchmarks/peers.sh N [RUNS] [--with-pelican]
#
# Uses ../shared/bench/run_peers.sh (it installs Hugo and Pelican once under ~/.cache/digest-bench).
# digest runs with --no-cache: a truly cold build (no parsed articles, no manifest from earlier runs).
# Ratios are "peer / digest": above 1 means digest is faster (wall) or smaller (memory).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DIGEST_SHARED:-$ROOT/../shared}"
DIGEST="${DIGEST:-$(command -v digest || echo "$ROOT/.venv/bin/digest")}"
cd "$ROOT"
exec bash "$SHARED/bench/run_peers.sh" "$@" --digest "$DIGEST --no-cache"
