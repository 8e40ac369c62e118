"""Write staged pieces to the database: decide each piece's outcome, then store a batch in one transaction.

Identity rules (DESIGN.md, "Identity and idempotency"):
- same text (fingerprint) as an article from the same source and title: `unchanged`;
- same text as any other article: `duplicate`, linked to that article;
- same source and title (slug) with other text: `updated`, or `conflict` when an editor changed the article since
  its last import (its `revision` moved past `imported_revision`): the editor's work is kept;
- otherwise `created`.

The database's unique constraints are the final word: when a concurrent import wins a race, the batch's
transaction fails with an IntegrityError, is rolled back whole, and is planned again against what is now stored.
On SQLite the IMMEDIATE transaction already serialises writers, so the retry is for PostgreSQL.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from articles import workflow
from articles.ingest.rows import allocate_ids, insert_rows, rows_per_statement
from articles.ingest.staging import StagedPiece
from articles.models import (
    Article,
    Author,
    Byline,
    ImportBatch,
    ImportRecord,
    Source,
    collapse_spaces,
    fingerprint_in,
    name_key,
    unique_slug,
)

Outcome = ImportRecord.Outcome
RACE_RETRIES = 3
PUBLICATION_TIME_KEPT = (
    "The piece gives another publication time; the article's was kept, since moving a published article's time "
    "needs the publish permission."
)
CONFLICT_WARNING = "An editor has changed this article since it was imported; this version was not applied."
ORIGIN_MAX = ImportRecord._meta.get_field("origin").max_length
TITLE_MAX = Article._meta.get_field("title").max_length
SOURCE_NAME_MAX = Source._meta.get_field("name").max_length


@dataclass
class PieceResult:
    """What became of one piece; the same shape for the command's report, the API and the admin."""

    origin: str
    outcome: str
    article_id: int | None = None
    record_id: int | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "outcome": self.outcome,
            "article_id": self.article_id,
            "record_id": self.record_id,
            "title": self.title,
            "warnings": self.warnings,
            "error": self.error,
        }


@dataclass
class LoadSettings:
    status: str = Article.Status.DRAFT
    dry_run: bool = False
    user: Any = None


@dataclass
class _Decision:
    staged: StagedPiece
    outcome: str
    article: Article | None = None
    warnings: list[str] = field(default_factory=list)


def load_batch(staged: list[StagedPiece], *, batch: ImportBatch | None, settings: LoadSettings) -> list[PieceResult]:
    """Store `staged` pieces and their import records; return one result per piece, in order.

    A piece that fails never takes the others down: if the batch cannot be stored whole, each piece is tried
    alone, and one that still fails is recorded as `failed` with the database's reason.
    """
    for _attempt in range(RACE_RETRIES):
        try:
            return _load_atomically(staged, batch=batch, settings=settings)
        except IntegrityError:
            continue  # a concurrent import stored some of these pieces first: plan again against its rows
        except DatabaseError:
            break  # a value the database refuses: find the piece below, alone
    results = []
    for piece in staged:
        try:
            results += _load_atomically([piece], batch=batch, settings=settings)
        except DatabaseError as error:
            piece.error = f"The piece could not be stored: {error}"
            results += _load_atomically([piece], batch=batch, settings=settings)
    return results


def _load_atomically(staged, *, batch, settings) -> list[PieceResult]:
    with transaction.atomic():
        decisions = _decide(staged, settings=settings)
        if settings.dry_run:
            return [_result(d, record_id=None) for d in decisions]
        _write_articles(decisions, settings=settings)
        record_ids = _write_records(decisions, batch=batch)
    return [_result(d, record_id=r) for d, r in zip(decisions, record_ids, strict=True)]


def _result(decision: _Decision, *, record_id: int | None) -> PieceResult:
    staged, article = decision.staged, decision.article
    title = article.title if article else (staged.parsed.title if staged.parsed else None)
    return PieceResult(
        origin=staged.raw.origin,
        outcome=decision.outcome,
        article_id=article.pk if article else None,
        record_id=record_id,
        title=title,
        warnings=staged.warnings + decision.warnings,
        error=staged.error,
    )


# --- planning -------------------------------------------------------------------------------------------------


def _decide(staged: list[StagedPiece], *, settings: LoadSettings) -> list[_Decision]:
    for piece in staged:
        if piece.ok:
            piece.error = _oversize_error(piece)
    good = [s for s in staged if s.ok]
    sources = _sources_for(good, create=not settings.dry_run)
    by_fingerprint, by_identity = _existing_articles(good, sources)
    decisions = []
    for piece in staged:
        if not piece.ok:
            decisions.append(_Decision(piece, Outcome.FAILED))
            continue
        source = sources.get(piece.source_name.casefold()) if piece.source_name else None
        identity = (_source_key(source), piece.slug)
        twin = by_fingerprint.get(piece.fingerprint)
        if twin is not None:
            same_piece = (_source_key(twin.source), twin.slug) == identity
            decisions.append(_Decision(piece, Outcome.UNCHANGED if same_piece else Outcome.DUPLICATE, twin))
            continue
        article = by_identity.get(identity)
        if article is None:
            article = _new_article(piece, source, settings)
            decisions.append(_Decision(piece, Outcome.CREATED, article))
        elif _editor_owned(article):
            decisions.append(_Decision(piece, Outcome.CONFLICT, article, [CONFLICT_WARNING]))
            continue
        else:
            by_fingerprint.pop(article.fingerprint, None)
            warnings = _keep_publication_time(article, piece, settings)
            _apply_piece(article, piece)
            decisions.append(_Decision(piece, Outcome.UPDATED, article, warnings))
        by_identity[identity] = article
        by_fingerprint[piece.fingerprint] = article
    return decisions


def _oversize_error(piece: StagedPiece) -> str:
    """Return why a piece's title or source name does not fit its column, or "" when both fit.

    PostgreSQL refuses such a value and SQLite would store it whole; checked here, both engines fail the piece.
    """
    title = collapse_spaces(piece.parsed.title)
    if len(title) > TITLE_MAX:
        return f"The title is {len(title):,} characters long, over the limit of {TITLE_MAX}."
    if len(piece.source_name) > SOURCE_NAME_MAX:
        return f"The source name is {len(piece.source_name):,} characters long, over the limit of {SOURCE_NAME_MAX}."
    return ""


def _editor_owned(article: Article) -> bool:
    """Return whether an editor's work is in `article`: written by hand, or changed since its last import."""
    if article.pk is None:
        return False
    return article.imported_revision is None or article.revision > article.imported_revision


def _source_key(source: Source | None):
    if source is None:
        return None
    return source.pk or f"new:{source.name.casefold()}"


def _sources_for(staged: list[StagedPiece], *, create: bool) -> dict[str, Source]:
    """Return the sources the pieces name, by case-folded name, creating the missing ones (unless `create` is off)."""
    names = {s.source_name.casefold(): s.source_name for s in staged if s.source_name}
    if not names:
        return {}
    found = {
        source.name.casefold(): source
        for source in Source.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=list(names))
    }
    missing = [name for key, name in names.items() if key not in found]
    slugs = _free_slugs(Source, {name.casefold(): unique_slug(name) for name in missing})
    for name in missing:
        source = Source(name=name, slug=slugs[name.casefold()])
        if create:
            source.save()
        found[name.casefold()] = source
    return found


def _free_slugs(model, wanted: dict[str, str]) -> dict[str, str]:
    """Return a slug per key: the wanted slug where free, else the slug with a short stable suffix."""
    taken = set(model.objects.filter(slug__in=list(wanted.values())).values_list("slug", flat=True))
    slugs = {}
    for key, slug in wanted.items():
        if slug in taken:
            slug = f"{slug[:190]}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"  # noqa: S324 - not security
        taken.add(slug)
        slugs[key] = slug
    return slugs


def _existing_articles(staged: list[StagedPiece], sources: dict[str, Source]):
    """Return the stored articles the pieces may match, by fingerprint and by (source, slug) identity.

    One query, so both maps come from the same snapshot even while another import commits between statements.
    """
    fingerprints = {s.fingerprint for s in staged}
    slugs = {s.slug for s in staged}
    known_ids = {s.pk for s in sources.values() if s.pk}
    by_fingerprint, by_identity = {}, {}
    for article in Article.objects.filter(fingerprint_in(fingerprints) | Q(slug__in=slugs)).select_related("source"):
        if article.fingerprint in fingerprints:
            by_fingerprint[article.fingerprint] = article
        if article.slug in slugs and (article.source_id is None or article.source_id in known_ids):
            by_identity[(article.source_id, article.slug)] = article
    return by_fingerprint, by_identity


@cache
def _article_defaults() -> tuple:
    """Every concrete field's default, in field order: all constants for Article."""
    return tuple(field.get_default() for field in Article._meta.concrete_fields)


def _new_article(piece: StagedPiece, source: Source | None, settings: LoadSettings) -> Article:
    # Built from positional defaults, then set: a third of the cost of keyword arguments, paid once a piece.
    article = Article(*_article_defaults())
    article.source, article.slug, article.status = source, piece.slug, settings.status
    article.revision = article.imported_revision = 1
    _apply_piece(article, piece)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    return article


def _keep_publication_time(article: Article, piece: StagedPiece, settings: LoadSettings) -> list[str]:
    """Keep a published article's publication time when the importing user may not move it; return why, if so.

    A re-imported piece may carry another date; applying it to a published article reschedules it (a future date
    takes it off the site), which needs the publish permission like any other change of publication time.
    """
    new_time = piece.parsed.published_at
    if new_time is None or settings.user is None:
        return []
    try:
        workflow.require_publication_right(settings.user, article, status=article.status, published_at=new_time)
    except PermissionDenied:
        piece.parsed.published_at = None
        return [PUBLICATION_TIME_KEPT]
    return []


def _apply_piece(article: Article, piece: StagedPiece) -> None:
    parsed = piece.parsed
    article.title = collapse_spaces(parsed.title)
    article.summary = parsed.summary
    article.body = parsed.body
    if parsed.published_at is not None:
        article.published_at = parsed.published_at
    article.word_count = piece.word_count
    article.fingerprint = piece.fingerprint
    article._staged_authors = parsed.authors
    if article.pk is not None:
        article.revision += 1
        article.imported_revision = article.revision


# --- writing --------------------------------------------------------------------------------------------------


def _write_articles(decisions: list[_Decision], *, settings: LoadSettings) -> None:
    created = {id(d.article): d.article for d in decisions if d.outcome == Outcome.CREATED}
    # A piece may update an article created earlier in the same batch: that article is only inserted.
    updated = {id(d.article): d.article for d in decisions if d.outcome == Outcome.UPDATED and d.article.pk}
    if not created and not updated:
        return
    now = timezone.now()
    new_articles = list(created.values())
    for article, pk in zip(new_articles, allocate_ids(Article, len(new_articles)), strict=True):
        article.pk = article.id = pk
        article.created_at = article.updated_at = now
    insert_rows(Article, new_articles)
    changed = list(updated.values())
    if changed:
        for article in changed:
            article.updated_at = now
        Article.objects.bulk_update(
            changed,
            ["title", "summary", "body", "published_at", "word_count", "fingerprint", "revision",
             "imported_revision", "updated_at"],
        )  # fmt: skip
        Byline.objects.filter(article__in=changed).delete()
    _write_history(new_articles + changed, user=settings.user, when=now)
    _write_bylines(new_articles + changed)


def _write_history(articles: list[Article], *, user, when) -> None:
    """Write each article's first (or next) history entry, as django-simple-history would on save().

    The database copies each entry from the article row just written, so the texts are not sent to it twice.
    """
    history, quote = Article.history.model, connection.ops.quote_name
    own_values = {
        "history_date": connection.ops.adapt_datetimefield_value(when),
        "history_change_reason": "Imported",
        "history_user_id": user.pk if user is not None else None,
    }
    columns, selected, params = [], [], []
    for entry_field in history._meta.concrete_fields:
        if entry_field.attname == "history_id":
            continue  # numbered by the database
        columns.append(quote(entry_field.column))
        if entry_field.attname == "history_type":
            selected.append(f"CASE WHEN {quote('revision')} = 1 THEN '+' ELSE '~' END")
        elif entry_field.attname in own_values:
            selected.append("%s")
            params.append(own_values[entry_field.attname])
        else:
            selected.append(quote(Article._meta.get_field(entry_field.name).column))
    ids = [article.pk for article in articles]
    per_statement = rows_per_statement(1, other_params=len(params))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), per_statement):
            chunk = ids[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {history._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - names from the models
                f"SELECT {', '.join(selected)} FROM {Article._meta.db_table} "
                f"WHERE {quote(Article._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))}) "
                f"ORDER BY {quote(Article._meta.pk.column)}",
                params + chunk,
            )


def _write_bylines(articles: list[Article]) -> None:
    wanted = {}
    for article in articles:
        for author in article._staged_authors:
            wanted.setdefault(name_key(author.name), author)
    if not wanted:
        return
    authors = {a.name_key: a for a in Author.objects.filter(name_key__in=list(wanted))}
    missing = {key: author for key, author in wanted.items() if key not in authors}
    if missing:
        slugs = _free_slugs(Author, {key: unique_slug(author.name) for key, author in missing.items()})
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


def _write_records(decisions: list[_Decision], *, batch: ImportBatch | None) -> list[int]:
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
            "encoding": decision.staged.encoding,
            "outcome": decision.outcome,
            "error": decision.staged.error,
            "warnings": decision.staged.warnings + decision.warnings,
            "edits": [edit.to_dict() for edit in decision.staged.parsed.edits] if decision.staged.parsed else [],
            "created_at": now,
        }
        for decision, pk in zip(decisions, ids, strict=True)
    ]
    insert_rows(ImportRecord, rows)
    return ids
