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

# XML 1.0 allows tab, newline, carriage return and most of the BMP; everything else must go
_XML_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# our Markdown renderer writes every URL attribute double-quoted; raw HTML in bodies is escaped
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_TAG = re.compile(r"(<[^>]*>)")
_ATTRIBUTE_LOOKALIKE = re.compile(r"\b(href|src|srcset|poster)(\s*)=", re.IGNORECASE)


@dataclass(frozen=True)
class SiteFeeds:
    """The site's feeds: the digest's, the daily editions', and one per topic with articles."""

    digest: Feed
    editions: Feed
    topics: tuple[Feed, ...]

    @property
    def all(self) -> tuple[Feed, ...]:
        return (self.digest, self.editions, *self.topics)


def xml_safe(text: str) -> str:
    """Remove the characters XML 1.0 forbids, so any captured text makes a well-formed feed."""
    return _XML_FORBIDDEN.sub("", text)


def absolutise(html_text: str, page_url: str) -> str:
    """Resolve every href/src against the page the HTML is shown on, exactly as a browser would."""

    def resolve(match: re.Match[str]) -> str:
        value = match.group(2)
        if _HAS_SCHEME.match(value):
            return match.group(0)
        absolute = urljoin(page_url, html.unescape(value))
        return match.group(1) + html.escape(absolute, quote=True).replace("&#x27;", "'") + match.group(3)

    return _URL_ATTRIBUTE.sub(resolve, html_text)


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


def article_entry(article: Article, body_html: str, config: Config, linker: Linker) -> Entry:
    """The feed entry of one article: full HTML or only the summary, as `feed_full_content` says."""
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
        content_html=xml_safe(defuse_text(absolutise(body_html, url))) if config.feed_full_content else None,
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


def plan_feeds(site: Site, body_html: Callable[[Article], str]) -> SiteFeeds:
    """Every feed of the site: the digest's, the editions', and each topic's that has articles."""
    config = site.config
    linker = Linker(config)
    cache: dict[str, Entry] = {}

    def entries_of(articles: list[Article]) -> tuple[Entry, ...]:
        chosen = articles[: config.feed_length]
        for article in chosen:
            if article.id not in cache:
                cache[article.id] = article_entry(article, body_html(article), config, linker)
        return tuple(cache[article.id] for article in chosen)

    digest = make_feed(config, linker, routes_for(urls.feed), urls.home().url,
                       config.title, config.description, entries_of(site.articles))
    editions = make_feed(
        config, linker, routes_for(urls.editions_feed), urls.archive().url,
        f"{config.title}: daily editions",
        f"Every daily edition of {config.title}: the day's headlines, grouped by topic.",
        tuple(edition_entry(edition, config, linker) for edition in site.editions[: config.feed_length]),
    )
    topics = tuple(
        make_feed(
            config, linker, routes_for(partial(urls.feed, topic_slug=topic.slug)),
            urls.topic(topic.slug).url, f"{config.title}: {topic.name}", topic.description,
            entries_of(site.by_topic[topic.slug]),
        )
        for topic in topics_with_feeds(site)
    )
    return SiteFeeds(digest, editions, topics)


def routes_for(route: Callable[[str], urls.Route]) -> tuple[urls.Route, urls.Route, urls.Route]:
    """The RSS, Atom and JSON Feed routes of one feed."""
    rss, atom, json = (route(kind) for kind in KINDS)
    return rss, atom, json


def topics_with_feeds(site: Site) -> list[Topic]:
    """Topics that have articles, in the order of `digest.toml`: each gets its own feeds."""
    return [topic for topic in site.config.topics if site.by_topic.get(topic.slug)]
