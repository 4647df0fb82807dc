"""Recurrence rules: every N weeks, until a day or a count, at the same wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import FormErrors
from frontdesk.domain.recurrence import (
    MAX_OCCURRENCES,
    Recurrence,
    check_recurrence,
    occurrences,
    wall_clock_shift,
)

LONDON = ZoneInfo("Europe/London")


def test_ten_oclock_stays_ten_oclock_across_the_spring_change() -> None:
    # Clocks go forward on Sunday 2026-03-29: a Thursday 10:00 GMT becomes 10:00 BST.
    first = datetime(2026, 3, 19, 10, 0, tzinfo=LONDON)
    starts = occurrences(first, Recurrence(1, count=3))
    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2026-03-19 10:00",
        "2026-03-26 10:00",
        "2026-04-02 10:00",
    ]
    utc = [s.astimezone(UTC).hour for s in starts]
    assert utc == [10, 10, 9]


def test_ten_oclock_stays_ten_oclock_across_the_autumn_change() -> None:
    # Clocks go back on Sunday 2026-10-25.
    first = datetime(2026, 10, 18, 10, 0, tzinfo=LONDON)
    starts = occurrences(first, Recurrence(1, until=date(2026, 11, 1)))
    assert [(s.date(), s.hour, s.minute) for s in starts] == [
        (date(2026, 10, 18), 10, 0),
        (date(2026, 10, 25), 10, 0),
        (date(2026, 11, 1), 10, 0),
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [9, 10, 10]


def test_a_skipped_wall_clock_time_moves_forward_with_the_clocks() -> None:
    first = datetime(2026, 3, 22, 1, 30, tzinfo=LONDON)
    second = wall_clock_shift(first, 1)
    assert (second.date(), second.hour, second.minute) == (date(2026, 3, 29), 2, 30)
    assert second.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_an_ambiguous_autumn_time_takes_the_first_of_the_two() -> None:
    first = datetime(2026, 10, 18, 1, 30, tzinfo=LONDON)
    second = wall_clock_shift(first, 1)
    assert second.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_until_is_inclusive_and_every_n_weeks_skips_between() -> None:
    first = datetime(2026, 1, 5, 14, 0, tzinfo=LONDON)
    starts = occurrences(first, Recurrence(2, until=date(2026, 2, 2)))
    assert [s.date() for s in starts] == [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 2)]


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        (Recurrence(0, count=3), {"every_weeks"}),
        (Recurrence(53, count=3), {"every_weeks"}),
        (Recurrence(1), {"repeat_until"}),
        (Recurrence(1, until=date(2026, 3, 1), count=3), {"repeat_count"}),
        (Recurrence(1, until=date(2026, 1, 5)), {"repeat_until"}),
        (Recurrence(1, until=date(2025, 12, 1)), {"repeat_until"}),
        (Recurrence(2, until=date(2026, 1, 18)), {"repeat_until"}),
        (Recurrence(1, count=1), {"repeat_count"}),
        (Recurrence(1, count=MAX_OCCURRENCES + 1), {"repeat_count"}),
        (Recurrence(1, until=date(2029, 1, 1)), {"repeat_until"}),
        (Recurrence(0, until=date(2025, 12, 1)), {"every_weeks", "repeat_until"}),
        (Recurrence(-1), {"every_weeks", "repeat_until"}),
    ],
)
def test_bad_rules_are_refused_at_every_field_at_once(rule: Recurrence, fields: set[str]) -> None:
    with pytest.raises(FormErrors) as caught:
        check_recurrence(rule, date(2026, 1, 5))
    assert set(caught.value.errors) == fields


def test_the_longest_series_allowed_is_accepted() -> None:
    first = datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)
    starts = occurrences(first, Recurrence(1, count=MAX_OCCURRENCES))
    assert len(starts) == MAX_OCCURRENCES
    until = occurrences(first, Recurrence(1, until=first.date() + timedelta(weeks=103)))
    assert until == starts


@st.composite
def series(draw: st.DrawFn) -> tuple[datetime, Recurrence]:
    day = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
    minute = draw(st.integers(min_value=6 * 60, max_value=22 * 60))
    first = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=LONDON)
    every = draw(st.integers(min_value=1, max_value=52))
    if draw(st.booleans()):
        rule = Recurrence(every, count=draw(st.integers(min_value=2, max_value=MAX_OCCURRENCES)))
    else:
        weeks = draw(st.integers(min_value=every, max_value=(MAX_OCCURRENCES - 1) * every))
        extra = draw(st.integers(min_value=0, max_value=6))
        rule = Recurrence(every, until=day + timedelta(weeks=weeks, days=extra))
    return first, rule


@given(series())
def test_occurrences_keep_the_wall_clock_and_the_rhythm(case: tuple[datetime, Recurrence]) -> None:
    first, rule = case
    starts = occurrences(first, rule)
    assert starts[0] == first
    assert 1 <= len(starts) <= MAX_OCCURRENCES
    for index, start in enumerate(starts):
        assert start.tzinfo is LONDON
        assert (start.hour, start.minute) == (first.hour, first.minute)
        assert start.date() == first.date() + timedelta(weeks=index * rule.every_weeks)
    if rule.count is not None:
        assert len(starts) == rule.count
    if rule.until is not None:
        assert starts[-1].date() <= rule.until
        assert starts[-1].date() + timedelta(weeks=rule.every_weeks) > rule.until


@given(
    st.integers(min_value=-5, max_value=60),
    st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2032, 1, 1))),
    st.one_of(st.none(), st.integers(min_value=-3, max_value=200)),
)
def test_any_rule_either_gives_a_bounded_series_or_is_refused(
    every: int, until: date | None, count: int | None
) -> None:
    first = datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)
    refused: FormErrors | None = None
    starts: tuple[datetime, ...] = ()
    try:
        starts = occurrences(first, Recurrence(every, until, count))
    except FormErrors as error:
        refused = error
    if refused is not None:
        assert refused.errors
    else:
        assert 2 <= len(starts) <= MAX_OCCURRENCES
