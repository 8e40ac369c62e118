"""Find the pieces to import and read their bytes, one at a time, so a batch of any size streams.

Reading never raises for one bad path and never waits on anything but a regular file: a file that cannot be read,
a named pipe, socket or device, a folder that cannot be listed and a link to a folder (not followed) each become a
`RawPiece` carrying its error, which the loader records as `failed`. Only a path that does not exist at all is a
mistake in the request itself.
"""

import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import translate

from articles.ingest import formats

STDIN = "-"
# O_NONBLOCK: opening a named pipe waits for a writer, and a device may wait too; a regular file reads the same.
# O_NOCTTY: a terminal named as a piece must not become this process's controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_GROWTH_CHUNK = 64 * 1024
_FILE_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class RawPiece:
    """The bytes of one piece as they arrived, or why they could not be read.

    A piece is a text piece (`format` "text", the default), or one item of a document (a feed, an export, JSON
    lines): then `format` is the document's and `context` what its item needs from the document to be read alone
    (`formats.RawItem.context`: the channel's title, namespaces, encoding), with `index` its place in the document
    and `notes` the splitter's warnings about it. `retry_of` is the import record the bytes were taken from when
    they are imported again (a retry from the failures inbox), and `outlet` the source its first import named for it
    (overriding the piece's own, as the import's `source` option does). All plain data, so that a piece pickles to a
    staging worker, and its format and context can be kept in its import record to read the bytes again alike.
    """

    origin: str
    data: bytes = b""
    error: str = ""
    size: int = 0
    format: str = "text"
    context: dict = field(default_factory=dict)
    index: int = 0
    line: int | None = None
    notes: tuple[str, ...] = ()
    retry_of: int | None = None
    outlet: str = ""

    @property
    def is_item(self) -> bool:
        return self.format != "text"


@dataclass(frozen=True)
class PieceFile:
    """A file to read when the piece is staged, recorded under a name of the caller's choosing (an upload's own
    name rather than the temporary file it was streamed to)."""

    path: str
    origin: str


class MissingPathError(FileNotFoundError):
    """A path given to the importer does not exist."""


def check_paths(paths: Iterable[str]) -> list[str]:
    """Return `paths` unchanged, or raise `MissingPathError` naming every path that does not exist.

    A path that exists but cannot be looked at (a folder on the way is closed to this user, a file name with a
    slash after it) is left for reading to report as a failed piece with the system's reason.
    """
    paths = list(paths)
    missing = []
    for path in paths:
        if path == STDIN:
            continue
        try:
            os.lstat(path)
        except FileNotFoundError:
            missing.append(display_path(path))
        except OSError:
            pass
    if missing:
        raise MissingPathError("No such file or directory: " + ", ".join(missing))
    return paths


def display_path(path: str) -> str:
    """Return `path` as text that can be stored and printed: bytes of a file name that are not UTF-8 (which Python
    carries as lone surrogates) are shown as `\\xNN` escapes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def iter_piece_inputs(paths: Iterable[str], *, pattern: str = "*.txt", max_bytes: int) -> Iterator["PieceInput"]:
    """Yield every piece under `paths`: each text file as its path, left for whoever stages it to read (a staging
    worker, beside the process writing to the database); each item of a document file (a feed, an export, JSON
    lines: told by its content, never its name) as its own piece, split here as the file is read; standard input
    as either; and a failed piece for each folder that could not be searched and each file that is a web page or
    markup of no format newsroom reads.

    Directories are searched recursively for `pattern`: each folder's files in name order, then its subfolders in
    name order.
    """
    matches = re.compile(translate(pattern)).match
    for path in paths:
        if path == STDIN:
            yield from _stdin_pieces(max_bytes)
        elif os.path.isdir(path):
            for found in _search_folder(path, matches):
                yield from (pieces_by_content(found, max_bytes=max_bytes) if isinstance(found, str) else [found])
        else:
            yield from pieces_by_content(path, max_bytes=max_bytes)


def count_piece_files(paths: Iterable[str], *, pattern: str = "*.txt") -> int | None:
    """Return how many pieces `iter_piece_inputs` finds under `paths`, counting each file once, from the folders'
    listings alone (nothing is opened): a progress bar's total. A document of many items counts as one; None when
    standard input is among the paths (its length is unknown until it is read)."""
    matches = re.compile(translate(pattern)).match
    total = 0
    for path in paths:
        if path == STDIN:
            return None
        total += sum(1 for _ in _search_folder(path, matches)) if os.path.isdir(path) else 1
    return total


def pieces_by_content(path: str, *, max_bytes: int, origin: str | None = None) -> Iterator["PieceInput"]:
    """Yield the file at `path` as its content says: a document's items, a refusal, or the path of a text piece
    (a `PieceFile` when it is named `origin` rather than its path).

    Only the file's first bytes are read here to tell; a file that cannot be opened or is not a regular file is
    left to `read_piece`, which says why.
    """
    as_read = path if origin is None else PieceFile(path, origin)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        yield as_read
        return
    with os.fdopen(descriptor, "rb") as file:
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise OSError("not a regular file")
            head = file.read(formats.SNIFF_BYTES)
        except OSError:
            yield as_read
            return
        fmt = formats.sniff_format(head)
        if fmt in formats.ITEM_FORMATS:
            file.seek(0)
            yield from document_pieces(file, display_path(path) if origin is None else origin, fmt)
            return
    if fmt in (formats.HTML, formats.UNKNOWN):
        piece = read_piece(path, max_bytes=max_bytes, origin=origin)
        yield piece if piece.error else RawPiece(piece.origin, piece.data, _not_a_piece(fmt), piece.size)
        return
    yield as_read


def _stdin_pieces(max_bytes: int) -> Iterator["PieceInput"]:
    """Yield standard input as its content says, as `_by_content` does for a file."""
    if sys.stdin is None:
        yield _read_stdin(max_bytes)
        return
    head = sys.stdin.buffer.read(formats.SNIFF_BYTES)
    fmt = formats.sniff_format(head)
    if fmt in formats.ITEM_FORMATS:
        yield from document_pieces(_Prefixed(head, sys.stdin.buffer), "stdin", fmt)
        return
    data = head + sys.stdin.buffer.read(max(0, max_bytes + 1 - len(head)))
    error = _not_a_piece(fmt) if fmt in (formats.HTML, formats.UNKNOWN) else ""
    yield RawPiece(origin="stdin", data=data, error=error, size=len(data))


def _not_a_piece(fmt: str) -> str:
    return f"{formats.refusal(fmt)} Import a feed (RSS, RDF, Atom, JSON Feed), JSON lines, a WordPress export or text."


class _Prefixed:
    """A binary stream whose first bytes were read to sniff it: they are read again first."""

    def __init__(self, head: bytes, rest):
        self._head, self._rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data


def document_pieces(source, origin: str, fmt: str | None = None) -> Iterator[RawPiece]:
    """Yield each item of the document `source` (bytes or a binary stream) as a piece named `"<origin>#item-N"`,
    split as the document is read. A document that stops being readable part-way (a read error) ends with a
    failed piece saying where; the items before it are imported."""
    index = 0
    try:
        for item in formats.iter_raw_items(source, fmt):
            index = item.index + 1
            yield item_piece(item, origin)
    except (OSError, ValueError) as error:
        yield RawPiece(
            origin=f"{origin}#item-{index + 1}", error=f"The document could not be read past item {index} ({error})."
        )


def item_piece(item, origin: str) -> RawPiece:
    """Return one item (`formats.RawItem`) of the document `origin` as a piece: its own bytes, format and context."""
    return RawPiece(
        origin=f"{origin}#item-{item.index + 1}",
        data=item.data,
        size=len(item.data),
        format=item.format,
        context=item.context,
        index=item.index,
        line=item.line,
        notes=tuple(item.warnings),
    )


def _search_folder(top: str, matches) -> Iterator["PieceInput"]:
    """Yield the files under `top` whose names `matches`, and a failed piece for every folder that cannot be listed
    and every link to a folder.

    Links to folders are not followed: a link back up the tree would make the search endless, and one to a distant
    tree would import pieces nobody meant to. Nothing is skipped in silence: each is reported, with how to import it.
    """
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_entry_name)
        except OSError as error:
            yield RawPiece(origin=display_path(folder), error=_unlistable(error))
            continue
        subfolders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
                is_link = is_folder and entry.is_symlink()
            except OSError:
                is_folder = is_link = False  # reading it will say what is wrong
            if is_link:
                yield RawPiece(origin=display_path(entry.path), error=_linked_folder(entry.path))
            elif is_folder:
                subfolders.append(entry.path)
            elif matches(entry.name):
                yield entry.path
        pending.extend(reversed(subfolders))


def _entry_name(entry: os.DirEntry) -> str:
    return entry.name


def _unlistable(error: OSError) -> str:
    reason = "permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error)).lower()
    return f"The folder cannot be read ({reason}); none of the pieces in it were imported."


def _linked_folder(path: str) -> str:
    try:
        target = f" to {display_path(os.readlink(path))}"
    except OSError:
        target = ""
    return (
        f"A symbolic link{target}: links to folders are not followed, so none of the pieces under it were imported. "
        "Give the folder itself to import them."
    )


def read_piece(path: str, *, max_bytes: int, origin: str | None = None) -> RawPiece:
    """Return the bytes of `path` (or of standard input for "-"); never more than `max_bytes` + 1 are read.

    Only a regular file is read. The file is opened without waiting (a named pipe would wait for a writer) and its
    type checked on the open descriptor, so a path swapped for a pipe or device after it was listed cannot make
    the read wait either. `origin` names the piece in its record (the path itself by default).
    """
    if path == STDIN:
        return _read_stdin(max_bytes)
    origin = display_path(path) if origin is None else origin
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except PermissionError:
        return RawPiece(origin=origin, error="The file cannot be read: permission denied.")
    except OSError as error:
        return RawPiece(origin=origin, error=_unopenable(path, error))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return RawPiece(origin=origin, error=_not_a_file(info.st_mode))
        size = info.st_size
        if size > max_bytes:
            return RawPiece(origin=origin, size=size, error=too_large(size, max_bytes))
        data = _read_at_most(descriptor, size, max_bytes)
    except OSError as error:
        return RawPiece(origin=origin, error=f"The file cannot be read: {error.strerror or error}.")
    finally:
        os.close(descriptor)
    return RawPiece(origin=origin, data=data, size=len(data))


def _read_at_most(descriptor: int, size: int, max_bytes: int) -> bytes:
    """Read to the end of the file, but never more than `max_bytes` + 1 bytes.

    The whole file is asked for at once, plus a byte, to see one that grew since it was measured; only then is the
    rest read in small chunks up to the limit. Asking for `max_bytes` at once would allocate that much every piece.
    """
    data = os.read(descriptor, size + 1)
    parts, total = [data], len(data)
    while total <= max_bytes:
        more = os.read(descriptor, min(max_bytes + 1 - total, _GROWTH_CHUNK))
        if not more:
            break
        parts.append(more)
        total += len(more)
    return data if len(parts) == 1 else b"".join(parts)


def _read_stdin(max_bytes: int) -> RawPiece:
    if sys.stdin is None:
        return RawPiece(origin="stdin", error="There is no standard input to read the piece from.")
    data = sys.stdin.buffer.read(max_bytes + 1)
    return RawPiece(origin="stdin", data=data, size=len(data))


def _unopenable(path: str, error: OSError) -> str:
    if isinstance(error, IsADirectoryError):
        return "This is a directory, not a file."
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    if mode and not stat.S_ISREG(mode):
        return _not_a_file(mode)  # a socket cannot be opened at all
    return f"The file cannot be read: {error.strerror or error}."


def _not_a_file(mode: int) -> str:
    kind = _FILE_KINDS.get(stat.S_IFMT(mode), "something other than a file")
    if kind == "a directory":
        return "This is a directory, not a file."
    return f"This is {kind}, not a regular file; only regular files are imported."


def too_large(size: int, limit: int) -> str:
    return f"The file is {size:,} bytes, over the import limit of {limit:,} bytes (NEWSROOM_IMPORT_MAX_BYTES)."


# A piece to import: its bytes already in hand, or a file not read yet (its path, or a path under another name).
PieceInput = RawPiece | PieceFile | str


def as_raw_piece(item: PieceInput, *, max_bytes: int) -> RawPiece:
    """Return `item`'s bytes as a `RawPiece`, reading the file when `item` is a path."""
    if isinstance(item, str):
        return read_piece(item, max_bytes=max_bytes)
    if isinstance(item, PieceFile):
        return read_piece(item.path, max_bytes=max_bytes, origin=item.origin)
    return item
