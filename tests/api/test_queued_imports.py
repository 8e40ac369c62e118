"""Large imports through the API run on the task queue: `202 Accepted` with the batch, which its owner and editors
follow at `/api/v1/import-batches/<id>/`; small ones still run in the request.

Tasks are delivered here by calling them as a worker does (`task.call`); tests/tasks/test_import_doors.py sends
the requests to a real server and runs them in real worker processes.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from articles.ingest.queued import run_queued_import
from articles.models import Article, ImportBatch, ImportRecord, QueuedPiece
from tests.conftest import make_user, without_instance
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/"
BATCHES = "/api/v1/import-batches/"
TASK = "articles.ingest.queued.run_queued_import"


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/plain")


def uploads(n: int, prefix: str = "Queued") -> list[SimpleUploadedFile]:
    return [upload(f"piece-{i}.txt", piece_text(f"{prefix} story {i}")) for i in range(n)]


def counted(**counts) -> dict[str, int]:
    """Return a batch's counts as the API shows them: every outcome, zero unless given."""
    return {outcome: counts.get(outcome, 0) for outcome in ImportRecord.Outcome.values}


def deliver(batch_id: int) -> dict:
    """Run the batch's task as a worker would, with the claim it was enqueued with."""
    [task] = DBTaskResult.objects.filter(task_path=TASK, args_kwargs__args__0=batch_id)
    return run_queued_import.call(*task.args_kwargs["args"])


@pytest.fixture
def small_sync_limits(settings):
    """Queue anything over two pieces or 2,000 bytes, so tests stay small."""
    settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 2
    settings.NEWSROOM_SYNC_IMPORT_MAX_BYTES = 2000


@pytest.fixture
def other_reporter(db):
    return make_user("other-reporter", "Reporter")


def test_many_uploaded_pieces_answer_202_with_the_queued_batch_and_import_nothing_in_the_request(
    client_for, reporter, django_capture_on_commit_callbacks
):
    files = uploads(12)  # the default limit is 10 pieces
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(reporter).post(URL, {"files": files, "source": "Harbour Times"}, format="multipart")
    assert response.status_code == 202, response.json()
    body = response.json()
    batch = ImportBatch.objects.get()
    assert response["Location"] == body["url"] == f"http://testserver{BATCHES}{batch.pk}/"
    assert body["id"] == batch.pk and body["status"] == "queued" and body["channel"] == "api"
    assert (body["pieces"], body["pending"], body["recorded"], body["counts"]) == (12, 12, 0, counted())
    assert body["records"] == f"http://testserver{BATCHES}{batch.pk}/records/"
    assert body["import_records"] is None, "a reporter may not read import records"
    assert len(callbacks) == 1 and DBTaskResult.objects.filter(task_path=TASK).count() == 1
    assert not Article.objects.exists() and not ImportRecord.objects.exists(), "nothing imported in the request"
    assert batch.initiated_by == reporter and batch.options["source"] == "Harbour Times"
    assert list(QueuedPiece.objects.values_list("origin", flat=True)) == [
        f"api upload: piece-{i}.txt" for i in range(12)
    ]


def test_a_large_text_piece_answers_202_and_a_worker_then_imports_it_as_a_draft(
    client_for, editor, settings, django_capture_on_commit_callbacks
):
    text = piece_text("Long harbour report", paragraphs=[f"Paragraph {i} of the harbour report." for i in range(80)])
    settings.NEWSROOM_SYNC_IMPORT_MAX_BYTES = len(text.encode()) - 1
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data=text.encode(), content_type="text/plain")
    assert response.status_code == 202 and response.json()["pieces"] == 1
    assert not Article.objects.exists()

    returned = deliver(response.json()["id"])
    assert returned["created"] == 1
    batch = client.get(response["Location"]).json()
    assert (batch["status"], batch["pending"], batch["recorded"], batch["counts"]) == (
        "finished",
        0,
        1,
        counted(created=1),
    )
    assert batch["finished_at"] and batch["import_records"].endswith(f"{URL}?batch={batch['id']}")
    article = Article.objects.get()
    assert article.title == "Long harbour report" and article.status == Article.Status.DRAFT


def test_a_large_json_piece_is_queued_too(client_for, editor, small_sync_limits):
    text = piece_text("Json harbour report", paragraphs=[f"Paragraph {i} of the report." for i in range(80)])
    response = client_for(editor).post(URL, {"text": text, "source": "Steppe Review"}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert ImportBatch.objects.get().options["source"] == "Steppe Review"


def test_a_few_small_uploaded_pieces_are_imported_in_the_request_and_answer_with_the_finished_batch(client_for, editor):
    files = [*uploads(2, prefix="Small"), upload("broken.bin", b"\x00\x01binary\x00" * 20)]
    response = client_for(editor).post(URL, {"files": files, "text": piece_text("Pasted story")}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["pieces"], body["pending"]) == ("finished", 4, 0)
    assert body["counts"] == counted(created=3, failed=1)
    assert "Location" not in response
    assert Article.objects.count() == 3 and not QueuedPiece.objects.exists()


def test_an_uploaded_file_over_the_import_limit_is_a_failed_piece_and_the_others_import(client_for, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 3000
    files = [upload("big.txt", piece_text("Too big", paragraphs=["word " * 1000])), *uploads(1, prefix="Fits")]
    body = client_for(editor).post(URL, {"files": files}, format="multipart").json()
    assert body["counts"] == counted(created=1, failed=1)
    failed = ImportRecord.objects.get(outcome="failed")
    assert failed.origin == "api upload: big.txt" and "import limit of 3,000 bytes" in failed.error


def test_one_small_uploaded_file_answers_with_its_batch_and_a_text_body_as_before(client_for, editor):
    client = client_for(editor)
    one_file = client.post(URL, {"files": uploads(1, prefix="Alone")}, format="multipart")
    assert one_file.status_code == 200 and one_file.json()["counts"] == counted(created=1)
    text = client.post(URL, data=piece_text("Plain story").encode(), content_type="text/plain")
    assert text.status_code == 201 and text.json()["outcome"] == "created"


def test_the_worker_gives_the_same_outcomes_as_an_import_in_the_request(
    client_for, editor, settings, django_capture_on_commit_callbacks
):
    first = piece_text("Ferry service resumes")
    pieces = [
        ("a.txt", first),
        ("b.txt", first),  # unchanged: the same piece again
        ("c.txt", first.replace("Ferry service resumes", "Ferries are back")),  # the same text: a duplicate
        ("d.txt", b"\x00\x01\x02binary\x00" * 30),  # failed
        ("e.txt", piece_text("Harbour fees rise")),
    ]
    client = client_for(editor)

    def outcomes(batch_id: int) -> list[tuple[str, str]]:
        return list(ImportRecord.objects.filter(batch_id=batch_id).order_by("pk").values_list("origin", "outcome"))

    with transaction.atomic():
        settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 10
        in_request = client.post(URL, {"files": [upload(*piece) for piece in pieces]}, format="multipart")
        assert in_request.status_code == 200
        synchronous = outcomes(in_request.json()["id"])
        transaction.set_rollback(True)
    assert not Article.objects.exists()

    settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"files": [upload(*piece) for piece in pieces]}, format="multipart")
    assert response.status_code == 202
    deliver(response.json()["id"])
    assert outcomes(response.json()["id"]) == synchronous
    assert [outcome for _, outcome in synchronous] == ["created", "unchanged", "duplicate", "failed", "created"]


def test_an_import_request_over_the_body_limit_is_refused_before_anything_is_queued(client_for, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4000
    settings.NEWSROOM_SYNC_IMPORT_MAX_BYTES = 100
    client = client_for(editor)
    text = client.post(URL, data=b"x" * 5000, content_type="text/plain")
    files = client.post(URL, {"files": uploads(30)}, format="multipart")
    assert text.status_code == files.status_code == 400
    assert "limit of 4000 bytes" in files.json()["detail"]
    assert not ImportBatch.objects.exists() and not QueuedPiece.objects.exists()


def test_anonymous_users_cannot_queue_an_import(anon, small_sync_limits):
    response = anon.post(URL, {"files": uploads(3)}, format="multipart")
    assert response.status_code == 401 and not ImportBatch.objects.exists()


def queued_batch(client, small_sync_limits=None) -> dict:
    response = client.post(URL, {"files": uploads(3)}, format="multipart")
    assert response.status_code == 202, response.json()
    return response.json()


@pytest.mark.parametrize(("viewer", "visible"), [("owner", True), ("editor", True), ("other", False), ("anon", False)])
def test_a_batch_is_seen_by_its_owner_and_editors_and_does_not_exist_for_anyone_else(
    client_for, reporter, editor, other_reporter, small_sync_limits, viewer, visible
):
    batch = queued_batch(client_for(reporter))
    viewers = {"owner": reporter, "editor": editor, "other": other_reporter, "anon": None}
    client = client_for(viewers[viewer])
    detail = client.get(f"{BATCHES}{batch['id']}/")
    records = client.get(f"{BATCHES}{batch['id']}/records/")
    listed = client.get(BATCHES)
    assert listed.status_code == 200
    if visible:
        assert detail.status_code == records.status_code == 200
        assert detail.json()["id"] == batch["id"] and detail.json()["status"] == "queued"
        assert [row["id"] for row in listed.json()["results"]] == [batch["id"]]
    else:
        assert detail.status_code == records.status_code == 404
        missing = client.get(f"{BATCHES}999999/")
        assert without_instance(detail) == without_instance(missing), "the same answer as for no batch at all"
        assert listed.json()["results"] == [] and listed.json()["count"] == 0


def test_a_reporter_lists_only_the_batches_they_started_and_editors_list_all(
    client_for, reporter, editor, other_reporter, small_sync_limits
):
    mine = queued_batch(client_for(reporter))["id"]
    theirs = queued_batch(client_for(other_reporter))["id"]
    assert [row["id"] for row in client_for(reporter).get(BATCHES).json()["results"]] == [mine]
    assert [row["id"] for row in client_for(editor).get(BATCHES).json()["results"]] == [theirs, mine]


def test_a_batch_lists_what_became_of_each_piece_without_the_raw_bytes(
    client_for, reporter, editor, other_reporter, small_sync_limits, django_capture_on_commit_callbacks
):
    files = [*uploads(2, prefix="Recorded"), upload("broken.bin", b"\x00\x00binary\x00" * 30)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = client_for(reporter).post(URL, {"files": files}, format="multipart").json()
    deliver(batch["id"])
    page = client_for(reporter).get(batch["records"]).json()
    rows = page["results"]
    assert [(row["origin"], row["outcome"]) for row in rows] == [
        ("api upload: piece-0.txt", "created"),
        ("api upload: piece-1.txt", "created"),
        ("api upload: broken.bin", "failed"),
    ]
    assert rows[0]["article"] == Article.objects.get(title="Recorded story 0").pk and rows[2]["error"]
    assert all(set(row) == {"id", "origin", "outcome", "article", "error", "warnings", "created_at"} for row in rows)
    # The raw bytes are for editors, through the import records; the owner, a reporter, is refused there.
    raw = client_for(reporter).get(f"{URL}?batch={batch['id']}")
    assert raw.status_code == 403
    assert client_for(other_reporter).get(f"{URL}?batch={batch['id']}").status_code == 403
    editor_view = client_for(editor).get(client_for(editor).get(batch["url"]).json()["import_records"]).json()
    assert len(editor_view["results"]) == 3 and all("raw_text" in row for row in editor_view["results"])


def test_a_batch_whose_attempts_are_used_up_reads_as_failed(client_for, editor, small_sync_limits, settings):
    batch = queued_batch(client_for(editor))
    ImportBatch.objects.filter(pk=batch["id"]).update(
        attempts=settings.NEWSROOM_TASK_MAX_ATTEMPTS, claimed_until=None, error="OperationalError: gone"
    )
    shown = client_for(editor).get(batch["url"]).json()
    assert (shown["status"], shown["error"], shown["pending"]) == ("failed", "OperationalError: gone", 3)


@pytest.mark.parametrize("key", ["abc", "0", "-1", "99999999999999999999999"])
def test_a_batch_address_that_is_no_id_is_a_404(client_for, editor, key):
    assert client_for(editor).get(f"{BATCHES}{key}/").status_code == 404


def test_reading_batches_takes_a_constant_number_of_queries(
    client_for, editor, small_sync_limits, django_assert_max_num_queries
):
    client = client_for(editor)
    ids = [queued_batch(client)["id"] for _ in range(4)]
    with django_assert_max_num_queries(4):
        assert len(client.get(BATCHES).json()["results"]) == 4
    with django_assert_max_num_queries(3):
        assert client.get(f"{BATCHES}{ids[0]}/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(f"{BATCHES}{ids[0]}/records/").status_code == 200


def test_the_schema_documents_the_202_answer_and_the_batch_resource(anon):
    schema = anon.get("/api/schema/?format=json").json()
    answers = schema["paths"]["/api/v1/imports/"]["post"]["responses"]
    assert answers["202"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ImportBatch"}
    assert "multipart upload" in schema["paths"]["/api/v1/imports/"]["post"]["description"]
    properties = schema["components"]["schemas"]["ImportBatch"]["properties"]
    assert {"id", "url", "status", "pieces", "pending", "counts", "records", "started_at", "finished_at"} <= set(
        properties
    )
    statuses = schema["components"]["schemas"]["ImportBatchStatusEnum"]["enum"]
    assert properties["status"]["allOf"] == [{"$ref": "#/components/schemas/ImportBatchStatusEnum"}]
    assert statuses == ["queued", "running", "finished", "interrupted", "failed"]
    assert {"/api/v1/import-batches/{id}/", "/api/v1/import-batches/{id}/records/"} <= set(schema["paths"])


def test_no_answer_about_a_batch_carries_its_pieces_raw_bytes(
    client_for, reporter, editor, small_sync_limits, django_capture_on_commit_callbacks
):
    marker = "Zanzibar-quokka-7731"
    files = [
        upload(f"secret-{i}.txt", piece_text(f"Secret story {i}", paragraphs=[f"{marker} {i}."])) for i in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        queued = client_for(reporter).post(URL, {"files": files}, format="multipart")
    assert marker not in queued.content.decode()
    deliver(queued.json()["id"])
    for user in (reporter, editor):
        client = client_for(user)
        for address in (BATCHES, queued.json()["url"], queued.json()["records"]):
            response = client.get(address)
            assert response.status_code == 200 and marker not in response.content.decode(), address


def test_an_upload_with_a_malformed_source_is_a_400_and_queues_nothing(client_for, editor, small_sync_limits):
    response = client_for(editor).post(URL, {"files": uploads(3), "source": "x" * 201}, format="multipart")
    assert response.status_code == 400 and "source" in response.json()["errors"]
    assert not ImportBatch.objects.exists() and not QueuedPiece.objects.exists()


def test_an_upload_of_more_files_than_allowed_is_a_400_and_queues_nothing(client_for, editor, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    response = client_for(editor).post(URL, {"files": uploads(6)}, format="multipart")
    assert response.status_code == 400 and "DATA_UPLOAD_MAX_NUMBER_FILES" in response.json()["detail"]
    assert not ImportBatch.objects.exists() and not QueuedPiece.objects.exists()
