"""Full-text search over articles, on the database's own index.

PostgreSQL: a generated, stored `search_vector` tsvector column (title weighted A, summary B, body C) with a GIN
index; queries go through `websearch_to_tsquery`, ranked with `ts_rank_cd`.
SQLite: an FTS5 table `articles_article_fts` with external content (the article table itself), kept in step by
triggers; queries are ranked with `bm25` (title counts most).

Both are created in migration 0002. Neither is a Django field: the ORM never writes them, the database maintains
them, so bulk inserts and updates are indexed too.
"""

import json
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, TextField
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
HIGHLIGHT_START, HIGHLIGHT_STOP = "<mark>", "</mark>"


def fts5_query(text: str) -> str:
    """Return an FTS5 MATCH expression that finds rows containing every word of `text`.

    Each word is quoted, so user input can never be read as FTS5 syntax (NEAR, column filters, quotes).
    """
    return " ".join(f'"{token}"' for token in _TOKEN_RE.findall(text))


def search_articles(queryset, text: str, *, vendor: str, snippets: bool = True):
    """Filter `queryset` to the articles matching `text`, annotate `rank` (higher is better) and `snippet`.

    A snippet costs a pass over the article's text; with `snippets=False` none is annotated, and a caller that shows
    a page of results fetches the page's snippets afterwards with `search_snippets`.
    """
    if not _TOKEN_RE.search(text or ""):
        return queryset.none()
    found = _search_postgresql(queryset, text) if vendor == "postgresql" else _search_sqlite(queryset, text)
    if snippets:
        found = found.annotate(snippet=_snippet_expression(text, vendor))
    return found


def matching(queryset, text: str, *, vendor: str):
    """Filter `queryset` to the articles matching `text`, unranked: cheap whatever the number of matches."""
    if not _TOKEN_RE.search(text or ""):
        return queryset.none()
    if vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        vector = RawSQL('"articles_article"."search_vector"', [], output_field=SearchVectorField())
        return queryset.annotate(_search_vector=vector).filter(_search_vector=query)
    matched = RawSQL("SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s", [fts5_query(text)])
    return queryset.filter(id__in=matched)


def search_snippets(ids, text: str, *, vendor: str) -> dict[int, str]:
    """Return the highlighted snippet of each article in `ids` for `text` (one query, whatever the number)."""
    from articles.models import Article

    ids = [int(pk) for pk in ids]
    if not ids or not _TOKEN_RE.search(text or ""):
        return {}
    if vendor != "postgresql":
        # One pass over the match list, snippets built for the rows asked for only (a correlated subquery would
        # run the full-text query once per row).
        sql = (
            "SELECT rowid, snippet(articles_article_fts, -1, %s, %s, '…', 24) FROM articles_article_fts "
            "WHERE articles_article_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [HIGHLIGHT_START, HIGHLIGHT_STOP, fts5_query(text), json.dumps(ids)])
            return dict(cursor.fetchall())
    rows = Article.objects.filter(pk__in=ids).annotate(snippet=_snippet_expression(text, vendor))
    return dict(rows.values_list("pk", "snippet"))


def _snippet_expression(text, vendor):
    if vendor == "postgresql":
        return SearchHeadline(
            F("summary"),
            SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG),
            config=SEARCH_CONFIG,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
        )
    return RawSQL(
        "SELECT snippet(articles_article_fts, -1, %s, %s, '…', 24) FROM articles_article_fts "
        "WHERE articles_article_fts MATCH %s AND rowid = articles_article.id",
        [HIGHLIGHT_START, HIGHLIGHT_STOP, fts5_query(text)],
        output_field=TextField(),
    )


def _search_postgresql(queryset, text):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    vector = RawSQL('"articles_article"."search_vector"', [], output_field=SearchVectorField())
    return (
        queryset.annotate(_search_vector=vector)
        .filter(_search_vector=query)
        .annotate(
            rank=RawSQL(
                'ts_rank_cd("articles_article"."search_vector", websearch_to_tsquery(%s::regconfig, %s))',
                [SEARCH_CONFIG, text],
                output_field=FloatField(),
            )
        )
    )


def _search_sqlite(queryset, text):
    # One MATCH, ranked by FTS5 itself, joined to the articles by id: a correlated subquery per row would run the
    # full-text query again for every matching article.
    return queryset.extra(
        tables=["articles_article_fts"],
        where=["articles_article_fts.rowid = articles_article.id", "articles_article_fts MATCH %s"],
        params=[fts5_query(text)],
        select={"rank": "-bm25(articles_article_fts, 10.0, 4.0, 1.0)"},
    )
