"""The time grid's layout without a window: columns, lanes side by side, shading, snapping."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.money import Money
from frontdesk.services.calendar import (
    AppointmentView,
    DaySchedule,
    RoomColumn,
    TherapistColumn,
)
from frontdesk.ui.calendar.grid_layout import (
    ColumnKind,
    GridColumn,
    lay_out,
    room_columns,
    shade_spans,
    snap,
    staff_columns,
    week_columns,
)

ZONE = ZoneInfo("Europe/London")
DAY = date(2026, 11, 23)


def _appt(
    appt_id: int,
    start: int,
    minutes: int,
    *,
    staff: int = 1,
    room: int | None = None,
    buffer: int = 0,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
    day: date = DAY,
) -> AppointmentView:
    starts = datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(minutes=start)
    return AppointmentView(
        id=appt_id,
        therapist_id=staff,
        customer_id=appt_id,
        customer_name=f"Client {appt_id}",
        service_name="Massage",
        room_name="",
        starts=starts,
        ends=starts + timedelta(minutes=minutes),
        status=status,
        price=Money(1000, "GBP"),
        has_allergies=False,
        paid=False,
        room_id=room,
        buffer_minutes=buffer,
    )


def _schedule(*appts: AppointmentView) -> DaySchedule:
    return DaySchedule(
        DAY,
        (
            TherapistColumn(1, "Tom", "#e07a5f", ((540, 1080),), ((780, 810),)),
            TherapistColumn(2, "Uma", "#81b29a"),
        ),
        appts,
        rooms=(RoomColumn(7, "Sauna", "sauna", 6),),
        opening=((480, 1200),),
    )


def test_overlapping_blocks_share_their_column_and_the_rest_keep_it_whole() -> None:
    layout = lay_out(
        staff_columns(_schedule()),
        [
            _appt(1, 600, 60, buffer=15),
            _appt(2, 660, 30),  # starts in 1's cleanup: beside it
            _appt(3, 720, 60),  # after both: a column of its own again
            _appt(4, 600, 45, staff=2),
        ],
    )
    placed = layout.by_id()
    assert (placed[1].lane, placed[1].lanes) == (0, 2)
    assert (placed[2].lane, placed[2].lanes) == (1, 2)
    assert (placed[3].lane, placed[3].lanes) == (0, 1)
    assert (placed[4].column, placed[4].lanes) == (1, 1)
    assert placed[1].held_end == 675


def test_cancelled_leave_the_grid_and_no_shows_stay() -> None:
    layout = lay_out(
        staff_columns(_schedule()),
        [
            _appt(1, 600, 60, status=AppointmentStatus.CANCELLED),
            _appt(2, 600, 60, status=AppointmentStatus.NO_SHOW),
        ],
    )
    assert set(layout.by_id()) == {2}


def test_the_grid_spans_the_day_the_hours_and_every_appointment() -> None:
    layout = lay_out(staff_columns(_schedule()), [_appt(1, 7 * 60 + 30, 60)])
    assert (layout.first_minute, layout.last_minute) == (7 * 60, 21 * 60)
    late = lay_out(staff_columns(_schedule()), [_appt(1, 21 * 60 + 10, 60, buffer=10)])
    assert late.last_minute == 23 * 60


def test_rooms_and_a_weeks_days_as_columns() -> None:
    schedule = _schedule(_appt(1, 600, 60, room=7), _appt(2, 700, 60))
    rooms = lay_out(room_columns(schedule), schedule.appointments)
    assert [(c.kind, c.title) for c in rooms.columns] == [(ColumnKind.ROOM, "Sauna")]
    assert set(rooms.by_id()) == {1}  # 2 has no room
    days = [DaySchedule(DAY + timedelta(days=n), schedule.therapists, ()) for n in range(7)]
    columns = week_columns(days, staff_id=1)
    later = _appt(3, 600, 60, day=DAY + timedelta(days=2))
    week = lay_out(columns, [_appt(1, 600, 60), later, _appt(4, 600, 60, staff=2)])
    assert {p.appointment.id: p.column for p in week.blocks} == {1: 0, 3: 2}


def test_shading_names_closed_off_and_break_stretches() -> None:
    tom, uma = staff_columns(_schedule())
    assert shade_spans(tom, 7 * 60, 21 * 60) == [
        (7 * 60, 8 * 60, "closed"),
        (8 * 60, 9 * 60, "off"),
        (13 * 60, 13 * 60 + 30, "break"),
        (18 * 60, 20 * 60, "off"),
        (20 * 60, 21 * 60, "closed"),
    ]
    assert uma.lit == ()  # off all day
    closed = GridColumn(ColumnKind.STAFF, 1, DAY, "Tom", lit=((540, 1080),), closed=True)
    assert shade_spans(closed, 480, 1260) == [(480, 1260, "closed")]


def test_snapping_goes_to_the_nearest_step() -> None:
    assert [snap(m, 15) for m in (600, 607, 608, 622.4, 623)] == [600, 600, 615, 615, 630]


@given(
    st.lists(
        st.tuples(st.integers(0, 95), st.integers(1, 12), st.integers(0, 3)),
        max_size=25,
    )
)
def test_blocks_in_one_lane_never_overlap(spans: list[tuple[int, int, int]]) -> None:
    """Whatever the bookings, no block hides another (nor its cleanup tail)."""
    appts = [
        _appt(n + 1, 480 + start * 5, length * 5, buffer=buffer * 5)
        for n, (start, length, buffer) in enumerate(spans)
    ]
    layout = lay_out(staff_columns(_schedule()), appts)
    assert len(layout.blocks) == len(appts)
    for a in layout.blocks:
        assert 0 <= a.lane < a.lanes
        for b in layout.blocks:
            if a is not b and a.lane == b.lane and a.column == b.column:
                overlap = a.start < b.held_end and b.start < a.held_end
                assert not overlap
            if a.start < b.held_end and b.start < a.held_end:
                assert a.lanes == b.lanes  # one cluster, one width
