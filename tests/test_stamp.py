"""`digest stamp`: record what was published, and mark later corrections with `updated`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from digest.config import load_config
from digest.frontmatter import split_document
from digest.revisions import plan_stamp, set_front_matter_keys, text_checksum
from digest.stamp import stamp_articles

from .feedsite import write_site

T0 = dt.datetime(2026, 2, 9, 7, 0, tzinfo=dt.timezone.utc)
T1 = dt.datetime(2026, 2, 10, 8, 15, 30, 123, tzinfo=dt.timezone.utc)


def test_setting_keys_edits_only_their_lines() -> None:
    text = ("---\ntitle: A title  # the curator's comment\nupdated: >-\n  2026-01-01\n"
            "tags: [a, b]\n---\n\nBody with\n---\na rule.\n")
    result = set_front_matter_keys(text, {"updated": "2026-02-10T08:15:00+00:00", "text_checksum": "'ab12'"})
    assert result == ("---\ntitle: A title  # the curator's comment\nupdated: 2026-02-10T08:15:00+00:00\n"
                      "tags: [a, b]\ntext_checksum: 'ab12'\n---\n\nBody with\n---\na rule.\n")
    assert split_document(result, "x.md").meta["text_checksum"] == "ab12"


def test_plan_stamp_decisions() -> None:
    date = dt.datetime(2026, 2, 8, tzinfo=dt.timezone.utc)
    assert plan_stamp("abc", "abc", date, T1, None).status == "unchanged"
    first = plan_stamp(None, "abc", date, T1, None)
    assert (first.status, first.values) == ("recorded", {"text_checksum": "'abc'"})
    corrected = plan_stamp("old", "new", date, T1, None)
    assert corrected.status == "corrected"
    assert corrected.values == {"text_checksum": "'new'", "updated": "2026-02-10T08:15:30+00:00"}
    # not out yet: an edit before the article's own date is no correction
    assert plan_stamp("old", "new", T1 + dt.timedelta(days=1), T1, None).status == "recorded"
    with_id = plan_stamp("abc", "abc", date, T1, "urn:uuid:x")
    assert (with_id.status, with_id.values) == ("recorded", {"id": "urn:uuid:x"})


def test_checksum_counts_what_readers_see() -> None:
    base = text_checksum("Title", "Summary", "Body\n")
    assert base == text_checksum(" Title ", "Summary", "\nBody\n\n")
    assert len({base, text_checksum("Title!", "Summary", "Body"), text_checksum("Title", "Summary.", "Body"),
                text_checksum("Title", "Summary", "Body.")}) == 4


def test_stamp_records_then_corrects_and_leaves_the_rest_alone(tmp_path: Path) -> None:
    root = write_site(tmp_path / "root")
    config = load_config(root)
    content = root / "content"
    before = {p: p.read_text(encoding="utf-8") for p in content.rglob("*.md")}
    report = stamp_articles(config, T0)
    assert report.errors == [] and report.count("recorded") == 4 and report.count("corrected") == 0
    draft = content / "2026/02/06/draft.md"
    assert draft.read_text(encoding="utf-8") == before[draft]
    for path, old in before.items():  # only lines were added
        new = path.read_text(encoding="utf-8")
        assert [line for line in new.split("\n") if line in old.split("\n")] == old.split("\n")
        assert "updated:" not in new

    snapshot = {p: p.read_bytes() for p in before}
    assert stamp_articles(config, T1).count("unchanged") == 4
    assert {p: p.read_bytes() for p in before} == snapshot

    storm, market = content / "2026/02/08/storm.md", content / "2026/02/07/market-prices.md"
    storm.write_text(storm.read_text().replace("topics: [disaster, economy]", "topics: [economy]"))
    market.write_text(market.read_text().replace("troisième", "quatrième"))
    report = stamp_articles(config, T1)
    assert [(o.path.name, o.status) for o in report.outcomes if o.status != "unchanged"] == [
        ("market-prices.md", "corrected")]
    meta = split_document(market.read_text(encoding="utf-8"), market).meta
    assert meta["updated"] == dt.datetime(2026, 2, 10, 8, 15, 30, tzinfo=dt.timezone.utc)
    assert "updated:" not in storm.read_text(encoding="utf-8")  # re-topic is no correction


def test_stamp_reports_bad_files_and_touches_none_of_them(tmp_path: Path) -> None:
    root = write_site(tmp_path / "root")
    bad = root / "content/2026/02/08/bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    report = stamp_articles(load_config(root), T0)
    assert len(report.errors) == 1
    assert str(report.errors[0]).endswith("bad.md:3: front matter is not valid YAML: "
                                          "did not find expected ',' or ']'; close the `[` opened on line 2")
    assert bad.read_text(encoding="utf-8") == "---\ntitle: [unclosed\n---\nText.\n"
    assert report.count("recorded") == 4


def test_stamp_command(tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_site(tmp_path / "root")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(T0.timestamp())))
    result = cli(root, "stamp")
    assert result.exit_code == 0
    assert result.output == "4 article(s): 0 corrected, 4 recorded, 0 unchanged; 0 error(s)\n"
    storm = root / "content/2026/02/08/storm.md"
    storm.write_text(storm.read_text().replace("Storm closes", "Storm shuts"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(T1.timestamp())))
    result = cli(root, "stamp", "content/2026/02/08/storm.md")
    assert result.output == ("corrected content/2026/02/08/storm.md: updated 2026-02-10T08:15:30+00:00\n"
                             "1 article(s): 1 corrected, 0 recorded, 0 unchanged; 0 error(s)\n")
    (root / "content/2026/02/08/bad.md").write_text("---\ntitle: x\n---\nno date\n")
    result = cli(root, "stamp")
    assert result.exit_code == 1
    assert result.output.startswith("content/2026/02/08/bad.md:1: `date` is missing")
    assert result.output.endswith("4 article(s): 0 corrected, 0 recorded, 4 unchanged; 1 error(s)\n")
