"""The article form: widgets, readable validation, bylines in order, edit conflicts, provenance and history."""

import re

import pytest

from articles.ingest import ImportOptions, import_bytes
from articles.models import Article, Author, Source, Topic
from tests.admin.conftest import change_url, form_data, messages_of

pytestmark = pytest.mark.django_db


def errors_of(response) -> str:
    return " ".join(str(e) for e in response.context["errors"])


def test_the_form_offers_autocomplete_a_prepopulated_slug_and_a_large_body(login, editor, make_article):
    article = make_article("Form", authors=["Ann Lee"])
    html = login(editor).get(change_url(article)).content.decode()
    for field in ("source", "topics", "bylines-0-author"):
        assert re.search(rf'<select[^>]*name="{field}"[^>]*class="[^"]*admin-autocomplete', html), field
    assert "data-prepopulated-field" in html or "prepopulated_fields" in html
    assert 'class="article-body"' in html and 'rows="28"' in html
    assert 'name="revision"' in html and 'type="hidden"' in html.split('name="revision"')[0].rsplit("<input", 1)[1]
    assert "field-status" in html and "field-published_at" in html
    assert html.index("field-status") < html.index("field-published_at") < html.index("field-source")


def test_an_editor_fixes_a_typo_and_the_revision_and_history_move_on(login, client, editor, make_article):
    article = make_article("Typo", body="The goverment said so.")
    login(editor)
    response = client.post(change_url(article), form_data(article, body="The government said so."), follow=True)
    assert response.status_code == 200 and not response.context.get("errors")
    article.refresh_from_db()
    assert article.body == "The government said so." and article.revision == 2
    assert article.history.first().history_user == editor


def test_a_save_after_someone_elses_save_is_refused_and_the_input_is_kept(
    login, client, editor, superuser, make_article
):
    article = make_article("Contested", body="Original text.")
    stale = form_data(article, body="My careful rewrite.")
    article.body = "Their quick fix."
    article._history_user = superuser
    article.save()
    login(editor)
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    message = errors_of(response)
    assert "root saved this article" in message and "Your changes have not been saved" in message
    assert "Changed meanwhile: body" in message
    assert "My careful rewrite." in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "Their quick fix."


def test_saving_again_after_a_conflict_is_a_deliberate_overwrite(login, client, editor, superuser, make_article):
    article = make_article("Contested", body="Original text.")
    stale = form_data(article, body="My careful rewrite.")
    Article.objects.get(pk=article.pk).save()
    login(editor)
    refused = client.post(change_url(article), stale)
    resent = refused.context["adminform"].form.data.copy()
    assert int(resent["revision"]) == Article.objects.get(pk=article.pk).revision
    client.post(change_url(article), resent, follow=True)
    assert Article.objects.get(pk=article.pk).body == "My careful rewrite."


def test_a_form_without_its_revision_is_refused(login, client, editor, make_article):
    article = make_article("No revision")
    login(editor)
    data = form_data(article, body="Changed.")
    del data["revision"]
    response = client.post(change_url(article), data)
    assert "after you opened it" in errors_of(response)
    assert Article.objects.get(pk=article.pk).body != "Changed."


def test_a_reporter_cannot_publish_through_the_form(login, client, reporter, make_article):
    article = make_article("Eager")
    login(reporter)
    response = client.post(change_url(article), form_data(article, status="published"))
    assert "needs the “publish articles” permission" in errors_of(response)
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_a_reporter_still_edits_the_text_of_a_published_article(login, client, reporter, make_article):
    article = make_article("Live", status="published")
    login(reporter)
    client.post(change_url(article), form_data(article, body="Corrected body."), follow=True)
    assert Article.objects.get(pk=article.pk).body == "Corrected body."


def test_an_editor_publishing_through_the_form_gets_a_publication_time(login, client, editor, make_article):
    article = make_article("Now")
    login(editor)
    client.post(change_url(article), form_data(article, status="published"), follow=True)
    article.refresh_from_db()
    assert article.status == "published" and article.published_at is not None


def test_bylines_follow_the_numbers_given_and_are_renumbered(login, client, editor, make_article):
    article = make_article("Order", authors=["First Writer", "Second Writer", "Third Writer"])
    login(editor)
    data = form_data(article)
    data |= {"bylines-0-position": 9, "bylines-1-position": 2, "bylines-2-position": 5}
    client.post(change_url(article), data, follow=True)
    names = [b.author.name for b in article.bylines.order_by("position")]
    assert names == ["Second Writer", "Third Writer", "First Writer"]
    assert list(article.bylines.order_by("position").values_list("position", flat=True)) == [0, 1, 2]


def test_a_new_byline_can_take_the_first_place(login, client, editor, make_article):
    article = make_article("Order", authors=["Old Writer"])
    newcomer = Author.objects.create(name="New Writer")
    login(editor)
    data = form_data(article, **{"bylines-TOTAL_FORMS": 2})
    data |= {"bylines-1-author": newcomer.pk, "bylines-1-position": 0, "bylines-1-article": article.pk}
    data["bylines-0-position"] = 3
    response = client.post(change_url(article), data, follow=True)
    assert not response.context.get("errors")
    assert [b.author.name for b in article.bylines.order_by("position")] == ["New Writer", "Old Writer"]


def test_the_same_author_twice_in_a_byline_is_refused_in_words(login, client, editor, make_article):
    article = make_article("Twice", authors=["Ann Lee"])
    login(editor)
    data = form_data(article, **{"bylines-TOTAL_FORMS": 2})
    data |= {"bylines-1-author": Author.objects.get().pk, "bylines-1-position": 1, "bylines-1-article": article.pk}
    response = client.post(change_url(article), data)
    assert "Ann Lee appears twice in the byline" in response.content.decode()


def test_identical_text_to_another_article_is_refused_in_words(login, client, editor, make_article):
    make_article("First", body="Exactly this text.")
    second = make_article("Second", body="Something else.")
    login(editor)
    response = client.post(change_url(second), form_data(second, body="Exactly this text."))
    assert "Another article already has exactly this text: “First”" in response.content.decode()


def test_a_clashing_web_address_without_a_source_is_refused_in_words(login, client, editor, make_article):
    make_article("Taken", source=None, slug="taken")
    other = make_article("Other", source=None)
    login(editor)
    response = client.post(change_url(other), form_data(other, slug="taken"))
    assert "already uses this web address" in response.content.decode()


def test_an_editor_adds_a_topic(login, client, editor, make_article):
    article = make_article("Topical")
    politics = Topic.objects.create(name="Politics")
    login(editor)
    client.post(change_url(article), form_data(article, topics=[politics.pk]), follow=True)
    assert list(article.topics.all()) == [politics]


def test_the_provenance_panel_shows_raw_text_edits_and_diff(login, superuser, seed_article):
    html = login(superuser).get(change_url(seed_article)).content.decode()
    panel = html.split('id="provenance"')[1]
    assert "Vel-moria" in panel  # raw text, damage and all
    assert "broken-word" in panel and "Ba-ltic" in panel and "Baltic" in panel
    assert 'class="inline-diff"' in panel and "<del>" in panel and "<ins>" in panel
    assert "seed.txt" in panel and "/admin/articles/importrecord/" in panel


def test_a_reporter_sees_the_provenance_panel_but_no_link_into_the_import_log(login, reporter, seed_article):
    html = login(reporter).get(change_url(seed_article)).content.decode()
    panel = html.split('id="provenance"')[1]
    assert "Vel-moria" in panel and "seed.txt" in panel
    assert "/admin/articles/importrecord/" not in panel
    assert login(reporter).get("/admin/articles/importrecord/").status_code == 403


def test_the_provenance_panel_escapes_markup_in_what_arrived(login, superuser):
    piece = b"Scripted\n\nBy Ann Lee\n\nA paragraph with <script>alert(1)</script> in it.\n"
    result = import_bytes(piece, origin="evil.txt", options=ImportOptions())
    html = login(superuser).get(f"/admin/articles/article/{result.article_id}/change/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_an_article_typed_in_by_hand_has_no_provenance_panel(login, superuser, make_article):
    article = make_article("Typed")
    assert b'id="provenance"' not in login(superuser).get(change_url(article)).content


def test_the_history_shows_who_changed_what_and_a_version_can_be_restored(login, client, editor, make_article):
    article = make_article("History", body="First wording.")
    login(editor)
    client.post(change_url(article), form_data(article, body="Second wording."), follow=True)
    history = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "editor" in history and "Second wording." in history
    first = article.history.order_by("history_date").first()
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    page = client.get(revert_url)
    data = form_data(article, body="First wording.", revision=page.context["adminform"].form["revision"].value())
    response = client.post(revert_url, data, follow=True)
    assert "was changed successfully" in " ".join(messages_of(response))
    assert Article.objects.get(pk=article.pk).body == "First wording."


def test_the_source_of_an_article_is_chosen_by_autocomplete(login, client, editor, make_article):
    Source.objects.create(name="Dawn")
    login(editor)
    response = client.get(
        "/admin/autocomplete/", {"app_label": "articles", "model_name": "article", "field_name": "source", "term": "Da"}
    )
    assert [item["text"] for item in response.json()["results"]] == ["Dawn"]
