"""The import page queues many pieces or a large upload: the editor lands on the batch's page, which shows its
progress; a small import still runs in the request. Tasks are delivered by calling them, as a worker does."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from articles.ingest.queued import run_queued_import
from articles.models import Article, ImportBatch, ImportRecord, QueuedPiece
from tests.admin.conftest import messages_of
from tests.conftest import make_user
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

IMPORT = "/admin/articles/article/import/"
TASK = "articles.ingest.queued.run_queued_import"


def batch_page(batch_id: int) -> str:
    return f"/admin/articles/importbatch/{batch_id}/change/"


def uploads(n: int, prefix: str = "Desk") -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"{prefix.lower()}-{i}.txt", piece_text(f"{prefix} story {i}").encode(), "text/plain")
        for i in range(n)
    ]


def deliver(batch_id: int) -> dict:
    [task] = DBTaskResult.objects.filter(task_path=TASK, args_kwargs__args__0=batch_id)
    return run_queued_import.call(*task.args_kwargs["args"])


def test_many_files_are_queued_and_the_page_sends_the_editor_to_the_batch(
    login, reporter, django_capture_on_commit_callbacks
):
    client = login(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"files": uploads(12), "status": "review"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch_page(batch.pk)
    assert not Article.objects.exists() and not ImportRecord.objects.exists(), "nothing imported in the request"
    assert QueuedPiece.objects.filter(batch=batch).count() == 12
    assert (batch.status, batch.channel, batch.initiated_by, batch.options["status"]) == (
        "queued",
        "admin",
        reporter,
        "review",
    )

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert messages_of(page) == ["Queued: 12 pieces; this page shows progress (reload it)."]
    assert "queued: 0 of 12 pieces imported, 12 waiting" in page.content.decode()

    deliver(batch.pk)
    html = client.get(batch_page(batch.pk)).content.decode()
    assert "finished: 12 of 12 pieces imported" in html and "Created <b>12</b>" in html
    assert "/admin/articles/importrecord/" not in html, "a reporter is not linked to the raw text"
    assert Article.objects.filter(status=Article.Status.REVIEW).count() == 12


def test_a_large_upload_is_queued_even_as_one_file(login, editor, settings):
    settings.NEWSROOM_SYNC_IMPORT_MAX_BYTES = 100  # the piece is about 400 bytes
    response = login(editor).post(IMPORT, {"files": uploads(1, prefix="Big"), "status": "draft"})
    assert response.status_code == 302 and not Article.objects.exists()
    assert ImportBatch.objects.get().status == "queued"
    assert messages_of(login(editor).get(response["Location"])) == [
        "Queued: 1 piece; this page shows progress (reload it)."
    ]


def test_a_few_small_files_still_import_in_the_request(login, editor):
    response = login(editor).post(IMPORT, {"files": uploads(3), "status": "draft"})
    assert response.status_code == 200 and dict(response.context["counts"])["created"] == 3
    assert Article.objects.count() == 3 and not QueuedPiece.objects.exists()


def test_editors_see_every_batch_with_a_link_to_its_records_and_other_reporters_are_refused(
    login, reporter, editor, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 2
    with django_capture_on_commit_callbacks(execute=True):
        login(reporter).post(IMPORT, {"files": uploads(3), "status": "draft"})
    batch = ImportBatch.objects.get()
    deliver(batch.pk)

    html = login(editor).get(batch_page(batch.pk)).content.decode()
    assert f'href="/admin/articles/importrecord/?batch__id__exact={batch.pk}"' in html
    records = login(editor).get(f"/admin/articles/importrecord/?batch__id__exact={batch.pk}")
    assert records.status_code == 200 and len(records.context["cl"].result_list) == 3

    stranger = make_user("stranger", "Reporter")
    assert login(stranger).get(batch_page(batch.pk)).status_code == 403
    assert login(stranger).get(batch_page(batch.pk + 1000)).status_code == 403, "the same as for no batch"
    assert login(stranger).get("/admin/articles/importbatch/").status_code == 403
    assert login(reporter).get("/admin/articles/importbatch/").status_code == 403, "the log stays the editors'"


def test_anonymous_visitors_are_sent_to_sign_in_and_learn_nothing_of_a_batch(client, editor, settings):
    settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 2
    client.force_login(editor)
    client.post(IMPORT, {"files": uploads(3), "status": "draft"})
    batch = ImportBatch.objects.get()
    client.logout()
    for address in (batch_page(batch.pk), batch_page(batch.pk + 1000)):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_reporter_cannot_queue_an_import_as_published(login, reporter, settings):
    settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 2
    response = login(reporter).post(IMPORT, {"files": uploads(3), "status": "published"})
    assert response.status_code == 200 and response.context["form"].errors["status"]
    assert not ImportBatch.objects.exists() and not QueuedPiece.objects.exists()


def test_an_editor_retries_a_queued_import_that_used_up_its_attempts(
    login, editor, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 2
    client = login(editor)
    client.post(IMPORT, {"files": uploads(3, prefix="Retried"), "status": "draft"})
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(
        attempts=settings.NEWSROOM_TASK_MAX_ATTEMPTS, claimed_until=None, claim_token=None, error="gone"
    )
    listing = client.get("/admin/articles/importbatch/").content.decode()
    assert '<td class="field-pieces">0 of 3; failed: its attempts are used up</td>' in listing

    action = {"action": "retry_imports", "index": 0, "_selected_action": [batch.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/articles/importbatch/", action, follow=True)
    assert messages_of(response) == ["Queued again: 1 import."]
    batch.refresh_from_db()
    assert (batch.attempts, batch.error) == (0, "") and batch.claim_token is not None
    tasks = DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at")
    assert run_queued_import.call(*tasks.last().args_kwargs["args"])["created"] == 3
    assert Article.objects.filter(title__startswith="Retried story").count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/admin/articles/importbatch/", action, follow=True)
    assert messages_of(again) == [
        "Queued again: 0 imports. 1 left as it was (no pieces waiting, or a worker holds it)."
    ]
