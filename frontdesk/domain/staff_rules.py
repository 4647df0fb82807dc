"""A staff member's week and terms: working spans, breaks, absences and commissions.

Times are minutes from local midnight on a weekday (0 = Monday), 00:00-24:00. Spans that touch
(09:00-13:00, 13:00-18:00) are allowed; spans that overlap are refused. A break lies wholly inside
one working span of its day. Errors name the form field they belong beside: `hours_<weekday>`,
`breaks_<weekday>`, `absence_last`, `commission_<category id>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from frontdesk.domain.day_spans import read_spans, write_spans
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.money import MAX_RATE_BP
from frontdesk.domain.pins import validate_pin

MINUTES_PER_DAY = 24 * 60
WEEKDAYS = range(7)
#: Why someone is away (same names as db.models.staff.ABSENCE_KINDS).
ABSENCE_KINDS = ("day_off", "holiday", "sick", "training", "other")
#: A calendar colour: #rrggbb.
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
MAX_ABSENCE_NOTE = 120  # db/models/staff.py
MAX_ABSENCE_DAYS = 366

#: One span on a weekday: (weekday, start minute, end minute).
WeekSpan = tuple[int, int, int]


def hours_field(weekday: int) -> str:
    """The form field a weekday's working hours are typed in."""
    return f"hours_{weekday}"


def breaks_field(weekday: int) -> str:
    """The form field a weekday's breaks are typed in."""
    return f"breaks_{weekday}"


def commission_field(category_id: int) -> str:
    """The form field (a table row) of one category's commission."""
    return f"commission_{category_id}"


def parse_spans(text: str, field: str) -> tuple[tuple[int, int], ...]:
    """Spans typed as "09:00-13:00, 14:00-18:00" (or "9-13; 14-18") as (start, end) minutes,
    in order; an empty text is no span. ValidationError at `field` for anything else."""
    spans = read_spans(
        text,
        field,
        not_a_span=words("Write times as 09:00-13:00, 14:00-18:00."),
        outside_day=words("Times are between 00:00 and 24:00."),
    )
    for start, end in spans:
        if end <= start:
            raise ValidationError(field, "An end time must be after its start time.")
    return tuple(sorted(spans))


def format_spans(spans: Iterable[tuple[int, int]]) -> str:
    """Spans as parse_spans reads them: "09:00-13:00, 14:00-18:00"."""
    return write_spans(spans)


def check_week(hours: Iterable[WeekSpan], breaks: Iterable[WeekSpan]) -> None:
    """FormErrors naming every weekday whose hours overlap or whose breaks are not inside its
    hours (or overlap each other); nothing when the week is sound."""
    errors: dict[str, DomainError] = {}
    hours_by_day = _checked_days(hours, hours_field, errors)
    breaks_by_day = _checked_days(breaks, breaks_field, errors)
    for day in WEEKDAYS:
        field = hours_field(day)
        ordered = hours_by_day.get(day, [])
        if field not in errors and _overlap(ordered):
            errors[field] = ValidationError(field, "Two working spans on this day overlap.")
        field = breaks_field(day)
        day_breaks = breaks_by_day.get(day, [])
        if field in errors or not day_breaks:
            continue
        if _overlap(day_breaks):
            errors[field] = ValidationError(field, "Two breaks on this day overlap.")
        elif not ordered:
            errors[field] = ValidationError(field, "A break needs working hours on its day.")
        elif not all(any(w[1] <= b[1] and b[2] <= w[2] for w in ordered) for b in day_breaks):
            errors[field] = ValidationError(field, "A break must lie inside the working hours.")
    if errors:
        raise FormErrors(errors)


def _checked_days(
    spans: Iterable[WeekSpan], field_of: Callable[[int], str], errors: dict[str, DomainError]
) -> dict[int, list[WeekSpan]]:
    days: dict[int, list[WeekSpan]] = {}
    for span in spans:
        weekday, start, end = span
        if weekday not in WEEKDAYS:
            errors.setdefault("hours", ValidationError("hours", "Choose a day of the week."))
            continue
        field = field_of(weekday)
        if not (0 <= start <= MINUTES_PER_DAY and 0 <= end <= MINUTES_PER_DAY):
            errors.setdefault(field, ValidationError(field, "Times are between 00:00 and 24:00."))
        elif end <= start:
            errors.setdefault(
                field, ValidationError(field, "An end time must be after its start time.")
            )
        days.setdefault(weekday, []).append(span)
    for day_spans in days.values():
        day_spans.sort()
    return days


def _overlap(ordered: list[WeekSpan]) -> bool:
    return any(after[1] < before[2] for before, after in pairwise(ordered))


def check_color(color: str) -> str:
    """A calendar colour as stored (#rrggbb, lower case)."""
    if not COLOR_PATTERN.fullmatch(color):
        raise ValidationError("color", "Choose a colour.")
    return color.lower()


def check_commissions(commissions: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Commission rates by category; FormErrors naming each rate below 0 or over 100 %."""
    errors: dict[str, DomainError] = {}
    rates: dict[int, int] = {}
    for category_id, rate_bp in commissions:
        field = commission_field(category_id)
        if rate_bp < 0:
            errors[field] = ValidationError(field, "A commission cannot be negative.")
        elif rate_bp > MAX_RATE_BP:
            errors[field] = ValidationError(field, "A commission cannot be over 100 %.")
        rates[category_id] = rate_bp
    if errors:
        raise FormErrors(errors)
    return rates


@dataclass(frozen=True)
class AbsenceDraft:
    """Days away from the weekly pattern, both ends included."""

    first_day: date
    last_day: date
    kind: str = "day_off"
    note: str = ""


def check_absence(absence: AbsenceDraft) -> None:
    """ValidationError when the days run backwards, span over a year, or the kind is unknown."""
    if absence.kind not in ABSENCE_KINDS:
        raise ValidationError("absence_kind", "Choose why they are away.")
    if absence.last_day < absence.first_day:
        raise ValidationError("absence_last", "The last day cannot be before the first day.")
    if (absence.last_day - absence.first_day).days >= MAX_ABSENCE_DAYS:
        raise ValidationError("absence_last", "An absence is at most a year long.")


def check_new_pin(pin: str, pin_again: str) -> str:
    """A new PIN typed twice: FormErrors at `pin` (not 4-8 digits) or `pin_again` (differs)."""
    try:
        validate_pin(pin)
    except ValidationError as exc:
        raise FormErrors({"pin": exc}) from None
    if pin != pin_again:
        raise FormErrors(
            {"pin_again": ValidationError("pin_again", "The two PINs are not the same.")}
        )
    return pin
