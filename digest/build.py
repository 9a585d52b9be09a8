"""Orchestrate a build: config -> content -> collate -> render pages and feeds -> writer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .collate import Site, collate_site
from .config import Config
from .content import read_articles
from .errors import BuildAborted
from .feeds import render_feeds
from .markdown import render_markdown
from .models import Article
from .pages import article_job, plan_pages, render_jobs
from .render import PageRenderer, template_dirs
from .views import ViewBuilder
from .writer import SiteWriter, build_lock


@dataclass
class BuildReport:
    """What a build did, for the CLI to print."""

    articles: int = 0
    pages: int = 0
    feeds: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    out_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)


def load_site(config: Config) -> tuple[Site, list[str]]:
    """Read and group all content; raise BuildAborted listing every bad file."""
    loaded = read_articles(config)
    if loaded.errors:
        raise BuildAborted(loaded.errors)
    site = collate_site(config, loaded.articles)
    return site, [*loaded.warnings, *site.curation.warnings]


def build_site(config: Config) -> BuildReport:
    """Build the whole site into the output folder, atomically."""
    started = time.perf_counter()
    site, warnings = load_site(config)
    report = BuildReport(articles=len(site.articles), out_dir=config.output_dir,
                         warnings=[*config.warnings, *warnings])
    with build_lock(config.output_dir):
        writer = SiteWriter(config.output_dir)
        try:
            write_site(site, writer, report)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
    report.files = len(writer.producers)
    report.bytes = writer.bytes_written
    report.seconds = time.perf_counter() - started
    return report


def write_site(site: Site, writer: SiteWriter, report: BuildReport) -> None:
    """Render every page, feed and asset of the site into the writer."""
    renderer = PageRenderer(site.config)
    views = ViewBuilder(site)
    site_view = views.site_view()
    bodies: dict[str, str] = {}

    def body_html(article: Article) -> str:
        html = bodies.get(article.id)
        if html is None:
            html = bodies[article.id] = render_markdown(article.body)
        return html

    report.pages += render_jobs(plan_pages(site, views), renderer, site_view, writer.write)
    report.pages += render_jobs(
        (article_job(site, views, article, body_html(article)) for article in site.articles),
        renderer, site_view, writer.write,
    )
    for route, data in render_feeds(site, body_html):
        writer.write(route.path, data, "feed")
        report.feeds += 1
    copy_assets(site.config, writer.write)


def copy_assets(config: Config, write: Callable[[str, bytes, str], None]) -> None:
    """Copy each template folder's `assets/`; the site's own files win over the defaults."""
    seen: set[str] = set()
    for folder in template_dirs(config):
        assets = folder / "assets"
        if not assets.is_dir():
            continue
        for path in sorted(assets.rglob("*")):
            name = path.relative_to(assets).as_posix()
            if path.is_file() and name not in seen:
                seen.add(name)
                write(urls.asset(name).path, path.read_bytes(), f"asset {name}")
