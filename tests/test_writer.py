from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from digest.errors import DigestError
from digest.writer import MARKER, MARKER_TEXT, SiteWriter, recover, work_dir

from .conftest import tree_bytes


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


def test_pages_with_unchanged_keys_are_kept_the_rest_listed_to_render(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = SiteWriter(out)
    for name in ("a", "b", "c"):
        first.write(f"{name}/index.html", name.encode(), f"content/{name}.md", key=f"key-{name}")
    first.write("d/index.html", b"d", "content/d.md")  # no key: never kept
    first.commit()
    second = SiteWriter(out, first.manifest)
    pages = [("a/index.html", "key-a", "content/a.md"), ("b/index.html", "edited", "content/b.md"),
             ("c/index.html", "key-c", "content/c.md"), ("d/index.html", "", "content/d.md"),
             ("e/index.html", "key-e", "content/e.md")]
    assert second.keep_unchanged(pages) == [1, 3, 4]
    assert second.manifest == {"a/index.html": first.manifest["a/index.html"], "c/index.html": first.manifest["c/index.html"]}
    # a kept file still claims its path: a second page wanting it fails loudly
    with pytest.raises(DigestError, match="two pages want the same output file c/index.html: content/c.md and content/x.md"):
        second.keep_unchanged([("c/index.html", "key-c", "content/x.md")])
    second.abort()
    # and so do two unchanged pages asked for in one call
    third = SiteWriter(out, first.manifest)
    with pytest.raises(DigestError, match="two pages want the same output file a/index.html: content/a.md and content/y.md"):
        third.keep_unchanged([("a/index.html", "key-a", "content/a.md"), ("b/index.html", "edited", "content/b.md"),
                              ("a/index.html", "key-a", "content/y.md")])
    assert third.keep_unchanged([]) == []
    third.abort()


def test_files_kept_in_bulk_keep_their_bytes_under_their_old_or_a_new_key(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = SiteWriter(out)
    for name in ("1", "2", "3"):
        first.write(f"pagefind/2025/f{name}", name.encode(), "search index", key="old")
    first.write("a/index.html", b"a", "content/a.md", key="key-a")
    first.commit()
    second = SiteWriter(out, first.manifest)
    second.keep_files(["pagefind/2025/f1", "pagefind/2025/f2"], producer="search index")
    second.keep_files(["pagefind/2025/f3"], "new", "search index")
    assert second.manifest == {
        "pagefind/2025/f1": first.manifest["pagefind/2025/f1"],
        "pagefind/2025/f2": first.manifest["pagefind/2025/f2"],
        "pagefind/2025/f3": ("new", first.manifest["pagefind/2025/f3"][1]),
    }
    # kept files claim their paths like written ones
    with pytest.raises(DigestError, match="two pages want the same output file pagefind/2025/f2: search index and content/x.md"):
        second.keep_files(["a/index.html", "pagefind/2025/f2"], producer="content/x.md")
    second.write("a/index.html", b"a", "content/a.md", key="key-a")
    second.commit()
    assert second.changed == []  # nothing rewritten
    assert [(out / f"pagefind/2025/f{name}").read_bytes() for name in "123"] == [b"1", b"2", b"3"]


def test_a_folder_digest_did_not_make_is_never_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(DigestError, match="is not empty and was not made by digest"):
        SiteWriter(precious)
    assert (precious / "thesis.txt").exists()


def test_an_incremental_commit_stages_and_backs_up_flat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    first = SiteWriter(out)
    first.write("index.html", b"one")
    first.write("a/b/index.html", b"ab")
    first.write("gone/index.html", b"gone")
    first.commit()
    second = SiteWriter(out, first.manifest)
    assert second.incremental
    second.write("index.html", b"two")
    second.write("a/b/index.html", b"ab")  # same bytes: not staged
    second.write("new/deep/index.html", b"new")
    assert all(path.is_file() for path in second.staging.iterdir())  # no folders made in staging
    assert (second.produced_file("new/deep/index.html")).read_bytes() == b"new"
    backed_up: list[str] = []
    missing: list[str] = []
    real_rename, real_link = os.rename, os.link

    def watching_rename(src: Any, dst: Any) -> None:
        if Path(dst).parent.name == "backup":
            backed_up.append(Path(dst).name)
        elif Path(dst) == out.resolve() / "index.html" and not Path(dst).exists():
            missing.append(str(dst))  # a reader would have got a 404 here
        real_rename(src, dst)

    def watching_link(src: Any, dst: Any, **kwargs: Any) -> None:
        backed_up.append(Path(dst).name)
        real_link(src, dst, **kwargs)

    monkeypatch.setattr(os, "rename", watching_rename)
    monkeypatch.setattr(os, "link", watching_link)
    second.commit()
    assert sorted(backed_up) == ["c0", "r0"]  # named by their place in the journal (the new file has none)
    assert missing == []  # a changed file is replaced in one step, never absent
    assert tree_bytes(out) == {MARKER: MARKER_TEXT, "index.html": b"two", "a/b/index.html": b"ab",
                               "new/deep/index.html": b"new"}
    assert not (out / "gone").exists()


def test_a_journal_of_the_nested_backup_layout_is_still_rolled_back(tmp_path: Path) -> None:
    out = tmp_path / "site"
    writer = SiteWriter(out)
    writer.write("a/index.html", b"old")
    writer.commit()
    # what an older digest left when killed: old file in backup/<path>, new one in place
    work = work_dir(out)
    (work / "backup/a").mkdir(parents=True)
    os.rename(out / "a/index.html", work / "backup/a/index.html")
    (out / "a/index.html").write_bytes(b"new")
    (out / "b").mkdir()
    (out / "b/index.html").write_bytes(b"added")
    (work / "journal.json").write_text(json.dumps(
        {"changed": ["a/index.html", "b/index.html"], "new": ["b/index.html"], "removed": []}))
    assert recover(out)
    assert tree_bytes(out) == {MARKER: MARKER_TEXT, "a/index.html": b"old"}
