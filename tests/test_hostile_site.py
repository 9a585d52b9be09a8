"""Hostile text in every field of real articles and of the site's own settings, built into a real
site: escaped or removed in pages and feeds, shown literally where it is text, never evaluated,
and never written outside `site/`.

The helpers here (`assert_html_is_inert`, `url_scheme`) are shared by the other hostile and
property tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from .conftest import REPO

HOSTILE = Path(__file__).resolve().parent / "broken" / "hostile"
# Attributes a browser follows or loads; `javascript:` or `data:` in any of them can run code
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "background", "cite", "data",
                  "srcset", "xlink:href", "{http://www.w3.org/1999/xlink}href"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}
ACTIVE_ELEMENTS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                   "form", "meta[@http-equiv]", "svg", "math", "link[@rel='import']")
# Characters that make text read other than it is, and controls no page or feed should carry
DISGUISE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def url_scheme(url: str) -> str:
    """The scheme a browser would see: it drops ASCII whitespace and controls first."""
    compact = re.sub(r"[\x00-\x20]", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", compact)
    return match.group(1) if match else ""


# What the site itself puts in pages (issue 4): JSON-LD data, the search page's script, charts
CHART_ELEMENTS = {"svg", "title", "desc", "g", "line", "rect"}


def strip_site_elements(document: lxml.html.HtmlElement, where: str) -> None:
    """Check and remove the site's own script, form and SVG elements; anything else stays to be judged.

    JSON-LD must be JSON with no `<` left (so no text in it can close the element); the search
    script is an empty module loaded from the site's assets and its form a GET to the site's own
    search page; a chart holds only shapes and text.
    """
    for script in document.xpath("//script"):
        text = script.text or ""
        if script.get("type") == "application/ld+json":
            assert "<" not in text and ">" not in text, f"{where}: JSON-LD carries markup"
            json.loads(text)
        elif script.get("type") == "module" and (script.get("src") or "").endswith("/assets/search.js") \
                and not text.strip() and len(script.attrib) == 2:
            pass
        else:
            continue
        script.drop_tree()
    for form in document.xpath("//form[@class='search-form']"):
        assert form.get("method") == "get" and (form.get("action") or "").startswith("/"), where
        assert {e.tag for e in form.iter()} <= {"form", "label", "div", "input", "button"}, where
        form.drop_tree()
    for svg in document.xpath("//svg[@class='chart-svg']"):
        for element in svg.iter():
            assert element.tag in CHART_ELEMENTS, f"{where}: <{element.tag}> in a chart"
            assert not any(a.lower().startswith("on") or "href" in a.lower() for a in element.attrib), where
        svg.drop_tree()


def assert_html_is_inert(html: str, where: str = "") -> None:
    """No element, attribute or link in this HTML can run code (the site's own JSON-LD, search
    script and charts excepted, once checked)."""
    if not html.strip():
        return
    lowered = html.lower()
    document = lxml.html.fromstring(html) if "<html" not in lowered[:200] else lxml.html.document_fromstring(html)
    strip_site_elements(document, where)
    rest = lxml.html.tostring(document, encoding="unicode").lower()
    assert "<script" not in rest, f"{where}: <script reached the output"
    assert "<iframe" not in rest, f"{where}: <iframe reached the output"
    for name in ACTIVE_ELEMENTS:
        found = document.xpath(f"//{name}") + ([document] if document.tag == name else [])
        assert not found, f"{where}: a <{name}> element reached the output"
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), f"{where}: <{element.tag} {attribute}=...>"
            if attribute.lower() in URL_ATTRIBUTES:
                for url in value.split(",") if attribute == "srcset" else [value]:
                    assert url_scheme(url) in SAFE_SCHEMES, f"{where}: <{element.tag} {attribute}={value!r}>"
            assert attribute.lower() not in ("style", "srcdoc") or "javascript" not in value.lower()


def carries_html(element: etree._Element) -> bool:
    """Feed elements whose text a reader renders as HTML: Atom `type="html"`, RSS item
    descriptions and `content:encoded`."""
    name = etree.QName(element)
    if element.get("type") == "html":
        return True
    parent = element.getparent()
    in_item = parent is not None and etree.QName(parent).localname == "item"
    return name.localname == "encoded" or (name.localname == "description" and in_item)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str], set[str]]:
    """The hostile fixture site built by the real command; also what existed before."""
    base = tmp_path_factory.mktemp("hostile")
    root = base / "root"
    shutil.copytree(HOSTILE, root)
    before = {p.relative_to(base).as_posix() for p in base.rglob("*")}
    result = subprocess.run(
        [sys.executable, "-m", "digest", "build"], cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return root, result, before


def site_files(root: Path, suffix: str) -> list[Path]:
    """The site's pages or feeds of one kind (not its sitemap, nor the search index's own files)."""
    site = root / "site"
    return sorted(p for p in site.rglob(f"*{suffix}") if p.is_file()
                  and not p.name.startswith("sitemap") and p.relative_to(site).parts[0] != "pagefind")


def page(root: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring((root / "site" / url.strip("/") / "index.html").read_bytes())


def test_the_build_succeeds_and_warns_about_the_url_key(built: tuple[Path, subprocess.CompletedProcess[str], set[str]]) -> None:
    _, result, _ = built
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "warning: content/2026/02/08/path-title.md:4: unknown front matter key `url` is ignored",
    ]
    assert result.stdout.startswith("built 6 articles: ")


def test_no_page_can_run_captured_code(built: tuple[Path, subprocess.CompletedProcess[str], set[str]]) -> None:
    root, _, _ = built
    pages = site_files(root, ".html")
    assert len(pages) >= 15
    for path in pages:
        assert_html_is_inert(path.read_text(encoding="utf-8"), str(path.relative_to(root)))


def test_feeds_are_well_formed_and_their_html_is_inert(built: tuple[Path, subprocess.CompletedProcess[str], set[str]]) -> None:
    root, _, _ = built
    feeds = site_files(root, ".xml")
    assert len(feeds) == 8  # RSS and Atom: the digest, two topics, the editions
    for path in feeds:
        data = path.read_bytes()
        tree = etree.fromstring(data)  # raises on anything not well-formed
        parsed = feedparser.parse(data)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        carriers = 0
        for element in tree.iter():
            text = element.text or ""
            assert not DISGUISE.search(text), f"{path}: <{element.tag}> carries {text!r}"
            if carries_html(element):  # escaped HTML: what a feed reader will render
                carriers += 1
                assert_html_is_inert(text, f"{path} <{etree.QName(element).localname}>")
        assert carriers >= 1, f"{path}: no entry HTML was checked"


def test_json_feeds_carry_inert_html(built: tuple[Path, subprocess.CompletedProcess[str], set[str]]) -> None:
    root, _, _ = built
    feeds = site_files(root, ".json")
    assert len(feeds) == 4  # JSON Feed: the digest, two topics, the editions
    for path in feeds:
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert feed["items"], path
        for item in feed["items"]:
            for key in ("title", "summary", "content_text"):
                assert not DISGUISE.search(item.get(key, "")), f"{path}: {key}"
            assert_html_is_inert(item.get("content_html", ""), f"{path} {item['id']}")


def test_hostile_text_is_shown_literally(built: tuple[Path, subprocess.CompletedProcess[str], set[str]]) -> None:
    root, _, _ = built
    article = page(root, "2026/02/08/script-title")
    assert article.xpath("string(//h1)") == (
        "<script>alert('title')</script> Harbour <iframe src=\"https://evil.example/\"></iframe> reopens"
    )
    assert article.xpath("string(//p[@class='standfirst'])") == (
        "Summary with <script>alert('summary')</script> and javascript:alert('summary')"
    )
    assert [t.text_content() for t in article.xpath("//span[@class='tag']")] == [
        "<script>alert('tag')</script>", "{{ 7*7 }}",
    ]
    assert "<script>alert('body')</script>" in article.xpath("string(//div[@class='body'])")
    assert article.xpath("string(//title)").startswith("<script>alert('title')</script> Harbour")
    assert "Quay </title><script>alert('site')</script> Digest" in article.xpath("string(//title)")
    assert "Economy <img src=x onerror=alert('topic')>" in article.xpath("string(//p[@class='kicker'])")
    # a safe link in the same body keeps its address
    assert article.xpath("//div[@class='body']//a[text()='link']/@href") == ["https://example.org/news?a=1&b=2"]

    jinja = page(root, "2026/02/08/jinja")
    assert jinja.xpath("string(//h1)") == "{{ 7*7 }} and {% include 'base.html' %} and {{ site.title }}"
    body = jinja.xpath("string(//div[@class='body'])")
    assert "{{ 7*7 }}, {% for x in range(3) %}{{ x }}{% endfor %} and {# a comment #} stays text" in body
    assert "49" not in jinja.xpath("string(//h1)") and "012" not in body

    feed = feedparser.parse((root / "site/atom.xml").read_bytes())
    titles = {entry.title for entry in feed.entries}
    assert "{{ 7*7 }} and {% include 'base.html' %} and {{ site.title }}" in titles
    assert feed.feed.title == "Quay </title><script>alert('site')</script> Digest"


def test_disguising_characters_are_removed_and_needed_joiners_kept(
    built: tuple[Path, subprocess.CompletedProcess[str], set[str]],
) -> None:
    root, _, _ = built
    for path in site_files(root, ".html") + site_files(root, ".xml"):
        text = path.read_text(encoding="utf-8")
        found = DISGUISE.search(text)
        assert found is None, f"{path.relative_to(root)} carries {found.group()!r}"
        assert "\ufffe" not in text and "\uffff" not in text
    invisible = page(root, "2026/02/08/invisible")
    assert invisible.xpath("string(//h1)") == "Harbour tnemevorpmi reopens after storm"
    body = invisible.xpath("string(//div[@class='body'])")
    assert "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645" in body  # Persian keeps its non-joiner
    assert "\U0001F468\u200d\U0001F469\u200d\U0001F467" in body  # the emoji family stays one
    assert "gnp.exe" in body and "zerowidthjoiners" in body
    assert "bell escape[2J verticaltab formfeed nul-free delete next-line  end." in body


def test_nothing_is_written_outside_the_site(
    built: tuple[Path, subprocess.CompletedProcess[str], set[str]],
) -> None:
    root, _, before = built
    base = root.parent
    after = {p.relative_to(base).as_posix() for p in base.rglob("*")}
    new = sorted(after - before)
    assert new, "the build wrote nothing"
    # the site, the writer's work folder beside it, and the build cache (cache_dir)
    outside = [p for p in new if not p.startswith(("root/site", "root/.site.digest", "root/.digest-cache"))]
    assert outside == []
    assert not Path("/tmp/digest-escaped").exists()
    assert not any(p.name == "passwd" for p in (root / "site").rglob("*"))
    # titles and file names never become paths: the slug comes from the (sanitised) file name
    assert (root / "site/2026/02/08/path-title/index.html").is_file()
    assert (root / "site/2026/02/08/7-7-2f-2fetc/index.html").is_file()


def test_a_5000_character_title_is_kept_whole(
    built: tuple[Path, subprocess.CompletedProcess[str], set[str]],
) -> None:
    root, _, _ = built
    title = ("Harbour storm flood " * 250).strip()
    assert len(title) > 4900
    assert page(root, "2026/02/08/long-title").xpath("string(//h1)") == title
    feed = feedparser.parse((root / "site/feed.xml").read_bytes())
    assert title in {entry.title for entry in feed.entries}
