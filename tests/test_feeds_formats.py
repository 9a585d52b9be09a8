"""Every feed the build writes, read by two independent parsers: feedparser, and lxml with the
rules of RSS 2.0, RFC 4287 and JSON Feed 1.1 (tests/feedrules.py); plus the shared feeds_check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from .conftest import FIXTURES, shared_dir
from .feedrules import check_atom, check_json_feed, check_rss, rfc3339
from .feedsite import BASE, build, feed_files, self_url, write_site

FIXTURE_BASE = "https://fixture.example.org/news/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(write_site(tmp_path_factory.mktemp("feeds") / "root"))


def test_the_build_writes_every_feed_in_every_format(built: Path) -> None:
    names = {p.relative_to(built).as_posix() for p in feed_files(built)}
    expected = {
        f"{folder}{name}"
        for folder in ("", "editions/", "topics/disaster/", "topics/economy/", "topics/politics/")
        for name in ("feed.xml", "atom.xml", "feed.json")
    }
    assert names == expected


def test_every_xml_feed_parses_cleanly_in_feedparser(built: Path) -> None:
    for path in feed_files(built):
        if path.suffix != ".xml":
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == ("rss20" if path.name == "feed.xml" else "atom10"), path
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.id and entry.link.startswith(BASE) and entry.title
            assert entry.published_parsed is not None


def test_every_feed_follows_its_format_rules(built: Path) -> None:
    checks = {"feed.xml": check_rss, "atom.xml": check_atom, "feed.json": check_json_feed}
    for path in feed_files(built):
        assert checks[path.name](path, self_url(built, path)) == [], path


def test_rss_and_atom_and_json_carry_the_same_entries(built: Path) -> None:
    for folder in (built, built / "editions", built / "topics/economy"):
        rss = feedparser.parse((folder / "feed.xml").read_bytes())
        atom = feedparser.parse((folder / "atom.xml").read_bytes())
        items = json.loads((folder / "feed.json").read_text(encoding="utf-8"))["items"]
        ids = [entry.id for entry in atom.entries]
        assert [entry.id for entry in rss.entries] == ids == [item["id"] for item in items]
        assert [entry.link for entry in rss.entries] == [entry.link for entry in atom.entries] \
            == [item["url"] for item in items]
        for entry, item in zip(atom.entries, items):
            assert rfc3339(item["date_modified"]) == rfc3339(entry.updated)
            assert rfc3339(item["date_published"]) == rfc3339(entry.published)


def test_rss_follows_the_issue_rules(built: Path) -> None:
    rss = feedparser.parse((built / "feed.xml").read_bytes())
    storm = next(entry for entry in rss.entries if entry.title == "Storm closes the northern port")
    # description is the summary, content:encoded the full HTML
    assert storm.summary == "A winter storm closed the port for two days."
    assert "<h2>What next</h2>" in storm.content[0].value
    assert storm.guid == "urn:uuid:11111111-1111-4111-8111-111111111111" and storm.guidislink is False
    assert storm.author == "Jane Doe"  # dc:creator
    assert [tag.term for tag in storm.tags] == ["Disasters", "Economy"]
    raw = (built / "feed.xml").read_text(encoding="utf-8")
    assert '<atom:link href="https://feeds.example.org/news/feed.xml" rel="self"' in raw
    assert "<dc:creator>Jane Doe</dc:creator>" in raw


def test_atom_follows_the_issue_rules(built: Path) -> None:
    atom = feedparser.parse((built / "atom.xml").read_bytes())
    assert atom.feed.author == "Feed Test Digest"  # every entry without its own author takes this
    assert atom.feed.language == "en"
    links = {link.rel: link.href for link in atom.feed.links}
    assert links == {"self": BASE + "atom.xml", "alternate": BASE}
    storm = next(entry for entry in atom.entries if entry.title == "Storm closes the northern port")
    assert storm.author == "Jane Doe"
    assert storm.published == storm.updated == "2026-02-08T09:30:00+00:00"
    assert storm.source.title == "Coastal Times"
    assert storm.source.links[0].href == "https://coastal.example.com/"
    rels = {link.rel: link.href for link in storm.links}
    assert rels == {"alternate": BASE + "2026/02/08/storm/",
                    "via": "https://coastal.example.com/2026/02/08/storm-port"}
    market = next(entry for entry in atom.entries if entry.id.startswith("urn:uuid:2222"))
    assert market.title_detail.language == "fr"  # xml:lang on the entry


def test_json_feed_items(built: Path) -> None:
    document = json.loads((built / "feed.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == BASE + "feed.json" and document["language"] == "en"
    items = {item["id"]: item for item in document["items"]}
    storm = items["urn:uuid:11111111-1111-4111-8111-111111111111"]
    assert storm["authors"] == [{"name": "Jane Doe"}]
    assert storm["external_url"] == "https://coastal.example.com/2026/02/08/storm-port"
    assert storm["tags"] == ["Disasters", "Economy"] and storm["summary"].startswith("A winter storm")
    assert items["urn:uuid:22222222-2222-4222-8222-222222222222"]["language"] == "fr"


def test_the_fixture_site_feeds_follow_the_rules_too(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "site-basic", tmp_path / "root")
    out = build(tmp_path / "root")
    checks = {"feed.xml": check_rss, "atom.xml": check_atom, "feed.json": check_json_feed}
    for path in feed_files(out):
        assert checks[path.name](path, FIXTURE_BASE + path.relative_to(out).as_posix()) == [], path


@pytest.mark.skipif(shared_dir() is None, reason="the shared site checks are not beside the repository")
def test_the_shared_feeds_check_passes_strictly(built: Path) -> None:
    tool = shared_dir() / "tools" / "feeds_check.py"  # type: ignore[operator]
    result = subprocess.run([sys.executable, str(tool), str(built), "--base-url", BASE, "--strict"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "feeds_check: PASS 0 errors, 0 warnings in 10 feeds (0 bozo)" in result.stdout
