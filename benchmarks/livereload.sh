#!/usr/bin/env bash
# Live-reload latency of `digest serve` on an N-article site (default 10,000): median of RUNS edits.
#
#   benchmarks/livereload.sh [N] [RUNS]
#
# Builds the corpus once, opens one article in headless Chromium and times, per trial, from saving
# an edit of that article to the new text showing in the page (../shared/tools/livereload_latency.py).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${DIGEST_SHARED:-$ROOT/../shared}"
DIGEST="${DIGEST:-$(command -v digest || echo "$ROOT/.venv/bin/digest")}"
N="${1:-10000}"; RUNS="${2:-9}"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT  # the corpus, its site and cache: hundreds of MiB
SITE="$SCRATCH/site-root"
python3 "$SHARED/bench/make_corpus.py" --n "$N" --format digest --seed 1 --out "$SITE" >/dev/null
(cd "$SITE" && "$DIGEST" build >/dev/null)
FILE="$(cd "$SITE" && ls content/2025/12/31/*.md | head -1)"
SLUG="$(basename "$FILE" .md)"
python3 "$SHARED/tools/livereload_latency.py" --cmd "$DIGEST serve --port 8765" --cwd "$SITE" \
  --url "http://127.0.0.1:8765/2025/12/31/$SLUG/" --file "$FILE" --repeat "$RUNS" --log "$SITE/serve.log"
