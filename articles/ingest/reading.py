"""Find the pieces to import and read their bytes, one at a time, so a batch of any size streams.

Reading never raises for one bad file: an unreadable file becomes a `RawPiece` carrying its error, and the
loader records it as `failed`. Only a path that does not exist at all is a mistake in the request itself.
"""

import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

STDIN = "-"


@dataclass(frozen=True)
class RawPiece:
    """The bytes of one piece as they arrived, or why they could not be read."""

    origin: str
    data: bytes = b""
    error: str = ""
    size: int = 0


class MissingPathError(FileNotFoundError):
    """A path given to the importer does not exist."""


def check_paths(paths: Iterable[str]) -> list[str]:
    """Return `paths` unchanged, or raise `MissingPathError` naming every path that does not exist."""
    paths = list(paths)
    missing = [p for p in paths if p != STDIN and not os.path.lexists(p)]
    if missing:
        raise MissingPathError("No such file or directory: " + ", ".join(missing))
    return paths


def iter_piece_paths(paths: Iterable[str], *, pattern: str = "*.txt") -> Iterator[str]:
    """Yield each file to import: files as given, directories searched recursively for `pattern`, in name order."""
    for path in paths:
        if path == STDIN or not os.path.isdir(path):
            yield path
            continue
        for directory, subdirectories, files in os.walk(path, onerror=None):
            subdirectories.sort()
            for name in sorted(files):
                if fnmatch.fnmatch(name, pattern):
                    yield os.path.join(directory, name)


def read_piece(path: str, *, max_bytes: int) -> RawPiece:
    """Return the bytes of `path` (or of standard input for "-"); never more than `max_bytes` + 1 are read."""
    if path == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        return RawPiece(origin="stdin", data=data, size=len(data))
    try:
        # Plain open() and fstat(): pathlib's path handling and a second lookup of the path cost more than the read.
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > max_bytes:
                return RawPiece(origin=path, size=size, error=too_large(size, max_bytes))
            # A byte more than the size, to see a file that grew since (or a special file with no size); the rest
            # only then, up to the limit. Reading max_bytes at once would allocate that much for every piece.
            data = file.read(size + 1)
            if len(data) > size:
                data += file.read(max_bytes + 1 - len(data))
    except PermissionError:
        return RawPiece(origin=path, error="The file cannot be read: permission denied.")
    except IsADirectoryError:
        return RawPiece(origin=path, error="This is a directory, not a file.")
    except OSError as error:
        return RawPiece(origin=path, error=f"The file cannot be read: {error.strerror or error}.")
    return RawPiece(origin=path, data=data, size=len(data))


def too_large(size: int, limit: int) -> str:
    return f"The file is {size:,} bytes, over the import limit of {limit:,} bytes (NEWSROOM_IMPORT_MAX_BYTES)."


# A piece to import: its bytes already in hand, or the path of a file not read yet.
PieceInput = RawPiece | str


def iter_piece_inputs(paths: Iterable[str], *, pattern: str = "*.txt", max_bytes: int) -> Iterator[PieceInput]:
    """Yield every piece under `paths`: each file as its path, left for whoever stages it to read (a staging
    worker, beside the process writing to the database), and standard input as its bytes, read here once."""
    for path in iter_piece_paths(paths, pattern=pattern):
        yield read_piece(path, max_bytes=max_bytes) if path == STDIN else path


def as_raw_piece(item: PieceInput, *, max_bytes: int) -> RawPiece:
    """Return `item`'s bytes as a `RawPiece`, reading the file when `item` is a path."""
    return read_piece(item, max_bytes=max_bytes) if isinstance(item, str) else item
