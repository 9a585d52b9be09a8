"""A real `digest build` killed with SIGKILL at several moments never loses the old site.

Right after the kill, `site/` is the old site or, once the build has committed, exactly the new
one. An incremental build commits file by file under a journal: a kill inside that window
leaves a mix, which the next `digest` run that takes the lock, even a failing build, rolls back
to exactly the old site before anything else. Every following successful build gives the new site.

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

from digest.build import build_site
from digest.config import load_config

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


def fail_a_build(root: Path) -> dict[str, bytes]:
    """Run a build that fails on a broken file; return the site it leaves."""
    broken = root / "content/2026/03/01/zz-broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    try:
        result = subprocess.run([sys.executable, "-m", "digest", "build"], cwd=root, capture_output=True,
                                text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})
    finally:
        broken.unlink()
    assert result.returncode == 1 and "zz-broken.md:3: front matter is not valid YAML" in result.stderr, result.stderr
    return tree_bytes(root / "site")


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
            break  # committed: later kills can only show the new site again
        else:
            outcomes.append("mixed")
            restored = fail_a_build(root)
            changed = sorted(set(restored) ^ set(old) | {k for k in restored.keys() & old.keys()
                                                         if restored[k] != old[k]})
            assert restored == old, (
                f"killed at {fraction:.0%} of a build ({'after' if finished else 'before'} it finished): "
                f"site/ was a mix, and the next (failing) build did not restore the old site; e.g. {changed[:5]}")
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


def test_a_failing_build_first_restores_a_site_left_mixed_by_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "root"
    write_corpus(root, 60, seed=4)
    run_build(root)
    old = tree_bytes(root / "site")
    change_corpus(root)
    renames = {"n": 0}
    real_rename = os.rename

    def dying_rename(source: object, target: object) -> None:
        renames["n"] += 1
        if renames["n"] == 25:  # in the middle of moving files aside and into place
            raise SystemExit("the power went")
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", dying_rename)
    with pytest.raises(SystemExit):
        build_site(load_config(root))
    monkeypatch.undo()
    assert tree_bytes(root / "site") != old, "the crash did not land inside the commit"
    assert fail_a_build(root) == old
    run_build(root)
    assert (root / "site/2026/03/01/article-00000/index.html").read_bytes() != old[
        "2026/03/01/article-00000/index.html"]
