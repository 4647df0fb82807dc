"""The room board's pure rules: a visit's state at an instant, and places filled in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.services.room_board import (
    BoardVisit,
    TileState,
    Use,
    ZoneConverter,
    place_tiles,
    use_state,
)

S = AppointmentStatus
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ZONE = ZoneConverter(ZoneInfo("Europe/London"))


def _use(
    appt_id: int,
    status: AppointmentStatus,
    start_min: int,
    length: int,
    buffer: int,
    places: int = 1,
    *,
    started: int | None = None,
    finished: int | None = None,
) -> Use:
    starts = T0 + timedelta(minutes=start_min)
    ends = starts + timedelta(minutes=length)
    visit = BoardVisit(appt_id, "", "Massage", "Tom", status, starts, ends, places)
    return Use(
        visit,
        places,
        starts,
        ends,
        buffer,
        None if started is None else T0 + timedelta(minutes=started),
        None if finished is None else T0 + timedelta(minutes=finished),
    )


def _state(use: Use, minute: int) -> TileState | None:
    found = use_state(use, T0 + timedelta(minutes=minute))
    return None if found is None else found[0]


def test_states_at_the_edges() -> None:
    booked = _use(1, S.BOOKED, 60, 60, 15)
    assert _state(booked, 29) is None  # 31 minutes away
    assert _state(booked, 30) is TileState.BOOKED
    assert _state(booked, 119) is TileState.BOOKED  # late, not started
    assert _state(booked, 120) is TileState.CLEANING  # nobody marked it: the schedule's end
    assert _state(booked, 135) is None
    done = _use(2, S.COMPLETED, 0, 60, 15, finished=40)
    assert use_state(done, T0 + timedelta(minutes=39)) is None
    assert use_state(done, T0 + timedelta(minutes=40)) == (
        TileState.CLEANING,
        T0 + timedelta(minutes=55),
    )
    assert use_state(_use(3, S.CANCELLED, 0, 60, 15), T0) is None
    running = _use(4, S.IN_SERVICE, 0, 60, 15, started=10)
    assert use_state(running, T0 + timedelta(minutes=200)) == (
        TileState.IN_SERVICE,
        T0 + timedelta(minutes=70),
    )


uses = st.lists(
    st.builds(
        _use,
        st.integers(1, 10_000),
        st.sampled_from(list(S)),
        st.integers(-180, 180),
        st.integers(5, 180),
        st.integers(0, 30),
        st.integers(1, 3),
    ),
    max_size=8,
    unique_by=lambda u: u.visit.appointment_id,
)


@settings(deadline=None)  # a busy machine must not fail a correct rule
@given(uses, st.integers(1, 6), st.integers(-120, 240))
def test_places_are_filled_in_order_and_never_over_capacity(
    claims: list[Use], capacity: int, minute: int
) -> None:
    at = T0 + timedelta(minutes=minute)
    tiles, shown = place_tiles(capacity, claims, at, ZONE)
    assert len(tiles) == capacity
    assert [t.place for t in tiles] == (list(range(1, capacity + 1)) if capacity > 1 else [0])
    busy = [t for t in tiles if t.state is not TileState.FREE]
    assert tiles[: len(busy)] == tuple(busy)  # busy places first, then the free ones
    order = {TileState.IN_SERVICE: 0, TileState.CLEANING: 1, TileState.BOOKED: 2}
    ranks = [order[t.state] for t in busy]
    assert ranks == sorted(ranks)
    for tile in busy:
        assert tile.visit is not None
        assert tile.visit.appointment_id in shown
        (claim,) = [c for c in claims if c.visit.appointment_id == tile.visit.appointment_id]
        assert use_state(claim, at) is not None
    assert all(t.visit is None and t.minutes is None for t in tiles if t not in busy)
