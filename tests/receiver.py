"""A real HTTP server on 127.0.0.1 that records webhook deliveries (no mocks).

It answers ``status`` to every POST, with ``headers`` and ``reply`` as the body
when set, after waiting ``delay`` seconds when set (a receiver slower than the
worker's timeout).
"""

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self):
        self.status = 200
        self.headers: dict[str, str] = {}
        self.reply: bytes | None = None
        self.delay = 0.0
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends any pending delay at shutdown
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append(Received(self.path, dict(self.headers), body))
                    status, delay = receiver.status, receiver.delay
                    headers, reply = dict(receiver.headers), receiver.reply
                if delay:
                    receiver._release.wait(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply is None:
                        reply = b"ok" if status < 300 else b"receiver says no"
                    self.wfile.write(reply)
                except OSError:
                    pass  # the worker gave up waiting and hung up

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def event_ids(self) -> list[str]:
        with self._lock:
            return [r.headers["Scorecards-Event-Id"] for r in self.requests]
