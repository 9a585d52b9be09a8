"""Shared fixtures: throwaway site folders built from the repository's sample or small fixtures."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digest.cli import main
from digest.config import Config, load_config

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_dir() -> Path | None:
    """`../shared` beside the repository (or $DIGEST_SHARED), when present."""
    candidate = Path(os.environ.get("DIGEST_SHARED", REPO.parent / "shared"))
    return candidate if candidate.is_dir() else None


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A copy of the repository's sample digest (config, content, templates, seeds)."""
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(REPO / "digest.toml", root / "digest.toml")
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Make a small site: `make_site({"2026/02/08/a.md": "..."}, config="...")`."""

    def make(files: dict[str, str], config: str = "", name: str = "site-root") -> Path:
        root = tmp_path / name
        (root / "content").mkdir(parents=True, exist_ok=True)
        (root / "digest.toml").write_text(textwrap.dedent(config), encoding="utf-8")
        for rel, text in files.items():
            path = root / "content" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return make


@pytest.fixture
def in_dir() -> Iterator[Callable[[Path], None]]:
    """Change the working folder for one test (the CLI reads digest.toml from it)."""
    previous = Path.cwd()

    def change(path: Path) -> None:
        os.chdir(path)

    yield change
    os.chdir(previous)


@pytest.fixture
def cli(in_dir: Callable[[Path], None]) -> Callable[..., Result]:
    """Run the CLI in a folder: `cli(root, "build", "--out", "x")`."""

    def run(root: Path, *args: str) -> Result:
        in_dir(root)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def config_for(root: Path, **overrides: object) -> Config:
    """The site's config with overrides, as the CLI would load it."""
    return load_config(root).with_overrides(**overrides)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, for byte-for-byte comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
