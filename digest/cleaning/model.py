"""What the cleaner gives back: plain, frozen records, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DateReference:
    """What relative dates ("Today 20:24", "said on Sunday") are resolved against.

    `option` is the curator's `--date`; `file_time` the capture's modification time.
    Between the two, the cleaner uses the latest absolute date it finds in the capture.
    `tz` is the site's timezone: dates without an offset are read in it.
    """

    tz: dt.tzinfo
    option: dt.date | None = None
    file_time: dt.datetime | None = None


@dataclass(frozen=True)
class CleanedArticle:
    """One article found in a capture, ready to become a content file."""

    title: str
    body: str  # Markdown: paragraphs, "## " subheadings, lists, block quotes
    published: dt.datetime | None = None  # timezone-aware
    date_source: str = "unknown"  # which rule gave `published` (see dates.DATE_SOURCES)
    summary: str | None = None  # the page's standfirst, when it has one
    author: str | None = None
    source: str | None = None  # publication name, when the capture names it
    source_url: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class CleanedCapture:
    """Every article of one capture, plus what the cleaner wants the curator to know."""

    articles: tuple[CleanedArticle, ...]
    source: str | None = None
    notes: tuple[str, ...] = field(default=())
