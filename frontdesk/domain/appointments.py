"""Appointment statuses: spelled once, here (the database's CHECK constraint is tested against
this list)."""

from __future__ import annotations

from enum import StrEnum


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def payable(self) -> bool:
        """Whether checkout may take payment for it (a cancelled or missed one may not)."""
        return self not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)
