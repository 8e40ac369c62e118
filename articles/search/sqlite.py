"""SQLite: the FTS5 table `articles_article_fts` (external content: the article table), kept in step by triggers.

The table is reached through the relation `INDEX_RELATION` (an unmanaged model in `articles/models.py` whose
primary key is the FTS5 rowid, the article's id): a search joins the article table to it, so FTS5 runs the MATCH
once and hands its matches over in rowid order, and `bm25()` and `snippet()` read the current match. The hidden
column named after the table (`FTS5Document`) is what MATCH and those functions take.

Queries are rendered in FTS5's own syntax with every word quoted, so no input is read as FTS5 syntax (column
filters, NEAR, `^`). FTS5's NOT is binary, so exclusions are written `(wanted) NOT (excluded OR ...)`.
"""

from django.db import models
from django.db.models import F, FloatField, Func, TextField, Value

from articles.search.base import HIGHLIGHT_START, HIGHLIGHT_STOP, SearchBackend
from articles.search.query import All, Any, Node, Not, Phrase, Word

TABLE = "articles_article_fts"
INDEX_RELATION = "fts5_index"  # the reverse name of the index model's one-to-one key to the article
DOCUMENT = f"{INDEX_RELATION}__document"
WEIGHTS = (10.0, 4.0, 1.0)  # bm25 weights of title, summary, body: a title hit counts most


class FTS5Document(models.Field):
    """The hidden column an FTS5 table has under its own name; never read or written, only matched and scored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("db_column", TABLE)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return None  # part of the virtual table the migrations create, never a column of its own


@FTS5Document.register_lookup
class FTS5Match(models.Lookup):
    """`document__fts5_match=expression`: the rows FTS5 finds for an FTS5 query expression."""

    lookup_name = "fts5_match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


def fts5_expression(node: Node) -> str:
    """Return `node` in FTS5's query syntax, every word a quoted string."""
    if isinstance(node, Word):
        return _quoted(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _quoted(" ".join(node.words))
    if isinstance(node, Any):
        return "(" + " OR ".join(fts5_expression(part) for part in node.parts) + ")"
    if isinstance(node, All):
        wanted = [fts5_expression(part) for part in node.parts if not isinstance(part, Not)]
        excluded = [fts5_expression(part.term) for part in node.parts if isinstance(part, Not)]
        expression = "(" + " AND ".join(wanted) + ")"
        return f"({expression} NOT ({' OR '.join(excluded)}))" if excluded else expression
    raise TypeError(f"Not a query node: {node!r}")  # a Not is only ever part of an All


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SQLiteSearch(SearchBackend):
    vendor = "sqlite"

    def matches(self, queryset, query):
        # `id IN (the index's matches)`: one MATCH, the article table's own plan for the rest (any ordering).
        index = queryset.model._meta.get_field(INDEX_RELATION).related_model
        found = index._default_manager.filter(document__fts5_match=fts5_expression(query)).values("pk")
        return queryset.filter(pk__in=found)

    def ranked_matches(self, queryset, query):
        rank = Func(F(DOCUMENT), *map(Value, WEIGHTS), function="bm25", output_field=FloatField())
        return queryset.filter(**{f"{DOCUMENT}__fts5_match": fts5_expression(query)}).annotate(rank=-rank)

    def with_snippets(self, ranked, query):
        snippet = Func(
            F(DOCUMENT),
            Value(-1),  # the column with the best hits
            Value(HIGHLIGHT_START),
            Value(HIGHLIGHT_STOP),
            Value("…"),
            Value(24),  # tokens
            function="snippet",
            output_field=TextField(),
        )
        return ranked.annotate(snippet=snippet)

    def rows(self, model, ids):
        # The ids on the index's side of the join: FTS5 then looks each one up (`rowid = ?` with the MATCH) rather
        # than walking every match of a common word to find the page's few.
        return model._default_manager.filter(**{f"{INDEX_RELATION}__in": ids})

    def newest_first(self, ranked):
        # FTS5 gives its matches in rowid order, either way, without sorting them.
        return ranked.order_by(f"-{INDEX_RELATION}__article_id")

    def window_page(self, newest, within, query, *, offset, size, window):
        # The window's scores come with its ids, computed as FTS5 hands the matches over; the page's rows follow.
        scored = list(newest.values_list("pk", "rank")[:window])
        best_first = sorted(scored, key=lambda match: (match[1], match[0]), reverse=True)
        ranks = dict(best_first[offset : offset + size])
        rows = {row.pk: row for row in within.filter(pk__in=list(ranks)).order_by()} if ranks else {}
        page = []
        for pk, rank in ranks.items():
            if pk in rows:  # gone only if it changed between the two queries
                rows[pk].rank = rank
                page.append(rows[pk])
        return [pk for pk, _ in scored], page
