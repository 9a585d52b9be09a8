"""A real `digest build` killed with SIGKILL at several moments leaves `site/` exactly as it was
(or, once the swap has happened, exactly the new site: never a mix), and the next build succeeds.

The corpus is generated here, so the test does not depend on anything outside the repository.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, tree_bytes

pytestmark = pytest.mark.slow

ARTICLES = int(os.environ.get("DIGEST_KILL_ARTICLES", "300"))
KILL_AT = (0.1, 0.35, 0.6, 0.8, 0.9, 0.97, 1.03)  # fractions of a full build's duration
CONFIG = """\
title = "Kill Test Digest"
base_url = "https://kill.example.org/"
timezone = "UTC"

[[topics]]
slug = "economy"
name = "Economy"
keywords = ["market", "harbour", "prices"]

[[topics]]
slug = "disaster"
name = "Disasters"
keywords = ["storm", "flood"]

[[topics]]
slug = "politics"
name = "Politics"
keywords = ["council", "minister", "vote"]
"""
WORDS = ("harbour market storm flood council minister vote prices quay fishermen engineers wall "
         "budget coast road bridge river rain winter spring school hospital court report").split()


def write_corpus(root: Path, count: int, seed: int) -> None:
    """`count` articles over about count/20 days, each a few paragraphs of plain words."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "digest.toml").write_text(CONFIG, encoding="utf-8")
    for index in range(count):
        day = 1 + index * 20 // count if count >= 20 else 1
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {index}"
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."
                      for _ in range(rng.randint(3, 8))]
        path = root / "content" / f"2026/03/{day:02d}" / f"article-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: \"{title}\"\ndate: 2026-03-{day:02d}T{index % 24:02d}:{index % 60:02d}:00+00:00\n"
            f"source: Kill Test Gazette\n---\n\n" + "\n\n".join(paragraphs) + "\n",
            encoding="utf-8",
        )


def change_corpus(root: Path) -> None:
    """The edit between the old site and the new one: new articles, an edited one, one removed."""
    write_corpus(root / "_new", 40, seed=2)
    for path in sorted((root / "_new/content").rglob("*.md")):
        target = root / "content" / path.relative_to(root / "_new/content").with_stem(path.stem + "-new")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
    shutil.rmtree(root / "_new")
    first = root / "content/2026/03/01/article-00000.md"
    first.write_text(first.read_text(encoding="utf-8").replace("Kill Test Gazette", "Edited Gazette"),
                     encoding="utf-8")
    (root / "content/2026/03/01/article-00001.md").unlink()


def start_build(root: Path) -> subprocess.Popen[bytes]:
    """`digest build` in its own process group, so a kill reaches any worker it starts too."""
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "build"], cwd=root, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True,
    )


def run_build(root: Path) -> float:
    started = time.monotonic()
    process = start_build(root)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr.decode()
    return time.monotonic() - started


def kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate(timeout=60)


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_whole_new_one(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_corpus(root, ARTICLES, seed=1)
    run_build(root)
    old = tree_bytes(root / "site")
    assert len(old) > ARTICLES

    change_corpus(root)
    reference = tmp_path / "reference"
    shutil.copytree(root / "content", reference / "content")
    shutil.copy(root / "digest.toml", reference / "digest.toml")
    duration = run_build(reference)
    new = tree_bytes(reference / "site")
    assert new != old

    outcomes = []
    for fraction in KILL_AT:
        process = start_build(root)
        time.sleep(duration * fraction)
        finished = process.poll() is not None
        kill_group(process)
        site = tree_bytes(root / "site")
        if site == old:
            outcomes.append("old")
        elif site == new:
            outcomes.append("new")
        else:
            changed = sorted(set(site) ^ set(old) | {k for k in site.keys() & old.keys() if site[k] != old[k]})
            pytest.fail(f"killed at {fraction:.0%} of a build ({'after' if finished else 'before'} it "
                        f"finished): site/ is neither the old nor the new site; e.g. {changed[:5]}")
        if outcomes[-1] == "new":
            break  # the swap happened: later kills can only show the new site again
    assert outcomes[0] == "old", f"the first kill came too late to prove anything: {outcomes}"

    run_build(root)
    assert tree_bytes(root / "site") == new
    leftovers = [p for p in (root / "site").rglob("*") if p.name.endswith((".tmp", ".part"))]
    assert leftovers == []


def test_a_build_killed_before_the_first_site_leaves_no_site(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_corpus(root, ARTICLES // 2, seed=3)
    states = []
    for delay in (0.3, 1.0, 2.0):
        process = start_build(root)
        time.sleep(delay)
        kill_group(process)
        site = root / "site"
        states.append(tree_bytes(site) if site.exists() else None)
    run_build(root)
    complete = tree_bytes(root / "site")
    assert "index.html" in complete
    assert all(state in (None, complete) for state in states), "a half-built site/ appeared"
    assert states[0] is None, "the first kill came too late to prove anything"
