"""Property tests for the slugger and path joins: no text can name a file outside `site/`.

`DIGEST_PROPERTY_SCALE=10` runs ten times as many examples.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import urls
from digest.errors import DigestError
from digest.slugs import MAX_SLUG, SLUG_RE, is_slug, make_slug, safe_join

SCALE = float(os.environ.get("DIGEST_PROPERTY_SCALE", "1"))


def examples(count: int) -> int:
    return max(1, int(count * SCALE))


PATHY = st.sampled_from([
    "..", ".", "/", "\\", "../", "..\\", "%2e%2e", "%2f", "\x00", "~", "$HOME", "C:", "//", "\u2024\u2024",
    "\uff0e\uff0e", "\u2215", "\u29f8", "CON", "etc", "passwd", " ", "\n", "\u202e", "\u0130", "ß", "ﬁ",
])
TITLE = st.one_of(st.text(max_size=120), st.lists(st.one_of(PATHY, st.text(max_size=5)), max_size=20).map("".join))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("slugs") / "site"


@settings(max_examples=examples(800), deadline=None)
@given(TITLE)
def test_a_slug_is_short_safe_ascii_and_never_empty(title: str) -> None:
    slug = make_slug(title)
    assert SLUG_RE.fullmatch(slug) and is_slug(slug)
    assert slug.isascii() and 1 <= len(slug) <= MAX_SLUG
    assert make_slug(title) == slug  # stable


@settings(max_examples=examples(300), deadline=None)
@given(TITLE, st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9998, 12, 31)))
def test_every_article_route_from_any_title_stays_inside_the_site(root: Path, title: str, day: dt.date) -> None:
    for route in (urls.article(day, make_slug(title)), urls.topic(make_slug(title)),
                  urls.feed("atom", make_slug(title)), urls.topic_month(make_slug(title), day.year, day.month, 2)):
        target = safe_join(root, route.path)
        assert target.resolve().is_relative_to(root.resolve())
        assert route.url.startswith("/") and ".." not in route.url.split("/")


@settings(max_examples=examples(1000), deadline=None)
@given(st.lists(st.one_of(PATHY, st.text(max_size=6)), min_size=0, max_size=8).map("/".join)
       | st.text(max_size=60))
def test_safe_join_stays_inside_or_refuses(root: Path, relative: str) -> None:
    try:
        target = safe_join(root, relative)
    except DigestError as error:
        assert str(error).startswith("refusing to write outside the output folder: ")
        return
    except ValueError as error:  # pragma: no cover - would be a bug: documented type is DigestError
        pytest.fail(f"safe_join raised {error!r} for {relative!r}")
    assert target.resolve().is_relative_to(root.resolve())
    assert target != root


@settings(max_examples=examples(800), deadline=None)
@given(st.text(max_size=220))
def test_anything_that_passes_as_a_slug_is_one_harmless_path_segment(text: str) -> None:
    if is_slug(text):
        assert "/" not in text and "\\" not in text and text not in (".", "..")
        assert text.isascii() and text == text.lower()
