"""Split, parse and write YAML front matter, with line-numbered errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError

FENCE = "---"
try:  # the C loader is ten times faster; fall back when libyaml is missing
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Document:
    """A content file split in two: its metadata and its Markdown body."""

    meta: dict[str, Any]
    body: str
    body_line: int  # line number of the body's first line in the file


def split_document(text: str, path: str | Path) -> Document:
    """Split `---` front matter from the body and parse it; errors name file and line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    first_end = text.find("\n")
    if (text[:first_end] if first_end >= 0 else text).rstrip() != FENCE:
        raise SourceError(path, 1, "the file must start with a `---` line opening the front matter")
    closing = _find_closing_fence(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        raise SourceError(path, 1, "the front matter is never closed: add a `---` line after it")
    fence_start, body_start = closing
    source = text[first_end + 1 : fence_start]
    try:
        meta = yaml.load(source, Loader=_Loader) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = 2 + mark.line if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(path, line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(meta, dict):
        raise SourceError(path, 2, "front matter must be a mapping of `key: value` lines")
    body_line = text.count("\n", 0, body_start) + 1
    return Document(meta, text[body_start:].strip("\n") + "\n", body_line)


def _find_closing_fence(text: str, start: int) -> tuple[int, int] | None:
    """(start of the closing `---` line, start of the line after it), or None."""
    while start < len(text):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.rstrip() in (FENCE, "..."):
            return start, len(text) if end < 0 else end + 1
        if end < 0:
            return None
        start = end + 1
    return None


def split_body(text: str) -> str:
    """Only the body of a content file (no YAML parsing), for files already validated."""
    if text.startswith("\ufeff"):
        text = text[1:]
    closing = _find_closing_fence(text, text.find("\n") + 1)
    return text[closing[1] :].strip("\n") + "\n" if closing else "\n"


def find_key_line(text: str, key: str) -> int | None:
    """Return the line of a top-level front matter key, for error messages."""
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line.rstrip() == FENCE:
            return None
        if line.startswith(f"{key}:"):
            return number
    return None


_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """Safe dumper (libyaml's when present) writing aware datetimes as plain ISO 8601 with a `T`."""


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(dt.datetime, _represent_datetime)


def dump_document(meta: dict[str, Any], body: str) -> str:
    """Write front matter with a YAML library (never by hand), then the body."""
    header = yaml.dump(
        meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000,
        default_flow_style=False,
    )
    return f"{FENCE}\n{header}{FENCE}\n\n{body.strip()}\n"
