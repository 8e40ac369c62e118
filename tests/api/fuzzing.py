"""Realistic values for the parts of a valid request no schema can describe, for schemathesis runs.

A schema says what a request looks like, not what the database holds: a generated source slug names no source, a
generated topic id no topic, a generated name may already be taken, a generated cursor was never issued, and a
generated text is rarely a piece the importer can read. The API rightly refuses such requests (a 400 or a 422),
which schemathesis would report as valid data rejected. This hook gives the requests schemathesis sends as valid
(positive) ones values that exist, names nobody holds and a piece that imports, just before they are sent;
everything else stays as generated, and requests meant to be invalid are left alone. schemathesis checks the case
again after the hook, so a value changed here is still judged against the schema.

`KNOWN` holds the existing rows to use: the pytest run fills it from its fixtures; for the command line, point
`NEWSROOM_FUZZ_DATA` at a JSON file of the same keys and load this module with `SCHEMATHESIS_HOOKS`.
"""

import json
import os
import uuid

import schemathesis

KNOWN: dict = {}  # source, author, topic, tag (slugs); source_id, topic_id, author_id, tag_id (ids); feed_url
# The rows the values above name must stay as they are: a write to one of them goes to an id nothing has.
PROTECTED = {
    "/api/v1/sources/{id}/": "source_id",
    "/api/v1/authors/{id}/": "author_id",
    "/api/v1/topics/{id}/": "topic_id",
    "/api/v1/tags/{id}/": "tag_id",
}
UNUSED_ID = 2**62
SLUG_FILTERS = {"source": "source", "author": "author", "topic": "topic", "tag": "tag", "parent": "topic"}
CURSOR_ORDERINGS = ("-published_at", "published_at", "-updated_at", "updated_at")
PIECE = (
    "Harbour reopens after the storm {n}\nHarbour reopens after the storm {n}\nBy Dana Orlova\n"
    "The harbour reopened on Monday after a week of repairs, officials said ({n}).\n"
    "Fishing boats returned to their moorings by the afternoon.\n"
    "The post Harbour reopens after the storm {n} appeared first on Harbour Times.\n"
)
# Text fields whose value must be unique, with their length limits.
UNIQUE_TEXT = {"name": 200, "title": 500, "external_id": 500, "iptc_code": 20}


def known() -> dict:
    if not KNOWN and os.environ.get("NEWSROOM_FUZZ_DATA"):
        with open(os.environ["NEWSROOM_FUZZ_DATA"]) as data:
            KNOWN.update(json.load(data))
    return KNOWN


def fresh(value: str, limit: int, *, slug: bool = False) -> str:
    """Return `value` made unique with a random suffix, within `limit` characters (a slug stays a slug)."""
    suffix = uuid.uuid4().hex[:8]
    return f"{value[: limit - 9]}-{suffix}" if slug or value.strip() else suffix


def realistic_query(query: dict, rows: dict, path: str) -> None:
    for name, kind in SLUG_FILTERS.items():
        if query.get(name) not in (None, "", []):
            query[name] = [rows[kind]] if isinstance(query[name], list) else rows[kind]
    query.pop("cursor", None)  # only a cursor the API issued is valid
    cursor_pages = query.get("pagination") == "cursor"
    # Two names for one thing are refused together (`limit` is `page_size`, `offset` a row instead of a `page`),
    # and a cursor page starts at its cursor: rules between parameters, which a schema cannot state.
    if query.get("page_size") not in (None, ""):
        query.pop("limit", None)
    if query.get("page") not in (None, "") or cursor_pages:
        query.pop("offset", None)
    if query.get("ordering") == "relevance" and not str(query.get("search") or "").strip():
        query["ordering"] = "-published_at"  # relevance needs a search term
    if cursor_pages and query.get("ordering") not in (None, "", *CURSOR_ORDERINGS):
        query["ordering"] = "-published_at"  # cursor pages seek on a date


def realistic_body(body: dict, rows: dict, path: str) -> None:
    for name, limit in UNIQUE_TEXT.items():
        if isinstance(body.get(name), str) and (name != "external_id" or body[name]) and body[name] != "":
            body[name] = fresh(body[name], limit)
    if isinstance(body.get("slug"), str) and body["slug"]:
        body["slug"] = fresh(body["slug"], 200, slug=True)
    if isinstance(body.get("body"), str) and body["body"].strip():
        body["body"] += f"\n\nWord {uuid.uuid4().hex}."  # no two articles may have the same text
    if "source_id" in body:
        body["source_id"] = rows["source_id"]
    if "topic_ids" in body:
        body["topic_ids"] = [rows["topic_id"]]
    if "bylines" in body:
        body["bylines"] = [{"author": rows["author_id"]}]
    if "parent" in body:
        body["parent"] = None  # a topic's parent must exist and not sit below it
    if path == "/api/v1/feeds/" and "url" in body and rows.get("feed_url"):
        body["url"] = f"{rows['feed_url']}{uuid.uuid4().hex}.xml"  # a feed that answers, subscribed to by nobody
    if path.startswith("/api/v1/feeds/") and isinstance(body.get("poll_interval"), str):
        body["poll_interval"] = "15m"  # the pattern allows intervals shorter than the shortest poll (10 s)
    if path == "/api/v1/imports/" and "text" in body:
        body["text"] = PIECE.format(n=uuid.uuid4().hex)
        if isinstance(body.get("source"), str) and body["source"].strip():
            # a new outlet, since the importer matches outlet names with other case rules than the database's
            body["source"] = fresh(body["source"], 200)


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = case.meta
    rows = known()
    if not rows or meta is None or not meta.generation.mode.is_positive:
        return
    path = case.operation.path
    protected = PROTECTED.get(path)
    if (
        protected
        and case.method.upper() != "GET"
        and str((case.path_parameters or {}).get("id")) == str(rows[protected])
    ):
        case.path_parameters["id"] = UNUSED_ID
    if case.query:
        realistic_query(case.query, rows, path)
    if isinstance(case.body, dict):
        realistic_body(case.body, rows, path)
    elif path == "/api/v1/imports/" and isinstance(case.body, str | bytes):
        case.body = PIECE.format(n=uuid.uuid4().hex)
