"""The persistent build cache in `.digest-cache/`: parsed articles, the last curation, and what
the output holds.

Everything in it can be thrown away (`digest build --no-cache`, or deleting the folder); it only
saves work. Entries are keyed so that a stale entry can never be used: articles by file
(modification time and size) plus the settings that shape them, the output manifest by output
folder, and all of it by digest's version.

Articles are kept in `ARTICLE_SHARDS` files, a content folder's files all in the same one, and a
build rewrites only the files whose entries changed: a day's new articles (one folder) rewrite
one file, not all 10,000 entries. The curation memo (`curation.Memo`) is sharded the same way,
by the articles' month; beside it, the tally of its document frequencies (`terms.Tally`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import is_, itemgetter
from pathlib import Path
from typing import IO, Any

from . import __version__
from .executor import collector_paused
from .terms import cache_pickler
from .writer import Manifest

# 4: articles carry their raw terms (`Article.terms`); 5: articles in shards; 6: SHA-256 content
# and file hashes (`content.hash_text`, `writer.hash_bytes`); 7: the curation memo; 8: articles
# keep their `url` and `sort_key`; 9: articles written as tuples (`terms.cache_pickler`), the
# curation's tally; 10: articles keep `updated_w3c`; 11: articles are named tuples (`models.Article`)
CACHE_FORMAT = 11
ARTICLE_SHARDS = 64
ARTICLES = "articles"  # the folder of the article shards
CURATION = "curation"  # the folder of the curation memo's shards (`curation.Memo`)
STATS = "articles-stats.pickle"  # the file stats of the cached articles (`load_stats`)
TALLY = "curation-tally.pickle"  # where the last curation's weighing ended (`terms.Tally`)


@dataclass
class OutputState:
    """What the last successful build left in one output folder."""

    fingerprint: str = ""  # of every input, to answer "nothing changed?" from file stats alone
    manifest: Manifest = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)  # body hash -> HTML, for feed entries
    search: dict[str, list[str]] | None = None  # the search bundles' files (`SearchReport.bundles`)


class BuildCache:
    """Load and save cache files atomically; a corrupt or foreign file counts as empty."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        # what each sharded store's shards hold on disk, as last loaded or saved: unchanged ones
        # are kept (a function makes them when they were saved by a forked copy, see `adopt_articles`)
        self._shards: dict[str, dict[str, dict[str, Any]] | Callable[[], dict[str, dict[str, Any]]]] = {}
        self._shards_key: dict[str, str] = {}

    def _path(self, name: str) -> Path | None:
        return self.folder / name if self.folder else None

    def _load(self, name: str) -> Any:
        path = self._path(name)
        if path is None or not path.exists():
            return None
        try:
            with open(path, "rb") as handle, collector_paused():
                stamp, payload = pickle.load(handle)
        except Exception:  # an unreadable cache is only a slower build
            return None
        return payload if stamp == (CACHE_FORMAT, __version__) else None

    def _save(
        self, name: str, payload: Any, pickler: Callable[[IO[bytes], int], pickle.Pickler] = pickle.Pickler,
    ) -> None:
        path = self._path(name)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # named for this process: one killed while writing leaves a file `remove_temporary` finds
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickler(stream, pickle.HIGHEST_PROTOCOL).dump(((CACHE_FORMAT, __version__), payload))
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def load_articles(self, settings_key: str) -> dict[str, Any]:
        """path -> (mtime_ns, size, Article | None, warnings) for the same settings."""
        return self._load_shards(ARTICLES, settings_key)

    def save_articles(self, settings_key: str, entries: dict[str, Any]) -> None:
        """Rewrite the shards whose entries differ from what they hold; remove emptied ones."""
        changed = self._save_shards(ARTICLES, settings_key, _group_by_shard(entries))
        if self.folder is not None:
            (self.folder / "articles.pickle").unlink(missing_ok=True)  # the unsharded file of format 4
            if changed or not (self.folder / STATS).exists():  # it follows the shards
                self.save_stats(settings_key, dict(zip(entries, map(_STAMP, entries.values()))))

    def adopt_articles(self, settings_key: str, entries: dict[str, Any]) -> None:
        """Take the article shards as saved from these entries by a forked copy of this process
        (its `save_articles`): the next save here rewrites only the shards that differ from them.
        The shards are grouped only if that save comes."""
        self._adopt(ARTICLES, settings_key, functools.partial(_group_by_shard, entries))

    def save_stats(self, settings_key: str, stats: Mapping[str, tuple[int, int]]) -> None:
        """path -> (mtime_ns, size) of the files the article cache holds (see `load_stats`); the
        paths as one string and the numbers as arrays, written and read in C."""
        self._save(STATS, (settings_key, ("\0".join(stats), array("q", map(_MTIME, stats.values())).tobytes(),
                                          array("q", map(_SIZE, stats.values())).tobytes())))

    def load_stats(self, settings_key: str) -> dict[str, tuple[int, int]]:
        """path -> (mtime_ns, size) of every file the article cache holds, read without the
        articles themselves (a few milliseconds where the articles take a tenth of a second)."""
        payload = self._load(STATS)
        try:
            key, (joined, mtimes, sizes) = payload
            if key != settings_key or not joined:
                return {}
            return dict(zip(joined.split("\0"), zip(array("q", mtimes), array("q", sizes)), strict=True))
        except (TypeError, ValueError):  # none, or not of this shape: no stats
            return {}

    def load_curation(self, settings_key: str) -> dict[str, Any]:
        """The last build's curation memo (`curation.Memo`) for the same settings, or {}."""
        return self._load_shards(CURATION, settings_key)

    def save_curation(self, settings_key: str, shards: dict[str, dict[str, Any]]) -> None:
        """The curation memo in shards (by month: an increment changes the newest one only)."""
        self._save_shards(CURATION, settings_key, _curation_files(shards))

    def adopt_curation(self, settings_key: str, shards: Callable[[], dict[str, dict[str, Any]]]) -> None:
        """As `adopt_articles`, for the curation memo saved by a forked copy (`shards` makes what
        it gave `save_curation`)."""
        self._adopt(CURATION, settings_key, lambda: _curation_files(shards()))

    def load_tally(self, settings_key: str) -> Any:
        """The last curation's `terms.Tally` for the same settings, or None."""
        payload = self._load(TALLY)
        if isinstance(payload, tuple) and len(payload) == 2 and payload[0] == settings_key:
            return payload[1]
        return None

    def save_tally(self, settings_key: str, tally: Any) -> None:
        if tally is None:
            if self.folder is not None:
                (self.folder / TALLY).unlink(missing_ok=True)
            return
        self._save(TALLY, (settings_key, tally))

    def _load_shards(self, store: str, settings_key: str) -> dict[str, Any]:
        """Every entry of a sharded store saved with the same settings (remembering each shard)."""
        shards: dict[str, dict[str, Any]] = {}
        self._shards[store] = shards
        self._shards_key[store] = settings_key
        folder = self._path(store)
        if folder is None or not folder.is_dir():
            return {}
        entries: dict[str, Any] = {}
        with collector_paused():  # across the shards too, not only while each is read
            for name in sorted(os.listdir(folder)):
                if not name.endswith(".pickle") or name.startswith("."):  # temporary files start with a dot
                    continue
                payload = self._load(f"{store}/{name}")
                if isinstance(payload, tuple) and len(payload) == 2 and payload[0] == settings_key \
                        and isinstance(payload[1], dict):
                    shards[name] = payload[1]
                    entries.update(payload[1])
        return entries

    def _save_shards(self, store: str, settings_key: str, shards: dict[str, dict[str, Any]]) -> bool:
        """Rewrite the shards whose entries differ from what they hold; remove emptied ones.
        True when any shard was written or removed."""
        if self.folder is None:
            return False
        same_settings = settings_key == self._shards_key.get(store)
        known = self._shards.get(store, {})
        if callable(known):
            known = known()
        changed = False
        for name, shard in shards.items():
            if not (same_settings and _same_entries(known.get(name), shard)):
                self._save(f"{store}/{name}", (settings_key, shard), cache_pickler)
                changed = True
        folder = self.folder / store
        for name in os.listdir(folder) if folder.is_dir() else ():
            if name.endswith(".pickle") and name not in shards:
                (folder / name).unlink(missing_ok=True)
                changed = True
        self._shards[store], self._shards_key[store] = shards, settings_key
        return changed

    def _adopt(self, store: str, settings_key: str, shards: Callable[[], dict[str, dict[str, Any]]]) -> None:
        if self.folder is not None:
            self._shards[store], self._shards_key[store] = shards, settings_key

    def remove_temporary(self, pid: int) -> None:
        """Remove the files a process killed while saving (`pid`) left half-written."""
        if self.folder is None:
            return
        for folder in (self.folder, self.folder / ARTICLES, self.folder / CURATION):
            for name in os.listdir(folder) if folder.is_dir() else ():
                if name.startswith(".") and name.rsplit(".", 2)[-2:-1] == [str(pid)]:  # see `_save`
                    (folder / name).unlink(missing_ok=True)

    def load_output(self, out_dir: Path) -> OutputState | None:
        payload = self._load(f"output-{_folder_key(out_dir)}.pickle")
        return payload if isinstance(payload, OutputState) else None

    def save_output(self, out_dir: Path, state: OutputState) -> None:
        self._save(f"output-{_folder_key(out_dir)}.pickle", state)
        # the fingerprint alone, so a build with nothing to do need not read the manifest
        self._save(f"output-{_folder_key(out_dir)}.fingerprint", state.fingerprint)

    def load_fingerprint(self, out_dir: Path) -> str | None:
        payload = self._load(f"output-{_folder_key(out_dir)}.fingerprint")
        return payload if isinstance(payload, str) else None

    def forget_output(self, out_dir: Path) -> None:
        for suffix in ("pickle", "fingerprint"):
            path = self._path(f"output-{_folder_key(out_dir)}.{suffix}")
            if path is not None:
                path.unlink(missing_ok=True)


def _group_by_shard(entries: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Entries by the shard file they belong in: the one their content folder hashes to."""
    shards: dict[str, dict[str, Any]] = {}
    folder, shard = None, {}
    # the entries come in path order, so a folder's files follow each other: its shard is
    # looked up once per folder, not once per file (this runs on every build)
    for path, entry in entries.items():
        head = path.rpartition(os.sep)[0]
        if head != folder:
            folder = head
            digest = hashlib.blake2b(folder.encode("utf-8", "surrogateescape"), digest_size=4).digest()
            shard = shards.setdefault(f"{int.from_bytes(digest, 'big') % ARTICLE_SHARDS:02d}.pickle", {})
        shard[path] = entry
    return shards


def _curation_files(shards: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The curation memo's shards by file name."""
    return {f"{name}.pickle": shard for name, shard in shards.items()}


def _same_entries(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether a shard is unchanged: the same files, each with the very entry loaded or saved
    (a build keeps the cached entry object of every file it did not parse again)."""
    return old is not None and len(old) == len(new) and all(map(is_, map(old.get, new), new.values()))


_STAMP = itemgetter(0, 1)  # an article entry's (mtime, size)
_MTIME, _SIZE = itemgetter(0), itemgetter(1)


def _folder_key(out_dir: Path) -> str:
    return hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=8).hexdigest()
