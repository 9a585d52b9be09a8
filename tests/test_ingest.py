"""`digest ingest` on the two sample captures: golden files, idempotency, curator edits.

Regenerate the golden files after an intended change of the cleaner or the file format, then
review the diff of tests/golden/ingest/:

    DIGEST_REGENERATE=1 python -m pytest tests/test_ingest.py
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from digest.config import load_config
from digest.ingest import ContentIndex, IngestOptions, ingest, read_front_matter, target_path, was_edited

from .conftest import REPO

GOLDEN = Path(__file__).resolve().parent / "golden" / "ingest"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site-root"
    root.mkdir()
    shutil.copy(REPO / "digest.toml", root / "digest.toml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


def content_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root / "content").as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((root / "content").rglob("*.md"))}


def test_seeds_ingest_to_the_golden_files(site: Path, cli: Callable[..., Result]) -> None:
    result = cli(site, "ingest", "seeds/")
    assert result.exit_code == 0, result.output
    produced = content_files(site)
    if os.environ.get("DIGEST_REGENERATE"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in produced.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.md"))}
    assert sorted(produced) == sorted(golden)
    for rel in golden:
        assert produced[rel] == golden[rel], f"{rel} differs from tests/golden/ingest/{rel}"


def test_the_sample_content_is_what_ingest_makes(site: Path, cli: Callable[..., Result]) -> None:
    cli(site, "ingest", "seeds/")
    assert content_files(site) == content_files(REPO)


def test_seed_facts(site: Path, cli: Callable[..., Result]) -> None:
    cli(site, "ingest", "seeds/")
    metas = {p.stem: read_front_matter(p) for p in (site / "content").rglob("*.md")}
    first = metas["turkey-receives-first-russian-missile-delivery-sparking-us-nato-concerns"]
    assert first["image"] == {"caption": "Washington has repeatedly warned Turkey against purchasing the Russian "
                                         "S-400 missile defense system", "credit": "AFP"}
    for stem in ("russia-man-suspected-of-shooting-top-general-detained-in-dubai",
                 "factory-explosion-kills-8-in-northern-china",
                 "iran-warns-will-not-give-up-enrichment-despite-us-war-threat"):
        assert metas[stem]["date"].isoformat() == "2026-02-08T00:00:00+00:00"
        assert metas[stem]["date_source"] == "relative-to-capture"
    later = metas["turkey-not-to-forgo-russian-s-400-missile-systems-despite-us-pressure"]
    assert later["date"].isoformat() == "2025-11-03T20:24:00+00:00"
    assert (later["source"], later["author"]) == ("Al Mayadeen English", "Al Mayadeen English")
    assert later["tags"] == ["United States", "Turkey", "S-400", "Nato", "F-35 fighter jet",
                             "Recep Tayyip Erdogan", "Nato Alliance"]
    assert later["origin"]["capture"] == "seeds/003_ae01d34301e4c391.txt"
    assert all(meta["id"].startswith("urn:uuid:") for meta in metas.values())
    assert len({meta["id"] for meta in metas.values()}) == 5


def test_ingest_twice_changes_nothing(site: Path, cli: Callable[..., Result]) -> None:
    cli(site, "ingest", "seeds/")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (site / "content").rglob("*.md")}
    result = cli(site, "ingest", "seeds/")
    assert result.output.splitlines()[-1] == (
        "2 capture(s): 5 article(s), 0 new, 0 updated, 5 unchanged, 0 kept; 0 error(s)")
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (site / "content").rglob("*.md")} == before


def test_a_curators_edit_is_never_lost(site: Path, cli: Callable[..., Result]) -> None:
    cli(site, "ingest", "seeds/")
    path = next((site / "content").rglob("factory-explosion-kills-8-in-northern-china.md"))
    edited = path.read_text().replace("topics:\n- disaster", "topics:\n- disaster\n- economy")
    path.write_text(edited)
    assert was_edited(edited)
    result = cli(site, "ingest", "seeds/")
    rel = path.relative_to(site).as_posix()
    assert f"kept {rel}: edited by hand, not replaced (use --force to replace it)" in result.output
    assert path.read_text() == edited
    forced = cli(site, "ingest", "--force", "seeds/")
    assert f"replaced {rel}" in forced.output
    assert "- economy" not in path.read_text() and not was_edited(path.read_text())


def test_date_and_source_options(site: Path, cli: Callable[..., Result]) -> None:
    result = cli(site, "ingest", "--date", "2026-03-01", "--source", "Asharq Al-Awsat", "seeds/000_76a53f2f9d0b8894.txt")
    assert result.exit_code == 0, result.output
    metas = [read_front_matter(p) for p in (site / "content").rglob("*.md")]
    assert {m["source"] for m in metas} == {"Asharq Al-Awsat"}
    # "said on Sunday" against --date 2026-03-01 (a Sunday): that very day
    assert {(m["date"].date().isoformat(), m["date_source"]) for m in metas} == {
        ("2026-03-01", "relative-to-option"), ("2026-03-01", "option")}


def test_bad_option_value(site: Path, cli: Callable[..., Result]) -> None:
    result = cli(site, "ingest", "--date", "yesterday", "seeds/")
    assert result.exit_code == 2 and "'yesterday' is not a date; use YYYY-MM-DD" in result.output


def test_clean_previews_without_touching_content(site: Path, cli: Callable[..., Result]) -> None:
    result = cli(site, "clean", "seeds/", "--out", "preview")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (site / "preview").iterdir()) == [
        "000_76a53f2f9d0b8894__1.md", "000_76a53f2f9d0b8894__2.md", "000_76a53f2f9d0b8894__3.md",
        "000_76a53f2f9d0b8894__4.md", "003_ae01d34301e4c391.md"]
    assert not (site / "content").exists()
    golden = GOLDEN / "2025/11/03/turkey-not-to-forgo-russian-s-400-missile-systems-despite-us-pressure.md"
    assert (site / "preview/003_ae01d34301e4c391.md").read_text() == golden.read_text()


def test_an_indexed_name_stays_taken_while_its_id_holds_it(tmp_path: Path) -> None:
    """Even when the file is gone: a later article of that id would overwrite the newcomer."""
    config = load_config(REPO).with_overrides(content_dir=str(tmp_path / "content"))
    meta = {"title": "Harbour wall", "date": dt.datetime(2026, 2, 10, 9, tzinfo=dt.timezone.utc)}
    index = ContentIndex()
    first = target_path(meta, config, index)
    assert first == tmp_path / "content/2026/02/10/harbour-wall.md"
    index.place("urn:a", first)  # indexed, never written
    assert target_path(meta, config, index) == first.with_name("harbour-wall-2.md")
    index.place("urn:a", first.with_name("moved.md"))  # the article moved: its old name is free
    assert target_path(meta, config, index) == first


def test_ingest_hides_what_lives_all_along_from_the_collector_and_gives_it_back(site: Path) -> None:
    """Long-lived objects are frozen while captures are cleaned (full collections walked them
    for nothing), and unfrozen after: an ingest must not leave the process's heap frozen."""
    frozen: list[int] = []
    config = load_config(site)
    options = IngestOptions(executor="serial", progress=lambda stage, done, total: frozen.append(gc.get_freeze_count()))
    before = gc.get_freeze_count()
    report = ingest([site / "seeds"], config, options)
    assert report.outcomes and not report.errors
    assert frozen and min(frozen) > before
    assert gc.get_freeze_count() == before
