"""Walk the content folder for its Markdown files' stats: the first thing every build needs.

A module of its own, light to import, so that `digest build` can start the walk in a forked
child before it imports the builder (see `scan_ahead`).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .executor import Apart, forks_apart

Stat = tuple[str, int, int]  # path, modification time in ns, size


def scan_content(content_dir: Path) -> list[Stat]:
    """(path, modification time in ns, size) of every Markdown file, sorted by path.

    Hidden files and folders (editors' and ingest's temporary files) are left out. One
    `scandir` walk: a build with nothing to do spends most of its time here.
    """
    found: list[Stat] = []
    pending = [str(content_dir)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.name.endswith(".md") and entry.is_file():
                    info = entry.stat()
                    found.append((entry.path, info.st_mtime_ns, info.st_size))
    found.sort()
    return found


def scan_ahead(content_dir: Path, executor: str | None) -> Apart[list[Stat]] | None:
    """The content folder's walk in a forked child, started now: about 50 ms at 10,000 files
    that the second core spends while this process imports the builder (about 0.1 s). None
    where the build may not fork children of its own (see `executor.forks_apart`)."""
    if not forks_apart(executor):
        return None
    return Apart(functools.partial(scan_content, content_dir))
