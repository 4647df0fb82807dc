"""Appointment statuses: spelled once, here (the database's CHECK constraint is tested against
this list).

booked -> confirmed -> checked_in (arrived) -> in_service -> completed; or cancelled / no_show.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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


# -- how an appointment moves from status to status -----------------------------------------
#
# The table below is the only place that says which status may follow which. Decisions:
# - A walk-in who never confirmed may arrive straight from "booked".
# - An arrived client may still cancel (they leave, or the therapist fell ill): the appointment
#   is cancelled with a reason like any other; "no-show" is only for clients who never came.
# - "Finish" (in service -> completed) stamps the finish time and frees the therapist and room;
#   a completed visit stays payable until checkout takes its payment (checkout looks only at
#   `payable` and the sale lines). Checkout itself may complete any payable appointment:
#   payment proves the visit took place, so a busy desk need not click through every step.
# - Completed, cancelled and no-show are final: a mistake is corrected by booking again.
_NEXT: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    AppointmentStatus.BOOKED: frozenset(
        {
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.CHECKED_IN,
            AppointmentStatus.CANCELLED,
            AppointmentStatus.NO_SHOW,
        }
    ),
    AppointmentStatus.CONFIRMED: frozenset(
        {AppointmentStatus.CHECKED_IN, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW}
    ),
    AppointmentStatus.CHECKED_IN: frozenset(
        {AppointmentStatus.IN_SERVICE, AppointmentStatus.CANCELLED}
    ),
    AppointmentStatus.IN_SERVICE: frozenset({AppointmentStatus.COMPLETED}),
    AppointmentStatus.COMPLETED: frozenset(),
    AppointmentStatus.CANCELLED: frozenset(),
    AppointmentStatus.NO_SHOW: frozenset(),
}


def allowed_next(status: AppointmentStatus) -> frozenset[AppointmentStatus]:
    """The statuses an appointment in `status` may move to (empty: it is final)."""
    return _NEXT[status]


def can_become(current: AppointmentStatus, wanted: AppointmentStatus) -> bool:
    """Whether `current` may move to `wanted` by the table above."""
    return wanted in _NEXT[current]


def is_late_cancellation(starts_at: datetime, cancelled_at: datetime, window_hours: int) -> bool:
    """Whether a cancellation at `cancelled_at` of an appointment starting at `starts_at` is
    late: `window_hours` or fewer real hours before the start, or after it. Elapsed time, not
    wall-clock time: across a daylight-saving change "24 hours" is still 24 hours, so a client
    who cancels at the same clock time the day before may be one hour inside or outside it.
    A window of 0 hours means the shop keeps no such rule: nothing is late."""
    if window_hours <= 0:
        return False
    if starts_at.tzinfo is None or cancelled_at.tzinfo is None:
        raise ValueError("late-cancellation times must be aware")
    # In UTC: two datetimes in the same zone subtract by their wall clocks in Python.
    return starts_at.astimezone(UTC) - cancelled_at.astimezone(UTC) <= timedelta(hours=window_hours)
