"""PostgreSQL: the generated, stored `search_vector` column (title weighted A, summary B, body C) and its GIN index.

Queries are rendered as a `to_tsquery` expression built from the tree, each word a quoted lexeme (so no input is
read as tsquery syntax), `:*` on prefixes and a quoted run of words for a phrase (which `to_tsquery` reads as words
in sequence, `<->`), held to one field by its weight. Scored with `ts_rank_cd`, highlighted with `ts_headline`.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorField
from django.db.models import F, FloatField, Func, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Concat

from articles.search.base import HIGHLIGHT_START, HIGHLIGHT_STOP, SearchBackend
from articles.search.query import All, Any, Node, Not, Phrase, Word

CONFIG = "english"
FIELD_WEIGHTS = "ABC"  # title, summary, body, as the generated column weights them (migration 0002)


class SearchVectorColumn(Expression):
    """The article table's `search_vector` column, named through whatever alias the query gives the table.

    The column is not a model field (the database generates it), so a plain SQL string would name the table
    itself, and inside a subquery that silently means the outer query's row.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.{connection.ops.quote_name('search_vector')}", []


def tsquery_text(node: Node) -> str:
    """Return `node` as `to_tsquery` input."""
    if isinstance(node, Word):
        return _lexeme(node.text) + (":*" if node.prefix else "")
    if isinstance(node, Phrase):
        # Within one field: the vector is the fields' vectors joined, so a title's last word and the summary's first
        # are next to each other in it. Each field has its own weight (A, B, C), as FTS5 has its own columns.
        phrase = _lexeme(" ".join(node.words))
        return "(" + " | ".join(f"{phrase}:{weight}" for weight in FIELD_WEIGHTS) + ")"
    if isinstance(node, Not):
        return "!" + tsquery_text(node.term)
    if isinstance(node, All):
        return "(" + " & ".join(tsquery_text(part) for part in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " | ".join(tsquery_text(part) for part in node.parts) + ")"
    raise TypeError(f"Not a query node: {node!r}")


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(node: Node) -> SearchQuery:
    return SearchQuery(tsquery_text(node), search_type="raw", config=CONFIG)


class PostgreSQLSearch(SearchBackend):
    vendor = "postgresql"

    def matches(self, queryset, query):
        return queryset.alias(_search_vector=SearchVectorColumn()).filter(_search_vector=tsquery(query))

    def ranked_matches(self, queryset, query):
        return self.matches(queryset, query).annotate(rank=self.rank(query))

    def rank(self, query):
        return Func(SearchVectorColumn(), tsquery(query), function="ts_rank_cd", output_field=FloatField())

    def with_snippets(self, ranked, query):
        # Summary and body: a hit may be in either (the title shows beside the snippet anyway).
        snippet = SearchHeadline(
            Concat(F("summary"), Value("\n"), F("body"), output_field=TextField()),
            tsquery(query),
            config=CONFIG,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
        )
        return ranked.annotate(snippet=snippet)

    def window_page(self, newest, within, query, *, offset, size, window):
        # Only the window's ids here: PostgreSQL may take a rare word's matches from the GIN index and sort them,
        # scoring every row it sorts. The page's rows are scored in the second query, a hundred at most.
        ids = list(newest.values_list("pk", flat=True)[:window])
        page = []
        if offset < len(ids):
            ranked = within.filter(pk__in=ids).annotate(rank=self.rank(query))
            page = list(ranked.order_by("-rank", "-pk")[offset : offset + size])
        return ids, page

    def scored_rows(self, rows, within, query):
        # Scored in an outer query, for the page's rows alone (not for the rows an OFFSET skips).
        return list(within.filter(pk__in=rows.values("pk")).annotate(rank=self.rank(query)).order_by("-pk"))

    def ranks(self, model, ids, query):
        return dict(model._default_manager.filter(pk__in=ids).annotate(rank=self.rank(query)).values_list("pk", "rank"))

    def snippets(self, model, ids, query):
        # No match condition: the rows are the page's, and ts_headline needs none.
        rows = self.with_snippets(model._default_manager.filter(pk__in=ids), query)
        return dict(rows.values_list("pk", "snippet"))
