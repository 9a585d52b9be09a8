"""Orchestrate builds: config -> content -> collate -> render pages and feeds -> writer.

Fast paths, in order:
1. Nothing changed (same file stats, templates, config): the output is already right; stop.
2. Unchanged content files are not parsed again (the cache keeps their `Article`s).
3. Pages whose key did not change are kept from the last build; the rest are rendered, on
   worker processes when there are many, and only files whose bytes differ are written.

A `Builder` keeps what it learnt in memory, so the preview server's next build starts from
there, and offers `quick_update` for the commonest edit (an article's text, nothing that moves
it or changes how it is listed): only its page and the feeds showing it are rendered.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import time
from array import array
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from itertools import chain, compress, groupby, repeat
from operator import attrgetter, eq, itemgetter, not_
from pathlib import Path

from . import __version__, urls
from .cache import BuildCache, OutputState
from .collate import (
    Grouping,
    Site,
    check_unique,
    collate_site,
    group_articles,
    make_site,
    order_articles,
    pick_lead,
    wants_search,
)
from .config import Config
from .content import Parsed, parse_files, read_body, settings_key
from .curation import Curation, Memo, curate_apart, curation_inputs, fold_duplicates
from .errors import BuildAborted, DigestError, SourceChanged
from .executor import (
    PARALLEL_THRESHOLD,
    Apart,
    DaskRunner,
    WorkRunner,
    collector_paused,
    forks_apart,
    heap_frozen,
    make_runner,
    run_chunks,
)
from .feeds import feed_entries, plan_feed_jobs
from .markdown import render_markdown
from .models import ARTICLE_ID, Article
from .pages import ArticlePages, PageJob, make_key, plan_pages, sitemap_entries
from .render import RenderTask, TemplateBundle, load_bundle, render_chunk, template_dirs
from .scanning import Stat, scan_content
from .search import SearchIndexing, is_index_file, update_search_index
from .seo import SitemapLines, render_robots, render_sitemaps, sitemap_lines
from .staging import Plan, render_planned, set_plan
from .terms import Tally
from .views import ViewBuilder
from .writer import MARKER, SiteWriter, StagedFile, build_lock, recover, stage_file

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Entry = tuple[int, int, "Article | None", list[str]]  # mtime_ns, size, article (None: draft), warnings
# The feeds go apart (`Builder.start_feeds_apart`) when at most this many of the bodies they show
# are new: each costs the child a Markdown render that the article's page also does.
FEEDS_APART_MISSING = 200


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
    out_dir: Path | None = None
    search_files: int = 0  # files of the Pagefind index written this time (0: kept or search off)
    search_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


@dataclass(frozen=True)
class BuildOptions:
    executor: str | None = None  # auto | serial | local[:N] | dask://HOST:PORT
    use_cache: bool = True
    progress: Progress | None = None
    # held while the writer moves files into the output folder: the preview server holds its
    # readers back meanwhile, so no reader gets a mix of old and new pages
    commit_guard: Callable[[], AbstractContextManager[object]] = nullcontext

    @property
    def forks_apart(self) -> bool:
        """Whether the build may hand work to forked children of its own (see
        `executor.forks_apart`)."""
        return forks_apart(self.executor)


@dataclass
class Rendered:
    """The last build's site, kept for quick updates."""

    site: Site
    views: ViewBuilder
    bundle: TemplateBundle
    site_key: str


def build_site(config: Config, options: BuildOptions | None = None) -> BuildReport:
    """Build the site into the output folder; a failure leaves the old output as it was."""
    return Builder(config, options).build()


class Builder:
    """Builds one site, remembering articles, output manifest and site between builds."""

    def __init__(self, config: Config, options: BuildOptions | None = None) -> None:
        self.config = config
        self.options = options or BuildOptions()
        self.cache = BuildCache(config.cache_dir if self.options.use_cache else None)
        self.entries: dict[str, Entry] | None = None
        self.memo: Memo | None = None  # the last build's curation results (see `curation.curate`)
        self.tally: Tally | None = None  # and where its weighing ended (`terms.Tally`)
        self.state: OutputState | None = None
        self.rendered: Rendered | None = None
        self.pending: dict[str, tuple[bytes, str, str]] = {}  # path -> (bytes, key, producer) not yet on disk
        self.stale_feeds: set[str] = set()  # ids of articles whose feeds await `flush`
        self.inputs_saved = True  # whether the cache holds `entries` and `memo` (see `save_inputs`)
        self.fresh_html: dict[str, str] = {}  # body HTML of the files this build parsed early

    def build(self, prime: bool = False, scanned: Apart[list[Stat]] | None = None) -> BuildReport:
        """A full (incremental where possible) build into the output folder.

        `prime`: even when nothing changed, load the site into memory (for quick updates).
        `scanned`: the content folder's walk, started already (`scanning.scan_ahead`).
        """
        config = self.config
        started = time.perf_counter()
        report = BuildReport(out_dir=config.output_dir, warnings=list(config.warnings))
        clock = _Stopwatch(report.timings)
        self.pending.clear()  # a build renders everything a quick update had pending
        self.stale_feeds = set()
        with build_lock(config.output_dir):
            # a build killed while committing left a journal: put the old site back first, even
            # if this build fails before it writes anything
            recover(config.output_dir.resolve())
            bundle = load_bundle(config, self.cache.folder)
            stats = scanned.result() if scanned is not None else scan_content(config.content_dir)
            fingerprint = _fingerprint(config, bundle, stats)
            known = self.state.fingerprint if self.state else self.cache.load_fingerprint(config.output_dir)
            clock.lap("check")
            if known == fingerprint and (config.output_dir / MARKER).is_file() and not (
                prime and self.rendered is None
            ):
                report.unchanged = True
                report.seconds = time.perf_counter() - started
                return report
            runner: WorkRunner | None = None
            writer: SiteWriter | None = None
            indexing: SearchIndexing | None = None
            early: Apart[Early] | None = None
            feeds: FeedsStart | None = None
            try:
                with heap_frozen():  # the articles live until the build ends: no collection need walk them
                    early = self.start_early_parse(stats)  # before any cache is read: it waits on none
                    state = self.state or self.cache.load_output(config.output_dir)
                    articles, report.parsed, runner = self.load_articles(stats, report, early)
                    clock.lap("load")
                    writer = SiteWriter(config.output_dir, state.manifest if state else None)
                    ordered = order_articles(articles)
                    published = fold_duplicates(ordered)[0] if config.search else []
                    if wants_search(config, published):  # as `Site.has_search` will tell
                        # Pagefind (a program of its own) indexes the changed years while this
                        # process curates, plans and renders; it needs only the published articles
                        indexing = SearchIndexing(config, published, writer, state.search if state else None)
                        clock.lap("search")
                    grouping = group_articles(config, curate_apart(ordered, self.last_memo(), self.tally))
                    # the feeds start as soon as what they show is known, before the other editions
                    feeds = self.start_feeds(grouping, writer, state)
                    site = make_site(grouping, start=feeds.site)
                    report.warnings.extend(site.curation.warnings)
                    report.articles = len(site.articles)
                    clock.lap("collate")
                    gc.freeze()  # nor the collated site, while pages and feeds are made
                    new_state = self.render_site(site, bundle, state, report, runner, clock, writer, indexing, feeds)
            except BaseException as exc:
                if early is not None:
                    early.cancel()  # (nothing to stop once its result was taken)
                if feeds is not None:
                    feeds.cancel(self.cache)
                if indexing is not None:
                    indexing.cancel()
                if writer is not None:
                    writer.abort()
                self.state = None  # the output is as before; the memory of it may not be
                if isinstance(exc, SourceChanged):
                    self.forget_entry(exc.path)
                raise
            finally:
                if runner is not None:
                    runner.close()
            new_state.fingerprint = fingerprint
            self.state = new_state
            self.cache.save_output(config.output_dir, new_state)
            # (the feeds' child may have saved them meanwhile, once it had sent the feeds)
            self.save_inputs(site, written=feeds is not None and feeds.saved())
            self.fresh_html = {}  # used by this build's pages and feeds only
            clock.lap("save cache")
        report.seconds = time.perf_counter() - started
        return report

    def forget_entry(self, path: str) -> None:
        """Parse this file again next time, in this process and the next. It changed after it
        was read: its remembered article may even match its new size and time, when two saves
        come within the file system's clock tick."""
        if self.entries is not None and self.entries.pop(path, None) is not None:
            self.cache.save_articles(settings_key(self.config), self.entries)

    def save_inputs(self, site: Site, written: bool = False) -> None:
        """Cache the articles this build read and the curation memo it made (once per build):
        the next build starts from them. `written`: a forked copy of this process (the feeds'
        child) saved them already; only take note of what the cache now holds."""
        if self.inputs_saved or self.entries is None:
            return
        self.inputs_saved = True
        key = settings_key(self.config)
        previous = self.tally
        if self.cache.folder is not None:
            self.memo, self.tally = site.curation.memo, site.curation.tally
        if written:  # (quick updates change `entries` in place: the note keeps a copy)
            self.cache.adopt_articles(key, dict(self.entries))
            self.cache.adopt_curation(key, functools.partial(_memo_by_month, site.curation))
            return
        self.cache.save_articles(key, self.entries)
        if self.cache.folder is not None:
            self.cache.save_curation(key, _memo_by_month(site.curation))
            if self.tally != previous:  # the same when it ends among the articles it resumed
                self.cache.save_tally(key, self.tally)

    def last_memo(self) -> Memo | None:
        """The last build's curation memo ({} when there is none yet); None without a cache,
        where none is kept. Its tally (`self.tally`) is read with it."""
        if self.cache.folder is None:
            return None
        if self.memo is None:
            key = settings_key(self.config)
            self.memo, self.tally = self.cache.load_curation(key), self.cache.load_tally(key)
        return self.memo

    def load_articles(
        self, stats: list[Stat], report: BuildReport, early: Apart[Early] | None = None,
    ) -> tuple[list[Article], int, WorkRunner | None]:
        """Articles for every content file: remembered when the file is unchanged, else parsed
        (`early`: the files the cache lacks, being parsed already, see `start_early_parse`)."""
        config = self.config
        key = settings_key(config)
        self.fresh_html = {}
        try:
            cached = self.entries if self.entries is not None else self.cache.load_articles(key)
        except BaseException:
            if early is not None:
                early.cancel()
            raise
        # each file's cached entry where its time and size are unchanged
        paths = list(map(_FIRST, stats))
        hits = list(map(cached.get, paths, repeat(_NO_ENTRY)))
        same = _same_stamps(stats, map(_STAMP, hits))
        entries: dict[str, Entry] = dict(compress(zip(paths, hits), same))
        to_parse = list(map(Path, compress(paths, map(not_, same))))
        # the stamps of the files to parse (a day's new ones), the entries they make keep
        sizes = {path: (mtime, size) for path, mtime, size in compress(stats, map(not_, same))}
        parsed: list[Parsed] = []
        if early is not None:
            self.last_memo()  # read now, while the early parse may still be at work
            with collector_paused():
                # a result for a file the cache turned out to hold is dropped: its entry stands
                wanted = {str(path) for path in to_parse}
                found, self.fresh_html = early.result()
                parsed = [result for result in found if result[0] in wanted]
            done = {result[0] for result in parsed}
            to_parse = [path for path in to_parse if str(path) not in done]
        runner = make_runner(self.options.executor, len(to_parse)) if to_parse else None
        errors: list[DigestError] = []
        if to_parse or parsed:
            parse = functools.partial(parse_files, config)
            with collector_paused():  # the articles live until the build ends
                for path, article, notes, error in chain(
                    parsed, run_chunks(runner or WorkRunner(), parse, to_parse, len(to_parse)),
                ):
                    if error is not None:
                        errors.append(error)
                    else:
                        entries[path] = (*sizes[path], article, notes)
        if errors:
            if runner is not None:
                runner.close()
            try:  # URLs or ids claimed twice among the good files belong in the same report
                check_unique([entry[2] for entry in entries.values() if entry[2] is not None])
            except BuildAborted as exc:
                errors += exc.errors
            raise BuildAborted(errors)
        self.entries = entries
        self.inputs_saved = False  # see `save_inputs`
        stored = list(map(entries.__getitem__, paths))  # in the files' order
        report.warnings.extend(chain.from_iterable(map(_NOTES, stored)))
        articles: list[Article] = list(filter(None, map(_ARTICLE, stored)))  # None: a draft
        return articles, len(to_parse) + len(parsed), runner

    def start_early_parse(self, stats: list[Stat]) -> Apart[Early] | None:
        """Parse the files the build cache does not hold in a forked child, while this process
        reads the cache (a day's new articles: both take a few tenths of a second); None when
        the cache is already in memory, or there is none, or too much to parse for one child."""
        if self.entries is not None or not self.options.forks_apart:
            return None
        seen = self.cache.load_stats(settings_key(self.config))
        if not seen:
            return None
        paths = list(map(_FIRST, stats))
        fresh = list(map(Path, compress(paths, map(not_, _same_stamps(stats, map(seen.get, paths))))))
        if not fresh or len(fresh) >= PARALLEL_THRESHOLD:  # many: the parse pool's work
            return None
        return Apart(functools.partial(parse_and_render, self.config, fresh))

    def render_site(
        self, site: Site, bundle: TemplateBundle, state: OutputState | None, report: BuildReport,
        runner: WorkRunner | None, clock: _Stopwatch, writer: SiteWriter, indexing: SearchIndexing | None,
        feeds: FeedsStart,
    ) -> OutputState:
        """Render what changed into the writer and commit; return the new output state.
        `indexing`: the search index under way, whose bundles join the writer before the commit;
        `feeds`: the feeds, started (`start_feeds`).
        (A failure leaves the writer, the indexing and the feeds to the caller to stop.)"""
        config = site.config
        views = ViewBuilder(site)
        site_view = views.site_view()
        bundle = replace(bundle, globals={"site": site_view})
        site_key = make_key(__version__, repr(config), bundle.digest, site_view)
        progress = self.options.progress or _no_progress
        apart, in_feeds, known_html = feeds.apart, feeds.in_feeds, feeds.known_html
        with collector_paused():  # a key for every page of the site, all alive until the end
            jobs = list(plan_pages(site, views, site_key))
            article_pages = ArticlePages(site, views, site_key)  # jobs made for the pages rendered
        report.pages = len(jobs) + len(article_pages)
        changed = writer.keep_unchanged(chain(
            zip(map(_JOB_PATH, jobs), map(_JOB_KEY, jobs), map(_JOB_PRODUCER, jobs)), article_pages.entries()))
        todo = [jobs[place] if place < len(jobs) else article_pages.job(place - len(jobs)) for place in changed]
        # the pages of articles the feeds show first: the feeds can then be written (below)
        # while the workers render the rest
        todo.sort(key=lambda job: job.article is None or job.article.id not in in_feeds)
        clock.lap("plan")
        feed_html: dict[str, str] = {}

        def write_the_rest() -> float:
            """Feeds, assets and the sitemap; the seconds that took."""
            started = time.perf_counter()
            # assets and the sitemap first: the feeds' child may still be at work
            copy_assets(config, writer)
            linker = views.linker
            write_seo_files([sitemap_lines(sitemap_entries(jobs, linker)), article_pages.sitemap_lines(linker)],
                            views, writer)
            if apart is not None:
                staged = apart.result()
                feed_html.update(staged.all_html(known_html))
            else:
                staged = stage_feeds(feeds.site, writer, feed_html, known_html)
            report.feeds = record_feeds(writer, staged, report)
            return time.perf_counter() - started

        # The feeds need the body HTML of the articles they show, which those articles' pages
        # bring back. Once the last of them is back, this process writes the feeds while the
        # workers render the other pages, instead of after them while the workers sit idle.
        # (With the feeds apart, they are written once every page is done.)
        awaited = {job.article.body_hash for job in todo if job.article is not None and job.article.id in in_feeds}
        rest_seconds: float | None = None
        pages = self.render_pages(todo, bundle, in_feeds, writer, runner, known_html)
        for done, (job, html) in enumerate(pages, start=1):
            if html is not None and job.article is not None:
                feed_html[job.article.body_hash] = html
                awaited.discard(job.article.body_hash)
            if not awaited and rest_seconds is None and apart is None:
                rest_seconds = write_the_rest()
            if done % 200 == 0 or done == len(todo):
                progress("pages", done, len(todo))
        report.rendered += len(todo)
        if rest_seconds is None:
            rest_seconds = write_the_rest()
        clock.lap("pages", excluding=rest_seconds)
        clock.record("feeds", rest_seconds)
        bundles = None
        if indexing is not None:
            # the index ships with the pages, in the same commit
            search = indexing.finish()
            report.search_files, report.search_seconds, bundles = search.files, search.seconds, search.bundles
            clock.lap("search")
        with self.options.commit_guard():
            writer.commit()
        clock.lap("commit")
        report.written = len(writer.changed)
        report.removed = len(writer.removed())
        self.rendered = Rendered(site, views, bundle, site_key)
        return OutputState(manifest=writer.manifest, html=feed_html, search=bundles)

    def start_feeds(self, grouping: Grouping, writer: SiteWriter, state: OutputState | None) -> FeedsStart:
        """What the feeds show (the newest editions only), and their rendering started in a
        forked child where that pays, to run beside the rest of the build (see `FeedsStart`)."""
        site = make_site(grouping, days=grouping.config.feed_length)
        in_feeds = feed_article_ids(site)
        # bodies' HTML rendered already: by this build's early parse, or for the last build's feeds
        known_html = ChainMap(self.fresh_html, state.html if state else {})
        return FeedsStart(site, in_feeds, known_html, self.start_feeds_apart(site, writer, state, in_feeds, known_html))

    def start_feeds_apart(
        self, site: Site, writer: SiteWriter, state: OutputState | None, in_feeds: set[str],
        known_html: Mapping[str, str],
    ) -> Apart[StagedFeeds] | None:
        """Start rendering the feeds in a forked child; None when that does not pay: one core,
        an explicit executor, or few of the feeds' bodies known from the last build (the child
        would render again what the pages render). The child then saves the build's inputs
        (`save_inputs`) while this process commits: it has time to spare."""
        if state is None or not self.options.forks_apart:
            return None
        missing = sum(1 for id_ in in_feeds if site.articles[site.index[id_]].body_hash not in known_html)
        if missing > FEEDS_APART_MISSING:
            return None
        return Apart(functools.partial(stage_feeds_apart, site, writer, known_html),
                     then=functools.partial(self.save_inputs, site))

    def render_pages(
        self, todo: list[PageJob], bundle: TemplateBundle, in_feeds: set[str], writer: SiteWriter,
        runner: WorkRunner | None, known_html: Mapping[str, str],
    ) -> Iterator[tuple[PageJob, str | None]]:
        """Render pages into the writer; yield each job with its body HTML when a feed needs it.
        `known_html`: bodies' HTML by hash rendered already (the early parse's, the last build's
        feeds'), not rendered again.

        On this machine, worker processes forked after planning render and stage the files
        themselves; on a Dask cluster the views travel with the tasks and the bytes come back.
        """
        if isinstance(runner, DaskRunner):
            by_path = {job.route.path: job for job in todo}
            # the cache folder is this machine's: the cluster's workers compile for themselves
            render = functools.partial(render_chunk, replace(bundle, bytecode_dir=None))
            for result in run_chunks(runner, render, _tasks(todo, in_feeds), len(todo)):
                job = by_path[result.path]
                writer.write(result.path, result.data, job.producer, job.key)
                yield job, result.html
            return
        if runner is not None:
            runner.close()  # the loading pool was forked before the plan existed
        set_plan(Plan(todo, bundle, frozenset(in_feeds), writer.staging, writer.previous, writer.flat,
                      known_html))
        explicit = self.options.executor not in (None, "auto")  # a pool only pays for itself on many pages
        pool = make_runner(self.options.executor, len(todo)) if explicit or len(todo) >= 200 else WorkRunner()
        try:
            for staged in run_chunks(pool, render_planned, range(len(todo)), len(todo)):
                job = todo[staged.job]
                writer.record_staged(staged.file, job.producer, job.key)
                yield job, staged.html
        finally:
            pool.close()
            set_plan(None)

    def quick_update(self, paths: set[Path]) -> dict[str, bytes] | None:
        """Re-render only what an edit of these articles' text changes; None: run a build instead.

        Applies when every path is a known, still valid article whose listing (card), place
        (day, slug, topics, date) and id are unchanged. The result is kept in memory (`pending`)
        until `flush` writes it: the preview server serves it at once.
        """
        rendered, state, entries = self.rendered, self.state, self.entries
        if rendered is None or state is None or entries is None:
            return None
        if any(str(path) not in entries for path in paths):
            return None
        try:  # before reading: a save that lands after the read must not look already seen
            stats = {str(path): _stat(path) for path in paths}
        except OSError:
            return None
        parsed = parse_files(self.config, sorted(paths))
        if any(error is not None or article is None for _, article, _, error in parsed):
            return None
        site, views = rendered.site, rendered.views
        swaps: list[tuple[Article, Article]] = []
        for path, article, _, _ in parsed:
            old = entries[path][2]
            if old is None or article is None or _listing(old, views) != _listing(article, views):
                return None
            edition = site.editions[site.edition_index(old.day)]
            if pick_lead([article if a is old else a for a in edition.articles]).id != edition.lead.id:
                return None  # the edit changes which story leads the day
            story = site.curation.story_of.get(old.id)
            if story is not None:
                group = [a for a in edition.articles if a.id in story.members]
                if pick_lead([article if a is old else a for a in group]).id != pick_lead(group).id:
                    return None  # the edit changes which article stands for its story on the day
            swaps.append((old, article))
        before = {path: entries[path] for path, _, _, _ in parsed}
        for (path, _, notes, _), (old, new) in zip(parsed, swaps):
            entries[path] = (*stats[path], new, notes)
            site.replace_article(old, new)
        changed_ids = {new.id for _, new in swaps}
        try:
            renderer_tasks = [
                (job, RenderTask(job.route.path, job.template, job.context(),
                                 read_body(job.article) if job.article else None, keep_html=True))
                for job in ArticlePages(site, views, rendered.site_key, only=changed_ids).jobs()
            ]
            results = render_chunk(rendered.bundle, [task for _, task in renderer_tasks])
        except BaseException:  # e.g. the file was saved again since it was read: as it was
            entries.update(before)
            for old, new in swaps:
                site.replace_article(new, old)
            raise
        output: dict[str, bytes] = {}
        for (job, _), result in zip(renderer_tasks, results):
            output[result.path] = result.data
            self.pending[result.path] = (result.data, job.key, job.producer)
            if result.html is not None and job.article is not None:
                state.html[job.article.body_hash] = result.html
        self.stale_feeds |= changed_ids  # feeds are not on screen: they wait for `flush`
        return output

    def render_stale_feeds(self) -> None:
        """Render the feeds that show articles changed by quick updates into `pending`."""
        rendered, state = self.rendered, self.state
        if not self.stale_feeds or rendered is None or state is None:
            return
        body_html = _body_html_source(state.html)
        for job in plan_feed_jobs(rendered.site, body_html):
            if not self.stale_feeds & job.article_ids:
                continue
            key = make_key(feeds_key(self.config), job.key)
            for route, data in job.render():
                self.pending[route.path] = (data, key, job.producer)
        self.stale_feeds = set()

    def save_caches(self) -> None:
        """Record the in-memory state in the cache (the preview does this when idle and at exit)."""
        if self.state is None or self.entries is None:
            return
        # the stats of what the memory holds, not of the files now: a save not yet taken in
        # (the preview stopping with a change queued) must leave the next build work to do
        stats = [(path, entry[0], entry[1]) for path, entry in sorted(self.entries.items())]
        bundle = self.rendered.bundle if self.rendered is not None else load_bundle(self.config)
        self.state.fingerprint = _fingerprint(self.config, bundle, stats)
        self.cache.save_output(self.config.output_dir, self.state)
        self.cache.save_articles(settings_key(self.config), self.entries)

    def flush(self, save: bool = True) -> int:
        """Write what quick updates rendered to the output folder (journaled); files written.

        Without `save`, the cache is left behind: the next build still comes out right, it only
        re-renders a few pages more (see `save_caches`).
        """
        self.render_stale_feeds()
        if not self.pending or self.state is None or self.entries is None:
            return 0
        pending, self.pending = self.pending, {}
        # the search index follows the edited text here, off the quick path the browser waits for
        search = self.rendered is not None and self.rendered.site.has_search
        with build_lock(self.config.output_dir):
            writer = SiteWriter(self.config.output_dir, self.state.manifest)
            try:
                for rel_path in self.state.manifest:
                    if rel_path not in pending and rel_path != MARKER and not (search and is_index_file(rel_path)):
                        writer.keep_file(rel_path)
                for rel_path, (data, key, producer) in pending.items():
                    writer.write(rel_path, data, producer, key)
                if search and self.rendered is not None:
                    self.state.search = update_search_index(self.rendered.site, writer, self.state.search).bundles
                with self.options.commit_guard():
                    writer.commit()
            except BaseException:
                writer.abort()
                raise
            self.state.manifest = writer.manifest
            self.state.fingerprint = ""  # the saved fingerprint no longer describes the output
            self.cache.forget_output(self.config.output_dir)
            if save:
                self.save_caches()
        return len(writer.changed)


_JOB_PATH, _JOB_KEY, _JOB_PRODUCER = attrgetter("route.path"), attrgetter("key"), attrgetter("producer")
# parts of a file's stat (path, mtime, size) and of its cache entry (`Entry`)
_FIRST, _REST, _STAMP = itemgetter(0), itemgetter(1, 2), itemgetter(0, 1)
_ARTICLE, _NOTES = itemgetter(2), itemgetter(3)
_DAY = attrgetter("day")
_NO_ENTRY = (None, None, None, ())  # a file the cache does not hold


def _same_stamps(stats: list[Stat], stamps: Iterable[tuple[int, int] | None]) -> list[bool]:
    """Whether each file's (mtime, size) equals the one recorded for it (None: none), told in C:
    this runs over every file of the site on every build."""
    return list(map(eq, stamps, map(_REST, stats)))


def _listing(article: Article, views: ViewBuilder) -> tuple[object, ...]:
    """What other pages show of an article: if this is unchanged, only its own page changes.

    That includes what stories and earlier coverage are computed from (`curation_inputs`).
    """
    card = views.make_card(article)
    return (card, article.id, article.day, article.slug, article.date, article.topics, curation_inputs(article))


Early = tuple[list[Parsed], dict[str, str]]  # parsed files, and their bodies' HTML by body hash


def parse_and_render(config: Config, paths: Sequence[Path]) -> Early:
    """Parse content files and render their bodies: the early parse's work (see
    `Builder.start_early_parse`). Their pages and feed entries need that HTML later, and both
    are made in busier processes than the one this runs in."""
    parsed = parse_files(config, paths)
    html = {article.body_hash: render_markdown(read_body(article)) for _, article, _, _ in parsed if article is not None}
    return parsed, html


def _body_html_source(target: dict[str, str], known: Mapping[str, str] | None = None) -> Callable[[Article], str]:
    """Body HTML by article, from `target`, else from `known`, else rendered now; either way it
    ends up in `target`, which the build keeps for the next one (`OutputState.html`)."""
    def body_html(article: Article) -> str:
        body = article.body_hash
        html = target.get(body)
        if html is None:
            html = known.get(body) if known is not None else None
            if html is None:
                html = render_markdown(read_body(article))
            target[body] = html  # carried on or rendered: either way the next build need not render it
        return html

    return body_html


def _memo_by_month(curation: Curation) -> dict[str, Memo]:
    """The curation memo in shards by the articles' month: a day's increment changes one."""
    memo = curation.memo
    shards: dict[str, Memo] = {}
    # every published article, newest first: a day's follow each other, so a month's name is made once a day
    for day, articles in groupby(curation.articles, key=_DAY):
        ids = list(map(ARTICLE_ID, articles))
        shards.setdefault(f"{day.year}-{day.month:02d}", {}).update(zip(ids, map(memo.__getitem__, ids)))
    return shards


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


class _Stopwatch:
    """Records how long each stage took, for `digest build --timings`."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str, excluding: float = 0.0) -> None:
        """Charge the time since the last lap to `stage`, less `excluding` (recorded elsewhere)."""
        now = time.perf_counter()
        self.record(stage, now - self.last - excluding)
        self.last = now

    def record(self, stage: str, seconds: float) -> None:
        """Charge `seconds` of work done inside another stage's lap to `stage`."""
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def _fingerprint(config: Config, bundle: TemplateBundle, stats: list[Stat]) -> str:
    """Everything a build reads, as cheaply as possible: file stats, not contents."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(repr((__version__, config)).encode())
    hasher.update(bundle.digest.encode())
    for folder in template_dirs(config):
        for path in sorted((folder / "assets").rglob("*")) if (folder / "assets").is_dir() else ():
            if path.is_file():
                hasher.update(repr((str(path), *_stat(path))).encode())
    if stats:
        # the paths as one string and the numbers as arrays: a repr and an update per file
        # cost a build with nothing to do ~25 ms at 10,000 files
        paths, mtimes, sizes = zip(*stats)
        hasher.update("\0".join(paths).encode("utf-8", "surrogateescape"))
        hasher.update(array("q", mtimes).tobytes())
        hasher.update(array("q", sizes).tobytes())
    return hasher.hexdigest()


def _tasks(jobs: list[PageJob], in_feeds: set[str]) -> Iterator[RenderTask]:
    """Render tasks made lazily (views and bodies for a chunk at a time)."""
    for job in jobs:
        article = job.article
        yield RenderTask(job.route.path, job.template, job.context(),
                         read_body(article) if article is not None else None,
                         keep_html=article is not None and article.id in in_feeds)


def feeds_key(config: Config) -> str:
    """What every feed is made from besides what it shows: the settings and digest's version
    (not the templates, which no feed uses)."""
    return make_key(__version__, repr(config), "feeds")


@dataclass
class FeedsStart:
    """The feeds of a build, started once the curation is done (`Builder.start_feeds`)."""

    site: Site  # what they show: the site with its newest editions only
    in_feeds: set[str]  # ids of the articles they show in full
    known_html: Mapping[str, str]  # bodies' HTML by hash, rendered already
    apart: Apart[StagedFeeds] | None  # the child staging them (and then saving the inputs)

    def saved(self) -> bool:
        """Whether the child saved the build's inputs (`Builder.save_inputs`), once it has done
        so; False without a child, or if its save failed: the build's output is committed by
        then, and the build saves them itself (reporting what fails)."""
        if self.apart is None:
            return False
        try:
            self.apart.later()
        except Exception:  # noqa: BLE001 (see above)
            return False
        return True

    def cancel(self, cache: BuildCache) -> None:
        """Stop the child (the build failed) and remove what a save it was at left half-written."""
        if self.apart is not None and self.apart.pid:
            killed = self.apart.pid
            self.apart.cancel()
            cache.remove_temporary(killed)


def feed_article_ids(site: Site) -> set[str]:
    """Ids of every article some feed shows (their HTML is needed again for the feeds)."""
    ids = {article.id for article in feed_entries(site, None)}
    for topic in site.config.topics:
        ids.update(article.id for article in feed_entries(site, topic))
    return ids


@dataclass(frozen=True)
class StagedFeeds:
    """What `stage_feeds` did, for `record_feeds` to account for in the build's writer."""

    # per feed job: producer, key, the paths kept from the last build, the files staged
    jobs: list[tuple[str, str, list[str], list[StagedFile]]]
    feeds: int  # feed files in the site, kept or made
    rendered: int  # feed files made
    html: dict[str, str]  # body HTML made or carried on (see `_body_html_source`)
    # bodies whose HTML was carried on from `known_html`, by hash, when left out of `html` (see
    # `stage_feeds_apart`)
    carried: tuple[str, ...] = ()

    def all_html(self, known_html: Mapping[str, str]) -> Iterator[tuple[str, str]]:
        """(body hash, HTML) of every body the feeds show, the carried ones from `known_html`."""
        yield from self.html.items()
        for body in self.carried:
            yield body, known_html[body]


def stage_feeds(
    site: Site, writer: SiteWriter, new_html: dict[str, str], known_html: Mapping[str, str],
) -> StagedFeeds:
    """Every feed (and the OPML list of them) re-rendered into the staging folder only when what
    it shows changed. Reads the writer, never records in it: this may run in a forked child.
    Body HTML comes from `new_html`, else `known_html` (the early parse's, the last build's),
    else is rendered; either way it ends up in `new_html`."""
    body_html = _body_html_source(new_html, known_html)
    base_key = feeds_key(site.config)
    done: list[tuple[str, str, list[str], list[StagedFile]]] = []
    feeds = rendered = 0
    for job in plan_feed_jobs(site, body_html):
        key = make_key(base_key, job.key)
        feeds += job.feeds
        kept: list[str] = []
        for route in job.routes:  # as `writer.keep` would, stopping at the first file to make
            if not writer.unchanged(route.path, key):
                break
            kept.append(route.path)
        staged: list[StagedFile] = []
        if len(kept) < len(job.routes):
            for route, data in job.render():
                if route.path not in kept:
                    staged.append(stage_file(writer.staging, writer.previous, route.path, data, writer.flat))
                rendered += 1
        done.append((job.producer, key, kept, staged))
    return StagedFeeds(done, feeds, rendered, new_html)


def stage_feeds_apart(site: Site, writer: SiteWriter, known_html: Mapping[str, str]) -> StagedFeeds:
    """`stage_feeds` in a forked child: the body HTML the parent holds already (`known_html`,
    inherited) goes back as hashes only. A few KiB then fit the pipe at once, where 2 MiB of
    HTML at 10,000 articles kept the child waiting for the parent to read them."""
    staged = stage_feeds(site, writer, {}, known_html)
    made: dict[str, str] = {}
    carried: list[str] = []
    for body, html in staged.html.items():
        if body in known_html:
            carried.append(body)
        else:
            made[body] = html
    return replace(staged, html=made, carried=tuple(carried))


def record_feeds(writer: SiteWriter, staged: StagedFeeds, report: BuildReport) -> int:
    """Record what `stage_feeds` kept and staged in the writer; the number of feed files."""
    for producer, key, kept, files in staged.jobs:
        for path in kept:
            writer.keep(path, key, producer)
        for file in files:
            writer.record_staged(file, producer, key)
    report.rendered += staged.rendered
    return staged.feeds


def write_seo_files(parts: Sequence[SitemapLines], views: ViewBuilder, writer: SiteWriter) -> None:
    """`sitemap.xml` (lastmod from content) and `robots.txt`; cheap, so made on every build.
    `parts`: the pages' sitemap lines, in the sitemap's order."""
    lines = SitemapLines([*chain.from_iterable(part.elements for part in parts)],
                         [*chain.from_iterable(part.lastmods for part in parts)])
    for route, data in render_sitemaps(lines, views.linker.absolute):
        writer.write(route.path, data, "sitemap")
    writer.write(urls.robots().path, render_robots(views.linker.absolute(urls.sitemap().url)), "robots.txt")


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
    builder = Builder(config, BuildOptions(executor="serial", use_cache=False))
    stats = scan_content(config.content_dir)
    report = BuildReport()
    articles, _, runner = builder.load_articles(stats, report)
    if runner is not None:
        runner.close()
    site = collate_site(config, articles)
    return site, [*report.warnings, *site.curation.warnings]
