"""Errors a person can act on: `file:line: what is wrong, how to fix it`."""

from __future__ import annotations

import datetime as dt
import os
import reprlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxlist, _BRIEF.maxdict, _BRIEF.maxstring, _BRIEF.maxother = 2, 4, 4, 40, 40


class DigestError(Exception):
    """A problem the user caused and can fix; the CLI prints it without a traceback."""


class SourceError(DigestError):
    """A problem located in one input file, optionally at one line."""

    def __init__(self, path: str | Path, line: int | None, message: str, trace: str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        # the traceback of a bug in digest behind the error (`--debug` prints it): text, which
        # crosses from a worker process where the exception object itself would not
        self.trace = trace
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = display_path(self.path)
        where = shown if self.line is None else f"{shown}:{self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, int | None, str, str | None]]:
        # errors travel back from worker processes; rebuild them from their parts
        return (SourceError, (self.path, self.line, self.message, self.trace))

    def sort_key(self) -> tuple[str, int]:
        """Order errors by file, then line."""
        return (self.path, self.line or 0)


class SourceChanged(SourceError):
    """A file changed between being read and being rendered (an editor saving it just then):
    no fault of the file, and building again picks up what it says now."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, None, "changed while the site was being built; build again")

    def __reduce__(self) -> tuple[type[SourceChanged], tuple[str]]:  # type: ignore[override]
        return (SourceChanged, (self.path,))


class BuildAborted(DigestError):
    """Several input files were bad; every one of them is listed."""

    def __init__(self, errors: Iterable[DigestError], what: str = "build") -> None:
        self.errors = sorted(errors, key=_error_key)
        self.what = what
        count = len(self.errors)
        super().__init__(f"{what} failed: {count} error{'s' if count != 1 else ''}")

    def lines(self) -> list[str]:
        """One line per error, then the summary."""
        return [str(error) for error in self.errors] + [str(self)]


def _error_key(error: DigestError) -> tuple[str, int]:
    return error.sort_key() if isinstance(error, SourceError) else ("", 0)


def display_path(path: str | Path) -> str:
    """Show a path relative to the current folder when it lies inside it."""
    text = str(path)
    try:
        relative = os.path.relpath(text)
    except ValueError:
        return text
    return text if relative.startswith("..") else relative


def brief(value: Any, limit: int = 60) -> str:
    """A short repr of a value for an error message, whatever its size or nesting.

    A YAML alias bomb makes a list whose full repr would never finish; this one looks at a few
    items of the first levels only.
    """
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        shown = repr(value[:limit])
        return shown + "..." if len(value) > limit else shown
    shown = _BRIEF.repr(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
