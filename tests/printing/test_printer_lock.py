"""One printer owner per station: the lock is exclusive, owner-only and dies with its process."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from printing.printer_lock import PrinterLock


def test_only_one_holder_at_a_time(tmp_path: Path) -> None:
    first = PrinterLock(tmp_path / "spool" / "printer.lock")
    second = PrinterLock(tmp_path / "spool" / "printer.lock")

    assert first.try_acquire()
    assert first.try_acquire()  # holding it already
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    assert second.held


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_lock_folder_and_file_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "spool"
    folder.mkdir(mode=0o755)
    lock = PrinterLock(folder / "printer.lock")

    assert lock.try_acquire()

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "printer.lock").stat().st_mode) == 0o600


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "printer.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from printing.printer_lock import PrinterLock;"
            f"assert PrinterLock(Path({str(path)!r})).try_acquire(); print('held', flush=True);"
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == b"held\n"
    lock = PrinterLock(path)
    assert not lock.try_acquire()

    holder.kill()  # kill -9: no clean-up runs
    holder.wait()
    holder.stdout.close()
    assert holder.stdin is not None
    holder.stdin.close()

    assert lock.try_acquire()
