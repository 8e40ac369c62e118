"""A scheduled article goes live when its publication time comes, and the change feed and the webhooks hear of it
then (`changes.announce_publications`, a source of the scheduler), once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import changes, scheduler
from articles.models import Article, ArticleChange, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(make_article):
    """An article saved an hour before its publication time, which has just come (the clock moved on, as the rows
    say: saved at `updated_at`, public from `published_at`, a minute ago)."""
    article = make_article(
        "Scheduled", status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=1)
    )
    assert not ArticleChange.objects.filter(article_id=article.pk, public_after=True).exists()
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        updated_at=now - timedelta(hours=1, minutes=1), published_at=now - timedelta(minutes=1)
    )
    return article


def test_the_public_feed_and_the_webhooks_hear_of_a_scheduled_article_when_it_goes_live(scheduled, mirror_for):
    WebhookEndpoint.objects.create(url="https://hooks.example/in", events=["article.published"])
    mirror = mirror_for()
    mirror.follow()
    assert mirror.events == []  # public now, but no change has said so yet

    assert changes.announce_publications() == 1
    mirror.follow()
    assert [(e["kind"], e["article_id"], e["tombstone"]) for e in mirror.events] == [("published", scheduled.pk, False)]
    assert mirror.articles[scheduled.pk]["title"] == "Scheduled"
    deliveries = WebhookDelivery.objects.filter(article_id=scheduled.pk)
    assert list(deliveries.values_list("event", flat=True)) == ["article.published"]


def test_a_publication_is_announced_once_and_not_before_its_time(scheduled):
    before = timezone.now() - timedelta(minutes=2)
    assert changes.announce_publications(now=before) == 0
    assert changes.announce_publications() == 1
    assert changes.announce_publications() == 0
    assert ArticleChange.objects.filter(article_id=scheduled.pk, kind="published").count() == 1


def test_articles_public_when_saved_and_drafts_are_not_announced(make_article):
    make_article("Public at once", status=Article.Status.PUBLISHED)
    make_article("A draft")
    draft_with_a_date = make_article("Draft, dated", published_at=timezone.now() - timedelta(minutes=1))
    Article.objects.filter(pk=draft_with_a_date.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert changes.announce_publications() == 0


def test_an_article_edited_before_its_time_is_announced_once(make_article):
    article = make_article(
        "Scheduled, then edited", status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(hours=2)
    )
    article.title = "Scheduled, edited before going live"
    article.save()
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        updated_at=now - timedelta(hours=1), published_at=now - timedelta(seconds=5)
    )
    assert changes.announce_publications() == 1
    published = ArticleChange.objects.get(article_id=article.pk, kind="published")
    assert published.revision == Article.objects.get(pk=article.pk).revision


def test_the_scheduler_announces_publications_before_it_numbers_the_changes(scheduled):
    done = scheduler.tick()
    assert done["articles.changes.announce_publications"] == 1
    names = list(done)
    assert names.index("articles.changes.announce_publications") < names.index("articles.changes.sequence_and_prune")
    change = ArticleChange.objects.get(article_id=scheduled.pk, kind="published")
    assert change.public_position is not None  # numbered in the same tick


def test_quotes_read_or_a_tag_accepted_after_its_time_announce_the_publication_once(scheduled, editor):
    from articles.models import EntitySuggestion
    from articles.reading.tasks import accept_suggestions, store_reading
    from tests.reading.test_storage import QUOTED

    Article.objects.filter(pk=scheduled.pk).update(body=QUOTED)  # as imported, read by the task after its time
    store_reading([Article.objects.get(pk=scheduled.pk)])
    assert list(ArticleChange.objects.filter(article_id=scheduled.pk).values_list("kind", flat=True)) == [
        "created",
        "published",
    ]
    assert changes.announce_publications() == 0  # announced by the reading's change, not twice
    accept_suggestions(EntitySuggestion.objects.filter(article_id=scheduled.pk, name="Lagos"), user=editor)
    assert ArticleChange.objects.filter(article_id=scheduled.pk).latest("id").kind == "updated"
