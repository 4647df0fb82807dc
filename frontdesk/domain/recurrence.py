"""Recurring appointments: the times of "every N weeks, until a day or N times in all".

Occurrences keep the shop's local wall-clock time: an appointment at 10:00 stays at 10:00 after
the clocks change (its UTC instant moves by an hour). The first occurrence is the appointment the
series starts from; a count includes it. A wall-clock time that does not exist on a day (it falls
in the hour skipped in spring) is moved forward by the gap, as the clocks are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from frontdesk.domain.errors import FormErrors, ValidationError

#: At most this many appointments in one series (two years of weekly visits).
MAX_OCCURRENCES = 104
MAX_EVERY_WEEKS = 52


@dataclass(frozen=True)
class Recurrence:
    """Every `every_weeks` weeks, until `until` (inclusive) or `count` times in all."""

    every_weeks: int
    until: date | None = None
    count: int | None = None


def check_recurrence(rule: Recurrence, first_day: date) -> None:
    """FormErrors naming every bad field at once (every_weeks, until, count)."""
    errors: dict[str, ValidationError] = {}
    if not 1 <= rule.every_weeks <= MAX_EVERY_WEEKS:
        errors["every_weeks"] = ValidationError(
            "every_weeks", "Repeat every 1 to {most} weeks.", most=MAX_EVERY_WEEKS
        )
    if rule.until is None and rule.count is None:
        errors["repeat_until"] = ValidationError(
            "repeat_until", "Give a last day or a number of times."
        )
    elif rule.until is not None and rule.count is not None:
        errors["repeat_count"] = ValidationError(
            "repeat_count", "Give a last day or a number of times, not both."
        )
    elif rule.count is not None and not 2 <= rule.count <= MAX_OCCURRENCES:
        errors["repeat_count"] = ValidationError(
            "repeat_count", "The number of times is from 2 to {most}.", most=MAX_OCCURRENCES
        )
    elif rule.until is not None:
        every = rule.every_weeks if "every_weeks" not in errors else 1
        if rule.until < first_day + timedelta(weeks=every):
            errors["repeat_until"] = ValidationError(
                "repeat_until", "The last day comes before the second appointment."
            )
        elif "every_weeks" not in errors:
            weeks = (rule.until - first_day).days // 7
            if weeks // rule.every_weeks + 1 > MAX_OCCURRENCES:
                errors["repeat_until"] = ValidationError(
                    "repeat_until",
                    "That is more than {most} appointments: choose an earlier last day.",
                    most=MAX_OCCURRENCES,
                )
    if errors:
        raise FormErrors(errors)


def wall_clock_shift(first: datetime, weeks: int) -> datetime:
    """`first` moved by `weeks` weeks of the calendar, keeping its local wall-clock time in its
    own zone (an aware datetime); a skipped local time moves forward with the clocks."""
    if first.tzinfo is None:
        return first + timedelta(weeks=weeks)
    local = first.replace(tzinfo=None) + timedelta(weeks=weeks)
    aware = local.replace(tzinfo=first.tzinfo, fold=0)
    # A round trip through UTC normalises a time the clocks skipped (01:30 on a spring-forward
    # night becomes 02:30).
    return aware.astimezone(UTC).astimezone(first.tzinfo)


def occurrences(first: datetime, rule: Recurrence) -> tuple[datetime, ...]:
    """Every start of the series, `first` included, in `first`'s zone; FormErrors for a rule
    that cannot be kept."""
    check_recurrence(rule, first.date())
    starts: list[datetime] = []
    index = 0
    while len(starts) < MAX_OCCURRENCES:
        start = wall_clock_shift(first, index * rule.every_weeks)
        if rule.count is not None and index >= rule.count:
            break
        if rule.until is not None and start.date() > rule.until:
            break
        starts.append(start)
        index += 1
    return tuple(starts)
