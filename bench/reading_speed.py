"""Count what reading quotes and entity suggestions costs per piece (the work the task does after an import).

    python bench/reading_speed.py [--pieces N] [--folder PATH ...]

Cleans the pieces first (not counted), then reads N pieces (cycling through the folders' `.txt` files: the demo
samples, and the publishers' pieces beside the repository when present) with `read_quotes` and with
`read_entities`, and prints for each the pieces read, the seconds, the milliseconds per piece and the pieces per
second. Pure Python: no database, no Django settings.
"""

import argparse
import sys
import time
from itertools import cycle, islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from articles.ingest.prepare import prepare_piece  # noqa: E402
from articles.reading.entities import read_entities  # noqa: E402
from articles.reading.places import place_names  # noqa: E402
from articles.reading.quotes import read_quotes  # noqa: E402

DEFAULT_FOLDERS = [REPO / "samples", REPO.parent / "shared" / "samples", REPO.parent / "shared" / "samples" / "pieces"]


def bodies(folders: list[Path]) -> list[str]:
    """Return the cleaned bodies of every `.txt` piece in `folders`."""
    paths = sorted(path for folder in folders if folder.is_dir() for path in folder.glob("*.txt"))
    return [prepare_piece(path.read_bytes().decode("utf-8", errors="replace")).body for path in paths]


def count(reader, texts: list[str], pieces: int) -> tuple[int, float]:
    started = time.perf_counter()
    done = sum(1 for text in islice(cycle(texts), pieces) if reader(text) is not None)
    return done, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pieces", type=int, default=2000, help="how many pieces to read with each reader")
    parser.add_argument("--folder", type=Path, action="append", help="a folder of .txt pieces (repeatable)")
    args = parser.parse_args(argv)
    texts = bodies(args.folder or DEFAULT_FOLDERS)
    if not texts:
        parser.error("no .txt pieces in the folders given")
    place_names()  # the gazetteer is read once per process, not per piece
    print(f"{len(texts)} distinct pieces, {sum(len(t) for t in texts) // len(texts)} characters of body on average")
    print(f"{'reader':<16}{'pieces':>8}{'seconds':>10}{'ms/piece':>10}{'pieces/s':>10}")
    for name, reader in (("quotes", read_quotes), ("entities", read_entities)):
        done, seconds = count(reader, texts, args.pieces)
        print(f"{name:<16}{done:>8}{seconds:>10.2f}{seconds * 1000 / done:>10.3f}{done / seconds:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
