"""Workflow services: status changes with permissions, history and revisions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import workflow
from articles.models import Article, Author

pytestmark = pytest.mark.django_db


def test_an_editor_publishes_and_the_change_is_in_the_history(make_article, editor):
    article = make_article("Ready")
    assert workflow.publish([article], user=editor) == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at is not None
    latest = article.history.first()
    assert latest.status == "published" and latest.history_user == editor
    assert article.revision == 2


def test_publishing_keeps_a_scheduled_time(make_article, editor):
    from django.utils import timezone

    later = timezone.now() + timezone.timedelta(days=2)
    article = make_article("Scheduled", published_at=later)
    workflow.publish([article], user=editor)
    article.refresh_from_db()
    assert article.published_at == later and article.is_scheduled


def test_a_reporter_may_not_publish_or_unpublish(make_article, reporter):
    article = make_article("Not yours")
    with pytest.raises(PermissionDenied):
        workflow.publish([article], user=reporter)
    with pytest.raises(PermissionDenied):
        workflow.unpublish([article], user=reporter)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_send_to_review_moves_only_drafts(make_article, reporter):
    draft, live = make_article("Draft"), make_article("Live", status=Article.Status.PUBLISHED)
    assert workflow.send_to_review([draft, live], user=reporter) == 1
    assert Article.objects.get(pk=live.pk).status == Article.Status.PUBLISHED


def test_unpublish_returns_published_articles_to_draft(make_article, editor):
    live = make_article("Live", status=Article.Status.PUBLISHED)
    assert workflow.unpublish([live, make_article("Draft")], user=editor) == 1
    assert Article.objects.get(pk=live.pk).status == Article.Status.DRAFT


def test_mark_duplicate_links_and_archives(make_article, editor):
    original, copy = make_article("Original"), make_article("Copy")
    assert workflow.mark_duplicate([copy, original], original=original, user=editor) == 1
    copy.refresh_from_db()
    assert copy.duplicate_of == original and copy.status == Article.Status.ARCHIVED


def test_merging_authors_moves_every_byline_and_removes_the_duplicates(make_article, editor):
    first = make_article("First", authors=["Alena Kazakova"])
    make_article("Second", authors=["A. Kazakova", "Someone Else"])
    both = make_article("Both", authors=["Alena Kazakova", "A. Kazakova"])
    keep, dup = Author.objects.get(name="Alena Kazakova"), Author.objects.get(name="A. Kazakova")
    assert workflow.merge_authors([dup], into=keep, user=editor) == 1
    assert not Author.objects.filter(pk=dup.pk).exists()
    assert keep.bylines.count() == 3
    assert list(both.bylines.values_list("author__name", flat=True)) == ["Alena Kazakova"]
    assert first.bylines.get().author == keep


def test_a_reporter_may_not_merge_authors(make_article, reporter):
    make_article("X", authors=["One", "Two"])
    with pytest.raises(PermissionDenied):
        workflow.merge_authors(Author.objects.filter(name="Two"), into=Author.objects.get(name="One"), user=reporter)
    assert Author.objects.count() == 2


def test_marking_an_article_as_duplicate_of_its_own_duplicate_chain_is_refused(make_article, editor):
    from django.core.exceptions import ValidationError

    first, second, third = make_article("First"), make_article("Second"), make_article("Third")
    workflow.mark_duplicate([second], original=first, user=editor)
    workflow.mark_duplicate([third], original=second, user=editor)
    with pytest.raises(ValidationError, match="itself a duplicate"):
        workflow.mark_duplicate([first], original=Article.objects.get(pk=third.pk), user=editor)
    assert Article.objects.get(pk=first.pk).duplicate_of is None


def test_a_reporter_may_not_mark_a_published_article_as_a_duplicate(make_article, reporter):
    original, live = make_article("Original"), make_article("Live copy", status=Article.Status.PUBLISHED)
    with pytest.raises(PermissionDenied, match="archive published articles"):
        workflow.mark_duplicate([live], original=original, user=reporter)
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED and live.duplicate_of is None
    assert workflow.mark_duplicate([make_article("Draft copy")], original=original, user=reporter) == 1


NOW = timezone.now()
LATER = NOW + timezone.timedelta(days=1)


@pytest.mark.parametrize(
    ("stored", "status", "published_at", "refusal"),
    [
        (None, "draft", None, None),
        (None, "published", NOW, "publish articles"),
        (("draft", None), "review", None, None),
        (("draft", None), "draft", LATER, None),  # a draft's planned time is no publication yet
        (("draft", None), "published", NOW, "publish articles"),
        (("archived", None), "published", NOW, "publish articles"),
        (("published", NOW), "published", NOW, None),
        (("published", NOW), "published", NOW.replace(microsecond=0), None),  # the form's precision
        (("published", NOW), "published", LATER, "reschedule published articles"),
        (("published", LATER), "published", NOW, "reschedule published articles"),  # a scheduled one
        (("published", NOW), "published", None, "reschedule published articles"),
        (("published", NOW), "draft", NOW, "unpublish articles"),
        (("published", NOW), "review", NOW, "unpublish articles"),
        (("published", NOW), "archived", NOW, "archive published articles"),
    ],
)
def test_which_changes_touch_publication(stored, status, published_at, refusal):
    article = Article(status=stored[0], published_at=stored[1]) if stored else None
    assert workflow.publication_change(article, status=status, published_at=published_at) == refusal


def test_the_publication_rule_refuses_a_reporter_and_lets_an_editor_and_a_script_through(reporter, editor):
    live = Article(status="published", published_at=NOW)
    with pytest.raises(PermissionDenied, match=r"permission to archive published articles\."):
        workflow.require_publication_right(reporter, live, status="archived", published_at=NOW)
    workflow.require_publication_right(editor, live, status="archived", published_at=NOW)
    workflow.require_publication_right(None, live, status="archived", published_at=NOW)
    workflow.require_publication_right(reporter, live, status="published", published_at=NOW)


def test_a_refused_selection_changes_none_of_its_articles(make_article, reporter):
    draft, live = make_article("Draft"), make_article("Live", status=Article.Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        workflow.archive([draft, live], user=reporter)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert Article.objects.get(pk=draft.pk).revision == 1
