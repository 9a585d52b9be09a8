"""The search index: Pagefind run over the staged site, its bundle handed back to the writer.

Pagefind (the `pagefind[bin]` package ships its program) reads the article pages the build has
just staged and writes its index into a private temporary folder; every file of that bundle
then goes through the writer like any page, so the index is part of the same atomic swap and
the writer stays the only one writing the site. Pagefind names its files by content hash and
writes them in a stable form, so two builds of the same pages give the same bytes
(`tests/test_search.py` checks it).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .collate import Site
from .errors import DigestError

INSTALL_HINT = (
    "install it with `pip install 'pagefind[bin]'`, or build without search "
    "(`digest build --no-search` or `search = false` in digest.toml)"
)
# Pagefind's ready-made interfaces: the search page has its own small script instead.
UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


@dataclass(frozen=True)
class SearchReport:
    files: int
    bytes: int
    seconds: float


def search_enabled(site: Site) -> bool:
    """Search is on unless turned off, and only once there is an article to find."""
    return site.config.search and bool(site.articles)


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


def pagefind_command(executable: Path, site: Path, bundle: Path) -> list[str]:
    """Index only article pages: their `data-pagefind-body` is what readers search."""
    return [
        str(executable), "--site", str(site), "--output-path", str(bundle),
        "--glob", urls.ARTICLE_FILES_GLOB, "--silent",
    ]


def index_site(staged: Path, write: Callable[[str, bytes, str], None]) -> SearchReport:
    """Index the staged site with Pagefind and hand each bundle file to `write`."""
    started = time.perf_counter()
    executable = find_pagefind()
    with tempfile.TemporaryDirectory(prefix="digest-pagefind-") as temp:
        bundle = Path(temp) / "bundle"
        try:
            result = subprocess.run(
                pagefind_command(executable, staged, bundle),
                capture_output=True, text=True, check=False, timeout=3600,
            )
        except OSError as exc:
            raise DigestError(f"could not run Pagefind ({executable}): {exc}; {INSTALL_HINT}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise DigestError("the search index failed (Pagefind exit status "
                              f"{result.returncode}): {' / '.join(detail) or 'no message'}")
        files = collect_bundle(bundle)
        total = 0
        for name, path in files:
            data = path.read_bytes()
            write(f"{urls.search_bundle().path}/{name}", data, "search index")
            total += len(data)
    return SearchReport(len(files), total, time.perf_counter() - started)


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
