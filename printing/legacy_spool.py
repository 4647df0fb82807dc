"""Reading the print spool folder of FrontDesk 0.1, whose waiting receipts were files.

Since 0.2 a receipt's print job is a database row committed with its sale. Jobs an older
version left waiting are read here so the application can turn them into print jobs; their
bytes are not reused (a receipt is rendered again from the stored sale, and an old drawer kick
is never sent: a drawer opens at the sale or not at all).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

_MAGIC = b"FRONTDESK-PRINT-JOB 1\n"
_JOB_NAME = re.compile(r"\A[0-9]{20}-[0-9a-f]{6}\.job\Z")
_RECEIPT_LABEL = re.compile(r"\AReceipt (\S+)\Z")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LegacyJob:
    """One waiting job: its file, and the receipt number when it was a receipt."""

    path: Path
    receipt_number: str | None


def legacy_jobs(folder: Path) -> list[LegacyJob]:
    """The old spool's waiting jobs, oldest first; unreadable files are skipped (and logged)."""
    if not folder.is_dir():
        return []
    jobs = []
    for path in sorted(folder.iterdir()):
        if not _JOB_NAME.match(path.name):
            continue
        try:
            with path.open("rb") as file:
                magic, header = file.readline(), file.readline()
            label = str(json.loads(header)["label"]) if magic == _MAGIC else None
        except (OSError, ValueError, KeyError, TypeError):
            label = None
        if label is None:
            _log.warning("An old print job file %s cannot be read; it is left as it is", path)
            continue
        match = _RECEIPT_LABEL.match(label)
        jobs.append(LegacyJob(path, match.group(1) if match else None))
    return jobs


def set_aside(job: LegacyJob) -> None:
    """Rename a handled job so it is never read again (kept for a look, not deleted)."""
    with contextlib.suppress(FileNotFoundError):
        job.path.replace(job.path.with_name(job.path.name + ".done"))
