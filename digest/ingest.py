"""Captures in `seeds/` (or anywhere) -> Markdown articles in `content/`. The only writer of `content/`.

Each article file records, in `origin.checksum`, a hash of the text ingest wrote. A file whose
text no longer matches it was edited by the curator, and ingest never overwrites it without
`--force`. Ingesting the same capture twice changes nothing: ids are minted from the capture's
bytes and the article's position in it, and the file text is a pure function of the capture.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
import tempfile
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cleaning import CleanedArticle, CleanedCapture, DateReference, clean_html, clean_text, decode_capture
from .config import Config
from .content import ID_NAMESPACE, find_content_files
from .duplicates import NearbyContent
from .errors import DigestError, SourceError, display_path
from .executor import heap_frozen, make_runner, run_chunks
from .frontmatter import dump_document, split_document
from .slugs import make_slug
from .text import clean_line, first_paragraph, shorten
from .topics import TopicClassifier, article_fields

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
CAPTURE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
SUMMARY_LIMIT = 300
_CHECKSUM_LINE = re.compile(r"^(  checksum: )(\S+)$", re.MULTILINE)
_ID_LINE = re.compile(r"^id: ['\"]?([^'\"\n]+)['\"]?$", re.MULTILINE)
# A page capture is kilobytes; past these sizes a file is a mistake (a log, a whole-site dump)
# and the cleaner would take minutes over it. Saved HTML may embed its pictures, hence more room.
MAX_TEXT_CAPTURE = 4 * 1024 * 1024
MAX_HTML_CAPTURE = 32 * 1024 * 1024
# From this many captures on, `auto` cleans them on every core. Measured on 2 cores: 48 captures
# took as long either way (starting the workers costs what sharing ~8 ms a capture saves), 700
# took 3.4 s instead of 5.3.
PARALLEL_CAPTURES = 64
# Temporary files are named .<article>.md.<pid>.<random>.tmp, so a later ingest can tell
# the leftovers of a killed one (its process is gone) from those of one still running.
_TEMP_NAME = re.compile(r"^\.(?P<name>.+\.md)\.(?P<pid>\d+)\.[^./]+\.tmp$")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx, .xlsx or .epub file)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"RIFF", "a media file"),
    (b"\x00\x00\x00\x18ftyp", "a video"),
    (b"\x00\x00\x00\x20ftyp", "a video"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Bytes that are text in no encoding a capture comes in without a BOM: C0 controls except tab,
# line feed, form feed and carriage return, and DEL (ESC counts: ANSI colours are not article text)
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
# Terminal escape sequences (colours, cursor moves) from a dump taken with `script` or a coloured
# pager: removing only their ESC byte would leave "[1m" in the article
_ANSI_SEQUENCE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


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
    progress: Callable[[str, int, int], None] | None = None  # (stage, done, total), for a progress bar
    executor: str | None = None  # where captures are cleaned (see `executor.make_runner`)


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


def read_capture(path: Path) -> bytes:
    """The capture's bytes; too big a file is refused before it is read."""
    limit = MAX_HTML_CAPTURE if path.suffix.lower() in HTML_SUFFIXES else MAX_TEXT_CAPTURE
    size = path.stat().st_size
    if size > limit:
        raise SourceError(path, None, f"the file is {size / 1048576:.1f} MB, more than the {limit // 1048576} MB "
                                      f"digest cleans in one capture; capture only the article's page")
    return path.read_bytes()


def clean_capture(path: Path, data: bytes, config: Config, options: IngestOptions) -> CleanedCapture:
    """Decode and clean one capture; raise SourceError for captures with nothing to offer."""
    if not data.strip():
        raise SourceError(path, None, "the file is empty; capture the page again")
    kind = binary_kind(data)
    if kind:
        raise SourceError(path, None, f"this is {kind}, not a text or HTML capture; skip it")
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc).astimezone(config.tz)
    reference = DateReference(tz=config.tz, option=options.date, file_time=mtime)
    if path.suffix.lower() in HTML_SUFFIXES:
        capture = clean_html(decode_capture(data), reference)
    else:
        capture = clean_text(decode_capture(data), reference)
    if not capture.articles:
        said = [note for note in capture.notes if not note.startswith("no article found")]
        detail = f"; the cleaner says: {'; '.join(said)}" if said else ""
        raise SourceError(path, None, f"no article found in this capture (only menus, links or boilerplate?){detail}")
    return capture


def binary_kind(data: bytes) -> str | None:
    """What a binary file is ("a PNG image"), or None for text.

    Text with a Unicode byte-order mark is text. Otherwise a known file signature, or more
    than 1% NUL bytes (outside UTF-16, where every other byte is NUL), or more than 10%
    control bytes, make binary data; a few stray NULs in a text dump do not.
    """
    head = data[:8192]
    if head.startswith(_TEXT_BOMS) or head.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    nuls = head.count(0)
    if nuls and _looks_utf16(head):
        return None
    controls = _count_bytes(head, _CONTROL_BYTES)
    if nuls > len(head) * 0.01 or controls > len(head) * 0.1:
        return "binary data"
    return None


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: mostly-ASCII text has NULs at every other byte."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    return half > 0 and max(even, odd) > half * 0.3 and min(even, odd) < half * 0.02


def strip_terminal_escapes(data: bytes) -> tuple[bytes, int]:
    """The capture without terminal escape sequences, and how many there were."""
    if b"\x1b" not in data or data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data[:8192]):
        return data, 0
    return _ANSI_SEQUENCE.subn(b"", data)


def count_control_bytes(data: bytes) -> int:
    """Control characters a text capture should not hold (the cleaner removes them)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data[:8192]):
        return 0
    return _count_bytes(data, _CONTROL_BYTES)


def _count_bytes(data: bytes, which: bytes) -> int:
    """How many of data's bytes are among `which`, counted in one C-level pass."""
    return len(data) - len(data.translate(None, which))


def ingest(paths: Iterable[Path], config: Config, options: IngestOptions) -> IngestReport:
    """Clean every capture and write its articles; one bad capture never stops the others."""
    report = IngestReport()
    captures, report.errors = find_captures(paths)
    removed = remove_stale_temp_files(config.content_dir)
    if removed:
        report.notes.append(f"{display_path(config.content_dir)}: removed {removed} temporary file(s) "
                            f"left by an interrupted ingest")
    existing = index_existing(config.content_dir)
    classifier = TopicClassifier(config.topics)
    nearby = NearbyContent(config.content_dir)
    folders: dict[Path, Path] = {}
    for path, digest, capture in load_captures(captures, config, options, report):
        for index, article in enumerate(capture.articles, start=1):
            try:
                meta, body = make_article_file(article, capture, path, index, digest, config, options, classifier,
                                               folders)
                if meta["title"] != article.title:
                    report.notes.append(f"{display_path(path)}: article {index} has no title; "
                                        f"it was saved as \"{meta['title']}\": give it one")
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
            except DigestError as exc:
                report.errors.append(exc)
            except OSError as exc:
                where = exc.filename or config.content_dir
                report.errors.append(SourceError(where, None, f"cannot write article {index} of "
                                                              f"{display_path(path)}: {exc.strerror or exc}"))
            except Exception as exc:
                report.errors.append(internal_error(path, exc))
    return report


@dataclass(frozen=True)
class LoadedCapture:
    """One capture read and cleaned (in this process or a worker): plain data, so it travels."""

    path: Path
    digest: str  # hash of its bytes: with an article's position, the article's id
    capture: CleanedCapture | None  # None when it gives nothing (see `errors`)
    errors: tuple[DigestError, ...] = ()
    notes: tuple[str, ...] = ()  # for the curator, without the file's name


def load_captures(
    captures: list[Path], config: Config, options: IngestOptions, report: IngestReport,
) -> Iterator[tuple[Path, str, CleanedCapture]]:
    """Each capture that gives articles, with the hash of its bytes, in order; the others
    leave an error in the report.

    Captures are cleaned on every core once there are enough of them (`options.executor`), and
    come back in order: the articles written, their names and the report are the same either way.
    """
    # (a worker per core: this process has each result's classifying, checking and writing to do)
    runner = make_runner(options.executor, len(captures), threshold=PARALLEL_CAPTURES, helps=False)
    # (the progress callback draws on this terminal: it stays here)
    load = functools.partial(load_chunk, config, dataclasses.replace(options, progress=None))
    # what lives all along (modules, config, the caller's classifier) is hidden from the cycle
    # collector while the captures are cleaned and written: its full collections walked all of
    # it to free nothing (4% of a serial ingest of the dev captures)
    with heap_frozen():
        try:
            for done, loaded in enumerate(run_chunks(runner, load, captures, len(captures)), start=1):
                report.captures += 1
                report.errors += loaded.errors
                report.notes += [f"{display_path(loaded.path)}: {note}" for note in loaded.notes]
                if options.progress is not None:
                    options.progress("ingest", done, len(captures))
                if loaded.capture is not None:
                    yield loaded.path, loaded.digest, loaded.capture
        finally:
            runner.close()


def load_chunk(config: Config, options: IngestOptions, paths: Sequence[Path]) -> list[LoadedCapture]:
    """`load_capture` for each of `paths` (one task for a worker)."""
    return [load_capture(path, config, options) for path in paths]


def load_capture(path: Path, config: Config, options: IngestOptions) -> LoadedCapture:
    """Read and clean one capture; a capture that gives nothing comes back with its error."""
    try:
        data = read_capture(path)
        text_bytes, sequences = strip_terminal_escapes(data)
        capture = clean_capture(path, text_bytes, config, options)
    except Exception as exc:  # a cleaner bug must not cost the curator the other captures either
        return LoadedCapture(path, "", None, errors=(capture_error(path, exc),))
    removed = [f"{sequences} terminal escape sequence(s)"] if sequences else []
    controls = count_control_bytes(text_bytes)
    if controls:
        removed.append(f"{controls} control character(s) (NUL, escape or similar bytes that are not text)")
    notes = [f"removed {' and '.join(removed)}"] if removed else []
    return LoadedCapture(path, hashlib.sha256(data).hexdigest(), capture, notes=(*notes, *capture.notes))


def capture_error(path: Path, exc: Exception) -> DigestError:
    """What the curator is told of a capture that could not be read or cleaned."""
    if isinstance(exc, DigestError):
        return exc
    if isinstance(exc, OSError):
        return SourceError(path, None, f"cannot read the file: {exc.strerror or exc}")
    return internal_error(path, exc)


def internal_error(path: Path, exc: Exception) -> SourceError:
    """A bug met while cleaning one capture, reported like a user error, with its traceback as
    text (`--debug` prints it; text comes back from a worker process where `exc` would not)."""
    return SourceError(path, None, f"digest failed on this capture ({type(exc).__name__}: {exc}); "
                                   f"this is a bug: please report it with the file",
                       trace="".join(traceback.format_exception(exc)))


def remove_stale_temp_files(content_dir: Path) -> int:
    """Delete temporary files of ingests that were killed (their process no longer runs)."""
    if not content_dir.is_dir():
        return 0
    removed = 0
    for path in content_dir.rglob(".*.tmp"):
        match = _TEMP_NAME.match(path.name)
        if match is None or _process_alive(int(match.group("pid"))):
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this ingest has written nothing yet: anything with our pid is a leftover
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OverflowError:
        return False
    return True


def make_article_file(
    article: CleanedArticle, capture: CleanedCapture, path: Path, index: int, digest: str,
    config: Config, options: IngestOptions, classifier: TopicClassifier, folders: dict[Path, Path] | None = None,
) -> tuple[dict[str, Any], str]:
    """Front matter (in a fixed key order) and body for one cleaned article.

    `folders` keeps the captures' resolved folders over a run (see `origin_name`).
    """
    published = article.published or dt.datetime.fromtimestamp(path.stat().st_mtime, tz=config.tz)
    summary = article.summary or shorten(first_paragraph(article.body), SUMMARY_LIMIT)
    # the build refuses an article without a title; keep the text and let the curator name it
    title = article.title if clean_line(article.title) else f"Untitled ({path.stem}, article {index})"
    classified = classifier.classify(article_fields(title, summary, article.tags, article.body), explain=False)
    meta: dict[str, Any] = {
        "title": title,
        "date": published.replace(microsecond=0),
        "date_source": article.date_source,
        "source": options.source or article.source or capture.source,
        # the build accepts http(s) addresses only; a capture's `javascript:` link is never one
        "source_url": article.source_url if (article.source_url or "").startswith(("http://", "https://")) else None,
        "author": article.author,
        "topics": list(classified.topics),
        "topic_scores": None if classified.fallback else dict(classified.shares()),
        "tags": list(article.tags),
        "summary": summary,
        "image": {"caption": article.image_caption, "credit": article.image_credit}
        if article.image_caption or article.image_credit else None,
        "lang": article.language,
        "origin": {"capture": origin_name(path, config, folders), "index": index, "checksum": ""},
        "id": f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'capture:{digest}:{index}')}",
    }
    return {key: value for key, value in meta.items() if value not in (None, [], "")}, article.body


def origin_name(path: Path, config: Config, folders: dict[Path, Path] | None = None) -> str:
    """The capture's path relative to the site root when it lies inside it."""
    resolved = path.resolve() if folders is None else resolve_in_folder(path, folders)
    return resolved.relative_to(config.root).as_posix() if resolved.is_relative_to(config.root) else path.name


def resolve_in_folder(path: Path, folders: dict[Path, Path]) -> Path:
    """`path.resolve()`, with the folder's resolution remembered in `folders`.

    A capture that is no symbolic link resolves to its resolved folder and its name: one
    `lstat`, where resolving the whole path takes one per component, for every article.
    """
    if path.name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name


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


@dataclass
class ContentIndex:
    """The file of each article id in `content/`; new files must avoid every name in `taken`."""

    paths: dict[str, Path] = field(default_factory=dict)
    # the files `paths` holds, kept beside it so naming an article costs no pass over the archive
    taken: set[Path] = field(default_factory=set)

    def place(self, article_id: str, path: Path) -> None:
        """Record that `article_id` now lives in `path` (its earlier file, if any, is let go)."""
        earlier = self.paths.get(article_id)
        if earlier is not None:
            self.taken.discard(earlier)
        self.paths[article_id] = path
        self.taken.add(path)


def index_existing(content_dir: Path) -> ContentIndex:
    """Map article id -> file for every content file (ids are read without full YAML parsing)."""
    index = ContentIndex()
    for path in find_content_files(content_dir):
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = stream.read(4096)  # the id is near the top: an archive's bodies are never read
        match = _ID_LINE.search(head)
        if match and match.group(1).strip() not in index.paths:
            index.place(match.group(1).strip(), path)
    return index


def target_path(meta: dict[str, Any], config: Config, existing: ContentIndex) -> Path:
    """content/YYYY/MM/DD/<slug>.md, with -2, -3... when another article holds the name."""
    day = meta["date"].astimezone(config.tz).date()
    folder = config.content_dir / f"{day:%Y/%m/%d}"
    base = make_slug(meta["title"])
    for number in range(1, 1000):
        candidate = folder / (f"{base}.md" if number == 1 else f"{base}-{number}.md")
        if candidate not in existing.taken and not candidate.exists():
            return candidate
    raise DigestError(f"too many articles named {base!r} on {day}")


def write_article(
    meta: dict[str, Any], body: str, config: Config, existing: ContentIndex, force: bool
) -> Outcome:
    """Write one article unless that would lose a curator's edit."""
    title = meta["title"]
    current = existing.paths.get(meta["id"])
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
    existing.place(meta["id"], path)
    return Outcome("new", path, title)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written article."""
    prefix = f".{path.name}.{os.getpid()}."
    try:
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    except OSError:
        # most articles go to a day folder that exists: it is made (and any error about it
        # raised, as ever) only when the temporary file could not be created
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    try:
        # encoded in one step and written as bytes: what a UTF-8 text stream with "\n" line
        # ends writes, without building the stream
        data = text.encode("utf-8")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
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
    folders: dict[Path, Path] = {}
    if out_dir.resolve() == config.content_dir.resolve():
        raise DigestError("`digest clean --out` must not be the content folder; use `digest ingest` to add articles")
    for path, digest, capture in load_captures(captures, config, options, report):
        several = len(capture.articles) > 1
        for index, article in enumerate(capture.articles, start=1):
            target = out_dir / (f"{path.stem}__{index}.md" if several else f"{path.stem}.md")
            try:
                meta, body = make_article_file(article, capture, path, index, digest, config, options, classifier,
                                               folders)
                write_atomically(target, render_article_file(meta, body))
            except OSError as exc:
                report.errors.append(SourceError(exc.filename or target, None, f"cannot write article {index} of "
                                                                               f"{display_path(path)}: {exc.strerror or exc}"))
                continue
            except Exception as exc:
                report.errors.append(internal_error(path, exc))
                continue
            report.outcomes.append(Outcome("new", target, article.title))
    return report


def read_front_matter(path: Path) -> dict[str, Any]:
    """Parse one content file's front matter (used by tests and tools)."""
    return split_document(path.read_text(encoding="utf-8"), path).meta
