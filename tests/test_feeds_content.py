"""What feeds carry: absolute links, XML-safe text, summaries or full text, editions, OPML, and
the pages that point readers at them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from digest.feeds import absolutise

from .feedrules import html_urls
from .feedsite import ATOM, BASE, build, feed_files, json_items, write_site

XML_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(write_site(tmp_path_factory.mktemp("content") / "root"))


def test_links_in_article_html_resolve_as_on_the_article_page(built: Path) -> None:
    items = json_items(built / "feed.json")
    storm = items["urn:uuid:11111111-1111-4111-8111-111111111111"]["content_html"]
    assert html_urls(storm) == [
        BASE + "2026/02/07/market-prices/",
        BASE + "topics/economy/",
        BASE + "2026/02/08/storm/#what-next",
        BASE + "2026/02/08/storm/note/",
        "https://wire.example.net/storm",
    ]
    # text that merely looks like an attribute stays text (and no naive scanner reads it as one)
    assert 'Officials said &quot;href&#61;/relative&quot; is only text here.' in storm


def test_absolutise_keeps_absolute_and_escaped_urls() -> None:
    page = "https://x.example.org/a/b/"
    html = '<a href="https://o.example/?a=1&amp;b=2">x</a><a href="c?d=1&amp;e=2">y</a><a href="mailto:m@x.org">m</a>'
    assert absolutise(html, page) == (
        '<a href="https://o.example/?a=1&amp;b=2">x</a>'
        '<a href="https://x.example.org/a/b/c?d=1&amp;e=2">y</a><a href="mailto:m@x.org">m</a>'
    )


def test_characters_xml_forbids_never_reach_a_feed(built: Path) -> None:
    for path in feed_files(built):
        text = path.read_text(encoding="utf-8")
        assert not XML_FORBIDDEN.search(text), path
    control = json_items(built / "feed.json")["urn:uuid:33333333-3333-4333-8333-333333333333"]
    assert control["title"] == "Minister quits over vote"
    assert control["content_html"] == "<p>The minister resigned after the election  defeat.</p>\n"


def test_rss_description_is_the_summary_as_html_text(built: Path) -> None:
    raw = (built / "feed.xml").read_text(encoding="utf-8")
    # a summary is plain text: "&" and "<" arrive as text in readers that render HTML
    assert "<description>Stories for feed tests.</description>" in raw
    parsed = feedparser.parse(raw.encode())
    hand = next(e for e in parsed.entries if e.title == "A minister writes by hand")
    assert hand.summary == "The minister wrote a letter by hand."


def test_summary_only_feeds(tmp_path: Path) -> None:
    out = build(write_site(tmp_path / "root", "feed_full_content = false"))
    rss = (out / "feed.xml").read_text(encoding="utf-8")
    atom = (out / "atom.xml").read_text(encoding="utf-8")
    assert "content:encoded" not in rss and "<content" not in atom
    assert "<summary type=\"text\">A winter storm closed the port for two days.</summary>" in atom
    storm = json_items(out / "feed.json")["urn:uuid:11111111-1111-4111-8111-111111111111"]
    assert "content_html" not in storm and storm["content_text"] == "A winter storm closed the port for two days."
    # the editions feed is headlines either way
    assert "content:encoded" in (out / "editions/feed.xml").read_text(encoding="utf-8")


def test_feed_length_caps_every_feed(tmp_path: Path) -> None:
    out = build(write_site(tmp_path / "root", feed_length=1))
    for path in feed_files(out):
        count = len(json.loads(path.read_text())["items"]) if path.suffix == ".json" else \
            len(feedparser.parse(path.read_bytes()).entries)
        assert count == 1, path
    assert feedparser.parse((out / "atom.xml").read_bytes()).entries[0].title == "Minister quits over vote"


def test_editions_feed_has_one_entry_per_day_with_headlines_by_topic(built: Path) -> None:
    parsed = feedparser.parse((built / "editions/atom.xml").read_bytes())
    assert [e.id for e in parsed.entries] == [
        "tag:feeds.example.org,2026-02-08:news/edition",
        "tag:feeds.example.org,2026-02-07:news/edition",
        "tag:feeds.example.org,2026-02-06:news/edition",
    ]
    day = parsed.entries[0]
    assert day.title == "Sunday 8 February 2026: Storm closes the northern port"
    assert day.link == BASE + "2026/02/08/"
    assert day.published == "2026-02-08T09:30:00+00:00"  # the day's first article
    assert day.updated == "2026-02-08T18:05:00+00:00"  # its newest change
    html = day.content[0].value
    assert re.findall(r"<h2>(.*?)</h2>", html) == [
        "Lead story", f'<a href="{BASE}topics/politics/">Politics</a>']
    assert html_urls(html) == [BASE + "2026/02/08/", BASE + "2026/02/08/storm/",
                               BASE + "topics/politics/", BASE + "2026/02/08/control/"]
    assert "(Coastal Times)" in html
    assert [t.term for t in day.tags] == ["disaster", "economy", "politics"]


def test_opml_lists_every_feed_once(built: Path) -> None:
    root = ET.parse(built / "feeds.opml").getroot()
    assert root.get("version") == "2.0" and root.findtext("head/title") == "Feed Test Digest: feeds"
    outlines = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert [o.get("xmlUrl") for o in outlines] == [
        BASE + "feed.xml", BASE + "editions/feed.xml", BASE + "topics/disaster/feed.xml",
        BASE + "topics/economy/feed.xml", BASE + "topics/politics/feed.xml",
    ]
    for outline in outlines:
        assert outline.get("type") == "rss" and outline.get("text") and outline.get("htmlUrl", "").startswith(BASE)
        assert (built / outline.get("xmlUrl", "")[len(BASE):]).is_file()


def test_pages_offer_their_feeds(built: Path) -> None:
    def alternates(page: str) -> list[tuple[str, str]]:
        html = (built / page).read_text(encoding="utf-8")
        return re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', html)

    digest = [("application/rss+xml", BASE + "feed.xml"), ("application/atom+xml", BASE + "atom.xml"),
              ("application/feed+json", BASE + "feed.json")]
    editions = [(kind, url.replace(BASE, BASE + "editions/")) for kind, url in digest]
    economy = [(kind, url.replace(BASE, BASE + "topics/economy/")) for kind, url in digest]
    assert alternates("index.html") == digest + editions
    assert alternates("2026/02/08/index.html") == digest + editions
    assert alternates("topics/economy/index.html") == digest + economy
    assert alternates("archive/index.html") == digest
    assert alternates("2026/02/08/storm/index.html") == digest
    topics = (built / "topics/index.html").read_text(encoding="utf-8")
    subscribe = topics[topics.index('<section id="subscribe"'):]
    assert f'<a href="{BASE}feeds.opml" type="text/x-opml" download>' in subscribe
    for url in (BASE + "feed.json", BASE + "editions/atom.xml", BASE + "topics/politics/feed.xml"):
        assert f'href="{url}"' in subscribe
    topic = (built / "topics/economy/index.html").read_text(encoding="utf-8")
    assert f'<a href="{BASE}topics/economy/feed.json">JSON Feed</a>' in topic
    assert 'href="/news/topics/#subscribe">Subscribe</a>' in (built / "index.html").read_text(encoding="utf-8")


def test_atom_source_names_the_publication_even_without_its_address(built: Path) -> None:
    root = ET.parse(built / "atom.xml").getroot()
    sources = {e.findtext(f"{ATOM}id"): e.find(f"{ATOM}source") for e in root.findall(f"{ATOM}entry")}
    market = sources["urn:uuid:22222222-2222-4222-8222-222222222222"]
    assert market is not None and market.findtext(f"{ATOM}title") == "Meridian Wire"
    assert market.find(f"{ATOM}link") is None
    hand = next(s for i, s in sources.items() if i.startswith("urn:uuid:") and "1111" not in i
                and "2222" not in i and "3333" not in i)
    assert hand is None  # no publication known: no source


def test_two_sites_built_in_one_process_each_announce_their_own_feeds(tmp_path: Path) -> None:
    first = build(write_site(tmp_path / "one"))
    other = write_site(tmp_path / "two")
    config = other / "digest.toml"
    config.write_text(config.read_text().replace("feeds.example.org", "other.example.net"))
    second = build(other)
    assert 'href="https://feeds.example.org/news/feed.xml"' in (first / "index.html").read_text()
    home = (second / "index.html").read_text()
    assert 'href="https://other.example.net/news/feed.xml"' in home and "feeds.example.org" not in home
