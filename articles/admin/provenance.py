"""How an article arrived and what changed it: the provenance panel of the article form (the raw text against the
imported text, side by side), and the history's word diffs of long texts."""

import difflib

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.models import Article, ImportRecord

DIFF_MAX_CHARS = 200_000


def provenance(article: Article) -> dict | None:
    """Return what the provenance panel shows: how the article arrived and what the cleaner changed on the way."""
    records = list(article.import_records.select_related("batch__initiated_by").order_by("-created_at", "-id"))
    if not records:
        return None
    loaded = [r for r in records if r.outcome in {ImportRecord.Outcome.CREATED, ImportRecord.Outcome.UPDATED}]
    record = (loaded or records)[0]
    raw = record.raw_text
    as_imported = (
        article.history.filter(revision=article.imported_revision).only("title", "body").first()
        if article.imported_revision
        else None
    )
    clean = "\n".join([(as_imported or article).title, (as_imported or article).body])
    return {
        "record": record,
        "records": records,
        "raw": raw,
        "edits": record.edits or [],
        "warnings": list(record.warnings or []),
        "diff": text_diff(raw, clean),
        "edited_since_import": article.edited_since_import,
    }


def text_diff(raw: str, clean: str):
    """Return a side-by-side HTML table of the changed lines of raw and clean text (blank lines ignored).

    HtmlDiff escapes `&`, `<` and `>` in the text itself, so the table is safe to insert as it is.
    """
    if len(raw) + len(clean) > DIFF_MAX_CHARS:
        return None
    before = [line for line in raw.splitlines() if line.strip()]
    after = [line for line in clean.splitlines() if line.strip()]
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        before, after, "As it arrived", "As imported", context=True, numlines=1
    )
    return mark_safe(table)  # noqa: S308 - every piece of text in it has been escaped by HtmlDiff


class ArticleHistoryContext(HistoricalRecordContextHelper):
    """History entries that show what changed in a long text (the words around each change), not its first and
    last hundred characters, so a one-word correction in a long body is visible at a glance."""

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, str) and isinstance(new, str) and len(old) + len(new) > 200:
            return word_changes(old, new)
        return super().stringify_delta_change_values(change, old, new)


def word_changes(old: str, new: str, *, context: int = 5):
    """Return (old, new) as HTML showing only the changed words, marked, with a few words of context each side."""
    before, after = old.split(), new.split()
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lead = " ".join(before[max(0, i1 - context) : i1])
        old_tail = " ".join(before[i2 : i2 + context])
        new_tail = " ".join(after[j2 : j2 + context])
        old_parts.append(format_html("…{} <del>{}</del> {}…", lead, " ".join(before[i1:i2]), old_tail))
        new_parts.append(format_html("…{} <ins>{}</ins> {}…", lead, " ".join(after[j1:j2]), new_tail))
    if not old_parts:
        return "(whitespace only)", "(whitespace only)"
    return mark_safe("<br>".join(old_parts)), mark_safe("<br>".join(new_parts))  # noqa: S308 - parts are escaped
