"""Plain view objects for templates: strings, numbers and lists, nothing that does I/O.

Templates never see `Article` or `Config`; they see what these functions build, so a template
can only show what the build decided to show.

Views are named tuples: immutable, and made four times faster than frozen dataclasses (a
build of 10,000 articles makes a few hundred thousand); templates read their fields by name.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, methodcaller
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from . import urls
from .charts import ChartView, make_chart
from .collate import Edition, Month, Site
from .config import Config, Topic
from .models import Article

WORDS_PER_MINUTE = 230
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# feed kind (see urls.feed), the name people know it by, its MIME type for autodiscovery
FEED_FORMATS = (
    ("rss", "RSS", "application/rss+xml"),
    ("atom", "Atom", "application/atom+xml"),
    ("json", "JSON Feed", "application/feed+json"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DESCRIPTION_LENGTH = 160  # characters of a meta description that search results show
CHART_DAYS = 60  # days in the archive's and topic pages' charts


class Link(NamedTuple):
    label: str
    url: str
    note: str = ""


class FeedLink(NamedTuple):
    title: str
    url: str  # absolute
    type: str  # MIME type
    label: str = ""  # the format, as people call it: RSS, Atom, JSON Feed


class FeedGroup(NamedTuple):
    """One feed in its three formats, for the Subscribe section."""

    name: str
    page: Link
    feeds: tuple[FeedLink, ...]


class SubscribeView(NamedTuple):
    """Every feed of the site, and the OPML file that lists them."""

    digest: FeedGroup
    editions: FeedGroup
    topics: tuple[FeedGroup, ...]
    opml_url: str


class Card(NamedTuple):
    """An article as it appears in lists."""

    title: str
    url: str
    summary: str
    source: str
    time_iso: str
    time_label: str
    date_label: str
    topics: tuple[Link, ...]
    minutes: int
    also: tuple[Link, ...] = ()  # the same story from other sources (label: source, note: title)


class SiteView(NamedTuple):
    """What every page shows: the site's name, its navigation and its feeds."""

    title: str
    description: str
    lang: str
    home_url: str
    topics_url: str
    archive_url: str
    css_url: str
    icon_url: str
    nav: tuple[Link, ...]
    feeds: tuple[FeedLink, ...]
    search_url: str = ""  # empty when the site is built without search
    search_script_url: str = ""
    locale: str = ""  # OpenGraph form of the language: en_GB


class PageMeta(NamedTuple):
    """The head of one page: title, description, canonical URL, its own feeds, sharing tags."""

    title: str
    description: str
    canonical: str  # empty: no canonical link (the 404 page, served at any address)
    kind: str = "website"  # OpenGraph type: website or article
    feeds: tuple[FeedLink, ...] = ()
    headline: str = ""  # the title for link previews, without the site's name
    published_iso: str = ""
    modified_iso: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    json_ld: str = ""  # seo.json_ld() output: already escaped for a <script> element
    robots: str = ""  # e.g. "noindex" for pages that must not be listed
    current: str = ""  # which main navigation entry the page belongs to: today, topics, archive, search


class Section(NamedTuple):
    name: str
    url: str
    cards: tuple[Card, ...]
    anchor: str = ""  # fragment id of the section on the edition page


class EditionView(NamedTuple):
    label: str
    url: str
    count: int  # type: ignore[assignment]  # tuple.count: templates read the field
    lead: Card
    sections: tuple[Section, ...]
    newer: Link | None
    older: Link | None
    recent: tuple[Link, ...] = ()
    month: Link | None = None  # the month's page in the archive


class ArticleView(NamedTuple):
    """An article page; its rendered body arrives separately as `body_html`."""

    card: Card
    author: str
    source: str
    source_url: str
    caption: str
    credit: str
    tags: tuple[str, ...]
    updated_iso: str
    updated_label: str
    edition: Link
    previous: Link | None
    next: Link | None
    related: tuple[Card, ...]
    story: tuple[Card, ...] = ()  # the same story from other sources, oldest first
    duplicates: tuple[Link, ...] = ()  # copies folded into this article (label: source, url: original)
    topic_scores: tuple[Link, ...] = ()  # the article's topics; `note` is the score ("0.62") or ""
    standfirst: bool = True  # show the summary above the body (not when the body opens with it)


class DayGroup(NamedTuple):
    label: str
    url: str
    cards: tuple[Card, ...]


class TopicView(NamedTuple):
    name: str
    description: str
    url: str
    days: tuple[DayGroup, ...]
    months: tuple[Link, ...]  # front page: every month with its count; a month page: newer and older
    feeds: tuple[FeedLink, ...]
    pages: tuple[Link, ...] = ()
    heading: str = ""
    chart: ChartView | None = None
    all_months: bool = True  # False: `months` are a month page's neighbours; the list is on the front page


class DayEntry(NamedTuple):
    """An edition in a month's list: its day, size and lead story."""

    label: str
    url: str
    count: int  # type: ignore[assignment]  # tuple.count: templates read the field
    lead: Link


class MonthView(NamedTuple):
    label: str
    url: str
    days: tuple[DayEntry, ...]
    newer: Link | None
    older: Link | None
    year: Link


class YearView(NamedTuple):
    label: str
    url: str
    months: tuple[Link, ...]


class SearchView(NamedTuple):
    """Where the search page finds the Pagefind bundles (one per year, newest first: the page
    merges them into one search), and the root its result URLs hang from."""

    bundle_urls: tuple[str, ...]
    base_url: str


class ArchiveView(NamedTuple):
    years: tuple[tuple[Link, tuple[Link, ...]], ...]
    chart: ChartView | None = None


@dataclass
class Linker:
    """Turns site-relative URLs into links under the configured base URL."""

    config: Config
    base_path: str = field(init=False)

    def __post_init__(self) -> None:
        self.base_path = urlsplit(self.config.base_url).path or "/"

    def link(self, url: str) -> str:
        """Root-relative link that respects a base URL with a sub-path."""
        return self.base_path + url.lstrip("/")

    def absolute(self, url: str) -> str:
        return self.config.base_url + url.lstrip("/")

    def absolute_all(self, site_urls: Iterable[str]) -> Iterator[str]:
        """`absolute` of many URLs, in C (a sitemap lists every page of the site)."""
        return map(add, repeat(self.config.base_url), map(_LSTRIP_SLASH, site_urls))


_LSTRIP_SLASH = methodcaller("lstrip", "/")


def format_day(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def format_month(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def format_short_day(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """Cut text at a word boundary to at most `limit` characters, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # the cut falls inside a word: drop that word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(",;:.-–— ") + "…"


def og_locale(language: str) -> str:
    """OpenGraph wants `en_GB` where HTML says `en-GB`."""
    primary, _, region = language.partition("-")
    return f"{primary.lower()}_{region.upper()}" if region else primary.lower()


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class ViewBuilder:
    """Builds every view of one site; caches cards because most pages list articles."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.config = site.config
        self.linker = Linker(site.config)
        self.search = site.has_search
        self.tz = site.config.tz
        self._cards: dict[str, tuple[Article, Card]] = {}
        self._edition_links: dict[dt.date, Link] = {}
        self._topic_links = {
            topic.slug: Link(topic.name, self.linker.link(urls.topic(topic.slug).url))
            for topic in site.config.topics
        }

    # shared pieces
    def site_view(self) -> SiteView:
        link = self.linker.link
        return SiteView(
            title=self.config.title, description=self.config.description, lang=self.config.language,
            home_url=link("/"), topics_url=link(urls.topics().url), archive_url=link(urls.archive().url),
            css_url=link(urls.asset("style.css").url),
            icon_url=link(urls.asset("favicon.svg").url),
            nav=tuple(self._topic_links[t.slug] for t in self.config.topics if self.site.by_topic.get(t.slug)),
            feeds=self.feed_links(None),
            search_url=link(urls.search().url) if self.search else "",
            search_script_url=link(urls.asset("search.js").url) if self.search else "",
            locale=og_locale(self.config.language),
        )

    def feed_links(self, topic: Topic | None) -> tuple[FeedLink, ...]:
        """The digest's feeds (topic None) or one topic's, in every format."""
        slug = topic.slug if topic else None
        name = f"{self.config.title}: {topic.name}" if topic else self.config.title
        return self._feed_formats(name, lambda kind: urls.feed(kind, slug))

    def editions_feed_links(self) -> tuple[FeedLink, ...]:
        """The feeds with one entry per daily edition."""
        return self._feed_formats(f"{self.config.title}: daily editions", urls.editions_feed)

    def _feed_formats(self, name: str, route: Callable[[str], urls.Route]) -> tuple[FeedLink, ...]:
        return tuple(
            FeedLink(f"{name} ({label})", self.linker.absolute(route(kind).url), mime, label)
            for kind, label, mime in FEED_FORMATS
        )

    def subscribe(self) -> SubscribeView:
        """Every feed of the site, grouped, for the Subscribe section of the topics page."""
        link = self.linker.link
        topics = tuple(
            FeedGroup(topic.name, self._topic_links[topic.slug], self.feed_links(topic))
            for topic in self.config.topics if self.site.by_topic.get(topic.slug)
        )
        return SubscribeView(
            digest=FeedGroup(self.config.title, Link("Latest edition", link("/")), self.feed_links(None)),
            editions=FeedGroup("Daily editions", Link("Archive", link(urls.archive().url)),
                               self.editions_feed_links()),
            topics=topics,
            opml_url=self.linker.absolute(urls.opml().url),
        )

    def meta(self, title: str, description: str, url: str, kind: str = "website",
             feeds: tuple[FeedLink, ...] = (), **sharing: Any) -> PageMeta:
        """A page head; `sharing` fills PageMeta's optional fields (headline, json_ld, ...)."""
        canonical = self.linker.absolute(url) if url else ""
        return PageMeta(title, shorten(description or title), canonical, kind, feeds, **sharing)

    def card(self, article: Article) -> Card:
        """The article's card, made once per article object (a quick update brings a new one)."""
        cached = self._cards.get(article.id)
        if cached is None or cached[0] is not article:
            cached = self._cards[article.id] = (article, self.make_card(article))
        return cached[1]

    def make_card(self, article: Article) -> Card:
        """An article as lists show it."""
        local = article.date.astimezone(self.tz)
        return Card(
            title=article.title,
            url=self.linker.link(article.url),
            summary=article.summary,
            source=article.source or "",
            time_iso=article.date.isoformat(),
            # midnight exactly is how a capture that gave only the day is dated: show no time then
            time_label="" if local.time() == dt.time(0, 0) else f"{local.hour:02d}:{local.minute:02d}",
            date_label=format_day(article.day),
            topics=tuple(self._topic_links[s] for s in article.topics if s in self._topic_links),
            minutes=reading_minutes(article.words),
        )

    def story_card(self, article: Article, also: Sequence[Article]) -> Card:
        """An article's card standing for its story: the other sources listed on it."""
        card = self.card(article)
        if not also:
            return card
        return card._replace(also=tuple(
            Link(other.source or other.title, self.linker.link(other.url), other.title) for other in also
        ))

    def edition_link(self, day: dt.date) -> Link:
        """The day's edition, labelled with its date (made once per day: most pages name a few)."""
        found = self._edition_links.get(day)
        if found is None:
            found = self._edition_links[day] = Link(format_day(day), self.linker.link(urls.edition(day).url))
        return found

    # pages
    def edition(self, edition: Edition) -> EditionView:
        position = self.site.edition_index(edition.day)
        editions = self.site.editions
        newer = editions[position - 1] if position > 0 else None
        older = editions[position + 1] if position + 1 < len(editions) else None
        recent = tuple(
            Link(self.edition_link(e.day).label, self.edition_link(e.day).url, f"{len(e.articles)}")
            for e in editions[position + 1 : position + 8]
        )
        own = self.edition_link(edition.day)
        return EditionView(
            label=own.label,
            url=own.url,
            count=len(edition.articles),
            lead=self.story_card(edition.lead, edition.also.get(edition.lead.id, ())),
            sections=tuple(
                Section(
                    section.topic.name,
                    self._topic_links[section.topic.slug].url if section.topic.slug in self._topic_links else "",
                    tuple(self.story_card(a, edition.also.get(a.id, ())) for a in section.articles),
                    anchor=f"topic-{section.topic.slug}",
                )
                for section in edition.sections
            ),
            newer=self.edition_link(newer.day) if newer else None,
            older=self.edition_link(older.day) if older else None,
            recent=recent,
            month=Link(format_month(edition.day.year, edition.day.month),
                       self.linker.link(urls.month(edition.day.year, edition.day.month).url)),
        )

    def article(self, article: Article, related: Sequence[Article]) -> ArticleView:
        edition = self.site.editions[self.site.edition_index(article.day)]
        siblings = edition.articles
        position = self.site.in_edition[article.id]
        previous = siblings[position - 1] if position > 0 else None
        following = siblings[position + 1] if position + 1 < len(siblings) else None
        updated = article.updated if article.updated != article.date else None
        curation = self.site.curation
        story = curation.story_of.get(article.id)
        members = [self.site.articles[self.site.index[i]] for i in story.members if i != article.id] if story else []
        return ArticleView(
            card=self.card(article),
            author=article.author or "",
            source=article.source or "",
            source_url=article.source_url or "",
            caption=article.image.caption or "" if article.image else "",
            credit=article.image.credit or "" if article.image else "",
            tags=article.tags,
            updated_iso=updated.isoformat() if updated else "",
            updated_label=f"{updated.astimezone(self.config.tz):%d %b %Y %H:%M}" if updated else "",
            edition=self.edition_link(article.day),
            previous=Link(previous.title, self.linker.link(previous.url)) if previous else None,
            next=Link(following.title, self.linker.link(following.url)) if following else None,
            related=tuple(self.card(a) for a in related),
            story=tuple(self.card(a) for a in members),
            duplicates=tuple(
                Link(copy.source or copy.title, copy.source_url or "", copy.title)
                for copy in curation.duplicates.get(article.id, ())
            ),
            topic_scores=self.scored_topics(article),
            standfirst=not article.summary_opens_body,
        )

    def scored_topics(self, article: Article) -> tuple[Link, ...]:
        """The article's topic links, each with its score as note when the score is known."""
        scores = dict(article.topic_scores)
        links = self._topic_links
        return tuple(
            Link(links[slug].label, links[slug].url, f"{scores[slug]:.2f}" if slug in scores else "")
            for slug in article.topics if slug in links
        )

    def day_groups(self, articles: Sequence[Article]) -> tuple[DayGroup, ...]:
        groups: list[DayGroup] = []
        current: list[Card] = []
        day: dt.date | None = None
        for article in articles:
            if article.day != day:
                if day is not None:
                    groups.append(self.day_group(day, current))
                day, current = article.day, []
            current.append(self.card(article))
        if day is not None:
            groups.append(self.day_group(day, current))
        return tuple(groups)

    def day_group(self, day: dt.date, cards: Sequence[Card]) -> DayGroup:
        edition = self.edition_link(day)
        return DayGroup(edition.label, edition.url, tuple(cards))

    def month(self, month: Month, newer: Month | None, older: Month | None) -> MonthView:
        def month_link(m: Month) -> Link:
            return Link(format_month(m.year, m.month), self.linker.link(urls.month(m.year, m.month).url),
                        f"{m.count:,}")

        days = []
        for day in month.days:
            edition = self.site.editions[self.site.edition_index(day)]
            lead = self.card(edition.lead)
            own = self.edition_link(day)
            days.append(DayEntry(own.label, own.url, len(edition.articles), Link(lead.title, lead.url)))
        return MonthView(
            label=format_month(month.year, month.month),
            url=self.linker.link(urls.month(month.year, month.month).url),
            days=tuple(days),
            newer=month_link(newer) if newer else None,
            older=month_link(older) if older else None,
            year=Link(str(month.year), self.linker.link(urls.year(month.year).url)),
        )

    def month_links(self, months: Sequence[Month]) -> tuple[Link, ...]:
        return tuple(
            Link(format_month(m.year, m.month), self.linker.link(urls.month(m.year, m.month).url), f"{m.count:,}")
            for m in months
        )

    # charts
    def chart_window(self) -> tuple[dt.date, dt.date] | None:
        """The last CHART_DAYS days of the site, ending on its latest edition (never the clock)."""
        if not self.site.editions:
            return None
        end = self.site.editions[0].day
        start = max(self.site.editions[-1].day, end - dt.timedelta(days=CHART_DAYS - 1))
        return start, end

    def archive_chart(self) -> ChartView | None:
        """Articles per day of the recent editions, stacked by primary topic."""
        window = self.chart_window()
        if window is None:
            return None
        start, end = window
        counts: dict[dt.date, dict[str, int]] = {}
        for edition in self.site.editions:
            if edition.day < start:
                break
            day_counts = counts.setdefault(edition.day, {})
            for article in edition.articles:
                key = article.topics[0] if article.topics and article.topics[0] in self._topic_links else ""
                day_counts[key] = day_counts.get(key, 0) + 1
        series: list[tuple[str, str, int | None]] = [
            (topic.slug, topic.name, index) for index, topic in enumerate(self.config.topics)
        ]
        series.append(("", "Other news", None))
        return make_chart("chart-archive", "Articles per day by topic", start, end, counts, series,
                          format_day, format_short_day)

    def topic_chart(self, topic: Topic, articles: Sequence[Article],
                    window: tuple[dt.date, dt.date] | None = None) -> ChartView | None:
        """Articles per day of one topic, over `window` or the site's recent days."""
        window = window or self.chart_window()
        if window is None:
            return None
        start, end = window
        counts: dict[dt.date, dict[str, int]] = {}
        for article in articles:  # newest first: stop once past the window
            if article.day < start:
                break
            if article.day <= end:
                day_counts = counts.setdefault(article.day, {})
                day_counts[topic.slug] = day_counts.get(topic.slug, 0) + 1
        index = next(i for i, t in enumerate(self.config.topics) if t.slug == topic.slug)
        return make_chart(f"chart-{topic.slug}", f"{topic.name}: articles per day", start, end, counts,
                          [(topic.slug, topic.name, index)], format_day, format_short_day)
