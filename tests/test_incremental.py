"""Incremental builds: after any change, the output is byte-identical to a clean build,
and only files whose bytes changed were rewritten."""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from digest import build as build_module
from digest import executor as executor_module
from digest.build import BuildOptions, build_site
from digest.cache import BuildCache
from digest.config import load_config
from digest.content import read_body, settings_key
from digest.executor import LocalRunner, heap_frozen, run_chunks
from digest.markdown import render_markdown
from digest.terms import WARMUP, TermIndex
from digest.writer import SiteWriter, recover

from .conftest import FIXTURES, tree_bytes
from .test_kill_build import write_corpus


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    return root


def build(root: Path, out: str = "site", **options: object) -> object:
    return build_site(load_config(root).with_overrides(output_dir=out), BuildOptions(**options))  # type: ignore[arg-type]


def clean_build(root: Path) -> dict[str, bytes]:
    target = root / "clean-out"
    shutil.rmtree(target, ignore_errors=True)
    build(root, "clean-out", use_cache=False)
    files = tree_bytes(target)
    shutil.rmtree(target)
    return files


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def edit_body(root: Path) -> None:
    path = root / "content/2026/02/08/minister-resigns.md"
    path.write_text(path.read_text().replace("heavy defeat", "narrow defeat"))


def add_article(root: Path) -> None:
    (root / "content/2026/02/09").mkdir(parents=True, exist_ok=True)
    (root / "content/2026/02/09/flood-warning.md").write_text(
        "---\ntitle: Flood warning for the valley\ndate: 2026-02-09T06:00:00+00:00\n---\n\nRivers rose overnight.\n")


def delete_article(root: Path) -> None:
    (root / "content/2026/02/07/market-prices.md").unlink()


def change_template(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    source = (Path(__file__).resolve().parents[1] / "templates/404.html").read_text()
    (root / "templates/404.html").write_text(source.replace("Page not found", "Nothing here"))


def change_config(root: Path) -> None:
    path = root / "digest.toml"
    path.write_text(path.read_text().replace('title = "Fixture Digest"', 'title = "Renamed Digest"'))


def retitle(root: Path) -> None:
    path = root / "content/2026/02/08/storm-closes-port.md"
    path.write_text(path.read_text().replace("title: Storm closes the northern port", "title: Storm shuts the port"))


@pytest.mark.parametrize("change", [edit_body, add_article, delete_article, change_template, change_config, retitle])
def test_incremental_build_equals_clean_build(tmp_path: Path, change: Callable[[Path], None]) -> None:
    root = make_root(tmp_path)
    build(root)
    change(root)
    report = build(root)
    assert not report.unchanged  # type: ignore[attr-defined]
    assert tree_bytes(root / "site") == clean_build(root)


@pytest.mark.parametrize("executor", ["serial", "auto"])
def test_work_done_apart_or_in_process_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executor: str,
) -> None:
    """An increment parses its new files in a forked child while the cache is read, and renders
    its feeds in another beside the pages (auto, two cores), or does both in this process
    (serial): the same bytes either way."""
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    started: list[str] = []
    real = build_module.Apart
    monkeypatch.setattr(build_module, "Apart",
                        lambda func, **then: started.append(func.func.__name__) or real(func, **then))
    root = make_root(tmp_path)
    build(root)
    add_article(root)
    edit_body(root)
    report = build(root, executor=executor)
    assert started == (["parse_and_render", "stage_feeds_apart"] if executor == "auto" else [])
    assert report.parsed == 2  # type: ignore[attr-defined]
    assert tree_bytes(root / "site") == clean_build(root)
    assert report.feeds == build(root, "again-out", use_cache=False).feeds  # type: ignore[attr-defined]


def test_a_build_failing_while_the_early_parse_runs_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The early parse starts before any cache is read: a failure reading one stops and reaps
    the child, and the next build parses the new file as usual."""
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    started: list[object] = []
    real = build_module.Apart
    monkeypatch.setattr(build_module, "Apart", lambda func, **then: started.append(real(func, **then)) or started[-1])
    root = make_root(tmp_path)
    build(root)
    add_article(root)

    def unreadable(self: BuildCache, out_dir: Path) -> None:
        raise OSError("the output state cannot be read")

    with monkeypatch.context() as patched:
        patched.setattr(BuildCache, "load_output", unreadable)
        with pytest.raises(OSError, match="cannot be read"):
            build(root)
    [child] = started
    assert child.pid == 0 and child.stream is None  # type: ignore[attr-defined]
    report = build(root)
    assert report.parsed == 1  # type: ignore[attr-defined]
    assert tree_bytes(root / "site") == clean_build(root)


def record_article_saves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record each `save_articles` call made in this process (a forked child's go unseen)."""
    here, calls = os.getpid(), []
    real = BuildCache.save_articles

    def save(self: BuildCache, *args: object) -> None:
        if os.getpid() == here:
            calls.append(here)
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(BuildCache, "save_articles", save)
    return calls


@pytest.mark.parametrize("child_saves", [True, False])
def test_the_feeds_child_saves_the_inputs_or_else_this_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, child_saves: bool,
) -> None:
    """With the feeds apart, their child also saves the article cache and curation memo once it
    has sent the feeds, while this process commits; if it cannot, this process saves them. Either way the next
    process finds the new article cached, and the output is a clean build's."""
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    root = make_root(tmp_path)
    build(root)
    add_article(root)
    saved_here = record_article_saves(monkeypatch)
    if not child_saves:  # the child's save fails
        here, real = os.getpid(), BuildCache.save_curation

        def fails_apart(self: BuildCache, *args: object) -> None:
            if os.getpid() != here:
                raise OSError("the cache folder is full")
            real(self, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(BuildCache, "save_curation", fails_apart)
    config = load_config(root).with_overrides(output_dir="site")
    builder = build_module.Builder(config, BuildOptions(executor="auto"))
    builder.build()
    assert len(saved_here) == (0 if child_saves else 1)
    cache = BuildCache(config.cache_dir)
    assert builder.entries is not None and cache.load_articles(settings_key(config)).keys() == builder.entries.keys()
    assert cache.load_curation(settings_key(config)).keys() == builder.memo.keys()  # type: ignore[union-attr]
    assert tree_bytes(root / "site") == clean_build(root)


def test_a_build_failing_beside_the_feeds_child_removes_what_its_save_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The feeds' child may be saving the cache when a failure kills it: its half-written files go."""
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    root = make_root(tmp_path)
    build(root)
    add_article(root)
    swept: list[int] = []
    monkeypatch.setattr(BuildCache, "remove_temporary", lambda self, pid: swept.append(pid))

    def broken(*args: object) -> None:
        raise OSError("a page cannot be rendered")

    with monkeypatch.context() as patched:
        patched.setattr(build_module.Builder, "render_pages", broken)
        with pytest.raises(OSError, match="cannot be rendered"):
            build(root)
    assert len(swept) == 1 and swept[0] > 0
    build(root)
    assert tree_bytes(root / "site") == clean_build(root)


def test_feeds_apart_hand_the_next_build_the_same_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feeds' child sends back only the hashes of the body HTML this process holds already;
    the next build is handed the same HTML either way, all of it the feeds' bodies."""
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    kept = {}
    for executor in ("serial", "auto"):
        root = make_root(tmp_path / executor)
        build(root)
        add_article(root)
        edit_body(root)
        build(root, executor=executor)
        config = load_config(root)
        state = BuildCache(config.cache_dir).load_output(config.output_dir)
        assert state is not None
        kept[executor] = state.html
    site, _ = build_module.load_site(config)
    in_feeds = build_module.feed_article_ids(site)
    shown = {article.body_hash: render_markdown(read_body(article))
             for article in site.articles if article.id in in_feeds}
    assert kept["auto"] == kept["serial"] and kept["auto"].items() <= shown.items()
    assert len(kept["auto"]) > 2  # more than the two parsed files' bodies: some were carried on


def test_a_days_new_articles_resume_from_the_last_builds_tally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past WARMUP articles a build keeps its curation's tally (document frequencies a few days
    before its newest article); the next build, given newer articles, counts only the articles
    after it, and still equals a clean build. An older article edited: counted afresh, the same."""
    resumed: list[bool] = []
    real = TermIndex._resume
    monkeypatch.setattr(TermIndex, "_resume", lambda self, *a: resumed.append(bool(found := real(self, *a))) or found)
    root = tmp_path / "big"
    write_corpus(root, 1400, seed=5)
    build(root, executor="serial")
    config = load_config(root)
    tally = BuildCache(config.cache_dir).load_tally(settings_key(config))
    assert tally is not None and WARMUP <= tally.covered < 1400
    folder = root / "content/2026/03/21"
    folder.mkdir()
    for number in range(30):
        (folder / f"next-day-{number}.md").write_text(
            f"---\ntitle: Harbour {number} reopens after the storm\ndate: 2026-03-21T{number % 24:02d}:{number:02d}:00+00:00\n"
            f"summary: Port workers in Tavros cleared berth {number} overnight.\n---\n\nThe berth reopened.\n")
    build(root, executor="serial")
    assert resumed == [True]
    assert tree_bytes(root / "site") == clean_build(root)
    old = root / "content/2026/03/02/article-00070.md"
    old.write_text(old.read_text().replace("Kill Test Gazette", "Edited Gazette"))
    build(root, executor="serial")
    assert resumed == [True, False]
    assert tree_bytes(root / "site") == clean_build(root)


def test_an_early_parse_from_a_stale_stats_file_still_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The stats file (which files the cache holds) disagreeing with the cache either way: files
    parsed early that the cache holds keep their cached entry, and files it lacks are parsed."""
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    root = make_root(tmp_path)
    build(root)
    cache, key = load_config(root).cache_dir, settings_key(load_config(root))
    seen = BuildCache(cache).load_stats(key)
    paths = sorted(seen)
    # a shard's files lost: one folder's entries (the shards follow a hash of the folder's path,
    # and both folders can share one: deleting a shard file could lose every entry)
    store = BuildCache(cache)
    store.save_articles(key, {path: entry for path, entry in store.load_articles(key).items()
                              if "/2026/02/07/" not in path})
    stale = {path: (0, 0) if n % 2 else value for n, (path, value) in enumerate(sorted(seen.items()))}
    BuildCache(cache).save_stats(key, stale)
    add_article(root)
    report = build(root)
    assert 1 <= report.parsed < len(paths)  # type: ignore[attr-defined]
    assert tree_bytes(root / "site") == clean_build(root)


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    build(root)
    before = inodes(root / "site")
    path = root / "content/2026/02/08/minister-resigns.md"  # a later paragraph: the summary stays
    path.write_text(path.read_text().replace("next month", "next week"))
    report = build(root)
    after = inodes(root / "site")
    rewritten = sorted(path for path in after if after[path] != before.get(path))
    assert rewritten == [
        "2026/02/08/minister-resigns/index.html", "atom.xml", "feed.json", "feed.xml",
        "topics/politics/atom.xml", "topics/politics/feed.json", "topics/politics/feed.xml"]
    # the search index holds headlines and summaries: a later paragraph leaves it as it was
    assert report.search_files == 0  # type: ignore[attr-defined]
    assert report.written == len(rewritten)  # type: ignore[attr-defined]


def test_nothing_changed_does_nothing(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    build(root)
    before = inodes(root / "site")
    report = build(root)
    assert report.unchanged  # type: ignore[attr-defined]
    assert inodes(root / "site") == before


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    build(root, "serial-out", executor="serial", use_cache=False)
    build(root, "local-out", executor="local:2", use_cache=False)
    assert tree_bytes(root / "serial-out") == tree_bytes(root / "local-out")


def test_a_build_where_the_main_process_helps_equals_a_serial_build(tmp_path: Path) -> None:
    """`auto` on enough articles: one worker per core but one, and the main process renders too."""
    root = tmp_path / "root"
    write_corpus(root, 450, seed=3)
    build(root, "serial-out", executor="serial", use_cache=False)
    build(root, "auto-out", executor="auto", use_cache=False)
    assert tree_bytes(root / "serial-out") == tree_bytes(root / "auto-out")


def _numbers_and_process(chunk: Sequence[int]) -> list[tuple[int, int]]:
    time.sleep(0.005)
    return [(number, os.getpid()) for number in chunk]


def test_the_main_process_helps_and_results_keep_their_order() -> None:
    runner = LocalRunner(1, helps=True)
    try:
        results = list(run_chunks(runner, _numbers_and_process, range(600), 600))
    finally:
        runner.close()
    assert [number for number, _ in results] == list(range(600))
    processes = {pid for _, pid in results}
    assert os.getpid() in processes and len(processes) == 2  # this process and its one worker


@pytest.mark.parametrize("crash_at", [1, 2, 4, 6, 9])
def test_interrupted_commit_is_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int) -> None:
    root = make_root(tmp_path)
    build(root)
    site = root / "site"
    before = tree_bytes(site)
    add_article(root)
    edit_body(root)
    calls = {"n": 0}
    real_rename = os.rename

    def dying_rename(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == crash_at:  # somewhere while moving files aside and into place
            raise KeyboardInterrupt("power cut")
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", dying_rename)
    with pytest.raises(KeyboardInterrupt):
        build(root)
    monkeypatch.undo()
    # the crash may have left a mix of old and new files ...
    assert recover(site.resolve())  # ... which the next writer rolls back first
    assert tree_bytes(site) == before
    SiteWriter(site).abort()
    build(root)
    assert tree_bytes(site) == clean_build(root)


def test_frozen_heap_blocks_nest_and_only_the_outermost_unfreezes() -> None:
    assert gc.get_freeze_count() == 0
    with heap_frozen():
        kept = [object()]
        outer = gc.get_freeze_count()
        assert outer > 0
        with heap_frozen():  # as a worker pool does when it forks during a build
            pass
        assert gc.get_freeze_count() >= outer  # still hidden from the collector
        gc.freeze()
    assert gc.get_freeze_count() == 0 and kept


def test_a_template_change_keeps_every_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No feed is made from a template: editing one re-renders pages, never a feed."""
    from digest.feeds import syndication

    root = make_root(tmp_path)
    build(root)
    made: list[object] = []
    real = syndication.render_rss_atom
    monkeypatch.setattr(syndication, "render_rss_atom", lambda feed: made.append(feed) or real(feed))
    change_template(root)
    report = build(root, executor="serial")
    assert made == [] and report.rendered > 0  # type: ignore[attr-defined]
    assert tree_bytes(root / "site") == clean_build(root)
    assert made != []  # the clean build made them all
