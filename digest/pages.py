"""Every HTML page of the site, as (route, template, context) jobs, and their rendering."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import seo, urls
from .collate import Site
from .models import Article
from .render import PageRenderer
from .seo import SitemapEntry, newest
from .views import ArchiveView, Link, Linker, SearchView, TopicView, ViewBuilder, YearView, format_month

RELATED_COUNT = 5


@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, with which template and view."""

    route: urls.Route
    template: str
    context: dict[str, Any]
    producer: str
    lastmod: dt.datetime | None = None  # newest change of what the page shows, for the sitemap
    sitemap: bool = True


def related_articles(site: Site, article: Article, count: int = RELATED_COUNT) -> list[Article]:
    """Recent articles of the same primary topic, nearest in time first (until stories land)."""
    if not article.topics:
        return []
    pool = site.by_topic.get(article.topics[0], [])
    position = site.in_topic.get(article.topics[0], {}).get(article.id, 0)
    picked: list[Article] = []
    left, right = position - 1, position + 1
    while len(picked) < count and (left >= 0 or right < len(pool)):
        if right < len(pool):
            picked.append(pool[right])
            right += 1
        if left >= 0 and len(picked) < count:
            picked.append(pool[left])
            left -= 1
    return picked


def updated_of(articles: Iterable[Article]) -> dt.datetime | None:
    """When what a page lists last changed: its newest article correction or publication."""
    return newest(article.updated for article in articles)


def plan_pages(site: Site, views: ViewBuilder) -> Iterator[PageJob]:
    """Yield every page except article pages (which carry rendered bodies; see article_job)."""
    config = site.config
    link = views.linker.link
    home_ld = seo.json_ld(seo.website(
        name=config.title, description=config.description, url=config.base_url, language=config.language,
        search_url=views.linker.absolute(urls.search().url) if views.search else "",
    ))

    if site.editions:
        latest = site.editions[0]
        yield PageJob(urls.home(), "home.html", {
            "page": views.meta(config.title, config.description, "/", feeds=views.feed_links(None),
                               json_ld=home_ld, current="today"),
            "edition": views.edition(latest),
        }, "home", updated_of(latest.articles))
    else:
        yield PageJob(urls.home(), "home.html", {
            "page": views.meta(config.title, config.description, "/", json_ld=home_ld, current="today"),
            "edition": None,
        }, "home")

    for edition in site.editions:
        view = views.edition(edition)
        yield PageJob(urls.edition(edition.day), "edition.html", {
            "page": views.meta(f"{view.label} — {config.title}",
                               f"The {config.title} edition of {view.label}, {view.count} "
                               f"article{'s' if view.count != 1 else ''}: {view.lead.title}",
                               urls.edition(edition.day).url, current="archive"),
            "edition": view,
        }, f"edition {edition.day}", updated_of(edition.articles))

    month_updated: dict[tuple[int, int], dt.datetime | None] = {}
    for index, month in enumerate(site.months):
        newer = site.months[index - 1] if index > 0 else None
        older = site.months[index + 1] if index + 1 < len(site.months) else None
        view = views.month(month, newer, older)
        updated = month_updated[(month.year, month.month)] = newest(
            d for d in (updated_of(site.editions[site.edition_index(day)].articles) for day in month.days) if d
        )
        yield PageJob(urls.month(month.year, month.month), "month.html", {
            "page": views.meta(f"{view.label} — {config.title}",
                               f"Every edition of {view.label}: {month.count} articles in {len(month.days)} "
                               f"day{'s' if len(month.days) != 1 else ''}.",
                               urls.month(month.year, month.month).url, current="archive"),
            "month": view,
        }, f"month {month.year}-{month.month:02d}", updated)

    years = sorted({m.year for m in site.months}, reverse=True)
    archive_years = []
    for year in years:
        months = [m for m in site.months if m.year == year]
        month_links = views.month_links(months)
        route = urls.year(year)
        updated = newest(d for d in (month_updated[(m.year, m.month)] for m in months) if d)
        yield PageJob(route, "year.html", {
            "page": views.meta(f"{year} — {config.title}", f"Every month of {year} in {config.title}.",
                               route.url, current="archive"),
            "year": YearView(str(year), link(route.url), month_links),
        }, f"year {year}", updated)
        archive_years.append((Link(str(year), link(route.url), f"{sum(m.count for m in months):,}"), month_links))
    yield PageJob(urls.archive(), "archive.html", {
        "page": views.meta(f"Archive — {config.title}",
                           f"Every edition of {config.title}, by year and month.", urls.archive().url,
                           current="archive"),
        "archive": ArchiveView(tuple(archive_years), views.archive_chart()),
    }, "archive", updated_of(site.articles))

    yield from plan_topic_pages(site, views)
    if views.search:
        yield PageJob(urls.search(), "search.html", {
            "page": views.meta(f"Search — {config.title}", f"Search every article of {config.title}.",
                               urls.search().url, current="search"),
            "search": SearchView(link(urls.search_bundle().url), link("/")),
        }, "search", updated_of(site.articles))
    yield PageJob(urls.not_found(), "404.html", {
        "page": views.meta(f"Page not found — {config.title}", "This page does not exist.", "",
                           robots="noindex"),
    }, "404", sitemap=False)


def plan_topic_pages(site: Site, views: ViewBuilder) -> Iterator[PageJob]:
    """Topic index, each topic's front page, and its month pages (stable: a new day adds, never renumbers)."""
    config = site.config
    link = views.linker.link
    per_page = config.items_per_page
    topic_links = []
    for topic in config.topics:
        articles = site.by_topic.get(topic.slug, [])
        if not articles:
            continue
        topic_links.append(Link(topic.name, link(urls.topic(topic.slug).url), f"{len(articles):,}"))
        months: dict[tuple[int, int], list[Article]] = {}
        for article in articles:
            months.setdefault((article.day.year, article.day.month), []).append(article)
        month_links = tuple(
            Link(format_month(y, m), link(urls.topic_month(topic.slug, y, m).url), f"{len(items):,}")
            for (y, m), items in months.items()
        )
        feeds = views.feed_links(topic)
        route = urls.topic(topic.slug)
        yield PageJob(route, "topic.html", {
            "page": views.meta(f"{topic.name} — {config.title}", topic.description or topic.name,
                               route.url, feeds=feeds, current="topics"),
            "topic": TopicView(topic.name, topic.description, link(route.url),
                               views.day_groups(articles[:per_page]), month_links, feeds,
                               heading="Latest", chart=views.topic_chart(topic, articles)),
        }, f"topic {topic.slug}", updated_of(articles[:per_page]))
        for (year, month), items in months.items():
            first = dt.date(year, month, 1)
            last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), site.editions[0].day)
            chart = views.topic_chart(topic, items, (first, last))
            chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
            page_links = tuple(
                Link(str(n), link(urls.topic_month(topic.slug, year, month, n).url))
                for n in range(1, len(chunks) + 1)
            ) if len(chunks) > 1 else ()
            for number, chunk in enumerate(chunks, start=1):
                route = urls.topic_month(topic.slug, year, month, number)
                label = format_month(year, month) + (f", page {number}" if number > 1 else "")
                yield PageJob(route, "topic.html", {
                    "page": views.meta(f"{topic.name}, {label} — {config.title}",
                                       f"{topic.name} articles of {label}.", route.url, feeds=feeds,
                                       current="topics"),
                    "topic": TopicView(topic.name, topic.description, link(urls.topic(topic.slug).url),
                                       views.day_groups(chunk), month_links, feeds, page_links,
                                       heading=label, chart=chart if number == 1 else None),
                }, f"topic {topic.slug} {year}-{month:02d} p{number}", updated_of(chunk))
    yield PageJob(urls.topics(), "topics.html", {
        "page": views.meta(f"Topics — {config.title}", f"Every topic of {config.title}, with its feeds.",
                           urls.topics().url, current="topics"),
        "topics": tuple(topic_links),
        "topic_descriptions": {t.name: t.description for t in config.topics},
    }, "topics", updated_of(site.articles))


def article_job(site: Site, views: ViewBuilder, article: Article, body_html: str) -> PageJob:
    """The page of one article, with its sharing tags and NewsArticle data."""
    config = site.config
    view = views.article(article, body_html, related_articles(site, article))
    canonical = views.linker.absolute(article.url)
    sections = tuple(topic.label for topic in view.card.topics)
    data = seo.news_article(
        headline=article.title, description=article.summary, url=canonical, published=article.date,
        modified=article.updated, language=config.language, site_name=config.title,
        site_url=config.base_url, author=article.author or "", source=article.source or "",
        source_url=article.source_url or "", sections=sections, keywords=article.tags, words=article.words,
    )
    return PageJob(urls.article(article.day, article.slug), "article.html", {
        "page": views.meta(
            f"{article.title} — {config.title}", article.summary, article.url, kind="article",
            headline=article.title, published_iso=article.date.isoformat(),
            modified_iso=article.updated.isoformat(), section=sections[0] if sections else "",
            tags=article.tags, json_ld=seo.json_ld(data),
        ),
        "article": view,
    }, article.path, article.updated)


def record_sitemap(jobs: Iterable[PageJob], entries: list[SitemapEntry], linker: Linker) -> Iterator[PageJob]:
    """Pass jobs through, noting each listed page's absolute URL and lastmod for the sitemap."""
    for job in jobs:
        if job.sitemap:
            entries.append(SitemapEntry(linker.absolute(job.route.url), job.lastmod))
        yield job


def render_jobs(
    jobs: Sequence[PageJob] | Iterator[PageJob], renderer: PageRenderer, site_view: Any,
    write: Callable[[str, bytes, str], None],
) -> int:
    """Render each job with the shared site view and hand the bytes to the writer."""
    count = 0
    for job in jobs:
        write(job.route.path, renderer.render(job.template, site=site_view, **job.context), job.producer)
        count += 1
    return count

