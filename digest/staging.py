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
from dataclasses import dataclass, field
from pathlib import Path

from .content import read_body
from .markdown import render_markdown
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
    flat: bool = False  # the staging folder's layout (`writer.staged_path`)
    known_html: Mapping[str, str] = field(default_factory=dict)  # body hash -> HTML rendered already


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
            html = plan.known_html.get(job.article.body_hash) or render_markdown(read_body(job.article))
            context["body_html"] = html
        data = renderer.render(job.template, **context)
        keep = html if job.article is not None and job.article.id in plan.feed_ids else None
        results.append(Staged(stage_file(plan.staging, plan.previous, job.route.path, data, plan.flat), position, keep))
    return results
