"""Appointments: a client, a therapist, a room and a service at a UTC time span."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime
from db.models.catalog import Service
from db.models.customers import Customer
from db.models.rooms import Room
from db.models.staff import Staff

#: The statuses the database accepts; the program's own list is the domain's AppointmentStatus,
#: and tests/db/test_models_match_domain.py keeps the two equal.
STATUSES = ("booked", "checked_in", "completed", "cancelled", "no_show")


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

    customer: Mapped[Customer] = relationship()
    staff: Mapped[Staff] = relationship()
    room: Mapped[Room | None] = relationship()
    service: Mapped[Service] = relationship()
