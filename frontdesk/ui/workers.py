"""Running slow work off the GUI thread, with results delivered back on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Executor(Protocol):
    def submit(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None: ...


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from a worker arrive queued on it."""

    finished = Signal(object, object)  # result, error


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
    """Runs work on Qt's thread pool; `on_done` / `on_error` run on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool.globalInstance()
        self._running: set[_Relay] = set()

    def submit(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        relay = _Relay(self)
        self._running.add(relay)

        def finish(result: Any, error: BaseException | None) -> None:
            self._running.discard(relay)
            relay.deleteLater()
            if error is None:
                on_done(result)
            else:
                on_error(error)

        relay.finished.connect(finish)
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
