"""The persistent build cache: entries round-trip, and files of another format are ignored."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from digest import __version__
from digest.cache import CACHE_FORMAT, BuildCache
from digest.config import load_config
from digest.content import read_articles
from digest.terms import RawTerms

from .conftest import FIXTURES


def test_cached_articles_keep_their_terms_and_older_formats_are_ignored(tmp_path: Path) -> None:
    article = read_articles(load_config(FIXTURES / "site-stories")).articles[0]
    cache = BuildCache(tmp_path)
    cache.save_articles("key", {"a.md": (1, 2, article, [])})
    assert article.url and article.sort_key  # worked out, and kept with it
    loaded = cache.load_articles("key")["a.md"][2]
    assert loaded == article and loaded.terms == article.terms
    assert type(loaded) is type(article) and loaded._asdict() == article._asdict()  # `url`, `sort_key` too
    assert gc.isenabled()  # paused while reading only
    assert cache.load_articles("other settings") == {}
    # written by another format: read as empty, so every file is parsed again
    for shard in (tmp_path / "articles").iterdir():
        with open(shard, "wb") as handle:
            pickle.dump(((CACHE_FORMAT - 1, __version__), ("key", {"a.md": (1, 2, article, [])})), handle)
    assert BuildCache(tmp_path).load_articles("key") == {}


def shard_times(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (folder / "articles").iterdir()}


def test_only_the_shards_whose_entries_changed_are_written_again(tmp_path: Path) -> None:
    entries = {f"content/2026/01/{day:02d}/{n}.md": (day, n, None, []) for day in range(1, 31) for n in range(5)}
    BuildCache(tmp_path).save_articles("key", entries)
    assert len(shard_times(tmp_path)) > 10 and not (tmp_path / "articles.pickle").exists()
    cache = BuildCache(tmp_path)
    loaded = cache.load_articles("key")
    assert loaded == entries
    before = shard_times(tmp_path)
    # a day's new files and a deleted day, the rest kept as loaded (the same entry objects)
    changed = {path: entry for path, entry in loaded.items() if "/01/30/" not in path}
    changed.update({f"content/2026/02/01/{n}.md": (32, n, None, []) for n in range(5)})
    cache.save_articles("key", changed)
    after = shard_times(tmp_path)
    rewritten = {name for name in after if before.get(name) != after[name]}
    touched = {name for name in before if name not in after} | rewritten
    assert 1 <= len(touched) <= 2  # the new folder's shard and the deleted folder's (maybe one)
    assert BuildCache(tmp_path).load_articles("key") == changed
    # other settings: every shard is written again
    cache.save_articles("other", changed)
    assert BuildCache(tmp_path).load_articles("key") == {}


def test_shards_saved_by_a_forked_copy_are_adopted_and_not_written_again(tmp_path: Path) -> None:
    """A build's feeds' child saves the article shards; the parent adopts them, so its next save
    (in the preview server) rewrites only the shard whose entries changed since."""
    entries = {f"content/2026/01/{day:02d}/{n}.md": (day, n, None, []) for day in range(1, 31) for n in range(5)}
    BuildCache(tmp_path).save_articles("key", entries)  # as the child would
    before = shard_times(tmp_path)
    parent = BuildCache(tmp_path)
    parent.adopt_articles("key", dict(entries))
    changed = dict(entries)
    changed["content/2026/01/05/0.md"] = (99, 0, None, [])
    parent.save_articles("key", changed)
    after = shard_times(tmp_path)
    assert len([name for name in after if before[name] != after[name]]) == 1
    assert BuildCache(tmp_path).load_articles("key") == changed
    # adopted under other settings: every shard is written again
    other = BuildCache(tmp_path)
    other.adopt_articles("other", dict(changed))
    other.save_articles("key", changed)
    assert all(after[name] != time for name, time in shard_times(tmp_path).items())


def test_only_a_killed_process_s_half_written_files_are_removed(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.save_articles("key", {"content/a.md": (1, 2, None, [])})
    left = [tmp_path / "articles/.07.pickle.4242.k2j_x9", tmp_path / ".articles-stats.pickle.4242.ab3"]
    kept = [tmp_path / "articles/.07.pickle.14242.k2j_x9", tmp_path / "curation/.2026-01.pickle.424.zz"]
    for path in left + kept:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"half")
    cache.remove_temporary(4242)
    assert [path.exists() for path in left + kept] == [False, False, True, True]
    assert cache.load_articles("key") == {"content/a.md": (1, 2, None, [])}


def test_a_corrupt_shard_loses_only_its_entries(tmp_path: Path) -> None:
    entries = {f"content/{folder}/a.md": (1, 2, None, []) for folder in range(40)}
    BuildCache(tmp_path).save_articles("key", entries)
    broken = sorted((tmp_path / "articles").iterdir())[0]
    broken.write_bytes(b"not a pickle")
    loaded = BuildCache(tmp_path).load_articles("key")
    assert 0 < len(loaded) < len(entries) and all(loaded[path] == entries[path] for path in loaded)


def test_a_shard_keeps_each_term_once_and_reads_it_back_shared(tmp_path: Path) -> None:
    articles = read_articles(load_config(FIXTURES / "site-stories")).articles[:6]
    # terms as two earlier loads would leave them: equal strings that are distinct objects
    copies = [a._replace(terms=RawTerms(tuple("".join(list(t)) for t in a.terms.terms), a.terms.weights))
              for a in articles]
    entries = {f"content/day/{n}.md": (n, n, article, []) for n, article in enumerate(articles + copies)}
    BuildCache(tmp_path).save_articles("key", entries)
    assert len(list((tmp_path / "articles").iterdir())) == 1  # one folder: one shard
    loaded = [entry[2] for entry in BuildCache(tmp_path).load_articles("key").values()]
    assert [a.terms for a in loaded] == [a.terms for a in articles + copies]
    held: dict[str, str] = {}
    for article in loaded:
        for term in article.terms.terms:
            assert held.setdefault(term, term) is term  # one object per distinct term


def test_the_stats_file_round_trips_and_another_shape_reads_as_none(tmp_path: Path) -> None:
    from digest.cache import STATS

    cache = BuildCache(tmp_path)
    stats = {"content/a.md": (1_700_000_000_123_456_789, 12), "content/é b.md": (5, 0)}
    cache.save_stats("key", stats)
    assert cache.load_stats("key") == stats and cache.load_stats("other settings") == {}
    cache._save(STATS, ("key", dict(stats)))  # the shape of format 8
    assert cache.load_stats("key") == {}
    cache.save_stats("key", {})
    assert cache.load_stats("key") == {}
