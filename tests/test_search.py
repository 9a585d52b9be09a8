"""The Pagefind search index: built from the staged pages, swapped in with them, deterministic."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import time
from collections.abc import Callable
from itertools import chain
from pathlib import Path

import pytest
from click.testing import Result

from digest.build import BuildOptions, build_site
from digest.errors import BuildAborted, DigestError
from digest.search import find_pagefind

from .conftest import FIXTURES, config_for, tree_bytes


def fixture_root(tmp_path: Path) -> Path:
    root = tmp_path / "site-basic"
    shutil.copytree(FIXTURES / "site-basic", root)
    return root


def bundle(out: Path) -> dict[str, bytes]:
    return {name: data for name, data in tree_bytes(out).items() if name.startswith("pagefind/")}


def test_index_holds_every_article_and_only_what_the_page_needs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = build_site(config_for(fixture_root(tmp_path), output_dir=str(out)))
    files = bundle(out)
    assert report.search_files == len(files) > 0
    entry = json.loads(files["pagefind/2026/pagefind-entry.json"])
    (language,) = entry["languages"].values()
    assert language["page_count"] == 4  # the four published articles; the draft and list pages are not indexed
    assert "pagefind/2026/pagefind.js" in files  # one bundle per year: the fixture's are all of 2026
    assert not [name for name in files if "-ui." in name or "highlight" in name]  # our page has its own script
    search_page = (out / "search/index.html").read_text()
    assert 'data-bundles="/news/pagefind/2026/"' in search_page and 'data-base="/news/"' in search_page


def test_two_builds_give_a_byte_identical_index(tmp_path: Path) -> None:
    root = fixture_root(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    build_site(config_for(root, output_dir=str(first)))
    build_site(config_for(root, output_dir=str(second)))
    assert bundle(first) == bundle(second)
    # rebuilding in place (a new staging folder swapped over the old site) changes nothing either
    before = tree_bytes(first)
    build_site(config_for(root, output_dir=str(first)))
    assert tree_bytes(first) == before


def test_index_follows_the_content(tmp_path: Path) -> None:
    root = fixture_root(tmp_path)
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out)))
    before = bundle(out)
    (root / "content/2026/02/08/storm-closes-port.md").unlink()
    build_site(config_for(root, output_dir=str(out)))
    after = bundle(out)
    assert json.loads(after["pagefind/2026/pagefind-entry.json"]) != json.loads(before["pagefind/2026/pagefind-entry.json"])
    assert not (out / "2026/02/08/storm-closes-port").exists()


def test_index_is_kept_when_no_article_page_changed(tmp_path: Path) -> None:
    root = fixture_root(tmp_path)
    out = tmp_path / "out"
    first = build_site(config_for(root, output_dir=str(out)))
    assert first.search_files > 0
    before = bundle(out)
    config = root / "digest.toml"  # a topic description shows on topic pages, not on articles
    config.write_text(config.read_text().replace("Money and markets.", "Money, trade and markets."))
    second = build_site(config_for(root, output_dir=str(out)))
    assert second.search_files == 0 and bundle(out) == before
    assert "Money, trade and markets." in (out / "topics/economy/index.html").read_text()


def test_incremental_index_equals_a_clean_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from digest import search

    full_keys: list[int] = []  # the articles of each year whose full key was made
    real = search.index_key
    monkeypatch.setattr(search, "index_key", lambda program, config, articles: full_keys.append(len(articles))
                        or real(program, config, articles))
    root = fixture_root(tmp_path)
    out, clean = tmp_path / "out", tmp_path / "clean"
    build_site(config_for(root, output_dir=str(out)))
    path = root / "content/2026/02/07/market-prices.md"
    path.write_text(path.read_text() + "\nTraders expect calmer prices in spring.\n")
    full_keys.clear()
    report = build_site(config_for(root, output_dir=str(out)))
    assert report.search_files == 0  # the index holds headlines and summaries: a later paragraph is not in it
    assert full_keys == [4]  # the fingerprints changed: the full key tells the documents did not
    other = root / "content/2026/02/08/storm-closes-port.md"  # another body edit: the same again
    other.write_text(other.read_text() + "\nThe ferry waits.\n")
    full_keys.clear()
    build_site(config_for(root, output_dir=str(out)))
    assert full_keys == [4]
    # no fingerprint changes (a topic's description shows on topic pages only): the quick part decides
    config_toml = root / "digest.toml"
    config_toml.write_text(config_toml.read_text().replace("Money and markets.", "Money, trade and markets."))
    full_keys.clear()
    assert build_site(config_for(root, output_dir=str(out))).search_files == 0 and full_keys == []
    path.write_text(path.read_text().replace("rose for a third week", "rose for a fourth week"))
    report = build_site(config_for(root, output_dir=str(out)))  # the summary changed: index again
    assert report.search_files > 0
    build_site(config_for(root, output_dir=str(clean)), BuildOptions(use_cache=False))
    assert bundle(out) == bundle(clean)


def add_article(root: Path, day: str, slug: str, title: str, summary: str) -> Path:
    path = root / "content" / day.replace("-", "/") / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: {day}T10:00:00+00:00\nsource: Meridian Wire\n"
                    f"summary: {summary}\n---\n\n{summary}\n")
    return path


def years_of(files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """The index's files by bundle (year)."""
    grouped: dict[str, dict[str, bytes]] = {}
    for name, data in files.items():
        grouped.setdefault(name.split("/")[1], {})[name] = data
    return grouped


def test_each_year_has_its_bundle_and_a_new_article_indexes_its_year_only(tmp_path: Path) -> None:
    root = fixture_root(tmp_path)
    old = add_article(root, "2025-12-30", "harbour-fund", "Harbour fund approved", "The council approved a harbour fund.")
    out, clean = tmp_path / "out", tmp_path / "clean"
    first = build_site(config_for(root, output_dir=str(out)))
    bundles = years_of(bundle(out))
    assert sorted(bundles) == ["2025", "2026"] and first.search_files == len(bundle(out))
    pages = {year: json.loads(files[f"pagefind/{year}/pagefind-entry.json"]) for year, files in bundles.items()}
    assert [next(iter(entry["languages"].values()))["page_count"] for entry in pages.values()] == [1, 4]
    assert 'data-bundles="/news/pagefind/2026/ /news/pagefind/2025/"' in (out / "search/index.html").read_text()

    add_article(root, "2026-02-09", "port-reopens", "Port reopens", "The northern port reopened on Monday.")
    report = build_site(config_for(root, output_dir=str(out)))
    after = years_of(bundle(out))
    assert after["2025"] == bundles["2025"]  # kept as it was: only 2026 was indexed again
    assert after["2026"] != bundles["2026"] and report.search_files == len(after["2026"])
    build_site(config_for(root, output_dir=str(clean)), BuildOptions(use_cache=False))
    assert bundle(out) == bundle(clean)

    old.unlink()  # the year's last article: its bundle goes, and the search page stops loading it
    report = build_site(config_for(root, output_dir=str(out)))
    assert sorted(years_of(bundle(out))) == ["2026"] and report.search_files == 0
    assert 'data-bundles="/news/pagefind/2026/"' in (out / "search/index.html").read_text()
    assert not (out / "pagefind/2025").exists()


def test_the_bundles_files_are_remembered_and_a_wrong_memory_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The output state lists each bundle's files, so the next build finds them without a pass
    over every file of the site; a list that does not match the last build's files is ignored."""
    from digest import search
    from digest.cache import BuildCache

    root = fixture_root(tmp_path)
    add_article(root, "2025-12-30", "harbour-fund", "Harbour fund approved", "The council approved a harbour fund.")
    out, clean = tmp_path / "out", tmp_path / "clean"
    config = config_for(root, output_dir=str(out))
    build_site(config)
    state = BuildCache(config.cache_dir).load_output(out)
    assert state is not None and state.search is not None
    assert sorted(state.search) == ["pagefind/2025", "pagefind/2026"]
    assert sorted(chain.from_iterable(state.search.values())) == sorted(bundle(out))
    scans: list[int] = []  # passes over the last build's files
    real = search.methodcaller
    monkeypatch.setattr(search, "methodcaller", lambda name, *args: scans.append(1) or real(name, *args))
    add_article(root, "2026-02-09", "port-reopens", "Port reopens", "The northern port reopened on Monday.")
    build_site(config)
    assert scans == []
    state = BuildCache(config.cache_dir).load_output(out)
    assert state is not None and state.search is not None
    assert sorted(chain.from_iterable(state.search.values())) == sorted(bundle(out))
    state.search["pagefind/2025"] = ["pagefind/2025/not-there.pf_meta"]  # a memory that is wrong
    BuildCache(config.cache_dir).save_output(out, state)
    add_article(root, "2026-02-10", "port-busy", "Port busy again", "Ships queued at the northern port.")
    build_site(config)
    assert scans  # found among the files again
    build_site(config_for(root, output_dir=str(clean)), BuildOptions(use_cache=False))
    assert bundle(out) == bundle(clean)


def test_articles_are_grouped_by_year_newest_first() -> None:
    from types import SimpleNamespace
    import datetime as dt
    from digest.search import articles_by_year

    days = ["2026-01-02", "2026-01-01", "2025-12-31", "2025-06-01", "2025-01-01", "2023-05-05"]
    articles = [SimpleNamespace(day=dt.date.fromisoformat(day)) for day in days]
    grouped = articles_by_year(articles)  # type: ignore[arg-type]
    assert list(grouped) == [2026, 2025, 2023]
    assert [[a.day.isoformat() for a in group] for group in grouped.values()] == [days[:2], days[2:5], days[5:]]
    assert articles_by_year([]) == {}


def test_full_text_search_indexes_the_body(tmp_path: Path) -> None:
    from digest.build import load_site
    from digest.search import search_document

    root = fixture_root(tmp_path)
    config = config_for(root)
    site, _ = load_site(config)
    headlines = b"".join(search_document(article, config)[1] for article in site.articles)
    with_bodies = config.with_overrides(search_full_text=True)
    full = b"".join(search_document(article, with_bodies)[1] for article in site.articles)
    assert b"Her party will choose a new leader next month." not in headlines
    assert b"Her party will choose a new leader next month." in full
    assert b"Minister resigns after election defeat" in headlines


def test_a_bundle_key_follows_every_field_its_documents_show(tmp_path: Path) -> None:
    """The key is made without the documents: it must change whenever one of them would."""
    import dataclasses
    import datetime as dt

    from digest.build import load_site
    from digest.models import Image
    from digest.search import index_key, search_document

    root = fixture_root(tmp_path)
    config = config_for(root)
    site, _ = load_site(config)
    article = site.articles[0]
    program = Path(os.__file__)  # any file: the key reads its size and time
    changes = {
        "title": "Another headline", "summary": "Another summary.", "tags": ("new-tag",),
        "topics": ("economy",), "image": Image("Another caption", None), "source": "Another Wire",
        "date": article.date + dt.timedelta(minutes=5),
    }
    for full_text in (False, True):
        settings = dataclasses.replace(config, search_full_text=full_text)
        key = index_key(program, settings, [article])
        for field, value in changes.items():
            changed = article._replace(**{field: value})
            assert search_document(changed, settings) != search_document(article, settings)
            assert index_key(program, settings, [changed]) != key, field
        body = article._replace(body_hash="another body")
        assert (index_key(program, settings, [body]) != key) is full_text
    renamed = dataclasses.replace(config, topics=tuple(dataclasses.replace(t, name=t.name + "!") for t in config.topics))
    assert index_key(program, renamed, [article]) != index_key(program, config, [article])


def fake_pagefind(tmp_path: Path, script: str) -> Path:
    program = tmp_path / "fake-pagefind"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_a_failing_index_leaves_the_previous_site_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = fixture_root(tmp_path)
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out)))
    before = tree_bytes(out)
    (root / "content/2026/02/08/minister-resigns.md").unlink()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, "echo 'Error: disk full' >&2\nexit 3\n")))
    with pytest.raises(DigestError, match=r"the search index failed \(Pagefind exit status 3\): Error: disk full"):
        build_site(config_for(root, output_dir=str(out)))
    assert tree_bytes(out) == before  # the pages staged before the index never reached the site
    assert not (out.parent / ".out.digest" / "staging").exists()


def test_a_failing_page_stops_pagefind_and_leaves_no_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pagefind runs beside the pages; when a page fails, the build stops it and removes its folder."""
    root = fixture_root(tmp_path)
    out = tmp_path / "out"
    program = fake_pagefind(tmp_path, "exec sleep 60\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/article.html").write_text("{{ 1 // 0 }}")
    with pytest.raises(Exception):
        build_site(config_for(root, output_dir=str(out)))
    assert not running(str(program)) and not running("sleep 60")  # killed and reaped
    work = out.parent / ".out.digest"
    assert not list(work.glob("search-*")) and not out.exists()


def test_copies_are_not_indexed_and_a_failed_collation_stops_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The index starts before curation, on the published articles: a copy (`duplicate_of`) is
    left out as its page is; when collating fails, Pagefind is stopped and its folder removed."""
    root = fixture_root(tmp_path)
    out = tmp_path / "out"
    original = add_article(root, "2026-02-09", "port-reopens", "Port reopens", "The northern port reopened.")
    original.write_text(original.read_text().replace("---\ntitle:", "---\nid: port-reopens-1\ntitle:", 1))
    copy = add_article(root, "2026-02-09", "port-reopens-again", "Port reopens", "The northern port reopened.")
    copy.write_text(copy.read_text().replace("---\ntitle:", "---\nduplicate_of: port-reopens-1\ntitle:", 1))
    build_site(config_for(root, output_dir=str(out)))
    entry = json.loads(bundle(out)["pagefind/2026/pagefind-entry.json"])
    assert next(iter(entry["languages"].values()))["page_count"] == 5  # the four, and the original
    assert not (out / "2026/02/09/port-reopens-again").exists()

    # Pagefind runs while the articles are collated: a failure there stops it
    started = tmp_path / "started"
    program = fake_pagefind(tmp_path, f"touch {started}\nexec sleep 60\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    add_article(root, "2026-02-10", "dock-strike", "Dock strike", "Dockers walked out.")

    def failing_collation(*args: object, **kwargs: object) -> None:
        for _ in range(500):
            if started.exists():
                break
            time.sleep(0.01)
        raise DigestError("collation failed")

    monkeypatch.setattr("digest.build.curate_apart", failing_collation)
    before = tree_bytes(out)
    with pytest.raises(DigestError, match="collation failed"):
        build_site(config_for(root, output_dir=str(out)))
    assert started.exists()
    assert not running(str(program)) and not running("sleep 60")  # killed and reaped
    assert not list((tmp_path / ".out.digest").glob("search-*")) and tree_bytes(out) == before


def running(command: str) -> list[int]:
    """Processes of this test's own making whose command line holds `command` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat_fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if command in line and int(stat_fields[1]) == os.getpid():
                found.append(int(entry.name))
    return found


def test_a_missing_pagefind_program_says_how_to_fix_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-program"))
    with pytest.raises(DigestError, match=r"pip install 'pagefind\[bin\]'.*--no-search.*search = false"):
        build_site(config_for(fixture_root(tmp_path), output_dir=str(tmp_path / "out")))


def test_the_pagefind_program_ships_with_the_python_package() -> None:
    program = find_pagefind()
    assert program.is_file() and os.access(program, os.X_OK)


def test_without_the_package_a_pagefind_on_the_path_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import digest.search

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setattr(digest.search, "_package_folders", lambda package: [])
    folder = tmp_path / "bin"
    folder.mkdir()
    program = fake_pagefind(folder, "exit 0\n").rename(folder / "pagefind")
    monkeypatch.setenv("PATH", str(folder))
    assert find_pagefind() == program
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(DigestError, match=r"search needs the Pagefind program; install it with"):
        find_pagefind()


def test_search_off_builds_no_index_no_page_and_no_link(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = build_site(config_for(fixture_root(tmp_path), output_dir=str(out), search=False))
    assert report.search_files == 0
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    home = (out / "index.html").read_text()
    assert "/news/search/" not in home and "SearchAction" not in home


def test_build_option_no_search(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = fixture_root(tmp_path)
    result = cli(root, "build", "--no-search", "--out", "plain")
    assert result.exit_code == 0, result.output
    assert not (root / "plain/pagefind").exists()
    result = cli(root, "build", "--out", "searchable")
    assert result.exit_code == 0, result.output
    assert (root / "searchable/pagefind/2026/pagefind.js").is_file()


def test_search_setting_must_be_true_or_false(make_site: Callable[..., Path]) -> None:
    root = make_site({}, config='search = "yes"\n')
    with pytest.raises(BuildAborted) as caught:
        config_for(root)
    assert "digest.toml:1: `search` must be true or false, got 'yes'" in "\n".join(caught.value.lines())


def test_a_site_without_articles_has_no_search(make_site: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(config_for(make_site({}), output_dir=str(out)))
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert (out / "index.html").is_file()
