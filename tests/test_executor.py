from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.executor import (
    MIN_CHUNK,
    Apart,
    LocalRunner,
    WorkRunner,
    available_cpus,
    chunk_size,
    chunked,
    make_runner,
    run_chunks,
)

from .conftest import REPO


def test_chunks_keep_every_item_in_order() -> None:
    for count in (0, 1, 15, 16, 17, 400, 1000, 11_194):
        for workers in (1, 2, 4):
            chunks = list(chunked(range(count), chunk_size(count, workers), count, workers))
            assert [item for chunk in chunks for item in chunk] == list(range(count))


def test_chunks_shrink_towards_the_end_so_workers_finish_together() -> None:
    count, workers = 11_194, 2
    sizes = [len(chunk) for chunk in chunked(range(count), chunk_size(count, workers), count, workers)]
    assert sizes[0] == 500  # big chunks while there is plenty left
    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes[-4:]) <= MIN_CHUNK  # the last few take a moment each
    left = count
    for size in sizes:  # none takes more than half of what is left per worker (or MIN_CHUNK)
        assert size <= max(MIN_CHUNK, left // (workers * 2))
        left -= size
    assert len(sizes) < 40  # and not so many that messages cost more than they balance


def test_one_process_keeps_fixed_chunks() -> None:
    sizes = [len(chunk) for chunk in chunked(range(1000), chunk_size(1000, 1), 1000, 1)]
    assert sizes == [256, 256, 256, 232]


def test_run_chunks_flattens_results_in_order() -> None:
    results = list(run_chunks(WorkRunner(), lambda chunk: [item * 2 for item in chunk], iter(range(600)), 600))
    assert results == [item * 2 for item in range(600)]


def test_apart_returns_what_the_child_made() -> None:
    parent = os.getpid()
    assert Apart(lambda: (os.getpid() != parent, [1, 2, 3])).result() == (True, [1, 2, 3])


def test_apart_result_leaves_no_zombie_behind() -> None:
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc to tell a zombie from a reaped process")
    apart = Apart(lambda: "done")
    pid = apart.pid
    assert apart.result() == "done"  # returns once the result is in, the child may still be exiting
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists():  # a zombie keeps its entry until it is reaped
        assert time.monotonic() < deadline, "the child was never reaped"
        time.sleep(0.01)


def test_apart_raises_the_childs_error_in_the_parent() -> None:
    def fail() -> None:
        raise DigestError("content/x.md:3: bad date, write it as 2025-01-31")

    with pytest.raises(DigestError, match="bad date"):
        Apart(fail).result()


def test_apart_sends_an_unpicklable_result_back_as_its_text() -> None:
    with pytest.raises(RuntimeError, match="pickle"):
        Apart(lambda: lambda: None).result()


def test_apart_notices_a_child_that_died() -> None:
    with pytest.raises(RuntimeError, match="died without a result"):
        Apart(lambda: os._exit(3)).result()


def test_apart_cancel_stops_the_child() -> None:
    apart = Apart(lambda: time.sleep(60))
    pid = apart.pid
    apart.cancel()
    with pytest.raises(ChildProcessError):  # already reaped: nothing left running
        os.waitpid(pid, os.WNOHANG)
    apart.cancel()  # twice is harmless



def test_auto_runs_here_below_the_threshold_and_on_every_core_from_it() -> None:
    assert type(make_runner("auto", 63, threshold=64)) is WorkRunner
    assert type(make_runner(None, 63, threshold=64, helps=False)) is WorkRunner
    if available_cpus() < 2:
        pytest.skip("one core: auto always runs in this process")
    helped = make_runner("auto", 64, threshold=64)
    alone = make_runner("auto", 64, threshold=64, helps=False)
    try:
        assert isinstance(helped, LocalRunner) and helped.helps and helped.forked == available_cpus() - 1
        assert isinstance(alone, LocalRunner) and not alone.helps and alone.forked == available_cpus()
        # every process works, and results come back in order either way
        for runner in (helped, alone):
            assert list(run_chunks(runner, _doubled, range(200), 200))[::50] == [0, 100, 200, 300]
    finally:
        helped.close()
        alone.close()


def test_workers_leave_ctrl_c_to_the_main_process() -> None:
    runner = LocalRunner(1)
    try:
        [handlers] = runner.map_chunks(_interrupt_handlers, [[0]])
    finally:
        runner.close()
    assert handlers == [signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # this process still takes it


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads process states from /proc")
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path) -> None:
    """A main process killed outright (`kill -9`, the out-of-memory killer) leaves no worker
    behind waiting for work for ever."""
    (tmp_path / "killed_main.py").write_text(
        "import os, signal\n"
        "from digest.executor import LocalRunner\n"
        "def worker_pid(chunk):\n"
        "    return os.getpid()\n"
        "runner = LocalRunner(2)\n"
        "print(*sorted(set(runner.map_chunks(worker_pid, [[0]] * 8))), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n",
        encoding="utf-8",
    )
    # (output to a file: a worker left behind would hold a pipe open, and the run would hang)
    with open(tmp_path / "out.txt", "w") as out:
        process = subprocess.run([sys.executable, "killed_main.py"], cwd=tmp_path, stdout=out, check=False,
                                 stderr=subprocess.STDOUT, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    printed = (tmp_path / "out.txt").read_text()
    assert process.returncode == -signal.SIGKILL, printed
    workers = [int(pid) for pid in printed.split()]
    assert workers and os.getpid() not in workers
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), f"workers {workers} outlived their main process"


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting to be reaped has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def _interrupt_handlers(chunk: list[int]) -> list[object]:
    return [signal.getsignal(signal.SIGINT) for _ in chunk]


def _doubled(chunk: list[int]) -> list[int]:
    return [item * 2 for item in chunk]


def test_an_unknown_executor_is_a_clear_error() -> None:
    with pytest.raises(DigestError, match="unknown --executor 'cluster'"):
        make_runner("cluster", 10)


def test_apart_then_runs_after_the_result_is_sent(tmp_path: Path) -> None:
    """The parent has the first result while the child still works on `then`."""
    flag = tmp_path / "go"

    def then() -> str:
        while not flag.exists():  # held until the parent has the first result
            time.sleep(0.01)
        return "saved"

    apart = Apart(lambda: "feeds", then=then)
    assert apart.result() == "feeds" and apart.pid != 0  # the child is still at `then`
    flag.touch()
    assert apart.later() == "saved" and apart.pid == 0 and apart.stream is None


def test_apart_then_reports_its_error_and_a_first_error_skips_it(tmp_path: Path) -> None:
    def fail() -> None:
        raise DigestError("the cache folder is read-only")

    apart = Apart(lambda: 1, then=fail)
    assert apart.result() == 1
    with pytest.raises(DigestError, match="read-only"):
        apart.later()
    ran = tmp_path / "ran"
    first = Apart(fail, then=ran.touch)
    with pytest.raises(DigestError, match="read-only"):
        first.result()
    assert first.pid == 0 and first.stream is None
    time.sleep(0.2)
    assert not ran.exists()


def test_apart_cancel_stops_a_child_at_its_later_work() -> None:
    apart = Apart(lambda: "feeds", then=lambda: time.sleep(60))
    assert apart.result() == "feeds"
    pid = apart.pid
    apart.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_apart_notices_a_child_that_died_while_sending() -> None:
    """Half a message (the child killed while writing it) is no result either."""
    from digest.executor import _FRAME

    reader, writer = os.pipe()
    os.write(writer, _FRAME.pack(64) + b"abc")  # says 64 bytes, sends 3
    os.close(writer)
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    apart: Apart[None] = Apart.__new__(Apart)
    apart.func, apart.then, apart.pid, apart.stream = (lambda: None), None, pid, os.fdopen(reader, "rb")
    with pytest.raises(RuntimeError, match="died without a result"):
        apart.result()
    assert apart.pid == 0 and apart.stream is None
