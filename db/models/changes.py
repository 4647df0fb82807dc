"""The change log: what each committed action changed, so other terminals can follow.

One row per committed unit of work that changed something: which terminal (program instance)
wrote it and a small JSON payload of change kinds and ids. Never names, phones or notes: only
kinds and numeric ids. Other terminals on the same SQLite file read the rows they have not seen
when `PRAGMA data_version` moves; old rows are pruned as new ones are written. (PostgreSQL
terminals are told by LISTEN/NOTIFY instead and do not write here.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class ChangeLogEntry(Base):
    __tablename__ = "change_log"
    # AUTOINCREMENT: ids are never reused after a prune, so "rows after the last one I saw" holds.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    terminal: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[str] = mapped_column(Text)
