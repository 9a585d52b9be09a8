"""What search engines and link previews read: head tags, JSON-LD, sitemap.xml, robots.txt, 404."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from digest import urls
from digest.build import build_site
from digest.models import w3c_datetime
from digest.seo import SitemapEntry, dated_sitemap_lines, json_ld, render_sitemaps, sitemap_lines, xml_escape
from digest.views import shorten

from .conftest import FIXTURES, config_for

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
UTC = dt.UTC


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site (served under /news/), built without search (tested elsewhere)."""
    root = tmp_path_factory.mktemp("seo") / "site-basic"
    shutil.copytree(FIXTURES / "site-basic", root)
    out = root.parent / "out"
    build_site(config_for(root, output_dir=str(out), search=False))
    return out


def head(out: Path, rel: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((out / rel).read_bytes())


def meta(page: lxml_html.HtmlElement, key: str) -> list[str]:
    return [m.get("content") for m in page.xpath(f"//meta[@property='{key}' or @name='{key}']")]


@pytest.mark.parametrize("hostile", [
    "</script><script>alert(1)</script>", "<!-- x", "a & b > c", "</SCRIPT >", "\u2028 line",
])
def test_json_ld_cannot_end_its_script_element_and_stays_the_same_json(hostile: str) -> None:
    text = str(json_ld({"headline": hostile, "nested": {"list": [hostile]}}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": hostile, "nested": {"list": [hostile]}}


def test_article_head_has_sharing_tags_and_news_article_data(built: Path) -> None:
    page = head(built, "2026/02/08/storm-closes-port/index.html")
    url = "https://fixture.example.org/news/2026/02/08/storm-closes-port/"
    assert page.xpath("string(//title)") == "Storm closes the northern port — Fixture Digest"
    assert meta(page, "description") == ["A winter storm closed the northern port for two days."]
    assert page.xpath("//link[@rel='canonical']/@href") == [url]
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:title") == ["Storm closes the northern port"]
    assert meta(page, "og:url") == [url]
    assert meta(page, "og:site_name") == ["Fixture Digest"]
    assert meta(page, "og:locale") == ["en_GB"]
    assert meta(page, "article:published_time") == ["2026-02-08T09:30:00+00:00"]
    assert meta(page, "article:section") == ["Disasters"]
    assert meta(page, "article:tag") == ["storms", "shipping"]
    assert meta(page, "twitter:card") == ["summary"]
    assert meta(page, "twitter:title") == ["Storm closes the northern port"]
    data = json.loads(page.xpath("string(//script[@type='application/ld+json'])"))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Storm closes the northern port"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == "2026-02-08T09:30:00+00:00"
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert data["publisher"]["name"] == "Fixture Digest"
    assert data["articleSection"] == ["Disasters", "Economy"]
    assert data["keywords"] == ["storms", "shipping"]
    assert data["inLanguage"] == "en-GB"


def test_hostile_title_stays_inside_its_json_ld(built: Path) -> None:
    raw = (built / "2026/02/08/hostile/index.html").read_text()
    script = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(script)
    assert data["headline"] == "<script>alert('x')</script> & {{ site.title }}"
    assert data["author"] == {"@type": "Organization", "name": "<b>Bold</b> Source"}
    page = head(built, "2026/02/08/hostile/index.html")
    assert len(page.xpath("//script")) == 1  # the JSON-LD; the title made no element of its own


def test_home_describes_the_site_and_its_search(tmp_path: Path) -> None:
    root = tmp_path / "site-basic"
    shutil.copytree(FIXTURES / "site-basic", root)
    build_site(config_for(root, output_dir=str(tmp_path / "out")))
    page = head(tmp_path / "out", "index.html")
    data = json.loads(page.xpath("string(//script[@type='application/ld+json'])"))
    assert data["@type"] == "WebSite" and data["url"] == "https://fixture.example.org/news/"
    assert data["potentialAction"]["target"]["urlTemplate"] == (
        "https://fixture.example.org/news/search/?q={search_term_string}"
    )
    assert meta(page, "og:type") == ["website"]


def test_every_page_has_a_short_description_and_its_canonical_url(built: Path) -> None:
    for path in sorted(built.rglob("*.html")):
        rel = path.relative_to(built).as_posix()
        page = head(built, rel)
        (description,) = meta(page, "description")
        assert 0 < len(description) <= 160, rel
        canonical = page.xpath("//link[@rel='canonical']/@href")
        if rel == "404.html":
            assert canonical == [] and meta(page, "robots") == ["noindex"]
        else:
            expected = "" if rel == "index.html" else rel.removesuffix("index.html")
            assert canonical == ["https://fixture.example.org/news/" + expected], rel


def test_sitemap_lists_every_page_but_404_with_lastmod_from_content(built: Path) -> None:
    tree = etree.parse(str(built / "sitemap.xml"))
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for url in tree.getroot()
    }
    pages = {
        "https://fixture.example.org/news/" + p.relative_to(built).as_posix().removesuffix("index.html")
        for p in built.rglob("*.html") if p.name != "404.html"
    }
    assert set(entries) == pages
    assert entries["https://fixture.example.org/news/2026/02/08/storm-closes-port/"] == "2026-02-08T09:30:00Z"
    assert entries["https://fixture.example.org/news/2026/02/07/"] == "2026-02-07T12:00:00Z"
    # the newest article of the day, and of everything, is 18:05 on the 8th
    assert entries["https://fixture.example.org/news/"] == "2026-02-08T18:05:00Z"
    assert entries["https://fixture.example.org/news/archive/"] == "2026-02-08T18:05:00Z"
    assert entries["https://fixture.example.org/news/topics/disaster/"] == "2026-02-08T09:30:00Z"


def test_long_sitemaps_are_split_under_an_index() -> None:
    entries = [SitemapEntry(f"https://x.example/{n}/", w3c_datetime(dt.datetime(2026, 1, n + 1, tzinfo=UTC)))
               for n in range(5)]
    files = dict(render_sitemaps(sitemap_lines(entries), lambda url: "https://x.example" + url, limit=2))
    assert list(files) == [urls.sitemap(), urls.sitemap(1), urls.sitemap(2), urls.sitemap(3)]
    index = etree.fromstring(files[urls.sitemap()])
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert [s.findtext("s:loc", namespaces=SITEMAP_NS) for s in index] == [
        "https://x.example/sitemap-1.xml", "https://x.example/sitemap-2.xml", "https://x.example/sitemap-3.xml",
    ]
    assert index[2].findtext("s:lastmod", namespaces=SITEMAP_NS) == "2026-01-05T00:00:00Z"
    assert len(etree.fromstring(files[urls.sitemap(2)])) == 2


def test_lastmod_is_utc_to_the_second_and_sorts_as_the_moments_do() -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    moments = [dt.datetime(2026, 2, 8, 11, 30, 15, 999, tzinfo=plus_two), dt.datetime(2026, 2, 8, 9, 30, 16, tzinfo=UTC),
               dt.datetime(999 + 1000, 12, 31, 23, 59, 59, tzinfo=UTC)]
    stamps = [w3c_datetime(moment) for moment in moments]
    assert stamps == ["2026-02-08T09:30:15Z", "2026-02-08T09:30:16Z", "1999-12-31T23:59:59Z"]
    assert sorted(stamps) == [w3c_datetime(moment) for moment in sorted(moments)]


def test_robots_txt_points_to_the_sitemap(built: Path) -> None:
    assert (built / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://fixture.example.org/news/sitemap.xml\n"
    )


def test_404_page_works_from_any_address(built: Path) -> None:
    page = head(built, "404.html")
    links = page.xpath("//link[@rel='stylesheet']/@href") + page.xpath("//main//a/@href")
    assert links and all(link.startswith("/news/") for link in links)


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("Short enough.", 160, "Short enough."),
    ("one two three four", 12, "one two…"),
    ("one two, three", 9, "one two…"),
    ("  spaced\n\nout  words ", 160, "spaced out words"),
    ("Averyveryverylongword", 8, "Averyve…"),
])
def test_shorten_cuts_descriptions_at_a_word(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


@pytest.mark.parametrize("text", ["plain", "a&b<c>d", "&amp;<<>>&", "https://x.example/?a=1&b=<2>\"'"])
def test_xml_escape_writes_what_saxutils_escape_writes(text: str) -> None:
    from xml.sax.saxutils import escape

    assert xml_escape(text) == escape(text)


def test_dated_lines_made_in_c_are_those_of_each_entry() -> None:
    """The article pages' sitemap lines, made in bulk, are what each entry's own would be,
    escaping included."""
    locs = ["https://x.example/2026/01/02/harbour/", "https://x.example/a&b/<c>/"]
    lastmods = ["2026-01-02T09:00:00Z", "2026-01-03T10:00:00Z"]
    assert dated_sitemap_lines(locs, lastmods) == sitemap_lines(map(SitemapEntry, locs, lastmods))
    assert dated_sitemap_lines(locs[:1], lastmods[:1]).elements == [
        "<url><loc>https://x.example/2026/01/02/harbour/</loc><lastmod>2026-01-02T09:00:00Z</lastmod></url>"]
    assert sitemap_lines([SitemapEntry(locs[1], None)]).elements == ["<url><loc>https://x.example/a&amp;b/&lt;c&gt;/</loc></url>"]
