"""Editorial workflow: the status changes and merges that the admin, the API and scripts all perform.

Each function checks the user's permission itself, so no caller can skip it, and saves article by article so that
every change gets a history entry (who, when) and a new revision; bulk `update()` would bypass both. Which changes
of status and publication time need the publish permission is decided once, in `require_publication_right`, for
these functions and for every other path that writes an article (the admin's form and history revert, the API).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Author, Byline

PUBLISH_PERMISSION = "articles.publish_article"
CHANGE_PERMISSION = "articles.change_article"


def _require(user, permission: str, action: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


_UNCHANGED = object()


def publication_change(stored: Article | None, *, status: str, published_at, unpublish_at=_UNCHANGED) -> str | None:
    """Return what moving `stored` (the article as the database holds it; None for a new one) to `status` and
    `published_at` does to its publication, as the words of a refusal ("publish articles"), or None when nothing.

    Moving into or out of published touches publication (publishing; unpublishing, archiving or sending a published
    article back to review; restoring an old version in either direction), and so does moving the publication time
    of a published or scheduled article, or of its take-down time (`unpublish_at`, when the caller writes it).
    Times are compared to the second, the precision the admin's form shows.
    """
    was_published = stored is not None and stored.status == Article.Status.PUBLISHED
    will_be_published = status == Article.Status.PUBLISHED
    if will_be_published and not was_published:
        return "publish articles"
    if was_published and not will_be_published:
        return "archive published articles" if status == Article.Status.ARCHIVED else "unpublish articles"
    if was_published and _to_the_second(published_at) != _to_the_second(stored.published_at):
        return "reschedule published articles"
    if (
        was_published
        and unpublish_at is not _UNCHANGED
        and _to_the_second(unpublish_at) != _to_the_second(stored.unpublish_at)
    ):
        return "reschedule published articles"
    return None


def require_publication_right(
    user, stored: Article | None, *, status: str, published_at, unpublish_at=_UNCHANGED
) -> None:
    """Refuse (PermissionDenied) a change of status or publication time that needs publish rights `user` lacks.

    The one statement of that rule: the admin's form and history revert, the API's writes and every workflow
    function below call it. `user` None is a trusted caller (a script, the import command).
    """
    action = publication_change(stored, status=status, published_at=published_at, unpublish_at=unpublish_at)
    if action is not None:
        _require(user, PUBLISH_PERMISSION, action)


def _to_the_second(moment):
    return moment.replace(microsecond=0) if moment is not None else None


def _set_status(articles: Iterable[Article], status: str, *, user, extra=None, reason: str | None = None) -> int:
    planned = []
    for article in articles:
        if article.status == status and not extra:
            continue
        values = {name: value(article) if callable(value) else value for name, value in (extra or {}).items()}
        require_publication_right(
            user, article, status=status, published_at=values.get("published_at", article.published_at)
        )
        planned.append((article, values))
    changed = 0
    with transaction.atomic():
        for article, values in planned:
            article.status = status
            fields = ["status"]
            for name, value in values.items():
                setattr(article, name, value)
                fields.append(name)
            if user is not None:
                article._history_user = user
            if reason:
                article._change_reason = reason
            article.save(update_fields=fields)
            changed += 1
    return changed


def publish(articles: Iterable[Article], *, user=None, at=None) -> int:
    """Publish `articles` (keeping a publication time already set, else `at` or now); return how many changed."""
    _require(user, PUBLISH_PERMISSION, "publish articles")
    when = at or timezone.now()
    pending = [a for a in articles if a.status != Article.Status.PUBLISHED or a.published_at is None]
    return _set_status(
        pending, Article.Status.PUBLISHED, user=user, extra={"published_at": lambda a: a.published_at or when}
    )


def unpublish(articles: Iterable[Article], *, user=None, reason: str | None = None) -> int:
    """Take published articles back to draft; return how many changed. A take-down time they had is cleared: it
    is spent, and would otherwise take the article down again the moment it is republished."""
    _require(user, PUBLISH_PERMISSION, "unpublish articles")
    published = [a for a in articles if a.status == Article.Status.PUBLISHED]
    return _set_status(published, Article.Status.DRAFT, user=user, extra={"unpublish_at": None}, reason=reason)


TAKE_DOWN_REASON = "Taken down at its scheduled time"
TAKEN_DOWN_AT_ONCE = 500


def take_down_due_articles(*, now=None, limit: int = TAKEN_DOWN_AT_ONCE) -> int:
    """Unpublish the published articles whose take-down time (`unpublish_at`) has come; return how many.

    The scheduler's source of due take-downs. Each goes through `unpublish`, so it gets a history entry (with
    TAKE_DOWN_REASON), an `unpublished` change in the change log and its webhooks, as an editor's unpublish does.
    The rows are locked, skipping those another scheduler holds (PostgreSQL; SQLite has one writer anyway).
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            Article.objects.filter(status=Article.Status.PUBLISHED, unpublish_at__lte=now)
            .order_by("unpublish_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
        )
        return unpublish(list(due[:limit]), reason=TAKE_DOWN_REASON)


def send_to_review(articles: Iterable[Article], *, user=None) -> int:
    """Move drafts to review; published or archived articles are left alone. Return how many changed."""
    _require(user, CHANGE_PERMISSION, "change articles")
    drafts = [a for a in articles if a.status == Article.Status.DRAFT]
    return _set_status(drafts, Article.Status.REVIEW, user=user)


def archive(articles: Iterable[Article], *, user=None) -> int:
    """Archive articles; archiving a published article takes it off the public site, so it needs publish rights."""
    _require(user, CHANGE_PERMISSION, "change articles")
    return _set_status(articles, Article.Status.ARCHIVED, user=user)


def mark_duplicate(articles: Iterable[Article], *, original: Article, user=None) -> int:
    """Mark `articles` as duplicates of `original` and archive them; return how many changed."""
    _require(user, CHANGE_PERMISSION, "change articles")
    articles = [a for a in articles if a.pk != original.pk]
    marked = {a.pk for a in articles}
    ancestor, seen = original, set()
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk in marked:
            raise ValidationError(f"“{original}” is itself a duplicate of one of these articles; pick the original.")
        seen.add(ancestor.pk)
        ancestor = ancestor.duplicate_of
    return _set_status(articles, Article.Status.ARCHIVED, user=user, extra={"duplicate_of": original})


def merge_authors(duplicates: Iterable[Author], *, into: Author, user=None) -> int:
    """Move every byline of `duplicates` to `into`, then delete the duplicates; return how many were merged.

    Where an article already credits `into`, the duplicate's byline is dropped rather than doubled.
    """
    _require(user, "articles.delete_author", "merge authors")
    duplicates = [a for a in duplicates if a.pk != into.pk]
    with transaction.atomic():
        for author in duplicates:
            already = Byline.objects.filter(author=into).values("article")
            Byline.objects.filter(author=author, article__in=already).delete()
            Byline.objects.filter(author=author).update(author=into)
            author.delete()
    return len(duplicates)


@dataclass
class BulkEditReport:
    """What a bulk edit did: the articles it changed, and each one it left alone with the reason."""

    changed: list[Article] = field(default_factory=list)
    skipped: list[tuple[Article, str]] = field(default_factory=list)


def bulk_edit(articles: Iterable[Article], *, user=None, topics=(), tags=(), source=None, status=None):
    """Add `topics` and `tags` to `articles`, set their `source` and `status` (each when given); return a report.

    Article by article, each in its own savepoint with a history entry: one the user may not move to `status`
    (publication rights, as everywhere), or whose new source already has an article with its slug or identity, is
    skipped with the reason, and the others are still changed. Publishing an article without a time publishes it now.
    """
    _require(user, CHANGE_PERMISSION, "change articles")
    report = BulkEditReport()
    for article in articles:
        fields = []
        if status and article.status != status:
            published_at = article.published_at
            if status == Article.Status.PUBLISHED and published_at is None:
                published_at = timezone.now()
            try:
                require_publication_right(user, article, status=status, published_at=published_at)
            except PermissionDenied as refusal:
                report.skipped.append((article, str(refusal)))
                continue
            article.status, article.published_at = status, published_at
            fields += ["status", "published_at"]
        if source is not None and article.source_id != source.pk:
            article.source = source
            fields.append("source")
        new_topics = [topic for topic in topics if topic not in article.topics.all()]
        new_tags = [tag for tag in tags if tag not in set(article.tags.names())]
        if not (fields or new_topics or new_tags):
            report.skipped.append((article, "nothing to change: it already has these values"))
            continue
        try:
            with transaction.atomic():
                if fields:
                    article.validate_constraints()
                if user is not None:
                    article._history_user = user
                article.save(update_fields=fields or ["updated_at"])
                article.topics.add(*new_topics)
                article.tags.add(*new_tags)
        except (ValidationError, IntegrityError) as conflict:
            article.refresh_from_db()
            reason = " ".join(conflict.messages) if isinstance(conflict, ValidationError) else str(conflict)
            report.skipped.append((article, reason))
            continue
        report.changed.append(article)
    return report
