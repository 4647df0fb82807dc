"""Adding a print job inside the caller's transaction, so the job commits with what it prints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models import PrintJob, PrintJobKind, PrintJobState


def add_print_job(
    session: Session, *, sale_id: int, kind: PrintJobKind, station: str, now: datetime
) -> int:
    """Queue the receipt of `sale_id` (or a COPY of it) for `station`'s printer; the job id."""
    job = PrintJob(
        sale_id=sale_id,
        kind=kind.value,
        station=station,
        state=PrintJobState.QUEUED.value,
        attempts=0,
        created_at=now,
    )
    session.add(job)
    session.flush()
    return job.id
