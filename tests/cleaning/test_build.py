"""Which build of the cleaner the tests run: the .py files, or the opt-in mypyc build.

An editable install must run the .py files: a compiled module left beside them (the
mypyc build writes its extensions into the source tree) would be imported instead, and
every edit to the .py file silently ignored. `DIGEST_EXPECT_COMPILED=1` (set by CI for
its compiled run) asserts the opposite: that the tests really ran the compiled build.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import pickle
from pathlib import Path

import digest
import digest.cleaning
from digest.cleaning import (
    DateReference,
    article,
    body,
    boilerplate,
    boundaries,
    bylines,
    captions,
    capture,
    casing,
    clean_text,
    dates,
    decode,
    extract,
    html,
    lines,
    metadata,
    model,
    patterns,
    publication,
    reflow,
    segment,
    signals,
)

# What the mypyc build compiles: all but `model` (see pyproject.toml).
_MODULES = (
    digest.cleaning,
    *(article, body, boilerplate, boundaries, bylines, captions, capture, casing, dates),
    *(decode, extract, html, lines, metadata, patterns, publication, reflow, segment),
    signals,
)
_EXTENSIONS = (".so", ".pyd")
_FIXTURES = Path(__file__).parent / "fixtures"


def _compiled() -> list[str]:
    """The cleaning modules imported from a compiled extension."""
    return [module.__name__ for module in _MODULES if str(module.__file__).endswith(_EXTENSIONS)]


def test_cleaner_build_is_all_of_one_kind() -> None:
    assert _compiled() in ([], [module.__name__ for module in _MODULES])
    assert str(model.__file__).endswith(".py")  # the public records: never compiled


def test_source_checkout_runs_the_py_files() -> None:
    if os.environ.get("DIGEST_EXPECT_COMPILED") == "1":
        assert _compiled(), f"the pure cleaner ran: {lines.__file__}"
        assert "site-packages" in Path(digest.__file__).parts
        return
    if "site-packages" not in Path(digest.__file__).parts:
        stray = sorted(Path(digest.__file__).parent.rglob("*.so"))
        assert not _compiled() and not stray, (
            f"compiled modules in the source tree shadow the .py files: {stray}; remove them "
            "(build the compiled install with HATCH_BUILD_CLEAN_HOOKS_AFTER=1)"
        )


def test_public_records_pickle_and_copy() -> None:
    """The cleaner's results can travel between processes and be copied in either build."""
    reference = DateReference(tz=dt.UTC, option=dt.date(2026, 2, 10))
    capture = clean_text((_FIXTURES / "multi_capture.txt").read_text(encoding="utf-8"), reference)
    assert len(capture.articles) >= 2
    assert pickle.loads(pickle.dumps(capture)) == capture
    assert copy.deepcopy(capture) == capture
