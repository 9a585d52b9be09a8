"""The second reader (tests/feedrules.py) must catch what it claims to: break good feeds on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .feedrules import check_atom, check_json_feed, check_rss
from .feedsite import BASE, build, write_site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(write_site(tmp_path_factory.mktemp("rules") / "root"))


def broken(tmp_path: Path, source: Path, old: str, new: str, count: int = 1) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("<pubDate>Sun, 08 Feb 2026 18:05:00 +0000</pubDate>", "<pubDate>Mon, 08 Feb 2026 18:05:00 +0000</pubDate>",
     "not RFC 822"),
    ("<pubDate>Sun, 08 Feb 2026 18:05:00 +0000</pubDate>", "<pubDate>2026-02-08T18:05:00Z</pubDate>",
     "not RFC 822"),
    ('isPermaLink="false"', 'isPermaLink="true"', "is no URL but isPermaLink is true"),
    ("urn:uuid:11111111-1111-4111-8111-111111111111", "urn:uuid:33333333-3333-4333-8333-333333333333",
     "appears 2 times"),
    (f"<link>{BASE}2026/02/08/storm/</link>", "<link>/2026/02/08/storm/</link>", "not an absolute URL"),
    ('https://feeds.example.org/news/2026/02/07/market-prices/"', '../07/market-prices/"', "relative URLs"),
    ('rel="self"', 'rel="hub"', "atom:link rel=self"),
])
def test_rss_rules_catch_broken_feeds(built: Path, tmp_path: Path, old: str, new: str, problem: str) -> None:
    assert check_rss(built / "feed.xml", BASE + "feed.xml") == []
    problems = check_rss(broken(tmp_path, built / "feed.xml", old, new), BASE + "feed.xml")
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("<updated>2026-02-08T09:30:00+00:00</updated>", "", "0 <updated>"),
    ("<updated>2026-02-08T09:30:00+00:00</updated>", "<updated>2026-02-08 09:30:00+00:00</updated>",
     "not RFC 3339"),
    ("<updated>2026-02-08T18:05:00+00:00</updated>", "<updated>2026-02-09T18:05:00+00:00</updated>",
     "is not the newest entry's"),
    ("urn:uuid:22222222-2222-4222-8222-222222222222", "urn:uuid:11111111-1111-4111-8111-111111111111",
     "appears 2 times"),
    ("<name>Feed Test Digest</name>", "<name></name>", "<author> without <name>"),
    ('xml:lang="en"', "", "no xml:lang"),
    (f'href="{BASE}2026/02/08/storm/" rel="alternate"', 'href="/2026/02/08/storm/" rel="alternate"',
     "is not absolute"),
    ("<source>", "<source><bogus xmlns='http://www.w3.org/2005/Atom'/>", "<source> without a title or with"),
    ("<published>2026-02-08T09:30:00+00:00</published>", "<published>2026-02-08T10:30:00+00:00</published>",
     "is before published"),
    ("<published>", "<rights>x</rights><published>", ""),
])
def test_atom_rules_catch_broken_feeds(built: Path, tmp_path: Path, old: str, new: str, problem: str) -> None:
    assert check_atom(built / "atom.xml", BASE + "atom.xml") == []
    problems = check_atom(broken(tmp_path, built / "atom.xml", old, new), BASE + "atom.xml")
    if problem:
        assert any(problem in p for p in problems), problems
    else:  # atom:rights is allowed in an entry: the checker must not complain
        assert problems == []


def test_atom_rules_reject_elements_rfc_4287_does_not_allow(built: Path, tmp_path: Path) -> None:
    path = broken(tmp_path, built / "atom.xml", "<published>", "<pubDate>x</pubDate><published>")
    problems = check_atom(path, BASE + "atom.xml")
    assert any("does not allow" in p and "pubDate" in p for p in problems), problems


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d.update(version="https://jsonfeed.org/version/1"), "version is"),
    (lambda d: d.pop("title"), "title missing"),
    (lambda d: d["items"][0].pop("content_html"), "neither content_html nor content_text"),
    (lambda d: d["items"][0].update(id=7), "id missing or not a string"),
    (lambda d: d["items"][1].update(id=d["items"][0]["id"]), "appears 2 times"),
    (lambda d: d["items"][0].update(date_modified="yesterday"), "not RFC 3339"),
    (lambda d: d["items"][0].update(url="/relative/"), "url is not absolute"),
    (lambda d: d["items"][0].update(authors=[{}]), "needs a name, url or avatar"),
    (lambda d: d.update(feed_url=BASE + "other.json"), "feed_url is"),
    (lambda d: d.update(extra=1), "unknown top-level key"),
])
def test_json_feed_rules_catch_broken_feeds(built: Path, tmp_path: Path, change: object, problem: str) -> None:
    assert check_json_feed(built / "feed.json", BASE + "feed.json") == []
    document = json.loads((built / "feed.json").read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    problems = check_json_feed(path, BASE + "feed.json")
    assert any(problem in p for p in problems), problems
