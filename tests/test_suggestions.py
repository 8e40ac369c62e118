"""Topic suggestions: scored from the topics' keywords and names, made on the queue after an import commits,
accepted (the topic is added) or rejected (never suggested again) by an editor on the desk."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from articles import suggestions
from articles.models import Article, Topic, TopicSuggestion

pytestmark = pytest.mark.django_db


def piece_text(title: str, *, byline: str = "", paragraphs: list[str], source: str = "Wire") -> str:
    """Return a piece in the seed's shape (the importing tests' builder, kept here: a conftest is not imported)."""
    lines = [title, title, *([byline] if byline else []), *paragraphs, f"The post {title} appeared first on {source}."]
    return "\n".join(lines) + "\n"


SUGGESTIONS = "/admin/articles/topicsuggestion/"

STRIKE = piece_text(
    "Bus drivers strike over wages",
    byline="",
    paragraphs=[
        "Bus drivers walked out on Monday after the union rejected the pay offer, leaving the city without buses.",
        "The union says wages have not kept up with prices; the company says it cannot pay more this year.",
        "Workers will meet again on Friday.",
    ],
)


@pytest.fixture
def iptc(db):
    call_command("loaddata", "iptc_media_topics", verbosity=0)
    return {topic.iptc_code: topic for topic in Topic.objects.all()}


def test_scores_count_each_keyword_and_a_title_hit_three_times():
    terms = {1: {"strike", "union", "wages"}, 2: {"football"}, 3: {"prices"}}
    found = suggestions.score_topics("Drivers strike", "The union wants higher wages. Union members agree.", terms)
    assert found == [suggestions.Suggestion(1, 3 + 2 + 1, ("strike", "union", "wages"))]


def test_a_phrase_keyword_matches_whole_words_in_order_and_a_plural_counts():
    terms = {1: {"pay offer"}, 2: {"price"}}
    found = suggestions.score_topics(
        "", "The pay offer was low. Pay. Offer. Prices rose; prices fell; price up.", terms
    )
    assert [(s.topic_id, s.score) for s in found] == [(2, 3)]
    found = suggestions.score_topics("The pay offer", "", terms)
    assert [(s.topic_id, s.score) for s in found] == [(1, 3)]


def test_a_topics_name_words_suggest_it_without_keywords():
    topic = Topic(name="Crime, law and justice", keywords=[])
    assert suggestions.topic_terms(topic) == {"crime", "justice"}
    topic = Topic(name="Harbours", keywords=["Port authority", " quay "])
    assert suggestions.topic_terms(topic) == {"harbours", "port authority", "quay"}


def test_an_import_enqueues_one_suggestion_task_per_batch_once_it_commits(
    iptc, tmp_path, django_capture_on_commit_callbacks
):
    (tmp_path / "a.txt").write_text(STRIKE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        piece_text(
            "Harbour fees rise", paragraphs=["Fees for fishing boats rise by four percent from April, the port said."]
        ),
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(tmp_path), stdout=None)
    tasks = DBTaskResult.objects.filter(task_path="articles.suggestions.suggest_topics_task")
    assert tasks.count() == 1
    assert sorted(tasks.get().args_kwargs["args"][0]) == sorted(Article.objects.values_list("pk", flat=True))
    assert not TopicSuggestion.objects.exists()  # the worker makes them, not the import


def test_the_task_stores_the_suggestions_of_the_batch(iptc):
    article = Article.objects.create(title="Bus drivers strike over wages", body=STRIKE)
    result = suggestions.suggest_topics_task.call([article.pk])
    assert result == {"articles": 1, "suggestions": 1}
    suggestion = TopicSuggestion.objects.get()
    assert suggestion.topic == iptc["medtop:09000000"] and suggestion.status == "pending"
    assert {"strike", "union", "wages", "workers", "pay offer"} <= set(suggestion.matched)


def test_a_topic_the_article_has_or_an_editor_decided_is_not_suggested_again(iptc, editor):
    labour, economy = iptc["medtop:09000000"], iptc["medtop:04000000"]
    article = Article.objects.create(title="Bus drivers strike over wages", body=STRIKE + " Prices. Tax. Market.")
    suggestions.suggest_topics([article.pk])
    assert set(TopicSuggestion.objects.values_list("topic", flat=True)) == {labour.pk, economy.pk}
    suggestions.reject(TopicSuggestion.objects.filter(topic=economy), user=editor)
    article.topics.add(labour)
    TopicSuggestion.objects.filter(topic=labour).delete()
    assert suggestions.suggest_topics([article.pk]) == 0
    assert list(TopicSuggestion.objects.values_list("topic", "status")) == [(economy.pk, "rejected")]


def test_accepting_on_the_desk_adds_the_topic_and_records_who_accepted(client, editor, iptc):
    article = Article.objects.create(title="Bus drivers strike over wages", body=STRIKE)
    suggestions.suggest_topics([article.pk])
    suggestion = TopicSuggestion.objects.get()
    client.force_login(editor)
    data = {"action": "accept_suggestions", "index": 0, "_selected_action": [suggestion.pk]}
    response = client.post(SUGGESTIONS, data, follow=True)
    assert response.status_code == 200
    assert "Accepted 1 suggestion(s)" in response.content.decode()
    assert list(article.topics.all()) == [iptc["medtop:09000000"]]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("accepted", editor) and suggestion.decided_at
    assert article.history.count() == 2  # created, then the topic added, by the editor
    assert article.history.first().history_user == editor


def test_rejecting_on_the_desk_leaves_the_article_and_records_who_rejected(client, editor, iptc):
    article = Article.objects.create(title="Bus drivers strike over wages", body=STRIKE)
    suggestions.suggest_topics([article.pk])
    suggestion = TopicSuggestion.objects.get()
    client.force_login(editor)
    data = {"action": "reject_suggestions", "index": 0, "_selected_action": [suggestion.pk]}
    client.post(SUGGESTIONS, data, follow=True)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("rejected", editor)
    assert not article.topics.exists()


def test_a_reporter_may_not_accept_a_suggestion(client, reporter, iptc):
    article = Article.objects.create(title="Bus drivers strike over wages", body=STRIKE)
    suggestions.suggest_topics([article.pk])
    client.force_login(reporter)
    data = {"action": "accept_suggestions", "index": 0, "_selected_action": [TopicSuggestion.objects.get().pk]}
    client.post(SUGGESTIONS, data, follow=True)
    assert not article.topics.exists() and TopicSuggestion.objects.get().status == "pending"


def test_the_article_form_lists_its_suggestions_in_constant_queries(client, editor, iptc):
    one = Article.objects.create(title="Bus drivers strike over wages", body=STRIKE)
    two = Article.objects.create(
        title="Dockers strike as prices climb",
        body="Dockers walked out at dawn; their union blames the company.\n\nPrices and tax rises hit the market.",
    )
    suggestions.suggest_topics([one.pk, two.pk])
    assert TopicSuggestion.objects.filter(article=one).count() == 1
    assert TopicSuggestion.objects.filter(article=two).count() == 2
    client.force_login(editor)
    client.get(f"/admin/articles/article/{one.pk}/change/")  # the session and the caches settle first
    counts = []
    for article in (one, two):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/admin/articles/article/{article.pk}/change/")
        counts.append(len(queries))
    assert counts[0] == counts[1]
    content = response.content.decode()
    assert "Topic suggestions (accept or reject" in content
    assert "Labour" in content and "Economy, business and finance" in content and "accept or reject</a>" in content
    # (the stories panel of an article whose text is near another's costs a query of its own: the two differ)
