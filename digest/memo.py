"""A dict that computes each missing value once and forgets everything when it grows too big."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(dict[K, V]):
    """`compute(key)` of each key, computed once, looked up as a plain dict (from C, a lookup
    costs less than an `lru_cache` call). It is emptied when it holds `size` entries, so a
    long-lived process (`digest serve`, a large ingest) does not grow with every word it reads."""

    def __init__(self, compute: Callable[[K], V], size: int) -> None:
        super().__init__()
        self.compute = compute
        self.size = size

    def __missing__(self, key: K) -> V:
        if len(self) >= self.size:
            self.clear()
        value = self[key] = self.compute(key)
        return value
