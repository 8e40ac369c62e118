"""Full-text search over articles, on the database's own index.

PostgreSQL: a generated, stored `search_vector` tsvector column (title weighted A, summary B, body C) with a GIN
index; queries go through `websearch_to_tsquery`, ranked with `ts_rank_cd`.
SQLite: an FTS5 table `articles_article_fts` with external content (the article table itself), kept in step by
triggers; queries are ranked with `bm25` (title counts most).

Both are created in migration 0002. Neither is a Django field: the ORM never writes them, the database maintains
them, so bulk inserts and updates are indexed too.

Finding matches is cheap whatever their number (an index lookup); scoring them is not (bm25 and ts_rank_cd read
each match's index data: about 25 µs a match, seconds for a word in a quarter of 100,000 articles). `relevance_page`
therefore scores a bounded window of matches, so a search costs the same whether a word is rare or everywhere.
"""

import json
import re
from html import escape

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, TextField, Value
from django.db.models.expressions import Expression, Func, RawSQL
from django.db.models.functions import Concat
from django.utils.safestring import mark_safe

SEARCH_CONFIG = "english"


class SearchVectorColumn(Expression):
    """The article table's `search_vector` column (PostgreSQL), named through whatever alias the query gives the table.

    The column is not a model field (the database generates it), so a plain SQL string would name the table
    itself, and inside a subquery that silently means the outer query's row.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.{connection.ops.quote_name('search_vector')}", []


# Letters and digits, as FTS5's unicode61 tokenizer reads words: `\w` alone would keep `_`, which the tokenizer
# splits on, and a quoted `a_b` is then a phrase, which the column-only index cannot answer (an error).
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
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
    found = _scored(queryset, text, vendor)
    if snippets:
        found = found.annotate(snippet=_snippet_expression(text, vendor))
    return found


def matching(queryset, text: str, *, vendor: str):
    """Filter `queryset` to the articles matching `text`, unranked: cheap whatever the number of matches."""
    if not _TOKEN_RE.search(text or ""):
        return queryset.none()
    if vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return queryset.alias(_search_vector=SearchVectorColumn()).filter(_search_vector=query)
    matched = RawSQL("SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s", [fts5_query(text)])
    return queryset.filter(id__in=matched)


RANKED_WINDOW = 100
SEARCH_COUNT_MAX = 1_000


def relevance_page(queryset, text: str, *, vendor: str, offset: int, size: int) -> list:
    """Return rows `offset` to `offset + size` of the articles of `queryset` matching `text`, best first.

    The RANKED_WINDOW most recently added matches are scored and come first, best first; any older matches follow,
    newest first. A search with fewer matches than the window (most searches) is therefore ranked in full, and one
    for a word found everywhere costs no more than one for a rare word: scoring 25,000 matches would take seconds.
    For a news archive, recent stories are the ones a reader wants among a very common word's matches.

    A page inside the window is two plain queries: the window's ids, the index walked newest first and stopped after
    RANKED_WINDOW matches, then the page's rows among them. Both are cheaper for the database to plan and for Django
    to build than one query that finds the window in a subquery. Only the window's rows are scored: on SQLite the
    first query scores them as FTS5 returns them (newest first, no sort); on PostgreSQL the second one does, because
    PostgreSQL may take a rare word's matches from the GIN index and sort them, scoring every row it sorts.
    `queryset` is not narrowed to the matches beforehand: the full-text index does that here. Each row carries
    `rank` (its score, higher is better, inside the window or not); snippets are the caller's to fetch
    (`search_snippets`) once it shows the page.
    """
    if not _TOKEN_RE.search(text or ""):
        return []
    if vendor == "postgresql":
        newest = matching(queryset, text, vendor=vendor).order_by("-pk")
        window = list(newest.values_list("pk", flat=True)[:RANKED_WINDOW])
        page = []
        if offset < len(window):
            page += _postgresql_ranked(queryset, window, text).order_by("-rank", "-pk")[offset : offset + size]
    else:
        newest = _search_sqlite(queryset, text).extra(order_by=["-articles_article_fts.rowid"])
        scored_window = list(newest.values_list("pk", "rank")[:RANKED_WINDOW])
        window = [pk for pk, _ in scored_window]
        page = _rows_in_rank_order(queryset, scored_window, offset, size)
    if offset + size > RANKED_WINDOW and len(window) == RANKED_WINDOW:
        older = newest.filter(pk__lt=window[-1])[max(0, offset - RANKED_WINDOW) : offset + size - RANKED_WINDOW]
        if vendor == "postgresql":  # scored in an outer query, for the page's rows alone
            older = _postgresql_ranked(queryset, older.values("pk"), text).order_by("-pk")
        page += older
    return page


def _postgresql_ranked(queryset, ids, text: str):
    """Return the rows of `queryset` with the given ids (a list or a subquery), each scored for `text` as `rank`."""
    return queryset.filter(pk__in=ids).annotate(rank=_postgresql_rank(text))


def _rows_in_rank_order(queryset, scored: list[tuple[int, float]], offset: int, size: int) -> list:
    """Return the rows of `queryset` at `offset` to `offset + size` among the (id, score) pairs `scored`, best first."""
    best_first = sorted(scored, key=lambda match: (match[1], match[0]), reverse=True)
    ranks = dict(best_first[offset : offset + size])
    rows = {row.pk: row for row in queryset.filter(pk__in=list(ranks)).order_by()} if ranks else {}
    page = []
    for pk, rank in ranks.items():
        if pk in rows:  # gone only if it changed between the two queries
            rows[pk].rank = rank
            page.append(rows[pk])
    return page


def counted_matches(queryset, text: str, *, vendor: str):
    """Return the matches of `text` in `queryset`, at most SEARCH_COUNT_MAX of them, as a query to count.

    Taken in the index's order and stopping at the limit, so counting a common word's matches costs no more than
    counting a rare word's.
    """
    if not _TOKEN_RE.search(text or ""):
        return queryset.none()
    return _scored(queryset, text, vendor).order_by().values("pk")[:SEARCH_COUNT_MAX]


def _scored(queryset, text: str, vendor: str):
    """Return the matches of `text` in `queryset` with their score as `rank` (computed only for rows fetched)."""
    if vendor == "postgresql":
        return matching(queryset, text, vendor=vendor).annotate(rank=_postgresql_rank(text))
    return _search_sqlite(queryset, text)


def search_snippets(ids, text: str, *, vendor: str) -> dict[int, str]:
    """Return the highlighted snippet of each article in `ids` for `text`: one query, for a page of rows.

    Snippets are safe HTML: the text escaped, only the `<mark>` tags around the hits kept.
    """
    from articles.models import Article

    ids = [int(pk) for pk in ids]
    if not ids or not _TOKEN_RE.search(text or ""):
        return {}
    if vendor != "postgresql":
        # One pass over the match list, snippets cut for the rows asked for only (a correlated subquery would run
        # the full-text query once per row).
        sql = (
            "SELECT rowid, snippet(articles_article_fts, -1, %s, %s, '…', 24) FROM articles_article_fts "
            "WHERE articles_article_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [HIGHLIGHT_START, HIGHLIGHT_STOP, fts5_query(text), json.dumps(ids)])
            rows = cursor.fetchall()
    else:
        rows = Article.objects.filter(pk__in=ids).annotate(snippet=_snippet_expression(text, vendor))
        rows = rows.values_list("pk", "snippet")
    return {pk: safe_snippet(snippet or "") for pk, snippet in rows}


def attach_rank_and_snippet(rows, text: str, *, vendor: str) -> None:
    """Give each article of a page of search results its `rank` (unless `relevance_page` did) and `snippet`."""
    from articles.models import Article

    ids = [row.pk for row in rows]
    if not ids:
        return
    if not hasattr(rows[0], "rank") and _TOKEN_RE.search(text or ""):  # listed in another order than relevance
        ranks = dict(_scored(Article.objects.filter(pk__in=ids), text, vendor).values_list("pk", "rank"))
        for row in rows:
            row.rank = ranks.get(row.pk)
    snippets = search_snippets(ids, text, vendor=vendor)
    for row in rows:
        row.snippet = snippets.get(row.pk)


def safe_snippet(snippet: str) -> str:
    """Return a snippet as HTML: the article's text escaped, only the database's `<mark>` tags kept."""
    marked = escape(snippet).replace("&lt;mark&gt;", HIGHLIGHT_START).replace("&lt;/mark&gt;", HIGHLIGHT_STOP)
    return mark_safe(marked)  # noqa: S308 - the text is escaped; only our own tags are put back


def _snippet_expression(text, vendor):
    if vendor == "postgresql":
        # Summary and body: a hit may be in either (the title shows beside the snippet anyway).
        return SearchHeadline(
            Concat(F("summary"), Value("\n"), F("body"), output_field=TextField()),
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


def _postgresql_rank(text):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return Func(SearchVectorColumn(), query, function="ts_rank_cd", output_field=FloatField())


def _search_sqlite(queryset, text):
    # One MATCH, ranked by FTS5 itself, joined to the articles by id: a correlated subquery per row would run the
    # full-text query again for every matching article.
    return queryset.extra(
        tables=["articles_article_fts"],
        where=["articles_article_fts.rowid = articles_article.id", "articles_article_fts MATCH %s"],
        params=[fts5_query(text)],
        select={"rank": "-bm25(articles_article_fts, 10.0, 4.0, 1.0)"},  # weights: title, summary, body
    )
