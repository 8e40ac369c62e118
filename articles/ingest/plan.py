"""Plan a batch of staged pieces: decide each one's outcome against what is stored, without writing an article.

Identity rules:
- same text (fingerprint) as an article from the same source and title: `unchanged`;
- same text as any other article: `duplicate`, linked to that article;
- same source and title (slug) with other text: `updated`, or `conflict` when an editor changed the article since
  its last import (its `revision` moved past `imported_revision`): the editor's work is kept;
- otherwise `created`.

The plan builds the new and changed `Article` objects in memory; `write.py` stores them. The only rows planning
writes are the sources the pieces name that do not exist yet (never on a dry run), inside the batch's transaction.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from articles import workflow
from articles.ingest.staging import StagedPiece
from articles.models import Article, ImportRecord, Source, fingerprint_in
from articles.text import collapse_spaces, slug_for

Outcome = ImportRecord.Outcome
PUBLICATION_TIME_KEPT = (
    "The piece gives another publication time; the article's was kept, since moving a published article's time "
    "needs the publish permission."
)
CONFLICT_WARNING = "An editor has changed this article since it was imported; this version was not applied."
TITLE_MAX = Article._meta.get_field("title").max_length
SOURCE_NAME_MAX = Source._meta.get_field("name").max_length


@dataclass
class LoadSettings:
    status: str = Article.Status.DRAFT
    dry_run: bool = False
    user: Any = None


@dataclass
class Decision:
    """What to do with one staged piece: its outcome and the article it creates, changes or matches."""

    staged: StagedPiece
    outcome: str
    article: Article | None = None
    warnings: list[str] = field(default_factory=list)


def plan_batch(staged: list[StagedPiece], *, settings: LoadSettings) -> list[Decision]:
    """Return one decision per staged piece, in order, against the articles stored now and those planned before
    it in the same batch (a piece may update an article an earlier piece of the batch creates)."""
    for piece in staged:
        if piece.ok:
            piece.error = _oversize_error(piece)
    good = [s for s in staged if s.ok]
    sources = _sources_for(good, create=not settings.dry_run)
    by_fingerprint, by_identity = _existing_articles(good, sources)
    decisions = []
    for piece in staged:
        if not piece.ok:
            decisions.append(Decision(piece, Outcome.SKIPPED if piece.skipped and not piece.error else Outcome.FAILED))
            continue
        source = sources.get(piece.source_name.casefold()) if piece.source_name else None
        identity = (_source_key(source), piece.slug)
        twin = by_fingerprint.get(piece.fingerprint)
        if twin is not None:
            same_piece = (_source_key(twin.source), twin.slug) == identity
            decisions.append(Decision(piece, Outcome.UNCHANGED if same_piece else Outcome.DUPLICATE, twin))
            continue
        article = by_identity.get(identity)
        if article is None:
            article = _new_article(piece, source, settings)
            decisions.append(Decision(piece, Outcome.CREATED, article))
        elif _editor_owned(article):
            decisions.append(Decision(piece, Outcome.CONFLICT, article, [CONFLICT_WARNING]))
            continue
        else:
            by_fingerprint.pop(article.fingerprint, None)
            warnings = _keep_publication_time(article, piece, settings)
            _apply_piece(article, piece)
            decisions.append(Decision(piece, Outcome.UPDATED, article, warnings))
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
    slugs = free_slugs(Source, {name.casefold(): slug_for(name) for name in missing})
    for name in missing:
        source = Source(name=name, slug=slugs[name.casefold()])
        if create:
            source.save()
        found[name.casefold()] = source
    return found


def free_slugs(model, wanted: dict[str, str]) -> dict[str, str]:
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
