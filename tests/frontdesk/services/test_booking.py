"""Booking through the service: price, audit, refusals by name, and two desks at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.models import (
    Appointment,
    AuditEntry,
    ClosedDay,
    OpeningHours,
    Room,
    Service,
    ServicePrice,
    Staff,
    StaffAbsence,
    StaffService,
    WorkingHours,
)
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.booking import BookingDraft, BookingService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)  # NOW's day; Tom works 09:00-18:00, has 10:00-11:00 (+15) booked


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _booking(db: UnitOfWork, clock: FixedClock) -> BookingService:
    return BookingService(db, clock, ShopService(db, clock))


def _service_id(db: UnitOfWork, name: str) -> int:
    with db.read() as s:
        return int(s.scalars(select(Service.id).where(Service.name == name)).one())


@pytest.fixture
def desk(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)


def test_a_booking_is_saved_with_the_days_price_and_audited(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    deep = _service_id(backend_db, "Deep Tissue Massage")
    with backend_db.write() as s:
        s.add(ServicePrice(service_id=deep, starts_on=MONDAY, price_minor=9000, tax_rate_bp=2000))
    booking = _booking(backend_db, clock)
    appt_id = booking.book(
        BookingDraft(backend_shop.boris_id, deep, backend_shop.therapist_id, at(14)), desk
    )
    with backend_db.read() as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        assert (appt.status, appt.price_minor, appt.staff_id) == (
            "booked",
            9000,
            backend_shop.therapist_id,
        )
        assert appt.starts_at == at(14).astimezone(appt.starts_at.tzinfo)
        assert appt.ends_at - appt.starts_at == timedelta(minutes=60)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "appointment.booked")).one()
        assert (audit.entity_id, audit.staff_id) == (appt_id, desk.staff_id)
    choices = booking.choices(desk, MONDAY)
    assert [s.name for s in choices.services] == ["Deep Tissue Massage", "Hot Stone Facial"]
    assert choices.services[0].price_minor == 9000
    assert {s.name for s in choices.staff} >= {"Tom Therapist", "Uma Therapist"}


def test_refusals_name_the_rule_and_the_appointment_in_the_way(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    booking = _booking(backend_db, clock)
    deep = _service_id(backend_db, "Deep Tissue Massage")
    tom, uma = backend_shop.therapist_id, backend_shop.therapist2_id

    def refused(draft: BookingDraft) -> DomainError:
        with pytest.raises(DomainError) as caught:
            booking.book(draft, desk)
        return caught.value

    clash = refused(BookingDraft(backend_shop.boris_id, deep, tom, at(11, 10)))
    assert isinstance(clash, ValidationError)
    assert clash.field == "starts"
    assert clash.params["appointment_id"] == backend_shop.morning_appt_id
    assert "10:00-11:00 Deep Tissue Massage" in clash.message
    off = refused(BookingDraft(backend_shop.boris_id, deep, uma, at(12)))
    assert off.text == "The therapist does not work on that day."
    late = refused(BookingDraft(backend_shop.boris_id, deep, tom, at(17, 30)))
    assert late.text == "That time is outside the therapist's working hours."
    busy_client = refused(BookingDraft(backend_shop.anna_id, deep, tom, at(9, 30)))
    assert busy_client.text.startswith("The therapist already") or busy_client.field == "client"
    with backend_db.write() as s:
        s.add(OpeningHours(weekday=0, open_minute=12 * 60, close_minute=20 * 60))
        s.add(ClosedDay(day=MONDAY + timedelta(days=7), note="Holiday"))
        s.add(
            StaffAbsence(
                staff_id=tom,
                first_day=MONDAY + timedelta(days=14),
                last_day=MONDAY + timedelta(days=14),
                kind="sick",
            )
        )
        s.add(StaffService(staff_id=tom, service_id=_service_id(backend_db, "Hot Stone Facial")))
    # Qualifications recorded now: Deep Tissue is not among Tom's.
    assert refused(BookingDraft(backend_shop.boris_id, deep, tom, at(14))).text == (
        "This therapist does not do this service."
    )
    facial = _service_id(backend_db, "Hot Stone Facial")
    assert refused(BookingDraft(backend_shop.boris_id, facial, tom, at(11, 30))).text == (
        "That time is outside the shop's opening hours."
    )
    assert (
        refused(
            BookingDraft(backend_shop.boris_id, facial, tom, at(14, day=MONDAY + timedelta(days=7)))
        ).text
        == "The shop is closed on that day."
    )
    assert (
        refused(
            BookingDraft(
                backend_shop.boris_id, facial, tom, at(14, day=MONDAY + timedelta(days=14))
            )
        ).text
        == "The therapist is away on that day."
    )
    with backend_db.write() as s:
        staff = s.get(Staff, uma)
        assert staff is not None
        staff.active = False
        service = s.get(Service, deep)
        assert service is not None
        service.active = False
    assert refused(BookingDraft(backend_shop.boris_id, facial, uma, at(14))).field == "staff"  # type: ignore[attr-defined]
    assert refused(BookingDraft(backend_shop.boris_id, deep, tom, at(14))).field == "service"  # type: ignore[attr-defined]
    assert refused(BookingDraft(999999, facial, tom, at(14))).field == "client"  # type: ignore[attr-defined]
    with backend_db.read() as s:
        assert s.scalar(select(func.count(Appointment.id))) == 2  # nothing half-saved


def test_a_service_needing_a_room_takes_a_free_one_and_is_refused_when_full(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    with backend_db.write() as s:
        sauna = s.get(Service, _service_id(backend_db, "Hot Stone Facial"))
        assert sauna is not None
        sauna.room_kind = "Sauna"
        sauna.capacity_used = 2
        s.add(Room(name="Sauna", kind="sauna", capacity=3))
    booking = _booking(backend_db, clock)
    first = booking.book(
        BookingDraft(backend_shop.boris_id, sauna.id, backend_shop.therapist_id, at(16)), desk
    )
    with backend_db.read() as s:
        appt = s.get(Appointment, first)
        assert appt is not None
        assert appt.room_id is not None
    with backend_db.write() as s:  # Uma works today too, so only the room is in the way
        s.add(
            WorkingHours(
                staff_id=backend_shop.therapist2_id, weekday=0, start_minute=540, end_minute=1080
            )
        )
    with pytest.raises(DomainError, match="full"):
        booking.book(
            BookingDraft(backend_shop.wang_id, sauna.id, backend_shop.therapist2_id, at(16, 30)),
            desk,
        )


def test_a_therapist_may_not_book(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    who = SignedIn(backend_shop.therapist_id, "Tom Therapist", Role.THERAPIST)
    deep = _service_id(backend_db, "Deep Tissue Massage")
    with pytest.raises(NotPermitted):
        _booking(backend_db, clock).book(
            BookingDraft(backend_shop.boris_id, deep, backend_shop.therapist_id, at(14)), who
        )


def _race(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            value = work(i)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(value)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    return results, errors


def test_two_desks_booking_the_same_slot_at_once_exactly_one_wins(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    booking = _booking(backend_db, clock)
    deep = _service_id(backend_db, "Deep Tissue Massage")
    clients = [
        backend_shop.boris_id,
        backend_shop.wang_id,
        backend_shop.anna_id,
        backend_shop.boris_id,
    ]
    results, errors = _race(
        4,
        lambda i: booking.book(
            BookingDraft(clients[i], deep, backend_shop.therapist_id, at(15)), desk
        ),
    )
    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(e, ValidationError) for e in errors)
    assert all(e.params.get("appointment_id") == results[0] for e in errors if e.field == "starts")  # type: ignore[attr-defined]
    with backend_db.read() as s:
        assert (
            s.scalar(
                select(func.count(Appointment.id)).where(
                    Appointment.staff_id == backend_shop.therapist_id
                )
            )
            == 2
        )
