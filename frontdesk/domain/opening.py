"""Opening hours and cash rounding: the shop's own rules, pure and tested on their own.

Opening hours are spans of minutes from local midnight on a weekday (0 = Monday), 00:00-24:00; a
weekday with no span is closed. Rounding turns a total into a multiple of the shop's step (cash
to the nearest 0.05, say) by one of four modes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from frontdesk.domain.day_spans import read_spans, write_spans
from frontdesk.domain.errors import ValidationError, words
from frontdesk.domain.money import minor_digits

MINUTES_PER_DAY = 24 * 60
WEEKDAYS = range(7)

#: How a total is rounded to the step (same names as db.models.shop.ROUNDING_MODES).
ROUNDING_MODES = ("half_up", "half_even", "down", "up")
#: The rounding steps a shop may choose, in units of its currency ("0" = no rounding).
ROUNDING_STEPS = ("0", "0.05", "0.10", "0.50", "1", "5", "10")


@dataclass(frozen=True, order=True)
class Span:
    """One opening span on a weekday, in minutes from local midnight."""

    weekday: int
    open_minute: int
    close_minute: int

    @property
    def minutes(self) -> int:
        return self.close_minute - self.open_minute


def hours_field(weekday: int) -> str:
    """The form field a weekday's hours are shown in (errors go beside it)."""
    return f"hours_{weekday}"


def check_span(span: Span) -> None:
    """ValidationError beside the weekday's hours when the span is out of bounds or backwards."""
    field = hours_field(span.weekday) if span.weekday in WEEKDAYS else "hours"
    if span.weekday not in WEEKDAYS:
        raise ValidationError(field, "Choose a day of the week.")
    if (
        not 0 <= span.open_minute <= MINUTES_PER_DAY
        or not 0 <= span.close_minute <= MINUTES_PER_DAY
    ):
        raise ValidationError(field, "Opening times are between 00:00 and 24:00.")
    if span.close_minute <= span.open_minute:
        raise ValidationError(field, "A closing time must be after its opening time.")


OVERLAP = words("Two opening spans on this day overlap.")


def check_hours(spans: Iterable[Span | tuple[int, int, int]]) -> dict[int, tuple[Span, ...]]:
    """The spans by weekday, each day in order; ValidationError at the first bad span or overlap.

    Spans that merely touch (09:00-12:00, 12:00-18:00) are allowed; ones that overlap are not.
    """
    days: dict[int, list[Span]] = {day: [] for day in WEEKDAYS}
    for raw in spans:
        span = raw if isinstance(raw, Span) else Span(*raw)
        check_span(span)
        days[span.weekday].append(span)
    result: dict[int, tuple[Span, ...]] = {}
    for day, day_spans in days.items():
        ordered = sorted(day_spans)
        for before, after in pairwise(ordered):
            if after.open_minute < before.close_minute:
                raise ValidationError(hours_field(day), OVERLAP)
        result[day] = tuple(ordered)
    return result


def longest_opening(spans: Iterable[Span | tuple[int, int, int]]) -> int:
    """The longest time in minutes the shop is open without a break, on any weekday (0 when it
    never opens): no service can be longer. Spans that touch or overlap count as one."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        weekday, start, end = (
            (span.weekday, span.open_minute, span.close_minute) if isinstance(span, Span) else span
        )
        by_day.setdefault(weekday, []).append((start, end))
    longest = 0
    for day_spans in by_day.values():
        run_start, run_end = -1, -1
        for start, end in sorted(day_spans):
            if start <= run_end:
                run_end = max(run_end, end)
            else:
                run_start, run_end = start, end
            longest = max(longest, run_end - run_start)
    return longest


def step_minor(step: str, currency: str) -> int:
    """A rounding step ("0.05" units) in the currency's minor units; 1 for "0" (no rounding).

    ValidationError when the step is not one of ROUNDING_STEPS or is finer than the currency's
    smallest unit (0.05 yen).
    """
    if step not in ROUNDING_STEPS:
        raise ValidationError("rounding_step", "Choose a rounding step from the list.")
    if step == "0":
        return 1
    minor = Decimal(step).scaleb(minor_digits(currency))
    if minor != minor.to_integral_value():
        raise ValidationError(
            "rounding_step", "This currency has no coins that small: choose a larger step."
        )
    return int(minor)


def step_label(step_minor_units: int, currency: str) -> str:
    """The ROUNDING_STEPS entry for a step in minor units ("0" for 1, i.e. no rounding)."""
    if step_minor_units <= 1:
        return "0"
    for step in ROUNDING_STEPS[1:]:
        if Decimal(step).scaleb(minor_digits(currency)) == step_minor_units:
            return step
    return "0"


@dataclass(frozen=True)
class RoundingRule:
    """How the shop rounds what is paid: to a multiple of `step_minor` by `mode`, in cash only
    or for every payment. The default rounds nothing."""

    step_minor: int = 1
    mode: str = "half_up"
    cash_only: bool = True

    def rounding(self, total_minor: int, *, cash: bool) -> int:
        """What rounding adds to `total_minor` (negative when it takes off) for a payment."""
        if self.step_minor <= 1 or (self.cash_only and not cash):
            return 0
        return round_to_step(total_minor, self.step_minor, self.mode) - total_minor


def round_to_step(minor: int, step: int, mode: str) -> int:
    """`minor` rounded to a multiple of `step` minor units by `mode` (see ROUNDING_MODES).

    Negative amounts (refunds) round symmetrically: half_up rounds half away from zero, down
    towards zero and up away from zero, so a refund of a sale gives back what the sale took.
    """
    if step < 1:
        raise ValueError("a rounding step is at least one minor unit")
    if mode not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {mode!r}")
    if step == 1:
        return minor
    sign = -1 if minor < 0 else 1
    size = abs(minor)
    whole, rest = divmod(size, step)
    if rest == 0:
        return minor
    if mode == "down":
        up = False
    elif mode == "up" or 2 * rest > step:
        up = True
    elif 2 * rest < step:
        up = False
    elif mode == "half_up":
        up = True
    else:  # half_even: the half goes to the even multiple
        up = whole % 2 == 1
    return sign * (whole + up) * step


def parse_spans(text: str, weekday: int) -> tuple[Span, ...]:
    """A weekday's opening hours as typed ("09:00-13:00, 14:00-18:00", "9-18"; empty = closed),
    checked; ValidationError beside the weekday otherwise."""
    read = read_spans(
        text,
        hours_field(weekday),
        not_a_span=words("Write opening hours like 09:00-18:00, 19:00-21:00."),
        outside_day=words("Opening times are between 00:00 and 24:00."),
    )
    return check_hours([Span(weekday, start, end) for start, end in read])[weekday]


def format_spans(spans: Iterable[Span]) -> str:
    """Spans as the hours field shows them: "09:00-13:00, 14:00-18:00" ("" = closed)."""
    return write_spans((s.open_minute, s.close_minute) for s in sorted(spans))
