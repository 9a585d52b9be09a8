"""Every HTML page of the site as a `PageJob`: where it goes, its template, a cheap key, its views.

A job's key is a hash of everything its page is made from (fingerprints of the articles it
shows, neighbouring days, the site-wide key), computed without building the page's views. An
incremental build renders a page only when its key changed; the views are built lazily, only
for the pages that are rendered. A job also carries its `lastmod` (the newest change among
the articles it shows) for the sitemap. Article pages are keyed in bulk (`ArticlePages`): a job
is made only for one that is rendered.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from . import seo, urls
from .collate import Site
from .config import Topic
from .models import ARTICLE_FINGERPRINT, ARTICLE_ID, Article, fingerprints_hash, w3c_datetime
from .related import RELATED_COUNT
from .seo import SitemapEntry, SitemapLines, dated_sitemap_lines, newest
from .views import (
    ArchiveView,
    Link,
    Linker,
    SearchView,
    TopicView,
    ViewBuilder,
    YearView,
    format_month,
)


class PageJob(NamedTuple):
    """One page to render: route, template, key, and a function building its views.
    (A named tuple: one is made for every page on every build, three times faster than a
    dataclass.)"""

    route: urls.Route
    template: str
    key: str
    context: Callable[[], dict[str, Any]]
    producer: str
    article: Article | None = None  # article pages render this article's body
    lastmod: dt.datetime | None = None  # newest change of what the page shows, for the sitemap
    sitemap: bool = True


def make_key(*parts: object) -> str:
    """Hash the parts a page is made from (strings, numbers, tuples of them)."""
    return _hash_key(repr(parts))


def _hash_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def fingerprints(articles: Sequence[Article]) -> bytes | tuple[str, ...]:
    """What a page key needs of the articles a page lists: one hash of their fingerprints (made
    in C, and short to `repr`: a topic has a page a month), or the fingerprints themselves when
    one is missing (an article not read from a file)."""
    return fingerprints_hash(articles) or tuple(map(ARTICLE_FINGERPRINT, articles))


def updated_of(articles: Iterable[Article]) -> dt.datetime | None:
    """When what a page lists last changed: its newest article correction or publication."""
    return newest(map(_UPDATED, articles))


_UPDATED = attrgetter("updated")
_DAY = attrgetter("day")


def chart_key(views: ViewBuilder, articles: Sequence[Article],
              window: tuple[dt.date, dt.date] | None = None) -> tuple[object, ...]:
    """What a chart over `articles` (newest first) shows: its window and how many articles each
    day has of each primary topic (as day numbers: cheap to hash for every topic page)."""
    window = window or views.chart_window()
    if window is None:
        return ()
    start, end = window
    counts: dict[tuple[int, str], int] = {}
    for article in articles:
        day = article.day
        if day < start:
            break
        if day <= end:
            shown = (day.toordinal(), article.topics[0] if article.topics else "")
            counts[shown] = counts.get(shown, 0) + 1
    return (start.toordinal(), end.toordinal(), tuple(counts.items()))


def topic_chart_key(window: tuple[dt.date, dt.date] | None,
                    counts: Iterable[Mapping[dt.date, int]]) -> tuple[object, ...]:
    """What a topic's chart over `window` shows (`ViewBuilder.topic_chart`): the window and the
    topic's articles per day in it, from counts per day the planning has made anyway (by month)."""
    if window is None:
        return ()
    start, end = window
    shown = tuple((day.toordinal(), count) for by_day in counts for day, count in by_day.items()
                  if start <= day <= end)
    return (start.toordinal(), end.toordinal(), shown)


def plan_pages(site: Site, views: ViewBuilder, site_key: str) -> Iterator[PageJob]:
    """Yield every page except article pages (see `ArticlePages`)."""
    config = site.config
    link = views.linker.link
    editions = site.editions
    site_updated = newest(map(_UPDATED, editions))
    home_ld = seo.json_ld(seo.website(
        name=config.title, description=config.description, url=config.base_url, language=config.language,
        search_url=views.linker.absolute(urls.search().url) if views.search else "",
    ))

    def edition_key(index: int) -> tuple[object, ...]:
        edition = editions[index]
        return (
            edition.day, edition.fingerprints,
            # which articles share a card (stories can change with articles of other days)
            tuple((lead, tuple(a.id for a in others)) for lead, others in edition.also.items()),
            editions[index - 1].day if index > 0 else None,
            tuple((e.day, len(e.articles)) for e in editions[index + 1 : index + 9]),
        )

    if editions:
        latest = editions[0]
        yield PageJob(urls.home(), "home.html", make_key(site_key, "home", edition_key(0)), lambda: {
            "page": views.meta(config.title, config.description, "/",
                               feeds=views.feed_links(None) + views.editions_feed_links(),
                               json_ld=home_ld, current="today"),
            "edition": views.edition(latest),
        }, "home", lastmod=latest.updated)
    else:
        yield PageJob(urls.home(), "home.html", make_key(site_key, "home"), lambda: {
            "page": views.meta(config.title, config.description, "/", json_ld=home_ld, current="today"),
            "edition": None,
        }, "home")

    for index, edition in enumerate(editions):
        def edition_context(edition: Any = edition) -> dict[str, Any]:
            view = views.edition(edition)
            return {
                "page": views.meta(f"{view.label} — {config.title}",
                                   f"The {config.title} edition of {view.label}, {view.count} "
                                   f"article{'s' if view.count != 1 else ''}: {view.lead.title}",
                                   urls.edition(edition.day).url, feeds=views.editions_feed_links(),
                                   current="archive"),
                "edition": view,
            }
        yield PageJob(urls.edition(edition.day), "edition.html",
                      make_key(site_key, "edition", edition_key(index)), edition_context,
                      f"edition {edition.day}", lastmod=edition.updated)

    month_counts = tuple((m.year, m.month, m.days, m.count) for m in site.months)
    month_updated: dict[tuple[int, int], dt.datetime] = {}  # each month's newest edition update
    for index, month in enumerate(site.months):
        newer = site.months[index - 1] if index > 0 else None
        older = site.months[index + 1] if index + 1 < len(site.months) else None
        month_editions = [editions[site.edition_index(day)] for day in month.days]
        # each day's size and lead story are on the month page
        day_leads = tuple((e.day, len(e.articles), e.lead.fingerprint) for e in month_editions)
        updated = month_updated[(month.year, month.month)] = max(map(_UPDATED, month_editions))

        def month_context(month: Any = month, newer: Any = newer, older: Any = older) -> dict[str, Any]:
            view = views.month(month, newer, older)
            return {
                "page": views.meta(f"{view.label} — {config.title}",
                                   f"Every edition of {view.label}: {month.count:,} articles in {len(month.days)} "
                                   f"day{'s' if len(month.days) != 1 else ''}.",
                                   urls.month(month.year, month.month).url, current="archive"),
                "month": view,
            }
        yield PageJob(urls.month(month.year, month.month), "month.html",
                      make_key(site_key, "month", day_leads, newer and (newer.year, newer.month, newer.count),
                               older and (older.year, older.month, older.count)),
                      month_context, f"month {month.year}-{month.month:02d}", lastmod=updated)

    years = sorted({m.year for m in site.months}, reverse=True)
    for year in years:
        months = [m for m in site.months if m.year == year]
        route = urls.year(year)

        def year_context(year: int = year, months: Any = months, route: urls.Route = route) -> dict[str, Any]:
            return {
                "page": views.meta(f"{year} — {config.title}", f"Every month of {year} in {config.title}.",
                                   route.url, current="archive"),
                "year": YearView(str(year), link(route.url), views.month_links(months)),
            }
        yield PageJob(route, "year.html", make_key(site_key, "year", year,
                                                   tuple((m.month, m.count) for m in months)),
                      year_context, f"year {year}",
                      lastmod=max(month_updated[(m.year, m.month)] for m in months))

    def archive_context() -> dict[str, Any]:
        archive_years = []
        for year in years:
            months = [m for m in site.months if m.year == year]
            archive_years.append((Link(str(year), link(urls.year(year).url), f"{sum(m.count for m in months):,}"),
                                  views.month_links(months)))
        return {
            "page": views.meta(f"Archive — {config.title}",
                               f"Every edition of {config.title}, by year and month.", urls.archive().url,
                               current="archive"),
            "archive": ArchiveView(tuple(archive_years), views.archive_chart()),
        }
    yield PageJob(urls.archive(), "archive.html",
                  make_key(site_key, "archive", tuple((y, mo, c) for y, mo, _, c in month_counts),
                           chart_key(views, site.articles)),
                  archive_context, "archive", lastmod=site_updated)

    yield from plan_topic_pages(site, views, site_key, site_updated)
    if views.search:
        # the index's bundles: one per year of articles (see search.py), newest first
        bundles = tuple(link(urls.search_bundle(year).url) for year in years)
        yield PageJob(urls.search(), "search.html", make_key(site_key, "search", bundles), lambda: {
            "page": views.meta(f"Search — {config.title}", f"Search every article of {config.title}.",
                               urls.search().url, current="search"),
            "search": SearchView(bundles, link("/")),
        }, "search", lastmod=site_updated)
    yield PageJob(urls.not_found(), "404.html", make_key(site_key, "404"), lambda: {
        "page": views.meta(f"Page not found — {config.title}", "This page does not exist.", "",
                           robots="noindex"),
    }, "404", sitemap=False)


def plan_topic_pages(
    site: Site, views: ViewBuilder, site_key: str, site_updated: dt.datetime | None,
) -> Iterator[PageJob]:
    """Topic index, each topic's front page, and its month pages (stable: a new day adds, never renumbers)."""
    config = site.config
    link = views.linker.link
    per_page = config.items_per_page
    latest_day = site.editions[0].day if site.editions else None
    chart_window = views.chart_window()
    topic_links = []
    for topic in config.topics:
        articles = site.by_topic.get(topic.slug, [])
        if not articles or latest_day is None:
            continue
        topic_links.append(Link(topic.name, link(urls.topic(topic.slug).url), f"{len(articles):,}"))
        # the topic's articles per day (counted in C), then by month: newest first, so each
        # day's and each month's articles follow each other
        per_day: dict[tuple[int, int], dict[dt.date, int]] = {}  # month -> the topic's articles per day
        for day, count in Counter(map(_DAY, articles)).items():
            counts = per_day.get((day.year, day.month))
            if counts is None:
                counts = per_day[(day.year, day.month)] = {}
            counts[day] = count
        months: dict[tuple[int, int], Sequence[Article]] = {}
        start = 0
        for month_key, counts in per_day.items():
            end = start + sum(counts.values())
            months[month_key] = articles[start:end]
            start = end
        month_counts = tuple((y, m, len(items)) for (y, m), items in months.items())
        month_links = tuple(
            Link(format_month(y, m), link(urls.topic_month(topic.slug, y, m).url), f"{count:,}")
            for y, m, count in month_counts
        )
        route = urls.topic(topic.slug)

        def topic_context(topic: Topic = topic, articles: Any = articles, month_links: Any = month_links,
                          route: urls.Route = route) -> dict[str, Any]:
            feeds = views.feed_links(topic)
            return {
                "page": views.meta(f"{topic.name} — {config.title}", topic.description or topic.name,
                                   route.url, feeds=feeds, current="topics"),
                "topic": TopicView(topic.name, topic.description, link(route.url),
                                   views.day_groups(articles[:per_page]), month_links, feeds, heading="Latest",
                                   chart=views.topic_chart(topic, articles)),
            }
        yield PageJob(route, "topic.html",
                      make_key(site_key, "topic", topic.slug, fingerprints(articles[:per_page]), month_counts,
                               topic_chart_key(chart_window, per_day.values())),
                      topic_context, f"topic {topic.slug}", lastmod=updated_of(articles[:per_page]))
        keys = list(months)  # newest first
        for place, ((year, month), items) in enumerate(months.items()):
            # a month page links its neighbours only: a new article changes the counts of the
            # front page's full list, not every month page of the topic
            around = month_neighbours(topic.slug, keys, place)
            nearby = tuple(Link(label, link(url)) for label, url in around)
            chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
            # the month's chart (on its first page) ends on the latest edition while the month runs
            window = (dt.date(year, month, 1),
                      min(dt.date(year, month, calendar.monthrange(year, month)[1]), latest_day))
            for number, chunk in enumerate(chunks, start=1):
                page_route = urls.topic_month(topic.slug, year, month, number)

                def month_context(topic: Topic = topic, year: int = year, month: int = month, number: int = number,
                                  chunk: Any = chunk, pages: int = len(chunks), nearby: Any = nearby,
                                  page_route: urls.Route = page_route, items: Any = items,
                                  window: Any = window) -> dict[str, Any]:
                    feeds = views.feed_links(topic)
                    label = format_month(year, month) + (f", page {number}" if number > 1 else "")
                    page_links = tuple(
                        Link(str(n), link(urls.topic_month(topic.slug, year, month, n).url))
                        for n in range(1, pages + 1)
                    ) if pages > 1 else ()
                    return {
                        "page": views.meta(f"{topic.name}, {label} — {config.title}",
                                           f"{topic.name} articles of {label}.", page_route.url, feeds=feeds,
                                           current="topics"),
                        "topic": TopicView(topic.name, topic.description, link(urls.topic(topic.slug).url),
                                           views.day_groups(chunk), nearby, feeds, page_links, heading=label,
                                           chart=views.topic_chart(topic, items, window) if number == 1 else None,
                                           all_months=False),
                    }
                yield PageJob(page_route, "topic.html",
                              make_key(site_key, "topic-month", topic.slug, year, month, number, len(chunks),
                                       fingerprints(chunk), around,
                                       topic_chart_key(window, [per_day[(year, month)]]) if number == 1 else ()),
                              month_context, f"topic {topic.slug} {year}-{month:02d} p{number}",
                              lastmod=updated_of(chunk))
    descriptions = {t.name: t.description for t in config.topics}
    frozen_links = tuple(topic_links)
    yield PageJob(urls.topics(), "topics.html",
                  make_key(site_key, "topics", tuple((t.label, t.note) for t in frozen_links)), lambda: {
        "page": views.meta(f"Topics — {config.title}", f"Every topic of {config.title}, with its feeds.",
                           urls.topics().url, current="topics"),
        "topics": frozen_links,
        "topic_descriptions": descriptions,
        "subscribe": views.subscribe(),  # its feeds follow from the config and the topics listed
    }, "topics", lastmod=site_updated)


def month_neighbours(topic: str, months: list[tuple[int, int]], place: int) -> tuple[tuple[str, str], ...]:
    """(label, url) of the newer and the older month next to `months[place]` (newest first)."""
    found = []
    if place > 0:
        year, month = months[place - 1]
        found.append((f"Newer: {format_month(year, month)}", urls.topic_month(topic, year, month).url))
    if place + 1 < len(months):
        year, month = months[place + 1]
        found.append((f"Older: {format_month(year, month)}", urls.topic_month(topic, year, month).url))
    return tuple(found)


class ArticlePages:
    """Every article page of the site (or only some ids'), planned in bulk: the key of each (the
    writer keeps a page whose key is unchanged), and a `PageJob` only for the pages rendered.

    Planning runs on every build for every article of the site, while a day's increment renders
    a few hundred: the keys are made in one loop, and paths, producers and sitemap entries read
    off the articles in C, not through a job per page.
    """

    def __init__(self, site: Site, views: ViewBuilder, site_key: str, only: set[str] | None = None) -> None:
        self.site, self.views = site, views
        self.articles: list[Article] = []  # in the site's order of editions
        self.keys: list[str] = []  # each one's page key: its article, neighbours, story and related
        self.related: list[Sequence[str]] = []  # each one's related articles' ids
        curation = site.curation
        related_of, story_of, duplicates = curation.related, curation.story_of, curation.duplicates
        print_of = dict(zip(map(ARTICLE_ID, site.articles), map(ARTICLE_FINGERPRINT, site.articles))).__getitem__
        prefix = f"{site_key}\0article\0"
        blake2b, add_article, add_key, add_related = (
            hashlib.blake2b, self.articles.append, self.keys.append, self.related.append)
        for edition in site.editions:
            prints = edition.fingerprints
            # each article with its own fingerprint and its neighbours' ("None" at either end)
            for article, own, before, after in zip(edition.articles, prints, ["None", *prints[:-1]],
                                                   [*prints[1:], "None"]):
                id_ = article.id
                if only is not None and id_ not in only:
                    continue
                related = related_of.get(id_, ())[:RELATED_COUNT]
                story = story_of.get(id_)
                members = [print_of(member) for member in story.members if member != id_] if story else ()
                # one string of fingerprints (hex, so "," and NUL cannot occur in them), hashed
                add_key(blake2b(
                    f"{prefix}{own}\0{before}\0{after}\0{','.join(map(print_of, related))}"
                    f"\0{','.join(members)}\0{duplicates.get(id_, ())!r}".encode(), digest_size=12,
                ).hexdigest())
                add_article(article)
                add_related(related)

    def __len__(self) -> int:
        return len(self.articles)

    def entries(self) -> Iterator[tuple[str, str, str]]:
        """(output path, key, producer) of each page, for `SiteWriter.keep_unchanged`."""
        return zip(urls.article_paths(map(_URL, self.articles)), self.keys, map(_PATH, self.articles))

    def job(self, place: int) -> PageJob:
        """The job of the page at `place` (its views are built only when rendered)."""
        article = self.articles[place]
        context = functools.partial(related_context, self.site, self.views, article, self.related[place])
        return PageJob(urls.article_page(article.url), "article.html", self.keys[place], context, article.path,
                       article, article.updated)

    def jobs(self) -> Iterator[PageJob]:
        """Every page's job (`only` some ids' for a quick update)."""
        return map(self.job, range(len(self.articles)))

    def sitemap_lines(self, linker: Linker) -> SitemapLines:
        """Each page's sitemap line: its absolute URL and lastmod (its article's last change), in order."""
        return dated_sitemap_lines(list(linker.absolute_all(map(_URL, self.articles))),
                                   list(map(_UPDATED_W3C, self.articles)))


_URL = attrgetter("url")
_PATH = attrgetter("path")
_UPDATED_W3C = attrgetter("updated_w3c")  # derived when the article was parsed, and cached with it


def related_context(site: Site, views: ViewBuilder, article: Article, related: Sequence[str]) -> dict[str, Any]:
    """`article_context`, given the related articles' ids."""
    return article_context(site, views, article, [site.articles[site.index[i]] for i in related])


def article_context(site: Site, views: ViewBuilder, article: Article, related: Sequence[Article]) -> dict[str, Any]:
    """The views of one article page, with its sharing tags and NewsArticle data."""
    config = site.config
    view = views.article(article, related)
    canonical = views.linker.absolute(article.url)
    sections = tuple(topic.label for topic in view.card.topics)
    data = seo.news_article(
        headline=article.title, description=article.summary, url=canonical, published=article.date,
        modified=article.updated, language=config.language, site_name=config.title,
        site_url=config.base_url, author=article.author or "", source=article.source or "",
        source_url=article.source_url or "", sections=sections, keywords=article.tags, words=article.words,
    )
    return {
        "page": views.meta(
            f"{article.title} — {config.title}", article.summary, article.url, kind="article",
            headline=article.title, published_iso=article.date.isoformat(),
            modified_iso=article.updated.isoformat(), section=sections[0] if sections else "",
            tags=article.tags, json_ld=seo.json_ld(data),
        ),
        "article": view,
    }


def sitemap_entries(jobs: Iterable[PageJob], linker: Linker) -> list[SitemapEntry]:
    """Every listed page's absolute URL and lastmod, in job order."""
    return [SitemapEntry(linker.absolute(job.route.url), w3c_datetime(job.lastmod) if job.lastmod else None)
            for job in jobs if job.sitemap]
