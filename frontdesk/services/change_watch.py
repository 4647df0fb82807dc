"""Hearing what other terminals commit, within a second, with no restart.

SQLite: `PRAGMA data_version` on a connection of our own moves whenever another connection (a
terminal on the same file, or our own pool) commits; only then are the change-log rows after the
last one seen read, and those written by other terminals are announced. PostgreSQL: the other
terminals' NOTIFY payloads arrive on a LISTEN connection. Either way the changes reach the same
subscribers as this terminal's own commits (`UnitOfWork.announce`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import func, select

from db.models import ChangeLogEntry
from frontdesk.services.changes import Changes
from frontdesk.services.unit_of_work import NOTIFY_CHANNEL, UnitOfWork

log = logging.getLogger(__name__)

#: How often SQLite's data_version is read: a cheap pragma, no table is touched.
POLL_SECONDS = 0.5


class ChangeWatcher:
    """A daemon thread announcing other terminals' changes (see the module doc)."""

    def __init__(self, uow: UnitOfWork, *, interval: float = POLL_SECONDS) -> None:
        self._uow = uow
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._postgres = uow.engine.dialect.name == "postgresql"
        self._connection: Any = None
        self._data_version: int | None = None
        self._last_id = 0

    def start(self) -> None:
        """Open the watching connection and start listening (changes from now on)."""
        if self._thread is not None:
            return
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._loop, args=(ready, failure), name="change-watch", daemon=True
        )
        self._thread.start()
        ready.wait()
        if failure:
            self._thread = None
            raise failure[0]

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _open(self) -> None:
        raw = self._uow.engine.raw_connection()
        connection: Any = raw.driver_connection
        raw.detach()  # ours for good: not returned to the pool, not shared with a session
        if self._postgres:
            connection.autocommit = True
            connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        else:
            self._data_version = self._read_data_version(connection)
            with self._uow.read() as session:
                self._last_id = int(session.scalar(select(func.max(ChangeLogEntry.id))) or 0)
        self._connection = connection

    def _loop(self, ready: threading.Event, failure: list[BaseException]) -> None:
        # Opened on this thread: a SQLite connection belongs to the thread that made it.
        try:
            self._open()
        except BaseException as exc:
            failure.append(exc)
            return
        finally:
            ready.set()
        while not self._stop.is_set():
            try:
                if self._postgres:
                    self._listen_once()
                else:
                    self.poll_once()
                    self._stop.wait(self._interval)
            except Exception as exc:  # the database went away for a moment: try again later
                log.warning("Change watch failed (%s); retrying", type(exc).__name__)
                self._stop.wait(5)
        try:
            self._connection.close()
        except Exception:  # closing a dead connection: nothing left to do
            log.debug("Change watch connection was already gone")

    def poll_once(self) -> int:
        """SQLite: announce other terminals' changes committed since the last poll."""
        version = self._read_data_version(self._connection)
        if version == self._data_version:
            return 0
        self._data_version = version
        cursor = self._connection.execute(
            "SELECT id, terminal, payload FROM change_log WHERE id > ? ORDER BY id",
            (self._last_id,),
        )
        rows = cursor.fetchall()
        cursor.close()
        announced = 0
        for entry_id, terminal, payload in rows:
            self._last_id = max(self._last_id, int(entry_id))
            if terminal != self._uow.terminal:
                self._uow.announce(Changes.from_json(payload, terminal=terminal))
                announced += 1
        return announced

    def _listen_once(self) -> None:
        for notice in self._connection.notifies(timeout=self._interval, stop_after=50):
            terminal, _, payload = str(notice.payload).partition(" ")
            if terminal != self._uow.terminal and payload:
                self._uow.announce(Changes.from_json(payload, terminal=terminal))

    @staticmethod
    def _read_data_version(connection: Any) -> int:
        cursor = connection.execute("PRAGMA data_version")
        (version,) = cursor.fetchone()
        cursor.close()
        return int(version)


class ChangeFeed:
    """What the window needs of the change machinery: hear every change (this terminal's and
    the others'), act as the signed-in person, and watch the other terminals."""

    def __init__(self, uow: UnitOfWork, *, interval: float = POLL_SECONDS) -> None:
        self._uow = uow
        self._interval = interval
        self._watcher: ChangeWatcher | None = None

    def subscribe(self, listener: Callable[[Changes], None]) -> Callable[[], None]:
        return self._uow.subscribe(listener)

    def acting(self, staff_id: int | None) -> AbstractContextManager[None]:
        return self._uow.acting(staff_id)

    def start_watching(self) -> bool:
        """Follow the other terminals; False (and one warning in the log) when the database
        will not let us: this terminal then works on, seeing others' changes on refresh."""
        if self._watcher is None:
            watcher = ChangeWatcher(self._uow, interval=self._interval)
            try:
                watcher.start()
            except Exception as exc:
                log.warning("Other terminals' changes cannot be followed (%s)", type(exc).__name__)
                return False
            self._watcher = watcher
        return True

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
