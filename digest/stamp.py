"""`digest stamp`: write corrections into content files (the curator's command; see revisions.py).

Besides ingest, this is the only code that changes `content/` (through ingest's atomic
writer), and only front matter lines of files that exist: `text_checksum`, `updated`, and a missing `id`. A stamped file no longer
matches ingest's `origin.checksum`, so a later `digest ingest` keeps it as edited by hand:
published text is never replaced behind the curator's back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .content import find_content_files, read_article
from .errors import DigestError, SourceError
from .frontmatter import split_document
from .ingest import write_atomically
from .revisions import CHECKSUM_KEY, plan_stamp, set_front_matter_keys, text_checksum
from .topics import TopicClassifier


@dataclass(frozen=True)
class Stamped:
    """What stamping did to one file."""

    status: str  # unchanged | recorded | corrected
    path: Path
    values: dict[str, str]


@dataclass
class StampReport:
    outcomes: list[Stamped] = field(default_factory=list)
    errors: list[DigestError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


def stamp_articles(config: Config, now: dt.datetime, paths: Iterable[Path] | None = None) -> StampReport:
    """Record each article's text checksum; where the text changed since, set `updated` to now.

    Invalid files are reported and left alone; drafts are skipped (nothing is published yet).
    """
    report = StampReport()
    classifier = TopicClassifier(config.topics)
    files = find_content_files(config.content_dir) if paths is None else [Path(p) for p in paths]
    for path in files:
        try:
            article, _ = read_article(path, config, classifier)
            text = path.read_text(encoding="utf-8")
        except DigestError as exc:
            report.errors.append(exc)
            continue
        except OSError as exc:
            report.errors.append(SourceError(path, None, f"cannot read the file: {exc.strerror}"))
            continue
        if article is None:
            continue
        document = split_document(text, path)
        meta = document.meta
        recorded = meta.get(CHECKSUM_KEY)
        stamp = plan_stamp(
            None if recorded is None else str(recorded),
            text_checksum(article.title, article.summary, document.body),
            article.date, now.astimezone(config.tz),
            None if meta.get("id") else article.id,
        )
        if stamp.values:
            new_text = set_front_matter_keys(text, stamp.values)
            written = split_document(new_text, path).meta
            if any(written.get(key) is None for key in stamp.values):
                report.errors.append(SourceError(
                    path, 1, f"cannot add {', '.join(stamp.values)} to this front matter; "
                             "add them by hand or simplify the front matter",
                ))
                continue
            write_atomically(path, new_text)
        report.outcomes.append(Stamped(stamp.status, path, stamp.values))
    return report
