"""Load `digest.toml` into a frozen, validated `Config`.

Every problem in the file is collected before failing, unknown keys only warn, and each
message names the line the key stands on, so the curator can fix the file in one pass.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BuildAborted, DigestError, SourceError, brief

CONFIG_NAME = "digest.toml"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Topic:
    """One section of the digest: what it is called and which words point to it."""

    slug: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """Site settings; paths are absolute once loaded."""

    root: Path = Path(".")
    title: str = "digest"
    description: str = "A curated news digest."
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en"
    timezone: str = "UTC"
    content_dir: Path = Path("content")
    output_dir: Path = Path("site")
    templates_dir: Path = Path("templates")
    cache_dir: Path = Path(".digest-cache")
    feed_length: int = 50
    feed_full_content: bool = True
    items_per_page: int = 30
    search: bool = True  # build the Pagefind search index and the search page
    search_full_text: bool = False  # index article bodies too, not only headlines and summaries
    topics: tuple[Topic, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def tz(self) -> ZoneInfo:
        """The site's timezone: editions are days in it."""
        return ZoneInfo(self.timezone)

    def topic(self, slug: str) -> Topic | None:
        """Return the topic with this slug, if the site has one."""
        return next((topic for topic in self.topics if topic.slug == slug), None)

    def with_overrides(self, **changes: Any) -> Config:
        """Return a copy with command-line options applied (None means: keep)."""
        changes = {key: value for key, value in changes.items() if value is not None}
        if "base_url" in changes:
            changes["base_url"] = normalise_base_url(changes["base_url"])
        for key in ("content_dir", "output_dir", "cache_dir", "templates_dir"):
            if key in changes:
                changes[key] = (self.root / changes[key]).resolve()
        return replace(self, **changes)


def normalise_base_url(url: str) -> str:
    """Give the base URL exactly one trailing slash."""
    return url.rstrip("/") + "/"


# key -> (type check, what to say, converter)
_Check = tuple[Callable[[Any], bool], str]
_SCALARS: dict[str, _Check] = {
    "title": (lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string"),
    "description": (lambda v: isinstance(v, str), "a string"),
    "base_url": (lambda v: isinstance(v, str) and _is_http_url(v), "an absolute http(s) URL"),
    "language": (
        lambda v: isinstance(v, str) and bool(re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", v)),
        'a language tag such as "en" or "en-GB"',
    ),
    "timezone": (lambda v: isinstance(v, str) and _is_timezone(v), 'an IANA timezone such as "UTC" or "Europe/Paris"'),
    "content_dir": (lambda v: isinstance(v, str) and bool(v), "a folder path"),
    "output_dir": (lambda v: isinstance(v, str) and bool(v), "a folder path"),
    "templates_dir": (lambda v: isinstance(v, str) and bool(v), "a folder path"),
    "cache_dir": (lambda v: isinstance(v, str) and bool(v), "a folder path"),
    "feed_length": (lambda v: _is_int(v) and 1 <= v <= 10_000, "a whole number from 1 to 10000"),
    "feed_full_content": (lambda v: isinstance(v, bool), "true or false"),
    "items_per_page": (lambda v: _is_int(v) and 1 <= v <= 10_000, "a whole number from 1 to 10000"),
    "search": (lambda v: isinstance(v, bool), "true or false"),
    "search_full_text": (lambda v: isinstance(v, bool), "true or false"),
}
_TOPIC_KEYS = {"slug", "name", "description", "keywords"}
# What tomllib's messages mean for someone editing digest.toml by hand
_TOML_HINTS = (
    ("Invalid value", 'text needs quotes, e.g. title = "My digest"'),
    ("Cannot overwrite a value", "a setting is given twice; keep one"),
    ("Cannot declare", "a table is given twice; keep one"),
    ("Expected '=' after a key", "write settings as key = value"),
)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_timezone(value: str) -> bool:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def load_config(root: Path | str = ".", path: Path | None = None) -> Config:
    """Read `digest.toml` from the site root; a missing file means all defaults.

    Raises BuildAborted listing every problem when the file is invalid.
    """
    root = Path(root).resolve()
    path = path or root / CONFIG_NAME
    if not path.exists():
        return _finish(Config(root=root), {}, root)
    text = read_config_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        hint = next((f"; {fix}" for clue, fix in _TOML_HINTS if str(exc).startswith(clue)), "")
        raise BuildAborted([SourceError(path, line, f"not valid TOML: {exc}{hint}")], "config") from None
    return _finish(Config(root=root), data, root, path, text)


def read_config_text(path: Path) -> str:
    """The config file's text; an unreadable or non-UTF-8 file is a located error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildAborted([SourceError(path, None, f"cannot read the file: {exc.strerror or exc}")],
                           "config") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BuildAborted([SourceError(path, line, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                                    "save it as UTF-8")], "config") from None


def _finish(
    base: Config, data: Mapping[str, Any], root: Path, path: Path | None = None, text: str = ""
) -> Config:
    where = path or root / CONFIG_NAME
    errors: list[DigestError] = []
    warnings: list[str] = []
    values: dict[str, Any] = {}

    def line_of(key: str, after: int = 0) -> int | None:
        return _find_key_line(text, key, after)

    for key, value in data.items():
        if key == "topics":
            continue
        if key not in _SCALARS:
            warnings.append(
                f"{where}:{line_of(key) or 1}: unknown setting `{key}` is ignored "
                f"(known: {', '.join(sorted([*_SCALARS, 'topics']))})"
            )
            continue
        check, wanted = _SCALARS[key]
        if not check(value):
            errors.append(SourceError(where, line_of(key), f"`{key}` must be {wanted}, got {brief(value)}"))
            continue
        values[key] = value

    topics, topic_errors, topic_warnings = _read_topics(data.get("topics"), where, text)
    errors += topic_errors
    warnings += topic_warnings
    if errors:
        raise BuildAborted(errors, "config")
    if not topics:
        topics = load_default_topics()
    if "base_url" in values:
        values["base_url"] = normalise_base_url(values["base_url"])
    for key in ("content_dir", "output_dir", "templates_dir", "cache_dir"):
        values[key] = (root / values.get(key, getattr(base, key))).resolve()
    return replace(base, topics=tuple(topics), warnings=tuple(warnings), **values)


def _read_topics(
    raw: Any, where: Path, text: str
) -> tuple[list[Topic], list[DigestError], list[str]]:
    topics: list[Topic] = []
    errors: list[DigestError] = []
    warnings: list[str] = []
    if raw is None:
        return topics, errors, warnings
    if not isinstance(raw, list):
        line = _find_key_line(text, "topics")
        errors.append(SourceError(where, line, "`topics` must be a list of [[topics]] tables"))
        return topics, errors, warnings
    # [[topics]] headers in order give each table its line
    header_lines = [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == "[[topics]]"]
    seen: set[str] = set()
    for index, item in enumerate(raw):
        line = header_lines[index] if index < len(header_lines) else None
        if not isinstance(item, dict):
            errors.append(SourceError(where, line, f"topic #{index + 1} must be a table"))
            continue
        for key in sorted(set(item) - _TOPIC_KEYS):
            warnings.append(f"{where}:{line or 1}: unknown topic setting `{key}` is ignored")
        slug = item.get("slug")
        name = item.get("name", slug)
        description = item.get("description", "")
        keywords = item.get("keywords", [])
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            errors.append(
                SourceError(where, line, f"topic #{index + 1}: `slug` must be lower-case letters, "
                            f"digits and hyphens, got {brief(slug)}")
            )
            continue
        if slug in seen:
            errors.append(SourceError(where, line, f"topic `{slug}` is defined twice; keep one"))
            continue
        seen.add(slug)
        if not isinstance(name, str) or not name.strip():
            errors.append(SourceError(where, line, f"topic `{slug}`: `name` must be a non-empty string"))
            continue
        if not isinstance(description, str):
            errors.append(SourceError(where, line, f"topic `{slug}`: `description` must be a string"))
            continue
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            errors.append(SourceError(where, line, f"topic `{slug}`: `keywords` must be a list of strings"))
            continue
        topics.append(Topic(slug, name.strip(), description.strip(), tuple(k.strip() for k in keywords if k.strip())))
    return topics, errors, warnings


def _find_key_line(text: str, key: str, after: int = 0) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text, after)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def default_config_path() -> Path:
    """The packaged default `digest.toml` (in a wheel) or the sample's (in a checkout)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_defaults" / CONFIG_NAME, package.parent / CONFIG_NAME):
        if candidate.exists():
            return candidate
    raise DigestError("the default digest.toml is missing from the installation; reinstall digest")


def load_default_topics() -> list[Topic]:
    """Topics of the default taxonomy, for sites whose config names none."""
    path = default_config_path()
    text = path.read_text(encoding="utf-8")
    topics, errors, _ = _read_topics(tomllib.loads(text).get("topics"), path, text)
    if errors:
        raise BuildAborted(errors, "default config")
    return topics
