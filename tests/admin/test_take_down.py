"""A take-down time (`unpublish_at`): set in the change form after the go-live time, and carried out by the
scheduler as an unpublish (back to draft), with its history entry, its change in the change log and its webhook."""

import pytest
from django.utils import timezone

from articles import scheduler, workflow
from articles.models import Article, ArticleChange, WebhookDelivery, WebhookEndpoint
from tests.admin.conftest import change_url, form_data

pytestmark = pytest.mark.django_db

Status = Article.Status
HOUR = timezone.timedelta(hours=1)


def errors_of(response) -> str:
    return " ".join(str(e) for e in response.context["errors"])


def take_down_fields(moment) -> dict:
    local = timezone.localtime(moment)
    return {"unpublish_at_0": local.strftime("%Y-%m-%d"), "unpublish_at_1": local.strftime("%H:%M:%S")}


def test_an_editor_sets_a_take_down_time_after_the_go_live_time(login, client, editor, make_article):
    article = make_article("Embargoed", status=Status.PUBLISHED, published_at=timezone.now() + HOUR)
    login(editor)
    later = (timezone.now() + 3 * HOUR).replace(microsecond=0)
    response = client.post(change_url(article), form_data(article, **take_down_fields(later)))
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get(pk=article.pk).unpublish_at == later


def test_a_take_down_time_before_the_go_live_time_is_refused_on_its_field(login, client, editor, make_article):
    article = make_article("Embargoed", status=Status.PUBLISHED, published_at=timezone.now() + 3 * HOUR)
    login(editor)
    response = client.post(change_url(article), form_data(article, **take_down_fields(timezone.now() + HOUR)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unpublish_at"] == [
        "The take-down time must come after the publication time."
    ]
    assert Article.objects.get(pk=article.pk).unpublish_at is None


def test_the_database_refuses_a_take_down_time_before_the_go_live_time(make_article):
    from django.db import IntegrityError, transaction

    article = make_article("Live", status=Status.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(unpublish_at=article.published_at - HOUR)


def test_a_reporter_may_not_move_the_take_down_time_of_a_published_article(login, client, reporter, make_article):
    article = make_article("Live", status=Status.PUBLISHED)
    login(reporter)
    response = client.post(change_url(article), form_data(article, **take_down_fields(timezone.now() + HOUR)))
    assert "You do not have permission to reschedule published articles." in errors_of(response)
    assert Article.objects.get(pk=article.pk).unpublish_at is None


def test_a_reporter_may_set_a_take_down_time_on_a_draft(login, client, reporter, make_article):
    article = make_article("Draft", published_at=timezone.now() + HOUR)
    login(reporter)
    later = (timezone.now() + 2 * HOUR).replace(microsecond=0)
    response = client.post(change_url(article), form_data(article, **take_down_fields(later)))
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get(pk=article.pk).unpublish_at == later


def test_the_scheduler_takes_down_a_published_article_when_its_time_has_come(
    make_article, django_capture_on_commit_callbacks
):
    due = make_article("Due", status=Status.PUBLISHED, published_at=timezone.now() - 2 * HOUR)
    Article.objects.filter(pk=due.pk).update(unpublish_at=timezone.now() - timezone.timedelta(seconds=1))
    later = make_article("Later", status=Status.PUBLISHED, published_at=timezone.now() - 2 * HOUR)
    Article.objects.filter(pk=later.pk).update(unpublish_at=timezone.now() + HOUR)
    ArticleChange.objects.all().delete()
    endpoint = WebhookEndpoint.objects.create(url="https://partner.example/hooks")

    with django_capture_on_commit_callbacks(execute=True):
        done = scheduler.tick()
    assert done["articles.workflow.take_down_due_articles"] == 1

    due.refresh_from_db()
    assert due.status == Status.DRAFT, "taken back to draft, as the desk's unpublish does"
    assert due.unpublish_at is None, "spent: republishing it does not take it down again at once"
    assert Article.objects.get(pk=later.pk).status == Status.PUBLISHED
    entry = due.history.order_by("-history_id").first()
    assert entry.history_change_reason == workflow.TAKE_DOWN_REASON and entry.status == Status.DRAFT
    [change] = ArticleChange.objects.filter(article_id=due.pk)
    assert (change.kind, change.public_before, change.public_after) == ("unpublished", True, False)
    [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert delivery.event == "article.unpublished" and delivery.article_id == due.pk

    assert scheduler.tick()["articles.workflow.take_down_due_articles"] == 0, "done once"


def test_a_scheduled_article_with_both_times_goes_live_then_down(make_article):
    start = timezone.now() + HOUR
    article = make_article("Window", status=Status.PUBLISHED, published_at=start)
    Article.objects.filter(pk=article.pk).update(unpublish_at=start + HOUR)
    assert workflow.take_down_due_articles() == 0
    assert workflow.take_down_due_articles(now=start + HOUR / 2) == 0, "live, not yet due"
    assert workflow.take_down_due_articles(now=start + 2 * HOUR) == 1
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_unpublishing_by_hand_clears_the_take_down_time(make_article, editor):
    article = make_article("Live", status=Status.PUBLISHED)
    Article.objects.filter(pk=article.pk).update(unpublish_at=timezone.now() + HOUR)
    workflow.unpublish([Article.objects.get(pk=article.pk)], user=editor)
    assert Article.objects.get(pk=article.pk).unpublish_at is None
