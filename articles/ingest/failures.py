"""Sort the reason a piece failed into one of a few kinds, for the failures inbox to filter by.

The reasons themselves are sentences written for an operator at each place a piece can fail; the kind is derived
from them once, when the import record is written, so the inbox filters on a short stored column rather than on
the text of every reason. Pure: no database, no settings.
"""

import re

# In order: the first pattern that matches a reason gives its kind. Each pattern is the start (or the stem) of the
# reasons one stage of the pipeline writes: reading.py, decode.py, the format readers, staging.py, plan.py, load.py.
_KINDS = [
    ("too_large", re.compile(r"over the (?:import )?limit of [\d,]+ bytes")),
    ("too_long", re.compile(r"characters long, over the limit")),
    ("database", re.compile(r"^The piece could not be stored")),
    ("not_a_feed", re.compile(r"^This is (?:a web page|a plain-text piece|not a feed)")),
    (
        "unreadable",
        re.compile(
            r"^(?:The file cannot be read|The folder cannot be read|This is a directory|This is a |A symbolic link"
            r"|There is no standard input)"
        ),
    ),
    ("encoding", re.compile(r"^The file (?:is empty|holds only whitespace|looks binary|starts with a|is not UTF-8)")),
    ("no_body", re.compile(r"has a title but no body text")),
    (
        "bad_item",
        re.compile(
            r"^(?:Item \d+|Items of format|Line \d+|The item could not be parsed|The document could not be read"
            r"|This is not a JSON Feed)"
        ),
    ),
]
OTHER = "other"


def failure_kind(reason: str) -> str:
    """Return the kind of `reason` (a failed piece's error), one of `articles.models.FAILURE_KINDS`."""
    for kind, pattern in _KINDS:
        if pattern.search(reason):
            return kind
    return OTHER
