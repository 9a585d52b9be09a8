from __future__ import annotations

import datetime as dt

import pytest

from digest.errors import SourceError
from digest.frontmatter import dump_document, split_document


def test_split_parses_meta_and_body() -> None:
    doc = split_document("---\ntitle: A\ndate: 2026-02-08T09:30:00+01:00\n---\n\nBody line\n", "a.md")
    assert doc.meta["title"] == "A"
    assert doc.meta["date"] == dt.datetime(2026, 2, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert doc.body == "Body line\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: A\n", "a.md:1: the file must start with a `---` line opening the front matter"),
        ("---\ntitle: A\n", "a.md:1: the front matter is never closed: add a `---` line after it"),
        ("---\ntitle: A\ntags: [x\n---\n",
         "a.md:4: front matter is not valid YAML: did not find expected ',' or ']'; close the `[` opened on line 3"),
        ("---\n- a\n- b\n---\n", "a.md:2: front matter must be a mapping of `key: value` lines"),
    ],
)
def test_split_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        split_document(text, "a.md")
    assert str(caught.value) == message


def test_dump_round_trips_awkward_titles() -> None:
    meta = {"title": 'Iran: "no" to talks # not a comment', "date": dt.datetime(2026, 2, 8, tzinfo=dt.timezone.utc),
            "tags": ["a: b", "{{ x }}"]}
    text = dump_document(meta, "Body\n")
    assert "date: 2026-02-08T00:00:00+00:00\n" in text
    assert split_document(text, "x.md").meta == meta


def test_dump_writes_a_shared_list_twice_without_anchors() -> None:
    tags = ["storm", "coast"]
    text = dump_document({"title": "T", "tags": tags, "keywords": tags}, "Body\n")
    assert "&" not in text and "*" not in text
    assert split_document(text, "x.md").meta == {"title": "T", "tags": tags, "keywords": tags}


def test_an_impossible_value_error_pickles_back_from_a_worker() -> None:
    """Parse errors travel back from worker processes, and tools such as tblib (which Dask
    installs) pickle an error's `__context__` too: the YAML error it came from must pickle."""
    import pickle

    from digest.yamlcodec import BadValue

    error = pickle.loads(pickle.dumps(BadValue("2026-02-30 is not a real date", object())))
    assert isinstance(error, BadValue)
    assert error.problem == "2026-02-30 is not a real date"
