from __future__ import annotations

from digest.executor import MIN_CHUNK, WorkRunner, chunk_size, chunked, run_chunks


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
