"""A real local webhook receiver: an HTTP server in a thread that records each request, and answers 500 to the
first `failures` of them (a receiver that is down, then recovers)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, *, failures: int = 0):
        self.failures, self.received, self.answered = failures, [], 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.answered += 1
                    failing = receiver.answered <= receiver.failures
                    if not failing:
                        arrived = time.time()
                        receiver.received.append({"headers": dict(self.headers.items()), "body": body, "at": arrived})
                self.send_response(500 if failing else 204)
                self.end_headers()
                if failing:
                    self.wfile.write(b"down for now")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[dict]:
        with self.lock:
            return [json.loads(message["body"]) for message in self.received]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
