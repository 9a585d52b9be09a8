"""Orchestrate a build: config -> content -> collate -> render pages and feeds -> writer.

Fast paths, in order:
1. Nothing changed (same file stats, templates, config): the output is already right; stop.
2. Unchanged content files are not parsed again (the cache keeps their `Article`s).
3. Pages whose key did not change are kept from the last build; the rest are rendered, on
   worker processes when there are many, and only files whose bytes differ are written.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, urls
from .cache import BuildCache, OutputState
from .collate import Site, collate_site
from .config import Config
from .content import find_content_files, parse_files, read_body, settings_key
from .errors import BuildAborted, DigestError
from .executor import WorkRunner, make_runner, run_chunks
from .feeds import feed_entries, render_feed_pair
from .markdown import render_markdown
from .models import Article
from .pages import PageJob, make_key, plan_article_pages, plan_pages
from .render import RenderTask, TemplateBundle, load_bundle, render_chunk, template_dirs
from .views import ViewBuilder
from .writer import MARKER, SiteWriter, build_lock

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildReport:
    """What a build did, for the CLI to print."""

    articles: int = 0
    pages: int = 0  # HTML pages in the site
    feeds: int = 0
    rendered: int = 0  # pages and feeds rendered this time
    written: int = 0  # files whose bytes changed
    removed: int = 0
    parsed: int = 0  # content files parsed this time (the others came from the cache)
    unchanged: bool = False  # nothing to do at all
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    out_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BuildOptions:
    executor: str | None = None  # auto | serial | local[:N] | dask://HOST:PORT
    use_cache: bool = True
    progress: Progress | None = None


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def build_site(config: Config, options: BuildOptions | None = None) -> BuildReport:
    """Build the site into the output folder; a failure leaves the old output as it was."""
    options = options or BuildOptions()
    started = time.perf_counter()
    cache = BuildCache(config.cache_dir if options.use_cache else None)
    report = BuildReport(out_dir=config.output_dir, warnings=list(config.warnings))
    clock = _Stopwatch(report.timings)
    with build_lock(config.output_dir):
        bundle = load_bundle(config)
        files = find_content_files(config.content_dir)
        stats = [(str(path), *_stat(path)) for path in files]
        fingerprint = _fingerprint(config, bundle, stats)
        state = cache.load_output(config.output_dir)
        clock.lap("check")
        if state and state.fingerprint == fingerprint and (config.output_dir / MARKER).is_file():
            report.unchanged = True
            report.seconds = time.perf_counter() - started
            return report
        runner: WorkRunner | None = None
        try:
            articles, report.parsed, runner = load_articles(config, cache, stats, options, report)
            clock.lap("load")
            site = collate_site(config, articles)
            report.warnings.extend(site.curation.warnings)
            report.articles = len(site.articles)
            clock.lap("collate")
            new_state = render_site(site, bundle, state, options, report, runner, clock)
        finally:
            if runner is not None:
                runner.close()
        new_state.fingerprint = fingerprint
        cache.save_output(config.output_dir, new_state)
        clock.lap("save cache")
    report.seconds = time.perf_counter() - started
    return report


class _Stopwatch:
    """Records how long each stage took, for `digest build --timings`."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def _fingerprint(config: Config, bundle: TemplateBundle, stats: list[tuple[str, int, int]]) -> str:
    """Everything a build reads, as cheaply as possible: file stats, not contents."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(repr((__version__, config)).encode())
    hasher.update(bundle.digest.encode())
    for folder in template_dirs(config):
        for path in sorted((folder / "assets").rglob("*")) if (folder / "assets").is_dir() else ():
            if path.is_file():
                hasher.update(repr((str(path), *_stat(path))).encode())
    for entry in stats:
        hasher.update(repr(entry).encode())
    return hasher.hexdigest()


def load_articles(
    config: Config, cache: BuildCache, stats: list[tuple[str, int, int]], options: BuildOptions,
    report: BuildReport,
) -> tuple[list[Article], int, WorkRunner | None]:
    """Articles for every content file: from the cache when the file is unchanged, else parsed."""
    key = settings_key(config)
    cached = cache.load_articles(key)
    entries: dict[str, tuple[int, int, Article | None, list[str]]] = {}
    to_parse: list[Path] = []
    for path, mtime, size in stats:
        hit = cached.get(path)
        if hit is not None and hit[0] == mtime and hit[1] == size:
            entries[path] = hit
        else:
            to_parse.append(Path(path))
    runner = make_runner(options.executor, len(stats)) if len(stats) else None
    errors: list[DigestError] = []
    if to_parse:
        parse = functools.partial(parse_files, config)
        worker = runner if runner is not None else WorkRunner()
        sizes = {path: (mtime, size) for path, mtime, size in stats}
        for path, article, notes, error in run_chunks(worker, parse, to_parse, len(to_parse)):
            if error is not None:
                errors.append(error)
            else:
                entries[path] = (*sizes[path], article, notes)
    if errors:
        if runner is not None:
            runner.close()
        raise BuildAborted(errors)
    cache.save_articles(key, entries)
    articles = []
    for _, _, article, notes in (entries[path] for path, _, _ in stats):
        report.warnings.extend(notes)
        if article is not None:
            articles.append(article)
    return articles, len(to_parse), runner


def render_site(
    site: Site, bundle: TemplateBundle, state: OutputState | None, options: BuildOptions,
    report: BuildReport, runner: WorkRunner | None, clock: _Stopwatch,
) -> OutputState:
    """Render what changed into the writer and commit; return the new output state."""
    config = site.config
    views = ViewBuilder(site)
    site_view = views.site_view()
    bundle = replace(bundle, globals={"site": site_view})
    site_key = make_key(__version__, repr(config), bundle.digest, site_view)
    writer = SiteWriter(config.output_dir, state.manifest if state else None)
    progress = options.progress or _no_progress
    try:
        jobs = [*plan_pages(site, views, site_key), *plan_article_pages(site, views, site_key)]
        report.pages = len(jobs)
        todo = [job for job in jobs if not writer.keep(job.route.path, job.key, job.producer)]
        clock.lap("plan")
        in_feeds = feed_article_ids(site)
        html_cache = dict(state.html) if state else {}
        feed_html: dict[str, str] = {}
        by_path = {job.route.path: job for job in todo}
        worker = runner if runner is not None and len(todo) >= 50 else WorkRunner()
        render = functools.partial(render_chunk, bundle)
        for done, result in enumerate(run_chunks(worker, render, _tasks(todo, in_feeds), len(todo)), start=1):
            job = by_path[result.path]
            writer.write(result.path, result.data, job.producer, job.key)
            if result.html is not None and job.article is not None:
                feed_html[job.article.body_hash] = result.html
            if done % 200 == 0 or done == len(todo):
                progress("pages", done, len(todo))
        report.rendered = len(todo)
        clock.lap("pages")

        def body_html(article: Article) -> str:
            html = feed_html.get(article.body_hash) or html_cache.get(article.body_hash)
            if html is None:
                html = render_markdown(read_body(article))
            feed_html[article.body_hash] = html
            return html

        report.feeds = write_feeds(site, site_key, writer, body_html, report)
        copy_assets(config, writer)
        clock.lap("feeds")
        writer.commit()
        clock.lap("commit")
    except BaseException:
        writer.abort()
        raise
    report.written = len(writer.changed)
    report.removed = len(writer.removed())
    return OutputState(manifest=writer.manifest, html=feed_html)


def _tasks(jobs: list[PageJob], in_feeds: set[str]) -> Iterator[RenderTask]:
    """Render tasks made lazily (views and bodies for a chunk at a time)."""
    for job in jobs:
        article = job.article
        yield RenderTask(job.route.path, job.template, job.context(),
                         read_body(article) if article is not None else None,
                         keep_html=article is not None and article.id in in_feeds)


def feed_article_ids(site: Site) -> set[str]:
    """Ids of every article some feed shows (their HTML is needed again for the feeds)."""
    ids = {article.id for article in feed_entries(site, None)}
    for topic in site.config.topics:
        ids.update(article.id for article in feed_entries(site, topic))
    return ids


def write_feeds(site: Site, site_key: str, writer: SiteWriter, body_html: Callable[[Article], str],
                report: BuildReport) -> int:
    """The digest's feeds and each topic's: re-rendered only when their entries changed."""
    count = 0
    for topic in [None, *(t for t in site.config.topics if site.by_topic.get(t.slug))]:
        entries = feed_entries(site, topic)
        key = make_key(site_key, "feeds", topic.slug if topic else None,
                       tuple((a.fingerprint, a.body_hash) for a in entries))
        routes = [urls.feed("rss", topic.slug if topic else None), urls.feed("atom", topic.slug if topic else None)]
        producer = f"feed {topic.slug if topic else 'site'}"
        if all(writer.keep(route.path, key, producer) for route in routes):
            count += len(routes)
            continue
        for route, data in render_feed_pair(site, topic, body_html):
            if route.path not in writer.producers:
                writer.write(route.path, data, producer, key)
            report.rendered += 1
            count += 1
    return count


def copy_assets(config: Config, writer: SiteWriter) -> None:
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
                writer.write(urls.asset(name).path, path.read_bytes(), f"asset {name}")


def load_site(config: Config) -> tuple[Site, list[str]]:
    """Read and group all content without writing anything (tools and tests use this)."""
    cache = BuildCache(None)
    stats = [(str(path), *_stat(path)) for path in find_content_files(config.content_dir)]
    report = BuildReport()
    articles, _, runner = load_articles(config, cache, stats, BuildOptions(executor="serial"), report)
    if runner is not None:
        runner.close()
    site = collate_site(config, articles)
    return site, [*report.warnings, *site.curation.warnings]

