"""A fake network receipt printer: a TCP server that records the bytes it receives."""

from __future__ import annotations

import socketserver
import threading

WAIT_SECONDS = 10.0


class RecordingPrinter:
    """A raw TCP "printer" on 127.0.0.1 that keeps the bytes of each connection.

    The port is bound at once but only accepts connections after :meth:`start`, so a test
    can have a printer that is off and later comes back on the same port.
    """

    def __init__(self) -> None:
        self.jobs: list[bytes] = []
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        printer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                chunks = []
                while chunk := self.request.recv(65536):
                    chunks.append(chunk)
                with printer._changed:
                    printer.jobs.append(b"".join(chunks))
                    printer._changed.notify_all()

        # One connection at a time, so jobs are recorded in the order they were sent.
        self.server = socketserver.TCPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self.server.server_bind()
        self.port: int = self.server.server_address[1]

    def start(self) -> None:
        self.server.server_activate()
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def wait_for_jobs(self, count: int) -> list[bytes]:
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.jobs) >= count, WAIT_SECONDS)
        assert arrived, f"expected {count} jobs within {WAIT_SECONDS} s, got {len(self.jobs)}"
        return list(self.jobs)

    def close(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(WAIT_SECONDS)
        self.server.server_close()
