"""Store a planned batch: articles, their history entries and bylines, and one import record per piece.

The batch's rows go in as one multi-row statement per table (`rows.py`), ids allocated first so that the rows
written next can point at them. Called inside the batch's transaction (`load.py`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import Lower
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import changes
from articles.ingest.failures import failure_kind
from articles.ingest.plan import Decision, LoadSettings, Outcome, ascii_lower, free_slugs
from articles.ingest.rows import allocate_ids, copy_history, insert_rows
from articles.models import Article, Author, Byline, ImportBatch, ImportRecord
from articles.stories.assign import plan_stories, replace_bands
from articles.text import collapse_spaces, name_key, slug_for
from articles.webhooks import events as webhook_events

ORIGIN_MAX = ImportRecord._meta.get_field("origin").max_length
# What an import changes in an article it updates.
UPDATED_FIELDS = [
    "title",
    "summary",
    "body",
    "published_at",
    "word_count",
    "fingerprint",
    "external_id",
    "link",
    "language",
    "revision",
    "imported_revision",
    "updated_at",
]


def write_articles(decisions: list[Decision], *, settings: LoadSettings) -> None:
    """Update the changed articles, insert the created ones, and write their history entries and bylines."""
    created = {id(d.article): d.article for d in decisions if d.outcome == Outcome.CREATED}
    # A piece may update an article created earlier in the same batch: that article is only inserted.
    updated = {id(d.article): d.article for d in decisions if d.outcome == Outcome.UPDATED and d.article.pk}
    if not created and not updated:
        return
    now = timezone.now()
    # The band keys of each article's latest text (a piece may update an article an earlier piece of the batch made).
    texts = [d for d in decisions if d.outcome in (Outcome.CREATED, Outcome.UPDATED)]
    keys = {id(d.article): d.staged.band_keys for d in texts}
    sets = {id(d.article): d.staged.shingle_set for d in texts}
    # The changed articles are updated first: a piece of the batch may bring back the text another piece took an
    # article away from (the planner frees that fingerprint), and its new article must not meet the old text.
    changed = list(updated.values())
    if changed:
        replace_bands({article.pk: keys[id(article)] for article in changed})
        for article in changed:
            article.updated_at = now
        Article.objects.bulk_update(changed, UPDATED_FIELDS)
        Byline.objects.filter(article__in=changed).delete()
    new_articles = list(created.values())
    for article, pk in zip(new_articles, allocate_ids(Article, len(new_articles)), strict=True):
        article.pk = article.id = pk
        article.created_at = article.updated_at = now
    # Every new article has its story before it is stored; the story rows, which point at it, are written after.
    stories = plan_stories(
        new_articles,
        {article.pk: keys[id(article)] for article in new_articles},
        sets={article.pk: sets[id(article)] for article in new_articles},
    )
    insert_rows(Article, new_articles)
    stories.write()
    changes.record(new_articles, created=True)  # no signal sees a multi-row write
    if changed:
        changes.record(changed, created=False, public_before=changes.public_when_loaded)
    # Each article's first (or next) history entry, as django-simple-history would write it on save().
    copy_history(
        Article,
        [article.pk for article in new_articles + changed],
        when=now,
        user=settings.user,
        reason="Imported",
        revision=Article._meta.get_field("revision").column,
    )
    _write_bylines(new_articles + changed)
    _write_tags(new_articles, changed)


def _write_bylines(articles: list[Article]) -> None:
    """Write the bylines of `articles` in order, creating the authors no row names yet."""
    wanted = {}
    for article in articles:
        for author in article._staged_authors:
            wanted.setdefault(name_key(author.name), author)
    if not wanted:
        return
    authors = {a.name_key: a for a in Author.objects.filter(name_key__in=list(wanted))}
    missing = {key: author for key, author in wanted.items() if key not in authors}
    if missing:
        slugs = free_slugs(Author, {key: slug_for(author.name) for key, author in missing.items()})
        new_authors = [
            Author(name=collapse_spaces(a.name), name_key=key, slug=slugs[key], kind=a.kind)
            for key, a in missing.items()
        ]
        for author in Author.objects.bulk_create(new_authors):
            authors[author.name_key] = author
    rows = []
    for article in articles:
        seen = set()
        for author in article._staged_authors:
            key = name_key(author.name)
            if key not in seen:
                rows.append({"article_id": article.pk, "author_id": authors[key].pk, "position": len(seen), "role": ""})
                seen.add(key)
    for row, pk in zip(rows, allocate_ids(Byline, len(rows)), strict=True):
        row["id"] = pk
    insert_rows(Byline, rows)


def _write_tags(new_articles: list[Article], changed: list[Article]) -> None:
    """Give the articles the tags their items name (an item's categories), creating the tags no row names yet; an
    updated article's tags become its item's. Articles of text pieces (`_staged_tags` None) keep theirs."""
    tagged = [a for a in new_articles + changed if a._staged_tags is not None]
    if not tagged:
        return
    content_type = ContentType.objects.get_for_model(Article)
    replaced = [a.pk for a in changed if a._staged_tags is not None]
    if replaced:
        TaggedItem.objects.filter(content_type=content_type, object_id__in=replaced).delete()
    wanted = {name.casefold(): name for article in tagged for name in article._staged_tags}
    if not wanted:
        return
    # Looked up as each engine lowers a name (SQLite only ASCII letters), matched as Python folds it.
    lowered = {variant for name in wanted.values() for variant in (name.casefold(), name.lower(), ascii_lower(name))}
    tags = {
        tag.name.casefold(): tag
        for tag in Tag.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=sorted(lowered))
    }
    missing = {key: name for key, name in wanted.items() if key not in tags}
    if missing:
        slugs = free_slugs(Tag, {key: slug_for(name, max_length=90) for key, name in missing.items()})
        for tag in Tag.objects.bulk_create(Tag(name=name, slug=slugs[key]) for key, name in missing.items()):
            tags[tag.name.casefold()] = tag
    TaggedItem.objects.bulk_create(
        TaggedItem(tag_id=tags[name.casefold()].pk, content_type=content_type, object_id=article.pk)
        for article in tagged
        for name in article._staged_tags
    )


def write_records(decisions: list[Decision], *, batch: ImportBatch | None) -> list[int]:
    """Store one import record per decision and return their ids, in order."""
    now = timezone.now()
    ids = allocate_ids(ImportRecord, len(decisions))
    rows = [
        {
            "id": pk,
            "batch_id": batch.pk if batch else None,
            "article_id": decision.article.pk if decision.article else None,
            "origin": decision.staged.raw.origin[:ORIGIN_MAX],
            "raw": decision.staged.raw.data,
            "raw_sha256": decision.staged.sha256,
            "raw_size": decision.staged.raw.size or len(decision.staged.raw.data),
            "raw_format": decision.staged.raw.format,
            "raw_context": decision.staged.raw.context,
            "encoding": decision.staged.encoding,
            "outcome": decision.outcome,
            "error": decision.staged.error,
            "failure_kind": failure_kind(decision.staged.error) if decision.outcome == Outcome.FAILED else "",
            "retry_of_id": decision.staged.raw.retry_of,
            "warnings": _skip_reason(decision) + decision.staged.warnings + decision.warnings,
            "edits": [edit.to_dict() for edit in decision.staged.parsed.edits] if decision.staged.parsed else [],
            "created_at": now,
        }
        for decision, pk in zip(decisions, ids, strict=True)
    ]
    insert_rows(ImportRecord, rows)
    webhook_events.imports_failed([row for row in rows if row["outcome"] == Outcome.FAILED])
    return ids


def _skip_reason(decision: Decision) -> list[str]:
    return [decision.staged.skipped] if decision.outcome == Outcome.IGNORED else []
