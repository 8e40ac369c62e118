"""Bulk edit from the article list: topics and tags added, source and status set, with a report of what was changed
and what was skipped and why."""

import pytest

from articles.models import Article, Source, Topic
from tests.admin.conftest import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(make_article):
    return [make_article(f"Piece {n}", source="Dawn") for n in range(3)]


def test_an_editor_adds_topics_and_tags_and_sets_the_source(client, editor, post_action, three):
    politics = Topic.objects.create(name="Politics", slug="politics")
    wire = Source.objects.create(name="Harbour Wire", slug="harbour-wire")
    client.force_login(editor)
    response = post_action(
        "bulk_edit", *three, confirm="yes", topics=[politics.pk], tags="harbour, quay", source=wire.pk
    )
    assert "Changed 3 articles." in messages_of(response)
    for article in Article.objects.filter(pk__in=[a.pk for a in three]):
        assert list(article.topics.all()) == [politics]
        assert sorted(article.tags.names()) == ["harbour", "quay"]
        assert article.source == wire
        assert article.history.first().history_user == editor


def test_a_reporter_cannot_publish_in_bulk_and_is_told_why_per_article(client, reporter, post_action, three):
    client.force_login(reporter)
    response = post_action("bulk_edit", *three, confirm="yes", status="published")
    shown = messages_of(response)
    assert "Changed 0 articles." in shown
    assert sum("You do not have permission to publish articles." in text for text in shown) == 3
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}


def test_a_conflict_skips_that_article_and_changes_the_others(client, editor, post_action, make_article, three):
    make_article("Piece 0", source="Harbour Wire", body="Another text.")  # its slug piece-0 is taken there
    wire = Source.objects.get(name="Harbour Wire")
    client.force_login(editor)
    response = post_action("bulk_edit", *three, confirm="yes", source=wire.pk)
    shown = messages_of(response)
    assert "Changed 2 articles." in shown
    assert any(text.startswith("Skipped “Piece 0”") and "slug" in text for text in shown)
    assert Article.objects.get(pk=three[0].pk).source.name == "Dawn"


def test_nothing_chosen_asks_again_and_unchanged_articles_are_reported(client, editor, post_action, three):
    client.force_login(editor)
    page = post_action("bulk_edit", *three, confirm="yes")
    assert "Choose at least one thing to change." in page.content.decode()
    response = post_action("bulk_edit", *three, confirm="yes", status="draft")
    assert "Changed 0 articles." in messages_of(response)
    assert sum("nothing to change" in text for text in messages_of(response)) == 3
