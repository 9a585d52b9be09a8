from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
from lxml import etree

from digest.build import build_site
from digest.config import load_config

from .conftest import FIXTURES


def build(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    out = tmp_path / "out"
    build_site(load_config(root).with_overrides(output_dir=str(out)))
    return out


def test_site_feeds_parse_and_follow_the_content(tmp_path: Path) -> None:
    out = build(tmp_path)
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert not rss.bozo and not atom.bozo
    assert (rss.version, atom.version) == ("rss20", "atom10")
    # capped by feed_length = 3, newest first, the draft left out
    titles = [entry.title for entry in atom.entries]
    assert titles == ["Minister resigns after election defeat", "Storm closes the northern port",
                      "<script>alert('x')</script> & {{ site.title }}"]
    assert [e.title for e in rss.entries] == titles
    storm = atom.entries[1]
    assert storm.id == "urn:uuid:11111111-1111-4111-8111-111111111111"
    assert storm.link == "https://fixture.example.org/news/2026/02/08/storm-closes-port/"
    assert storm.summary == "A winter storm closed the northern port for two days."
    assert "<h2>What happens next</h2>" in storm.content[0].value
    assert rss.entries[1].guid == storm.id and rss.entries[1].guidislink is False
    assert atom.feed.updated == "2026-02-08T18:05:00+00:00"  # newest entry, never the clock


def test_topic_feeds_hold_only_their_topic(tmp_path: Path) -> None:
    out = build(tmp_path)
    economy = feedparser.parse((out / "topics/economy/atom.xml").read_bytes())
    assert [e.title for e in economy.entries] == ["Storm closes the northern port", "Market prices rise for a third week"]
    assert economy.feed.title == "Fixture Digest: Economy"
    links = {link.rel: link.href for link in economy.feed.links}
    assert links == {"self": "https://fixture.example.org/news/topics/economy/atom.xml",
                     "alternate": "https://fixture.example.org/news/topics/economy/"}


def test_hostile_text_stays_text_in_feeds(tmp_path: Path) -> None:
    out = build(tmp_path)
    for name in ("feed.xml", "atom.xml", "topics/politics/atom.xml"):
        tree = etree.parse(str(out / name))  # well-formed XML or this raises
        raw = (out / name).read_bytes()
        assert b"<script" not in raw and b"<iframe" not in raw and b"javascript:" not in raw
        assert tree.getroot() is not None


def test_pages_link_their_feeds(tmp_path: Path) -> None:
    out = build(tmp_path)
    home = (out / "index.html").read_text()
    assert '<link rel="alternate" type="application/rss+xml" title="Fixture Digest (RSS)" href="https://fixture.example.org/news/feed.xml">' in home
    topic = (out / "topics/economy/index.html").read_text()
    assert 'href="https://fixture.example.org/news/topics/economy/atom.xml"' in topic


def test_the_feeds_need_only_the_newest_editions() -> None:
    """A build starts its feeds from a site with only the editions they show (`make_site` with
    `days`), before it makes the others: every feed comes out as from the whole site."""
    from digest.build import load_site
    from digest.collate import group_articles, make_site
    from digest.feeds import render_feeds

    config = load_config(FIXTURES / "site-stories").with_overrides(feed_length=2)
    site, _ = load_site(config)
    newest = make_site(group_articles(config, site.curation), days=config.feed_length)
    assert len(newest.editions) == 2 < len(site.editions) and newest.editions == site.editions[:2]
    whole = make_site(group_articles(config, site.curation), start=newest)
    assert whole.editions == site.editions and whole.months == site.months and whole.index == site.index

    def body_html(article: object) -> str:
        return f"<p>{getattr(article, 'id')}</p>"

    assert render_feeds(newest, body_html) == render_feeds(site, body_html)
