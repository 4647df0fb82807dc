"""Running slow work off the GUI thread, with results delivered back on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Executor(Protocol):
    def submit(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None: ...


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits ``finished``, which reaches this object's own
    slot queued on the GUI thread, and that slot calls the callbacks there. (A queued call to a
    plain Python function can crash PySide6 6.10 once the sender is deleted.)"""

    finished = Signal(object, object)  # result, error

    def __init__(
        self, parent: QObject, on_done: Done, on_error: Failed, forget: Callable[[_Relay], None]
    ) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self._on_error = on_error
        self._forget = forget
        self.finished.connect(self._finish)

    @Slot(object, object)
    def _finish(self, result: Any, error: BaseException | None) -> None:
        self._forget(self)
        self.deleteLater()
        if error is None:
            self._on_done(result)
        else:
            self._on_error(error)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:  # handed to the GUI thread, which decides what it is
            self._relay.finished.emit(None, exc)
        else:
            self._relay.finished.emit(result, None)


class ThreadPoolExecutor(QObject):
    """Runs work on a thread pool; `on_done` / `on_error` run on the GUI thread.

    `threads=1` makes a single worker that runs work in the order it was submitted (the
    database worker); without it, Qt's global pool (printing, files).
    """

    def __init__(self, parent: QObject | None = None, *, threads: int | None = None) -> None:
        super().__init__(parent)
        if threads is None:
            self._pool = QThreadPool.globalInstance()
        else:
            self._pool = QThreadPool(self)
            self._pool.setMaxThreadCount(threads)
            self._pool.setExpiryTimeout(-1)  # keep the worker: it holds no state, starts once
        self._running: set[_Relay] = set()

    def submit(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        relay = _Relay(self, on_done, on_error, self._running.discard)
        self._running.add(relay)
        self._pool.start(_Job(work, relay))

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until queued work is done (used at shutdown)."""
        return bool(self._pool.waitForDone(msecs))


class ImmediateExecutor:
    """Runs work at once on the calling thread: deterministic GUI tests."""

    def submit(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        try:
            result = work()
        except BaseException as exc:
            on_error(exc)
        else:
            on_done(result)
