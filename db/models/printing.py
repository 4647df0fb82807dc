"""Print jobs: a receipt to print, stored in the same transaction as its sale.

Only ids are stored; the bytes are rendered from the stored sale when the job prints, so a
job that was committed is never lost and a job never carries a stale drawer kick.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class PrintJobState(StrEnum):
    QUEUED = "queued"  # waiting for this station's printer
    SENDING = "sending"  # claimed by a printing process; bytes may be on their way
    PRINTED = "printed"  # the printer answered after taking the job
    SENT = "sent"  # handed to a one-way connection that cannot answer
    FAILED = "failed"  # needs a person: may not have printed (see last_error)


class PrintJobKind(StrEnum):
    RECEIPT = "receipt"
    REPRINT = "reprint"


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_station_state", "station", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=PrintJobKind.RECEIPT.value)
    station: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(20), default=PrintJobState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
