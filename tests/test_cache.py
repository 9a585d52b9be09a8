"""The persistent build cache: entries round-trip, and files of another format are ignored."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from digest import __version__
from digest.cache import CACHE_FORMAT, BuildCache
from digest.config import load_config
from digest.content import read_articles

from .conftest import FIXTURES


def test_cached_articles_keep_their_terms_and_older_formats_are_ignored(tmp_path: Path) -> None:
    article = read_articles(load_config(FIXTURES / "site-stories")).articles[0]
    cache = BuildCache(tmp_path)
    cache.save_articles("key", {"a.md": (1, 2, article, [])})
    loaded = cache.load_articles("key")["a.md"][2]
    assert loaded == article and loaded.terms == article.terms
    assert gc.isenabled()  # paused while reading only
    assert cache.load_articles("other settings") == {}
    # written before articles carried their terms: read as empty, so every file is parsed again
    with open(tmp_path / "articles.pickle", "wb") as handle:
        pickle.dump(((CACHE_FORMAT - 1, __version__), ("key", {"a.md": (1, 2, article, [])})), handle)
    assert cache.load_articles("key") == {}
