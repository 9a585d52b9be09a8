"""Feeds change only when content does: byte-identical rebuilds, ids that survive renames and
re-topics, and `updated` that moves for exactly the entry whose text was corrected."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from digest.build import build_site
from digest.config import load_config
from digest.stamp import stamp_articles

from .conftest import shared_dir, tree_bytes
from .feedsite import BASE, atom_entries, build, edit, json_items, write_site

STORM = "urn:uuid:11111111-1111-4111-8111-111111111111"
MARKET = "urn:uuid:22222222-2222-4222-8222-222222222222"
T0 = dt.datetime(2026, 2, 9, 7, 0, tzinfo=dt.timezone.utc)
T1 = dt.datetime(2026, 2, 10, 8, 15, tzinfo=dt.timezone.utc)


def feeds_of(out: Path) -> dict[str, bytes]:
    return {name: data for name, data in tree_bytes(out).items()
            if name.endswith(("feed.xml", "atom.xml", "feed.json", ".opml"))}


def test_two_builds_give_byte_identical_feeds_whatever_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site(tmp_path / "root")
    first = feeds_of(build(root, tmp_path / "a"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")  # a build clock, if anything read it
    second = feeds_of(build(root, tmp_path / "b"))
    assert len(first) == 16 and first == second


def test_ids_survive_renames_moves_and_retopics(tmp_path: Path) -> None:
    root = write_site(tmp_path / "root")
    before = atom_entries(build(root, tmp_path / "a") / "atom.xml")
    content = root / "content"
    # rename the title and slug, and move the file to another folder and name
    storm = content / "2026/02/08/storm.md"
    edit(storm, "title: Storm closes the northern port", "title: Storm shuts the port\nslug: port-storm")
    (content / "moved").mkdir()
    storm.rename(content / "moved/renamed-file.md")
    edit(content / "2026/02/07/market-prices.md", "topics: [economy]", "topics: [politics]")
    out = build(root, tmp_path / "b")
    after = atom_entries(out / "atom.xml")
    assert sorted(after) == sorted(before)
    assert after[STORM]["link"] == BASE + "2026/02/08/port-storm/" != before[STORM]["link"]
    assert after[STORM]["updated"] == before[STORM]["updated"]  # a rename is no correction
    assert MARKET in atom_entries(out / "topics/politics/atom.xml")
    assert MARKET not in atom_entries(out / "topics/economy/atom.xml")
    assert set(json_items(out / "feed.json")) == set(before)


def test_stamping_writes_down_derived_ids_so_later_moves_keep_them(tmp_path: Path) -> None:
    root = write_site(tmp_path / "root")
    before = atom_entries(build(root, tmp_path / "a") / "atom.xml")
    hand = root / "content/2026/02/06/by-hand.md"
    old_id = next(i for i, e in before.items() if e["link"].endswith("/by-hand/"))
    stamp_articles(load_config(root), T0)
    assert f"id: {old_id}\n" in hand.read_text(encoding="utf-8")
    hand.rename(hand.with_name("letter.md"))
    after = atom_entries(build(root, tmp_path / "b") / "atom.xml")
    assert after[old_id]["link"] == BASE + "2026/02/06/letter/"


def test_editing_a_body_changes_exactly_that_entrys_updated(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site(tmp_path / "root")
    stamp_articles(load_config(root), T0)  # publishing: the text as it is now is the reference
    first = build(root, tmp_path / "a")
    edit(root / "content/2026/02/08/storm.md", "A winter storm closed the port.",
         "A winter storm closed the port. Correction: it reopened on Tuesday.")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(T1.timestamp())))
    result = cli(root, "stamp")
    assert result.exit_code == 0, result.output
    assert "corrected content/2026/02/08/storm.md: updated 2026-02-10T08:15:00+00:00" in result.output
    second = build(root, tmp_path / "b")

    stamped = T1.isoformat()
    for name in ("atom.xml", "topics/disaster/atom.xml", "topics/economy/atom.xml", "topics/politics/atom.xml"):
        old, new = atom_entries(first / name), atom_entries(second / name)
        changed = {i for i in old if old[i]["updated"] != new[i]["updated"]}
        assert changed == ({STORM} if STORM in old else set()), name
        assert all(old[i]["published"] == new[i]["published"] for i in old), name
    assert atom_entries(second / "atom.xml")[STORM]["updated"] == stamped
    old_json, new_json = json_items(first / "feed.json"), json_items(second / "feed.json")
    assert {i for i in old_json if old_json[i]["date_modified"] != new_json[i]["date_modified"]} == {STORM}
    assert new_json[STORM]["date_modified"] == stamped
    assert new_json[STORM]["date_published"] == old_json[STORM]["date_published"]
    # the edition of that day changed with it, and only that one
    old_days, new_days = atom_entries(first / "editions/atom.xml"), atom_entries(second / "editions/atom.xml")
    assert {i for i in old_days if old_days[i]["updated"] != new_days[i]["updated"]} == {
        "tag:feeds.example.org,2026-02-08:news/edition"}
    # a feed's own updated follows its newest entry
    assert b"<updated>2026-02-10T08:15:00+00:00</updated>" in (second / "topics/economy/atom.xml").read_bytes()
    assert (first / "topics/politics/atom.xml").read_bytes() == (second / "topics/politics/atom.xml").read_bytes()


def test_an_edit_not_yet_stamped_is_reported_and_changes_no_feed(tmp_path: Path) -> None:
    root = write_site(tmp_path / "root")
    stamp_articles(load_config(root), T0)
    first = feeds_of(build(root, tmp_path / "a"))
    edit(root / "content/2026/02/07/market-prices.md", "troisième semaine", "quatrième semaine")
    report = build_site(load_config(root).with_overrides(output_dir=str(tmp_path / "b")))
    assert [w for w in report.warnings if "changed since it was published" in w] == [
        w for w in report.warnings if "market-prices.md" in w]
    assert len(report.warnings) == 1 and "digest stamp" in report.warnings[0]
    second = feeds_of(tmp_path / "b")
    # the new words show in the entries' content, but no date moved
    assert sorted(name for name in first if first[name] != second[name]) == [
        "atom.xml", "feed.json", "feed.xml",
        "topics/economy/atom.xml", "topics/economy/feed.json", "topics/economy/feed.xml",
    ]
    assert atom_entries(tmp_path / "a" / "atom.xml") == atom_entries(tmp_path / "b" / "atom.xml")


@pytest.mark.skipif(shared_dir() is None, reason="the shared site checks are not beside the repository")
def test_the_shared_feeds_check_finds_ids_stable_against_an_earlier_build(tmp_path: Path) -> None:
    root = write_site(tmp_path / "root")
    earlier = build(root, tmp_path / "earlier")
    edit(root / "content/2026/02/07/market-prices.md", "topics: [economy]", "topics: [economy, politics]")
    edit(root / "content/2026/02/08/storm.md", "A winter storm", "A violent winter storm")
    (root / "content/2026/02/09").mkdir()
    (root / "content/2026/02/09/new.md").write_text(
        "---\ntitle: Flood warning for the coast\ndate: 2026-02-09T06:00:00+00:00\n---\n\nA storm flood.\n",
        encoding="utf-8")
    later = build(root, tmp_path / "later")
    tool = shared_dir() / "tools" / "feeds_check.py"  # type: ignore[operator]
    result = subprocess.run(
        [sys.executable, str(tool), str(later), "--base-url", BASE, "--strict", "--baseline", str(earlier)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "ids stable vs baseline" in result.stdout
    shutil.rmtree(later)


def test_the_preview_quick_path_writes_the_same_feeds_as_a_build(tmp_path: Path) -> None:
    from digest.build import Builder

    root = write_site(tmp_path / "root")
    builder = Builder(load_config(root))
    builder.build(prime=True)
    storm = root / "content/2026/02/08/storm.md"
    edit(storm, "Officials said", "Port officials said")
    assert builder.quick_update({storm}) is not None  # a text edit: the quick path applies
    builder.flush()
    quick = feeds_of(root / "site")
    assert b"Port officials said" in quick["atom.xml"] and b"Port officials said" in quick["feed.json"]
    assert quick == feeds_of(build(root, tmp_path / "clean"))
