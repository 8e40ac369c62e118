"""The import page bounds what it reads: uploads stream to disk, a file past the per-file limit is stopped, a request
past the upload limit is refused before its body is read, and the CSRF token is still required.

The large uploads are handed to Django's request handler as a WSGI server hands them, reading from a file on disk, so
that the memory measured is the page's own and not that of a test client building the request in memory. (The test
client's own handler is used, which checks CSRF tokens when asked to and leaves the test's database connection open.)
"""

import io
import os
import tracemalloc
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.test.client import ClientHandler

from articles.models import Article, ImportRecord
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

IMPORT = "/admin/articles/article/import/"
MB = 1024 * 1024


def write_multipart(path: Path, *, token: str, files: list[tuple[str, bytes | int]]) -> tuple[str, int]:
    """Write a multipart form body to `path`: the CSRF token, a status, and `files` as (name, content or a size
    to fill with text); return its content type and length. Large files are written a chunk at a time."""
    boundary = uuid.uuid4().hex
    with path.open("wb") as body:
        fields = [("csrfmiddlewaretoken", token), ("status", "draft")]
        for name, value in fields:
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, content in files:
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                "Content-Type: text/plain\r\n\r\n".encode()
            )
            if isinstance(content, int):
                line = b"The harbour was busy again this week, and the dockers said so to anyone who asked.\n"
                for _ in range(content // len(line)):
                    body.write(line)
            else:
                body.write(content)
            body.write(b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", path.stat().st_size


@pytest.fixture
def post_from_disk(editor, tmp_path):
    """Return post(files) -> (status, html, bytes of the body read, peak traced bytes): the upload sent by an editor
    from a body file on disk, with a valid CSRF token, checked."""
    from articles.ingest.frequencies import english_zipf

    english_zipf("the")  # the word frequencies (tens of megabytes) load on first use: not the upload's doing
    client = Client()
    client.force_login(editor)
    client.get(IMPORT)
    token = client.cookies["csrftoken"].value
    cookies = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())

    def post(files):
        content_type, length = write_multipart(tmp_path / "body", token=token, files=files)
        with (tmp_path / "body").open("rb") as body:
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": IMPORT,
                "SCRIPT_NAME": "",
                "QUERY_STRING": "",
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.url_scheme": "http",
                "wsgi.input": body,
                "wsgi.errors": io.StringIO(),
                "CONTENT_TYPE": content_type,
                "CONTENT_LENGTH": str(length),
                "HTTP_COOKIE": cookies,
            }
            tracemalloc.start()
            try:
                response = ClientHandler(enforce_csrf_checks=True)(environ)  # closes the response itself
                html = response.content.decode()
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            return response.status_code, html, body.tell(), peak

    return post


def test_a_file_over_the_per_file_limit_is_stopped_by_name_without_being_held_in_memory(post_from_disk, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 1 * MB
    good = piece_text("Harbour reopens").encode()
    status, html, read, peak = post_from_disk([("good.txt", good), ("huge.txt", 24 * MB)])
    assert status == 200
    assert "“huge.txt” is over the import limit of 1,048,576 bytes for one file" in html
    assert read > 24 * MB, "the rest of the stopped file is read past (not stored) to reach the end of the request"
    assert peak < 6 * MB, f"the page held {peak:,} bytes at its peak for a 24 MB upload"
    assert Article.objects.get().title == "Harbour reopens"
    huge = ImportRecord.objects.get(origin="admin upload: huge.txt")
    assert huge.outcome == "failed" and "1,048,576 bytes" in huge.error and bytes(huge.raw) == b""
    assert huge.batch.status == "finished"


def test_an_upload_over_the_total_limit_is_refused_before_its_body_is_read(post_from_disk, settings):
    settings.NEWSROOM_UPLOAD_MAX_BYTES = 2 * MB
    status, html, read, peak = post_from_disk([("a.txt", 1 * MB + 1), ("b.txt", 1 * MB + 1)])
    assert status == 413
    assert "over the limit of 2,097,152 bytes for one upload (NEWSROOM_UPLOAD_MAX_BYTES)" in html
    assert read == 0, "not a byte of the body is read"
    assert not ImportRecord.objects.exists() and not Article.objects.exists()


def test_uploads_are_streamed_to_temporary_files_and_deleted_after_the_import(login, client, editor, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * MB  # Django's own handlers would keep these files in memory
    files = [SimpleUploadedFile(f"{name}.txt", piece_text(name).encode()) for name in ("First one", "Second one")]
    response = login(editor).post(IMPORT, {"files": files, "status": "draft"})
    uploads = response.context["form"].cleaned_data["files"]
    assert all(isinstance(upload, TemporaryUploadedFile) for upload in uploads)
    assert not any(os.path.exists(upload.temporary_file_path()) for upload in uploads)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First one", "Second one"]


def test_a_file_over_the_limit_alone_is_reported_rather_than_taken_for_an_empty_form(login, client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 1_000
    big = SimpleUploadedFile("big.txt", piece_text(paragraphs=["A long paragraph that goes on. " * 100]).encode())
    response = login(editor).post(IMPORT, {"files": [big], "status": "draft"})
    [result] = response.context["results"]
    assert result["origin"] == "admin upload: big.txt" and result["outcome"] == "failed"
    assert "“big.txt” is over the import limit of 1,000 bytes" in result["error"]


def test_the_csrf_token_is_still_required(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    piece = SimpleUploadedFile("piece.txt", piece_text().encode())
    refused = client.post(IMPORT, {"files": [piece], "status": "draft"})
    assert refused.status_code == 403 and not ImportRecord.objects.exists()

    client.get(IMPORT)
    piece.seek(0)
    accepted = client.post(
        IMPORT, {"files": [piece], "status": "draft", "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert accepted.status_code == 200 and Article.objects.get().title == "Grain corridor opens"


def test_the_upload_limit_is_checked_after_the_permission(client, settings):
    from django.contrib.auth.models import Permission, User

    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    settings.NEWSROOM_UPLOAD_MAX_BYTES = 10
    assert client.post(IMPORT, {"text": piece_text(), "status": "draft"}).status_code == 403


@pytest.mark.parametrize(
    ("data", "content_type", "status", "message"),
    [
        (
            {"files": [SimpleUploadedFile(f"{i}.txt", piece_text(f"Piece {i}").encode()) for i in range(3)]},
            None,
            413,
            "The upload has more than 2 files; nothing was imported.",
        ),
        (
            {"text": piece_text(paragraphs=["A long paragraph that goes on. " * 100])},
            None,
            413,
            "The pasted text is over the limit of 1,000 bytes (DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE)",
        ),
        ("--x\r\nnot a form", "multipart/form-data", 400, "The upload could not be read ("),
    ],
    ids=["too-many-files", "pasted-text-too-long", "malformed"],
)
def test_an_upload_django_cannot_read_gets_a_clear_message(
    login, editor, settings, data, content_type, status, message
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = login(editor)
    if content_type:
        response = client.post(IMPORT, data, content_type=content_type)
    else:
        response = client.post(IMPORT, {**data, "status": "draft"})
    assert response.status_code == status and message in response.content.decode()
    assert not ImportRecord.objects.exists()
