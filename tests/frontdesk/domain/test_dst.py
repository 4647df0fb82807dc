"""Shop time and the booking rules across daylight-saving changes (pure functions).

London: 2026-03-29 loses 01:00-02:00 (a 23-hour day), 2026-10-25 has 01:00-02:00 twice (a
25-hour day). Moscow keeps one offset all year: the control.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.booking import (
    Busy,
    StaffDay,
    Wanted,
    add_minutes,
    check_booking,
    check_clashes,
    check_day,
)
from frontdesk.domain.errors import RuleBroken, ValidationError
from frontdesk.domain.recurrence import Recurrence, occurrences
from frontdesk.domain.shop_time import (
    check_wall_time,
    day_bounds_utc,
    local_to_utc,
    to_local,
    wall_time_exists,
)

LONDON = ZoneInfo("Europe/London")
MOSCOW = ZoneInfo("Europe/Moscow")
SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)
ALL_DAY = StaffDay(working=((0, 24 * 60),))


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = LONDON, fold: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).replace(fold=fold)


def real(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        (LONDON, SPRING, 23),
        (LONDON, AUTUMN, 25),
        (LONDON, date(2026, 6, 1), 24),
        (MOSCOW, SPRING, 24),
        (MOSCOW, AUTUMN, 24),
    ],
)
def test_a_local_day_is_as_long_as_its_clocks_make_it(
    zone: ZoneInfo, day: date, hours: int
) -> None:
    start, end = day_bounds_utc(day, zone)
    assert end - start == timedelta(hours=hours)
    assert to_local(start, zone).time() == time(0)
    assert to_local(end, zone).date() == day + timedelta(days=1)


@pytest.mark.parametrize(
    ("moment", "exists"),
    [
        (at(SPRING, 0, 59), True),
        (at(SPRING, 1, 0), False),
        (at(SPRING, 1, 30), False),
        (at(SPRING, 1, 59), False),
        (at(SPRING, 2, 0), True),
        (at(AUTUMN, 1, 30), True),
        (at(AUTUMN, 1, 30, fold=1), True),
        (at(SPRING, 1, 30, MOSCOW), True),
        (datetime(2026, 3, 29, 1, 30), True),  # naive: no zone to skip anything
    ],
)
def test_a_wall_time_the_spring_change_skips_does_not_exist(moment: datetime, exists: bool) -> None:
    assert wall_time_exists(moment) is exists


def test_a_time_that_does_not_exist_is_refused_at_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        check_wall_time(at(SPRING, 1, 30))
    assert refused.value.field == "starts"
    assert "clocks go forward" in refused.value.message
    check_wall_time(at(AUTUMN, 1, 30))  # twice, but it exists
    check_wall_time(at(SPRING, 1, 30, MOSCOW))


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1)))
def test_every_real_instant_has_a_wall_time_that_exists(naive_utc: datetime) -> None:
    instant = naive_utc.replace(tzinfo=UTC)
    for zone in (LONDON, MOSCOW):
        local = to_local(instant, zone)
        assert wall_time_exists(local)
        assert local_to_utc(local, zone) == instant


def test_the_autumn_half_past_ones_are_an_hour_apart() -> None:
    first, second = at(AUTUMN, 1, 30), at(AUTUMN, 1, 30, fold=1)
    assert real(first) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert real(second) - real(first) == timedelta(hours=1)


def test_minutes_are_real_minutes_across_the_change() -> None:
    assert add_minutes(at(SPRING, 0, 30), 60) == at(SPRING, 2, 30)  # 00:30 GMT + 1 h = 02:30 BST
    later = add_minutes(at(AUTUMN, 1, 30), 60)
    assert (later.hour, later.minute, later.fold) == (1, 30, 1)  # the second 01:30
    assert add_minutes(at(SPRING, 0, 30, MOSCOW), 60) == at(SPRING, 1, 30, MOSCOW)


def test_working_hours_are_wall_clock_hours() -> None:
    """An hour from 00:30 on the spring day ends at 02:30 on the clock: inside 00:00-02:30,
    outside 00:00-02:00, though it lasts one real hour."""
    wanted = Wanted(1, 1, at(SPRING, 0, 30), 60)
    check_day(wanted, StaffDay(working=((0, 150),)))
    with pytest.raises(RuleBroken):
        check_day(wanted, StaffDay(working=((0, 120),)))
    control = Wanted(1, 1, at(SPRING, 0, 30, MOSCOW), 60)
    check_day(control, StaffDay(working=((0, 90),)))


def test_clashes_compare_instants_not_wall_clocks() -> None:
    """On the autumn day an hour at the first 01:30 is over when the second 01:30 comes."""
    first = Busy(7, 1, 2, None, at(AUTUMN, 1, 30), add_minutes(at(AUTUMN, 1, 30), 60))
    check_clashes(Wanted(1, 1, at(AUTUMN, 1, 30, fold=1), 60), [first])
    with pytest.raises(RuleBroken) as refused:
        check_clashes(Wanted(1, 1, at(AUTUMN, 1, 0, fold=1), 30), [first])
    assert refused.value.params["appointment_id"] == 7
    # the same wall clock in Moscow is the same instant: a clash
    moscow = Busy(7, 1, 2, None, at(AUTUMN, 1, 30, MOSCOW), at(AUTUMN, 2, 30, MOSCOW))
    with pytest.raises(RuleBroken):
        check_clashes(Wanted(1, 1, at(AUTUMN, 1, 30, MOSCOW), 60), [moscow])


def test_a_booking_across_the_spring_change_is_checked_whole() -> None:
    assert check_booking(Wanted(1, 1, at(SPRING, 0, 30), 60), ALL_DAY, [], []) is None
    busy = Busy(9, 1, 2, None, at(SPRING, 2, 0), at(SPRING, 3, 0))
    # 00:30 GMT + 60 real minutes + 15 cleanup = 02:45 BST: in the way of 02:00 BST
    with pytest.raises(RuleBroken):
        check_booking(Wanted(1, 1, at(SPRING, 0, 30), 60, buffer_minutes=15), ALL_DAY, [busy], [])


@pytest.mark.parametrize(
    ("first", "utc_hours"),
    [
        (at(date(2026, 3, 15), 10), [10, 10, 9, 9]),  # GMT, GMT, then BST from the 29th
        (at(date(2026, 10, 11), 10), [9, 9, 10, 10]),  # BST, BST, then GMT from the 25th
        (at(date(2026, 3, 15), 10, zone=MOSCOW), [7, 7, 7, 7]),  # the control
    ],
)
def test_a_weekly_ten_oclock_stays_ten_oclock(first: datetime, utc_hours: list[int]) -> None:
    starts = occurrences(first, Recurrence(every_weeks=1, count=4))
    assert [_wall(s) for s in starts] == ["10:00"] * 4
    assert [real(s).hour for s in starts] == utc_hours
    assert [s.date() - first.date() for s in starts] == [timedelta(weeks=n) for n in range(4)]


def test_a_weekly_half_past_one_on_the_skipped_night_moves_with_the_clocks() -> None:
    """The repeat lane's rule: 01:30 does not exist on 2026-03-29, so that repeat is at 02:30
    (one real week after the one before); the next is back at 01:30."""
    starts = occurrences(at(date(2026, 3, 22), 1, 30), Recurrence(every_weeks=1, count=3))
    assert [_wall(s) for s in starts] == ["01:30", "02:30", "01:30"]
    assert all(wall_time_exists(s) for s in starts)


def _wall(moment: datetime) -> str:
    return moment.strftime("%H:%M")
