"""The calendar's day: values in the shop's zone (the window writes them), on both databases."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from db.models import Appointment, ShopProfile, Staff, WorkingHours
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.money import Money
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.calendar import AppointmentView, CalendarService, DaySchedule
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def shop_service(backend_db: UnitOfWork, clock: FixedClock) -> ShopService:
    return ShopService(backend_db, clock)


@pytest.fixture
def calendar(
    backend_db: UnitOfWork, clock: FixedClock, shop_service: ShopService
) -> CalendarService:
    return CalendarService(backend_db, clock, shop_service)


@pytest.fixture
def desk(backend_db: UnitOfWork, clock: FixedClock, backend_shop: SeededShop) -> SignedIn:
    return AuthService(backend_db, clock).sign_in(backend_shop.receptionist_id, PIN)


def test_the_day_is_values_not_words(
    calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    day = calendar.day(TODAY, desk)
    assert day.day == TODAY
    tom, uma = day.therapists
    assert (tom.id, tom.name, tom.hours, tom.off) == (
        backend_shop.therapist_id,
        "Tom Therapist",
        ((9 * 60, 18 * 60),),
        False,
    )
    assert (uma.id, uma.hours, uma.off) == (backend_shop.therapist2_id, (), True)
    morning, afternoon = day.appointments
    assert morning.id == backend_shop.morning_appt_id
    assert morning.price == Money(8500, "GBP")
    assert morning.status is AppointmentStatus.BOOKED
    assert morning.starts == NOW
    assert morning.ends == NOW + timedelta(hours=1)
    assert morning.starts.tzinfo == LONDON  # in the shop's zone, for the grid's rows
    assert (morning.customer_name, morning.service_name, morning.room_name) == (
        "Anna Smith",
        "Deep Tissue Massage",
        "Garden Room",
    )
    assert morning.has_allergies
    assert not morning.paid
    assert morning.payable
    assert afternoon.customer_name == "王芳"
    assert not afternoon.has_allergies
    assert day.for_therapist(backend_shop.therapist2_id) == (afternoon,)


def test_no_field_is_text_written_for_people(calendar: CalendarService, desk: SignedIn) -> None:
    """Only names travel as text; money, times, statuses and hours are values the ui writes."""
    names = {
        "name",
        "color",
        "category_color",
        "customer_name",
        "service_name",
        "room_name",
        "therapist_name",
        "closed_note",  # the owner's own words for a closed day
    }
    day = calendar.day(TODAY, desk)
    for value in (day, *day.therapists, *day.appointments):
        for field in dataclasses.fields(value):
            if type(getattr(value, field.name)) is str:  # an enum is a str too: it may pass
                assert field.name in names, f"{type(value).__name__}.{field.name} is a string"
    assert not hasattr(DaySchedule, "title")
    assert not hasattr(AppointmentView, "time_range")


def test_a_paid_visit_is_no_longer_payable(
    backend_db: UnitOfWork,
    clock: FixedClock,
    shop_service: ShopService,
    calendar: CalendarService,
    desk: SignedIn,
    backend_shop: SeededShop,
) -> None:
    checkout = CheckoutService(backend_db, clock, shop_service)
    checkout.complete_sale(backend_shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    morning, afternoon = calendar.day(TODAY, desk).appointments
    assert morning.paid
    assert not morning.payable
    assert morning.status is AppointmentStatus.COMPLETED
    assert afternoon.payable


@pytest.mark.parametrize("status", [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW])
def test_cancelled_and_missed_visits_are_not_payable(
    backend_db: UnitOfWork,
    calendar: CalendarService,
    desk: SignedIn,
    backend_shop: SeededShop,
    status: AppointmentStatus,
) -> None:
    with backend_db.write() as s:
        s.execute(
            update(Appointment)
            .where(Appointment.id == backend_shop.afternoon_appt_id)
            .values(status=status.value)
        )
    afternoon = calendar.day(TODAY, desk).appointments[1]
    assert afternoon.status is status
    assert not afternoon.paid
    assert not afternoon.payable


def test_the_day_is_the_shops_local_day_in_summer_time(
    backend_db: UnitOfWork,
    calendar: CalendarService,
    desk: SignedIn,
    backend_shop: SeededShop,
) -> None:
    """00:30 on 1 July in London is 23:30 UTC on 30 June: it belongs to 1 July."""
    at = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    with backend_db.write() as s:
        s.execute(
            update(Appointment)
            .where(Appointment.id == backend_shop.morning_appt_id)
            .values(starts_at=at, ends_at=at + timedelta(hours=1))
        )
    assert calendar.day(date(2026, 6, 30), desk).appointments == ()
    (moved,) = calendar.day(date(2026, 7, 1), desk).appointments
    assert moved.starts == at
    assert (moved.starts.hour, moved.starts.minute, moved.starts.utcoffset()) == (
        0,
        30,
        timedelta(hours=1),
    )


def test_who_has_a_column(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn, backend_shop: SeededShop
) -> None:
    """Active therapists, and anyone booked that day (a receptionist doing a treatment, a
    therapist who has since left); never the owner or an inactive therapist with no booking."""
    with backend_db.write() as s:
        s.execute(update(Staff).where(Staff.id == backend_shop.therapist_id).values(active=False))
        s.execute(
            update(Appointment)
            .where(Appointment.id == backend_shop.afternoon_appt_id)
            .values(staff_id=backend_shop.receptionist_id)
        )
        s.add(
            WorkingHours(
                staff_id=backend_shop.therapist2_id, weekday=0, start_minute=600, end_minute=720
            )
        )
        s.add(
            WorkingHours(
                staff_id=backend_shop.therapist2_id, weekday=0, start_minute=780, end_minute=1020
            )
        )
    day = calendar.day(TODAY, desk)
    columns = {t.id: t.hours for t in day.therapists}
    assert columns == {
        backend_shop.receptionist_id: (),
        backend_shop.therapist_id: ((540, 1080),),  # inactive now, but booked today
        backend_shop.therapist2_id: ((600, 720), (780, 1020)),  # two spans, in order
    }
    # Not booked on the next Monday: the inactive therapist has no column.
    next_week = calendar.day(TODAY + timedelta(days=7), desk)
    assert [t.id for t in next_week.therapists] == [backend_shop.therapist2_id]


def test_the_zone_follows_the_shop_profile(
    backend_db: UnitOfWork, calendar: CalendarService, desk: SignedIn
) -> None:
    """A shop that moves its zone sees its appointments at the new local times at once."""
    calendar.day(TODAY, desk)  # the profile is cached now
    with backend_db.write() as s:
        s.execute(update(ShopProfile).values(timezone="Asia/Shanghai"))
        assert s.scalar(select(ShopProfile.timezone)) == "Asia/Shanghai"
    morning, afternoon = calendar.day(TODAY, desk).appointments
    assert (morning.starts.hour, str(morning.starts.tzinfo)) == (18, "Asia/Shanghai")
    assert afternoon.starts.hour == 22
