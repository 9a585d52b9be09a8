"""Render planned pages straight into the build's staging folder, in this process or in workers.

Worker processes are forked after the site is planned, so they inherit the jobs (and the site
they close over) instead of receiving each page's views through a pipe. Each renders its share
of pages, writes the changed files into the staging folder (`writer.stage_file`) and sends back
only what the main process's `SiteWriter` records: path, hash, whether it was written, and the
body's HTML where a feed will need it. The main process alone commits the staging folder.
(On a Dask cluster, which shares no memory or disk, views travel with the tasks instead: see
`render.render_chunk`.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from .content import read_body, read_body_at
from .errors import DigestError
from .executor import LocalRunner, WorkRunner, chunked
from .markdown import render_markdown
from .models import Article
from .pages import PageJob
from .render import TemplateBundle, renderer_for
from .writer import Manifest, StagedFile, stage_file


@dataclass(frozen=True)
class Plan:
    """What every worker of one build renders from."""

    jobs: Sequence[PageJob]
    bundle: TemplateBundle
    feed_ids: frozenset[str]  # articles whose body HTML the feeds need
    staging: Path
    previous: Manifest
    bodies: Mapping[str, str] = field(default_factory=dict)  # body hash -> HTML rendered ahead
    flat: bool = False  # the staging folder's layout (`writer.staged_path`)


@dataclass(frozen=True)
class Staged:
    file: StagedFile
    job: int  # position in Plan.jobs
    html: str | None  # the body's HTML, for articles the feeds show


_plan: Plan | None = None


def set_plan(plan: Plan | None) -> None:
    """Publish the plan; pools forked after this inherit it."""
    global _plan
    _plan = plan


def render_planned(positions: Sequence[int]) -> list[Staged]:
    """Render these jobs of the plan into the staging folder (runs in a worker or in-process)."""
    plan = _plan
    if plan is None:
        raise RuntimeError("render_planned runs only after set_plan")
    renderer = renderer_for(plan.bundle)
    results = []
    for position in positions:
        job = plan.jobs[position]
        context = job.context()
        html = None
        if job.article is not None:
            html = plan.bodies.get(job.article.body_hash)
            if html is None:
                html = render_markdown(read_body(job.article))
            context["body_html"] = html
        data = renderer.render(job.template, **context)
        keep = html if job.article is not None and job.article.id in plan.feed_ids else None
        results.append(Staged(stage_file(plan.staging, plan.previous, job.route.path, data, plan.flat), position, keep))
    return results


AHEAD_CHUNK = 64  # bodies per task: small, so little is lost when planning ends mid-task
AHEAD_LIMIT = 12_000  # bodies rendered ahead at most (about 70 MB of HTML, held until the pages)


class BodiesAhead:
    """Article bodies rendered to HTML by an idle worker while this process curates and plans.

    The loading stage's workers have nothing to do while the site is curated, grouped and
    planned, one core's worth of serial work: meanwhile they render the bodies of the articles
    just parsed, and the page workers, forked after planning, start with them. A body not done
    by then is rendered with its page, as without this.
    """

    def __init__(self, runner: WorkRunner | None, articles: Sequence[Article]) -> None:
        self.futures: list[Future[list[tuple[str, str]]]] = []
        if isinstance(runner, LocalRunner):
            items = [(article.path, article.body_hash) for article in articles[:AHEAD_LIMIT]]
            self.futures = [runner.pool.submit(render_bodies, chunk) for chunk in chunked(items, AHEAD_CHUNK)]

    def take(self) -> dict[str, str]:
        """Body hash -> HTML of every body rendered by now; the rest are given up."""
        bodies: dict[str, str] = {}
        for future in self.futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                bodies.update(future.result())
            else:
                future.cancel()
        self.futures = []
        return bodies


def render_bodies(items: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(body hash, HTML) of these (file, body hash) articles, skipping files changed since."""
    rendered = []
    for path, body_hash in items:
        try:
            rendered.append((body_hash, render_markdown(read_body_at(path, body_hash))))
        except DigestError:
            continue  # rendering its page says what is wrong
    return rendered
