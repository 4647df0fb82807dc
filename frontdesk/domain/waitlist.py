"""The waitlist's rules: a window of days, hours and weekdays a client can come in.

Weekdays are 0 (Monday) to 6 (Sunday); stored as a bitmask, 0 meaning any day. Minutes are local
minutes from midnight that a start may fall between (from inclusive, to exclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.text import clean_line

MINUTES_PER_DAY = 24 * 60
NOTE_MAX_CHARS = 200


def weekday_mask(weekdays: Iterable[int]) -> int:
    """The bitmask of `weekdays` (0 = Monday); 0 for none, which means any day."""
    mask = 0
    for day in weekdays:
        mask |= 1 << day
    return mask


def weekdays_of(mask: int) -> frozenset[int]:
    """The weekdays a bitmask names (empty: any day)."""
    return frozenset(day for day in range(7) if mask & (1 << day))


@dataclass(frozen=True)
class Window:
    """When a waiting client can come: days first..last, starts from..to (local minutes), on
    these weekdays (empty: any)."""

    first_day: date
    last_day: date
    from_minute: int = 0
    to_minute: int = MINUTES_PER_DAY
    weekdays: frozenset[int] = frozenset()

    def suits(self, starts: datetime) -> bool:
        """Whether an appointment starting at `starts` (local wall-clock time) is in the window."""
        day = starts.date()
        minute = starts.hour * 60 + starts.minute
        return (
            self.first_day <= day <= self.last_day
            and self.from_minute <= minute < self.to_minute
            and (not self.weekdays or day.weekday() in self.weekdays)
        )

    def open_on(self, today: date) -> bool:
        """Whether the window has not yet passed (an expired entry drops out by itself)."""
        return self.last_day >= today


def check_window(window: Window, today: date, note: str = "") -> str:
    """The note as stored; FormErrors naming every bad field at once."""
    errors: dict[str, ValidationError] = {}
    if window.last_day < window.first_day:
        errors["waitlist_last_day"] = ValidationError(
            "waitlist_last_day", "The last day is before the first day."
        )
    elif window.last_day < today:
        errors["waitlist_last_day"] = ValidationError(
            "waitlist_last_day", "The last day has already passed."
        )
    if not (0 <= window.from_minute < window.to_minute <= MINUTES_PER_DAY):
        errors["waitlist_to"] = ValidationError(
            "waitlist_to", "The latest start must be after the earliest start."
        )
    if any(not 0 <= day <= 6 for day in window.weekdays):
        errors["waitlist_days"] = ValidationError(
            "waitlist_days", "Choose days from Monday to Sunday."
        )
    cleaned = ""
    try:
        cleaned = clean_line(note, "waitlist_note", "The note", NOTE_MAX_CHARS)
    except ValidationError as bad:
        errors["waitlist_note"] = bad
    if errors:
        raise FormErrors(errors)
    return cleaned
