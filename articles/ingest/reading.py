"""Find the pieces to import and read their bytes, one at a time, so a batch of any size streams.

Reading never raises for one bad file: an unreadable file becomes a `RawPiece` carrying its error, and the
loader records it as `failed`. Only a path that does not exist at all is a mistake in the request itself.
"""

import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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
        size = os.path.getsize(path)
        if size > max_bytes:
            return RawPiece(origin=path, size=size, error=too_large(size, max_bytes))
        data = Path(path).read_bytes()
    except PermissionError:
        return RawPiece(origin=path, error="The file cannot be read: permission denied.")
    except IsADirectoryError:
        return RawPiece(origin=path, error="This is a directory, not a file.")
    except OSError as error:
        return RawPiece(origin=path, error=f"The file cannot be read: {error.strerror or error}.")
    return RawPiece(origin=path, data=data, size=len(data))


def too_large(size: int, limit: int) -> str:
    return f"The file is {size:,} bytes, over the import limit of {limit:,} bytes (NEWSROOM_IMPORT_MAX_BYTES)."


def iter_raw_pieces(paths: Iterable[str], *, pattern: str = "*.txt", max_bytes: int) -> Iterator[RawPiece]:
    """Yield a `RawPiece` for every file under `paths`, reading each only when it is needed."""
    for path in iter_piece_paths(paths, pattern=pattern):
        yield read_piece(path, max_bytes=max_bytes)
