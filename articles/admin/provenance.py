"""How an article arrived and what changed it: the provenance panel of the article form (the raw text against the
imported text, as one flowing text with each change marked in place), and the history's word diffs of long
texts."""

import difflib
import re

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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
        "diff": inline_diff(raw, clean, record.edits or []),
        "edited_since_import": article.edited_since_import,
    }


FOLD_WORDS = 24  # unchanged text longer than this is folded, keeping this many words each side of a change
TOKENS = re.compile(r"\s+|[^\s]+")


def inline_diff(raw: str, clean: str, edits: list[dict], *, change_title: str = "Changed on import"):
    """Return raw against clean text as one flowing HTML text: what arrived and was dropped struck through
    (`<del>`), what the importer put in its place beside it (`<ins>`), the cleaner's rule on hover, and long
    unchanged stretches folded to their ends. Lines are matched first and words inside changed lines, so a long
    piece costs a line diff plus small word diffs. Every piece of text is escaped. `change_title`: the hover text
    of a change no cleaner rule explains (the story page compares copies, not an import)."""
    if len(raw) + len(clean) > DIFF_MAX_CHARS:
        return None
    before, after = raw.splitlines(keepends=True), clean.splitlines(keepends=True)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        old, new = "".join(before[i1:i2]), "".join(after[j1:j2])
        if tag == "equal":
            parts.append(_folded(old))
        else:
            parts.extend(_word_changes(old, new, edits, change_title))
    if not any(isinstance(part, _Change) for part in parts):
        return format_html('<p class="help">{}</p>', "The text arrived exactly as it was imported.")
    return format_html('<div class="inline-diff">{}</div>', format_html_join("", "{}", ((str(p),) for p in parts)))


class _Change(SafeString):
    """A marked change in the inline diff (HTML, escaped)."""


def _word_changes(old: str, new: str, edits: list[dict], change_title: str = "Changed on import") -> list:
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(_folded("".join(before[i1:i2])))
            continue
        gone, came = "".join(before[i1:i2]), "".join(after[j1:j2])
        rule = _rule_for(gone, came, edits)
        marked = format_html(
            '<span class="diff-change" title="{}">{}{}</span>',
            f"Cleaner rule: {rule}" if rule else change_title,
            format_html("<del>{}</del>", gone) if gone else "",
            format_html("<ins>{}</ins>", came) if came else "",
        )
        parts.append(_Change(marked))
    return parts


def _rule_for(gone: str, came: str, edits: list[dict]) -> str:
    """Return the rule of the cleaning edit that best explains a change, or "" when none is recorded for it."""
    gone, came = gone.strip(), came.strip()
    for edit in edits:
        before, after = str(edit.get("before", "")).strip(), str(edit.get("after", "")).strip()
        if (gone and before and (gone in before or before in gone)) or (came and after and came == after):
            return str(edit.get("rule", ""))
    return ""


def _folded(text: str) -> str:
    words = TOKENS.findall(text)
    if len(words) <= 4 * FOLD_WORDS:
        return conditional_escape(text)
    head, tail = "".join(words[: 2 * FOLD_WORDS]), "".join(words[-2 * FOLD_WORDS :])
    hidden = "".join(words[2 * FOLD_WORDS : -2 * FOLD_WORDS])
    return format_html(
        '{}<details class="diff-fold"><summary>{} unchanged words</summary>{}</details>{}',
        head,
        f"{len(hidden.split()):,}",
        hidden,
        tail,
    )


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
