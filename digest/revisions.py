"""Corrections: notice when an article's text changed since it was published, and stamp `updated`.

The build never reads the clock, so it cannot decide *when* a correction happened. Instead the
front matter records `text_checksum`, a hash of what readers see (title, summary, body), when
the curator runs `digest stamp` (best: every time before publishing). A later edit no longer
matches it: the build warns, and the next `digest stamp` writes `updated:` with the time of
stamping and records the new checksum. Feeds then take `updated` from the file, so every build
of the same content stays byte-identical, on any checkout.

This module is pure: it plans the new file text; `ingest.stamp_articles` writes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from .frontmatter import FENCE

CHECKSUM_KEY = "text_checksum"


def text_checksum(title: str, summary: str, body: str) -> str:
    """Hash of what a reader sees; front matter such as topics, tags or slug does not count."""
    text = "\x1f".join((title.strip(), summary.strip(), body.strip()))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Stamp:
    """What stamping one file changes: the keys to set, and why."""

    status: str  # unchanged | recorded | corrected
    values: dict[str, str]  # front matter key -> YAML scalar text


def plan_stamp(
    recorded: str | None, current: str, published: dt.datetime, now: dt.datetime, missing_id: str | None,
) -> Stamp:
    """Decide one file: record a first checksum, mark a correction, or leave it alone.

    A change before the article's own date is not a correction (it was not out yet): only the
    checksum moves. An article without an `id` gets the one the build derives, written down so
    that renaming or moving the file later keeps it.
    """
    values: dict[str, str] = {}
    if missing_id:
        values["id"] = missing_id
    if recorded == current:
        return Stamp("recorded" if values else "unchanged", values)
    values[CHECKSUM_KEY] = f"'{current}'"
    if recorded is not None and now > published:
        values["updated"] = now.replace(microsecond=0).isoformat()
        return Stamp("corrected", values)
    return Stamp("recorded", values)


def set_front_matter_keys(text: str, values: dict[str, str]) -> str:
    """Set top-level front matter keys by editing their lines; everything else stays as written.

    A key already present has its line (and any indented continuation lines) replaced; a new
    key goes just before the closing fence, so the curator's order and comments survive.
    """
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "..."))
    head = lines[1:end]
    for key, value in values.items():
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        start = next((i for i, line in enumerate(head) if pattern.match(line)), None)
        if start is None:
            head.append(f"{key}: {value}")
            continue
        stop = start + 1
        while stop < len(head) and head[stop][:1] in (" ", "\t"):
            stop += 1
        head[start:stop] = [f"{key}: {value}"]
    return "\n".join([lines[0], *head, *lines[end:]])
