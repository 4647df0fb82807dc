"""Staff members, their sign-in PIN state, working hours, breaks, absences, the services each
may do and the commission each earns."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime

#: Why someone is away: the back office offers these.
ABSENCE_KINDS = ("day_off", "holiday", "sick", "training", "other")


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
    #: argon2id hash of the PIN; "" while none is set (such a person cannot sign in).
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


class StaffBreak(Base):
    """A weekly break (lunch) inside a working day, in minutes from local midnight."""

    __tablename__ = "staff_breaks"
    __table_args__ = (
        UniqueConstraint("staff_id", "weekday", "start_minute"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440", name="minute_range"),
        CheckConstraint("start_minute < end_minute", name="start_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)


class StaffAbsence(Base):
    """Days away from the weekly pattern: a day off, a holiday, a sick day (both ends kept)."""

    __tablename__ = "staff_absences"
    __table_args__ = (
        CheckConstraint("first_day <= last_day", name="first_before_last"),
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in ABSENCE_KINDS) + ")", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(120), default="")


class StaffService(Base):
    """A service this person is qualified to do."""

    __tablename__ = "staff_services"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class StaffCommission(Base):
    """Commission on one service category, in basis points of the net price."""

    __tablename__ = "staff_commissions"
    __table_args__ = (CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_range"),)

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("service_categories.id", ondelete="CASCADE"), primary_key=True
    )
    rate_bp: Mapped[int] = mapped_column(Integer)
