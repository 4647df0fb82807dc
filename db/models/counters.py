"""Named gap-free counters (receipt numbers), advanced inside the sale's transaction."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


RECEIPT_COUNTER = "receipt"


def format_receipt_number(value: int) -> str:
    """Receipt numbers as printed: 'R-000123'."""
    return f"R-{value:06d}"
