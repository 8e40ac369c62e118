"""Plan a batch of staged pieces: decide each one's outcome against what is stored, without writing an article.

Identity rules:
- same text (fingerprint) as an article from the same source and title: `unchanged`;
- same text as any other article: `duplicate`, linked to that article;
- same source and title (slug) with other text: `updated`, or `conflict` when an editor changed the article since
  its last import (its `revision` moved past `imported_revision`): the editor's work is kept;
- otherwise `created`.

A (source, title) identity is only an identity when both are known: a piece that names no source, or whose title
was read from its footer or its last line or made from its first sentence (`ParsedPiece.title_from`), never
`updated`s an article (nor is a `conflict` with one) through it. Different pieces cut the same way share such a
guess ("Untitled", a trailer taken for the title), and an update would replace one story's text with another's.
Such a piece is `created`, under a slug of its own, with a warning saying why; the same piece imported again is
`unchanged` by its text, and another text under the same guess is a new article, unless its raw bytes are those an
earlier import of that article stored (a retry, a re-derive with today's cleaner): the same bytes are the same piece.

An item of a document (a feed, an export) that has an identity at its source (its guid, else its link) is matched
by that identity first, within its source (the `article_external_id_unique*` constraints):
- the same identity with the same content (title, summary, text, link, language, tags, publication time):
  `unchanged`; with other content: `updated`, or `conflict` when an editor changed the article since;
- the same identity again later in the same import (a guid a document repeats): `unchanged` when it says the same,
  else `duplicate` of the first, with a warning either way: the item is stored once, as it first came;
- no article with that identity: the text rules above (a twin's text is `unchanged`/`duplicate`; an article of the
  same source and title without an identity of its own takes the item's), and an article of the same title with
  another identity is another piece: `created`, under a slug with a suffix of its own.

The plan builds the new and changed `Article` objects in memory; `write.py` stores them. The only rows planning
writes are the sources the pieces name that do not exist yet (never on a dry run), inside the batch's transaction.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from taggit.models import TaggedItem

from articles import workflow
from articles.ingest.parse import TITLE_FROM_FIRST_SENTENCE, TITLE_FROM_FOOTER, TITLE_FROM_LAST_LINE, TITLE_GIVEN
from articles.ingest.staging import StagedPiece
from articles.models import Article, ImportBatch, ImportRecord, Source, fingerprint_in
from articles.text import collapse_spaces, slug_for

Outcome = ImportRecord.Outcome
PUBLICATION_TIME_KEPT = (
    "The piece gives another publication time; the article's was kept, since moving a published article's time "
    "needs the publish permission."
)
CONFLICT_WARNING = "An editor has changed this article since it was imported; this version was not applied."
EXTERNAL_ID_MAX = Article._meta.get_field("external_id").max_length
TITLE_MAX = Article._meta.get_field("title").max_length
SOURCE_NAME_MAX = Source._meta.get_field("name").max_length
_GUESSED_TITLE = {
    TITLE_FROM_FOOTER: "was read from its footer",
    TITLE_FROM_LAST_LINE: "was taken from its last line",
    TITLE_FROM_FIRST_SENTENCE: "was made from its first sentence",
}


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


def plan_batch(
    staged: list[StagedPiece], *, settings: LoadSettings, batch: ImportBatch | None = None
) -> list[Decision]:
    """Return one decision per staged piece, in order, against the articles stored now and those planned before
    it in the same batch (a piece may update an article an earlier piece of the batch creates).

    `batch` is the import the pieces belong to: an item whose identity an earlier transaction of that import
    already stored is a repeat (see the module's rules)."""
    for piece in staged:
        if piece.ok:
            piece.error = _oversize_error(piece)
    good = [s for s in staged if s.ok]
    sources = _sources_for(good, create=not settings.dry_run)
    known = _existing_articles(good, sources, batch=batch)
    known.proven = _proven_articles(good, sources, known)
    decisions = []
    for piece in staged:
        if not piece.ok:
            decisions.append(Decision(piece, Outcome.IGNORED if piece.skipped and not piece.error else Outcome.FAILED))
            continue
        source = sources.get(piece.source_name.casefold()) if piece.source_name else None
        external_id = _external_id(piece)
        if external_id:
            decision = _plan_item(piece, source, external_id, known, settings)
        else:
            decision = _plan_text(piece, source, known, settings)
        decisions.append(decision)
        if decision.outcome in (Outcome.CREATED, Outcome.UPDATED):
            known.remember(decision.article, piece, source)
    return decisions


def _plan_text(piece: StagedPiece, source: Source | None, known: "_Known", settings: LoadSettings) -> Decision:
    """Decide a piece by its text and its (source, title) identity."""
    identity = (_source_key(source), piece.slug)
    twin = known.by_fingerprint.get(piece.fingerprint)
    if twin is not None:
        same_piece = _source_key(twin.source) == identity[0] and _own_slug(twin.slug, piece.slug)
        return Decision(piece, Outcome.UNCHANGED if same_piece else Outcome.DUPLICATE, twin)
    proven = known.proven.get(id(piece))
    if proven is not None:
        return _plan_change(proven, piece, known, settings)
    article = known.by_identity.get(identity)
    if article is None:
        return Decision(piece, Outcome.CREATED, _new_article(piece, source, settings))
    doubt = _identity_doubt(piece, source, article)
    if doubt:
        slug = _free_slug(piece, source, known)
        return Decision(piece, Outcome.CREATED, _new_article(piece, source, settings, slug=slug), [doubt])
    return _plan_change(article, piece, known, settings)


def _identity_doubt(piece: StagedPiece, source: Source | None, article: Article) -> str:
    """Return why the piece's (source, title) does not prove it is `article`, or "" when it does.

    The one rule for what a (source, title) identity is worth: both must be known, the title given as the piece's
    title (`_proven_articles` finds the pieces whose bytes prove them anyway)."""
    if not _in_doubt(piece, source):
        return ""
    guessed = _GUESSED_TITLE.get(piece.parsed.title_from)
    which = f"article {article.pk}" if article.pk else "an article imported earlier in this import"
    reason = "the piece names no source" if source is None else f"the piece's title {guessed}"
    return (
        f"Imported as a new article, not as an update of {which} (“{article.title}”): {reason}, so its title is "
        "not proof that it is the same piece."
    )


def _in_doubt(piece: StagedPiece, source: Source | None) -> bool:
    return source is None or piece.parsed.title_from != TITLE_GIVEN


def _own_slug(slug: str, wanted: str) -> bool:
    """Return whether `slug` is the one a piece with the slug `wanted` gets: the slug itself, or the slug with the
    suffix of a piece whose identity was in doubt (`_free_slug`)."""
    return slug == wanted or re.fullmatch(rf"{re.escape(wanted[:190])}-[0-9a-f]{{6}}", slug) is not None


def _free_slug(piece: StagedPiece, source: Source | None, known: "_Known") -> str:
    """Return a slug for a piece whose title another article of its source has: suffixed from its text, and free."""
    candidates = [_suffixed(piece.slug, piece.fingerprint if n == 0 else f"{piece.fingerprint}:{n}") for n in range(8)]
    stored = set(Article.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    for slug in candidates:
        if slug not in stored and (_source_key(source), slug) not in known.by_identity:
            return slug
    return _suffixed(piece.slug, f"{piece.fingerprint}:{piece.raw.origin}:{len(known.by_identity)}")


def _plan_item(
    piece: StagedPiece, source: Source | None, external_id: str, known: "_Known", settings: LoadSettings
) -> Decision:
    """Decide an item that has an identity at its source (guid or link)."""
    key = (_source_key(source), external_id)
    article = known.by_external.get(key)
    if article is None:
        twin = known.by_fingerprint.get(piece.fingerprint)
        if twin is not None:
            same_piece = (_source_key(twin.source), twin.slug) == (key[0], piece.slug) and not twin.external_id
            return Decision(piece, Outcome.UNCHANGED if same_piece else Outcome.DUPLICATE, twin)
        article = known.by_identity.get((key[0], piece.slug))
        if article is not None and not article.external_id and not _identity_doubt(piece, source, article):
            return _plan_change(article, piece, known, settings)
        slug = piece.slug if article is None else _suffixed(piece.slug, external_id)
        return Decision(piece, Outcome.CREATED, _new_article(piece, source, settings, slug=slug))
    first = known.first_origin.get(key)
    changed = _item_differs(article, piece, known.tags_of(article))
    if changed == "date" and _keep_publication_time(article, piece, settings):
        # Only the date is new, and this user may not move it: nothing to apply (and nothing to apply next time).
        known.first_origin.setdefault(key, piece.raw.origin)
        return Decision(piece, Outcome.UNCHANGED, article, [PUBLICATION_TIME_KEPT])
    if first is not None:
        repeat = f"The id “{external_id}” was already used by {first} in this import"
        if changed:
            return Decision(piece, Outcome.DUPLICATE, article, [f"{repeat}; this item was not applied."])
        return Decision(piece, Outcome.UNCHANGED, article, [f"{repeat}."])
    known.first_origin[key] = piece.raw.origin
    if not changed:
        return Decision(piece, Outcome.UNCHANGED, article)
    twin = known.by_fingerprint.get(piece.fingerprint)
    if twin is not None and twin is not article:
        return Decision(piece, Outcome.DUPLICATE, twin)
    return _plan_change(article, piece, known, settings)


def _plan_change(article: Article, piece: StagedPiece, known: "_Known", settings: LoadSettings) -> Decision:
    """Update `article` with the piece, unless an editor's work is in it (a conflict)."""
    if _editor_owned(article):
        return Decision(piece, Outcome.CONFLICT, article, [CONFLICT_WARNING])
    known.by_fingerprint.pop(article.fingerprint, None)
    warnings = _keep_publication_time(article, piece, settings)
    _apply_piece(article, piece)
    return Decision(piece, Outcome.UPDATED, article, warnings)


def _external_id(piece: StagedPiece) -> str:
    return (piece.parsed.external_id or "").strip() if piece.raw.is_item else ""


def _suffixed(slug: str, external_id: str) -> str:
    """Return a slug for another piece with the same title, stable for its identity."""
    return f"{slug[:190]}-{hashlib.sha1(external_id.encode()).hexdigest()[:6]}"  # noqa: S324 - not security


def _item_differs(article: Article, piece: StagedPiece, stored_tags: list[str]) -> bool | str:
    """Return whether the item says anything its article does not (an edited item): "date" when only its
    publication time is new."""
    parsed = piece.parsed
    if (
        article.fingerprint != piece.fingerprint
        or article.title != collapse_spaces(parsed.title)
        or article.summary != parsed.summary
        or article.link != piece.link
        or bool(piece.language and article.language != piece.language)
        or sorted(t.casefold() for t in stored_tags) != sorted(t.casefold() for t in piece.tags or [])
    ):
        return True
    if parsed.published_at is not None and article.published_at != parsed.published_at:
        return "date"
    return False


def _oversize_error(piece: StagedPiece) -> str:
    """Return why a piece's title or source name does not fit its column, or "" when both fit.

    PostgreSQL refuses such a value and SQLite would store it whole; checked here, both engines fail the piece.
    """
    title = collapse_spaces(piece.parsed.title)
    if len(title) > TITLE_MAX:
        return f"The title is {len(title):,} characters long, over the limit of {TITLE_MAX}."
    if len(piece.source_name) > SOURCE_NAME_MAX:
        return f"The source name is {len(piece.source_name):,} characters long, over the limit of {SOURCE_NAME_MAX}."
    external_id = _external_id(piece)
    if len(external_id) > EXTERNAL_ID_MAX:
        return f"The item's id is {len(external_id):,} characters long, over the limit of {EXTERNAL_ID_MAX}."
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
    # SQLite's LOWER() lowers only ASCII letters ("Gazeta Văii" stays "gazeta văii"): each name is looked up as each
    # engine lowers it, and matched here as Python folds it.
    lowered = {variant for name in names.values() for variant in (name.casefold(), name.lower(), ascii_lower(name))}
    found = {
        source.name.casefold(): source
        for source in Source.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=sorted(lowered))
    }
    missing = [name for key, name in names.items() if key not in found]
    slugs = free_slugs(Source, {name.casefold(): slug_for(name) for name in missing})
    for name in missing:
        source = Source(name=name, slug=slugs[name.casefold()])
        if create:
            source.save()
        found[name.casefold()] = source
    return found


def ascii_lower(text: str) -> str:
    """Return `text` with its ASCII letters lowered and no others, as SQLite's LOWER() does."""
    return "".join(char.lower() if char.isascii() else char for char in text)


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


@dataclass
class _Known:
    """The stored articles a batch's pieces may match, and those the batch plans: by text, by (source, slug), by
    (source, identity at the source); the first record of each identity in this import; the stored tags."""

    by_fingerprint: dict
    by_identity: dict
    by_external: dict
    first_origin: dict
    stored_tags: dict
    proven: dict = field(default_factory=dict)

    def tags_of(self, article: Article) -> list[str]:
        if getattr(article, "_staged_tags", None) is not None:
            return article._staged_tags
        return self.stored_tags.get(article.pk, [])

    def remember(self, article: Article, piece: StagedPiece, source: Source | None) -> None:
        self.by_identity[(_source_key(source), article.slug)] = article
        self.by_fingerprint[piece.fingerprint] = article
        if article.external_id:
            self.by_external[(_source_key(source), article.external_id)] = article
            self.first_origin.setdefault((_source_key(source), article.external_id), piece.raw.origin)


def _existing_articles(staged: list[StagedPiece], sources: dict[str, Source], *, batch: ImportBatch | None) -> _Known:
    """Return the stored articles the pieces may match, by fingerprint, by (source, slug) identity and by (source,
    external id).

    One query, so the maps come from the same snapshot even while another import commits between statements; and
    when items with identities are among the pieces, one for their tags and one for the identities this import
    stored already.
    """
    fingerprints = {s.fingerprint for s in staged}
    slugs = {s.slug for s in staged}
    external_ids = {_external_id(s) for s in staged} - {""}
    known_ids = {s.pk for s in sources.values() if s.pk}
    known = _Known({}, {}, {}, {}, {})
    wanted = fingerprint_in(fingerprints) | Q(slug__in=slugs)
    if external_ids:
        wanted |= Q(external_id__in=list(external_ids))
    for article in Article.objects.filter(wanted).select_related("source"):
        if article.fingerprint in fingerprints:
            known.by_fingerprint[article.fingerprint] = article
        if article.source_id is None or article.source_id in known_ids:
            if article.slug in slugs:
                known.by_identity[(article.source_id, article.slug)] = article
            if article.external_id in external_ids:
                known.by_external[(article.source_id, article.external_id)] = article
    items = {article.pk: key for key, article in known.by_external.items()}
    if items:
        known.stored_tags = _stored_tags(list(items))
        if batch is not None:
            earlier = ImportRecord.objects.filter(batch=batch, article_id__in=list(items)).order_by("id")
            for article_id, origin in earlier.values_list("article_id", "origin"):
                known.first_origin.setdefault(items[article_id], origin)
    return known


def _proven_articles(staged: list[StagedPiece], sources: dict[str, Source], known: _Known) -> dict[int, Article]:
    """Return, by `id()` of the piece, the stored article that a piece with a guessed title or no source is proven
    to be by its raw bytes: a retry's own record's article, or the article its (source, title) finds when an
    import of that article stored the same bytes before. At most two queries, and only for such pieces."""
    with_sources = [(p, sources.get(p.source_name.casefold()) if p.source_name else None) for p in staged]
    doubtful = [(piece, source) for piece, source in with_sources if _in_doubt(piece, source)]
    if not doubtful:
        return {}
    instances = {a.pk: a for a in [*known.by_identity.values(), *known.by_fingerprint.values()] if a.pk}
    proven = {}
    retries = {piece.raw.retry_of: piece for piece, _ in doubtful if piece.raw.retry_of}
    if retries:
        records = ImportRecord.objects.filter(pk__in=list(retries), article__isnull=False).select_related(
            "article__source"
        )
        for record in records:
            proven[id(retries[record.pk])] = instances.setdefault(record.article_id, record.article)
    wanted = {}
    for piece, source in doubtful:
        article = known.by_identity.get((_source_key(source), piece.slug))
        if id(piece) not in proven and article is not None and article.pk is not None:
            wanted.setdefault((article.pk, piece.sha256), []).append(piece)
    if wanted:
        records = ImportRecord.objects.filter(
            article_id__in=sorted({pk for pk, _ in wanted}), raw_sha256__in=sorted({sha for _, sha in wanted})
        )
        for pair in set(records.values_list("article_id", "raw_sha256")):
            for piece in wanted.get(pair, []):
                proven[id(piece)] = instances[pair[0]]
    return proven


def _stored_tags(article_ids: list[int]) -> dict[int, list[str]]:
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=article_ids
    ).values_list("object_id", "tag__name")
    found: dict[int, list[str]] = {}
    for article_id, name in tagged:
        found.setdefault(article_id, []).append(name)
    return found


@cache
def _article_defaults() -> tuple:
    """Every concrete field's default, in field order: all constants for Article."""
    return tuple(field.get_default() for field in Article._meta.concrete_fields)


def _new_article(piece: StagedPiece, source: Source | None, settings: LoadSettings, *, slug: str = "") -> Article:
    # Built from positional defaults, then set: a third of the cost of keyword arguments, paid once a piece.
    article = Article(*_article_defaults())
    article.source, article.slug, article.status = source, slug or piece.slug, settings.status
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
    article._staged_tags = piece.tags  # None for a text piece: its article's tags are the desk's
    if piece.raw.is_item:
        article.external_id = _external_id(piece)
        article.link = piece.link
    if piece.language:
        article.language = piece.language
    if article.pk is not None:
        article.revision += 1
        article.imported_revision = article.revision
