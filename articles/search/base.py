"""The interface every database's full-text backend implements, and the choice of backend for a connection.

A backend turns a parsed query (`query.py`) into ORM expressions for its database: the narrowing filter, the score
(`rank`, higher is better) and the highlighted snippet. The bounded, ranked window (`ranked_page`) is the same
plan on every database, with the steps whose best form differs (where the scores are computed) left to the backend.
"""

from articles.search.query import Node

HIGHLIGHT_START, HIGHLIGHT_STOP = "<mark>", "</mark>"


class SearchBackend:
    """Full-text search on one database; subclasses implement the methods that raise NotImplementedError."""

    vendor = ""

    def matches(self, queryset, query: Node):
        """Return the rows of `queryset` matching `query`, unranked: cheap whatever the number of matches."""
        raise NotImplementedError

    def ranked_matches(self, queryset, query: Node):
        """Return the rows of `queryset` matching `query`, each with its score annotated as `rank`."""
        raise NotImplementedError

    def with_snippets(self, ranked, query: Node):
        """Annotate `snippet` on `ranked` (from `ranked_matches`): plain text with `<mark>` around the hits."""
        raise NotImplementedError

    def newest_first(self, ranked):
        """Return `ranked` ordered newest first, in the order the full-text index gives them most cheaply."""
        return ranked.order_by("-pk")

    def window_page(self, newest, within, query: Node, *, offset: int, size: int, window: int):
        """Return the ids of the `window` newest matches and the rows `offset` to `offset + size` among them, best
        first, each with its `rank`."""
        raise NotImplementedError

    def scored_rows(self, rows, within, query: Node) -> list:
        """Return `rows` (a slice of `newest_first`) as a list, each row with its `rank`."""
        return list(rows)

    def rows(self, model, ids: list[int]):
        """Return the articles of `ids` (a page of them), for their ranks or snippets."""
        return model._default_manager.filter(pk__in=ids)

    def ranks(self, model, ids: list[int], query: Node) -> dict[int, float]:
        """Return the score of each article of `ids` for `query`, in one query."""
        found = self.ranked_matches(self.rows(model, ids), query)
        return dict(found.order_by().values_list("pk", "rank"))

    def snippets(self, model, ids: list[int], query: Node) -> dict[int, str]:
        """Return the snippet (plain text, `<mark>` around the hits) of each article of `ids`, in one query."""
        found = self.with_snippets(self.ranked_matches(self.rows(model, ids), query), query)
        return dict(found.order_by().values_list("pk", "snippet"))

    def ranked_page(self, ranked, within, query: Node, *, offset: int, size: int, window: int) -> list:
        """Return rows `offset` to `offset + size` of the matches `ranked`: the `window` newest first, best first, then
        any older matches, newest first (see `FullTextSearch.ranked_page`); `within` gives the rows' columns."""
        newest = self.newest_first(ranked)
        ids, page = self.window_page(newest, within, query, offset=offset, size=size, window=window)
        if offset + size > window and len(ids) == window:
            older = newest.filter(pk__lt=min(ids))[max(0, offset - window) : offset + size - window]
            page += self.scored_rows(older, within, query)
        return page


class NoSearchBackend(SearchBackend):
    """A database without a full-text index here: every search finds nothing (the index needs a migration)."""

    def matches(self, queryset, query):
        return queryset.none()

    ranked_matches = with_snippets = matches

    def window_page(self, newest, within, query, *, offset, size, window):
        return [], []


def backend_for(connection) -> SearchBackend:
    """Return the full-text backend for the database behind `connection`."""
    if connection.vendor == "postgresql":
        from articles.search.postgresql import PostgreSQLSearch

        return PostgreSQLSearch()
    if connection.vendor == "sqlite":
        from articles.search.sqlite import SQLiteSearch

        return SQLiteSearch()
    return NoSearchBackend()
