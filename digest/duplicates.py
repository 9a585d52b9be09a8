"""Find near-duplicate articles: the same text captured twice, or one wire story in two outlets.

Technique: each body becomes a set of 4-word shingles (word runs after case folding, so line
wrapping, punctuation and quote styles do not matter). A MinHash sketch of 128 values is made by
one-permutation hashing (Li, Owen and Zhang 2012: one 64-bit hash per shingle, split into 128
bins, the minimum kept per bin) with rotation densification for empty bins (Shrivastava and Li
2014), so two sketches agree in a bin with probability equal to the sets' Jaccard similarity.
LSH banding (64 bands of 2 values: a pair with Jaccard 0.2 shares a band with probability 0.93,
0.4 with 0.99997) finds candidate pairs without comparing all pairs; each candidate is then
verified on the exact shingle sets.

Two texts are near-duplicates when their shingles overlap with Jaccard >= 0.5, or when the
shorter is >= 80% contained in the longer and is at least a quarter of its length (a wire copy
trimmed by one outlet). Texts under 25 words are never judged: too little to go on.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from .content import derive_id
from .errors import DigestError
from .frontmatter import split_document
from .memo import BoundedMemo

SHINGLE_WORDS = 4
BINS = 128
BANDS = 64
ROWS = BINS // BANDS
MIN_WORDS = 25
JACCARD_MIN = 0.5
CONTAINMENT_MIN = 0.8
SIZE_RATIO_MIN = 0.25
_WORD = re.compile(r"\w+")
_BLAKE2B = hashlib.blake2b
WORD_CACHE_SIZE = 1 << 18
_NFKC = functools.partial(unicodedata.normalize, "NFKC")
_EMPTY = -1
_NO_VALUE = 1 << 64  # above every 64-bit shingle
_UNSIGNED = (1 << 64) - 1
# larger than any bin value (hash >> 7 < 2**57): a borrowed value never equals an own one
_ROTATION_STEP = 1 << 57


def shingle(text: str) -> frozenset[int]:
    """64-bit hashes of the text's overlapping 4-word runs (the whole text when shorter).

    A run's value is Python's hash of the tuple of its words' ids (`word_id`). Hashing a tuple
    of ints is the same in every process and run (only str and bytes hashes are salted), and it
    happens in C: a hash function called run by run was most of ingest's duplicate check.
    The values never leave the process, so they need not agree across Python versions.
    """
    words = _WORD.findall(normalize_lines(text).casefold())
    if not words:
        return frozenset()
    ids = list(map(_WORD_IDS.__getitem__, words))
    runs = zip(*(ids[i:] for i in range(SHINGLE_WORDS))) if len(ids) >= SHINGLE_WORDS else (tuple(ids),)
    return frozenset(map(hash, runs))


def word_id(word: str) -> int:
    """A word's stable 64-bit id: the first 8 bytes of its blake2b, little-endian."""
    return int.from_bytes(_BLAKE2B(word.encode("utf-8"), digest_size=8).digest(), "little")


def word_ids() -> BoundedMemo[str, int]:
    """`word_id` of each word, computed once: news text repeats its words."""
    return BoundedMemo(word_id, WORD_CACHE_SIZE)


_WORD_IDS = word_ids()


def normalize_lines(text: str) -> str:
    """The text in NFKC, normalised line by line.

    A line break never composes with the characters around it, so the result is that of the
    whole text; but only the few lines holding a compatibility character ("…", "½") are
    rewritten, where one such character made NFKC rewrite the whole text.
    """
    return "\n".join(map(_NFKC, text.split("\n")))


def sketch(shingles: Iterable[int]) -> tuple[int, ...]:
    """One-permutation MinHash sketch: the least hash per bin, empty bins densified by rotation."""
    # within a bin every value has the same low bits, so the least value has the least `value >> 7`:
    # compare whole values in the loop (it runs once per shingle) and shift only the 128 winners.
    # Shingles are signed 64-bit hashes: the winners are read as unsigned (below 2**57 shifted)
    least = [_NO_VALUE] * BINS
    for value in shingles:
        slot = value % BINS
        if value < least[slot]:
            least[slot] = value
    bins = [_EMPTY if value == _NO_VALUE else (value & _UNSIGNED) >> 7 for value in least]
    if all(value == _EMPTY for value in bins):
        return tuple(bins)
    filled = list(bins)
    for slot in range(BINS):
        if bins[slot] == _EMPTY:
            # borrow from the next non-empty bin to the right, marked with the distance
            distance = 1
            while bins[(slot + distance) % BINS] == _EMPTY:
                distance += 1
            filled[slot] = bins[(slot + distance) % BINS] + distance * _ROTATION_STEP
    return tuple(filled)


Bucket = tuple[int, ...]  # (band, the sketch's ROWS values in it)
Buckets = tuple[Bucket, ...]


def band_keys(signature: tuple[int, ...]) -> Iterator[Bucket]:
    """The LSH buckets a sketch falls in: one per band of ROWS values.

    Each is a flat (band, value, value) tuple zipped in C from the sketch's rows: every text
    is bucketed, and a generator slicing out each band was a tenth of the duplicate check.
    """
    return zip(range(BANDS), *(signature[row::ROWS] for row in range(ROWS)))


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # share of the smaller set found in the larger
    size_ratio: float  # smaller / larger

    @property
    def is_duplicate(self) -> bool:
        return self.jaccard >= JACCARD_MIN or (
            self.containment >= CONTAINMENT_MIN and self.size_ratio >= SIZE_RATIO_MIN
        )


def compare(a: frozenset[int], b: frozenset[int]) -> Similarity:
    """Exact overlap of two shingle sets."""
    if not a or not b:
        return Similarity(0.0, 0.0, 0.0)
    common = len(a & b)
    small, large = sorted((len(a), len(b)))
    return Similarity(common / (len(a) + len(b) - common), common / small, small / large)


@dataclass(frozen=True)
class Found:
    """An earlier text this one duplicates."""

    key: str
    similarity: Similarity


@dataclass
class DuplicateIndex:
    """Texts seen so far, bucketed by LSH band; ask `find` before `add` for each new text."""

    shingles: dict[str, frozenset[int]] = field(default_factory=dict)
    eligible: dict[str, bool] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    buckets: dict[Bucket, list[str]] = field(default_factory=dict)
    # every text measured, by its stripped text (the ends are no words): ingest adds the very
    # text it just looked up, copies of one story are often identical, and a re-ingest looks up
    # the text it has just read back from the article's own file (which ends with a newline)
    _measured: dict[str, tuple[frozenset[int], Buckets]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def measure(self, text: str) -> tuple[frozenset[int], Buckets]:
        """The text's shingles and LSH buckets (none when it is too short to judge), each text
        measured once."""
        text = text.strip()
        if text not in self._measured:
            sets = shingle(text)
            words = len(sets) + SHINGLE_WORDS - 1  # the word count, less any repeated runs
            buckets = tuple(band_keys(sketch(sets))) if words >= MIN_WORDS else ()
            self._measured[text] = (sets, buckets)
        return self._measured[text]

    def add(self, key: str, text: str, eligible: bool = True) -> None:
        """Index a text under `key`; ineligible texts (duplicates themselves) are never returned.

        A key indexed before keeps its text; only its eligibility is updated (an article read
        from disk and then found to be a duplicate must stop being offered as an original).
        """
        if key in self.shingles:
            self.eligible[key] = eligible
            return
        sets, buckets = self.measure(text)
        self.shingles[key] = sets
        self.eligible[key] = eligible
        self.order[key] = len(self.order)
        for bucket in buckets:
            self.buckets.setdefault(bucket, []).append(key)

    def find(self, text: str, exclude: str | None = None) -> Found | None:
        """The earliest-added eligible text this one near-duplicates, most similar first."""
        sets, buckets = self.measure(text)
        if not buckets:
            return None
        candidates: set[str] = set().union(*map(self.buckets.get, buckets, repeat(())))
        best: Found | None = None
        for key in sorted(candidates, key=self.order.__getitem__):
            if key == exclude or not self.eligible[key]:
                continue
            similarity = compare(sets, self.shingles[key])
            if similarity.is_duplicate and (best is None or similarity.jaccard > best.similarity.jaccard):
                best = Found(key, similarity)
        return best


WINDOW_DAYS = 7  # ingest compares a new article with the content of the week around its date


@dataclass(frozen=True)
class Original:
    """The content file a new article near-duplicates."""

    id: str
    path: Path
    similarity: Similarity


class NearbyContent:
    """Articles already in `content/` near a date, for ingest's near-duplicate check.

    Ingest files articles as `content/YYYY/MM/DD/<slug>.md`; only the day folders within
    WINDOW_DAYS of a new article are read (and each only once), so checking stays quick however
    large the archive grows. Files that cannot be read are skipped: `digest build` reports them.
    """

    def __init__(self, content_dir: Path, window_days: int = WINDOW_DAYS) -> None:
        self.content_dir = content_dir
        self.window = window_days
        self.index = DuplicateIndex()
        self.paths: dict[str, Path] = {}
        self.days: set[dt.date] = set()
        self.offsets = [dt.timedelta(days=offset) for offset in range(-window_days, window_days + 1)]

    def check(self, article_id: str, day: dt.date, body: str) -> Original | None:
        """The earlier article this body duplicates, if any (never the article itself)."""
        self.load_days(day)
        found = self.index.find(body, exclude=article_id)
        return Original(found.key, self.paths[found.key], found.similarity) if found else None

    def add(self, article_id: str, path: Path, body: str, duplicate: bool) -> None:
        """Remember an article just written; a duplicate is never offered as an original."""
        self.paths.setdefault(article_id, path)
        self.index.add(article_id, body, eligible=not duplicate)

    def load_days(self, day: dt.date) -> None:
        for offset in self.offsets:
            other = day + offset
            if other in self.days:
                continue
            self.days.add(other)
            # one join, not one per level: every article asks for a window of days
            folder = self.content_dir / f"{other:%Y/%m/%d}"
            if folder.is_dir():
                for path in sorted(folder.glob("*.md")):
                    self.load_file(path)

    def load_file(self, path: Path) -> None:
        try:
            document = split_document(path.read_text(encoding="utf-8"), path)
        except (OSError, UnicodeDecodeError, DigestError):
            return
        meta = document.meta
        rel_path = path.relative_to(self.content_dir).as_posix()
        given = meta.get("id")
        article_id = given if isinstance(given, str) else derive_id(rel_path)
        self.add(article_id, path, document.body, duplicate=bool(meta.get("duplicate_of")))
