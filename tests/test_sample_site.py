"""Build the repository's sample digest into a temporary folder and read it like a user would."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from digest.build import build_site
from digest.config import load_config
from digest.ingest import read_front_matter

from .conftest import REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    build_site(load_config(REPO).with_overrides(output_dir=str(out), cache_dir=str(out.parent / "cache")))
    return out


def content_ids() -> dict[str, str]:
    return {read_front_matter(p)["title"]: read_front_matter(p)["id"] for p in (REPO / "content").rglob("*.md")}


def test_pages_exist(built: Path) -> None:
    for page in ("index.html", "2026/02/08/index.html", "2025/11/03/index.html", "2026/02/index.html",
                 "2026/index.html", "archive/index.html", "topics/index.html", "topics/conflict/index.html",
                 "topics/conflict/2026/02/index.html", "404.html",
                 "2026/02/08/factory-explosion-kills-8-in-northern-china/index.html",
                 "2025/11/03/turkey-not-to-forgo-russian-s-400-missile-systems-despite-us-pressure/index.html"):
        assert (built / page).is_file(), page


def test_home_is_the_latest_edition_with_earlier_ones_linked(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert "Sunday 8 February 2026" in home
    assert "Factory Explosion Kills 8 in Northern China" in home
    assert 'href="/2025/11/03/"' in home  # the earlier edition


def test_article_page_shows_everything(built: Path) -> None:
    page = (built / "2025/11/03/turkey-not-to-forgo-russian-s-400-missile-systems-despite-us-pressure/index.html").read_text()
    for text in ("Turkey not to forgo Russian S-400 missile systems despite US pressure", "Al Mayadeen English",
                 "Russian Defense Ministry Press Service via AP", "<h2>About the deal and US response</h2>",
                 "Recep Tayyip Erdogan", 'href="/2025/11/03/"', 'href="/topics/conflict/"'):
        assert text in page, text
    for junk in ("Related News", "Read more:", "Most Read", "BREAKING", "2 Min Read", "All Rights Reserved"):
        assert junk not in page, junk


def test_feeds_carry_every_article_with_its_front_matter_id(built: Path) -> None:
    ids = content_ids()
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((built / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert {entry.title: entry.id for entry in feed.entries} == ids
        dates = [entry.published_parsed for entry in feed.entries]
        assert dates == sorted(dates, reverse=True)
        assert all(entry.link.startswith("https://digest.example.org/") for entry in feed.entries)
    conflict = feedparser.parse((built / "topics/conflict/atom.xml").read_bytes())
    assert "Turkey Receives First Russian Missile Delivery Sparking US, NATO Concerns" in [e.title for e in conflict.entries]
