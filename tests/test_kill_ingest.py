"""A real `digest ingest` killed with SIGKILL at several moments never leaves half an article:
every `.md` in content/ is whole (it parses and matches the checksum ingest wrote), the next
ingest removes the killed one's temporary files and finishes the job, and the result is exactly
what an uninterrupted ingest writes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO
from .test_broken_captures import assert_content_is_whole, content_files

pytestmark = pytest.mark.slow

CAPTURES = Path(__file__).resolve().parent / "broken" / "captures"
COUNT = int(os.environ.get("DIGEST_KILL_CAPTURES", "120"))
KILL_AT = (0.15, 0.4, 0.65, 0.9)


def make_site(root: Path) -> None:
    """COUNT distinct captures made from the sample texts (each its own title and figures)."""
    (root / "captures").mkdir(parents=True)
    shutil.copy(CAPTURES.parent / "digest.toml", root / "digest.toml")
    texts = [(CAPTURES / f"harbour-{lang}.txt").read_text(encoding="utf-8") for lang in ("en", "fr", "de", "es")]
    for index in range(COUNT):
        text = texts[index % len(texts)]
        title, rest = text.split("\n", 1)
        (root / "captures" / f"capture-{index:04d}.txt").write_text(
            f"{title} ({index})\n{rest.replace('12', str(100 + index))}", encoding="utf-8")


def start_ingest(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "ingest", "--date", "2026-02-10", "captures"], cwd=root,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)},
        start_new_session=True,
    )


def run_ingest(root: Path) -> float:
    started = time.monotonic()
    process = start_ingest(root)
    _, stderr = process.communicate(timeout=900)
    assert process.returncode == 0, stderr.decode()
    return time.monotonic() - started


def test_an_ingest_killed_at_any_moment_leaves_only_whole_articles(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    make_site(reference)
    duration = run_ingest(reference)
    expected = content_files(reference)
    assert len(expected) == COUNT

    root = tmp_path / "root"
    make_site(root)
    counts = []
    for fraction in KILL_AT:
        process = start_ingest(root)
        time.sleep(duration * fraction)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate(timeout=60)
        visible = [p for p in (root / "content").rglob("*.md") if not p.name.startswith(".")] \
            if (root / "content").exists() else []
        counts.append(len(visible))
        if visible:
            assert_content_is_whole(root, temp_files_allowed=True)
            articles = {rel: text for rel, text in content_files(root).items() if rel.endswith(".md")}
            assert articles.items() <= expected.items(), "an article differs from an uninterrupted ingest's"
    assert counts[0] < COUNT, f"the first kill came too late to prove anything: {counts}"

    run_ingest(root)
    assert content_files(root) == expected  # no temporary file left, every article as expected
