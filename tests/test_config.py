from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import load_config, load_default_topics
from digest.errors import BuildAborted


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "digest.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_missing_file_gives_defaults_and_default_taxonomy(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.title == "digest"
    assert config.base_url == "http://127.0.0.1:8000/"
    assert config.content_dir == tmp_path / "content"
    assert config.output_dir == tmp_path / "site"
    slugs = [topic.slug for topic in config.topics]
    # the benchmark corpus uses these twelve; the default taxonomy must know them
    for slug in ("politics", "conflict", "economy", "energy", "technology", "health", "science",
                 "environment", "sport", "culture", "disaster", "diplomacy"):
        assert slug in slugs


def test_values_are_read_and_base_url_gets_a_slash(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'title = "T"\nbase_url = "https://x.org/news"\nfeed_length = 5\n'
                                         'timezone = "Europe/Paris"\noutput_dir = "public"\n'))
    assert (config.title, config.base_url, config.feed_length) == ("T", "https://x.org/news/", 5)
    assert config.tz.key == "Europe/Paris"
    assert config.output_dir == tmp_path / "public"


def test_unknown_keys_warn_with_line(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'title = "T"\ncolour = "red"\n'))
    assert len(config.warnings) == 1
    assert config.warnings[0].endswith("digest.toml:2: unknown setting `colour` is ignored (known: base_url, cache_dir, "
                                       "content_dir, description, feed_full_content, feed_length, items_per_page, "
                                       "language, output_dir, search, search_full_text, templates_dir, timezone, title, topics)")


def test_every_wrong_type_is_reported_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, 'title = "T"\nfeed_length = "ten"\ntimezone = "Mars/Olympus"\nbase_url = "ftp://x"\n')
    with pytest.raises(BuildAborted) as caught:
        load_config(tmp_path)
    lines = [line.split("digest.toml", 1)[1] for line in caught.value.lines()[:-1]]
    assert lines == [
        ":2: `feed_length` must be a whole number from 1 to 10000, got 'ten'",
        ':3: `timezone` must be an IANA timezone such as "UTC" or "Europe/Paris", got \'Mars/Olympus\'',
        ":4: `base_url` must be an absolute http(s) URL, got 'ftp://x'",
    ]
    assert caught.value.lines()[-1] == "config failed: 3 errors"


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, 'title = "T"\nfeed_length = \n')
    with pytest.raises(BuildAborted) as caught:
        load_config(tmp_path)
    assert ":2: not valid TOML" in caught.value.lines()[0]


def test_topics_are_validated(tmp_path: Path) -> None:
    write(tmp_path, '[[topics]]\nslug = "Bad Slug"\n\n[[topics]]\nslug = "ok"\nname = "OK"\nkeywords = "x"\n')
    with pytest.raises(BuildAborted) as caught:
        load_config(tmp_path)
    messages = [line.split("digest.toml", 1)[1] for line in caught.value.lines()[:-1]]
    assert messages == [
        ":1: topic #1: `slug` must be lower-case letters, digits and hyphens, got 'Bad Slug'",
        ":4: topic `ok`: `keywords` must be a list of strings",
    ]


def test_sample_config_is_valid_and_names_its_topics() -> None:
    config = load_config(Path(__file__).resolve().parents[1])
    assert config.warnings == ()
    assert config.topics == tuple(load_default_topics())
    assert all(topic.keywords and topic.description for topic in config.topics)
