"""A durable print queue: jobs are written to a spool directory before any attempt to print.

A job file is deleted only after the printer took the whole job, so nothing is lost when
the printer is off or the program dies; a job may print twice if the program dies between
sending it and deleting its file. Jobs left over from an earlier run are sent by the next
``flush``. The GUI calls ``submit`` from its own thread and ``flush`` from a worker thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from printing.atomic import TEMP_SUFFIX, fsync_directory, write_atomic
from printing.connections import PrinterConnection, PrinterUnavailable

JOB_SUFFIX = ".job"
BROKEN_SUFFIX = ".broken"
_MAGIC = b"FRONTDESK-PRINT-JOB 1\n"
_JOB_ID = re.compile(r"\A[0-9]{20}-[0-9a-f]{6}\Z")
_STALE_TEMP_SECONDS = 600
_log = logging.getLogger(__name__)

QueueState = Literal["idle", "waiting", "ready", "offline"]


@dataclass(frozen=True)
class PrintJob:
    """A job waiting in the spool directory; ``created_at`` is in UTC."""

    id: str
    label: str
    created_at: datetime


@dataclass(frozen=True)
class QueueStatus:
    """What the queue is doing, for a status bar.

    ``idle``: nothing to print yet; ``waiting``: jobs not tried yet; ``ready``: the last job
    printed and nothing waits; ``offline``: the printer failed, ``message`` says why.
    """

    state: QueueState
    message: str
    pending: int


def _jobs_phrase(count: int) -> str:
    return "1 job" if count == 1 else f"{count} jobs"


class PrintQueue:
    """Spools jobs to ``spool_dir`` and sends them, oldest first, through ``connect()``."""

    def __init__(self, spool_dir: Path, connect: Callable[[], PrinterConnection]) -> None:
        self._dir = spool_dir
        self._connect = connect
        self._lock = threading.Lock()  # guards the fields below; held only briefly
        self._flush_lock = threading.Lock()  # one flush at a time; held while printing
        self._listeners: list[Callable[[QueueStatus], None]] = []
        self._last_stamp = 0
        self._problem: str | None = None
        self._printed = False
        spool_dir.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temp_files()

    def submit(self, label: str, data: bytes) -> str:
        """Store a job durably and return its id; it is sent by the next ``flush``."""
        with self._lock:
            stamp = max(time.time_ns(), self._last_stamp + 1)
            self._last_stamp = stamp
        job_id = f"{stamp:020d}-{secrets.token_hex(3)}"
        header = {"label": label, "created_at": datetime.now(UTC).isoformat()}
        content = _MAGIC + json.dumps(header).encode("ascii") + b"\n" + bytes(data)
        write_atomic(self._path(job_id), content)
        self._notify()
        return job_id

    def flush(self) -> QueueStatus:
        """Send waiting jobs oldest first; stop at the first failure and keep the rest."""
        with self._flush_lock:
            connection: PrinterConnection | None = None
            done: set[str] = set()
            try:
                while (path := self._oldest_job(done)) is not None:
                    done.add(path.name)
                    data = self._read_data(path)
                    if data is None:
                        continue
                    if connection is None:
                        connection = self._connect()
                    connection.send(data)
                    path.unlink(missing_ok=True)
                    fsync_directory(self._dir)
            except PrinterUnavailable as exc:
                self._set_result(problem=str(exc), printed=False)
            else:
                if connection is not None:
                    self._set_result(problem=None, printed=True)
        return self._notify()

    def pending(self) -> list[PrintJob]:
        """Jobs waiting to print, oldest first."""
        jobs = []
        for path in self._job_paths():
            job = self._read_header(path)
            if job is not None:
                jobs.append(job)
        return jobs

    def discard(self, job_id: str) -> bool:
        """Drop a waiting job; returns False when there is no such job (any more)."""
        if not _JOB_ID.match(job_id):
            return False
        path = self._path(job_id)
        existed = path.exists()
        path.unlink(missing_ok=True)
        self._notify()
        return existed

    @property
    def status(self) -> QueueStatus:
        """The queue's state now."""
        count = len(self._job_paths())
        with self._lock:
            problem, printed = self._problem, self._printed
        if problem is not None:
            kept = f"; {_jobs_phrase(count)} will print when it is back" if count else ""
            return QueueStatus("offline", problem + kept, count)
        if count:
            return QueueStatus("waiting", f"{_jobs_phrase(count)} waiting to print", count)
        if printed:
            return QueueStatus("ready", "Printer ready", 0)
        return QueueStatus("idle", "Nothing to print", 0)

    def subscribe(self, callback: Callable[[QueueStatus], None]) -> Callable[[], None]:
        """Call ``callback(status)`` after every submit, flush and discard (from that thread).

        Returns a function that unsubscribes.
        """
        with self._lock:
            self._listeners.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return unsubscribe

    def _set_result(self, *, problem: str | None, printed: bool) -> None:
        with self._lock:
            self._problem = problem
            self._printed = printed

    def _notify(self) -> QueueStatus:
        status = self.status
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                _log.exception("A print queue listener failed")
        return status

    def _path(self, job_id: str) -> Path:
        return self._dir / f"{job_id}{JOB_SUFFIX}"

    def _job_paths(self) -> list[Path]:
        return sorted(
            path
            for path in self._dir.glob(f"*{JOB_SUFFIX}")
            if _JOB_ID.match(path.name.removesuffix(JOB_SUFFIX))
        )

    def _oldest_job(self, done: set[str]) -> Path | None:
        return next((path for path in self._job_paths() if path.name not in done), None)

    def _read_data(self, path: Path) -> bytes | None:
        """The job's printer bytes; None if it was discarded meanwhile or is unreadable."""
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        if not content.startswith(_MAGIC) or b"\n" not in content[len(_MAGIC) :]:
            self._set_aside(path)
            return None
        return content[len(_MAGIC) :].split(b"\n", 1)[1]

    def _read_header(self, path: Path) -> PrintJob | None:
        try:
            with path.open("rb") as file:
                magic, header = file.readline(), file.readline()
        except FileNotFoundError:
            return None
        try:
            if magic != _MAGIC:
                raise ValueError("not a print job")
            fields = json.loads(header)
            created_at = datetime.fromisoformat(fields["created_at"])
            return PrintJob(path.name.removesuffix(JOB_SUFFIX), str(fields["label"]), created_at)
        except (ValueError, KeyError, TypeError):
            self._set_aside(path)
            return None

    def _set_aside(self, path: Path) -> None:
        """Rename an unreadable job so it cannot block the queue, but keep it for a look."""
        _log.error("Print job %s is unreadable; renamed to %s%s", path, path.name, BROKEN_SUFFIX)
        with contextlib.suppress(FileNotFoundError):
            path.replace(path.with_name(path.name + BROKEN_SUFFIX))

    def _remove_stale_temp_files(self) -> None:
        """Half-written jobs from a crash were never acknowledged; remove them."""
        cutoff = time.time() - _STALE_TEMP_SECONDS
        for temp in self._dir.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
