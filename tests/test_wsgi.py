"""Chunked request bodies reach the views: through the WSGI application with gunicorn's environ, and through gunicorn.

A client that streams a body sends it with `Transfer-Encoding: chunked` and no `Content-Length`; gunicorn decodes the
chunks, marks the input `wsgi.input_terminated` and passes no `CONTENT_LENGTH`. Django alone reads such a body as
empty, so an import arrived as "This field is required".
"""

import http.client
import io
import json
import secrets

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from newsroom.wsgi import application
from tests.importing.conftest import piece_text
from tests.importing.processes import ScratchDatabase
from tests.servers import Gunicorn

PIECE = piece_text("Ferry service resumes", source="Harbour Times")


class TerminatedInput:
    """A request body as gunicorn hands it over: already de-chunked, read in pieces until it ends."""

    def __init__(self, data: bytes, piece: int = 1000):
        self.data, self.piece, self.reads = io.BytesIO(data), piece, 0

    def read(self, size=-1):
        self.reads += 1
        size = self.piece if size is None or size < 0 else min(size, self.piece)
        return self.data.read(size)

    def readline(self, size=-1):
        return self.data.readline(size)


def gunicorn_environ(path: str, body: bytes, *, content_type: str, token: str | None = None, query: str = "") -> dict:
    """Return the environ gunicorn builds for a chunked POST (no CONTENT_LENGTH; the input is terminated)."""
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_TYPE": content_type,
        "wsgi.input": TerminatedInput(body),
        "wsgi.input_terminated": True,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Token {token}"
    return environ


def call(environ) -> tuple[int, dict, bytes]:
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = int(status.split()[0]), dict(headers)

    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return captured["status"], captured["headers"], body


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """The bare WSGI app closes the database connection after each request; keep the test's transaction open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(editor) -> str:
    return Token.objects.create(user=editor).key


@pytest.mark.django_db
def test_a_chunked_text_import_through_the_wsgi_application_creates_the_article(token):
    environ = gunicorn_environ("/api/v1/imports/", PIECE.encode(), content_type="text/plain", token=token)
    status, headers, body = call(environ)
    assert status == 201, body[:300]
    assert json.loads(body)["article"]["title"] == "Ferry service resumes"


@pytest.mark.django_db
def test_a_chunked_json_body_through_the_wsgi_application_is_read_whole(token):
    payload = json.dumps({"name": "Shipping " + "x" * 50}).encode()
    status, _, body = call(gunicorn_environ("/api/v1/tags/", payload, content_type="application/json", token=token))
    assert status == 201 and json.loads(body)["name"].startswith("Shipping"), body[:300]


@pytest.mark.django_db
def test_a_chunked_body_over_the_limit_is_refused_with_a_json_400_naming_it(token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5000
    stream = TerminatedInput(b"x" * 50_000)
    environ = gunicorn_environ("/api/v1/imports/", b"", content_type="text/plain", token=token)
    environ["wsgi.input"] = stream
    status, headers, body = call(environ)
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["detail"] == "The request body is larger than the limit of 5000 bytes."
    assert (problem["status"], problem["code"], problem["instance"]) == (400, "payload_too_large", "/api/v1/imports/")
    assert stream.reads <= 6, "reading stops once the limit is passed"
    from articles.models import ImportRecord

    assert not ImportRecord.objects.exists()


@pytest.mark.django_db
def test_a_chunked_body_at_the_limit_is_accepted(token, settings):
    payload = json.dumps({"name": "Exact"}).encode()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(payload)
    status, _, body = call(gunicorn_environ("/api/v1/tags/", payload, content_type="application/json", token=token))
    assert status == 201, body[:300]


@pytest.mark.django_db
def test_a_chunked_body_over_the_limit_outside_the_api_is_a_plain_400(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    environ = gunicorn_environ("/admin/login/", b"username=a&password=" + b"b" * 100, content_type="text/plain")
    status, headers, body = call(environ)
    assert status == 400 and headers["Content-Type"].startswith("text/plain") and b"10 bytes" in body


def test_a_chunked_multipart_upload_may_carry_files_past_the_plain_body_limit(settings):
    from newsroom.chunked import body_limit

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert body_limit("application/json") == 1000
    assert body_limit("multipart/form-data; boundary=x") == 1000 + 200 * settings.NEWSROOM_IMPORT_MAX_BYTES


@pytest.mark.django_db
def test_a_body_with_a_length_is_left_to_django(token):
    payload = json.dumps({"name": "Measured"}).encode()
    environ = gunicorn_environ("/api/v1/tags/", payload, content_type="application/json", token=token)
    environ.update(CONTENT_LENGTH=str(len(payload)), HTTP_TRANSFER_ENCODING="")
    status, _, body = call(environ)
    assert status == 201, body[:300]


def post_chunked(port: int, path: str, parts: list[bytes], headers: dict) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=iter(parts), headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_a_chunked_import_to_a_real_gunicorn_answers_201_with_the_article(tmp_path):
    database = ScratchDatabase(tmp_path)
    try:
        made = database.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; from rest_framework.authtoken.models import Token; "
            "u = User.objects.create_user('wire-desk', is_staff=True); u.groups.add(Group.objects.get(name='Editor')); "
            "print('TOKEN', Token.objects.create(user=u).key)",
        )
        key = next(line.split()[1] for line in made.stdout.splitlines() if line.startswith("TOKEN "))
        env = {
            "DATABASE_URL": database.url,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE": "20000",
        }
        server = Gunicorn(env, log=tmp_path / "gunicorn.log")
        try:
            auth = {"Authorization": f"Token {key}", "Content-Type": "text/plain; charset=utf-8"}
            data = PIECE.encode()
            status, body = post_chunked(server.port, "/api/v1/imports/", [data[:40], data[40:200], data[200:]], auth)
            assert status == 201, body
            assert body["outcome"] == "created" and body["article"]["title"] == "Ferry service resumes"
            status, body = post_chunked(server.port, "/api/v1/imports/", [b"x" * 10_000] * 3, auth)
            assert status == 400 and body["detail"] == "The request body is larger than the limit of 20000 bytes."
            assert (body["status"], body["code"]) == (400, "payload_too_large")
        finally:
            server.stop()
        assert database.query("SELECT title FROM articles_article") == [("Ferry service resumes",)]
    finally:
        database.drop()
