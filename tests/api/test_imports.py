"""The import endpoint: a piece POSTed as text or JSON goes through the one import pipeline and is recorded."""

import pytest

from articles.models import Article, ImportRecord
from tests.conftest import SEED_SHAPED_TRUTH

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/"


@pytest.fixture
def seed_bytes(seed_path) -> bytes:
    return seed_path.read_bytes()


def test_a_plain_text_piece_becomes_a_draft_article_and_answers_201(client_for, editor, seed_bytes):
    response = client_for(editor).post(URL, data=seed_bytes, content_type="text/plain; charset=utf-8")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["outcome"] == "created" and data["title"] == SEED_SHAPED_TRUTH["title"]
    article = Article.objects.get(pk=data["article_id"])
    assert article.status == Article.Status.DRAFT
    assert data["article"]["id"] == article.pk and data["article"]["authors"][0]["name"] == SEED_SHAPED_TRUTH["byline"]
    record = ImportRecord.objects.get(pk=data["record_id"])
    assert bytes(record.raw) == seed_bytes and record.batch.channel == "api" and record.batch.initiated_by == editor


def test_a_json_piece_with_a_source_is_imported_under_that_source(client_for, editor):
    text = "Grain exports rise\n\nBy Web Desk\n\nExports of grain rose sharply this year, officials said.\n"
    response = client_for(editor).post(URL, {"text": text, "source": "Astana Times"}, format="json")
    assert response.status_code == 201, response.json()
    assert Article.objects.get(pk=response.json()["article_id"]).source.name == "Astana Times"


def test_importing_the_same_piece_again_answers_200_unchanged(client_for, editor, seed_bytes):
    client = client_for(editor)
    first = client.post(URL, data=seed_bytes, content_type="text/plain")
    again = client.post(URL, data=seed_bytes, content_type="text/plain")
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    assert again.json()["article_id"] == first.json()["article_id"]


def test_a_piece_the_pipeline_rejects_answers_422_with_the_reason(client_for, editor):
    response = client_for(editor).post(URL, data=b"\x00\x01\x02binary\x00" * 50, content_type="text/plain")
    assert response.status_code == 422
    data = response.json()
    assert data["outcome"] == "failed" and data["error"] and data["article"] is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"   \n", "text/plain"), (b'{"source": "x"}', "application/json"), (b'{"text": ["a"]}', "application/json")],
)
def test_an_empty_or_malformed_import_request_is_a_400(client_for, editor, body, content_type):
    response = client_for(editor).post(URL, data=body, content_type=content_type)
    assert response.status_code == 400 and "text" in response.json()["errors"]


def test_import_records_show_raw_text_warnings_and_cleaning_edits(client_for, editor, seed_bytes):
    client = client_for(editor)
    record_id = client.post(URL, data=seed_bytes, content_type="text/plain").json()["record_id"]
    listed = client.get(URL).json()["results"]
    assert [row["id"] for row in listed] == [record_id]
    record = client.get(f"{URL}{record_id}/").json()
    assert record["raw_text"] == seed_bytes.decode("utf-8") and record["outcome"] == "created"
    assert record["channel"] == "api" and record["raw_size"] == len(seed_bytes)
    assert record["edits"] and {"rule", "before", "after"} <= set(record["edits"][0])
    assert isinstance(record["warnings"], list)


def test_import_records_filter_by_outcome_and_article(client_for, editor, seed_bytes):
    client = client_for(editor)
    created = client.post(URL, data=seed_bytes, content_type="text/plain").json()
    client.post(URL, data=b"\x00\x00\x00", content_type="text/plain")
    assert [r["outcome"] for r in client.get(URL, {"outcome": "failed"}).json()["results"]] == ["failed"]
    by_article = client.get(URL, {"article": created["article_id"]}).json()["results"]
    assert [r["id"] for r in by_article] == [created["record_id"]]


def test_the_article_links_to_its_import_records_for_staff(client_for, editor, seed_bytes):
    client = client_for(editor)
    article_id = client.post(URL, data=seed_bytes, content_type="text/plain").json()["article_id"]
    link = client.get(f"/api/v1/articles/{article_id}/").json()["links"]["imports"]
    assert len(client.get(link).json()["results"]) == 1


def test_the_link_to_import_records_never_reaches_staff_without_the_right_through_a_kept_copy(
    client_for, editor, reporter, seed_bytes
):
    article_id = client_for(editor).post(URL, data=seed_bytes, content_type="text/plain").json()["article_id"]
    address = f"/api/v1/articles/{article_id}/"
    assert "imports" in client_for(editor).get(address).json()["links"]  # rendered and kept for editors
    assert not reporter.has_perm("articles.view_importrecord")
    assert "imports" not in client_for(reporter).get(address).json()["links"]  # not the editors' copy
    page = client_for(reporter).get("/api/v1/changes/").json()["results"]
    links = next(event["article"]["links"] for event in page if event["article_id"] == article_id)
    assert set(links) == {"self", "source"}


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 401), ("reporter", 201), ("editor", 201)])
def test_importing_needs_the_right_to_add_articles(client_for, users, seed_bytes, role, expected):
    response = client_for(users[role]).post(URL, data=seed_bytes, content_type="text/plain")
    assert response.status_code == expected


def test_a_multipart_import_request_over_the_body_limit_is_refused_before_its_files_are_read(
    client_for, editor, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import ImportBatch

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = SimpleUploadedFile("piece.txt", b"x" * 5000, content_type="text/plain")
    response = client_for(editor).post(URL, {"text": "A piece", "file": big}, format="multipart")
    assert response.status_code == 400 and "limit of 1000 bytes" in response.json()["detail"]
    assert not ImportBatch.objects.exists() and not ImportRecord.objects.exists()
