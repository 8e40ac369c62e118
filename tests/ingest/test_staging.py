"""Staging in worker processes gives exactly what staging in this process gives, chunk by chunk and in order."""

import os
from functools import partial

from articles.ingest.reading import RawPiece, iter_piece_inputs
from articles.ingest.staging import stage_chunk
from articles.ingest.workers import stage_in_parallel

stage = partial(stage_chunk, clean=True, max_bytes=100_000, source=None)


def stage_saying_where(chunk):
    """Stage `chunk` and say which process did it (module level, so that workers can be handed it; the module
    imports nothing that needs Django, which workers do not set up)."""
    return os.getpid(), stage(chunk)


def test_workers_read_and_stage_the_files_in_order_as_this_process_would(tmp_path):
    from tests.importing.conftest import piece_text

    for i in range(9):
        (tmp_path / f"{i:02d}.txt").write_text(piece_text(f"Harbour report number {i}"))
    (tmp_path / "05.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 50)  # fails in the worker, with a reason
    (tmp_path / "07.txt").write_bytes(b"x" * 100_001)  # over the limit: refused before it is decoded
    inputs = list(iter_piece_inputs([str(tmp_path)], max_bytes=100_000))
    given = RawPiece(origin="pasted", data=piece_text("Pasted piece").encode(), size=0)
    inputs = [*inputs[:3], given, str(tmp_path / "gone.txt"), *inputs[3:]]
    chunks = [inputs[start : start + 2] for start in range(0, len(inputs), 2)]

    where, in_workers = zip(*stage_in_parallel(chunks, stage_saying_where, workers=2), strict=True)

    assert list(in_workers) == [stage(chunk) for chunk in chunks]
    assert where[0] == os.getpid(), "the first chunk is staged here while the workers start"
    assert os.getpid() not in where[1:], "the rest by the workers (which of the two takes a chunk is up to the pool)"
    staged = [piece for chunk in in_workers for piece in chunk]
    assert [piece.raw.origin for piece in staged] == [item if isinstance(item, str) else "pasted" for item in inputs]
    titles = [piece.parsed.title for piece in staged if piece.ok]
    assert titles[:4] == [f"Harbour report number {i}" for i in range(3)] + ["Pasted piece"]
    errors = {piece.raw.origin.rsplit("/", 1)[-1]: piece.error for piece in staged if not piece.ok}
    assert set(errors) == {"gone.txt", "05.txt", "07.txt"}
    assert "cannot be read" in errors["gone.txt"]
    assert "binary" in errors["05.txt"]
    assert "over the import limit" in errors["07.txt"]


def test_one_chunk_is_staged_here_without_starting_workers(tmp_path, monkeypatch):
    from tests.importing.conftest import piece_text

    (tmp_path / "only.txt").write_text(piece_text())
    monkeypatch.setattr("articles.ingest.workers.ProcessPoolExecutor", None)  # starting workers would fail
    [chunk] = list(stage_in_parallel([[str(tmp_path / "only.txt")]], stage, workers=2))
    assert chunk[0].ok and chunk[0].parsed.title == "Grain corridor opens"
