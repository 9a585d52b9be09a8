from __future__ import annotations

from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.writer import MARKER, SiteWriter


def test_commit_swaps_the_whole_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = SiteWriter(out)
    first.write("index.html", b"one")
    first.write("old/index.html", b"old")
    first.commit()
    second = SiteWriter(out)
    second.write("index.html", b"two")
    assert (out / "index.html").read_bytes() == b"one"  # nothing visible before commit
    second.commit()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [MARKER, "index.html"]
    assert (out / "index.html").read_bytes() == b"two"


def test_abort_leaves_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    writer = SiteWriter(out)
    writer.write("index.html", b"one")
    writer.commit()
    failing = SiteWriter(out)
    failing.write("index.html", b"broken")
    failing.abort()
    assert (out / "index.html").read_bytes() == b"one"


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", "", "a/b/../../../c", "a/\x00b"])
def test_paths_outside_the_site_are_refused(tmp_path: Path, path: str) -> None:
    writer = SiteWriter(tmp_path / "site")
    with pytest.raises(DigestError, match="refusing to write outside the output folder"):
        writer.write(path, b"x")


def test_two_producers_for_one_file_fail_loudly(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "site")
    writer.write("a/index.html", b"x", "content/a.md")
    with pytest.raises(DigestError, match="two pages want the same output file a/index.html: content/a.md and content/b.md"):
        writer.write("a/index.html", b"y", "content/b.md")


def test_a_folder_digest_did_not_make_is_never_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(DigestError, match="is not empty and was not made by digest"):
        SiteWriter(precious)
    assert (precious / "thesis.txt").exists()
