"""What a feed holds, whatever its format: plain frozen data, built once, written three ways."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import urls

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
KINDS = ("rss", "atom", "json")


@dataclass(frozen=True)
class Category:
    """A topic as a feed category: `term` is the slug, `label` the name people read."""

    term: str
    label: str


@dataclass(frozen=True)
class Origin:
    """The publication an article first appeared in (Atom's `source`, JSON Feed's `external_url`)."""

    name: str
    home_url: str | None = None  # the publication's site, when the original's address is known
    article_url: str | None = None  # the original article


@dataclass(frozen=True)
class Entry:
    """One item of a feed: an article or a daily edition. All text is XML-safe, all URLs absolute."""

    id: str
    title: str
    url: str
    published: dt.datetime
    updated: dt.datetime
    summary: str  # plain text
    content_html: str | None  # None: the feed carries summaries only
    author: str | None = None
    categories: tuple[Category, ...] = ()
    origin: Origin | None = None
    lang: str | None = None  # set only when it differs from the feed's


@dataclass(frozen=True)
class Feed:
    """One feed (digest, editions or a topic), ready to be written as RSS, Atom and JSON Feed."""

    id: str
    title: str
    description: str
    home_url: str  # the HTML page the feed follows
    lang: str
    author: str
    author_url: str
    category_scheme: str
    routes: tuple[urls.Route, urls.Route, urls.Route]  # rss, atom, json
    self_urls: tuple[str, str, str]  # absolute, in the same order
    entries: tuple[Entry, ...]

    def route(self, kind: str) -> urls.Route:
        """The route of the feed in one format (`rss`, `atom`, `json`)."""
        return self.routes[KINDS.index(kind)]

    def self_url(self, kind: str) -> str:
        """The absolute address of the feed in one format."""
        return self.self_urls[KINDS.index(kind)]

    @property
    def updated(self) -> dt.datetime:
        """The newest entry's `updated`: content decides, never the clock."""
        return max((entry.updated for entry in self.entries), default=EPOCH)

    @property
    def published(self) -> dt.datetime | None:
        """The newest entry's publication time, if the feed has entries."""
        return max((entry.published for entry in self.entries), default=None)
