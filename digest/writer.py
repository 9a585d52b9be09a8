"""The one writer of the output folder.

A build either replaces the whole site or changes only the files whose bytes differ:

- Full: every file goes to a staging folder beside the output; when the build has succeeded it
  is swapped in with one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`).
- Incremental (the output exists and matches the last build's manifest): only new and changed
  files are staged. Committing keeps each old file in a backup folder (as a second hard link,
  so readers never miss it) and moves the new one over it, under a journal; if the process dies
  midway, the next build rolls the journal back first, so the site returns exactly to what it
  was. Staging and backup folders are flat here (files named by a hash of their path, or by
  their place in the journal): a day's increment touches hundreds of one-page folders, and
  making and removing their twins in staging and backup cost more than all the renames.

Either way a failed build leaves the output untouched, and nothing outside the output folder
and its hidden work folder (`.<name>.digest/` beside it) is ever written.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from .errors import DigestError
from .slugs import safe_join

MARKER = ".digest-site"
MARKER_TEXT = b"Built by digest. This folder is replaced or updated by every build.\n"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
FLAT_BACKUP = "flat"  # the journal's name for the backup layout of `apply_changes`

# path -> (page key, hash of the bytes); what the output folder holds after a build
Manifest = dict[str, tuple[str, str]]
_DIGEST = itemgetter(1)  # of a manifest entry


def work_dir(out_dir: Path) -> Path:
    """Hidden sibling of the output folder for staging, backups, the journal and the lock."""
    return out_dir.parent / f".{out_dir.name}.digest"


def hash_bytes(data: bytes) -> str:
    """128 bits of SHA-256: every output file is hashed once per build, and SHA-256 runs in
    hardware on current x86 and ARM processors (2.5 times BLAKE2b's speed on a 16 KB page)."""
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass(frozen=True)
class StagedFile:
    """What `stage_file` did with one output file."""

    path: str
    digest: str
    size: int
    written: bool  # False: the output already holds these bytes


def staged_path(staging: Path, rel_path: str, flat: bool) -> Path:
    """Where a file waits in the staging folder: at its place in the site (a full build, whose
    staging folder becomes the site) or, flat, under a hash of its path (an incremental one)."""
    target = safe_join(staging, rel_path)  # refuses escaping paths in either layout
    return staging / hash_bytes(rel_path.encode()) if flat else target


def stage_file(staging: Path, previous: Manifest, rel_path: str, data: bytes, flat: bool) -> StagedFile:
    """Write one output file into a build's staging folder unless the output holds these bytes.

    Worker processes of the build call this so files are written in parallel; the build's
    `SiteWriter` then records each result (`record_staged`) and alone commits the staging folder.
    """
    target = staged_path(staging, rel_path, flat)
    digest = hash_bytes(data)
    old = previous.get(rel_path)
    if old is not None and old[1] == digest:
        return StagedFile(rel_path, digest, len(data), False)
    try:
        handle = open(target, "wb")
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "wb")
    with handle:
        handle.write(data)
    return StagedFile(rel_path, digest, len(data), True)


class SiteWriter:
    """Collects output files, refuses duplicates and escapes, then commits them atomically."""

    def __init__(self, out_dir: Path, previous: Manifest | None = None) -> None:
        self.out_dir = out_dir.resolve()
        check_output_dir(self.out_dir)
        self.work = work_dir(self.out_dir)
        self.staging = self.work / "staging"
        self.work.mkdir(parents=True, exist_ok=True)
        recover(self.out_dir)
        remove_tree(self.staging)
        self.staging.mkdir()
        self.incremental = previous is not None and (self.out_dir / MARKER).is_file()
        self.flat = self.incremental  # the staging folder's layout (see `staged_path`)
        self.previous: Manifest = previous if self.incremental and previous is not None else {}
        self.manifest: Manifest = {}
        self.producers: dict[str, str] = {}
        self.changed: list[str] = []
        self.bytes_written = 0
        self._made_dirs: set[Path] = {self.staging}

    def _claim(self, rel_path: str, producer: str) -> None:
        if rel_path in self.producers:
            raise DigestError(
                f"two pages want the same output file {rel_path}: {self.producers[rel_path] or 'one'} "
                f"and {producer or 'another'}; give one of them a different slug"
            )
        self.producers[rel_path] = producer

    def unchanged(self, rel_path: str, key: str) -> bool:
        """Whether the last build made this file from the same key (nothing is recorded)."""
        old = self.previous.get(rel_path)
        return old is not None and old[0] == key and bool(key)

    def keep(self, rel_path: str, key: str, producer: str = "") -> bool:
        """Keep the file from the last build if its page key is unchanged; False: render it."""
        return not self.keep_unchanged([(rel_path, key, producer)])

    def keep_unchanged(self, pages: Iterable[tuple[str, str, str]]) -> list[int]:
        """`keep` for many (path, key, producer), in one loop (a build asks for every page of
        the site); the places of those whose key changed, to render."""
        previous, manifest, producers = self.previous, self.manifest, self.producers
        changed: list[int] = []
        for place, (rel_path, key, producer) in enumerate(pages):
            old = previous.get(rel_path)
            if old is None or old[0] != key or not key:  # as `unchanged` tells, without a call each
                changed.append(place)
            elif rel_path in producers:
                self._claim(rel_path, producer)  # raises: two pages want the file
            else:
                producers[rel_path] = producer
                manifest[rel_path] = old
        return changed

    def keep_file(self, rel_path: str, key: str | None = None, producer: str = "") -> None:
        """Keep a file of the last build as it is, whatever its key; recorded under `key` if
        given (what it is now known to be made from), else under its old one."""
        self.keep_files([rel_path], key, producer)

    def keep_files(self, rel_paths: list[str], key: str | None = None, producer: str = "") -> None:
        """`keep_file` for many files of one producer, in C (a search bundle has a file per
        article: ten thousand, kept on most builds)."""
        claimed = self.producers.keys() & rel_paths
        if claimed:
            self._claim(min(claimed), producer)  # raises: two producers want the file
        self.producers.update(dict.fromkeys(rel_paths, producer))
        old = list(map(self.previous.__getitem__, rel_paths))
        if key is not None:
            old = list(zip(repeat(key), map(_DIGEST, old)))
        self.manifest.update(zip(rel_paths, old))

    def write(self, rel_path: str, data: bytes, producer: str = "", key: str = "") -> None:
        """Stage one output file, unless the output already holds exactly these bytes."""
        self._claim(rel_path, producer)
        target = staged_path(self.staging, rel_path, self.flat)
        digest = hash_bytes(data)
        self.manifest[rel_path] = (key, digest)
        old = self.previous.get(rel_path)
        if old is not None and old[1] == digest:
            return  # same bytes: the file in the output stays as it is
        parent = target.parent
        if parent not in self._made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)
        with open(target, "wb") as handle:
            handle.write(data)
        self.changed.append(rel_path)
        self.bytes_written += len(data)

    def record_staged(self, staged: StagedFile, producer: str, key: str) -> None:
        """Account for a file a worker process staged (or found unchanged) with `stage_file`."""
        self._claim(staged.path, producer)
        self.manifest[staged.path] = (key, staged.digest)
        if staged.written:
            self.changed.append(staged.path)
            self.bytes_written += staged.size

    def produced_file(self, rel_path: str) -> Path:
        """Where this build's file for rel_path is until the commit, for tools that read the site
        before it is swapped in (the search indexer): staged when new or changed, else the output's."""
        if rel_path not in self.manifest:
            raise DigestError(f"{rel_path} is not part of this build")
        staged = staged_path(self.staging, rel_path, self.flat)
        return staged if staged.is_file() else self.out_dir / rel_path

    def removed(self) -> list[str]:
        """Files of the last build that this build does not produce."""
        return sorted(self.previous.keys() - self.manifest.keys())  # one pass, no set of either made

    def commit(self) -> None:
        """Make the staged site the output: a whole-folder swap, or a journaled update."""
        self.write(MARKER, MARKER_TEXT, "digest")
        if self.incremental:
            apply_changes(self.out_dir, self.staging, self.changed, self.removed())
            remove_tree(self.staging)
            return
        if self.out_dir.exists():
            exchange_dirs(self.staging, self.out_dir)
        else:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.staging, self.out_dir)
        remove_tree(self.staging)  # after an exchange it holds the previous site

    def abort(self) -> None:
        """Throw the staged files away; the output folder is untouched."""
        remove_tree(self.staging)


def apply_changes(out_dir: Path, staging: Path, changed: list[str], removed: list[str]) -> None:
    """Move flat-staged files into the output under a journal that `recover` can roll back.

    Old files are kept in a flat backup folder, named by their place in the journal (`c<n>` for
    `changed[n]`, `r<n>` for `removed[n]`), so no folder is made for them.
    """
    work = work_dir(out_dir)
    backup = work / "backup"
    remove_tree(backup)
    backup.mkdir()
    journal = work / "journal.json"
    temp = journal.with_suffix(".tmp")
    # which changed files are new: after a crash, only those may be deleted
    new = [rel_path for rel_path in changed if not os.path.exists(out_dir / rel_path)]
    temp.write_text(json.dumps({"changed": changed, "new": new, "removed": removed, "backup": FLAT_BACKUP}))
    os.replace(temp, journal)  # from here on, a crash is rolled back by the next build
    for index, rel_path in enumerate(removed):
        with contextlib.suppress(FileNotFoundError):  # gone already: nothing to put back
            os.rename(out_dir / rel_path, backup / f"r{index}")
    fresh = set(new)
    for index, rel_path in enumerate(changed):
        source, destination = staged_path(staging, rel_path, flat=True), out_dir / rel_path
        if rel_path not in fresh:
            _back_up(destination, backup / f"c{index}")
        try:
            os.rename(source, destination)  # replaces the old file in one step
        except FileNotFoundError:  # a new file whose folder is new too
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.rename(source, destination)
    journal.unlink()  # committed
    remove_empty_dirs(out_dir, removed)
    remove_tree(backup)


def _back_up(current: Path, saved: Path) -> None:
    """Keep an output file, if it exists, in the backup folder until the commit is done.

    As a second link, so the output never lacks the file: a reader (the preview server) gets
    the old bytes or the new, never a 404. Where the file system has no hard links, it is moved.
    """
    try:
        os.link(current, saved, follow_symlinks=False)
    except FileNotFoundError:  # gone already: nothing to put back
        pass
    except OSError:
        with contextlib.suppress(FileNotFoundError):
            os.rename(current, saved)


def _saved_path(backup: Path, plan: dict[str, Any], kind: str, index: int, rel_path: str) -> Path:
    """Where `apply_changes` kept an old file (older journals kept it at its site path)."""
    return backup / f"{kind}{index}" if plan.get("backup") == FLAT_BACKUP else backup / rel_path


def recover(out_dir: Path) -> bool:
    """Roll back an update that was interrupted; True when there was one."""
    work = work_dir(out_dir)
    journal = work / "journal.json"
    if not journal.exists():
        return False
    plan = json.loads(journal.read_text())
    backup = work / "backup"
    new = set(plan["new"])
    for index, rel_path in enumerate(plan["changed"]):
        current, saved = out_dir / rel_path, _saved_path(backup, plan, "c", index, rel_path)
        if saved.exists():  # the old file was kept aside: put it back
            current.parent.mkdir(parents=True, exist_ok=True)
            os.replace(saved, current)
        elif rel_path in new and current.exists():  # new in the interrupted build
            current.unlink()
    for index, rel_path in enumerate(plan["removed"]):
        saved = _saved_path(backup, plan, "r", index, rel_path)
        if saved.exists():
            (out_dir / rel_path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(saved, out_dir / rel_path)
    remove_empty_dirs(out_dir, plan["changed"])
    journal.unlink()
    remove_tree(backup)
    return True


def remove_empty_dirs(root: Path, rel_paths: list[str]) -> None:
    """Remove folders left empty by removed files (deepest first), never root itself."""
    candidates = {parent for rel in rel_paths for parent in (root / rel).parents if parent != root
                  and parent.is_relative_to(root)}
    for folder in sorted(candidates, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only succeeds when empty


def check_output_dir(out_dir: Path) -> None:
    """Refuse to replace a folder digest did not make (a typo must not wipe someone's files)."""
    if out_dir.is_file():
        raise DigestError(f"the output folder {out_dir} is a file; choose a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise DigestError(
            f"the output folder {out_dir} is not empty and was not made by digest; "
            f"choose another --out or empty it first"
        )
    if out_dir == Path.cwd().resolve() or out_dir in Path.cwd().resolve().parents:
        raise DigestError(f"the output folder {out_dir} contains the site itself; choose a subfolder")


def exchange_dirs(first: Path, second: Path) -> None:
    """Swap two folders in one step where the kernel can; else in two quick renames."""
    import ctypes  # only full builds swap folders: ctypes (and its subprocess import) waits until then
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
            if result == 0:
                return
            if ctypes.get_errno() not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
                raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))
    parked = first.with_name(first.name + ".old")
    remove_tree(parked)
    os.rename(second, parked)
    os.rename(first, second)
    os.rename(parked, first)


def remove_tree(path: Path) -> None:
    """Remove a folder if it exists."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time per output folder (a preview server and a manual build may race)."""
    work = work_dir(out_dir.resolve())
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
