"""One place decides every page's URL and its output file, so the two never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import add, itemgetter
from typing import NamedTuple


class Route(NamedTuple):
    """A site-relative URL (always starting with `/`) and the file that serves it."""

    url: str
    path: str


def _page(url: str) -> Route:
    return Route(url, url.strip("/") + "/index.html" if url != "/" else "index.html")


def _file(url: str) -> Route:
    return Route(url, url.lstrip("/"))


def home() -> Route:
    return _page("/")


def _day_path(day: dt.date) -> str:
    """`2025/03/18`: integer formatting, as `Article.url` does (`{day:%Y/%m/%d}` runs strftime, 5x slower)."""
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"


def article(day: dt.date, slug: str) -> Route:
    return _page(article_url(day, slug))


def article_url(day: dt.date, slug: str) -> str:
    """An article page's URL (`Article.url` keeps it: see `article_page`)."""
    return f"/{_day_path(day)}/{slug}/"


def article_page(url: str) -> Route:
    """The route of an article page from its URL (`Article.url`, `/2025/03/18/slug/`), without
    formatting it again: planning does this for every article of the site on every build."""
    return _NEW_TUPLE(Route, (url, url[1:] + "index.html"))  # `_page`, without its checks


_NEW_TUPLE = tuple.__new__  # a named tuple made without its Python-level __new__


def article_paths(article_urls: Iterable[str]) -> Iterator[str]:
    """The files of article pages from their URLs, as `article_page` makes them, in C."""
    return map(add, map(_AFTER_SLASH, article_urls), repeat("index.html"))


_AFTER_SLASH = itemgetter(slice(1, None))


def edition(day: dt.date) -> Route:
    return _page(f"/{_day_path(day)}/")


def month(year: int, month_number: int) -> Route:
    return _page(f"/{year:04d}/{month_number:02d}/")


def year(year_number: int) -> Route:
    return _page(f"/{year_number:04d}/")


def archive() -> Route:
    return _page("/archive/")


def topics() -> Route:
    return _page("/topics/")


def topic(slug: str) -> Route:
    return _page(f"/topics/{slug}/")


def topic_month(slug: str, year_number: int, month_number: int, page: int = 1) -> Route:
    suffix = "" if page == 1 else f"page/{page}/"
    return _page(f"/topics/{slug}/{year_number:04d}/{month_number:02d}/{suffix}")


FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


def feed(kind: str, topic_slug: str | None = None) -> Route:
    """RSS (`rss`), Atom (`atom`) or JSON Feed (`json`) for the digest or one topic."""
    name = FEED_FILES[kind]
    return _file(f"/topics/{topic_slug}/{name}" if topic_slug else f"/{name}")


def editions_feed(kind: str) -> Route:
    """RSS, Atom or JSON Feed with one entry per daily edition."""
    return _file(f"/editions/{FEED_FILES[kind]}")


def opml() -> Route:
    """The OPML list of every feed, for importing them all into a reader at once."""
    return _file("/feeds.opml")


def asset(name: str) -> Route:
    return _file(f"/assets/{name}")


def not_found() -> Route:
    return _file("/404.html")


def search() -> Route:
    return _page("/search/")


def search_bundle(year: int | None = None) -> Route:
    """The folder of the search index: one Pagefind bundle per year of articles
    (`pagefind/2026/`, its `pagefind.js` inside), or with no year the folder holding them."""
    return Route(f"/pagefind/{year}/", f"pagefind/{year}") if year is not None else Route("/pagefind/", "pagefind")


def sitemap(part: int | None = None) -> Route:
    """`/sitemap.xml`, or one part of a sitemap too long for one file."""
    return _file(f"/sitemap-{part}.xml" if part else "/sitemap.xml")


def robots() -> Route:
    return _file("/robots.txt")


# Output files of article pages, for tools that read the built site (the search indexer).
ARTICLE_FILES_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"
