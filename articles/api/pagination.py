"""Pagination: page numbers for browsing, keyset cursors for walking the whole archive.

Page-number pages (`?page=`, `?page_size=` up to 100, or `?offset=` and `?limit=` as WordPress's and Ghost's
clients send them) carry a `count`, also sent as `X-Total-Count`, and RFC 8288 `Link` headers (`first`, `prev`,
`next`, `last`) beside the body's `next` and `previous`; the count is (remembered for 30 seconds per filter set, so it
may lag that long behind inserts and deletes). A deep page is fetched in two steps inside one
query: the page's ids come from the ordering index alone (`id IN (SELECT id ... LIMIT n OFFSET m)`), and only those
rows are read in full, so skipping 40,000 rows never reads 40,000 bodies. A search's matches (the queryset the search
filter backend marks, `queryset.full_text`) are counted up to SEARCH_COUNT_MAX; ranked ones are paged best first by
the search itself (`FullTextSearch.ranked_page`), which scores a bounded window of matches.

Cursor pages (`?pagination=cursor`, then follow `next`) seek straight to the last row seen (`(published_at, id) <
(v, i)`), so every page costs the same and rows inserted meanwhile neither shift nor repeat what follows. Cursors walk
forward only. They order by `published_at` or `updated_at` (either direction); `?ordering=updated_at` together with
`updated_since` is the way to fetch only what changed since a previous sync.
"""

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from articles.ids import MAX_ID, parse_whole_number
from articles.search import SEARCH_COUNT_MAX

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_ORDERINGS = ("-published_at", "published_at", "-updated_at", "updated_at")


MAX_PAGE = 999_999_999  # page numbers have at most nine digits


def positive_int(params, name: str, default: int, maximum: int = MAX_PAGE) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    value = parse_whole_number(raw, MAX_PAGE)
    if value is None:
        raise ValidationError({name: [f"Expected a whole number from 1 to {MAX_PAGE:,}, got {raw[:50]!r}."]})
    if value > maximum:
        raise ValidationError({name: [f"At most {maximum}."]})
    return value


# A cursor this API issues is about 100 characters; a longer token is refused before it is decoded.
CURSOR_MAX_LENGTH = 256


def refuse_constant(name: str):
    raise ValueError(f"{name} is not a value a cursor holds")


COUNT_SECONDS = 30
NOT_COUNTED = {"page", "page_size", "limit", "offset", "pagination", "cursor", "ordering", "fields"}


def cached_count(request, count) -> int:
    """Return the number of rows the request's filters select, remembered for COUNT_SECONDS.

    Counting is the one part of a list whose cost grows with the archive (a filtered count reads every matching
    row); the rows of a page are always fetched fresh, so only `count` and the last page's bounds may lag.
    `count` (a callable) builds and runs the counting query only when no count is remembered.
    """
    from articles.api.permissions import audience

    params = sorted((key, value) for key, value in request.query_params.lists() if key not in NOT_COUNTED)
    digest = hashlib.blake2b(repr((request.path, audience(request.user), params)).encode(), digest_size=16).hexdigest()
    key = f"api:count:{digest}"
    counted = cache.get(key)
    if counted is None:
        counted = count()
        cache.set(key, counted, COUNT_SECONDS)
    return counted


def page_window(params) -> tuple[int, int, bool]:
    """Return the page's size and offset, and whether the client pages by offset (`limit`/`offset`).

    `limit` is `page_size` by another name and `offset` the number of rows to skip; naming a size or a position
    twice (`limit` with `page_size`, `offset` with `page`) is a 400 rather than a guess at which one was meant.
    """
    for one, other in (("limit", "page_size"), ("offset", "page")):
        if params.get(one) not in (None, "") and params.get(other) not in (None, ""):
            raise ValidationError({one: [f"Send `{one}` or `{other}`, not both."]})
    size_name = "limit" if params.get("limit") not in (None, "") else "page_size"
    size = positive_int(params, size_name, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    raw_offset = params.get("offset")
    if raw_offset in (None, ""):
        return size, (positive_int(params, "page", 1) - 1) * size, size_name == "limit"
    offset = 0 if raw_offset == "0" else parse_whole_number(raw_offset, MAX_PAGE)
    if offset is None:
        raise ValidationError({"offset": [f"Expected a whole number from 0 to {MAX_PAGE:,}, got {raw_offset[:50]!r}."]})
    return size, offset, True


def link_header(links: dict) -> str:
    """Return an RFC 8288 `Link` header value for `{relation: url}` (relations whose url is None left out)."""
    return ", ".join(f'<{url}>; rel="{relation}"' for relation, url in links.items() if url is not None)


class PageNumberPagination(BasePagination):
    """`?page=` and `?page_size=` (1 to 100), or `?offset=` and `?limit=`; a page past the last is a 404, a malformed
    number a 400."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size, self.offset, self.by_offset = page_window(request.query_params)
        self.page = self.offset // self.page_size + 1
        self.count = self.count_rows(queryset, request)
        if self.offset and self.offset >= self.count:
            raise NotFound(self.past_the_end_message())
        return self.page_rows(queryset, self.offset, self.page_size)

    def past_the_end_message(self) -> str:
        if self.by_offset:
            return f"Offset {self.offset} is past the last row."
        return f"Page {self.page} is past the last page."

    def count_rows(self, queryset, request) -> int:
        return cached_count(request, queryset.count)

    def page_rows(self, queryset, offset: int, size: int) -> list:
        if offset == 0:
            return list(queryset[offset : offset + size])
        return list(queryset.filter(pk__in=queryset.values("pk")[offset : offset + size]))

    def count_is_exact(self) -> bool:
        return True

    def url_at(self, offset: int) -> str:
        """Return this request's address for the page starting at row `offset`, in the client's own terms."""
        url = self.request.build_absolute_uri()
        if self.by_offset:
            return replace_query_param(url, "offset", offset)
        page = offset // self.page_size + 1
        return replace_query_param(url, "page", page) if page > 1 else remove_query_param(url, "page")

    def links(self) -> dict:
        """Return the `first`, `prev`, `next` and `last` pages' addresses (None where there is none)."""
        size, offset = self.page_size, self.offset
        last = offset + max(0, self.count - 1 - offset) // size * size if self.count > offset else offset
        return {
            "first": self.url_at(0),
            "prev": self.url_at(max(0, offset - size)) if offset > 0 else None,
            "next": self.url_at(offset + size) if offset + size < self.count else None,
            "last": self.url_at(last) if self.count_is_exact() else None,
        }

    def headers(self) -> dict:
        """Return the `Link` and (when the count is exact) `X-Total-Count` headers of the page just paginated."""
        headers = {"Link": link_header(self.links())}
        if self.count_is_exact():
            headers["X-Total-Count"] = str(self.count)
        return headers

    def get_paginated_response(self, data):
        links = self.links()
        body = {"count": self.count, "next": links["next"], "previous": links["prev"], "results": data}
        return Response(body, headers=self.headers())

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": (
                        f"Total matches (page-number pages only); for a search, at most {SEARCH_COUNT_MAX:,}: "
                        "page numbers reach that many, cursor pages every match."
                    ),
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                "description": "Page number, from 1.",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "description": f"Results per page (default {DEFAULT_PAGE_SIZE}).",
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "description": "Results per page, as `page_size` (not with it); the links then page by `offset`.",
            },
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_PAGE},
                "description": "Rows to skip, from 0 (not with `page`); the links then page by `offset`.",
            },
        ]


class ArticlePagination(PageNumberPagination):
    """Page numbers by default; `?pagination=cursor` (or a `cursor` from a previous page) selects keyset cursors."""

    def paginate_queryset(self, queryset, request, view=None):
        self.mode = request.query_params.get("pagination", "page")
        self.search = getattr(queryset, "full_text", None)  # the matches of a search: counted up to SEARCH_COUNT_MAX
        if "cursor" in request.query_params:
            self.mode = "cursor"
        if self.mode not in ("page", "cursor"):
            raise ValidationError({"pagination": ["Choose `page` or `cursor`."]})
        if self.mode == "page":
            return super().paginate_queryset(queryset, request, view)
        return self.paginate_by_cursor(queryset, request)

    def count_rows(self, queryset, request) -> int:
        """Count the rows; a search's matches only up to SEARCH_COUNT_MAX.

        Counting every match of a common word means reading every matching row (tens of milliseconds on SQLite,
        most of a second on PostgreSQL for 25,000 matches); page numbers therefore reach a search's first
        SEARCH_COUNT_MAX matches, and cursor pages walk them all. Taken in the index's order and stopping at the
        limit, counting a common word's matches costs no more than counting a rare word's.
        """
        if self.search is None:
            return super().count_rows(queryset, request)
        return cached_count(request, lambda: queryset.order_by().values("pk")[:SEARCH_COUNT_MAX].count())

    def count_is_exact(self) -> bool:
        return self.search is None or self.count < SEARCH_COUNT_MAX  # a search's count stops at SEARCH_COUNT_MAX

    def past_the_end_message(self) -> str:
        if self.search is not None and self.count >= SEARCH_COUNT_MAX:
            return (
                f"Page numbers reach the first {SEARCH_COUNT_MAX:,} matches of a search; narrow it, or walk every "
                "match with cursor pages (`pagination=cursor`)."
            )
        return super().past_the_end_message()

    def page_rows(self, queryset, offset: int, size: int) -> list:
        if self.search is None:
            return super().page_rows(queryset, offset, size)
        size = max(0, min(size, self.count - offset))  # a search's pages end where its count stops
        if self.search.ranked:
            return self.search.ranked_page(queryset, offset=offset, size=size)
        return super().page_rows(queryset, offset, size)

    def paginate_by_cursor(self, queryset, request):
        self.request = request
        self.page_size, offset, _ = page_window(request.query_params)
        if offset:
            raise ValidationError({"offset": ["Cursor pages start where the cursor points; leave out `offset`."]})
        self.ordering = request.query_params.get("ordering") or CURSOR_ORDERINGS[0]
        if self.ordering not in CURSOR_ORDERINGS:
            raise ValidationError({"ordering": [f"Cursor pages order by one of: {', '.join(CURSOR_ORDERINGS)}."]})
        field, descending = self.ordering.lstrip("-"), self.ordering.startswith("-")
        tiebreak = "-id" if descending else "id"
        seek = Q(**{f"{field}__isnull": False})
        position = self.decode_cursor(request.query_params.get("cursor"))
        if position is not None:
            value, last_id = position
            before = "lt" if descending else "gt"
            seek &= Q(**{f"{field}__{before}": value}) | Q(**{field: value, f"id__{before}": last_id})
        rows = list(queryset.filter(seek).order_by(self.ordering, tiebreak)[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.last = (getattr(rows[-1], field), rows[-1].pk) if rows else None
        self.count = None
        return rows

    @classmethod
    def seek_bound(cls, request) -> Q | None:
        """Return the range a cursor request starts from (`published_at <= v`), or None.

        A view applies it before its other filters: SQLite seeks its index on the first range condition it meets on
        a column, so with `published_at <= now` first a deep cursor page would walk every newer row.
        """
        if "cursor" not in request.query_params:
            return None
        pagination = cls()
        pagination.ordering = request.query_params.get("ordering") or CURSOR_ORDERINGS[0]
        if pagination.ordering not in CURSOR_ORDERINGS:
            return None  # paginate_by_cursor reports it
        value, _ = pagination.decode_cursor(request.query_params["cursor"])
        field, comparison = pagination.ordering.lstrip("-"), "lte" if pagination.ordering.startswith("-") else "gte"
        return Q(**{f"{field}__{comparison}": value})

    def decode_cursor(self, token):
        """Return the (value, id) position a cursor holds; anything but a cursor this API issued is a 400.

        The token is a client's input: its length is bounded before it is decoded (which also bounds how deeply
        its JSON can nest), `NaN` and `Infinity` are refused, and every part must have the type it was issued with.
        """
        if token is None:
            return None
        refused = ValidationError({"cursor": ["This cursor is not one this API issued."]})
        if len(token) > CURSOR_MAX_LENGTH:
            raise refused
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")), parse_constant=refuse_constant)
            ordering, moment, last_id = data["o"], data["v"], data["i"]
            if not isinstance(moment, str) or type(last_id) is not int:
                raise refused
            value = datetime.fromisoformat(moment)
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, RecursionError):
            raise refused from None
        if ordering != self.ordering:
            raise ValidationError({"cursor": ["This cursor belongs to another ordering; keep `ordering` unchanged."]})
        try:
            value = value.astimezone(UTC) if value.tzinfo is not None else None
        except (ValueError, OverflowError):
            value = None
        if value is None or not 0 < last_id <= MAX_ID:
            raise refused
        return value, last_id

    def encode_cursor(self) -> str:
        value, last_id = self.last
        raw = json.dumps({"o": self.ordering, "v": value.isoformat(), "i": last_id}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")

    def cursor_next(self) -> str | None:
        url = replace_query_param(self.request.build_absolute_uri(), "pagination", "cursor")
        return replace_query_param(url, "cursor", self.encode_cursor()) if self.has_next else None

    def headers(self) -> dict:
        if self.mode == "page":
            return super().headers()
        first = remove_query_param(self.request.build_absolute_uri(), "cursor")
        return {"Link": link_header({"first": first, "next": self.cursor_next()})}

    def get_paginated_response(self, data):
        if self.mode == "page":
            return super().get_paginated_response(data)
        body = {"count": None, "next": self.cursor_next(), "previous": None, "results": data}
        return Response(body, headers=self.headers())

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "pagination",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": ["page", "cursor"]},
                "description": "`cursor` for keyset pages (stable under inserts; follow `next`; no `count`).",
            },
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "maxLength": CURSOR_MAX_LENGTH, "pattern": "^[A-Za-z0-9_-]+$"},
                "description": "The position a previous cursor page's `next` link carries.",
            },
        ]
