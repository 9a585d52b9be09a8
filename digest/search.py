"""The search index: Pagefind run over this build's article pages before the commit.

Pagefind (the `pagefind[bin]` package ships its program) reads the article pages of the build
about to be committed (staged when new or changed, else the output's unchanged copy: the
writer says which) from a private folder of links in the writer's work folder, and writes its
index to another private folder; every file of that bundle then goes through the writer like a
page, so the index is part of the same commit and the writer stays the only one writing the
site. When no article page changed since the last build, the previous index is kept as it is.

Pagefind names its files by content hash and writes them in a stable form, so two builds of the
same pages give the same bytes (`tests/test_search.py` checks it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import urls
from .collate import Site
from .errors import DigestError

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
    files: int  # written this time; 0 when the previous index was kept
    seconds: float


def search_enabled(site: Site) -> bool:
    """Search is on unless turned off, and only once there is an article to find."""
    return site.config.search and bool(site.articles)


def article_pages(site: Site) -> list[str]:
    """The output files of the article pages: what the index is made from."""
    return [urls.article(article.day, article.slug).path for article in site.articles]


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


def index_key(executable: Path, pages: Sequence[tuple[str, str]]) -> str:
    """What the index is made from: the program and each article page's bytes (by their hash)."""
    try:
        info = executable.stat()
        program = (str(executable), info.st_size, info.st_mtime_ns)
    except OSError:
        program = (str(executable), 0, 0)
    text = repr(("pagefind", program, tuple(pages)))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def update_search_index(article_paths: Sequence[str], writer: SiteWriter) -> SearchReport:
    """Index this build's article pages into the writer, or keep the last index if none changed."""
    started = time.perf_counter()
    executable = find_pagefind()
    key = index_key(executable, [(path, writer.manifest[path][1]) for path in article_paths])
    previous = sorted(path for path in writer.previous if is_index_file(path))
    if previous and all(writer.previous[path][0] == key for path in previous):
        for path in previous:
            writer.keep(path, key, PRODUCER)
        return SearchReport(0, time.perf_counter() - started)
    files = 0
    for name, data in run_pagefind(executable, [(path, writer.produced_file(path)) for path in article_paths],
                                   writer.work):
        writer.write(f"{urls.search_bundle().path}/{name}", data, PRODUCER, key)
        files += 1
    return SearchReport(files, time.perf_counter() - started)


def run_pagefind(executable: Path, pages: Sequence[tuple[str, Path]], scratch: Path) -> list[tuple[str, bytes]]:
    """Run Pagefind over these pages (site-relative path, file to read); return the bundle's files."""
    with tempfile.TemporaryDirectory(prefix="search-", dir=scratch) as temp:
        site, bundle = Path(temp) / "site", Path(temp) / "bundle"
        for rel_path, source in pages:
            link_file(source, site / rel_path)
        command = [str(executable), "--site", str(site), "--output-path", str(bundle),
                   "--glob", urls.ARTICLE_FILES_GLOB, "--silent"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
        except OSError as exc:
            raise DigestError(f"could not run Pagefind ({executable}): {exc}; {INSTALL_HINT}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise DigestError("the search index failed (Pagefind exit status "
                              f"{result.returncode}): {' / '.join(detail) or 'no message'}")
        return [(name, path.read_bytes()) for name, path in collect_bundle(bundle)]


def link_file(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (instant), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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
