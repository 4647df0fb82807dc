"""Fake network receipt printers: TCP servers that record jobs and answer DLE EOT like a printer.

A real ESC/POS printer answers the real-time status queries ``DLE EOT n`` at once, whatever
else is in its buffer; these fakes do the same and leave the queries out of the recorded job.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from typing import Literal

WAIT_SECONDS = 10.0

Condition = Literal["ready", "paper_out", "cover_open", "offline"]

_DLE_EOT = b"\x10\x04"


def status_answer(condition: Condition, query: int) -> bytes:
    """The byte a printer in ``condition`` answers to ``DLE EOT query`` (Epson TM-T20 layout)."""
    base = 0x12  # bits 1 and 4 are always set
    if query == 1:
        return bytes([base | (0x08 if condition != "ready" else 0)])
    if query == 2:
        cause = {"cover_open": 0x04, "paper_out": 0x20, "offline": 0x40}.get(condition, 0)
        return bytes([base | cause])
    if query == 4:
        return bytes([base | (0x60 if condition == "paper_out" else 0)])
    return bytes([base])


class StatusParser:
    """Splits a printer's input into job bytes and status queries, across chunk boundaries."""

    def __init__(self, condition: Condition = "ready", answers: int | None = None) -> None:
        self.condition: Condition = condition
        self.answers_left = answers  # None: answer every query
        self.job = bytearray()
        self.queries: list[int] = []
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        """Take received bytes; return the answers the printer sends back at once."""
        answers = b""
        pending = self._pending + chunk
        while (at := pending.find(_DLE_EOT)) >= 0 and at + 2 < len(pending):
            query = pending[at + 2]
            self.job += pending[:at]
            pending = pending[at + 3 :]
            self.queries.append(query)
            if self.answers_left is None or self.answers_left > 0:
                answers += status_answer(self.condition, query)
                if self.answers_left is not None:
                    self.answers_left -= 1
        # Keep a possible partial query at the end for the next chunk.
        keep = 2 if pending.endswith(_DLE_EOT) else 1 if pending.endswith(b"\x10") else 0
        self.job += pending[: len(pending) - keep]
        self._pending = pending[len(pending) - keep :]
        return answers

    def finish(self) -> bytes:
        return bytes(self.job + self._pending)


def serve_connection(
    sock: socket.socket,
    condition: Condition,
    queries: list[int] | None = None,
    answers: int | None = None,
) -> bytes:
    """Read one connection to its end, answering status queries; return the job's bytes.

    ``answers`` limits how many queries are answered (a printer that stops answering).
    """
    parser = StatusParser(condition, answers)
    try:
        while chunk := sock.recv(65536):
            if answers := parser.feed(chunk):
                sock.sendall(answers)
    except ConnectionError:  # the sender died mid-job: keep what arrived, as paper would
        pass
    if queries is not None:
        queries.extend(parser.queries)
    return parser.finish()


class RecordingPrinter:
    """A raw TCP "printer" on 127.0.0.1 that keeps the bytes of each job it was sent.

    The port is bound at once but only accepts connections after :meth:`start`, so a test
    can have a printer that is off and later comes back on the same port. ``condition``
    says what it answers to status queries; a connection that carried only queries is not
    recorded as a job.
    """

    def __init__(self, condition: Condition = "ready", answers: int | None = None) -> None:
        self.jobs: list[bytes] = []
        self.queries: list[int] = []
        self.condition: Condition = condition
        self.answers = answers
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        printer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                job = serve_connection(
                    self.request, printer.condition, printer.queries, printer.answers
                )
                if job:
                    with printer._changed:
                        printer.jobs.append(job)
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


class NeverReadingPrinter:
    """Accepts connections and never reads a byte: everything lands in kernel buffers."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._accepted: list[socket.socket] = []
        self.connected = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._accepted.append(conn)
            self.connected.set()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()
        for conn in self._accepted:
            conn.close()
        self._thread.join(WAIT_SECONDS)
