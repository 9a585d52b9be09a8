"""The content folder's walk, and `digest build` starting it in a forked child before the builder
is imported."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from digest import executor as executor_module
from digest import scanning
from digest.build import Builder
from digest.errors import DigestError
from digest.executor import Apart
from digest.scanning import scan_ahead, scan_content

from .conftest import FIXTURES, tree_bytes


class Watched(Apart[object]):
    """An `Apart` that tells whether its result was taken."""

    taken = False

    def result(self) -> object:
        self.taken = True
        return super().result()


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    return root


def test_the_walk_finds_markdown_files_sorted_and_skips_hidden_ones(tmp_path: Path) -> None:
    for name in ("b/2.md", "a/1.md", "a/.draft.md", ".hidden/3.md", "a/notes.txt", "c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x" * len(name))
    found = scan_content(tmp_path)
    assert [Path(path).relative_to(tmp_path).as_posix() for path, _, _ in found] == ["a/1.md", "b/2.md", "c.md"]
    assert [size for _, _, size in found] == [6, 6, 4]
    assert all(mtime == (tmp_path / path).stat().st_mtime_ns for path, mtime, _ in found)
    assert scan_content(tmp_path / "missing") == []


def test_the_walk_ahead_forks_only_where_the_build_may(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path)
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    ahead = scan_ahead(root / "content", None)
    assert ahead is not None and ahead.pid > 0  # a child of its own
    assert ahead.result() == scan_content(root / "content")
    assert scan_ahead(root / "content", "serial") is None
    assert scan_ahead(root / "content", "dask://127.0.0.1:8786") is None
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 1)
    assert scan_ahead(root / "content", "auto") is None


def test_digest_build_walks_ahead_and_builds_as_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Result],
) -> None:
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    started: list[Watched] = []

    monkeypatch.setattr(scanning, "Apart", lambda func: started.append(Watched(func)) or started[-1])
    root = make_root(tmp_path)
    assert cli(root, "build").exit_code == 0
    assert len(started) == 1 and started[0].taken and started[0].pid == 0
    assert cli(root, "build", "--executor", "serial", "--out", "serial-out", "--no-cache").exit_code == 0
    assert len(started) == 1
    assert tree_bytes(root / "site") == tree_bytes(root / "serial-out")


def test_a_build_failing_before_the_walk_is_needed_stops_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Result],
) -> None:
    monkeypatch.setattr(executor_module, "available_cpus", lambda: 2)
    started: list[Watched] = []

    def failing(self: Builder, prime: bool = False, scanned: object = None) -> None:
        raise DigestError("the output folder is locked")

    monkeypatch.setattr(scanning, "Apart", lambda func: started.append(Watched(func)) or started[-1])
    monkeypatch.setattr(Builder, "build", failing)
    result = cli(make_root(tmp_path), "build")
    assert result.exit_code == 1 and "the output folder is locked" in result.output
    [child] = started
    assert not child.taken and child.pid == 0 and child.stream is None  # killed, reaped, its pipe closed
