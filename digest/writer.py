"""The one writer of the output folder.

Pages go to a staging folder beside the output; only when the whole build has succeeded is it
swapped in with one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`), so readers, the preview
server and a build killed halfway all see either the old site or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from .errors import DigestError
from .slugs import safe_join

MARKER = ".digest-site"
MARKER_TEXT = b"Built by digest. This folder is replaced as a whole on every build.\n"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def work_dir(out_dir: Path) -> Path:
    """Hidden sibling of the output folder for staging, the lock and old trees."""
    return out_dir.parent / f".{out_dir.name}.digest"


class SiteWriter:
    """Collects output files in staging, refuses duplicates and escapes, then swaps them in."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        check_output_dir(self.out_dir)
        self.work = work_dir(self.out_dir)
        self.staging = self.work / "staging"
        self.producers: dict[str, str] = {}
        self.bytes_written = 0
        self.work.mkdir(parents=True, exist_ok=True)
        remove_tree(self.staging)
        self.staging.mkdir()
        self._made_dirs: set[Path] = {self.staging}

    def write(self, rel_path: str, data: bytes, producer: str = "") -> None:
        """Stage one output file; two producers claiming one path is an error."""
        if rel_path in self.producers:
            raise DigestError(
                f"two pages want the same output file {rel_path}: {self.producers[rel_path] or 'one'} "
                f"and {producer or 'another'}; give one of them a different slug"
            )
        self.producers[rel_path] = producer
        target = safe_join(self.staging, rel_path)
        parent = target.parent
        if parent not in self._made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)
        with open(target, "wb") as handle:
            handle.write(data)
        self.bytes_written += len(data)

    def commit(self) -> None:
        """Swap the staged site in atomically and remove the old one."""
        (self.staging / MARKER).write_bytes(MARKER_TEXT)
        if self.out_dir.exists():
            exchange_dirs(self.staging, self.out_dir)
        else:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.staging, self.out_dir)
        remove_tree(self.staging)  # after the exchange it holds the previous site

    def abort(self) -> None:
        """Throw the staged files away; the output folder is untouched."""
        remove_tree(self.staging)


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
