"""Real-socket fakes shared by tests: a receipt printer listening on 127.0.0.1 that answers
DLE EOT status queries like a real one."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.printing.fake_printers import Condition, serve_connection


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server = self.server
        assert isinstance(server, _Server)
        job = serve_connection(self.request, server.condition)
        if not job:  # only status queries: not a job
            return
        with server.lock:
            server.received.append(job)
        server.got_job.set()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.received: list[bytes] = []
        self.condition: Condition = "ready"
        self.lock = threading.Lock()
        self.got_job = threading.Event()


class FakeNetworkPrinter:
    """Records every connection's bytes, as an ESC/POS network printer would receive them."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self.port = server.server_address[1]

    def set_condition(self, condition: Condition) -> None:
        """What the printer answers from now on: ready, paper_out, cover_open or offline."""
        self._server.condition = condition

    @property
    def jobs(self) -> list[bytes]:
        with self._server.lock:
            return list(self._server.received)

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Wait (on an event, not a sleep) until `count` connections have closed."""
        while len(self.jobs) < count:
            self._server.got_job.clear()
            if len(self.jobs) >= count:
                break
            if not self._server.got_job.wait(timeout):
                raise AssertionError(f"printer got {len(self.jobs)} jobs, expected {count}")
        return self.jobs


@contextmanager
def fake_network_printer(port: int = 0) -> Iterator[FakeNetworkPrinter]:
    server = _Server(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeNetworkPrinter(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def free_port() -> int:
    """A port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


Failed = Callable[[BaseException], None]


class HeldExecutor:
    """A database (or file) worker that runs nothing until the test says so: what the window
    shows while work is in flight, as on a slow database."""

    def __init__(self) -> None:
        self.jobs: list[
            tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]]
        ] = []

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Failed,
    ) -> None:
        self.jobs.append((work, on_done, on_error))

    def run_next(self) -> None:
        work, on_done, on_error = self.jobs.pop(0)
        try:
            result = work()
        except BaseException as exc:
            on_error(exc)
        else:
            on_done(result)

    def fail_next(self, error: BaseException) -> None:
        _work, _on_done, on_error = self.jobs.pop(0)
        on_error(error)

    def run_all(self) -> None:
        """Run everything queued, and what that queues, in order, on this thread."""
        while self.jobs:
            self.run_next()
