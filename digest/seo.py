"""What search engines and link previews read: JSON-LD, `sitemap.xml` and `robots.txt`.

Nothing here reads the clock: a sitemap's `lastmod` is the newest `updated` of the articles a
page shows, so an unchanged page keeps its date from build to build.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from markupsafe import Markup

from . import urls

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)


class SitemapEntry(NamedTuple):
    """One URL of the sitemap (a named tuple: one is made for every page of the site)."""

    url: str  # absolute
    lastmod: str | None  # a W3C datetime in UTC (`models.w3c_datetime`)


def json_ld(data: Mapping[str, Any]) -> Markup:
    """JSON for a `<script type="application/ld+json">` element, safe for any text it holds.

    Markup (already safe) so the template needs no `|safe`: it is JSON whose <, > and & are
    escaped, which is both valid JSON (the same string) and unable to close the script element.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # In a <script> element only `</script` or `<!--` could end or confuse it; escaping every
    # <, > and & as JSON \u escapes makes that impossible whatever the captured text holds.
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def news_article(
    *, headline: str, description: str, url: str, published: dt.datetime, modified: dt.datetime,
    language: str, site_name: str, site_url: str, author: str = "", source: str = "",
    source_url: str = "", sections: Sequence[str] = (), keywords: Sequence[str] = (), words: int = 0,
) -> dict[str, Any]:
    """schema.org NewsArticle for one article page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": language,
        "publisher": {"@type": "Organization", "name": site_name, "url": site_url},
    }
    if author:
        data["author"] = {"@type": "Person", "name": author}
    elif source:
        data["author"] = {"@type": "Organization", "name": source}
    if source_url:
        data["isBasedOn"] = source_url
    if sections:
        data["articleSection"] = list(sections)
    if keywords:
        data["keywords"] = list(keywords)
    if words:
        data["wordCount"] = words
    return data


def website(*, name: str, description: str, url: str, language: str, search_url: str = "") -> dict[str, Any]:
    """schema.org WebSite for the home page, with the search page as its SearchAction."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": language,
    }
    if search_url:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        }
    return data


def newest(dates: Iterable[dt.datetime]) -> dt.datetime | None:
    """The latest of some dates, or None when there are none."""
    return max(dates, default=None)


def xml_escape(text: str) -> str:
    """`xml.sax.saxutils.escape` (&, <, >), which `html.escape` does without quotes; that
    module's imports would add ~20 ms to every build (urllib.request, http.client, ssl, email).
    Text without those characters (every URL of a sitemap, nearly) is returned as it is."""
    if "&" in text or "<" in text or ">" in text:
        return html.escape(text, quote=False)
    return text


class SitemapLines(NamedTuple):
    """Pages' `<url>` elements of a sitemap, in order, and each one's lastmod (for the index)."""

    elements: list[str]
    lastmods: list[str | None]


def sitemap_lines(entries: Iterable[SitemapEntry]) -> SitemapLines:
    """Each entry's `<url>` element: with its lastmod, if it has one."""
    elements: list[str] = []
    lastmods: list[str | None] = []
    for url, modified in entries:
        elements.append(f"<url><loc>{xml_escape(url)}</loc></url>" if modified is None
                        else _DATED_URL(xml_escape(url), modified))
        lastmods.append(modified)
    return SitemapLines(elements, lastmods)


def dated_sitemap_lines(locs: Sequence[str], lastmods: Sequence[str]) -> SitemapLines:
    """`sitemap_lines` of pages that each have a lastmod, made in C: an archive's article pages,
    ten thousand and more on every build. (Their URLs need no escaping, nearly always: looked
    for once in all of them.)"""
    joined = "".join(locs)
    escaped = map(xml_escape, locs) if "&" in joined or "<" in joined or ">" in joined else locs
    return SitemapLines(list(map(_DATED_URL, escaped, lastmods)), list(lastmods))


_DATED_URL = "<url><loc>{}</loc><lastmod>{}</lastmod></url>".format


def render_sitemap(elements: Sequence[str]) -> bytes:
    """One sitemap file (at most SITEMAP_LIMIT `<url>` elements)."""
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                      *elements, "</urlset>\n"]).encode("utf-8")


def render_sitemaps(
    lines: SitemapLines, absolute: Callable[[str], str], limit: int = SITEMAP_LIMIT,
) -> list[tuple[urls.Route, bytes]]:
    """`sitemap.xml`, or past `limit` URLs a sitemap index over `sitemap-N.xml` parts."""
    elements, lastmods = lines
    if len(elements) <= limit:
        return [(urls.sitemap(), render_sitemap(elements))]
    files: list[tuple[urls.Route, bytes]] = []
    index = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for number, start in enumerate(range(0, len(elements), limit), start=1):
        route = urls.sitemap(number)
        files.append((route, render_sitemap(elements[start : start + limit])))
        # W3C datetimes sort as moments
        modified = max(filter(None, lastmods[start : start + limit]), default=None)
        lastmod = f"<lastmod>{modified}</lastmod>" if modified else ""
        index.append(f"<sitemap><loc>{xml_escape(absolute(route.url))}</loc>{lastmod}</sitemap>")
    index.append("</sitemapindex>\n")
    return [(urls.sitemap(), "\n".join(index).encode("utf-8")), *files]


def render_robots(sitemap_url: str) -> bytes:
    """Allow everything and point crawlers to the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
