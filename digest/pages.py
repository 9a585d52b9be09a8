"""Every HTML page of the site, as (route, template, context) jobs, and their rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import urls
from .collate import Site
from .models import Article
from .related import RELATED_COUNT
from .render import PageRenderer
from .views import ArchiveView, Link, TopicView, ViewBuilder, YearView, format_month



@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, with which template and view."""

    route: urls.Route
    template: str
    context: dict[str, Any]
    producer: str


def related_articles(site: Site, article: Article, count: int = RELATED_COUNT) -> list[Article]:
    """Related coverage found once per build (see `related.py`), most similar first."""
    ids = site.curation.related.get(article.id, ())[:count]
    return [site.articles[site.index[other]] for other in ids]


def plan_pages(site: Site, views: ViewBuilder) -> Iterator[PageJob]:
    """Yield every page except article pages (which carry rendered bodies; see article_job)."""
    config = site.config
    link = views.linker.link

    if site.editions:
        latest = site.editions[0]
        yield PageJob(urls.home(), "home.html", {
            "page": views.meta(config.title, config.description, "/", feeds=views.feed_links(None)),
            "edition": views.edition(latest),
        }, "home")
    else:
        yield PageJob(urls.home(), "home.html", {
            "page": views.meta(config.title, config.description, "/"), "edition": None,
        }, "home")

    for edition in site.editions:
        view = views.edition(edition)
        yield PageJob(urls.edition(edition.day), "edition.html", {
            "page": views.meta(f"{view.label} — {config.title}",
                               f"The {config.title} edition of {view.label}: {view.count} articles.",
                               urls.edition(edition.day).url),
            "edition": view,
        }, f"edition {edition.day}")

    for index, month in enumerate(site.months):
        newer = site.months[index - 1] if index > 0 else None
        older = site.months[index + 1] if index + 1 < len(site.months) else None
        view = views.month(month, newer, older)
        yield PageJob(urls.month(month.year, month.month), "month.html", {
            "page": views.meta(f"{view.label} — {config.title}", f"Every edition of {view.label}.",
                               urls.month(month.year, month.month).url),
            "month": view,
        }, f"month {month.year}-{month.month:02d}")

    years = sorted({m.year for m in site.months}, reverse=True)
    archive_years = []
    for year in years:
        months = [m for m in site.months if m.year == year]
        month_links = views.month_links(months)
        route = urls.year(year)
        yield PageJob(route, "year.html", {
            "page": views.meta(f"{year} — {config.title}", f"Every month of {year}.", route.url),
            "year": YearView(str(year), link(route.url), month_links),
        }, f"year {year}")
        archive_years.append((Link(str(year), link(route.url), str(sum(m.count for m in months))), month_links))
    yield PageJob(urls.archive(), "archive.html", {
        "page": views.meta(f"Archive — {config.title}", "Every edition, by year and month.", urls.archive().url),
        "archive": ArchiveView(tuple(archive_years)),
    }, "archive")

    yield from plan_topic_pages(site, views)
    yield PageJob(urls.not_found(), "404.html", {
        "page": views.meta(f"Page not found — {config.title}", "This page does not exist.", "/404.html"),
    }, "404")


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
        topic_links.append(Link(topic.name, link(urls.topic(topic.slug).url), str(len(articles))))
        months: dict[tuple[int, int], list[Article]] = {}
        for article in articles:
            months.setdefault((article.day.year, article.day.month), []).append(article)
        month_links = tuple(
            Link(format_month(y, m), link(urls.topic_month(topic.slug, y, m).url), str(len(items)))
            for (y, m), items in months.items()
        )
        feeds = views.feed_links(topic)
        route = urls.topic(topic.slug)
        yield PageJob(route, "topic.html", {
            "page": views.meta(f"{topic.name} — {config.title}", topic.description or topic.name,
                               route.url, feeds=feeds),
            "topic": TopicView(topic.name, topic.description, link(route.url),
                               views.day_groups(articles[:per_page]), month_links, feeds,
                               heading="Latest"),
        }, f"topic {topic.slug}")
        for (year, month), items in months.items():
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
                                       f"{topic.name} articles of {label}.", route.url, feeds=feeds),
                    "topic": TopicView(topic.name, topic.description, link(urls.topic(topic.slug).url),
                                       views.day_groups(chunk), month_links, feeds, page_links,
                                       heading=label),
                }, f"topic {topic.slug} {year}-{month:02d} p{number}")
    yield PageJob(urls.topics(), "topics.html", {
        "page": views.meta(f"Topics — {config.title}", "Every topic of the digest.", urls.topics().url),
        "topics": tuple(topic_links),
        "topic_descriptions": {t.name: t.description for t in config.topics},
    }, "topics")


def article_job(site: Site, views: ViewBuilder, article: Article, body_html: str) -> PageJob:
    """The page of one article."""
    view = views.article(article, body_html, related_articles(site, article))
    return PageJob(urls.article(article.day, article.slug), "article.html", {
        "page": views.meta(f"{article.title} — {site.config.title}", article.summary,
                           article.url, kind="article"),
        "article": view,
    }, article.path)


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

