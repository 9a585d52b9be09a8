"""The search index: Pagefind run over the build's articles before the commit.

Pagefind (the `pagefind[bin]` package ships its program) reads one small search document per
article (see `search_document`), written at the article page's path in a private folder of
the writer's work folder, and writes its index to another private folder; every file of that
bundle then goes through the writer like a page, so the index is part of the same commit and
the writer stays the only one writing the site.

The index is one bundle per year of articles (`pagefind/2026/`, `pagefind/2025/`, ...), which
the search page merges into one search (Pagefind's `mergeIndex`). Pagefind cannot update an
index, only make it again; a year whose articles' search documents would all be as they were
(see `quick_key`, `index_key`) keeps its bundle as it is, so a day's new articles index the current year
again, not the whole archive (at 10,000 articles over three years: a few hundred documents
instead of 10,000).

Pagefind names its files by content hash and writes them in a stable form, so two builds of the
same pages give the same bytes (`tests/test_search.py` checks it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import shutil
import subprocess
import tempfile
import time
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import TYPE_CHECKING

from html import escape

from . import __version__, urls
from .collate import Site
from .config import Config
from .content import read_body
from .errors import DigestError
from .models import Article, fingerprints_hash
from .text import plain_text
from .views import format_day

if TYPE_CHECKING:
    from .writer import SiteWriter

INSTALL_HINT = (
    "install it with `pip install 'pagefind[bin]'`, or build without search "
    "(`digest build --no-search` or `search = false` in digest.toml)"
)
PRODUCER = "search index"
# Pagefind's ready-made interfaces: the search page has its own small script instead.
UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


@dataclass(frozen=True)
class SearchReport:
    files: int  # written this time; 0 when every year's previous bundle was kept
    seconds: float
    bundles: dict[str, list[str]]  # each bundle's folder -> its files, as the writer now holds them


INDEX_PREFIX = urls.search_bundle().path + "/"  # every file of the index is under it


def is_index_file(rel_path: str) -> bool:
    return rel_path.startswith(INDEX_PREFIX)


def find_pagefind() -> Path:
    """The Pagefind program: $PAGEFIND_BINARY_PATH, else the one the `pagefind[bin]` package
    ships (found where `pagefind.service.get_executable` looks, without importing it: that
    imports asyncio, a tenth of a second on every build), else one on the PATH."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return Path(override)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        for folder in _package_folders(package):
            for name in ("pagefind_extended", "pagefind", "pagefind_extended.exe", "pagefind.exe"):
                if (folder / name).is_file():
                    return folder / name
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise DigestError(f"search needs the Pagefind program; {INSTALL_HINT}")
    return Path(found)


def _package_folders(package: str) -> list[Path]:
    """Where an installed package's files are, without importing it; [] when it is missing."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return []
    return [Path(folder) for folder in (spec.submodule_search_locations or [])] if spec is not None else []


def search_document(article: Article, config: Config) -> tuple[str, bytes]:
    """An article's search document, at its page's path: exactly what the index holds.

    By default that is the headline, summary, caption, tags and topics: Pagefind indexes about
    a thousand of these in half a second, against ten times that for whole pages. With
    `search_full_text` the body's text is added. `document_inputs` names what it reads.
    """
    topics = [config.topic(slug) for slug in article.topics]
    parts = [
        f"<h1>{escape(article.title)}</h1>",
        f"<p>{escape(article.summary)}</p>",
        f"<p>{escape(' '.join(article.tags))} {escape(' '.join(t.name for t in topics if t))}</p>",
    ]
    if article.image is not None and article.image.caption:
        parts.append(f"<p>{escape(article.image.caption)}</p>")
    if config.search_full_text:
        parts.append(f"<p>{escape(plain_text(read_body(article)))}</p>")
    local = article.date.astimezone(config.tz)
    meta = (f'<span data-pagefind-meta="source">{escape(article.source or "")}</span>'
            f'<span data-pagefind-meta="date">{escape(format_day(article.day))}'
            f'{f", {local:%H:%M}" if local.time() != dt.time() else ""}</span>')
    document = (f'<!DOCTYPE html><html lang="{escape(config.language)}"><head><meta charset="utf-8">'
                f"<title>{escape(article.title)}</title></head><body>"
                f'<main data-pagefind-body>{"".join(parts)}</main>'
                f'<div data-pagefind-ignore hidden>{meta}</div></body></html>')
    return urls.article_page(article.url).path, document.encode("utf-8")


def index_key(executable: Path, config: Config, articles: Sequence[Article]) -> str:
    """What a bundle is made from: the program, digest's version (the documents' form), the
    settings the documents read, and every article's URL and the fields its document shows.
    Made without building the documents: a year whose key is unchanged needs none."""
    hasher = hashlib.blake2b(_program_and_settings(executable, config).encode("utf-8"), digest_size=12)
    for article in articles:
        hasher.update(f"{article.url}\0{document_inputs(article, config.search_full_text)}\0".encode())
    return hasher.hexdigest()


def quick_key(executable: Path, config: Config, articles: Sequence[Article]) -> str:
    """A stand-in for `index_key` made in C: the same program and settings, and every article's
    fingerprint (a hash of all its fields, its URL's among them). While it is unchanged, so are
    the documents; "" when an article has no fingerprint (then it tells nothing)."""
    prints = fingerprints_hash(articles)
    if prints is None:
        return ""
    text = _program_and_settings(executable, config) + prints.hex()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


_KEY = itemgetter(0)  # of a manifest entry


def _program_and_settings(executable: Path, config: Config) -> str:
    """The program (its path, size and time), digest's version and the settings documents read."""
    try:
        info = executable.stat()
        program = (str(executable), info.st_size, info.st_mtime_ns)
    except OSError:
        program = (str(executable), 0, 0)
    settings = (config.language, str(config.tz), config.search_full_text,
                tuple((topic.slug, topic.name) for topic in config.topics))
    return repr(("pagefind", program, __version__, settings))


def document_inputs(article: Article, full_text: bool) -> str:
    """Every field of an article its search document shows (the body's hash only with full
    text: an edit further down an article leaves a headline index as it was), NUL-separated
    (no field holds one: one-line fields are cleaned of control characters)."""
    image = article.image
    return (f"{article.title}\0{article.summary}\0{chr(31).join(article.tags)}\0{chr(31).join(article.topics)}\0"
            f"{image.caption if image is not None else ''}\0{article.source or ''}\0{article.date.timestamp()}\0"
            f"{article.day.toordinal()}\0{article.body_hash if full_text else ''}")


def articles_by_year(articles: Sequence[Article]) -> dict[int, list[Article]]:
    """The (published, newest first) articles grouped into their year's bundle, newest year first."""
    grouped: dict[int, list[Article]] = {}
    start = 0
    while start < len(articles):
        year = articles[start].day.year
        # each year's articles follow each other: where the older ones start, by bisection
        end = bisect_right(articles, -year, lo=start, key=_negated_year)
        grouped[year] = list(articles[start:end])
        start = end
    return grouped


def _negated_year(article: Article) -> int:  # ascends along the site's order, for bisect
    return -article.day.year


def update_search_index(site: Site, writer: SiteWriter, last: Mapping[str, list[str]] | None = None) -> SearchReport:
    """Index each year's articles into its bundle in the writer, or keep the year's last bundle
    when nothing it holds changed. (A year without articles any more loses its bundle: the
    writer removes what a build neither writes nor keeps.) `last`: see `SearchIndexing`'s `last_bundles`."""
    return SearchIndexing(site.config, site.articles, writer, last).finish()


class SearchIndexing:
    """The index made beside the build: Pagefind starts on the changed years at once (a
    program of its own: it runs while this process curates, plans and renders), and `finish`
    waits for it and puts the bundles in the writer, which stays the only one writing the site."""

    def __init__(
        self, config: Config, articles: Sequence[Article], writer: SiteWriter,
        last_bundles: Mapping[str, list[str]] | None = None,
    ) -> None:
        """`articles`: the site's, published and newest first (`Site.articles`). `last_bundles`: the
        bundles' files as the last build left them (`SearchReport.bundles`), if known; else they
        are found among the writer's previous files."""
        self.started = time.perf_counter()
        self.writer = writer
        self.runs: list[tuple[str, str, _PagefindRun]] = []  # (bundle folder, key, run) of each changed year
        self.bundles: dict[str, list[str]] = {}  # each bundle's files, as kept or written (see `finish`)
        executable = find_pagefind()
        last_files = _last_bundles(writer, last_bundles)
        try:
            for year, grouped in articles_by_year(articles).items():
                folder = urls.search_bundle(year).path
                previous = last_files(folder)
                # a bundle's key is "quick:full" (`quick_key`, `index_key`): the quick part
                # unchanged, the full one need not be made (a year of thousands of articles)
                last = set(map(_KEY, map(writer.previous.__getitem__, previous)))
                last_key = last.pop() if len(last) == 1 else ""  # one key for all of a bundle's files
                last_quick, _, last_full = last_key.partition(":")
                quick = quick_key(executable, config, grouped)
                if previous and quick and quick == last_quick:
                    writer.keep_files(previous, producer=PRODUCER)
                    self.bundles[folder] = previous
                    continue
                full = index_key(executable, config, grouped)
                key = f"{quick}:{full}"
                if previous and full == last_full:  # e.g. a body edited, which the documents do not show
                    writer.keep_files(previous, key, PRODUCER)
                    self.bundles[folder] = previous
                else:
                    docs = [search_document(article, config) for article in grouped]
                    self.runs.append((folder, key, _PagefindRun(executable, docs, writer.work)))
        except BaseException:
            self.cancel()
            raise

    def finish(self) -> SearchReport:
        """Wait for Pagefind and write the new bundles into the writer."""
        files = 0
        try:
            for folder, key, run in self.runs:
                written = self.bundles[folder] = []
                for name, data in run.result():
                    written.append(f"{folder}/{name}")
                    self.writer.write(written[-1], data, PRODUCER, key)
                    files += 1
        finally:
            self.cancel()  # the runs' folders, and any run a failure left going
        return SearchReport(files, time.perf_counter() - self.started, self.bundles)

    def cancel(self) -> None:
        for _, _, run in self.runs:
            run.cancel()


def _last_bundles(writer: SiteWriter, last: Mapping[str, list[str]] | None) -> Callable[[str], list[str]]:
    """The last build's files of a bundle folder: from `last`, where it agrees with the files the
    writer holds from that build, else found among them (a bundle has a file per few articles,
    ten thousand in all: looking them up in `last` spares a pass over every file of the site)."""
    previous = writer.previous
    if last is not None and all(map(previous.__contains__, chain.from_iterable(last.values()))):
        return lambda folder: list(last.get(folder, ()))
    # the work here is done in C where it can be
    indexed = list(filter(methodcaller("startswith", INDEX_PREFIX), previous))
    return lambda folder: list(filter(methodcaller("startswith", f"{folder}/"), indexed))


class _PagefindRun:
    """Pagefind over these documents (site-relative path, bytes), started at once in a private
    folder of `scratch`; `result` waits and returns the bundle's files."""

    def __init__(self, executable: Path, docs: Sequence[tuple[str, bytes]], scratch: Path) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.temp = Path(tempfile.mkdtemp(prefix="search-", dir=scratch))
        site, self.bundle = self.temp / "site", self.temp / "bundle"
        try:
            for rel_path, data in docs:
                target = site / rel_path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        except BaseException:
            self.cancel()
            raise
        command = [str(executable), "--site", str(site), "--output-path", str(self.bundle), "--silent"]
        # its messages go to a file, read on failure: a pipe nobody reads while the pages are
        # rendered could fill up and stop it
        with open(self.temp / "log", "wb") as log:
            try:
                self.process = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            except OSError as exc:
                self.cancel()
                raise DigestError(f"could not run Pagefind ({executable}): {exc}; {INSTALL_HINT}") from None

    def result(self) -> list[tuple[str, bytes]]:
        assert self.process is not None, "result() after cancel()"
        try:
            status = self.process.wait(timeout=3600)
        except subprocess.TimeoutExpired:
            raise DigestError("the search index took over an hour (Pagefind); build with --no-search") from None
        if status != 0:
            text = (self.temp / "log").read_text(encoding="utf-8", errors="replace")
            detail = text.strip().splitlines()[-5:]
            raise DigestError("the search index failed (Pagefind exit status "
                              f"{status}): {' / '.join(detail) or 'no message'}")
        return [(name, path.read_bytes()) for name, path in collect_bundle(self.bundle)]

    def cancel(self) -> None:
        """Stop Pagefind if it still runs, and remove the run's folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None
        shutil.rmtree(self.temp, ignore_errors=True)


def collect_bundle(bundle: Path) -> list[tuple[str, Path]]:
    """The bundle's files the site needs, by relative name, in a stable order."""
    if not bundle.is_dir():
        raise DigestError(f"Pagefind wrote no search index in {bundle}")
    files = []
    for path in sorted(bundle.rglob("*")):
        name = path.relative_to(bundle).as_posix()
        if path.is_file() and not name.startswith(UNUSED_PREFIXES):
            files.append((name, path))
    return files
