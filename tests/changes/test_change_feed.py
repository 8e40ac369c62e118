"""The change feed as a partner reads it: every change in order, public data or a tombstone, nothing of drafts."""

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from articles import changes, workflow
from articles.ingest.importer import ImportOptions, import_bytes
from articles.models import Article, ArticleChange, EntitySuggestion
from articles.reading.tasks import accept_suggestions, store_reading
from tests.changes.conftest import URL
from tests.conftest import SEED_SHAPED
from tests.reading.test_storage import QUOTED

pytestmark = pytest.mark.django_db


def kinds(mirror):
    return [(event["kind"], event["article_id"], event["tombstone"]) for event in mirror.events]


def test_an_anonymous_partner_sees_publication_and_never_a_draft(make_article, mirror_for, editor):
    draft = make_article("A draft")
    draft.title = "A draft, edited"
    draft.save()
    mirror = mirror_for()
    mirror.follow()
    assert mirror.events == [] and mirror.cursor == 0  # the draft left no trace, not even a gap

    workflow.publish([draft], user=editor)
    draft.refresh_from_db()
    draft.title = "Now public, edited"
    draft.save()
    workflow.unpublish([draft], user=editor)
    make_article("Another draft")
    mirror.follow()
    assert kinds(mirror) == [
        ("published", draft.pk, True),  # its data is read now: the article is no longer public
        ("updated", draft.pk, True),
        ("unpublished", draft.pk, True),
    ]
    assert [event["cursor"] for event in mirror.events] == [1, 2, 3]
    assert mirror.articles == {}


def test_the_desk_sees_every_change_with_its_revision(make_article, mirror_for, editor):
    article = make_article("Desk copy")
    workflow.publish([article], user=editor)
    article.refresh_from_db()
    article_id = article.pk
    article.delete()
    mirror = mirror_for(editor)
    mirror.follow()
    assert [(e["kind"], e["revision"]) for e in mirror.events] == [("created", 1), ("published", 2), ("deleted", 2)]
    assert all(e["article_id"] == article_id for e in mirror.events)
    assert mirror.events[-1]["tombstone"] and mirror.articles == {}


def test_a_published_article_carries_the_article_serializers_data(make_article, mirror_for):
    article = make_article("Harbour fees", status=Article.Status.PUBLISHED, authors=["Ann Lee"])
    mirror = mirror_for()
    mirror.follow()
    detail = APIClient().get(f"/api/v1/articles/{article.pk}/").json()
    assert mirror.articles == {article.pk: detail}


def test_imports_are_in_the_feed_though_they_write_many_rows_at_once(mirror_for):
    result = import_bytes(SEED_SHAPED.read_bytes(), origin="seed.txt", options=ImportOptions(status="published"))
    assert result.outcome == "created"
    mirror = mirror_for()
    mirror.follow()
    assert kinds(mirror) == [("published", result.article_id, False)]
    assert set(mirror.articles) == set(Article.objects.published().values_list("pk", flat=True))
    changed = SEED_SHAPED.read_bytes().replace(b"the", b"that", 1)
    again = import_bytes(changed, origin="seed.txt", options=ImportOptions(status="published"))
    assert again.outcome == "updated"
    mirror.follow()
    assert kinds(mirror)[-1] == ("updated", result.article_id, False)
    assert mirror.events[-1]["revision"] == Article.objects.get(pk=result.article_id).revision


def test_a_cursor_older_than_the_changes_kept_is_gone(make_article, mirror_for, settings):
    settings.NEWSROOM_CHANGES_RETENTION_DAYS = 30
    old = make_article("Old", status=Article.Status.PUBLISHED)
    old.title = "Old, edited"
    old.save()
    changes.sequence_changes()
    ArticleChange.objects.update(occurred_at=timezone.now() - timezone.timedelta(days=31))
    make_article("New", status=Article.Status.PUBLISHED)
    changes.sequence_changes()
    assert changes.prune_changes() == 2
    response = APIClient().get(URL, {"after": 0})
    assert response.status_code == 410 and response["Content-Type"] == "application/problem+json"
    assert response.json()["latest"] == 3
    assert response.json()["status"] == 410 and response.json()["code"] == "gone"
    assert APIClient().get(URL, {"after": 2}).json()["results"][0]["cursor"] == 3


def test_pruning_keeps_the_newest_change_as_the_mark_of_the_numbering(make_article, settings):
    make_article("Only", status=Article.Status.PUBLISHED)
    changes.sequence_changes()
    ArticleChange.objects.update(occurred_at=timezone.now() - timezone.timedelta(days=400))
    assert changes.prune_changes() == 0
    assert APIClient().get(URL, {"after": 1}).json() == {"results": [], "cursor": 1, "latest": 1, "has_more": False}


@pytest.mark.parametrize("query", [{"after": "x"}, {"after": "-1"}, {"limit": "0"}, {"limit": "5000"}])
def test_a_bad_cursor_or_limit_is_a_400_that_says_why(query):
    response = APIClient().get(URL, query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) & {"after", "limit"}


def test_a_page_costs_the_same_queries_whatever_its_size(make_article, django_assert_max_num_queries):
    for number in range(30):
        make_article(f"Piece {number}", status=Article.Status.PUBLISHED, authors=["Ann Lee"])
    changes.sequence_changes()
    with django_assert_max_num_queries(10):  # stories' sizes and the articles' quotes, one query each
        page = APIClient().get(URL, {"limit": 30}).json()
    assert len(page["results"]) == 30


def test_duplicates_name_their_original_only_to_readers_who_may_see_it_at_no_query_each(
    make_article, editor, django_assert_max_num_queries
):
    public_original = make_article("Public original", status=Article.Status.PUBLISHED)
    draft_original = make_article("Draft original")
    for number in range(20):
        original = public_original if number % 2 else draft_original
        make_article(f"Copy {number}", status=Article.Status.PUBLISHED, duplicate_of=original)
    changes.sequence_changes()
    desk = APIClient()
    desk.force_authenticate(editor)
    for client, hidden in ((APIClient(), None), (desk, draft_original.pk)):
        with django_assert_max_num_queries(12):  # the originals readers may see: one query for the page
            page = client.get(URL, {"limit": 30}).json()
        shown = {
            event["article"]["title"]: event["article"]["duplicate_of"]
            for event in page["results"]
            if event["article"] and event["article"]["title"].startswith("Copy")
        }
        assert shown == {f"Copy {n}": public_original.pk if n % 2 else hidden for n in range(20)}


def test_an_unchanged_page_is_not_modified_and_any_change_renders_it_anew(make_article):
    first = make_article("First", status=Article.Status.PUBLISHED)
    make_article("Second", status=Article.Status.PUBLISHED)
    client = APIClient()
    page = client.get(URL, {"limit": 1})
    assert page.status_code == 200 and page["ETag"].startswith('W/"')
    assert client.get(URL, {"limit": 1}, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    assert client.get(URL, {"limit": 1}).json() == page.json()  # the server's copy of the same page

    first.title = "First, corrected"
    first.save()
    again = client.get(URL, {"limit": 1}, HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 200 and again["ETag"] != page["ETag"]
    event = again.json()["results"][0]
    assert (event["cursor"], event["kind"]) == (1, "published")  # the same event, carrying the article as it is now
    assert event["article"]["title"] == "First, corrected" and again.json()["latest"] == 3


def test_quotes_read_after_the_import_and_a_tag_accepted_later_reach_the_mirror(make_article, mirror_for, editor):
    article = make_article("Harbour", body=QUOTED, status=Article.Status.PUBLISHED)
    mirror = mirror_for()
    mirror.follow()
    assert mirror.articles[article.pk]["quotes"] == []  # not read yet: the reading task runs after the import

    def as_the_archive_shows_it():
        return APIClient().get(f"/api/v1/articles/{article.pk}/").json()

    store_reading([Article.objects.get(pk=article.pk)])
    mirror.follow()
    assert mirror.articles[article.pk] == as_the_archive_shows_it()
    speakers = [quote["speaker"] for quote in mirror.articles[article.pk]["quotes"]]
    assert speakers == ["Tom Okafor", "Ana Silva", "Ana Silva"]
    events = len(mirror.events)
    store_reading([Article.objects.get(pk=article.pk)])  # read again, the same quotes: nothing to tell
    mirror.follow()
    assert len(mirror.events) == events

    accept_suggestions(EntitySuggestion.objects.filter(article=article, name="Lagos"), user=editor)
    mirror.follow()
    assert mirror.events[-1]["kind"] == "updated" and mirror.articles[article.pk]["tags"] == ["Lagos"]
    assert mirror.articles[article.pk] == as_the_archive_shows_it()
    assert Article.objects.get(pk=article.pk).revision == article.revision  # the text is still the source's


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "create_published", "edit", "publish", "unpublish", "delete", "read"]),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=25,
)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_a_mirror_following_the_feed_ends_equal_to_the_published_archive(operations, make_article, editor, mirror_for):
    Article.objects.all().delete()
    ArticleChange.objects.all().delete()
    public, desk = mirror_for(), mirror_for(editor)
    for number, (operation, pick) in enumerate(operations):
        existing = list(Article.objects.order_by("pk"))
        article = existing[pick % len(existing)] if existing else None
        if operation == "create":
            make_article(f"Piece {number}")
        elif operation == "create_published":
            make_article(f"Piece {number}", status=Article.Status.PUBLISHED)
        elif operation == "read":
            public.follow()
        elif article is None:
            continue
        elif operation == "edit":
            article.title = f"Edited {number}"
            article.save()
        elif operation == "publish":
            workflow.publish([article], user=editor, at=timezone.now() - timezone.timedelta(minutes=1))
        elif operation == "unpublish":
            workflow.unpublish([article], user=editor)
        elif operation == "delete":
            article.delete()
    public.follow()
    desk.follow()
    archive = APIClient()
    expected = {a.pk: archive.get(f"/api/v1/articles/{a.pk}/").json() for a in Article.objects.published()}
    assert public.articles == expected
    assert set(desk.articles) == set(Article.objects.values_list("pk", flat=True))
