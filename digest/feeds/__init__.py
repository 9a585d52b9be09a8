"""Feeds: RSS 2.0, Atom and JSON Feed for the digest, its daily editions and each topic, plus OPML.

`entries` decides what every feed holds (one `Feed` of plain data each), and `syndication`,
`jsonfeed` and `opml` write it; the writer alone puts the bytes into `site/`.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import urls
from ..collate import Site
from ..models import Article
from .entries import absolutise, plan_feeds, xml_safe
from .jsonfeed import render_json_feed
from .opml import render_opml
from .syndication import render_rss_atom

__all__ = ["absolutise", "render_feeds", "xml_safe"]


def render_feeds(site: Site, body_html: Callable[[Article], str]) -> list[tuple[urls.Route, bytes]]:
    """Every feed of the site in every format, then the OPML list of them."""
    files: list[tuple[urls.Route, bytes]] = []
    feeds = plan_feeds(site, body_html)
    for feed in feeds.all:
        rss, atom = render_rss_atom(feed)
        files += [(feed.route("rss"), rss), (feed.route("atom"), atom),
                  (feed.route("json"), render_json_feed(feed))]
    files.append((urls.opml(), render_opml(site.config.title, (feeds.digest, feeds.editions), feeds.topics)))
    return files
