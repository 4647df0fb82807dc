"""Appointment statuses: spelled once, here (the database's CHECK constraint is tested against
this list).

booked -> confirmed -> checked_in (arrived) -> in_service -> completed; or cancelled / no_show.
"""

from __future__ import annotations

from enum import StrEnum


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"  # the client has arrived
    IN_SERVICE = "in_service"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def payable(self) -> bool:
        """Whether checkout may take payment for it (a cancelled or missed one may not)."""
        return self not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)

    @property
    def holds_time(self) -> bool:
        """Whether it still holds its therapist, client, room and equipment: not finished,
        cancelled or missed. Only these are in the way of another booking."""
        return self in LIVE_STATUSES


#: The statuses that hold their time (the booking rules check only these).
LIVE_STATUSES: frozenset[AppointmentStatus] = frozenset(
    {
        AppointmentStatus.BOOKED,
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.IN_SERVICE,
    }
)
#: The same, as the database stores them (for `IN (...)` queries), in a stable order.
LIVE_STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in AppointmentStatus if s.holds_time)
