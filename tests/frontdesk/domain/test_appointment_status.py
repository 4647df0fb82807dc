"""The status table: which status may follow which, and when a cancellation is late."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.appointments import (
    LIVE_STATUSES,
    AppointmentStatus,
    allowed_next,
    can_become,
    is_late_cancellation,
)

S = AppointmentStatus
LONDON = ZoneInfo("Europe/London")


def test_the_usual_path_is_allowed_step_by_step() -> None:
    path = [S.BOOKED, S.CONFIRMED, S.CHECKED_IN, S.IN_SERVICE, S.COMPLETED]
    for current, wanted in itertools.pairwise(path):
        assert can_become(current, wanted)


def test_a_walk_in_arrives_unconfirmed_and_an_arrived_client_may_cancel() -> None:
    assert can_become(S.BOOKED, S.CHECKED_IN)
    assert can_become(S.CHECKED_IN, S.CANCELLED)
    assert not can_become(S.CHECKED_IN, S.NO_SHOW)  # they came: not a no-show


@pytest.mark.parametrize("final", [S.COMPLETED, S.CANCELLED, S.NO_SHOW])
def test_final_statuses_lead_nowhere(final: AppointmentStatus) -> None:
    assert allowed_next(final) == frozenset()
    assert not final.holds_time


def test_no_skipping_the_service_and_no_going_back() -> None:
    assert not can_become(S.BOOKED, S.IN_SERVICE)
    assert not can_become(S.CONFIRMED, S.COMPLETED)
    assert not can_become(S.IN_SERVICE, S.CANCELLED)
    assert not can_become(S.CONFIRMED, S.BOOKED)
    assert not can_become(S.IN_SERVICE, S.CHECKED_IN)


def test_only_live_statuses_move_on() -> None:
    assert {s for s in S if allowed_next(s)} == set(LIVE_STATUSES)


#: The order of the usual path: no transition ever goes back along it.
RANK = {S.BOOKED: 0, S.CONFIRMED: 1, S.CHECKED_IN: 2, S.IN_SERVICE: 3, S.COMPLETED: 4}


@settings(deadline=None)  # a busy machine must not fail a correct rule
@given(st.lists(st.sampled_from(list(S)), max_size=30))
def test_any_sequence_of_actions_only_follows_the_table(wanted: list[AppointmentStatus]) -> None:
    """Apply random requested statuses, taking those the table allows: the walk never leaves
    the table, never goes backwards, and stops for good at a final status."""
    status = S.BOOKED
    seen = [status]
    for target in wanted:
        if can_become(status, target):
            assert target in allowed_next(status)
            if target in RANK and status in RANK:
                assert RANK[target] > RANK[status]
            status = target
            seen.append(status)
        elif not allowed_next(status):
            assert status in (S.COMPLETED, S.CANCELLED, S.NO_SHOW)
    assert len(seen) == len(set(seen))  # no status is visited twice: no loops
    assert len(seen) <= 5


START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_late_exactly_at_the_window_edge_and_not_a_second_before() -> None:
    assert is_late_cancellation(START, START - timedelta(hours=24), 24)
    assert not is_late_cancellation(START, START - timedelta(hours=24, seconds=1), 24)
    assert is_late_cancellation(START, START + timedelta(minutes=5), 24)  # after the start


def test_a_zero_window_means_never_late() -> None:
    assert not is_late_cancellation(START, START + timedelta(minutes=5), 0)


def test_the_window_counts_real_hours_across_a_daylight_saving_change() -> None:
    """Clocks go back at 02:00 on 25 October 2026 in London: 10:00 on the Sunday is 25 real
    hours after 10:00 on the Saturday. Cancelling at Saturday 10:00 is outside a 24-hour
    window; at Saturday 11:00 (24 real hours before) it is inside."""
    starts = datetime(2026, 10, 25, 10, 0, tzinfo=LONDON)
    same_clock_day_before = datetime(2026, 10, 24, 10, 0, tzinfo=LONDON)
    assert starts.astimezone(UTC) - same_clock_day_before.astimezone(UTC) == timedelta(hours=25)
    assert not is_late_cancellation(starts, same_clock_day_before, 24)
    assert is_late_cancellation(starts, datetime(2026, 10, 24, 11, 0, tzinfo=LONDON), 24)
    # and spring forward: 29 March 2026, the clock-same time the day before is 23 hours away
    spring = datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
    assert is_late_cancellation(spring, datetime(2026, 3, 28, 10, 0, tzinfo=LONDON), 24)
    assert not is_late_cancellation(spring, datetime(2026, 3, 28, 8, 59, tzinfo=LONDON), 24)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_late_cancellation(START.replace(tzinfo=None), START, 24)


@settings(deadline=None)  # a busy machine must not fail a correct rule
@given(
    st.integers(min_value=-72 * 60, max_value=72 * 60),
    st.integers(min_value=0, max_value=96),
)
def test_late_is_monotonic_in_time(minutes_before: int, hours: int) -> None:
    """Cancelling later is never less late."""
    at = START - timedelta(minutes=minutes_before)
    if is_late_cancellation(START, at, hours):
        assert is_late_cancellation(START, at + timedelta(minutes=1), hours)
