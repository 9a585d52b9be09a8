"""Property tests for the front matter reader and the content model.

Whatever a content file holds, reading it gives an article or a `SourceError` naming the file
(the documented error type), never another exception; what it gives is clean; and what ingest
writes with `dump_document` reads back the same.

Example counts are explicit; `DIGEST_PROPERTY_SCALE=10 pytest tests/test_properties_*.py`
runs ten times as many.
"""

from __future__ import annotations

import datetime as dt
import os
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import Config, Topic
from digest.content import KNOWN_KEYS, read_article
from digest.errors import SourceError
from digest.frontmatter import dump_document, split_document
from digest.slugs import is_slug, safe_join
from digest.topics import TopicClassifier
from digest.urls import article as article_route

SCALE = float(os.environ.get("DIGEST_PROPERTY_SCALE", "1"))


def examples(count: int) -> int:
    """The example count for one property, scaled by DIGEST_PROPERTY_SCALE for longer runs."""
    return max(1, int(count * SCALE))


SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]}
# Text that tends to break YAML, paths or markup, mixed with anything Unicode has
AWKWARD = st.sampled_from([
    "", " ", ":", ": ", "- ", "#", "---", "...", "[", "]", "{", "}", "&a", "*a", "!!python/object:os.system",
    "!!binary", "|", ">", "'", '"', "\\", "%", "@", "`", "\t", "\r\n", "\r", "\x00", "\x1b[2J", "\u202e",
    "\u200b", "\ufeff", "\ud7ff", "\ufffe", "\U0010ffff", "2026-02-30", "2026-02-08T09:30:00+00:00",
    "9999-12-31T23:59:59-12:00", "0001-01-01", "yes", "no", "null", "~", "1e999", "0x1F", ".nan",
    "../../etc/passwd", "<script>alert(1)</script>", "{{ 7*7 }}", "{% if x %}", "javascript:alert(1)",
])
TEXT = st.one_of(st.text(max_size=40), AWKWARD, st.lists(AWKWARD, max_size=6).map("".join))
SCALAR = st.one_of(
    TEXT, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(string.ascii_lowercase, min_size=1, max_size=8), inner, max_size=4),
), max_leaves=12)
KEY = st.one_of(st.sampled_from(sorted(KNOWN_KEYS)), st.text(string.ascii_letters + "_-", min_size=1, max_size=10))


def raw_line(key: str, value: str) -> str:
    return f"{key}: {value}"


# A front matter block three ways: valid YAML from the library, hand-written `key: value`
# lines (often invalid), and arbitrary text
FRONT_MATTER = st.one_of(
    st.dictionaries(KEY, VALUE, max_size=8).map(
        lambda meta: yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""),
    st.lists(st.tuples(KEY, TEXT), max_size=8).map(lambda pairs: "\n".join(raw_line(k, v) for k, v in pairs)),
    st.text(max_size=200),
)
BODY = st.one_of(st.text(max_size=200), st.lists(TEXT, max_size=10).map("\n".join))
DOCUMENT = st.one_of(
    st.builds(lambda fm, body: f"---\n{fm}\n---\n\n{body}", FRONT_MATTER, BODY),
    st.text(max_size=300),
    st.builds(lambda fm: f"---\n{fm}", FRONT_MATTER),
)
CONFIG_TOPICS = (Topic("economy", "Economy", "", ("market",)), Topic("disaster", "Disasters", "", ("storm",)))


@settings(max_examples=examples(500), **SETTINGS)
@given(DOCUMENT)
def test_split_document_gives_a_document_or_a_source_error(text: str) -> None:
    try:
        document = split_document(text, "content/a.md")
    except SourceError as error:
        assert str(error).startswith("content/a.md:")
        assert error.line is None or error.line >= 1
        return
    assert isinstance(document.meta, dict)
    assert document.body.endswith("\n")


@settings(max_examples=examples(300), **SETTINGS)
@given(DOCUMENT.map(lambda text: text.encode("utf-8", "surrogatepass")) | st.binary(max_size=300))
def test_read_article_gives_a_clean_article_or_a_source_error(tmp_path_factory: object, data: bytes) -> None:
    root = Path(tmp_path_factory.mktemp("prop"))  # type: ignore[attr-defined]
    config = Config(root=root, content_dir=root / "content", topics=CONFIG_TOPICS)
    path = root / "content/2026/02/08/story.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    try:
        article, notes = read_article(path, config, TopicClassifier(CONFIG_TOPICS))
    except SourceError as error:
        assert error.path == str(path)
        assert "\n" not in error.message and len(error.message) < 1000
        return
    assert all(isinstance(note, str) for note in notes)
    if article is None:  # a draft
        return
    assert article.title and article.title == article.title.strip()
    assert all(ch.isprintable() for ch in article.title)
    assert article.date.tzinfo is not None and article.updated >= article.date
    assert 1000 <= article.date.year <= 9998
    assert is_slug(article.slug)
    assert set(article.topics) <= {"economy", "disaster"}
    target = safe_join(root / "site", article_route(article.day, article.slug).path)
    assert target.resolve().is_relative_to((root / "site").resolve())


META_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60) | AWKWARD
META = st.fixed_dictionaries(
    {"title": META_TEXT.filter(lambda s: s.strip() != ""),
     "date": st.datetimes(min_value=dt.datetime(1000, 1, 2), max_value=dt.datetime(9998, 12, 30),
                          timezones=st.timezones()).map(lambda d: d.replace(microsecond=0))},
    optional={"summary": META_TEXT, "source": META_TEXT, "tags": st.lists(META_TEXT, max_size=4),
              "origin": st.fixed_dictionaries({"capture": META_TEXT, "index": st.integers(1, 99),
                                               "checksum": st.just("")}),
              "image": st.fixed_dictionaries({"caption": META_TEXT, "credit": META_TEXT})},
)


@settings(max_examples=examples(300), **SETTINGS)
@given(META, BODY)
def test_what_ingest_writes_reads_back_the_same(meta: dict[str, object], body: str) -> None:
    text = dump_document(meta, body)
    document = split_document(text, "content/a.md")
    assert document.meta.keys() == meta.keys()
    for key, value in meta.items():
        read = document.meta[key]
        if isinstance(value, dt.datetime):
            # the same instant; compared as UTC because `==` across zones is False for a local
            # time that falls in a daylight-saving gap
            assert instant(read) == instant(value)
        else:
            assert read == value, key


def instant(moment: dt.datetime) -> dt.datetime:
    offset = moment.utcoffset()
    assert offset is not None
    return moment.replace(tzinfo=None) - offset
