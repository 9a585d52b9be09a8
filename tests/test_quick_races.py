"""Saves that land while the preview or a build is reading: the newest text always wins, no
error sticks, and no build takes a file for unchanged when it is not."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from digest import build as build_module
from digest.build import Builder
from digest.config import load_config
from digest.errors import SourceChanged
from digest.serve import PreviewState, Rebuilder

from .conftest import tree_bytes
from .feedsite import build, edit, write_site

STORM = "content/2026/02/08/storm.md"
PAGE = "2026/02/08/storm/index.html"


def primed_with_an_edit(tmp_path: Path) -> tuple[Path, Builder, Path]:
    """A site built and held in memory as the preview holds it, then one article edited."""
    root = write_site(tmp_path / "root")
    builder = Builder(load_config(root))
    builder.build(prime=True)
    storm = root / STORM
    edit(storm, "Officials said", "Port officials said")
    return root, builder, storm


@contextlib.contextmanager
def saved_again_once_read(
    monkeypatch: pytest.MonkeyPatch, path: Path, new: str, same_time: bool = False,
) -> Iterator[None]:
    """The editor saves `path` again (the edit's text becoming `new`) just after a build read it;
    `same_time`: the save keeps the file's time, as two saves within one tick of its clock do."""
    read = build_module.parse_files

    def read_then_save_again(*args: object) -> object:
        parsed = read(*args)  # type: ignore[arg-type]
        info = path.stat()
        if "Port officials said" not in path.read_text(encoding="utf-8"):
            return parsed  # saved again already (this may run in a forked child: no flag would reach the parent)
        edit(path, "Port officials said", new)
        if same_time:
            assert path.stat().st_size == info.st_size, "the same size too"
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return parsed

    monkeypatch.setattr(build_module, "parse_files", read_then_save_again)
    try:
        yield
    finally:
        monkeypatch.setattr(build_module, "parse_files", read)


def assert_built_like_a_clean_build(root: Path, tmp_path: Path, text: str) -> None:
    assert text in (root / "site" / PAGE).read_text(encoding="utf-8")
    assert tree_bytes(root / "site") == tree_bytes(build(root, tmp_path / "clean"))


def test_a_save_landing_during_a_quick_update_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, builder, storm = primed_with_an_edit(tmp_path)
    with saved_again_once_read(monkeypatch, storm, "Harbour officials said"), pytest.raises(SourceChanged):
        builder.quick_update({storm})
    builder.build(prime=True)  # what the preview does next
    assert_built_like_a_clean_build(root, tmp_path, "Harbour officials said")


def test_the_cache_saved_by_the_preview_describes_what_it_read_not_the_files_now(tmp_path: Path) -> None:
    root, builder, storm = primed_with_an_edit(tmp_path)
    assert builder.quick_update({storm}) is not None
    builder.flush(save=False)
    edit(storm, "Port officials said", "Harbour officials said")  # a save not yet taken in
    builder.save_caches()  # the preview stopping
    report = Builder(load_config(root)).build()  # the next `digest build`
    assert not report.unchanged
    assert_built_like_a_clean_build(root, tmp_path, "Harbour officials said")


def test_a_save_that_keeps_size_and_time_is_read_again_after_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, builder, storm = primed_with_an_edit(tmp_path)
    with saved_again_once_read(monkeypatch, storm, "Port officers said!", same_time=True), \
            pytest.raises(SourceChanged, match="storm.md: changed while the site was being built; build again"):
        builder.build(prime=True)
    builder.build(prime=True)  # the size and time match what was read, but the file is read again
    assert_built_like_a_clean_build(root, tmp_path, "Port officers said!")


def test_the_preview_updates_again_instead_of_showing_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_site(tmp_path / "root")
    lines: list[str] = []
    rebuilder = Rebuilder(root, PreviewState(), lines.append)
    rebuilder.RESAVE_PAUSE = 0.0
    assert rebuilder.rebuild("start")
    storm = str(root / STORM)

    def saved_meanwhile(self: Builder, paths: set[Path]) -> None:
        raise SourceChanged(storm)

    monkeypatch.setattr(Builder, "quick_update", saved_meanwhile)
    assert not rebuilder.rebuild("edit", {storm})
    assert rebuilder.state.error == ""
    assert rebuilder.changes.get_nowait() == {storm}  # the update runs again
    assert lines[-1].endswith("storm.md changed while it was read; updating again")


def test_digest_build_builds_again_when_a_file_changes_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Result],
) -> None:
    root = write_site(tmp_path / "root")
    assert cli(root, "build").exit_code == 0
    storm = root / STORM
    edit(storm, "Officials said", "Port officials said")
    with saved_again_once_read(monkeypatch, storm, "Harbour officials said"):
        result = cli(root, "build")
    assert result.exit_code == 0, result.output
    assert "note: content/2026/02/08/storm.md changed while the site was being built; building again" in result.output
    assert_built_like_a_clean_build(root, tmp_path, "Harbour officials said")


def test_digest_build_gives_up_on_a_file_that_keeps_changing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Result],
) -> None:
    root = write_site(tmp_path / "root")
    storm = str(root / STORM)

    def always_changing(self: Builder, prime: bool = False, scanned: object = None) -> None:
        raise SourceChanged(storm)

    monkeypatch.setattr(Builder, "build", always_changing)
    result = cli(root, "build")
    assert result.exit_code == 1
    assert result.output.count("building again") == 2
    assert "error: content/2026/02/08/storm.md: changed while the site was being built; build again" in result.output
