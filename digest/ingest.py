"""Captures in `seeds/` (or anywhere) -> Markdown articles in `content/`. The only writer of `content/`.

Each article file records, in `origin.checksum`, a hash of the text ingest wrote. A file whose
text no longer matches it was edited by the curator, and ingest never overwrites it without
`--force`. Ingesting the same capture twice changes nothing: ids are minted from the capture's
bytes and the article's position in it, and the file text is a pure function of the capture.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cleaning import CleanedArticle, CleanedCapture, DateReference, clean_html, clean_text, decode_capture
from .config import Config
from .content import ID_NAMESPACE, find_content_files
from .duplicates import NearbyContent
from .errors import DigestError, SourceError, display_path
from .frontmatter import dump_document, split_document
from .slugs import make_slug
from .text import first_paragraph, shorten
from .topics import TopicClassifier, article_fields

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
CAPTURE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
SUMMARY_LIMIT = 300
_CHECKSUM_LINE = re.compile(r"^(  checksum: )(\S+)$", re.MULTILINE)
_ID_LINE = re.compile(r"^id: ['\"]?([^'\"\n]+)['\"]?$", re.MULTILINE)


@dataclass(frozen=True)
class Outcome:
    """What happened to one article of a capture."""

    status: str  # new | updated | unchanged | kept (edited by hand) | replaced (--force)
    path: Path
    title: str


@dataclass
class IngestReport:
    captures: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[DigestError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


@dataclass(frozen=True)
class IngestOptions:
    date: dt.date | None = None
    source: str | None = None
    force: bool = False


def find_captures(paths: Iterable[Path]) -> tuple[list[Path], list[DigestError]]:
    """Expand files and folders into capture files (sorted); name what cannot be read."""
    found: list[Path] = []
    errors: list[DigestError] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in CAPTURE_SUFFIXES)
        elif path.is_file():
            if path.suffix.lower() in CAPTURE_SUFFIXES:
                found.append(path)
            else:
                errors.append(SourceError(path, None, "not a capture: use .txt for text dumps or .html/.htm for saved pages"))
        else:
            errors.append(SourceError(path, None, "no such file or folder"))
    return list(dict.fromkeys(found)), errors


def clean_capture(path: Path, data: bytes, config: Config, options: IngestOptions) -> CleanedCapture:
    """Decode and clean one capture; raise SourceError for captures with nothing to offer."""
    if not data.strip():
        raise SourceError(path, None, "the file is empty; capture the page again")
    if looks_binary(data):
        raise SourceError(path, None, "this is a binary file, not a text or HTML capture; skip it")
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc).astimezone(config.tz)
    reference = DateReference(tz=config.tz, option=options.date, file_time=mtime)
    if path.suffix.lower() in HTML_SUFFIXES:
        capture = clean_html(decode_capture(data), reference)
    else:
        capture = clean_text(decode_capture(data), reference)
    if not capture.articles:
        raise SourceError(path, None, "no article found in this capture (only menus, links or boilerplate?)")
    return capture


def looks_binary(data: bytes) -> bool:
    """Binary files have NUL bytes outside UTF-16 text, or many control bytes."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return b"\x00" in head or controls > len(head) * 0.1


def ingest(paths: Iterable[Path], config: Config, options: IngestOptions) -> IngestReport:
    """Clean every capture and write its articles; one bad capture never stops the others."""
    report = IngestReport()
    captures, report.errors = find_captures(paths)
    existing = index_existing(config.content_dir)
    classifier = TopicClassifier(config.topics)
    nearby = NearbyContent(config.content_dir)
    for path in captures:
        report.captures += 1
        try:
            data = path.read_bytes()
            capture = clean_capture(path, data, config, options)
        except DigestError as exc:
            report.errors.append(exc)
            continue
        except OSError as exc:
            report.errors.append(SourceError(path, None, f"cannot read the file: {exc.strerror}"))
            continue
        report.notes += [f"{display_path(path)}: {note}" for note in capture.notes]
        digest = hashlib.sha256(data).hexdigest()
        for index, article in enumerate(capture.articles, start=1):
            meta, body = make_article_file(article, capture, path, index, digest, config, options, classifier)
            original = nearby.check(meta["id"], meta["date"].astimezone(config.tz).date(), body)
            if original is not None:
                # recorded, never dropped: the build folds it into the original's page
                meta["duplicate_of"] = original.id
                report.notes.append(
                    f"{display_path(path)}: article {index} ({meta['title']}) repeats "
                    f"{display_path(original.path)} (shingle overlap {original.similarity.jaccard:.2f}); "
                    f"filed with `duplicate_of`, it is not published on its own"
                )
            outcome = write_article(meta, body, config, existing, options.force)
            report.outcomes.append(outcome)
            nearby.add(meta["id"], outcome.path, body, duplicate=original is not None)
    return report


def make_article_file(
    article: CleanedArticle, capture: CleanedCapture, path: Path, index: int, digest: str,
    config: Config, options: IngestOptions, classifier: TopicClassifier,
) -> tuple[dict[str, Any], str]:
    """Front matter (in a fixed key order) and body for one cleaned article."""
    published = article.published or dt.datetime.fromtimestamp(path.stat().st_mtime, tz=config.tz)
    summary = article.summary or shorten(first_paragraph(article.body), SUMMARY_LIMIT)
    classified = classifier.classify(article_fields(article.title, summary, article.tags, article.body))
    meta: dict[str, Any] = {
        "title": article.title,
        "date": published.replace(microsecond=0),
        "date_source": article.date_source,
        "source": options.source or article.source or capture.source,
        "source_url": article.source_url,
        "author": article.author,
        "topics": list(classified.topics),
        "topic_scores": None if classified.fallback else dict(classified.shares()),
        "tags": list(article.tags),
        "summary": summary,
        "image": {"caption": article.image_caption, "credit": article.image_credit}
        if article.image_caption or article.image_credit else None,
        "lang": article.language,
        "origin": {"capture": origin_name(path, config), "index": index, "checksum": ""},
        "id": f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'capture:{digest}:{index}')}",
    }
    return {key: value for key, value in meta.items() if value not in (None, [], "")}, article.body


def origin_name(path: Path, config: Config) -> str:
    """The capture's path relative to the site root when it lies inside it."""
    resolved = path.resolve()
    return resolved.relative_to(config.root).as_posix() if resolved.is_relative_to(config.root) else path.name


def render_article_file(meta: dict[str, Any], body: str) -> str:
    """The file text, with `origin.checksum` set to the hash of everything else."""
    text = dump_document(meta, body)
    return _CHECKSUM_LINE.sub(lambda m: f"{m.group(1)}'{checksum(text)}'", text, count=1)


def checksum(text: str) -> str:
    """Hash of a file's text with its checksum value blanked out."""
    blank = _CHECKSUM_LINE.sub(lambda m: m.group(1) + "''", text, count=1)
    return hashlib.sha256(blank.encode("utf-8")).hexdigest()[:16]


def was_edited(text: str) -> bool:
    """True when the file no longer matches the checksum ingest wrote into it."""
    match = _CHECKSUM_LINE.search(text)
    return match is None or match.group(2).strip("'\"") != checksum(text)


def index_existing(content_dir: Path) -> dict[str, Path]:
    """Map article id -> file for every content file (ids are read without full YAML parsing)."""
    index: dict[str, Path] = {}
    for path in find_content_files(content_dir):
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        match = _ID_LINE.search(head)
        if match:
            index.setdefault(match.group(1).strip(), path)
    return index


def target_path(meta: dict[str, Any], config: Config, existing: dict[str, Path]) -> Path:
    """content/YYYY/MM/DD/<slug>.md, with -2, -3... when another article holds the name."""
    day = meta["date"].astimezone(config.tz).date()
    folder = config.content_dir / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}"
    base = make_slug(meta["title"])
    taken = set(existing.values())
    for number in range(1, 1000):
        candidate = folder / (f"{base}.md" if number == 1 else f"{base}-{number}.md")
        if candidate not in taken and not candidate.exists():
            return candidate
    raise DigestError(f"too many articles named {base!r} on {day}")


def write_article(
    meta: dict[str, Any], body: str, config: Config, existing: dict[str, Path], force: bool
) -> Outcome:
    """Write one article unless that would lose a curator's edit."""
    title = meta["title"]
    current = existing.get(meta["id"])
    if current is not None and current.exists():
        old_text = current.read_text(encoding="utf-8", errors="replace")
        new_text = render_article_file(meta, body)
        if old_text == new_text:
            return Outcome("unchanged", current, title)
        if was_edited(old_text) and not force:
            return Outcome("kept", current, title)
        write_atomically(current, new_text)
        return Outcome("replaced" if force else "updated", current, title)
    path = target_path(meta, config, existing)
    write_atomically(path, render_article_file(meta, body))
    existing[meta["id"]] = path
    return Outcome("new", path, title)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written article."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def preview_captures(paths: Iterable[Path], out_dir: Path, config: Config, options: IngestOptions) -> IngestReport:
    """`digest clean`: write each capture's articles as ingest would, to `out_dir`, not `content/`.

    For capture `X.txt` the files are `X.md` (one article) or `X__1.md`, `X__2.md`, ... (several).
    """
    report = IngestReport()
    captures, report.errors = find_captures(paths)
    classifier = TopicClassifier(config.topics)
    if out_dir.resolve() == config.content_dir.resolve():
        raise DigestError("`digest clean --out` must not be the content folder; use `digest ingest` to add articles")
    for path in captures:
        report.captures += 1
        try:
            data = path.read_bytes()
            capture = clean_capture(path, data, config, options)
        except DigestError as exc:
            report.errors.append(exc)
            continue
        except OSError as exc:
            report.errors.append(SourceError(path, None, f"cannot read the file: {exc.strerror}"))
            continue
        report.notes += [f"{display_path(path)}: {note}" for note in capture.notes]
        digest = hashlib.sha256(data).hexdigest()
        several = len(capture.articles) > 1
        for index, article in enumerate(capture.articles, start=1):
            meta, body = make_article_file(article, capture, path, index, digest, config, options, classifier)
            target = out_dir / (f"{path.stem}__{index}.md" if several else f"{path.stem}.md")
            write_atomically(target, render_article_file(meta, body))
            report.outcomes.append(Outcome("new", target, article.title))
    return report


def read_front_matter(path: Path) -> dict[str, Any]:
    """Parse one content file's front matter (used by tests and tools)."""
    return split_document(path.read_text(encoding="utf-8"), path).meta
