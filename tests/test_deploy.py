"""The deployment path: `bin/deploy` prepares a release and `bin/serve` serves it, with DEBUG off, as in production.

With DEBUG off the static files are served from the manifest `collectstatic` writes; without it the admin's login, the
API's docs and the browsable API are server errors, so `check --deploy` says so (newsroom.W001).
"""

import http.client
import re
import secrets
import subprocess
import sys

from tests.importing.processes import ScratchDatabase
from tests.servers import REPO, Gunicorn, process_environment
from tests.test_settings import REDIS_URL


def production_env(database_url: str, static_root) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
    }


def run(command, env, **kwargs):
    return subprocess.run(
        command, cwd=REPO, env=process_environment(env), capture_output=True, text=True, timeout=300, **kwargs
    )


def fetch(port: int, path: str, *, https: bool = True) -> tuple[int, str]:
    """GET `path` as a TLS proxy would pass it on (X-Forwarded-Proto: https); redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"} if https else {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_check_deploy_warns_when_the_static_files_were_not_collected(tmp_path):
    done = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env("sqlite:///" + str(tmp_path / "db.sqlite3"), tmp_path / "static"),
    )
    assert done.returncode != 0
    assert "newsroom.W001" in done.stderr and "collectstatic" in done.stderr


def test_deploy_then_serve_answers_the_admin_the_docs_their_static_files_and_the_api(tmp_path):
    database = ScratchDatabase(tmp_path)
    try:
        env = production_env(database.url, tmp_path / "static")
        deployed = run([str(REPO / "bin" / "deploy")], env)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        assert (tmp_path / "static" / "staticfiles.json").exists()
        server = Gunicorn(env, workers=2, log=tmp_path / "gunicorn.log", serve_script=True)
        try:
            port = server.port
            assert fetch(port, "/admin/login/")[0] == 200
            status, docs = fetch(port, "/api/docs/")
            assert status == 200
            stylesheet = re.search(r"/static/drf_spectacular_sidecar/[^\"']+\.css", docs).group(0)
            assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), "served under its hashed (manifest) name"
            assert fetch(port, stylesheet)[0] == 200
            assert fetch(port, "/api/v1/articles/?format=api")[0] == 200
            status, listing = fetch(port, "/api/v1/articles/")
            assert status == 200 and '"results":[]' in listing
            assert fetch(port, "/api/v1/articles/", https=False)[0] == 301, "plain HTTP is sent to HTTPS"
        finally:
            server.stop()
    finally:
        database.drop()
