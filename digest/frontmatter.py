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
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise SourceError(path, 1, "the file must start with a `---` line opening the front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        raise SourceError(path, 1, "the front matter is never closed: add a `---` line after it")
    source = "\n".join(lines[1:end])
    try:
        meta = yaml.load(source, Loader=_Loader) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = 2 + mark.line if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(path, line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(meta, dict):
        raise SourceError(path, 2, "front matter must be a mapping of `key: value` lines")
    body_lines = lines[end + 1 :]
    return Document(meta, "\n".join(body_lines).strip("\n") + "\n", end + 2)


def find_key_line(text: str, key: str) -> int | None:
    """Return the line of a top-level front matter key, for error messages."""
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line.rstrip() == FENCE:
            return None
        if line.startswith(f"{key}:"):
            return number
    return None


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes aware datetimes as plain ISO 8601 with a `T`."""


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
