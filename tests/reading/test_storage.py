"""Quotes and entity suggestions stored per article: read by a task after each import batch commits, shown in the
admin and the API, searchable by speaker, and suggestions accepted as tags or rejected by editors."""

import pytest
from django_tasks_db.models import DBTaskResult

from articles.ingest import ImportOptions, import_bytes
from articles.models import Article, EntitySuggestion, Quote
from articles.reading.tasks import accept_suggestions, read_articles, reject_suggestions, store_reading
from tests.conftest import SEED_SHAPED

pytestmark = pytest.mark.django_db
READ_TASK = "articles.reading.tasks.read_articles"
QUOTED = (
    "“The harbour will stay open,” said harbour master Tom Okafor.\n\n"
    "The head of state, Ana Silva, flew to Lagos on Monday.\n\n"
    "“The army is ready,” the president said. “And so is the navy.”"
)


def imported(django_capture_on_commit_callbacks, path=SEED_SHAPED) -> Article:
    with django_capture_on_commit_callbacks(execute=True):
        result = import_bytes(path.read_bytes(), origin=path.name, options=ImportOptions())
    return Article.objects.get(pk=result.article_id)


def test_an_import_enqueues_the_reading_of_its_new_articles_once_it_commits(django_capture_on_commit_callbacks):
    article = imported(django_capture_on_commit_callbacks)
    [task] = DBTaskResult.objects.filter(task_path=READ_TASK)
    assert task.args_kwargs["args"] == [[article.pk]]
    assert not Quote.objects.exists(), "read off the import's hot path, by the task"
    assert read_articles.call([article.pk]) == {
        "articles": 1,
        "quotes": Quote.objects.count(),
        "suggestions": EntitySuggestion.objects.count(),
    }
    quotes = list(article.quotes.values_list("speaker", "text"))
    assert quotes[0][0] == "Oren Hallam" and quotes[0][1].startswith("Of course the lines would like us")
    assert ("Ilse Varga", "As the question is put, so it is answered") in quotes
    suggested = dict(article.entity_suggestions.values_list("name", "kind"))
    assert suggested["Oren Hallam"] == "person" and suggested["Saint-Ormond University"] == "organisation"


def test_reimporting_an_unchanged_piece_reads_nothing_again(django_capture_on_commit_callbacks):
    imported(django_capture_on_commit_callbacks)
    imported(django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.filter(task_path=READ_TASK).count() == 1


def test_reading_again_replaces_quotes_and_keeps_editors_decisions(make_article, editor):
    article = make_article("Harbour", body=QUOTED)
    store_reading([article])
    assert list(article.quotes.values_list("speaker", "text")) == [
        ("Tom Okafor", "The harbour will stay open"),
        ("Ana Silva", "The army is ready"),
        ("Ana Silva", "And so is the navy."),
    ]
    reject_suggestions(article.entity_suggestions.filter(name="Lagos"), user=editor)
    accept_suggestions(article.entity_suggestions.filter(name="Ana Silva"), user=editor)
    first_ids = set(article.quotes.values_list("pk", flat=True))
    store_reading([Article.objects.get(pk=article.pk)])
    assert article.quotes.count() == 3 and not first_ids & set(article.quotes.values_list("pk", flat=True))
    statuses = dict(article.entity_suggestions.values_list("name", "status"))
    assert statuses["Lagos"] == "rejected" and statuses["Ana Silva"] == "accepted"
    assert statuses["Tom Okafor"] == "pending"
    assert EntitySuggestion.objects.filter(article=article, name="Lagos").count() == 1


def test_accepting_a_suggestion_tags_the_article_and_records_who(make_article, editor):
    article = make_article("Harbour", body=QUOTED)
    store_reading([article])
    assert accept_suggestions(article.entity_suggestions.filter(name="Tom Okafor"), user=editor) == 1
    assert list(article.tags.names()) == ["Tom Okafor"]
    suggestion = article.entity_suggestions.get(name="Tom Okafor")
    assert (suggestion.status, suggestion.decided_by, suggestion.decided_at is not None) == ("accepted", editor, True)
    assert accept_suggestions(article.entity_suggestions.filter(name="Tom Okafor"), user=editor) == 0
    # A name the article already has as a tag is not suggested again.
    article.tags.add("Lagos")
    EntitySuggestion.objects.filter(name="Lagos").delete()
    store_reading([Article.objects.get(pk=article.pk)])
    assert not article.entity_suggestions.filter(name="Lagos").exists()


def test_rejecting_records_the_decision_and_adds_no_tag(make_article, editor):
    article = make_article("Harbour", body=QUOTED)
    store_reading([article])
    assert reject_suggestions(article.entity_suggestions.all(), user=editor) == article.entity_suggestions.count()
    assert not article.tags.exists()
    assert set(article.entity_suggestions.values_list("status", flat=True)) == {"rejected"}


def test_a_deleted_article_is_passed_over(make_article):
    article = make_article("Harbour", body=QUOTED)
    pk = article.pk
    article.delete()
    assert read_articles.call([pk]) == {"articles": 0, "quotes": 0, "suggestions": 0}


# The admin


def test_the_change_form_shows_the_quotes_and_suggestions(client, make_article, editor):
    article = make_article("Harbour", body=QUOTED)
    store_reading([article])
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Tom Okafor" in page and "The army is ready" in page and "Ana Silva" in page
    assert "tag suggestions" in page.lower()


def test_editors_accept_and_reject_suggestions_from_the_admin(client, make_article, editor):
    article = make_article("Harbour", body=QUOTED)
    store_reading([article])
    client.force_login(editor)
    url = "/admin/articles/entitysuggestion/"
    assert client.get(url, {"status": "pending"}).status_code == 200
    okafor = article.entity_suggestions.get(name="Tom Okafor")
    lagos = article.entity_suggestions.get(name="Lagos")
    response = client.post(url, {"action": "accept", "_selected_action": [okafor.pk]}, follow=True)
    assert "1 suggestion(s) accepted." in response.content.decode()
    client.post(url, {"action": "reject", "_selected_action": [lagos.pk]}, follow=True)
    assert list(article.tags.names()) == ["Tom Okafor"]
    lagos.refresh_from_db()
    assert (lagos.status, lagos.decided_by) == ("rejected", editor)


def test_reporters_see_suggestions_but_cannot_decide(client, make_article, reporter):
    article = make_article("Harbour", body=QUOTED)
    store_reading([article])
    client.force_login(reporter)
    url = "/admin/articles/entitysuggestion/"
    assert client.get(url).status_code == 200
    suggestion = article.entity_suggestions.first()
    client.post(url, {"action": "accept", "_selected_action": [suggestion.pk]}, follow=True)
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and not article.tags.exists()
