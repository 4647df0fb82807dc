"""Staff members, their sign-in PIN state and their working hours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(
            "role IN ('owner', 'manager', 'receptionist', 'therapist')", name="role_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    color: Mapped[str] = mapped_column(String(9), default="#5b8def")

    hours: Mapped[list[WorkingHours]] = relationship(
        back_populates="staff", cascade="all, delete-orphan"
    )


class WorkingHours(Base):
    """One working span on a weekday (0 = Monday), in minutes from local midnight."""

    __tablename__ = "working_hours"
    __table_args__ = (
        UniqueConstraint("staff_id", "weekday", "start_minute"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440", name="minute_range"),
        CheckConstraint("start_minute < end_minute", name="start_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)

    staff: Mapped[Staff] = relationship(back_populates="hours")
