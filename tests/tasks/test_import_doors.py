"""The import doors hand large imports to the queue: the web request answers at once and imports nothing; a real
`db_worker` process then imports the pieces, with the outcomes an import in the request would have given.

Everything runs on a scratch database of the suite's engine (a SQLite file, or PostgreSQL with DATABASE_URL): the
API through a real gunicorn, with the upload sent chunked as a streaming client sends it; the admin page through
Django's test client in a process of its own.
"""

import http.client
import json
import secrets
import uuid

import pytest

from tests.importing.conftest import piece_text
from tests.servers import Gunicorn
from tests.tasks.processes import batches, count, records_of

FIRST = piece_text("Ferry service resumes")
PIECES = [
    ("a.txt", FIRST.encode()),
    ("b.txt", FIRST.encode()),  # the same piece again: unchanged
    ("c.txt", FIRST.replace("Ferry service resumes", "Ferries are back").encode()),  # the same text: duplicate
    ("d.txt", b"\x00\x01\x02binary\x00" * 30),  # failed
    ("e.txt", piece_text("Harbour fees rise").encode()),
]
OUTCOMES = ["created", "unchanged", "duplicate", "failed", "created"]
QUEUE_OVER_TWO = {"NEWSROOM_SYNC_IMPORT_MAX_PIECES": "2"}

MAKE_USER = """
import json
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user({name!r}, is_staff=True)
user.groups.add(Group.objects.get(name={group!r}))
print(json.dumps({{"id": user.pk, "token": Token.objects.create(user=user).key}}))
"""


def multipart(files: list[tuple[str, bytes]], boundary: str) -> bytes:
    parts = []
    for name, data in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        parts.append(head.encode() + b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def request(port: int, method: str, path: str, *, token: str, body: bytes | None = None, headers=None):
    """Send one request (a body is sent chunked, without a Content-Length); return status, headers and JSON."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        sent = {"Authorization": f"Token {token}", **(headers or {})}
        if body is None:
            connection.request(method, path, headers=sent)
        else:
            chunks = [body[i : i + 700] for i in range(0, len(body), 700)]
            connection.request(method, path, body=iter(chunks), headers=sent, encode_chunked=True)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"null")
    finally:
        connection.close()


@pytest.fixture
def server(queue, tmp_path):
    """A real gunicorn on the queue's database, queueing any import of more than two pieces."""
    env = {
        **queue.database.env(),
        **QUEUE_OVER_TWO,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    running = Gunicorn(env, log=tmp_path / "gunicorn.log")
    yield running
    running.stop()


def make_user(queue, group: str) -> dict:
    return queue.python(MAKE_USER.format(name=f"{group.lower()}-{uuid.uuid4().hex[:8]}", group=group))


def outcomes_of(database, batch_id: int) -> list[str]:
    rows = database.query(f"SELECT outcome FROM articles_importrecord WHERE batch_id = {int(batch_id)} ORDER BY id")  # noqa: S608
    return [outcome for (outcome,) in rows]


def test_an_api_upload_answers_202_before_importing_and_a_real_worker_then_imports_it(queue, server):
    database = queue.database
    reporter, stranger = make_user(queue, "Reporter"), make_user(queue, "Reporter")
    articles_before = count(database, "articles_article")
    boundary = uuid.uuid4().hex
    status, headers, body = request(
        server.port,
        "POST",
        "/api/v1/imports/",
        token=reporter["token"],
        body=multipart(PIECES, boundary),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status == 202, body
    batch_id = body["id"]
    assert headers["Location"] == body["url"] == f"http://127.0.0.1:{server.port}/api/v1/import-batches/{batch_id}/"
    assert (body["status"], body["pieces"], body["pending"]) == ("queued", 5, 5)
    assert count(database, "articles_article") == articles_before, "the web worker imported nothing"
    assert records_of(database, batch_id) == {}

    path = f"/api/v1/import-batches/{batch_id}/"
    assert request(server.port, "GET", path, token=stranger["token"])[0] == 404, "another reporter sees nothing"
    assert request(server.port, "GET", path, token="0" * 40)[0] == 401, "a wrong token is refused"

    queue.worker("doors-worker", "--batch")
    assert queue.wait("doors-worker") == 0, queue.log("doors-worker")

    status, _, shown = request(server.port, "GET", path, token=reporter["token"])
    assert status == 200 and (shown["status"], shown["pending"], shown["recorded"]) == ("finished", 0, 5)
    assert {key: n for key, n in shown["counts"].items() if n} == {
        "created": 2,
        "unchanged": 1,
        "duplicate": 1,
        "failed": 1,
    }
    assert outcomes_of(database, batch_id) == OUTCOMES, "the outcomes an import in the request gives"
    status, _, page = request(
        server.port, "GET", shown["records"].split(str(server.port), 1)[1], token=reporter["token"]
    )
    assert status == 200 and [row["outcome"] for row in page["results"]] == OUTCOMES
    assert all("raw_text" not in row for row in page["results"])


ADMIN_UPLOAD = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
from articles.models import Article, ImportBatch
setup_test_environment()
client = Client()
client.force_login(User.objects.get(pk={user_id}))
files = [SimpleUploadedFile(name, data, "text/plain") for name, data in {pieces!r}]
before = Article.objects.count()
response = client.post("/admin/articles/article/import/", {{"files": files, "status": "draft"}})
batch = ImportBatch.objects.filter(initiated_by_id={user_id}).latest("pk")
print(json.dumps({{"status": response.status_code, "location": response.get("Location"), "batch": batch.pk,
    "batch_status": batch.status, "imported": Article.objects.count() - before}}))
"""


def test_an_admin_upload_is_queued_in_the_request_and_a_real_worker_imports_it(queue):
    database = queue.database
    editor = make_user(queue, "Editor")
    pieces = [(f"desk-{i}.txt", piece_text(f"Desk {uuid.uuid4().hex[:6]} story {i}").encode()) for i in range(4)]
    answer = queue.python(ADMIN_UPLOAD.format(user_id=editor["id"], pieces=pieces), env=QUEUE_OVER_TWO)
    assert answer["status"] == 302 and answer["location"] == f"/admin/articles/importbatch/{answer['batch']}/change/"
    assert (answer["batch_status"], answer["imported"]) == ("queued", 0)

    queue.worker("desk-worker", "--batch")
    assert queue.wait("desk-worker") == 0, queue.log("desk-worker")
    [batch] = [found for found in batches(database) if found["id"] == answer["batch"]]
    assert batch["status"] == "finished" and records_of(database, answer["batch"]) == {"created": 4}
