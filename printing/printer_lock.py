"""One printer owner per station: an OS lock on a file that dies with its process.

``fcntl.flock`` (``msvcrt.locking`` on Windows) is released by the kernel when the process
ends, however it ends, so a crash never leaves a stale lock behind and a second FrontDesk on
the same computer can tell that the first one is still printing.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class PrinterLock:
    """A non-blocking, crash-proof lock on ``path`` (its folder is created owner-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._guard = threading.Lock()

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this object holds it afterwards."""
        with self._guard:
            if self._fd is not None:
                return True
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.name == "posix":
                self.path.parent.chmod(0o700)  # the program's own folder: owner only
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if not _try_lock(fd):
                os.close(fd)
                return False
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            self._fd = fd
            return True

    def release(self) -> None:
        """Give the lock up (the process ending does the same)."""
        with self._guard:
            if self._fd is None:
                return
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            finally:
                os.close(fd)
