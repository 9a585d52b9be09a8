"""Bodies rendered ahead: the loading workers render new articles' bodies while the build
curates and plans, and the page workers use them instead of rendering them again."""

from __future__ import annotations

import concurrent.futures
from dataclasses import replace
from pathlib import Path

from digest.build import Builder, BuildOptions, BuildReport
from digest.collate import collate_site
from digest.config import load_config
from digest.content import read_articles, read_body, scan_content
from digest.executor import LocalRunner, WorkRunner
from digest.markdown import render_markdown
from digest.pages import plan_article_pages
from digest.render import load_bundle
from digest.staging import BodiesAhead, Plan, render_planned, set_plan
from digest.views import ViewBuilder

from .test_kill_build import write_corpus


def test_bodies_rendered_ahead_are_what_the_pages_would_render(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_corpus(root, 30, seed=5)
    articles = read_articles(load_config(root)).articles
    # a file edited after it was parsed is not rendered ahead: rendering its page reports it
    edited = Path(articles[0].path)
    edited.write_text(edited.read_text() + "\nA late edit.\n")
    runner = LocalRunner(1)
    try:
        ahead = BodiesAhead(runner, articles)
        concurrent.futures.wait(ahead.futures)
        bodies = ahead.take()
    finally:
        runner.close()
    assert set(bodies) == {article.body_hash for article in articles[1:]}
    assert all(bodies[a.body_hash] == render_markdown(read_body(a)) for a in articles[1:])


def test_nothing_is_rendered_ahead_without_a_pool_of_local_workers(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_corpus(root, 5, seed=5)
    articles = read_articles(load_config(root)).articles
    assert BodiesAhead(WorkRunner(), articles).take() == {}
    assert BodiesAhead(None, articles).take() == {}


def test_a_page_uses_the_body_rendered_ahead(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_corpus(root, 3, seed=5)
    config = load_config(root)
    builder = Builder(config, BuildOptions(executor="serial", use_cache=False))
    articles, parsed, _ = builder.load_articles(scan_content(config.content_dir), BuildReport())
    assert parsed == {article.path for article in articles}
    site = collate_site(config, articles)
    views = ViewBuilder(site)
    jobs = list(plan_article_pages(site, views, "key"))
    staging = tmp_path / "staging"
    staging.mkdir()
    marker = "<p>rendered ahead</p>"
    bundle = replace(load_bundle(config), globals={"site": views.site_view()})
    first = jobs[0].article
    assert first is not None
    set_plan(Plan(jobs, bundle, frozenset(), staging, {}, {first.body_hash: marker}))
    try:
        render_planned(range(len(jobs)))
    finally:
        set_plan(None)
    pages = [(staging / job.route.path).read_text() for job in jobs]
    assert marker in pages[0] and not any(marker in page for page in pages[1:])
