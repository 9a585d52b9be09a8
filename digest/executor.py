"""Run per-article work (parse, render) serially, on local worker processes, or on a Dask cluster.

Tasks are plain picklable data and results come back to the caller, so the writer stays the
single owner of the output folder whichever executor runs the work.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypeVar

from .errors import DigestError

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")
# Below this many items a pool costs more than it saves (forking, pickling).
PARALLEL_THRESHOLD = 400


_frozen_depth = 0  # open `heap_frozen` blocks


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """Hide every object alive now from the cycle collector until the block ends.

    A build holds millions of long-lived objects (articles, their terms, the collated site), and
    every full collection walks them all (0.1-0.25 s each at 10,000 articles) to free nothing.
    Objects made inside the block are collected as usual; `gc.freeze()` inside it hides those
    made so far too. Blocks nest: only the outermost one gives the objects back to the collector.
    """
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if _frozen_depth == 0:
            gc.unfreeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while long-lived objects are made in bulk (articles parsed or
    read from the cache): that makes hundreds of thousands of objects and no garbage, and each
    full collection they trigger would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _frozen_depth:
            # inside `heap_frozen` what was made here lives as long: hide it now, or the first
            # collection after enabling walks all of it (70 ms for 10,000 cached articles)
            gc.freeze()
        if enabled:
            gc.enable()


class WorkRunner:
    """Maps a function over chunks of items; results come back in order."""

    workers = 1

    def map_chunks(self, func: Callable[[Sequence[T]], R], chunks: Iterable[Sequence[T]]) -> Iterator[R]:
        for chunk in chunks:
            yield func(chunk)

    def close(self) -> None:
        """Release workers."""


class LocalRunner(WorkRunner):
    """A pool of worker processes on this machine (fork: workers start with our imports).

    With `helps`, this process works too: it takes the next chunk itself whenever the pool has
    enough queued, so N cores need N - 1 forked workers. One process fewer holds its own copy
    of the pages it touches (at 100,000 articles, hundreds of MiB).
    """

    def __init__(self, workers: int, helps: bool = False) -> None:
        self.helps = helps
        self.workers = workers + (1 if helps else 0)  # processes working, for chunk sizes
        self.forked = workers
        # (imported here: a build that starts no pool, such as a day's increment, never loads them)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                                        initargs=(os.getpid(),))
        # Forked workers share the parent's memory until they write to it, and the garbage
        # collector writes to every object it visits: freezing moves today's objects out of its
        # sight, so the site a worker inherits stays shared instead of being copied per worker.
        gc.collect()
        with heap_frozen():
            self.pool.submit(int).result()  # the pool forks all its workers on the first task

    def map_chunks(self, func: Callable[[Sequence[T]], R], chunks: Iterable[Sequence[T]]) -> Iterator[R]:
        # a bounded window of chunks in flight: memory stays flat however large the site
        pending: deque[Future[R]] = deque()
        queued = self.forked * 2  # chunks queued for the workers before this process takes one
        bound = queued * 3 if self.helps else self.forked * 3
        for chunk in chunks:
            if self.helps and sum(not future.done() for future in pending) >= queued:
                pending.append(_finished(func(chunk)))  # the workers are busy: do this one here
            else:
                pending.append(self.pool.submit(func, chunk))
            while pending and (pending[0].done() or len(pending) >= bound):
                yield pending.popleft().result()  # in order: results stay deterministic
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def start_worker(parent: int) -> None:
    """In a new worker of the process `parent`: leave Ctrl-C to it, and end when it ends.

    The terminal sends Ctrl-C to the whole process group: the main process stops the pool (the
    running chunks finish, the queued ones are dropped) and says "interrupted", where a worker
    waiting for its next chunk would print a traceback. A main process killed outright (the
    out-of-memory killer, `kill -9`) never stops its pool, and the workers would wait for work
    for ever: each watches for its parent to go instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), name="digest-parent-watch", daemon=True).start()


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """End this process once `parent` is no longer its parent (it died: we were adopted)."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _finished(result: R) -> Future[R]:
    """A future already holding `result` (a chunk this process ran itself)."""
    from concurrent.futures import Future

    future: Future[R] = Future()
    future.set_result(result)
    return future


class Apart(Generic[R]):
    """`func` running in a forked child process from now on; `result()` waits for what it
    returns (picklable). Without fork (Windows), `func` runs here, on the first `result()`.

    `then`: more work for the child once `func`'s result is sent, whose own result `later()`
    waits for: the parent goes on with the first while the child does the second (the feeds'
    child saves the build cache while the build commits).

    The child inherits everything `func` reads, so nothing is sent to it; what it allocates on
    the way dies with it, instead of staying behind in this process's heap as freed but
    unreturned memory that the page workers, forked later, would each copy. A bare fork and a
    pipe, not a one-worker pool: the child starts at once (no pool to start, no first task to
    wait for) and a build that needs no pool never imports `multiprocessing`.
    """

    def __init__(self, func: Callable[[], R], then: Callable[[], Any] | None = None) -> None:
        self.func, self.then = func, then
        self.pid = 0
        self.stream: BinaryIO | None = None  # the pipe from the child
        if hasattr(os, "fork"):
            reader, writer = os.pipe()
            _widen_pipe(writer)
            self.pid = os.fork()
            if self.pid == 0:
                os.close(reader)
                _run_child(func, writer, then)  # never returns
            os.close(writer)
            self.stream = os.fdopen(reader, "rb")

    def result(self) -> R:
        if not self.pid:
            return self.func()
        value: R = self._receive()
        if self.then is None:
            self._forget()
        return value

    def later(self) -> Any:
        """What `then` returned (after `result()`); run here without fork."""
        if self.then is None:
            raise ValueError("no work was given for later")
        if not self.pid:
            return self.then()
        try:
            return self._receive()
        finally:
            self._forget()

    def _receive(self) -> Any:
        """The child's next message: its result, or its error raised."""
        assert self.stream is not None
        head = self.stream.read(_FRAME.size)
        size = _FRAME.unpack(head)[0] if len(head) == _FRAME.size else 0
        data = self.stream.read(size) if size else b""
        if not size or len(data) < size:  # (a child killed while writing sends part of one)
            pid = self.pid
            self._close()
            _, status = os.waitpid(pid, 0)
            raise RuntimeError(f"a forked child process died without a result (wait status {status})")
        done, value = pickle.loads(data)
        if not done:
            self._forget()
            raise value
        return value

    def _forget(self) -> None:
        """The child has sent all it will: reap it in the background."""
        if self.pid:
            _reap_later(self.pid)
        self._close()

    def _close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.pid, self.stream = 0, None

    def cancel(self) -> None:
        """Stop the child and forget it (the build failed before it needed the result)."""
        if not self.pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._close()


_FRAME = struct.Struct("<Q")  # the length of each message a child sends


PIPE_SIZE = 1 << 20  # Linux's default limit for a pipe's buffer


def _widen_pipe(fd: int) -> None:
    """Let a result of up to PIPE_SIZE go into the pipe at once (Linux): the child then exits
    when done instead of waiting for the parent to drain 64 KiB at a time (the early parse sends
    back about 700 KiB for 100 files). Elsewhere, or over a limit, the pipe stays as it is."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl  # here: a Dask worker on Windows imports this module too

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)


def _reap_later(pid: int) -> None:
    """Reap a child that has sent its result, in a thread, without waiting for it here: a
    forked child's exit unmaps the heap it shares with this process, 5-15 ms at 10,000
    articles that the build would otherwise spend waiting."""
    threading.Thread(target=_reap, args=(pid,), name=f"digest-reap-{pid}", daemon=True).start()


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # reaped already (a SIGCHLD handler of a library)
        os.waitpid(pid, 0)


def _run_child(func: Callable[[], Any], writer: int, then: Callable[[], Any] | None = None) -> None:
    """In a forked child: run `func` (then `then`), send back each result or error, and exit.
    Never returns: the child must not go on to run the rest of the parent's build."""
    status = 1
    try:
        gc.freeze()  # the inherited heap stays shared: the collector walks only what the child makes
        with os.fdopen(writer, "wb") as stream:
            for work in (func, then) if then is not None else (func,):
                done, data = _outcome(work)
                stream.write(_FRAME.pack(len(data)) + data)
                stream.flush()  # the parent goes on with it while `then` runs
                if not done:
                    break  # an error: no more work
        status = 0
    finally:
        os._exit(status)


def _outcome(work: Callable[[], Any]) -> tuple[bool, bytes]:
    """Whether `work` succeeded, and its result or the error it raised, pickled."""
    try:
        payload = (True, work())
    except BaseException as exc:  # noqa: BLE001 (anything, Ctrl-C too: the parent raises it)
        payload = (False, exc)
    try:
        return payload[0], pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 (an error or result that does not pickle: its text still does)
        import traceback

        return False, pickle.dumps((False, RuntimeError(traceback.format_exc())))


def run_apart(func: Callable[[], R]) -> R:
    """Run `func` in a forked child process and return its (picklable) result (see `Apart`)."""
    return Apart(func).result()


class DaskRunner(WorkRunner):
    """Hands chunks to an existing Dask cluster (`pip install digest[dask]`)."""

    def __init__(self, address: str) -> None:
        try:
            from dask.distributed import Client
        except ImportError:
            raise DigestError("--executor dask:// needs Dask: pip install 'digest[dask]'") from None
        try:
            self.client = Client(address, timeout="5s")
        except OSError as exc:
            raise DigestError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map_chunks(self, func: Callable[[Sequence[T]], R], chunks: Iterable[Sequence[T]]) -> Iterator[R]:
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(self.client.submit(func, chunk, pure=False))
            if len(pending) >= self.workers * 4:
                yield pending.popleft().result()  # in submission order: results stay deterministic
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        self.client.close()


def available_cpus() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def forks_apart(executor: str | None) -> bool:
    """Whether a build may hand work to forked children of its own (its content walk, early
    parse and feeds): only when left to choose its executor, with a second core to run them."""
    return executor in (None, "auto") and available_cpus() > 1


def make_runner(
    spec: str | None, items: int, threshold: int = PARALLEL_THRESHOLD, helps: bool = True
) -> WorkRunner:
    """`None`/`auto`: local processes when there are `threshold` items or more; `serial`;
    `local[:N]`; `dask://HOST:PORT`. `helps`: under `auto`, this process takes chunks too and
    forks one worker fewer than there are cores (see `LocalRunner`); a caller with work of its
    own to do on each result passes False for a worker per core."""
    spec = (spec or "auto").strip()
    if spec.startswith("dask://"):
        return DaskRunner("tcp://" + spec.removeprefix("dask://"))
    cpus = available_cpus()
    if spec == "serial":
        return WorkRunner()
    if spec == "auto":
        if cpus < 2 or items < threshold:
            return WorkRunner()
        return LocalRunner(cpus - 1, helps=True) if helps else LocalRunner(cpus)
    if spec == "local" or spec.startswith("local:"):
        count = spec.partition(":")[2]
        if count and not count.isdigit():
            raise DigestError(f"--executor {spec}: the worker count must be a number, e.g. local:2")
        return LocalRunner(int(count) if count else cpus)
    raise DigestError(f"unknown --executor {spec!r}: use auto, serial, local[:N] or dask://HOST:PORT")


MIN_CHUNK = 16  # smaller chunks cost more in pickling and messages than they balance


def chunk_size(items: int, workers: int) -> int:
    """Chunks small enough to balance the workers, big enough to amortise pickling."""
    if workers <= 1:
        return 256  # in one process chunks only bound memory
    return max(MIN_CHUNK, min(500, items // (workers * 8) or 1))


def chunked(items: Iterable[T], size: int, count: int | None = None, workers: int = 1) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter).

    Given the `count` of items and several `workers`, chunks shrink towards the end (each at
    most half of what is left per worker, and at least MIN_CHUNK): whoever takes the last
    chunks then finishes soon after the others, instead of leaving a core idle for most of a
    full chunk (up to 0.4 s of the page stage at 10,000 articles).
    """
    shrinking = count is not None and workers > 1
    left = count or 0

    def goal() -> int:
        return min(size, max(MIN_CHUNK, left // (workers * 2))) if shrinking else size

    chunk: list[T] = []
    wanted = goal()
    for item in items:
        chunk.append(item)
        if len(chunk) >= wanted:
            yield chunk
            left -= len(chunk)
            wanted = goal()
            chunk = []
    if chunk:
        yield chunk


def run_chunks(
    runner: WorkRunner, func: Callable[[Sequence[T]], list[Any]], items: Iterable[T], count: int
) -> Iterator[Any]:
    """Run func over chunks of items (made lazily) and flatten the results, in order."""
    workers = runner.workers
    for results in runner.map_chunks(func, chunked(items, chunk_size(count, workers), count, workers)):
        yield from results
