"""A real local HTTP server for feed tests: a threaded `http.server` answering each path with a scripted reply
(real files, statuses, headers, redirects, a body trickled byte by byte), optionally over TLS with a self-signed
certificate; it records every request it received."""

import gzip
import ssl
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    trickle_seconds: float | None = None  # pause before each byte of the body
    gzip: bool = False


Route = Callable[[dict[str, str]], Reply]


def static(body: bytes, *, etag: str | None = None, content_type: str = "application/rss+xml", **headers) -> Route:
    """A route serving `body`, answering 304 to a request that names its ETag."""

    def route(request_headers):
        if etag and request_headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag, **headers})  # validators and caching headers, no body
        extra = {"Content-Type": content_type, **({"ETag": etag} if etag else {}), **headers}
        return Reply(200, body, extra)

    return route


def status(code: int, body: bytes = b"", **headers) -> Route:
    return lambda request_headers: Reply(code, body, {k.replace("_", "-"): v for k, v in headers.items()})


def redirect(code: int, location: str) -> Route:
    return lambda request_headers: Reply(code, headers={"Location": location})


class FeedServer:
    """Serves `routes` (path -> route) on a free local port until `stop()`; `requests` lists (path, headers)."""

    def __init__(self, *, tls_certificate: tuple[Path, Path] | None = None):
        self.routes: dict[str, Route] = {}
        self.default: Route | None = None  # the route of every path not in `routes` (else 404)
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                headers = {key.lower(): value for key, value in self.headers.items()}
                server.requests.append((self.path, headers))
                route = server.routes.get(self.path, server.default)
                reply = route(headers) if route else Reply(404, b"not found")
                body = gzip.compress(reply.body) if reply.gzip else reply.body
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if reply.gzip:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    if reply.trickle_seconds is None:
                        self.wfile.write(body)
                        return
                    for i in range(len(body)):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(reply.trickle_seconds)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.scheme = "http"
        if tls_certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls_certificate)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for 127.0.0.1 with the openssl command; return (certificate, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key
