"""The calendar's new fields, the week and the month's load, on both databases; and the days
the clocks change (Europe/London, a fixed clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

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
)
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.calendar import (
    CATEGORY_PALETTE,
    CalendarService,
    RoomColumn,
)
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop

TODAY = date(2026, 11, 23)  # a Monday


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
