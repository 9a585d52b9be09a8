from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from .conftest import FIXTURES


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
