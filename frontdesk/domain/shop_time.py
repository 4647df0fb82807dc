"""Times are stored in UTC and shown in the shop's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frontdesk.domain.errors import ValidationError


def shop_zone(name: str) -> ZoneInfo:
    """The shop's zone by IANA name; a clear error for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("timezone", "“{name}” is not a time zone name.", name=name) from None


def day_bounds_utc(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where the shop's local `day` starts and ends (DST-aware)."""
    start = datetime.combine(day, time.min, zone)
    end = datetime.combine(day + timedelta(days=1), time.min, zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    """A stored UTC instant in the shop's zone."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone)


def local_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the shop's zone as a UTC instant."""
    aware = local.replace(tzinfo=zone) if local.tzinfo is None else local
    return aware.astimezone(UTC)


def wall_time_exists(moment: datetime) -> bool:
    """Whether an aware wall-clock time happens in its zone: False inside the hour a spring
    daylight-saving change skips (01:30 on 2026-03-29 in London). Naive times always do."""
    if moment.tzinfo is None:
        return True
    again = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return again.replace(tzinfo=None, fold=0) == moment.replace(tzinfo=None, fold=0)


def check_wall_time(moment: datetime, field: str = "starts") -> None:
    """ValidationError at `field` for a local time that does not exist (the clocks go forward
    over it), rather than booking it an hour away from what the desk chose. A time that happens
    twice (the autumn change) is taken as given: `fold` 0, the first, unless set to 1."""
    if not wall_time_exists(moment):
        raise ValidationError(
            field,
            "That time does not exist on that day: the clocks go forward then. "
            "Choose another time.",
        )


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals [start, end) overlap."""
    return a_start < b_end and b_start < a_end
