"""Read `content/` into validated `Article`s, collecting every bad file before failing."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .errors import DigestError, SourceChanged, SourceError, brief
from .frontmatter import find_key_line, split_body, split_document
from .models import Article, Image
from .revisions import CHECKSUM_KEY, text_checksum
from .scanning import scan_content
from .slugs import is_slug, make_slug
from .terms import find_names, find_terms
from .text import clean_line, count_words, first_paragraph, shorten
from .topics import TopicClassifier, article_fields

ID_NAMESPACE = uuid.UUID("5b1c8f3e-2d4a-5e6f-8a9b-0c1d2e3f4a5b")
KNOWN_KEYS = frozenset(
    {
        "title", "date", "updated", "id", "slug", "source", "source_url", "author", "topics",
        "tags", "summary", "image", "origin", "date_source", "lang", "draft", "duplicate_of",
        "topic_scores", CHECKSUM_KEY,
    }
)
SUMMARY_LIMIT = 300
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Loaded:
    """What reading the content folder gave: good articles, and what was wrong."""

    articles: list[Article]
    errors: list[DigestError]
    warnings: list[str]


def find_content_files(content_dir: Path) -> list[Path]:
    """Every Markdown file under the content folder, in a stable order."""
    return [Path(path) for path, _, _ in scan_content(content_dir)]


def read_articles(config: Config, paths: Iterable[Path] | None = None) -> Loaded:
    """Read and validate every content file; bad files are reported, never skipped silently."""
    articles: list[Article] = []
    errors: list[DigestError] = []
    warnings: list[str] = []
    files = find_content_files(config.content_dir) if paths is None else list(paths)
    for _, article, notes, error in parse_files(config, files):
        if error is not None:
            errors.append(error)
            continue
        warnings.extend(notes)
        if article is not None:
            articles.append(article)
    return Loaded(articles, errors, warnings)


Parsed = tuple[str, Article | None, list[str], DigestError | None]
_classifiers: dict[int, tuple[Config, TopicClassifier]] = {}


def parse_files(config: Config, paths: Sequence[Path]) -> list[Parsed]:
    """Parse content files (in this process or a worker): (path, article, warnings, error)."""
    cached = _classifiers.get(id(config))
    if cached is None or cached[0] is not config:
        _classifiers.clear()
        cached = _classifiers[id(config)] = (config, TopicClassifier(config.topics))
    classifier = cached[1]
    results: list[Parsed] = []
    for path in paths:
        try:
            article, notes = read_article(path, config, classifier)
        except DigestError as exc:
            results.append((str(path), None, [], exc))
        except OSError as exc:
            results.append((str(path), None, [], SourceError(path, None, f"cannot read the file: {exc.strerror}")))
        else:
            results.append((str(path), article, notes, None))
    return results


def settings_key(config: Config) -> str:
    """What, besides the file itself, shapes an Article: cached articles are valid only under it."""
    return hash_text(repr((config.content_dir, config.timezone, config.topics)))


def read_text(path: Path) -> str:
    """A content file's text; content files are UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    return decode_content(data, path)


def read_article(
    path: Path, config: Config, classifier: TopicClassifier, include_drafts: bool = False
) -> tuple[Article | None, list[str]]:
    """Read one content file; None for drafts (unless asked). Raises SourceError naming file and line."""
    text = read_text(path)
    document = split_document(text, path)
    return _make_article(path, text, document.meta, document.body, document.body_line, config, classifier,
                         include_drafts)


def read_body(article: Article) -> str:
    """The Markdown body of an article, read again from its file when it is rendered.

    Bodies are not kept in memory between loading and rendering (a large archive would not
    fit twice); if the file changed in between, the build must start over.
    """
    body = split_body(read_text(Path(article.path)))
    if hash_text(body) != article.body_hash:
        raise SourceChanged(article.path)
    return body


def decode_content(data: bytes, path: Path) -> str:
    """Content files are UTF-8; say what else a file looks like, and where it goes wrong."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SourceError(path, None, "the file is UTF-16 text; save it as UTF-8") from None
        if b"\x00" in data[:8192]:
            raise SourceError(path, None, "this is a binary file, not a Markdown article; "
                                          "move it out of the content folder") from None
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(path, line, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                      "save it as UTF-8") from None


def _make_article(
    path: Path, text: str, meta: dict[str, Any], body: str, body_line: int,
    config: Config, classifier: TopicClassifier, include_drafts: bool = False,
) -> tuple[Article | None, list[str]]:
    def fail(key: str, message: str) -> SourceError:
        return SourceError(path, find_key_line(text, key) or 1, message)

    notes = [
        str(SourceError(path, find_key_line(text, key), f"unknown front matter key `{key}` is ignored"))
        for key in meta if key not in KNOWN_KEYS
    ]
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):  # `draft: "yes"` must not publish an article by accident
        raise fail("draft", f"`draft` must be true or false, got {brief(draft)}")
    if draft and not include_drafts:
        return None, notes
    folder, name = str(config.content_dir) + os.sep, str(path)
    rel_path = name[len(folder):].replace(os.sep, "/") if name.startswith(folder) else path.name

    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        raise fail("title", f"`title` must be text, got {brief(title)}; write it in quotes: title: \"...\"")
    if not isinstance(title, str) or not clean_line(title):
        raise fail("title", "`title` is missing or empty; add `title: ...` to the front matter")
    title = clean_line(title)

    if "date" not in meta:
        raise fail("date", "`date` is missing; add e.g. `date: 2026-02-08T09:30:00+00:00`")
    date = _read_date(meta["date"], config, lambda m: fail("date", m), "date")
    updated = date
    if meta.get("updated") is not None:
        updated = _read_date(meta["updated"], config, lambda m: fail("updated", m), "updated")
        if updated < date:
            raise fail("updated", "`updated` is earlier than `date`; a correction comes after publication")

    optional = {key: _read_text(meta, key, fail) for key in ("source", "source_url", "author", "summary", "id")}
    if optional["source_url"] and not optional["source_url"].startswith(("http://", "https://")):
        raise fail("source_url", "`source_url` must be an http(s) address")

    tags = _read_list(meta, "tags", fail)
    topics_given = "topics" in meta and meta["topics"] not in (None, [])
    body_words = count_words(body)
    opening = first_paragraph(body)
    summary = optional["summary"] or shorten(opening, SUMMARY_LIMIT)
    # a summary that only repeats the body's first words is not shown above the body
    summary_opens_body = opening.startswith(summary.rstrip("\u2026").rstrip())
    if topics_given:
        topics = tuple(dict.fromkeys(_read_list(meta, "topics", fail)))
        unknown = [slug for slug in topics if config.topic(slug) is None]
        if unknown:
            known = ", ".join(topic.slug for topic in config.topics)
            raise fail("topics", f"unknown topic `{unknown[0]}`; use one of: {known} "
                                 f"(or add it to digest.toml)")
        topic_scores = _read_topic_scores(meta, topics, fail)
    else:
        classified = classifier.classify(article_fields(title, summary, tags, body))
        topics, topic_scores = classified.topics, () if classified.fallback else classified.shares()
    duplicate_of = _read_text(meta, "duplicate_of", fail)

    slug_value = meta.get("slug")
    if slug_value is not None:
        if not isinstance(slug_value, str) or not is_slug(slug_value):
            raise fail("slug", "`slug` must be lower-case letters, digits and hyphens, e.g. `my-story`")
        slug = slug_value
    else:
        slug = path.stem if is_slug(path.stem) else make_slug(path.stem)

    image = None
    raw_image = meta.get("image")
    if raw_image is not None:
        if not isinstance(raw_image, dict) or not all(
            isinstance(raw_image.get(k), (str, type(None))) for k in ("caption", "credit")
        ):
            raise fail("image", "`image` must have text `caption` and `credit` entries")
        caption, credit = raw_image.get("caption"), raw_image.get("credit")
        if caption or credit:
            image = Image(clean_line(caption) if caption else None, clean_line(credit) if credit else None)

    recorded = meta.get(CHECKSUM_KEY)
    if recorded is not None and str(recorded) != text_checksum(title, summary, body):
        notes.append(str(SourceError(
            path, find_key_line(text, CHECKSUM_KEY),
            "the title, summary or body changed since it was published; if this corrects the "
            "article, run `digest stamp` to set `updated` (feeds show it as updated)",
        )))
    lang = _read_text(meta, "lang", fail)
    if lang is not None and not LANGUAGE_TAG.fullmatch(lang):
        notes.append(str(fail("lang", f"`lang` {lang!r} is not a language tag such as `en` or `fr-CA`; ignored")))
        lang = None

    article_id = optional["id"] or derive_id(rel_path)
    names = find_names(summary, body)
    fields: dict[str, Any] = dict(
        path=str(path), rel_path=rel_path, slug=slug, title=title, date=date, updated=updated,
        day=date.astimezone(config.tz).date(), id=article_id, summary=summary, body_hash=hash_text(body),
        body_line=body_line, topics=topics, topics_given=topics_given, tags=tags,
        source=optional["source"], source_url=optional["source_url"], author=optional["author"],
        image=image, words=body_words, lang=lang, topic_scores=topic_scores, duplicate_of=duplicate_of,
        names=names, summary_opens_body=summary_opens_body,
    )
    # the terms stories and earlier coverage compare, found here: in the parse workers, and kept
    # in the build cache with the article, so a build re-curating the archive need not find them
    terms = find_terms(title, summary, tags, names)
    # (its URL, sort key and sitemap date are derived here, in the parse workers, and the build
    # cache keeps them with the article: each build asks for every article's)
    article = Article(**fields, fingerprint=hash_text(repr(tuple(fields.values()))), terms=terms)
    return article, notes


def derive_id(rel_path: str) -> str:
    """A stable id for an article written without one: the same file gives the same id."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'content:' + rel_path.removesuffix('.md'))}"


def hash_text(text: str) -> str:
    """Short content hash used for cache keys (SHA-256: see `writer.hash_bytes`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _read_date(value: Any, config: Config, fail: Any, key: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            raise fail(f"`{key}` is not a date: {brief(value)}; write it as 2026-02-08T09:30:00+00:00") from None
    else:
        raise fail(f"`{key}` is not a date: {brief(value)}; write it as 2026-02-08T09:30:00+00:00")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=config.tz)
    try:  # editions, feeds and sorting convert it; years near 1 or 9999 overflow there
        in_range = all(1000 <= moment.year <= 9998 for moment in
                       (parsed, parsed.astimezone(dt.timezone.utc), parsed.astimezone(config.tz)))
    except (OverflowError, ValueError):
        in_range = False
    if not in_range:
        raise fail(f"`{key}` is out of range: {brief(value)}; use a year from 1000 to 9998")
    return parsed


def _read_text(meta: dict[str, Any], key: str, fail: Any) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise fail(key, f"`{key}` must be text, got {type(value).__name__}")
    return clean_line(value) or None


def _read_topic_scores(meta: dict[str, Any], topics: tuple[str, ...], fail: Any) -> tuple[tuple[str, float], ...]:
    """Scores ingest wrote for the chosen topics; those of topics no longer chosen are dropped."""
    value = meta.get("topic_scores")
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(score, (int, float)) and not isinstance(score, bool) and 0 <= score <= 1
        for score in value.values()
    ):
        raise fail("topic_scores", "`topic_scores` must map topics to numbers from 0 to 1, "
                                   "e.g. `topic_scores: {politics: 0.62}` (or remove it)")
    return tuple((slug, round(float(value[slug]), 2)) for slug in topics if slug in value)


def _read_list(meta: dict[str, Any], key: str, fail: Any) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, (str, int)) for item in value):
        raise fail(key, f"`{key}` must be a list of words, e.g. `{key}: [one, two]`")
    return tuple(item for item in (clean_line(str(v)) for v in value) if item)
