"""Turn articles and daily editions into feed entries, and the site into its feeds.

Everything a feed reader gets passes through here: text loses the characters XML 1.0 forbids,
links in article HTML become absolute (a reader has no page to resolve them against), and every
date and id comes from the content, so two builds of the same content give the same feeds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urljoin, urlsplit

from .. import urls
from ..collate import Edition, Site
from ..config import Config, Topic
from ..models import Article
from ..views import Linker, format_day
from .model import KINDS, Category, Entry, Feed, Origin

# XML 1.0 allows tab, newline, carriage return and most of the BMP; everything else must go.
# Written as the characters it forbids: the negated class of those it allows takes `re` 6-8 ms
# to compile, on every build's start.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# our Markdown renderer writes every URL attribute double-quoted (raw HTML in bodies is escaped);
# only values without a scheme need resolving
_RELATIVE_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")(?![A-Za-z][A-Za-z0-9+.\-]*:)([^"]*)(")')
_TAG = re.compile(r"(<[^>]*>)")
_ATTRIBUTE_LOOKALIKE = re.compile(r"\b(href|src|srcset|poster)(\s*)=", re.IGNORECASE)


def xml_safe(text: str) -> str:
    """Remove the characters XML 1.0 forbids, so any captured text makes a well-formed feed."""
    return _XML_FORBIDDEN.sub("", text)


def absolutise(html_text: str, page_url: str) -> str:
    """Resolve every href/src against the page the HTML is shown on, exactly as a browser would."""

    def resolve(match: re.Match[str]) -> str:
        absolute = urljoin(page_url, html.unescape(match.group(2)))
        return match.group(1) + html.escape(absolute, quote=True).replace("&#x27;", "'") + match.group(3)

    return _RELATIVE_URL_ATTRIBUTE.sub(resolve, html_text)


def defuse_text(html_text: str) -> str:
    """Write `=` as `&#61;` after href/src in text (never in tags): same page, but readers that
    scan content with a regular expression no longer take quoted text for a link to rewrite."""
    parts = _TAG.split(html_text)
    for index in range(0, len(parts), 2):  # even parts are text between tags
        if "=" in parts[index]:
            parts[index] = _ATTRIBUTE_LOOKALIKE.sub(r"\1\2&#61;", parts[index])
    return "".join(parts)


def edition_id(config: Config, day_iso: str) -> str:
    """A tag URI (RFC 4151) for one day's edition: the same day always gets the same id."""
    parts = urlsplit(config.base_url)
    path = parts.path.strip("/")
    return f"tag:{parts.hostname},{day_iso}:{path + '/' if path else ''}edition"


def article_entry(article: Article, body_html: str | None, config: Config, linker: Linker) -> Entry:
    """The feed entry of one article: its full HTML, or (body_html None) only its summary."""
    url = linker.absolute(article.url)
    title = xml_safe(article.title)
    categories = tuple(
        Category(slug, xml_safe(topic.name))
        for slug in article.topics if (topic := config.topic(slug)) is not None
    )
    return Entry(
        id=article.id,
        title=title,
        url=url,
        published=article.date,
        updated=article.updated,
        summary=xml_safe(article.summary) or title,
        content_html=None if body_html is None else xml_safe(defuse_text(absolutise(body_html, url))),
        author=xml_safe(article.author) if article.author else None,
        categories=categories,
        origin=article_origin(article),
        lang=article.lang if article.lang and article.lang.lower() != config.language.lower() else None,
    )


def article_origin(article: Article) -> Origin | None:
    """The original publication: its name, its site and the original article, as far as known."""
    home = None
    if article.source_url:
        parts = urlsplit(article.source_url)
        home = f"{parts.scheme}://{parts.netloc}/"
    name = article.source or (urlsplit(article.source_url).hostname if article.source_url else None)
    if not name:
        return None
    return Origin(xml_safe(name), home, article.source_url)


def edition_entry(edition: Edition, config: Config, linker: Linker) -> Entry:
    """One day's edition: its headlines grouped by topic, each linking to its article."""
    url = linker.absolute(urls.edition(edition.day).url)
    label = format_day(edition.day)
    count = len(edition.articles)
    lead = xml_safe(edition.lead.title)
    return Entry(
        id=edition_id(config, edition.day.isoformat()),
        title=f"{label}: {lead}",
        url=url,
        published=min(article.date for article in edition.articles),
        updated=max(article.updated for article in edition.articles),
        summary=f"{count} article{'s' if count != 1 else ''}; the lead story: {lead}",
        content_html=edition_html(edition, label, url, linker),
        categories=tuple(
            Category(topic.slug, xml_safe(topic.name)) for topic in config.topics
            if any(topic.slug in article.topics for article in edition.articles)
        ),
    )


def edition_html(edition: Edition, label: str, url: str, linker: Linker) -> str:
    """The edition as HTML: the lead story, then one list of headlines per topic."""

    def item(article: Article) -> str:
        link = html.escape(linker.absolute(article.url))
        source = f" ({html.escape(xml_safe(article.source))})" if article.source else ""
        return f'<li><a href="{link}">{html.escape(xml_safe(article.title))}</a>{source}</li>\n'

    count = len(edition.articles)
    parts = [
        f'<p><a href="{html.escape(url)}">{html.escape(label)}</a>: '
        f"{count} article{'s' if count != 1 else ''}.</p>\n",
        "<h2>Lead story</h2>\n<ul>\n", item(edition.lead), "</ul>\n",
    ]
    for section in edition.sections:
        name = html.escape(xml_safe(section.topic.name))
        if linker.config.topic(section.topic.slug) is not None:
            topic_url = html.escape(linker.absolute(urls.topic(section.topic.slug).url))
            parts.append(f'<h2><a href="{topic_url}">{name}</a></h2>\n<ul>\n')
        else:
            parts.append(f"<h2>{name}</h2>\n<ul>\n")
        parts.extend(item(article) for article in section.articles)
        parts.append("</ul>\n")
    return "".join(parts)


@dataclass(frozen=True)
class FeedSpec:
    """One feed before its entries are made: where it goes, what it is called, what it shows."""

    producer: str  # names the feed in messages and in the build's records
    routes: tuple[urls.Route, urls.Route, urls.Route]  # rss, atom, json
    page_url: str  # site-relative: the page the feed follows, which is also its id
    title: str
    description: str
    articles: tuple[Article, ...] = ()  # the digest's and topic feeds' entries
    editions: tuple[Edition, ...] = ()  # the editions feed's entries
    topic: str | None = None  # the topic's slug, for a topic's feed

    def article_ids(self) -> frozenset[str]:
        """Every article the feed shows, in full or as a headline of an edition."""
        return frozenset(article.id for article in self.articles) | frozenset(
            article.id for edition in self.editions for article in edition.articles)

    def key(self) -> tuple[object, ...]:
        """What the feed is made from, cheaply: unchanged key, unchanged files (with the config)."""
        return (
            self.producer, self.title, self.description,
            tuple((article.fingerprint, article.body_hash) for article in self.articles),
            # an edition's cards too: a story can gather its articles with others of later days
            tuple((edition.day, edition.fingerprints,
                   tuple((lead, tuple(a.id for a in others)) for lead, others in edition.also.items()))
                  for edition in self.editions),
        )


def feed_entries(site: Site, topic: Topic | None) -> list[Article]:
    """The newest articles of the digest (topic None) or of one topic, capped by `feed_length`."""
    pool = site.by_topic.get(topic.slug, []) if topic else site.articles
    return list(pool[: site.config.feed_length])


def plan_feed_specs(site: Site) -> list[FeedSpec]:
    """Every feed of the site: the digest's, the editions', and each topic's that has articles."""
    config = site.config
    specs = [
        FeedSpec("feed site", routes_for(urls.feed), urls.home().url, config.title, config.description,
                 articles=tuple(feed_entries(site, None))),
        FeedSpec("feed editions", routes_for(urls.editions_feed), urls.archive().url,
                 f"{config.title}: daily editions",
                 f"Every daily edition of {config.title}: the day's headlines, grouped by topic.",
                 editions=tuple(site.editions[: config.feed_length])),
    ]
    for topic in topics_with_feeds(site):
        specs.append(FeedSpec(
            f"feed topic {topic.slug}", routes_for(partial(urls.feed, topic_slug=topic.slug)),
            urls.topic(topic.slug).url, f"{config.title}: {topic.name}", topic.description,
            articles=tuple(feed_entries(site, topic)), topic=topic.slug,
        ))
    return specs


class FeedMaker:
    """Makes feeds from specs; an article's entry is made once, however many feeds show it."""

    def __init__(self, config: Config, body_html: Callable[[Article], str]) -> None:
        self.config = config
        self.linker = Linker(config)
        self.body_html = body_html
        self._entries: dict[str, Entry] = {}

    def article_entry(self, article: Article) -> Entry:
        entry = self._entries.get(article.id)
        if entry is None:
            html = self.body_html(article) if self.config.feed_full_content else None
            entry = self._entries[article.id] = article_entry(article, html, self.config, self.linker)
        return entry

    def make(self, spec: FeedSpec, with_entries: bool = True) -> Feed:
        """The feed of a spec (without entries: only what a list of feeds needs)."""
        entries: tuple[Entry, ...] = ()
        if with_entries:
            entries = tuple(self.article_entry(article) for article in spec.articles) + tuple(
                edition_entry(edition, self.config, self.linker) for edition in spec.editions)
        return make_feed(self.config, self.linker, spec.routes, spec.page_url, spec.title,
                         spec.description, entries)


def make_feed(
    config: Config, linker: Linker, routes: tuple[urls.Route, urls.Route, urls.Route],
    page_url: str, title: str, description: str, entries: tuple[Entry, ...],
) -> Feed:
    """A feed whose id is the page it follows, under the site's name as author."""
    home = linker.absolute(page_url)
    return Feed(
        id=home,
        title=xml_safe(title),
        description=xml_safe(description) or xml_safe(title),
        home_url=home,
        lang=config.language,
        author=xml_safe(config.title),
        author_url=config.base_url,
        category_scheme=linker.absolute(urls.topics().url),
        routes=routes,
        self_urls=(linker.absolute(routes[0].url), linker.absolute(routes[1].url),
                   linker.absolute(routes[2].url)),
        entries=entries,
    )


def routes_for(route: Callable[[str], urls.Route]) -> tuple[urls.Route, urls.Route, urls.Route]:
    """The RSS, Atom and JSON Feed routes of one feed."""
    rss, atom, json = (route(kind) for kind in KINDS)
    return rss, atom, json


def topics_with_feeds(site: Site) -> list[Topic]:
    """Topics that have articles, in the order of `digest.toml`: each gets its own feeds."""
    return [topic for topic in site.config.topics if site.by_topic.get(topic.slug)]
