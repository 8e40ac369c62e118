"""The import pipeline: bytes → decode → parse → clean → load, with a report and an import record per piece.

Callers (the `import_articles` command, the API's import endpoint, the admin's import page, tests) use only the
names below. Nothing here prints or reads the command line.

The names are loaded on first use, so the pure modules (`decode`, `parse`, `clean`, `bylines`, `prepare`) can be
imported without configuring Django, as the accuracy benchmark does.
"""

from importlib import import_module

_EXPORTS = {
    "ImportInterrupted": "articles.ingest.importer",
    "ImportOptions": "articles.ingest.importer",
    "ImportReport": "articles.ingest.importer",
    "import_bytes": "articles.ingest.importer",
    "import_document": "articles.ingest.documents",
    "import_files": "articles.ingest.importer",
    "import_paths": "articles.ingest.importer",
    "import_pieces": "articles.ingest.importer",
    "queue_import": "articles.ingest.queued",
    "should_queue": "articles.ingest.queued",
    "PieceResult": "articles.ingest.load",
    "MissingPathError": "articles.ingest.reading",
    "PieceFile": "articles.ingest.reading",
    "RawPiece": "articles.ingest.reading",
    "FeedMeta": "articles.ingest.formats",
    "FormatError": "articles.ingest.formats",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
