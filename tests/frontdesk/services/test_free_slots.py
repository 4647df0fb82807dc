"""FreeSlotService.find: the next free slots on a real database (SQLite and PostgreSQL), priced
on their day, and each one books as it stands."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.models import Customer, Service, ServicePrice, StaffService, WorkingHours
from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.booking import BookingRequest, BookingService, LegRequest
from frontdesk.services.clock import FixedClock
from frontdesk.services.free_slots import FreeSlotService, SlotQuery
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.busy_shop import seed_busy_shop
from tests.seed import SeededShop

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)  # NOW is 10:00 that day; Tom is booked 10:00-11:00 (+15 cleanup)


@pytest.fixture
def slots(backend_db: UnitOfWork, clock: FixedClock) -> FreeSlotService:
    return FreeSlotService(backend_db, clock, ShopService(backend_db, clock))


@pytest.fixture
def desk(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)


def _service(db: UnitOfWork, name: str) -> int:
    with db.read() as s:
        return int(s.scalars(select(Service.id).where(Service.name == name)).one())


def _when(slot_starts: datetime) -> str:
    return slot_starts.astimezone(LONDON).strftime("%a %d %H:%M")


def test_the_next_slots_after_the_booked_hour_and_its_cleanup(
    slots: FreeSlotService, desk: SignedIn, backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    deep = _service(backend_db, "Deep Tissue Massage")
    found = slots.find(SlotQuery((deep,), MONDAY, step_minutes=15), desk, limit=2)
    assert [_when(s.starts) for s in found] == ["Mon 23 11:15", "Mon 23 11:30"]
    leg = found[0].legs[0]
    assert (leg.staff_id, leg.staff_name, leg.service_name) == (
        backend_shop.therapist_id,
        "Tom Therapist",
        "Deep Tissue Massage",
    )
    assert leg.price.minor == 8500
    assert _when(found[0].ends) == "Mon 23 12:15"


def test_a_slot_found_books_as_it_stands(
    slots: FreeSlotService,
    desk: SignedIn,
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    clock: FixedClock,
) -> None:
    deep = _service(backend_db, "Deep Tissue Massage")
    query = SlotQuery((deep,), MONDAY, client_id=backend_shop.boris_id)
    first = slots.find(query, desk, limit=1)[0]
    booking = BookingService(backend_db, clock, ShopService(backend_db, clock))
    request = BookingRequest(
        (backend_shop.boris_id,),
        first.starts,
        tuple(LegRequest(leg.service_id, leg.staff_id, leg.room_id) for leg in first.legs),
    )
    assert len(booking.book_request(request, desk)) == 1
    # Booked now: the next search starts after it and its cleanup.
    again = slots.find(query, desk, limit=1)[0]
    assert _when(again.starts) == "Mon 23 12:30"


def test_weekdays_window_and_a_price_from_a_later_day(
    slots: FreeSlotService,
    desk: SignedIn,
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    clock: FixedClock,
) -> None:
    deep = _service(backend_db, "Deep Tissue Massage")
    with backend_db.write() as s:
        s.add(ServicePrice(service_id=deep, starts_on=date(2026, 11, 30), price_minor=9000,
                           tax_rate_bp=2000))  # fmt: skip
    # Over by 18:00 with its cleanup: 16:45 is the last start on Tom's Mondays.
    query = SlotQuery((deep,), MONDAY, weekdays=frozenset({0}), from_minute=16 * 60 + 45)
    found = slots.find(query, desk, limit=2)
    assert [_when(s.starts) for s in found] == ["Mon 23 16:45", "Mon 30 16:45"]
    assert [s.legs[0].price.minor for s in found] == [8500, 9000]
    # The second week is read on its own (only what could be in the way): a booking there
    # is still seen.
    booking = BookingService(backend_db, clock, ShopService(backend_db, clock))
    legs = (LegRequest(deep, backend_shop.therapist_id),)
    booking.book_request(BookingRequest((backend_shop.boris_id,), found[1].starts, legs), desk)
    found = slots.find(query, desk, limit=2)
    assert [_when(s.starts) for s in found] == ["Mon 23 16:45", "Mon 07 16:45"]
    assert slots.find(SlotQuery((deep,), MONDAY, weekdays=frozenset({1})), desk) == ()


def test_a_named_therapist_and_two_services_in_sequence(
    slots: FreeSlotService, desk: SignedIn, backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    deep = _service(backend_db, "Deep Tissue Massage")
    facial = _service(backend_db, "Hot Stone Facial")
    with backend_db.write() as s:
        s.add(WorkingHours(staff_id=backend_shop.therapist2_id, weekday=0, start_minute=12 * 60,
                           end_minute=16 * 60))  # fmt: skip
        s.add(StaffService(staff_id=backend_shop.therapist2_id, service_id=facial))
    # Uma does only the facial: she gets it straight after Tom's massage; Tom does both.
    found = slots.find(SlotQuery((deep, facial), MONDAY, step_minutes=60), desk, limit=1)
    legs = found[0].legs
    assert [(leg.staff_name, _when(leg.starts)) for leg in legs] == [
        ("Tom Therapist", "Mon 23 12:00"),
        ("Uma Therapist", "Mon 23 13:00"),
    ]
    named = SlotQuery((deep, facial), MONDAY, step_minutes=60, staff_id=backend_shop.therapist_id)
    legs = slots.find(named, desk, limit=1)[0].legs
    assert [(leg.staff_name, _when(leg.starts)) for leg in legs] == [
        ("Tom Therapist", "Mon 23 12:00"),
        ("Tom Therapist", "Mon 23 13:15"),
    ]
    only_uma = SlotQuery((deep,), MONDAY, days=14, staff_id=backend_shop.therapist2_id)
    assert slots.find(only_uma, desk) == ()


def test_bad_input_is_told_at_every_field_at_once(
    slots: FreeSlotService, desk: SignedIn, backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    with pytest.raises(FormErrors) as caught:
        slots.find(SlotQuery((), MONDAY, from_minute=12 * 60, to_minute=9 * 60, days=0), desk)
    assert set(caught.value.errors) == {"service", "window", "slot_days"}
    deep = _service(backend_db, "Deep Tissue Massage")
    with pytest.raises(ValidationError) as one:
        slots.find(SlotQuery((deep,), MONDAY, staff_id=99999), desk)
    assert one.value.field == "staff"
    with pytest.raises(ValidationError) as unknown:
        slots.find(SlotQuery((99999,), MONDAY), desk)
    assert unknown.value.field == "service"


def test_only_those_who_book_may_search(
    slots: FreeSlotService, backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    therapist = SignedIn(backend_shop.therapist_id, "Tom Therapist", Role.THERAPIST)
    with pytest.raises(NotPermitted):
        slots.find(SlotQuery((_service(backend_db, "Deep Tissue Massage"),), MONDAY), therapist)


def test_on_a_busy_calendar_the_first_slot_books_and_is_then_taken(
    backend_db: UnitOfWork, clock: FixedClock
) -> None:
    busy = seed_busy_shop(backend_db, MONDAY, therapists=3, days=14, booked=0.8)
    owner = SignedIn(busy.owner_id, "Olivia Owner", Role.OWNER)
    slots = FreeSlotService(backend_db, clock, ShopService(backend_db, clock))
    booking = BookingService(backend_db, clock, ShopService(backend_db, clock))
    with backend_db.read() as s:
        client = int(s.scalars(select(Customer.id).order_by(Customer.id)).first() or 0)
    for service_id in (busy.massage_id, busy.long_ritual_id):
        query = SlotQuery((service_id,), MONDAY, days=14, client_id=client)
        first = slots.find(query, owner, limit=3)[0]
        legs = tuple(LegRequest(leg.service_id, leg.staff_id, leg.room_id) for leg in first.legs)
        booking.book_request(BookingRequest((client,), first.starts, legs), owner)
        again = slots.find(query, owner, limit=20)
        assert again
        assert all(s.starts >= first.ends or s.ends <= first.starts for s in again)
