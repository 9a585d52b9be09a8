from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import FIXTURES, REPO


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    return root


def test_build_reports_and_writes_the_site(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = copy_fixture(tmp_path)
    result = cli(root, "build")
    assert result.exit_code == 0, result.output
    # 5 feeds (digest, editions, 3 topics) as RSS, Atom and JSON Feed; rendered and written
    # count the OPML list of them too
    # with the search page, and the search index, sitemap.xml and robots.txt among the files
    assert result.output.startswith("built 4 articles: 19 pages, 15 feeds (35 rendered, 52 files written, 0 removed) in ")
    assert result.output.rstrip().endswith("-> site")
    assert (root / "site/index.html").exists()
    again = cli(root, "build")
    assert again.output.startswith("nothing changed since the last build (")


def test_build_options_override_the_config(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = copy_fixture(tmp_path)
    result = cli(root, "build", "--out", "public", "--base-url", "https://other.example.net/x")
    assert result.exit_code == 0, result.output
    feed = (root / "public/atom.xml").read_text()
    assert "https://other.example.net/x/2026/02/08/minister-resigns/" in feed


def test_bad_content_lists_every_file_and_exits_1(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = copy_fixture(tmp_path)
    (root / "content/bad1.md").write_text("---\ntitle: [unclosed\n---\n")
    (root / "content/bad2.md").write_text("---\ntitle: Fine\n---\nNo date.\n")
    result = cli(root, "build")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/bad1.md:3: front matter is not valid YAML: did not find expected ',' or ']'; "
        "close the `[` opened on line 2",
        "content/bad2.md:1: `date` is missing; add e.g. `date: 2026-02-08T09:30:00+00:00`",
        "build failed: 2 errors",
    ]
    assert "Traceback" not in result.output
    assert not (root / "site").exists()


def test_failed_build_keeps_the_previous_site(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = copy_fixture(tmp_path)
    assert cli(root, "build").exit_code == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "content/bad.md").write_text("---\ntitle: T\ndate: soon\n---\n")
    assert cli(root, "build").exit_code == 1
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert before == after


def test_bad_config_is_reported(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = copy_fixture(tmp_path)
    (root / "digest.toml").write_text('feed_length = "many"\n')
    result = cli(root, "build")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "digest.toml:1: `feed_length` must be a whole number from 1 to 10000, got 'many'",
        "config failed: 1 error",
    ]


class RecordingBar:
    """Stands in for the terminal progress bar and keeps what it was told."""

    seen: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        RecordingBar.seen.append((stage, done, total))

    def close(self) -> None:
        RecordingBar.seen.append(("closed", 0, 0))


def test_progress_bar_follows_ingest_and_build_on_a_terminal(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
) -> None:
    import digest.cli

    root = copy_fixture(tmp_path)
    shutil.copytree(REPO / "seeds", root / "captures")
    monkeypatch.setattr(digest.cli, "show_progress", lambda: True)
    monkeypatch.setattr(digest.cli, "ProgressBar", RecordingBar)
    RecordingBar.seen = []
    assert cli(root, "ingest", "captures").exit_code == 0
    assert RecordingBar.seen == [("ingest", 1, 2), ("ingest", 2, 2), ("closed", 0, 0)]
    RecordingBar.seen = []
    assert cli(root, "build", "--no-cache").exit_code == 0
    stages = [stage for stage, _, _ in RecordingBar.seen]
    assert "pages" in stages and stages[-1] == "closed"
    done = [(d, t) for stage, d, t in RecordingBar.seen if stage == "pages"]
    assert done[-1][0] == done[-1][1] > 0  # it ends full


def test_no_progress_bar_in_pipes_or_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import digest.cli

    assert not digest.cli.show_progress()  # pytest's stderr is not a terminal
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "1")
    assert not digest.cli.show_progress()


def test_a_build_does_not_import_what_only_other_work_needs() -> None:
    """Every build pays for its imports: feedgen and lxml wait for a feed to render, ctypes for a
    full build's folder swap, and nothing pulls in urllib.request (xml.sax.saxutils did)."""
    code = ("import sys, digest.cli, digest.build; "
            "print(sorted(m for m in ('feedgen', 'lxml', 'ctypes', 'urllib.request', 'xml.sax.saxutils', "
            "'trafilatura', 'dask', 'playwright') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.stdout.strip() == "[]"


def test_the_program_leaves_at_once_after_a_build_with_its_output_flushed(tmp_path: Path) -> None:
    """`digest build` skips the interpreter's teardown once the site is committed: its summary
    and warnings must still reach a pipe (stdout is block-buffered there), with exit status 0."""
    root = copy_fixture(tmp_path)
    (root / "content/2026/02/odd.md").write_text(
        "---\ntitle: Odd\ndate: 2026-02-08T09:30:00+00:00\ncolour: red\n---\n\nA body.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for expected, warned in (("built 5 articles", True), ("nothing changed since the last build", False)):
        result = subprocess.run([sys.executable, "-m", "digest", "build", "--no-search"], cwd=root,
                                capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(expected) and result.stdout.rstrip().endswith("-> site")
        assert ("unknown front matter key `colour` is ignored" in result.stderr) is warned
    assert (root / "site/index.html").exists()


@pytest.mark.parametrize("command", ["ingest", "clean"])
def test_capture_executor_help_names_the_real_threshold(tmp_path: Path, cli: Callable[..., Result], command: str) -> None:
    from digest.ingest import PARALLEL_CAPTURES

    result = cli(tmp_path, command, "--help")
    assert result.exit_code == 0
    assert f"every core from {PARALLEL_CAPTURES} captures on" in " ".join(result.output.split())
