"""The search index: Pagefind run over the build's articles before the commit.

Pagefind (the `pagefind[bin]` package ships its program) reads one small search document per
article (see `search_documents`), written at the article page's path in a private folder of
the writer's work folder, and writes its index to another private folder; every file of that
bundle then goes through the writer like a page, so the index is part of the same commit and
the writer stays the only one writing the site.

The index is one bundle per year of articles (`pagefind/2026/`, `pagefind/2025/`, ...), which
the search page merges into one search (Pagefind's `mergeIndex`). Pagefind cannot update an
index, only make it again; a year whose search documents are all as they were keeps its bundle
as it is, so a day's new articles index the current year again, not the whole archive (at
10,000 articles over three years: a few hundred documents instead of 10,000).

Pagefind names its files by content hash and writes them in a stable form, so two builds of the
same pages give the same bytes (`tests/test_search.py` checks it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from html import escape

from . import urls
from .collate import Site
from .content import read_body
from .errors import DigestError
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


def is_index_file(rel_path: str) -> bool:
    return rel_path.startswith(urls.search_bundle().path + "/")


def find_pagefind() -> Path:
    """The Pagefind program: $PAGEFIND_BINARY_PATH, else the one the Python package ships."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return Path(override)
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise DigestError(f"search needs the Pagefind program; {INSTALL_HINT}") from None
    executable = get_executable()
    if executable is None or not Path(executable).exists():
        raise DigestError(f"search needs the Pagefind program; {INSTALL_HINT}")
    return Path(executable)


def search_documents(site: Site, full_text: bool) -> list[tuple[str, bytes]]:
    """One small HTML document per article, at its page's path: exactly what the index holds.

    By default that is the headline, summary, caption, tags and topics: Pagefind indexes about
    a thousand of these in half a second, against ten times that for whole pages. With
    `search_full_text` the body's text is added.
    """
    docs = []
    lang = escape(site.config.language)
    for article in site.articles:
        topics = [site.config.topic(slug) for slug in article.topics]
        parts = [
            f"<h1>{escape(article.title)}</h1>",
            f"<p>{escape(article.summary)}</p>",
            f"<p>{escape(' '.join(article.tags))} {escape(' '.join(t.name for t in topics if t))}</p>",
        ]
        if article.image is not None and article.image.caption:
            parts.append(f"<p>{escape(article.image.caption)}</p>")
        if full_text:
            parts.append(f"<p>{escape(plain_text(read_body(article)))}</p>")
        local = article.date.astimezone(site.config.tz)
        meta = (f'<span data-pagefind-meta="source">{escape(article.source or "")}</span>'
                f'<span data-pagefind-meta="date">{escape(format_day(article.day))}'
                f'{f", {local:%H:%M}" if local.time() != dt.time() else ""}</span>')
        document = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
                    f"<title>{escape(article.title)}</title></head><body>"
                    f'<main data-pagefind-body>{"".join(parts)}</main>'
                    f'<div data-pagefind-ignore hidden>{meta}</div></body></html>')
        docs.append((urls.article_page(article.url).path, document.encode("utf-8")))
    return docs


def index_key(executable: Path, docs: Sequence[tuple[str, bytes]]) -> str:
    """What the index is made from: the program and every search document."""
    try:
        info = executable.stat()
        program = (str(executable), info.st_size, info.st_mtime_ns)
    except OSError:
        program = (str(executable), 0, 0)
    hasher = hashlib.blake2b(repr(("pagefind", program)).encode("utf-8"), digest_size=12)
    for rel_path, data in docs:
        hasher.update(rel_path.encode("utf-8") + b"\0" + data + b"\0")
    return hasher.hexdigest()


def documents_by_year(site: Site, full_text: bool) -> dict[int, list[tuple[str, bytes]]]:
    """The search documents grouped into their year's bundle, newest year first."""
    grouped: dict[int, list[tuple[str, bytes]]] = {}
    for article, document in zip(site.articles, search_documents(site, full_text)):  # newest first
        grouped.setdefault(article.day.year, []).append(document)
    return grouped


def update_search_index(site: Site, writer: SiteWriter) -> SearchReport:
    """Index each year's articles into its bundle in the writer, or keep the year's last bundle
    when nothing it holds changed. (A year without articles any more loses its bundle: the
    writer removes what a build neither writes nor keeps.)"""
    started = time.perf_counter()
    executable = find_pagefind()
    files = 0
    indexed = [path for path in writer.previous if is_index_file(path)]
    for year, docs in documents_by_year(site, site.config.search_full_text).items():
        folder = urls.search_bundle(year).path
        key = index_key(executable, docs)
        previous = [path for path in indexed if path.startswith(folder + "/")]
        if previous and all(writer.previous[path][0] == key for path in previous):
            for path in previous:
                writer.keep(path, key, PRODUCER)
            continue
        for name, data in run_pagefind(executable, docs, writer.work):
            writer.write(f"{folder}/{name}", data, PRODUCER, key)
            files += 1
    return SearchReport(files, time.perf_counter() - started)


def run_pagefind(executable: Path, docs: Sequence[tuple[str, bytes]], scratch: Path) -> list[tuple[str, bytes]]:
    """Run Pagefind over these documents (site-relative path, bytes); return the bundle's files."""
    with tempfile.TemporaryDirectory(prefix="search-", dir=scratch) as temp:
        site, bundle = Path(temp) / "site", Path(temp) / "bundle"
        for rel_path, data in docs:
            target = site / rel_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
        except OSError as exc:
            raise DigestError(f"could not run Pagefind ({executable}): {exc}; {INSTALL_HINT}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise DigestError("the search index failed (Pagefind exit status "
                              f"{result.returncode}): {' / '.join(detail) or 'no message'}")
        return [(name, path.read_bytes()) for name, path in collect_bundle(bundle)]


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
