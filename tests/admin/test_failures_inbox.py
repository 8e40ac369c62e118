"""The failures inbox: failed import records kept with their raw bytes and reason, filtered by kind, day, document
and retry, and imported again from those bytes ("Retry", "Re-derive with today's cleaner") through the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.ingest import ImportOptions, import_document
from articles.models import Article, ImportBatch, ImportRecord
from tests.admin.conftest import messages_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

RECORDS = "/admin/articles/importrecord/"
FEED = "https://wire.example/feed"


def _feed(*items: bytes) -> bytes:
    return b'<rss version="2.0"><channel><title>Harbour Wire</title>' + b"".join(items) + b"</channel></rss>"


GOOD = (
    b"<item><title>Quay reopens</title><guid>q-1</guid>"
    b"<description>&lt;p&gt;The quay reopened.&lt;/p&gt;</description></item>"
)
BIG = b"<item><title>Long</title><guid>q-2</guid><description>" + b"long words " * 400 + b"</description></item>"
EMPTY = b"<item><title>Only a title</title><guid>q-3</guid></item>"


@pytest.fixture
def failures():
    """A feed imported with a small byte limit: one item stored, one too large, one without a body."""
    import_document(_feed(GOOD, BIG, EMPTY), origin=FEED, options=ImportOptions(max_bytes=1000))
    return {r.origin.rsplit("-", 1)[1]: r for r in ImportRecord.objects.all()}


def _rows(response) -> list[str]:
    return [record.origin for record in response.context["cl"].result_list]


def test_the_inbox_lists_failed_records_with_their_reason_kind(client, editor, failures):
    client.force_login(editor)
    response = client.get(f"{RECORDS}failures/", follow=True)
    assert response.status_code == 200
    assert sorted(_rows(response)) == [f"{FEED}#item-2", f"{FEED}#item-3"]
    assert {r.failure_kind for r in ImportRecord.objects.filter(outcome="failed")} == {"too_large", "no_body"}
    response = client.get(RECORDS, {"outcome__exact": "failed", "failure_kind__exact": "too_large"})
    assert _rows(response) == [f"{FEED}#item-2"]


def test_the_inbox_filters_by_day_and_by_document(client, editor, failures):
    import_document(
        _feed(EMPTY.replace(b"q-3", b"other-3")), origin="https://other.example/rss", options=ImportOptions()
    )
    client.force_login(editor)
    failed = {"outcome__exact": "failed"}
    response = client.get(RECORDS, failed | {"document": FEED})
    assert sorted(_rows(response)) == [f"{FEED}#item-2", f"{FEED}#item-3"]
    response = client.get(RECORDS, failed | {"document": "https://other.example/rss"})
    assert _rows(response) == ["https://other.example/rss#item-1"]
    today = timezone.localdate()
    day = {"created_at__day": today.day, "created_at__month": today.month, "created_at__year": today.year}
    assert len(_rows(client.get(RECORDS, failed | day))) == 3
    day["created_at__year"] = today.year - 1
    assert _rows(client.get(RECORDS, failed | day)) == []


def test_the_inbox_list_costs_the_same_queries_for_many_failures(client, editor, django_assert_max_num_queries):
    import_document(
        _feed(*[EMPTY.replace(b"q-3", f"e-{n}".encode()) for n in range(40)]), origin=FEED, options=ImportOptions()
    )
    client.force_login(editor)
    with django_assert_max_num_queries(16):
        response = client.get(RECORDS, {"outcome__exact": "failed"})
    assert len(_rows(response)) == 40


def test_retry_imports_the_stored_bytes_again_as_a_new_record_linked_to_the_old(client, editor, failures, settings):
    client.force_login(editor)
    big = failures["2"]
    # Today's limit is larger: the retry of the same bytes succeeds.
    settings.NEWSROOM_IMPORT_MAX_BYTES = 1_000_000
    response = client.post(
        RECORDS, {"action": "retry_failures", "_selected_action": [big.pk, failures["1"].pk]}, follow=True
    )
    assert response.status_code == 200
    [message] = messages_of(response)
    assert message.startswith("Retried 1 piece as import") and "1 created" in message
    new = ImportRecord.objects.get(retry_of=big)
    assert new.outcome == "created" and bytes(new.raw) == bytes(big.raw) and new.raw_format == "rss"
    assert new.origin == big.origin and new.batch_id != big.batch_id
    assert new.article.external_id == "q-2" and new.article.status == Article.Status.DRAFT
    assert ImportRecord.objects.filter(retry_of=failures["1"]).count() == 0, "only failed records are retried"
    retried = client.get(RECORDS, {"outcome__exact": "failed", "retried": "yes"})
    assert _rows(retried) == [big.origin]
    assert _rows(client.get(RECORDS, {"outcome__exact": "failed", "retried": "no"})) == [failures["3"].origin]


def test_retrying_a_piece_that_still_fails_keeps_it_in_the_inbox(client, editor, failures):
    client.force_login(editor)
    client.post(RECORDS, {"action": "retry_failures", "_selected_action": [failures["3"].pk]})
    new = ImportRecord.objects.get(retry_of=failures["3"])
    assert new.outcome == "failed" and new.failure_kind == "no_body"
    assert ImportBatch.objects.get(pk=new.batch_id).channel == ImportBatch.Channel.ADMIN


def test_rederive_imports_any_record_again_with_todays_cleaner(client, editor, failures):
    client.force_login(editor)
    article = failures["1"].article
    Article.objects.filter(pk=article.pk).update(body="A cleaner of yesterday left this.", fingerprint="x" * 64)
    response = client.post(RECORDS, {"action": "rederive", "_selected_action": [failures["1"].pk]}, follow=True)
    assert "1 updated" in messages_of(response)[0]
    article.refresh_from_db()
    assert article.body == "The quay reopened."
    again = client.post(RECORDS, {"action": "rederive", "_selected_action": [failures["1"].pk]}, follow=True)
    assert "1 unchanged" in messages_of(again)[0]


def test_rederiving_an_article_an_editor_changed_is_a_conflict(client, editor, failures):
    client.force_login(editor)
    article = failures["1"].article
    article.body = "An editor's own words."
    article.save()
    client.post(RECORDS, {"action": "rederive", "_selected_action": [failures["1"].pk]})
    assert ImportRecord.objects.get(retry_of=failures["1"]).outcome == "conflict"
    article.refresh_from_db()
    assert article.body == "An editor's own words."


def test_the_actions_need_the_right_to_add_articles(client, failures):
    viewer = make_user("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_importrecord"))
    client.force_login(viewer)
    response = client.get(RECORDS, {"outcome__exact": "failed"})
    assert response.status_code == 200
    assert "retry_failures" not in response.content.decode()
    client.post(RECORDS, {"action": "retry_failures", "_selected_action": [failures["2"].pk]})
    assert not ImportRecord.objects.filter(retry_of__isnull=False).exists()


def test_reporters_do_not_see_the_inbox(client, reporter, failures):
    client.force_login(reporter)
    assert client.get(RECORDS, {"outcome__exact": "failed"}).status_code == 403
    client.post(RECORDS, {"action": "retry_failures", "_selected_action": [failures["2"].pk]})
    assert not ImportRecord.objects.filter(retry_of__isnull=False).exists()
