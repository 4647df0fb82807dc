"""Appointments: a client, a therapist, a room and a service at a UTC time span."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime
from db.models.catalog import Service
from db.models.customers import Customer
from db.models.rooms import Room
from db.models.staff import Staff

#: The statuses the database accepts; the program's own list is the domain's AppointmentStatus,
#: and tests/db/test_models_match_domain.py keeps the two equal.
STATUSES = (
    "booked",
    "confirmed",
    "checked_in",
    "in_service",
    "completed",
    "cancelled",
    "no_show",
)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")",
            name="status_known",
        ),
        Index("ix_appointments_staff_start", "staff_id", "starts_at"),
        Index("ix_appointments_customer_start", "customer_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=STATUSES[0])
    price_minor: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Appointments booked together (services in sequence, or friends sharing the sauna).
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)
    #: A recurring series ("every 2 weeks until June") this occurrence belongs to.
    series_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_series.id"), index=True)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the client arrived, the service started and finished (the room board's clock).
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    #: Cancelled inside the shop's late-cancellation window (counted on the client's card).
    late_cancel: Mapped[bool] = mapped_column(Boolean, default=False)

    customer: Mapped[Customer] = relationship()
    staff: Mapped[Staff] = relationship()
    room: Mapped[Room | None] = relationship()
    service: Mapped[Service] = relationship()


class Booking(Base):
    """What was booked in one go: one client's services in sequence, or a group's."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: "single", "sequence" (one client, several services) or "group" (several clients).
    kind: Mapped[str] = mapped_column(String(16), default="single")


class AppointmentSeries(Base):
    """A recurring appointment: every N weeks, until a day or for a count."""

    __tablename__ = "appointment_series"
    __table_args__ = (CheckConstraint("every_weeks BETWEEN 1 AND 52", name="every_weeks_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    every_weeks: Mapped[int] = mapped_column(Integer)
    until_day: Mapped[date | None] = mapped_column(Date)
    occurrences: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppointmentResource(Base):
    """Equipment an appointment holds (a facial machine, a stone kit) for its held time."""

    __tablename__ = "appointment_resources"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)


#: A waitlist entry's states.
WAITLIST_STATES = ("waiting", "booked", "removed")


class WaitlistEntry(Base):
    """A client who wants a service within a window of days and hours, should a slot free up."""

    __tablename__ = "waitlist"
    __table_args__ = (
        CheckConstraint("first_day <= last_day", name="first_before_last"),
        CheckConstraint(
            "from_minute >= 0 AND to_minute <= 1440 AND from_minute < to_minute",
            name="minute_range",
        ),
        CheckConstraint("weekdays BETWEEN 0 AND 127", name="weekdays_mask"),
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in WAITLIST_STATES) + ")",
            name="state_known",
        ),
        Index("ix_waitlist_state_first_day", "state", "first_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    #: A wanted therapist; None for anyone qualified.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    #: Local minutes from midnight the client can start between.
    from_minute: Mapped[int] = mapped_column(Integer, default=0)
    to_minute: Mapped[int] = mapped_column(Integer, default=1440)
    #: Bit n set = weekday n (0 = Monday) suits; 0 means any day.
    weekdays: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The appointment that was booked from it.
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
