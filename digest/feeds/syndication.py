"""RSS 2.0 and Atom (RFC 4287) through feedgen, with the parts feedgen cannot say added by an extension.

feedgen 1.0 gives an entry's links neither `rel` nor `type`, writes `atom:source` only as a
bare title and link shared with RSS's `<source url>` (which must name the source's own RSS
channel, which we do not know), and puts plain text into RSS `description` unescaped although
readers render it as HTML. `_EntryExtras` adds or fixes exactly those on the XML feedgen builds.

Nothing here reads the clock: feed dates are the newest entry's, the generator stamp is ours,
and entries are appended in our order, so two builds of the same content give the same bytes.
"""

from __future__ import annotations

import html
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .. import __version__
from .entries import defuse_text
from .model import Entry, Feed

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _FeedExtras(BaseExtension):
    """feedgen wants a feed-level class for every extension; ours adds nothing at that level."""


class _EntryExtras(BaseEntryExtension):
    """Completes one entry's XML from our `Entry`: link relations, via, atom:source, xml:lang."""

    def __init__(self) -> None:
        self.entry: Entry | None = None

    def set(self, entry: Entry) -> None:
        self.entry = entry

    def extend_atom(self, element: Any) -> Any:
        entry = self.entry
        if entry is None:
            return element
        # feedgen writes the alternate link we gave it without rel or type: say both
        for link in element.findall("link"):
            if link.get("href") == entry.url and link.get("rel") is None:
                link.set("rel", "alternate")
                link.set("type", "text/html")
        origin = entry.origin
        if origin is not None:
            if origin.article_url:
                etree.SubElement(element, "link", href=origin.article_url, rel="via", type="text/html")
            # RFC 4287 4.2.11: the feed the entry came from; we know its name and, often, its site
            source = etree.SubElement(element, "source")
            etree.SubElement(source, "title").text = origin.name
            if origin.home_url:
                etree.SubElement(source, "link", href=origin.home_url, rel="alternate", type="text/html")
        if entry.lang:
            element.set(XML_LANG, entry.lang)
        return element

    def extend_rss(self, element: Any) -> Any:
        # <description> is HTML to every reader: plain text must arrive as text, not as markup
        description = element.find("description")
        if description is not None and description.text:
            description.text = defuse_text(html.escape(description.text, quote=False))
        return element


def render_rss_atom(feed: Feed) -> tuple[bytes, bytes]:
    """The feed as RSS 2.0 and as Atom."""
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.register_extension("extras", _FeedExtras, _EntryExtras, atom=True, rss=True)
    generator.id(feed.id)
    generator.title(feed.title)
    generator.subtitle(feed.description)
    generator.description(feed.description)
    generator.language(feed.lang)
    generator.author({"name": feed.author, "uri": feed.author_url})
    generator.generator("digest", __version__)
    generator.updated(feed.updated)
    generator.lastBuildDate(feed.updated)
    if feed.published is not None:
        generator.pubDate(feed.published)
    for entry in feed.entries:
        add_entry(generator, entry, feed.category_scheme)

    # feedgen takes the RSS channel <link> from the last link given, so the page comes last
    alternate = {"href": feed.home_url, "rel": "alternate", "type": "text/html"}
    generator.link([{"href": feed.self_url("rss"), "rel": "self", "type": "application/rss+xml"},
                    alternate], replace=True)
    rss = generator.rss_str(pretty=True)
    generator.link([{"href": feed.self_url("atom"), "rel": "self", "type": "application/atom+xml"},
                    alternate], replace=True)
    atom = generator.atom_str(pretty=True)
    return rss, atom


def add_entry(generator: FeedGenerator, entry: Entry, category_scheme: str) -> FeedEntry:
    """Append one entry; its author, if any, overrides the feed's (the feed's applies otherwise)."""
    item = generator.add_entry(order="append")
    item.id(entry.id)
    item.guid(entry.id, permalink=entry.id == entry.url)
    item.title(entry.title)
    item.link(href=entry.url, rel="alternate", type="text/html")
    item.published(entry.published)
    item.updated(entry.updated)
    if entry.content_html is not None:
        item.content(entry.content_html, type="html")
    item.summary(entry.summary, type="text")
    if entry.author:
        item.author({"name": entry.author})
        item.dc.dc_creator(entry.author)
    for category in entry.categories:
        item.category(term=category.term, label=category.label, scheme=category_scheme)
    item.extras.set(entry)
    return item
