"""RSS 2.0 and Atom feeds through feedgen, for the digest and for each topic.

Nothing here reads the clock: a feed's `updated` is its newest entry's, feedgen's generator
stamp is set to ours, and entries are appended in our order, so two builds of the same content
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from html import escape as escape_html

from feedgen.feed import FeedGenerator

from . import __version__, urls
from .collate import Site
from .config import Topic
from .models import Article
from .views import Linker

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
# XML 1.0 allows tab, newline, carriage return and most of the BMP; everything else must go
_XML_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def xml_safe(text: str) -> str:
    """Remove the characters XML 1.0 forbids, so any captured text makes a well-formed feed."""
    return _XML_FORBIDDEN.sub("", text)


def absolutise(html: str, base_url: str) -> str:
    """Make root-relative links absolute: feed readers have no page to resolve them against."""
    return _ROOT_RELATIVE.sub(lambda m: m.group(1) + base_url, html)


def feed_entries(site: Site, topic: Topic | None) -> list[Article]:
    """The newest articles of the digest or of one topic, capped by `feed_length`."""
    pool = site.by_topic.get(topic.slug, []) if topic else site.articles
    return list(pool[: site.config.feed_length])


def render_feed_pair(
    site: Site, topic: Topic | None, body_html: Callable[[Article], str]
) -> list[tuple[urls.Route, bytes]]:
    """Build the RSS and Atom feeds for the digest (topic None) or one topic."""
    config = site.config
    linker = Linker(config)
    entries = feed_entries(site, topic)
    slug = topic.slug if topic else None
    rss_route, atom_route = urls.feed("rss", slug), urls.feed("atom", slug)
    page_url = linker.absolute(urls.topic(slug).url if slug else "/")
    title = f"{config.title}: {topic.name}" if topic else config.title
    description = (topic.description if topic and topic.description else config.description) or title

    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(page_url)
    generator.title(xml_safe(title))
    generator.subtitle(xml_safe(description))
    generator.description(xml_safe(description))
    generator.language(config.language)
    generator.author({"name": xml_safe(config.title)})
    generator.generator("digest", __version__)
    newest = max((article.updated for article in entries), default=EPOCH)
    generator.updated(newest)
    generator.lastBuildDate(newest)
    if entries:
        generator.pubDate(max(article.date for article in entries))
    for article in entries:
        _add_entry(generator, article, body_html(article), linker, site)

    # feedgen takes the RSS channel <link> from the last link given, so the page comes last
    alternate = {"href": page_url, "rel": "alternate", "type": "text/html"}
    rss_self = {"href": linker.absolute(rss_route.url), "rel": "self", "type": "application/rss+xml"}
    atom_self = {"href": linker.absolute(atom_route.url), "rel": "self", "type": "application/atom+xml"}
    generator.link([rss_self, alternate], replace=True)
    rss = generator.rss_str(pretty=True)
    generator.link([atom_self, alternate], replace=True)
    atom = generator.atom_str(pretty=True)
    return [(rss_route, rss), (atom_route, atom)]


def _add_entry(generator: FeedGenerator, article: Article, html: str, linker: Linker, site: Site) -> None:
    entry = generator.add_entry(order="append")
    link = linker.absolute(article.url)
    entry.id(article.id)
    entry.guid(article.id, permalink=article.id == link)
    entry.title(xml_safe(article.title))
    entry.link(href=link, rel="alternate", type="text/html")
    entry.published(article.date)
    entry.updated(article.updated)
    entry.summary(xml_safe(article.summary) or xml_safe(article.title))
    # RSS readers render an item's description as HTML: the plain-text summary is escaped once
    # more, so `<script>` in a summary is shown as text there too
    entry.description(escape_html(xml_safe(article.summary) or xml_safe(article.title), quote=False))
    entry.content(xml_safe(absolutise(html, site.config.base_url)), type="html")
    if article.author:
        entry.author({"name": xml_safe(article.author)})
        entry.dc.dc_creator(xml_safe(article.author))
    for slug in article.topics:
        topic = site.config.topic(slug)
        if topic is not None:
            entry.category(term=slug, label=xml_safe(topic.name),
                           scheme=linker.absolute(urls.topics().url))


def render_feeds(site: Site, body_html: Callable[[Article], str]) -> list[tuple[urls.Route, bytes]]:
    """Every feed of the site: the digest's, then each topic's that has articles."""
    files = render_feed_pair(site, None, body_html)
    topics: Sequence[Topic] = [t for t in site.config.topics if site.by_topic.get(t.slug)]
    for topic in topics:
        files += render_feed_pair(site, topic, body_html)
    return files
