"""Near-duplicates: the same article captured twice, or one wire story in two outlets."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from digest import duplicates
from digest.build import build_site, load_site
from digest.config import load_config
from digest.duplicates import BINS, DuplicateIndex, NearbyContent, compare, shingle, sketch

from .conftest import FIXTURES

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_76a53f2f9d0b8894.txt"
WIRE = """Turkey received the first batch of Russia's S-400 missile defense system on Friday, sparking
NATO "concern" and risking deepening tensions with the United States, which has repeatedly warned
against the purchase. The delivery to an airbase in the Turkish capital Ankara comes after
Washington warned this week that there would be "real and negative" consequences if Turkey bought
the defense system. NATO, which counts Turkey as one of its members, is "concerned about the
potential consequences" of the purchase, an official told AFP. The alliance has repeatedly warned
Turkey that the Russian system is incompatible with other NATO weapons systems, not least the F-35,
a new generation multi-role stealth fighter jet. But Turkish President Recep Tayyip Erdogan has
refused to back down and said he is confident Turkey will not face US sanctions."""
OTHER_REPORT = """Ankara took delivery of the first parts of the Russian S-400 air defence system on Friday,
the Turkish defence ministry said, defying warnings from Washington. Three Russian cargo planes
landed at the Murted air base near Ankara. The United States has threatened sanctions and says the
system cannot work alongside the F-35 jets Turkey had planned to buy. President Erdogan says the
deal is done and that Turkey will not back down."""


def rewrap(text: str, width: int) -> str:
    return textwrap.fill(" ".join(text.split()), width)


def test_shingles_ignore_wrapping_case_and_punctuation() -> None:
    assert shingle(WIRE) == shingle(rewrap(WIRE, 40).upper().replace('"', "\u201c"))
    assert shingle("") == frozenset()
    assert len(shingle("two words")) == 1


def test_shingles_are_the_hash_of_each_runs_word_ids() -> None:
    """The values decide which texts meet in a bucket: they are pinned, so a faster shingle keeps them."""
    def word_id(word: str) -> int:
        return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")

    def run_hash(run: str) -> int:
        return hash(tuple(map(word_id, run.split())))

    assert shingle("One two, three; four FIVE.") == {run_hash("one two three four"), run_hash("two three four five")}
    assert shingle("Straße ﬁve") == {run_hash("strasse five")}


def test_shingle_values_are_the_same_in_every_process() -> None:
    """str hashes are salted per process; the runs' values must not be (ingest's workers, reruns)."""
    script = "from digest.duplicates import shingle; print(sorted(shingle('One two, three; four FIVE.')))"
    values = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert values == {f"{sorted(shingle('One two, three; four FIVE.'))}\n"}


def test_lines_normalise_like_the_whole_text() -> None:
    """NFKC line by line (only lines with compatibility characters change) equals NFKC of the text,
    also where a combining mark or a Hangul jamo stands next to a line break."""
    samples = ["Half \u00bd\nwait\u2026\n\ufb01ve", "e\n\u0301a", "\u1100\n\u1161\u11a8", "A\u030a\n\n\u212b",
               "\uff08x\uff09\n\u0301\u0327", "\u1e9b\u0323\n", "\n", ""]
    for text in samples:
        assert duplicates.normalize_lines(text) == unicodedata.normalize("NFKC", text)


def test_a_text_is_shingled_once_whatever_its_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(duplicates, "shingle", lambda text: seen.append(text) or shingle(text))
    index = DuplicateIndex()
    assert index.find(WIRE) is None
    index.add("wire", WIRE)
    assert index.find(WIRE + "\n", exclude="wire") is None  # as read back from the article's file
    assert len(seen) == 1


def test_sketch_agreement_estimates_jaccard() -> None:
    words = WIRE.split()
    pairs = [(shingle(" ".join(words)), shingle(" ".join(words[: len(words) * k // 4]))) for k in (1, 2, 3)]
    for whole, part in pairs:
        true = compare(whole, part).jaccard
        a, b = sketch(whole), sketch(part)
        estimate = sum(x == y for x, y in zip(a, b)) / BINS
        assert len(a) == BINS and abs(estimate - true) < 0.2


def test_another_capture_style_and_a_trimmed_wire_copy_are_found() -> None:
    index = DuplicateIndex()
    index.add("original", WIRE)
    index.add("other-report", OTHER_REPORT)
    menu = "Home\nWorld\nPolitics\nSubscribe\n"
    assert (found := index.find(menu + rewrap(WIRE, 72) + "\nShare this article")) is not None
    assert found.key == "original" and found.similarity.jaccard > 0.8
    # an outlet's copy: its own opening line, the last paragraph cut
    copy = "ISTANBUL (Gulf Daily) - " + " ".join(WIRE.split()[:95]) + " Read more on our site."
    found = index.find(copy)
    assert found is not None and found.key == "original" and found.similarity.containment >= 0.8
    # another outlet's own report of the same event is a story, not a duplicate
    assert index.find(OTHER_REPORT.replace("Friday", "Saturday"), exclude="other-report") is None
    assert compare(shingle(WIRE), shingle(OTHER_REPORT)).is_duplicate is False


def test_short_texts_duplicates_and_the_text_itself_are_never_offered() -> None:
    index = DuplicateIndex()
    index.add("short", "Markets closed higher on Friday.")
    index.add("copy", WIRE, eligible=False)
    assert index.find("Markets closed higher on Friday.") is None
    assert index.find(WIRE) is None
    index.add("original", WIRE)
    assert index.find(WIRE, exclude="original") is None
    index.add("original", WIRE, eligible=False)  # found to be a copy after all
    assert index.find(WIRE) is None


def test_every_seed_capture_pair_is_told_apart() -> None:
    """The seed capture's articles are all different: no pair may look like a duplicate."""
    parts = SEED.read_text(encoding="utf-8").split("\n\n\n")
    texts = [part for part in parts if len(part.split()) > 60]
    assert len(texts) >= 3
    for a, b in itertools.combinations(texts, 2):
        assert not compare(shingle(a), shingle(b)).is_duplicate


def write_article(root: Path, rel: str, body: str, extra: str = "") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: T\ndate: 2026-02-08T10:00:00+00:00\n{extra}---\n\n{body}\n", encoding="utf-8")
    return path


def test_nearby_content_reads_only_the_days_around_the_article(tmp_path: Path) -> None:
    content = tmp_path / "content"
    near = write_article(content, "2026/02/05/near.md", WIRE, "id: near\n")
    write_article(content, "2026/01/10/far.md", WIRE, "id: far\n")
    write_article(content, "2026/02/08/copy.md", WIRE, "id: copy\nduplicate_of: near\n")
    write_article(content, "2026/02/09/broken.md", "---\n: :")
    nearby = NearbyContent(content)
    original = nearby.check("new", dt.date(2026, 2, 8), rewrap(WIRE, 50))
    assert original is not None and (original.id, original.path) == ("near", near)
    assert dt.date(2026, 1, 10) not in nearby.days and "far" not in nearby.index.shingles
    assert nearby.check("near", dt.date(2026, 2, 8), WIRE) is None  # never itself
    nearby.add("new", content / "2026/02/08/new.md", WIRE, duplicate=True)
    assert nearby.check("other", dt.date(2026, 2, 8), WIRE).id == "near"  # type: ignore[union-attr]


def stories_root(tmp_path: Path) -> Path:
    root = tmp_path / "stories"
    shutil.copytree(FIXTURES / "site-stories", root)
    return root


def test_the_build_folds_a_duplicate_into_its_original(tmp_path: Path) -> None:
    root = stories_root(tmp_path)
    out = tmp_path / "out"
    build_site(load_config(root).with_overrides(output_dir=str(out)))
    assert not (out / "2026/02/08/iran-says-it-will-never-surrender-right-to-enrich").exists()
    page = (out / "2026/02/08/iran-warns-will-not-give-up-enrichment-despite-us-war-threat/index.html").read_text()
    assert ('<p class="also-published">Also published by <span title="Iran says it will never surrender right '
            'to enrich, even under threat of war">Gulf Daily</span></p>') in page
    assert "iran-says-it-will-never-surrender" not in (out / "2026/02/08/index.html").read_text()


def test_a_duplicate_of_nothing_is_published_with_a_warning(tmp_path: Path) -> None:
    root = stories_root(tmp_path)
    original = root / "content/2026/02/08/iran-warns-will-not-give-up-enrichment-despite-us-war-threat.md"
    original.write_text(original.read_text().replace("source: Asharq", "draft: true\nsource: Asharq"))
    site, warnings = load_site(load_config(root))
    assert warnings == [
        (f"{root}/content/2026/02/08/iran-says-it-will-never-surrender-right-to-enrich.md: "
        "`duplicate_of: urn:uuid:0c8f6a52-6a8e-5d2b-9f1e-3b7a1c2d4e5f` names no published article, so this "
        "one is published on its own; correct the id or remove `duplicate_of`")
    ]
    assert any(a.source == "Gulf Daily" for a in site.articles)


def test_ingest_records_a_second_capture_as_a_duplicate(tmp_path: Path, cli: Callable[..., object]) -> None:
    pytest.importorskip("digest.ingest", exc_type=ImportError, reason="the cleaner (digest.cleaning) is not on this branch yet")
    root = tmp_path / "site"
    (root / "captures").mkdir(parents=True)
    (root / "digest.toml").write_text('title = "T"\n')
    text = "Turkey Receives First Russian Missile Delivery\n\n" + "\n\n".join(
        rewrap(p, 200) for p in WIRE.split(". ")) + "\n"
    (root / "captures/a.txt").write_text(text)
    (root / "captures/b.txt").write_text("Menu\nHome\n\n" + text.replace("\n\n", "\n\n\n") + "\nShare\n")
    from digest.ingest import IngestOptions, ingest, read_front_matter

    config = load_config(root)
    report = ingest([root / "captures"], config, IngestOptions(date=dt.date(2019, 7, 12)))
    assert not report.errors
    metas = [read_front_matter(outcome.path) for outcome in report.outcomes]
    assert "duplicate_of" not in metas[0] and metas[1]["duplicate_of"] == metas[0]["id"]
    assert any("repeats" in note and "duplicate_of" in note for note in report.notes)
    again = ingest([root / "captures"], config, IngestOptions(date=dt.date(2019, 7, 12)))
    assert {outcome.status for outcome in again.outcomes} == {"unchanged"}
