"""Ingest's quick paths give what the plain code they replaced gave.

Each test keeps the earlier, straightforward code as a reference and compares on varied inputs
(Hypothesis, plus the awkward cases by hand): ingest's files must stay byte for byte the same.
"""

from __future__ import annotations

import math
import os
import stat
import tempfile
from pathlib import Path
from collections import Counter
from collections.abc import Mapping
from itertools import compress

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import yaml

from digest import duplicates, ingest, topics, yamlcodec
from digest.config import load_default_topics
from digest.slugs import make_slug
from digest.topics import FIELD_WEIGHTS, Match, TopicClassifier, tokenize

SCALE = float(os.environ.get("DIGEST_PROPERTY_SCALE", "1"))
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


def examples(count: int) -> int:
    return max(1, int(count * SCALE))


from .test_properties_frontmatter import KEY, VALUE  # noqa: E402

CLASSIFIER = TopicClassifier(load_default_topics())
# Words of the default taxonomy's keywords (phrase words too), in the spellings text uses
KEYWORD_WORDS = sorted({word for phrases in CLASSIFIER.vocabulary.values() for phrase in phrases for word in phrase})
SPELLINGS = st.one_of(
    st.sampled_from(KEYWORD_WORDS),
    st.sampled_from(KEYWORD_WORDS).map(str.upper),
    st.sampled_from(KEYWORD_WORDS).map(lambda word: word.capitalize() + "s"),
    st.sampled_from(KEYWORD_WORDS).map(lambda word: word + "\u2019s"),
    st.sampled_from(["the", "a", "of", "U.S.", "R&D", "rock'n'roll", "e.g.", "--", "...", "\n\n", "2026"]),
    st.text(max_size=8),
)
WORDS_TEXT = st.lists(SPELLINGS, max_size=60).map(" ".join)


def find_matches_reference(classifier: TopicClassifier, fields: Mapping[str, str]) -> dict[str, list[Match]]:
    """`TopicClassifier.find_matches` as it was: every word folded, each phrase length a pass."""
    found: dict[str, list[Match]] = {}
    for field, text in fields.items():
        if not text:
            continue
        field_weight = FIELD_WEIGHTS.get(field, 1.0)
        words = tokenize(text)
        for size, phrases in classifier.vocabulary.items():
            at = compress(range(len(words) - size + 1), map(classifier.starts[size].__contains__, words))
            grams = Counter(tuple(words[i : i + size]) for i in at)
            for phrase in phrases.keys() & grams.keys():
                keyword, weight, slugs = phrases[phrase]
                count = grams[phrase]
                points = field_weight * weight * (1.0 + math.log(count))
                for slug in slugs:
                    found.setdefault(slug, []).append(Match(keyword, field, count, weight, points))
    return found


@settings(max_examples=examples(300), **SETTINGS)
@given(title=WORDS_TEXT, summary=WORDS_TEXT, tags=st.lists(SPELLINGS, max_size=4), body=WORDS_TEXT)
def test_topic_matches_equal_the_plain_count(title: str, summary: str, tags: list[str], body: str) -> None:
    fields = topics.article_fields(title, summary, tags, body)
    assert CLASSIFIER.find_matches(fields) == find_matches_reference(CLASSIFIER, fields)


@pytest.mark.parametrize("text", [
    "", "storm", "storm surge", "the storm surge", "storm storm surge surge storm", "surge storm",
    "Prime Minister", "prime", "interest rates rise", "interest rate", "rates interest",
])
def test_topic_matches_at_the_ends_of_a_text(text: str) -> None:
    """A phrase that would run past the last word is never counted, whatever starts it."""
    for fields in (topics.article_fields(text, "", [], ""), topics.article_fields("", "", [], text)):
        assert CLASSIFIER.find_matches(fields) == find_matches_reference(CLASSIFIER, fields)


def test_start_cache_stays_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics, "FOLD_CACHE_SIZE", 3)
    cache = topics.StartCache({"election", "storm"})
    words = ["Elections", "storms", "Storm\u2019s", "rain", "ELECTION", "the", "Elections"]
    assert [cache[word] for word in words] == [True, True, True, False, True, False, True]
    assert len(cache) <= 3


def test_word_id_cache_stays_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates, "WORD_CACHE_SIZE", 3)
    cache = duplicates.word_ids()
    words = ["storm", "rain", "the", "wind", "storm", "rain"]
    assert [cache[word] for word in words] == list(map(duplicates.word_id, words))
    assert len(cache) <= 3


def test_classifiers_of_one_taxonomy_share_their_start_cache() -> None:
    first, again = TopicClassifier(load_default_topics()), TopicClassifier(load_default_topics())
    assert again.opens is first.opens
    other = TopicClassifier(load_default_topics()[:2])
    assert other.opens is not first.opens and other.opens.starts < first.opens.starts


def shingle_reference(text: str) -> frozenset[int]:
    """`duplicates.shingle`, run by run: the hash of each run's word ids."""
    words = duplicates._WORD.findall(duplicates.normalize_lines(text).casefold())
    if not words:
        return frozenset()
    runs = zip(*(words[i:] for i in range(4))) if len(words) >= 4 else (words,)
    return frozenset(hash(tuple(map(duplicates.word_id, run))) for run in runs)


@settings(max_examples=examples(300), **SETTINGS)
@given(text=st.one_of(st.text(), WORDS_TEXT, st.lists(st.sampled_from([
    "Stra\u00dfe", "\ufb01ve", "\u00bd", "caf\u00e9", "\u0130stanbul", "x\u0301", "\u2026", "_", "a_b", "\u00a0",
    "\n", "\t",
]), max_size=12).map(" ".join)))
def test_shingles_equal_the_runs_hashed_one_by_one(text: str) -> None:
    assert duplicates.shingle(text) == shingle_reference(text)


def write_atomically_reference(path: Path, text: str) -> None:
    """`ingest.write_atomically` as it was: the folder made first, the text through a text stream."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    os.replace(temp, path)


@settings(max_examples=examples(100), **SETTINGS)
@given(text=st.one_of(st.text(), st.lists(st.sampled_from(
    ["a", "\n", "\r\n", "\r", "\u2028", "\x85", "\ufeff", "\U0001f600"]), max_size=20).map("".join)))
def test_written_bytes_equal_the_text_stream(text: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        old, new = Path(scratch, "old", "2026", "02", "08", "a.md"), Path(scratch, "new", "2026", "02", "08", "a.md")
        write_atomically_reference(old, text)
        ingest.write_atomically(new, text)
        assert new.read_bytes() == old.read_bytes() == text.encode("utf-8")
        assert stat.S_IMODE(new.stat().st_mode) == stat.S_IMODE(old.stat().st_mode)
        ingest.write_atomically(new, text + "again")  # into the folder that now exists
        assert new.read_bytes() == (text + "again").encode("utf-8")
        assert sorted(p.name for p in new.parent.iterdir()) == ["a.md"]  # no temporary file is left


def test_write_errors_are_those_of_the_folder_as_before(tmp_path: Path) -> None:
    """A file where the day folder should be fails as it did: on making the folder."""
    (tmp_path / "2026").write_text("not a folder")
    target = tmp_path / "2026" / "02" / "a.md"
    with pytest.raises(OSError) as old:
        write_atomically_reference(target, "text")
    with pytest.raises(OSError) as new:
        ingest.write_atomically(target, "text")
    assert (type(new.value), new.value.errno, new.value.filename, new.value.strerror) == (
        type(old.value), old.value.errno, old.value.filename, old.value.strerror)


def test_text_that_cannot_be_encoded_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    with pytest.raises(UnicodeEncodeError):
        ingest.write_atomically(target, "lone \ud800 surrogate")
    assert list(tmp_path.iterdir()) == []


class PlainDumper(yamlcodec._Dumper):
    """The front matter dumper with PyYAML's own `represent_data`, as before the quick path."""

    represent_data = yaml.representer.BaseRepresenter.represent_data


@settings(max_examples=examples(300), **SETTINGS)
@given(meta=st.dictionaries(KEY, VALUE, max_size=8), flow=st.sampled_from([False, True, None]),
       sort_keys=st.booleans(), style=st.sampled_from([None, "'", '"']))
def test_front_matter_yaml_equals_pyyaml_representer(meta: dict[str, object], flow: bool | None,
                                                      sort_keys: bool, style: str | None) -> None:
    """The same text as PyYAML's general path, for our settings and for others."""
    options = {"sort_keys": sort_keys, "allow_unicode": True, "width": 1_000_000, "default_flow_style": flow,
               "default_style": style}
    try:
        expected = yaml.dump(meta, Dumper=PlainDumper, **options)
    except TypeError:  # keys of mixed types do not sort, in either path
        with pytest.raises(TypeError):
            yaml.dump(meta, Dumper=yamlcodec._Dumper, **options)
        return
    assert yaml.dump(meta, Dumper=yamlcodec._Dumper, **options) == expected
    if (flow, sort_keys, style) == (False, False, None):
        assert yamlcodec.dump(meta) == expected


@settings(max_examples=examples(300), **SETTINGS)
@given(title=st.one_of(st.text(), WORDS_TEXT, st.lists(st.sampled_from([
    "Erdo\u011fan", "\u201cquoted\u201d", "Trump\u2019s", "\u5546\u54c1", "\u0416\u0443\u043a", "&amp;", "&#233;",
    "caf\u00e9", "\u00bd", "-", "'",
]), max_size=30).map(" ".join)))
def test_slugs_equal_slugify_choosing_its_backend(title: str) -> None:
    from slugify import slugify

    expected = slugify(title, max_length=80, word_boundary=True, save_order=True) or "article"
    assert make_slug(title) == expected


def test_captures_resolve_as_with_path_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders remembered over a run give what resolving each whole path gives, links and all."""
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        (real / name).write_text("x")
    (tmp_path / "linked").symlink_to(real)  # a folder reached through a link
    (real / "link.txt").symlink_to(real / "sub" / "c.txt")  # a capture that is a link
    (real / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    monkeypatch.chdir(real)
    paths = [
        real / "a.txt", tmp_path / "linked" / "b.txt", tmp_path / "linked" / "sub" / "c.txt", real / "link.txt",
        tmp_path / "linked" / "link.txt", real / "dangling.txt", real / "missing.txt", Path("a.txt"),
        Path("sub/../b.txt"), Path("sub") / ".." / "link.txt", tmp_path / "linked" / "sub" / "..", Path("."),
    ]
    folders: dict[Path, Path] = {}
    for _ in range(2):  # the second time from the remembered folders
        assert [ingest.resolve_in_folder(path, folders) for path in paths] == [path.resolve() for path in paths]


def band_keys_reference(signature: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    """`duplicates.band_keys` as it was: (band, the band's values as a tuple)."""
    rows = duplicates.ROWS
    return [(band, signature[band * rows : (band + 1) * rows]) for band in range(duplicates.BANDS)]


@settings(max_examples=examples(200), **SETTINGS)
@given(values=st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=300))
def test_buckets_are_the_bands_flattened(values: list[int]) -> None:
    signature = duplicates.sketch(values)
    # signed shingles, unsigned bins: an own value never equals the empty mark
    assert all(value >= 0 for value in signature) if values else set(signature) == {duplicates._EMPTY}
    assert [(band, *rows) for band, rows in band_keys_reference(signature)] == list(duplicates.band_keys(signature))


class DuplicateIndexReference:
    """`DuplicateIndex` as it was: nested bucket keys, candidates gathered bucket by bucket."""

    def __init__(self) -> None:
        self.shingles: dict[str, frozenset[int]] = {}
        self.eligible: dict[str, bool] = {}
        self.order: dict[str, int] = {}
        self.buckets: dict[tuple[int, tuple[int, ...]], list[str]] = {}

    def measure(self, text: str) -> tuple[frozenset[int], list[tuple[int, tuple[int, ...]]]]:
        sets = shingle_reference(text.strip())
        words = len(sets) + duplicates.SHINGLE_WORDS - 1
        return sets, band_keys_reference(duplicates.sketch(sets)) if words >= duplicates.MIN_WORDS else []

    def add(self, key: str, text: str, eligible: bool = True) -> None:
        if key in self.shingles:
            self.eligible[key] = eligible
            return
        sets, buckets = self.measure(text)
        self.shingles[key], self.eligible[key], self.order[key] = sets, eligible, len(self.order)
        for bucket in buckets:
            self.buckets.setdefault(bucket, []).append(key)

    def find(self, text: str, exclude: str | None = None) -> duplicates.Found | None:
        sets, buckets = self.measure(text)
        candidates: set[str] = set()
        for bucket in buckets:
            candidates.update(self.buckets.get(bucket, ()))
        best = None
        for key in sorted(candidates, key=self.order.__getitem__):
            if key == exclude or not self.eligible[key]:
                continue
            similarity = duplicates.compare(sets, self.shingles[key])
            if similarity.is_duplicate and (best is None or similarity.jaccard > best.similarity.jaccard):
                best = duplicates.Found(key, similarity)
        return best


STORY = [f"w{i}" for i in range(120)]
# Texts that overlap a lot, a little or not at all: cuts, rewordings and repeats of one story
VARIANT = st.tuples(st.integers(0, 119), st.integers(0, 120), st.lists(st.integers(0, 119), max_size=30),
                    st.booleans()).map(lambda v: " ".join(
    [("x" + w if i in v[2] else w) for i, w in enumerate(STORY)][v[0] : v[0] + v[1]] * (2 if v[3] else 1)))


@settings(max_examples=examples(100), **SETTINGS)
@given(texts=st.lists(st.tuples(VARIANT, st.booleans()), min_size=1, max_size=12))
def test_duplicate_index_finds_what_it_found(texts: list[tuple[str, bool]]) -> None:
    new, old = duplicates.DuplicateIndex(), DuplicateIndexReference()
    for number, (text, eligible) in enumerate(texts):
        key = f"k{number % 9}"  # some keys come again: their eligibility is updated
        assert new.find(text, exclude=key) == old.find(text, exclude=key)
        new.add(key, text, eligible)
        old.add(key, text, eligible)


@settings(max_examples=examples(300), **SETTINGS)
@given(title=WORDS_TEXT, summary=WORDS_TEXT, tags=st.lists(SPELLINGS, max_size=4), body=WORDS_TEXT)
def test_classifying_without_matches_chooses_and_scores_the_same(title: str, summary: str, tags: list[str],
                                                                 body: str) -> None:
    fields = topics.article_fields(title, summary, tags, body)
    full, quick = CLASSIFIER.classify(fields), CLASSIFIER.classify(fields, explain=False)
    assert (quick.topics, quick.fallback, quick.shares()) == (full.topics, full.fallback, full.shares())
    assert [(s.slug, s.points, s.share) for s in quick.scores] == [(s.slug, s.points, s.share) for s in full.scores]
    assert all(score.matches == () for score in quick.scores)
