"""`digest build --executor dask://HOST:PORT` on a real (local) Dask cluster."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.build import BuildOptions, build_site
from digest.config import load_config

from .conftest import FIXTURES, tree_bytes

distributed = pytest.importorskip("distributed", reason="the optional `digest[dask]` extra is not installed")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
    try:
        yield cluster.scheduler_address.replace("tcp://", "dask://")
    finally:
        cluster.close()


def test_dask_build_equals_local_build(tmp_path: Path, scheduler: str) -> None:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    config = load_config(root)
    build_site(config.with_overrides(output_dir="local"), BuildOptions(executor="serial", use_cache=False))
    build_site(config.with_overrides(output_dir="dask"), BuildOptions(executor=scheduler, use_cache=False))
    assert tree_bytes(root / "dask") == tree_bytes(root / "local")


def test_dask_ingest_equals_serial_ingest(sample_site: Path, scheduler: str) -> None:
    from digest.ingest import IngestOptions, ingest

    root = sample_site
    config = load_config(root)
    reports = {}
    for name, executor in (("serial", "serial"), ("dask", scheduler)):
        report = ingest([root / "seeds"], config.with_overrides(content_dir=name), IngestOptions(executor=executor))
        reports[name] = ([o.path.relative_to(root / name) for o in report.outcomes], report.notes, report.errors)
    assert reports["dask"] == reports["serial"] and reports["serial"][0]
    assert tree_bytes(root / "dask") == tree_bytes(root / "serial")


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    from digest.errors import DigestError

    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    with pytest.raises(DigestError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        build_site(load_config(root), BuildOptions(executor="dask://127.0.0.1:9", use_cache=False))


def test_pages_are_rendered_on_the_cluster(tmp_path: Path, scheduler: str) -> None:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    client = distributed.Client(scheduler.replace("dask://", "tcp://"))
    try:
        build_site(load_config(root).with_overrides(output_dir="dask"),
                   BuildOptions(executor=scheduler, use_cache=False))
        # the scheduler's log of task transitions names every task it ran
        names = client.run_on_scheduler(lambda dask_scheduler: sorted({str(entry[0]) for entry in dask_scheduler.transition_log}))
    finally:
        client.close()
    assert any(name.startswith("render_chunk") for name in names)
    assert any(name.startswith("parse_files") for name in names)
