"""Saves that land while the preview or a build is reading: the newest text always wins, no
error sticks, and no build takes a file for unchanged when it is not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digest import build as build_module
from digest.build import Builder
from digest.config import load_config
from digest.errors import SourceChanged
from digest.serve import PreviewState, Rebuilder

from .conftest import tree_bytes
from .feedsite import build, write_site

STORM = "content/2026/02/08/storm.md"
PAGE = "2026/02/08/storm/index.html"


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_landing_during_a_quick_update_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_site(tmp_path / "root")
    builder = Builder(load_config(root))
    builder.build(prime=True)
    storm = root / STORM
    replace_text(storm, "Officials said", "Port officials said")
    read = build_module.parse_files

    def read_then_save_again(*args: object) -> object:
        parsed = read(*args)  # type: ignore[arg-type]
        replace_text(storm, "Port officials said", "Harbour officials said")  # the editor saves again
        return parsed

    monkeypatch.setattr(build_module, "parse_files", read_then_save_again)
    with pytest.raises(SourceChanged):
        builder.quick_update({storm})
    monkeypatch.setattr(build_module, "parse_files", read)
    builder.build(prime=True)  # what the preview does next
    page = (root / "site" / PAGE).read_text(encoding="utf-8")
    assert "Harbour officials said" in page
    assert tree_bytes(root / "site") == tree_bytes(build(root, tmp_path / "clean"))


def test_the_cache_saved_by_the_preview_describes_what_it_read_not_the_files_now(tmp_path: Path) -> None:
    root = write_site(tmp_path / "root")
    builder = Builder(load_config(root))
    builder.build(prime=True)
    storm = root / STORM
    replace_text(storm, "Officials said", "Port officials said")
    assert builder.quick_update({storm}) is not None
    builder.flush(save=False)
    replace_text(storm, "Port officials said", "Harbour officials said")  # a save not yet taken in
    builder.save_caches()  # the preview stopping
    report = Builder(load_config(root)).build()  # the next `digest build`
    assert not report.unchanged
    assert "Harbour officials said" in (root / "site" / PAGE).read_text(encoding="utf-8")
    assert tree_bytes(root / "site") == tree_bytes(build(root, tmp_path / "clean"))


def test_a_save_that_keeps_size_and_time_is_read_again_after_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = write_site(tmp_path / "root")
    builder = Builder(load_config(root))
    builder.build(prime=True)
    storm = root / STORM
    replace_text(storm, "Officials said", "Port officials said")
    read = build_module.parse_files

    def read_then_save_again(*args: object) -> object:
        parsed = read(*args)  # type: ignore[arg-type]
        info = storm.stat()
        replace_text(storm, "Port officials said", "Port officers said!")  # the same length
        os.utime(storm, ns=(info.st_atime_ns, info.st_mtime_ns))  # within one tick of the file system's clock
        return parsed

    monkeypatch.setattr(build_module, "parse_files", read_then_save_again)
    with pytest.raises(SourceChanged, match="storm.md: changed while the site was being built; build again"):
        builder.build(prime=True)
    monkeypatch.setattr(build_module, "parse_files", read)
    builder.build(prime=True)  # the size and time match what was read, but the file is read again
    assert "Port officers said!" in (root / "site" / PAGE).read_text(encoding="utf-8")
    assert tree_bytes(root / "site") == tree_bytes(build(root, tmp_path / "clean"))


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
