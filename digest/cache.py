"""The persistent build cache in `.digest-cache/`: parsed articles and what the output holds.

Everything in it can be thrown away (`digest build --no-cache`, or deleting the folder); it only
saves work. Entries are keyed so that a stale entry can never be used: articles by file
(modification time and size) plus the settings that shape them, the output manifest by output
folder, and all of it by digest's version.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .writer import Manifest

CACHE_FORMAT = 4  # 4: articles carry their raw terms (`Article.terms`)


@dataclass
class OutputState:
    """What the last successful build left in one output folder."""

    fingerprint: str = ""  # of every input, to answer "nothing changed?" from file stats alone
    manifest: Manifest = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)  # body hash -> HTML, for feed entries


class BuildCache:
    """Load and save cache files atomically; a corrupt or foreign file counts as empty."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path | None:
        return self.folder / name if self.folder else None

    def _load(self, name: str) -> Any:
        path = self._path(name)
        if path is None or not path.exists():
            return None
        try:
            with open(path, "rb") as handle, _collector_paused():
                stamp, payload = pickle.load(handle)
        except Exception:  # an unreadable cache is only a slower build
            return None
        return payload if stamp == (CACHE_FORMAT, __version__) else None

    def _save(self, name: str, payload: Any) -> None:
        path = self._path(name)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(((CACHE_FORMAT, __version__), payload), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def load_articles(self, settings_key: str) -> dict[str, Any]:
        """path -> (mtime_ns, size, Article | None, warnings) for the same settings."""
        payload = self._load("articles.pickle")
        if not payload or payload[0] != settings_key:
            return {}
        return dict(payload[1])

    def save_articles(self, settings_key: str, entries: dict[str, Any]) -> None:
        self._save("articles.pickle", (settings_key, entries))

    def load_output(self, out_dir: Path) -> OutputState | None:
        payload = self._load(f"output-{_folder_key(out_dir)}.pickle")
        return payload if isinstance(payload, OutputState) else None

    def save_output(self, out_dir: Path, state: OutputState) -> None:
        self._save(f"output-{_folder_key(out_dir)}.pickle", state)
        # the fingerprint alone, so a build with nothing to do need not read the manifest
        self._save(f"output-{_folder_key(out_dir)}.fingerprint", state.fingerprint)

    def load_fingerprint(self, out_dir: Path) -> str | None:
        payload = self._load(f"output-{_folder_key(out_dir)}.fingerprint")
        return payload if isinstance(payload, str) else None

    def forget_output(self, out_dir: Path) -> None:
        for suffix in ("pickle", "fingerprint"):
            path = self._path(f"output-{_folder_key(out_dir)}.{suffix}")
            if path is not None:
                path.unlink(missing_ok=True)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while a cache file is read: loading makes hundreds of thousands
    of objects and no garbage, and each collection they trigger would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _folder_key(out_dir: Path) -> str:
    return hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=8).hexdigest()
