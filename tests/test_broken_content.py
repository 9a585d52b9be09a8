"""Broken content and config: exact `file:line: what is wrong` lines, every bad file in one run,
exit status 1, no traceback unless `--debug`, and the previous site left exactly as it was."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digest.cli import main

from .conftest import REPO, tree_bytes

BROKEN = Path(__file__).resolve().parent / "broken"
CONTENT_CASES = sorted(p.name for p in (BROKEN / "content").iterdir() if p.is_dir())
CONFIG_CASES = sorted(p.name for p in (BROKEN / "config").iterdir() if p.is_dir())
_LOCATION = re.compile(r"^(?P<path>.+?\.(?:md|toml))(?::(?P<line>\d+))?: ")


def expected_lines(case_dir: Path) -> list[str]:
    return (case_dir / "expected.txt").read_text(encoding="utf-8").splitlines()


def make_case_site(tmp_path: Path, case: str) -> Path:
    """A site folder holding one case's content and the shared (or the case's) digest.toml."""
    source = BROKEN / "content" / case
    root = tmp_path / case
    shutil.copytree(source / "content", root / "content")
    config = source / "digest.toml"
    shutil.copy(config if config.exists() else BROKEN / "digest.toml", root / "digest.toml")
    return root


def location(line: str) -> tuple[str, int]:
    match = _LOCATION.match(line)
    assert match, f"not a `file:line: message` line: {line!r}"
    return match.group("path"), int(match.group("line") or 0)


def test_the_fixture_folder_has_the_cases_the_issue_names() -> None:
    for case in ("yaml-unclosed-bracket", "missing-title", "missing-date", "unparseable-date",
                 "unknown-topic", "duplicate-url", "duplicate-id"):
        assert case in CONTENT_CASES
    assert len(CONTENT_CASES) >= 30


@pytest.mark.parametrize("case", CONTENT_CASES)
def test_each_broken_file_gets_its_exact_error(
    tmp_path: Path, cli: Callable[..., Result], case: str,
) -> None:
    root = make_case_site(tmp_path, case)
    result = cli(root, "build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected_lines(BROKEN / "content" / case)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not (root / "site").exists()


@pytest.mark.parametrize("case", CONFIG_CASES)
def test_each_broken_config_gets_its_exact_errors(
    tmp_path: Path, cli: Callable[..., Result], case: str,
) -> None:
    root = tmp_path / case
    root.mkdir()
    shutil.copy(BROKEN / "config" / case / "digest.toml", root / "digest.toml")
    result = cli(root, "build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected_lines(BROKEN / "config" / case)
    assert "Traceback" not in result.output
    assert not (root / "site").exists()


def test_every_bad_file_is_listed_in_one_run_and_the_old_site_survives(
    tmp_path: Path, cli: Callable[..., Result],
) -> None:
    root = tmp_path / "all"
    shutil.copytree(BROKEN / "good", root)
    shutil.copy(BROKEN / "digest.toml", root / "digest.toml")
    assert cli(root, "build").exit_code == 0
    before = tree_bytes(root / "site")
    assert "index.html" in before

    wanted: list[str] = []
    for case in CONTENT_CASES:
        shutil.copytree(BROKEN / "content" / case / "content", root / "content" / case)
        for line in expected_lines(BROKEN / "content" / case)[:-1]:  # the last is the count
            wanted.append(line.replace("content/", f"content/{case}/"))
    result = cli(root, "build")

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == f"build failed: {len(wanted)} errors"
    assert sorted(lines[:-1]) == sorted(wanted)
    assert lines[:-1] == sorted(lines[:-1], key=location), "errors are sorted by file, then line"
    assert "Traceback" not in result.output
    assert tree_bytes(root / "site") == before


def test_debug_shows_the_errors_and_then_a_traceback(tmp_path: Path) -> None:
    root = make_case_site(tmp_path, "unparseable-date")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    quiet = subprocess.run([sys.executable, "-m", "digest", "build"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=60)
    loud = subprocess.run([sys.executable, "-m", "digest", "--debug", "build"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    wanted = expected_lines(BROKEN / "content" / "unparseable-date")
    assert quiet.returncode == 1 and quiet.stderr.splitlines() == wanted
    assert loud.returncode == 1
    assert loud.stderr.startswith("\n".join(wanted) + "\n")
    assert "Traceback (most recent call last)" in loud.stderr
    assert "digest.errors.BuildAborted: build failed: 1 error" in loud.stderr


def test_a_bug_is_one_line_without_debug(
    tmp_path: Path, in_dir: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_case_site(tmp_path, "unparseable-date")
    in_dir(root)

    def broken_build(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("digest.build.Builder.build", broken_build)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("internal error: ZeroDivisionError: division by zero (at test_broken_content.py:")
    assert line.endswith("this is a bug in digest: please report it with the output of "
                         "`digest --debug build ...`")
    with pytest.raises(ZeroDivisionError):
        CliRunner().invoke(main, ["--debug", "build"], catch_exceptions=False)


def test_an_output_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, cli: Callable[..., Result],
) -> None:
    root = tmp_path / "site-root"
    shutil.copytree(BROKEN / "good", root)
    shutil.copy(BROKEN / "digest.toml", root / "digest.toml")
    (root / "afile").write_text("not a folder")
    result = cli(root, "build", "--out", "afile/site")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["error: afile/.site.digest: Not a directory"]


def test_file_names_cannot_drive_the_terminal(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = tmp_path / "site-root"
    shutil.copytree(BROKEN / "good", root)
    shutil.copy(BROKEN / "digest.toml", root / "digest.toml")
    folder = root / "content/2026/02/08"
    (folder / "evil\x1b]0;pwned\x07\x1b[2J.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.md"), "wb") as handle:
        handle.write(b"---\ntitle: T\n---\n")
    result = cli(root, "build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/2026/02/08/caf\\udce9.md:1: `date` is missing; add e.g. `date: 2026-02-08T09:30:00+00:00`",
        "content/2026/02/08/evil\\x1b]0;pwned\\x07\\x1b[2J.md:1: `date` is missing; add e.g. "
        "`date: 2026-02-08T09:30:00+00:00`",
        "build failed: 2 errors",
    ]
    assert "\x1b" not in result.output and "\x07" not in result.output
