"""Full-text search over articles, on the database's own index: one search language, one backend per database.

`query.py` parses the language into a small tree; `base.py` is what each database's backend provides
(`postgresql.py`: the stored `search_vector` tsvector column; `sqlite.py`: the FTS5 table kept by triggers); this
module is what callers use: `FullTextSearch`, made by `Article.objects.search(text)` and kept on the queryset it
returns (`queryset.full_text`), so the API and the admin page, rank and highlight the matches without knowing the
database. Neither index is a Django field: the database maintains both, so bulk inserts and updates are indexed too.

Finding matches is cheap whatever their number (an index lookup); scoring them is not (bm25 and ts_rank_cd read
each match's index data: about 25 µs a match, seconds for a word in a quarter of 100,000 articles). `ranked_page`
therefore scores a bounded window of matches, so a search costs the same whether a word is rare or everywhere.
"""

from html import escape

from django.db import connections
from django.utils.safestring import mark_safe

from articles.search.base import HIGHLIGHT_START, HIGHLIGHT_STOP, backend_for
from articles.search.query import parse

RANKED_WINDOW = 100
SEARCH_COUNT_MAX = 1_000


class FullTextSearch:
    """One search: its text parsed once, the backend of the database, and the rows it searches (`within`).

    `ranked`: whether the matches carry their score (`rank`) and are to be listed best first. Unranked matches are
    the cheap form, for a list in another order: they are narrowed through the index and scored for a page's rows
    only (`attach_ranks_and_snippets`).
    """

    def __init__(self, text: str, within, *, ranked: bool = True):
        self.text = text
        self.query = parse(text)
        self.within = within
        self.ranked = ranked
        self.backend = backend_for(connections[within.db])

    def matches(self, *, snippets: bool = False):
        """Return the rows of `within` that match, with `rank` when ranked, and `snippet` too when asked.

        A snippet costs a pass over the article's text: a caller that shows a page of results asks for the page's
        snippets afterwards (`attach_ranks_and_snippets`, `snippets`).
        """
        if self.query is None:
            return self.within.none()
        if not (self.ranked or snippets):
            return self.backend.matches(self.within, self.query)
        found = self.backend.ranked_matches(self.within, self.query)
        return self.backend.with_snippets(found, self.query) if snippets else found

    def ranked_page(self, matches, *, offset: int, size: int) -> list:
        """Return rows `offset` to `offset + size` of `matches` (from `matches()`, further filtered), best first.

        The RANKED_WINDOW most recently added matches are scored and come first, best first; any older matches follow,
        newest first. A search with fewer matches than the window (most searches) is therefore ranked in full, and one
        for a word found everywhere costs no more than one for a rare word: scoring 25,000 matches would take seconds.
        For a news archive, recent stories are the ones a reader wants among a very common word's matches.

        A page inside the window is two plain queries: the window's ids, the index walked newest first and stopped
        after RANKED_WINDOW matches, then the page's rows among them (read from `within`, without the match
        condition). Each row carries `rank` (its score, higher is better, inside the window or not).
        """
        if self.query is None:
            return []
        return self.backend.ranked_page(
            matches, self.within, self.query, offset=offset, size=size, window=RANKED_WINDOW
        )

    def attach_ranks_and_snippets(self, rows) -> None:
        """Give each row of a page of matches its `rank` (unless the page was ranked) and `snippet` (safe HTML)."""
        if not rows:
            return
        ids = [row.pk for row in rows]
        if not hasattr(rows[0], "rank") and self.query is not None:  # listed in another order than relevance
            ranks = self.backend.ranks(self.within.model, ids, self.query)
            for row in rows:
                row.rank = ranks.get(row.pk)
        snippets = self.snippets(ids)
        for row in rows:
            row.snippet = snippets.get(row.pk)

    def snippets(self, ids) -> dict[int, str]:
        """Return the highlighted snippet of each article of `ids` (a page of rows), as safe HTML: one query."""
        ids = [int(pk) for pk in ids]
        if not ids or self.query is None:
            return {}
        found = self.backend.snippets(self.within.model, ids, self.query)
        return {pk: safe_snippet(snippet or "") for pk, snippet in found.items()}


def safe_snippet(snippet: str) -> str:
    """Return a snippet as HTML: the article's text escaped, only the database's `<mark>` tags kept."""
    marked = escape(snippet).replace("&lt;mark&gt;", HIGHLIGHT_START).replace("&lt;/mark&gt;", HIGHLIGHT_STOP)
    return mark_safe(marked)  # noqa: S308 - the text is escaped; only our own tags are put back
