"""Split, parse and write YAML front matter, with line-numbered errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SourceError

if TYPE_CHECKING:
    import yaml

FENCE = "---"
# Limits that keep a broken or hostile file from exhausting the parser: libyaml recurses in C
# on nested `[`/`{` and crashes the whole process (not an exception) near 50,000 levels.
MAX_FRONT_MATTER = 1_000_000  # characters
MAX_FLOW_DEPTH = 100
_TOP_KEY = re.compile(r"^([^\s#'\"\-?:][^:#\n]*?|'[^'\n]*'|\"[^\"\n]*\")[ \t]*:(?:\s|$)", re.MULTILINE)
# What YAML's messages mean for someone writing front matter by hand
_HINTS = (
    ("mapping values are not allowed", "put text containing `: ` in quotes, e.g. title: \"Iran: talks resume\""),
    ("found character that cannot start any token", "put text starting with @, ` or % in quotes"),
    ("found undefined alias", "put text starting with * or & in quotes"),
    ("found unknown escape character", "inside double quotes write a backslash as \\\\, or use single quotes"),
    ("could not determine a constructor", "remove the `!` tag: front matter holds plain text, numbers, "
                                         "lists and dates only"),
    ("unacceptable character", "remove it (editors often show it as nothing or as a box)"),
)

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
    if not text.strip():
        raise SourceError(path, 1, "the file is empty; an article starts with front matter: "
                                   "`---`, `title: ...`, `date: ...`, `---`")
    first_end = text.find("\n")
    if (text[:first_end] if first_end >= 0 else text).rstrip() != FENCE:
        raise SourceError(path, 1, "the file must start with a `---` line opening the front matter")
    closing = _find_closing_fence(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        raise SourceError(path, 1, "the front matter is never closed: add a `---` line after it")
    fence_start, body_start = closing
    source = text[first_end + 1 : fence_start]
    check_shape(source, path)
    from . import yamlcodec  # PyYAML only now (see `yamlcodec`)

    try:
        meta = yamlcodec.load(source) if source.strip() else {}
    except yamlcodec.BadValue as exc:
        raise SourceError(path, 2 + exc.problem_mark.line, exc.problem) from None
    except yamlcodec.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        position = getattr(exc, "position", None)  # a ReaderError (bad character) has no mark
        line = 2 + (mark.line if mark is not None else source[: position or 0].count("\n"))
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(path, line, f"front matter is not valid YAML: {problem}{_hint(exc, problem, source)}") from None
    except RecursionError:  # pragma: no cover - the pure-Python loader, when libyaml is missing
        raise SourceError(path, 2, "front matter is nested too deeply to read") from None
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


def _hint(exc: yaml.YAMLError, problem: str, source: str) -> str:
    """How to fix a YAML error, in the curator's terms ("" when there is nothing to add)."""
    mark = getattr(exc, "problem_mark", None)
    lines = source.split("\n")
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        return "; indent with spaces, not tabs"
    context, start = str(getattr(exc, "context", "") or ""), getattr(exc, "context_mark", None)
    if start is not None and context.startswith("while parsing a flow") and "expected" in problem:
        bracket = "[" if "sequence" in context else "{"
        return f"; close the `{bracket}` opened on line {start.line + 2}"
    return next((f"; {fix}" for clue, fix in _HINTS if clue in problem), "")


def check_shape(source: str, path: str | Path) -> None:
    """Refuse front matter too big or too deeply nested to parse safely, and repeated keys."""
    if len(source) > MAX_FRONT_MATTER:
        raise SourceError(path, 2, f"front matter is over {MAX_FRONT_MATTER:,} characters; "
                                   "keep metadata there and put the text in the body")
    if source.count("[") + source.count("{") > MAX_FLOW_DEPTH:  # rare: only then walk the text
        depth = 0
        for number, line in enumerate(source.split("\n"), start=2):
            for char in line:
                if char in "[{":
                    depth += 1
                    if depth > MAX_FLOW_DEPTH:
                        raise SourceError(path, number, f"front matter nests `[` or `{{` more than "
                                                        f"{MAX_FLOW_DEPTH} levels deep; close the brackets")
                elif char in "]}" and depth:
                    depth -= 1
    keys = [key.strip("'\"") for key in _TOP_KEY.findall(source)]
    if len(keys) != len(set(keys)):  # YAML keeps the last silently; the curator meant one
        seen: dict[str, int] = {}
        for number, line in enumerate(source.split("\n"), start=2):
            match = _TOP_KEY.match(line)
            if match is None:
                continue
            key = match.group(1).strip("'\"")
            if key in seen:
                raise SourceError(path, number, f"`{key}` is given twice (first on line {seen[key]}); keep one")
            seen[key] = number


def find_key_line(text: str, key: str) -> int | None:
    """Return the line of a top-level front matter key, for error messages."""
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if line.rstrip() == FENCE:
            return None
        if line.startswith(f"{key}:"):
            return number
    return None


def dump_document(meta: dict[str, Any], body: str) -> str:
    """Write front matter with a YAML library (never by hand), then the body."""
    from . import yamlcodec  # PyYAML only now (see `yamlcodec`)

    header = yamlcodec.dump(meta)
    return f"{FENCE}\n{header}{FENCE}\n\n{body.strip()}\n"
