"""Property tests for the cleaner and what ingest writes from it.

The cleaner's documented contract: odd input never raises. Ingest's: a capture gives articles
or a `SourceError` naming it; and every file ingest writes is one the build accepts and renders
without letting captured code run.

`DIGEST_PROPERTY_SCALE=10` runs ten times as many examples.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.cleaning import CleanedArticle, CleanedCapture, DateReference, clean_text, decode_capture
from digest.config import Config, Topic
from digest.content import read_article
from digest.errors import SourceError
from digest.ingest import IngestOptions, clean_capture, make_article_file, render_article_file
from digest.markdown import render_markdown
from digest.topics import TopicClassifier

from .test_hostile_site import DISGUISE, assert_html_is_inert
from .test_properties_markdown import DOCUMENT, FRAGMENTS

SCALE = float(os.environ.get("DIGEST_PROPERTY_SCALE", "1"))


def examples(count: int) -> int:
    return max(1, int(count * SCALE))


SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
CAPTURES = Path(__file__).resolve().parent / "broken" / "captures"
REFERENCE = DateReference(tz=dt.timezone.utc, option=dt.date(2026, 2, 10))
TOPICS = (Topic("economy", "Economy", "", ("market", "harbour")), Topic("disaster", "Disasters", "", ("storm",)))
SAMPLE = (CAPTURES / "harbour-en.txt").read_text(encoding="utf-8")
_FORBIDDEN_AFTER_DECODE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\r]")

# Captures: arbitrary bytes, a real capture cut and spliced with hostile fragments, re-encoded
CAPTURE_TEXT = st.one_of(
    st.text(max_size=400),
    st.builds(lambda cut, extra, position: SAMPLE[:position] + extra + SAMPLE[position:cut],
              st.integers(0, len(SAMPLE)), st.lists(FRAGMENTS | st.text(max_size=8), max_size=8).map("".join),
              st.integers(0, len(SAMPLE))),
    st.lists(st.sampled_from(SAMPLE.split("\n")) | FRAGMENTS, max_size=30).map("\n".join),
)
ENCODED = st.builds(
    lambda text, encoding, line_end: text.replace("\n", line_end).encode(encoding, errors="replace"),
    CAPTURE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "cp1251"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)


@settings(max_examples=examples(400), **SETTINGS)
@given(st.binary(max_size=600) | ENCODED)
def test_decoding_any_bytes_gives_clean_text(data: bytes) -> None:
    text = decode_capture(data)
    assert isinstance(text, str)
    assert not _FORBIDDEN_AFTER_DECODE.search(text)


@settings(max_examples=examples(250), **SETTINGS)
@given(CAPTURE_TEXT)
def test_the_cleaner_never_raises(text: str) -> None:
    capture = clean_text(text, REFERENCE)
    assert isinstance(capture, CleanedCapture)
    for article in capture.articles:
        assert isinstance(article.title, str) and isinstance(article.body, str)
        assert article.published is None or article.published.tzinfo is not None


@settings(max_examples=examples(150), **SETTINGS)
@given(st.binary(max_size=400) | ENCODED)
def test_a_capture_gives_articles_or_a_source_error(tmp_path_factory: object, data: bytes) -> None:
    folder = Path(tmp_path_factory.mktemp("capture"))  # type: ignore[attr-defined]
    path = folder / "capture.txt"
    path.write_bytes(data)
    config = Config(root=folder, content_dir=folder / "content", topics=TOPICS)
    try:
        capture = clean_capture(path, data, config, IngestOptions(date=dt.date(2026, 2, 10)))
    except SourceError as error:
        assert error.path == str(path) and error.message
        return
    assert capture.articles


ONE_LINE = st.one_of(st.text(max_size=60), FRAGMENTS, st.lists(FRAGMENTS | st.text(max_size=5), max_size=6).map("".join))
ARTICLE = st.builds(
    CleanedArticle,
    title=ONE_LINE,
    body=DOCUMENT,
    published=st.none() | st.datetimes(min_value=dt.datetime(1000, 1, 2), max_value=dt.datetime(9998, 12, 30),
                                       timezones=st.timezones()),
    summary=st.none() | ONE_LINE,
    author=st.none() | ONE_LINE,
    source=st.none() | ONE_LINE,
    source_url=st.none() | st.sampled_from(["https://example.org/a?b=1&c=2", "javascript:alert(1)", "data:x"]),
    image_caption=st.none() | ONE_LINE,
    image_credit=st.none() | ONE_LINE,
    tags=st.lists(ONE_LINE, max_size=3).map(tuple),
)


@settings(max_examples=examples(200), **SETTINGS)
@given(ARTICLE)
def test_every_file_ingest_writes_builds_and_renders_inert(tmp_path_factory: object, article: CleanedArticle) -> None:
    folder = Path(tmp_path_factory.mktemp("ingested"))  # type: ignore[attr-defined]
    capture_path = folder / "capture.txt"
    capture_path.write_text("x", encoding="utf-8")
    config = Config(root=folder, content_dir=folder / "content", topics=TOPICS)
    classifier = TopicClassifier(TOPICS)
    capture = CleanedCapture(articles=(article,))
    meta, body = make_article_file(article, capture, capture_path, 1, "0" * 64, config, IngestOptions(), classifier)
    path = folder / "content/2026/02/10/story.md"
    path.parent.mkdir(parents=True)
    path.write_text(render_article_file(meta, body), encoding="utf-8")
    read, _ = read_article(path, config, classifier)  # never a SourceError: ingest writes what the build takes
    assert read is not None and read.title
    assert read.source_url is None or read.source_url.startswith("https://")
    html = render_markdown(body)
    assert_html_is_inert(html, repr(body))
    assert not DISGUISE.search(html) and not DISGUISE.search(read.title) and not DISGUISE.search(read.summary)
