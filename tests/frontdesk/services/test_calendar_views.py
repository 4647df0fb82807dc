"""The calendar's new fields, the week and the month's load, on both databases; and the days
the clocks change (Europe/London, a fixed clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, update

from db.models import (
    Appointment,
    AppointmentSeries,
    Booking,
    ClosedDay,
    OpeningHours,
    Room,
    Service,
    ServiceCategory,
    StaffAbsence,
    StaffBreak,
    WorkingHours,
)
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.category_colors import CATEGORY_PALETTE, category_color
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.calendar import (
    CalendarService,
    DayLoad,
    RoomColumn,
    real_minutes,
)
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop

TODAY = date(2026, 11, 23)  # a Monday
LONDON = ZoneInfo("Europe/London")
SPRING = date(2026, 3, 29)  # the clocks go forward at 01:00 GMT: a 23-hour day
AUTUMN = date(2026, 10, 25)  # the clocks go back at 02:00 BST: a 25-hour day


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def calendar(backend_db: UnitOfWork, clock: FixedClock) -> CalendarService:
    return CalendarService(backend_db, clock, ShopService(backend_db, clock))


@pytest.fixture
def desk(backend_db: UnitOfWork, clock: FixedClock, backend_shop: SeededShop) -> SignedIn:
    return AuthService(backend_db, clock).sign_in(backend_shop.receptionist_id, PIN)


def _add_appointment(
    db: UnitOfWork,
    shop: SeededShop,
    starts: datetime,
    *,
    minutes: int = 60,
    customer_id: int | None = None,
    staff_id: int | None = None,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
    **values: object,
) -> int:
    with db.write() as s:
        deep = s.query(Service).filter_by(name="Deep Tissue Massage").one()
        appt = Appointment(
            customer_id=customer_id or shop.boris_id,
            staff_id=staff_id or shop.therapist_id,
            service_id=deep.id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            price_minor=8500,
            status=status.value,
            **values,
        )
        s.add(appt)
        s.flush()
        return appt.id


def test_blocks_carry_what_the_grid_draws(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    with backend_db.write() as s:
        room_id = s.query(Room.id).filter_by(name="Garden Room").scalar()
        category = s.query(ServiceCategory).one()
        category_id = category.id
        deep_id = s.query(Service.id).filter_by(name="Deep Tissue Massage").scalar()
    morning, afternoon = calendar.day(TODAY, desk).appointments
    assert morning.room_id == room_id
    assert morning.service_id == deep_id
    # No colour of its own: a stable one from the palette, by category.
    assert morning.category_color == CATEGORY_PALETTE[category_id % len(CATEGORY_PALETTE)]
    assert morning.buffer_minutes == 15
    assert afternoon.buffer_minutes == 10
    assert morning.therapist_name == "Tom Therapist"
    assert afternoon.therapist_name == "Uma Therapist"
    assert (morning.booking_id, morning.series_id, morning.late_cancel, morning.places) == (
        None,
        None,
        False,
        1,
    )
    assert morning.first_visit  # nobody has been before
    assert afternoon.first_visit
    # Anna has a preference ("pressure: firm"); 王芳 has none, and no appointment notes.
    assert morning.has_notes
    assert not afternoon.has_notes

    with backend_db.write() as s:
        s.execute(update(ServiceCategory).values(color="#123456"))
        s.execute(
            update(Appointment)
            .where(Appointment.id == backend_shop.afternoon_appt_id)
            .values(notes="Prefers the window bed")
        )
    morning, afternoon = calendar.day(TODAY, desk).appointments
    assert morning.category_color == afternoon.category_color == "#123456"
    assert afternoon.has_notes


def test_blank_notes_are_no_notes(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    with backend_db.write() as s:
        s.execute(
            update(Appointment)
            .where(Appointment.id == backend_shop.afternoon_appt_id)
            .values(notes="   ")
        )
    assert not calendar.day(TODAY, desk).appointments[1].has_notes


def test_first_visit_is_before_any_completed_appointment(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    # Anna missed one last week and cancelled another: still her first visit.
    for status in (AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED):
        _add_appointment(
            backend_db,
            backend_shop,
            NOW - timedelta(days=7),
            customer_id=backend_shop.anna_id,
            status=status,
        )
    morning = calendar.day(TODAY, desk).appointments[0]
    assert morning.first_visit
    # A completed visit later today does not make this morning's a repeat visit ...
    _add_appointment(
        backend_db,
        backend_shop,
        NOW + timedelta(hours=6),
        customer_id=backend_shop.anna_id,
        status=AppointmentStatus.COMPLETED,
    )
    day = calendar.day(TODAY, desk)
    assert day.appointments[0].first_visit
    assert day.appointments[-1].first_visit  # nothing completed before it
    # ... a completed one last month does.
    _add_appointment(
        backend_db,
        backend_shop,
        NOW - timedelta(days=30),
        customer_id=backend_shop.anna_id,
        status=AppointmentStatus.COMPLETED,
    )
    morning, afternoon, *_ = calendar.day(TODAY, desk).appointments
    assert not morning.first_visit
    assert afternoon.first_visit  # 王芳's is still her first


def test_bookings_series_and_late_cancellations_show(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    with backend_db.write() as s:
        booking = Booking(created_at=NOW, kind="group")
        series = AppointmentSeries(every_weeks=2, occurrences=4, created_at=NOW)
        s.add_all([booking, series])
        s.flush()
        s.execute(
            update(Appointment)
            .where(Appointment.id == backend_shop.morning_appt_id)
            .values(booking_id=booking.id, series_id=series.id)
        )
        s.execute(
            update(Appointment)
            .where(Appointment.id == backend_shop.afternoon_appt_id)
            .values(status="cancelled", late_cancel=True)
        )
        booking_id, series_id = booking.id, series.id
    morning, afternoon = calendar.day(TODAY, desk).appointments  # cancelled ones are included
    assert (morning.booking_id, morning.series_id) == (booking_id, series_id)
    assert afternoon.status is AppointmentStatus.CANCELLED
    assert afternoon.late_cancel


def test_the_day_has_rooms_hours_and_closed_days(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    day = calendar.day(TODAY, desk)
    assert [(r.name, r.capacity) for r in day.rooms] == [("Garden Room", 1)]
    assert day.opening is None  # no hours set: open as before hours existed
    assert not day.closed
    with backend_db.write() as s:
        s.add(Room(name="Sauna", kind="sauna", capacity=6))
        s.add(Room(name="Old Room", kind="treatment", capacity=1, active=False))
        s.add(OpeningHours(weekday=0, open_minute=9 * 60, close_minute=13 * 60))
        s.add(OpeningHours(weekday=0, open_minute=14 * 60, close_minute=20 * 60))
        s.add(ClosedDay(day=TODAY + timedelta(days=7), note="Staff training"))
    day = calendar.day(TODAY, desk)
    assert [r.name for r in day.rooms] == ["Garden Room", "Sauna"]  # active rooms only
    sauna = day.rooms[1]
    assert sauna == RoomColumn(sauna.id, "Sauna", "sauna", 6)
    assert day.opening == ((540, 780), (840, 1200))
    assert (day.closed, day.closed_note) == (False, "")
    tuesday = calendar.day(TODAY + timedelta(days=1), desk)
    assert (tuesday.opening, tuesday.closed) == ((), True)  # never opens on Tuesdays
    holiday = calendar.day(TODAY + timedelta(days=7), desk)
    assert (holiday.closed, holiday.closed_note) == (True, "Staff training")


def test_an_inactive_room_with_a_booking_keeps_its_column(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn
) -> None:
    with backend_db.write() as s:
        s.execute(update(Room).values(active=False))
    assert [r.name for r in calendar.day(TODAY, desk).rooms] == ["Garden Room"]
    assert calendar.day(TODAY + timedelta(days=1), desk).rooms == ()


def test_a_big_day_is_a_fixed_number_of_queries(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    """No query per appointment or per day: 60 appointments read like 2."""

    def count_queries(read: Callable[[], object]) -> int:
        seen: list[str] = []

        def record(*args: object) -> None:
            seen.append("q")

        event.listen(backend_db.engine, "before_cursor_execute", record)
        try:
            read()
        finally:
            event.remove(backend_db.engine, "before_cursor_execute", record)
        return len(seen)

    calendar.day(TODAY, desk)  # the shop profile is cached now
    small = count_queries(lambda: calendar.day(TODAY, desk))
    for n in range(60):
        _add_appointment(
            backend_db,
            backend_shop,
            NOW + timedelta(minutes=5 * n),
            customer_id=backend_shop.boris_id,
        )
    assert count_queries(lambda: calendar.day(TODAY, desk)) == small
    assert count_queries(lambda: calendar.week(TODAY, desk)) == small
    assert count_queries(lambda: calendar.month(TODAY, desk)) <= 5


def test_the_week_of_one_therapist_or_one_room(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    thursday = _add_appointment(backend_db, backend_shop, NOW + timedelta(days=3))
    tom = calendar.week(TODAY, desk, staff_id=backend_shop.therapist_id)
    assert tom.first_day == TODAY
    assert tom.staff_id == backend_shop.therapist_id
    assert [d.day for d in tom.days] == [TODAY + timedelta(days=n) for n in range(7)]
    assert all([t.id for t in d.therapists] == [backend_shop.therapist_id] for d in tom.days)
    assert [[a.id for a in d.appointments] for d in tom.days] == [
        [backend_shop.morning_appt_id],
        [],
        [],
        [thursday],
        [],
        [],
        [],
    ]
    assert tom.days[0].therapists[0].hours == ((540, 1080),)
    assert tom.days[1].therapists[0].off  # he works Mondays only

    garden = calendar.week(TODAY, desk, room_id=tom.days[0].appointments[0].room_id)
    monday = garden.days[0]
    assert [r.name for r in monday.rooms] == ["Garden Room"]
    assert [a.id for a in monday.appointments] == [
        backend_shop.morning_appt_id,
        backend_shop.afternoon_appt_id,
    ]
    assert {t.id for t in monday.therapists} == {
        backend_shop.therapist_id,
        backend_shop.therapist2_id,
    }
    assert garden.days[3].appointments == ()  # Thursday's has no room

    everyone = calendar.week(TODAY, desk)
    assert sum(len(d.appointments) for d in everyone.days) == 3


def test_the_months_load(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    tom = backend_shop.therapist_id
    with backend_db.write() as s:
        s.add(StaffBreak(staff_id=tom, weekday=0, start_minute=12 * 60, end_minute=12 * 60 + 30))
        s.add(
            StaffAbsence(
                staff_id=tom,
                first_day=date(2026, 11, 9),
                last_day=date(2026, 11, 10),
                kind="holiday",
            )
        )
        s.add(ClosedDay(day=date(2026, 11, 16), note="Refit"))
    _add_appointment(
        backend_db, backend_shop, NOW + timedelta(hours=2), status=AppointmentStatus.CANCELLED
    )
    _add_appointment(
        backend_db,
        backend_shop,
        NOW + timedelta(days=1),
        minutes=30,
        status=AppointmentStatus.NO_SHOW,
    )
    month = calendar.month(date(2026, 11, 17), desk)
    assert month.first_day == date(2026, 11, 1)
    assert [d.day for d in month.days] == [date(2026, 11, n) for n in range(1, 31)]
    by_day = {d.day.day: d for d in month.days}
    # Mondays: 09:00-18:00 less a half-hour break; away on the 9th; the shop shut on the 16th.
    assert {n for n, d in by_day.items() if d.working_minutes} == {2, 23, 30}
    assert by_day[2] == DayLoad(date(2026, 11, 2), 0, 0, 510, False)
    assert by_day[9].working_minutes == 0
    assert (by_day[16].closed, by_day[16].working_minutes) == (True, 0)
    # The 23rd: 60 + 45 minutes booked; the cancelled one does not count.
    assert by_day[23] == DayLoad(TODAY, 2, 105, 510, False)
    assert by_day[23].load == pytest.approx(105 / 510)
    # A no-show held its time; nobody works Tuesdays: a full day.
    assert by_day[24] == DayLoad(date(2026, 11, 24), 1, 30, 0, False)
    assert by_day[24].load == 1.0
    assert by_day[25].load == 0.0


def test_the_month_counts_local_days_not_utc_dates(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    """00:30 on 1 July in London is 23:30 UTC on 30 June: it counts on 1 July."""
    _add_appointment(backend_db, backend_shop, datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    june = calendar.month(date(2026, 6, 1), desk)
    july = calendar.month(date(2026, 7, 1), desk)
    assert sum(d.appointments for d in june.days) == 0
    assert (july.days[0].appointments, july.days[0].booked_minutes) == (1, 60)


def test_real_minutes_on_the_days_the_clocks_change() -> None:
    assert real_minutes(TODAY, 0, 1440, LONDON) == 1440
    assert real_minutes(SPRING, 0, 1440, LONDON) == 23 * 60
    assert real_minutes(AUTUMN, 0, 1440, LONDON) == 25 * 60
    assert real_minutes(SPRING, 9 * 60, 17 * 60, LONDON) == 8 * 60  # after the change
    assert real_minutes(SPRING, 30, 150, LONDON) == 60  # 01:00-02:00 never happens
    assert real_minutes(AUTUMN, 60, 120, LONDON) == 120  # 01:00-02:00 happens twice
    assert real_minutes(TODAY, 600, 540, LONDON) == 0


def test_category_colours_are_stable() -> None:
    assert category_color(3, "#abcdef") == "#abcdef"
    assert category_color(3, "") == category_color(3, "") == CATEGORY_PALETTE[3]
    assert category_color(3 + len(CATEGORY_PALETTE), "") == CATEGORY_PALETTE[3]


@pytest.fixture
def sunday_worker(backend_db: UnitOfWork, backend_shop: SeededShop) -> int:
    """Tom works all day on Sundays with a break 00:30-02:30 (wall clock)."""
    with backend_db.write() as s:
        s.add(
            WorkingHours(
                staff_id=backend_shop.therapist_id, weekday=6, start_minute=0, end_minute=1440
            )
        )
        s.add(
            StaffBreak(
                staff_id=backend_shop.therapist_id, weekday=6, start_minute=30, end_minute=150
            )
        )
    return backend_shop.therapist_id


def test_the_spring_day_is_23_hours(
    backend_db: UnitOfWork,
    calendar: CalendarService,
    desk: SignedIn,
    backend_shop: SeededShop,
    sunday_worker: int,
) -> None:
    def at(hour: int, minute: int, day: int = 29) -> datetime:
        return datetime(2026, 3, day, hour, minute, tzinfo=UTC)

    before = _add_appointment(backend_db, backend_shop, at(23, 30, 28))  # 23:30 GMT, Saturday
    first = _add_appointment(backend_db, backend_shop, at(0, 30))  # 00:30 GMT
    after_change = _add_appointment(backend_db, backend_shop, at(1, 0))  # 02:00 BST
    last = _add_appointment(backend_db, backend_shop, at(22, 30), minutes=30)  # 23:30 BST
    monday = _add_appointment(backend_db, backend_shop, at(23, 15))  # 00:15 BST, Monday

    day = calendar.day(SPRING, desk)
    assert [a.id for a in day.appointments] == [first, after_change, last]
    assert [(a.starts.hour, a.starts.minute) for a in day.appointments] == [
        (0, 30),
        (2, 0),
        (23, 30),
    ]
    assert day.appointments[0].starts.utcoffset() == timedelta(0)
    assert day.appointments[1].starts.utcoffset() == timedelta(hours=1)
    tom = next(t for t in day.therapists if t.id == sunday_worker)
    assert tom.hours == ((0, 1440),)  # wall-clock minutes; the grid skips the missing hour
    assert [a.id for a in calendar.day(SPRING - timedelta(days=1), desk).appointments] == [before]
    assert [a.id for a in calendar.day(SPRING + timedelta(days=1), desk).appointments] == [monday]

    load = calendar.month(SPRING, desk).days[28]
    assert load.day == SPRING
    # 23 hours, less the one real hour of the 00:30-02:30 break; 60 + 60 + 30 minutes booked.
    assert load == DayLoad(SPRING, 3, 150, 23 * 60 - 60, False)


def test_the_autumn_day_is_25_hours(
    backend_db: UnitOfWork,
    calendar: CalendarService,
    desk: SignedIn,
    backend_shop: SeededShop,
    sunday_worker: int,
) -> None:
    def at(hour: int, minute: int, day: int = 25) -> datetime:
        return datetime(2026, 10, day, hour, minute, tzinfo=UTC)

    saturday = _add_appointment(backend_db, backend_shop, at(22, 30, 24))  # 23:30 BST
    first = _add_appointment(backend_db, backend_shop, at(23, 0, 24))  # 00:00 BST
    summer = _add_appointment(backend_db, backend_shop, at(0, 30))  # 01:30 BST
    winter = _add_appointment(backend_db, backend_shop, at(1, 30))  # 01:30 GMT, again
    last = _add_appointment(backend_db, backend_shop, at(23, 0), minutes=60)  # 23:00-24:00 GMT

    day = calendar.day(AUTUMN, desk)
    assert [a.id for a in day.appointments] == [first, summer, winter, last]
    twice = day.appointments[1:3]
    assert [(a.starts.hour, a.starts.minute) for a in twice] == [(1, 30), (1, 30)]
    assert [a.starts.utcoffset() for a in twice] == [timedelta(hours=1), timedelta(0)]
    assert [a.id for a in calendar.day(AUTUMN - timedelta(days=1), desk).appointments] == [saturday]

    week = calendar.week(AUTUMN - timedelta(days=6), desk, staff_id=sunday_worker)
    assert [a.id for a in week.days[6].appointments] == [first, summer, winter, last]
    assert [a.id for a in week.days[5].appointments] == [saturday]

    load = calendar.month(AUTUMN, desk).days[24]
    # 25 hours, less the 00:30-02:30 break, which lasts three real hours that night.
    assert load == DayLoad(AUTUMN, 4, 240, 25 * 60 - 180, False)
