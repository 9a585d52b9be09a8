"""Build the fixture site and compare every output byte with the committed golden tree.

Regenerate after an intended change of templates or output, then review the diff:

    DIGEST_REGENERATE=1 python -m pytest tests/test_golden_site.py

The Pagefind bundle (`pagefind/`: binary index and Pagefind's own scripts) is left out of the
golden tree: its bytes belong to the installed Pagefind version, not to digest. Its presence is
checked here, and its determinism by the two-builds test below and in tests/test_search.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from digest.build import build_site
from digest.config import load_config

from .conftest import FIXTURES, tree_bytes

GOLDEN = Path(__file__).resolve().parent / "golden" / "site-basic"


def build_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "site-basic"
    shutil.copytree(FIXTURES / "site-basic", root)
    out = tmp_path / "out"
    build_site(load_config(root).with_overrides(output_dir=str(out)))
    return out


def without_search_bundle(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in tree.items() if not name.startswith("pagefind/")}


def test_fixture_site_matches_golden_output(tmp_path: Path) -> None:
    out = build_fixture(tmp_path)
    if os.environ.get("DIGEST_REGENERATE"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=lambda folder, names: ["pagefind"] if Path(folder) == out else [])
    built, golden = tree_bytes(out), tree_bytes(GOLDEN)
    assert "pagefind/2026/pagefind.js" in built and "pagefind/2026/pagefind-entry.json" in built
    built = without_search_bundle(built)
    assert sorted(built) == sorted(golden), "files differ; regenerate if intended (see module docstring)"
    for name in golden:
        assert built[name] == golden[name], f"{name} differs from tests/golden/site-basic/{name}"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = tree_bytes(build_fixture(tmp_path / "a"))
    second = tree_bytes(build_fixture(tmp_path / "b"))
    assert first == second
