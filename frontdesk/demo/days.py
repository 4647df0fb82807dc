"""The demo's calendar: two years back from today and two weeks ahead, in naive UTC.

Opening hours never cross a DST change, so a minute of a working day is its local midnight
(as naive UTC, corrected by the day's noon offset) plus the minutes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HISTORY_DAYS = 730
FUTURE_DAYS = 14


def local_midnight_utc(day: date, zone: ZoneInfo) -> datetime:
    """Naive UTC instant of the day's local midnight; opening hours never cross a DST change,
    so a minute of the working day is this plus the minutes, corrected by the noon offset."""
    noon = datetime.combine(day, time(12), zone)
    offset = noon.utcoffset() or timedelta(0)
    return datetime.combine(day, time(0)) - offset


def history_bounds(today: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        local_midnight_utc(today - timedelta(days=HISTORY_DAYS), zone),
        local_midnight_utc(today, zone),
    )


def day_starts(today: date, zone: ZoneInfo) -> list[int]:
    """Each history day's local midnight, in seconds after the history's start."""
    origin = local_midnight_utc(today - timedelta(days=HISTORY_DAYS), zone)
    return [
        int((local_midnight_utc(today - timedelta(days=back), zone) - origin).total_seconds())
        for back in range(HISTORY_DAYS, 0, -1)
    ]


class Clock:
    """Naive UTC instants of one day's minutes, each made once."""

    def __init__(self, midnight: datetime) -> None:
        self._midnight = midnight
        self._at: dict[int, datetime] = {}

    def at(self, minute: int) -> datetime:
        instant = self._at.get(minute)
        if instant is None:
            instant = self._at[minute] = self._midnight + timedelta(minutes=minute)
        return instant
