"""The booking API: sequences, groups, anyone qualified, rooms and equipment, moves, resizes,
undo, overrides and bad input -- on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.models import (
    Appointment,
    AppointmentResource,
    AuditEntry,
    Booking,
    Customer,
    Resource,
    Room,
    Service,
    ServiceCategory,
    ServiceEquipment,
    WorkingHours,
)
from frontdesk.domain.errors import DomainError, FormErrors, RuleBroken, ValidationError
from frontdesk.domain.roles import Role
from frontdesk.domain.search_text import search_keys
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.booking import BookingRequest, BookingService, LegRequest
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=LONDON)


@pytest.fixture
def booking(backend_db: UnitOfWork, clock: FixedClock) -> BookingService:
    return BookingService(backend_db, clock, ShopService(backend_db, clock))


@pytest.fixture
def desk(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)


@pytest.fixture
def boss(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.owner_id, "Olivia Owner", Role.OWNER)


def _service(db: UnitOfWork, name: str) -> int:
    with db.read() as s:
        return int(s.scalars(select(Service.id).where(Service.name == name)).one())


def _uma_works(db: UnitOfWork, shop: SeededShop) -> None:
    with db.write() as s:
        s.add(
            WorkingHours(staff_id=shop.therapist2_id, weekday=0, start_minute=540, end_minute=1080)
        )


def _appointments(db: UnitOfWork) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Appointment.id))) or 0)


def _new_service(db: UnitOfWork, name: str, **kw: object) -> int:
    with db.write() as s:
        category = s.scalars(select(ServiceCategory)).first()
        assert category is not None
        service = Service(category=category, name=name, duration_minutes=60, price_minor=5000, **kw)
        s.add(service)
        s.flush()
        return service.id


def test_several_services_in_sequence_are_one_booking_and_the_cleanup_is_kept(
    backend_db: UnitOfWork, backend_shop: SeededShop, booking: BookingService, desk: SignedIn
) -> None:
    deep = _service(backend_db, "Deep Tissue Massage")
    facial = _service(backend_db, "Hot Stone Facial")
    tom = backend_shop.therapist_id
    request = BookingRequest(
        (backend_shop.boris_id,),
        at(11, 15),
        (LegRequest(deep, tom), LegRequest(facial, tom)),
        note=" Firm pressure ",
    )
    plan = booking.preview(request, desk)
    assert plan.ok
    assert [(leg.starts, leg.ends) for leg in plan.legs] == [
        (at(11, 15), at(12, 15)),
        (at(12, 30), at(13, 15)),  # Tom cleans up for 15 minutes first
    ]
    assert plan.total.minor == 8500 + 6000
    assert plan.legs[1].staff_name == "Tom Therapist"
    ids = booking.book_request(request, desk)
    with backend_db.read() as s:
        rows = [s.get(Appointment, i) for i in ids]
        assert all(r is not None and r.booking_id == rows[0].booking_id for r in rows)  # type: ignore[union-attr]
        assert rows[0] is not None
        assert rows[0].created_at is not None
        assert rows[0].notes == "Firm pressure"
        assert s.get(Booking, rows[0].booking_id).kind == "sequence"  # type: ignore[union-attr]
        audits = s.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "appointment.booked")
        )
        assert audits == 2


def test_anyone_qualified_takes_the_first_free_therapist(
    backend_db: UnitOfWork, backend_shop: SeededShop, booking: BookingService, desk: SignedIn
) -> None:
    _uma_works(backend_db, backend_shop)
    deep = _service(backend_db, "Deep Tissue Massage")
    request = BookingRequest((backend_shop.boris_id,), at(10), (LegRequest(deep),))
    plan = booking.preview(request, desk)
    # Olivia does not work, Tom has Anna at 10:00: Uma.
    assert plan.legs[0].staff_id == backend_shop.therapist2_id
    assert plan.legs[0].problem is None
    (appt_id,) = booking.book_request(request, desk)
    with backend_db.read() as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        assert appt.staff_id == backend_shop.therapist2_id
    # Nobody is left at 10:00: the preview says so at the leg, booking refuses.
    again = BookingRequest((backend_shop.wang_id,), at(10), (LegRequest(deep),))
    problem = booking.preview(again, desk).legs[0].problem
    assert isinstance(problem, RuleBroken)
    with pytest.raises(RuleBroken):
        booking.book_request(again, desk)


def test_a_couples_room_takes_two_with_two_therapists_and_refuses_a_third(
    backend_db: UnitOfWork, backend_shop: SeededShop, booking: BookingService, desk: SignedIn
) -> None:
    _uma_works(backend_db, backend_shop)
    couples = _new_service(backend_db, "Couples Massage", room_kind="couples")
    with backend_db.write() as s:
        s.add(Room(name="Rose Suite", kind="Couples", capacity=2))
    pair = BookingRequest(
        (backend_shop.boris_id, backend_shop.wang_id), at(15), (LegRequest(couples),)
    )
    ids = booking.book_request(pair, desk)
    with backend_db.read() as s:
        rows = [s.get(Appointment, i) for i in ids]
        assert {r.staff_id for r in rows if r} == {
            backend_shop.therapist_id,
            backend_shop.therapist2_id,
        }
        assert len({r.room_id for r in rows if r}) == 1
        booking_row = s.get(Booking, rows[0].booking_id)  # type: ignore[union-attr]
        assert booking_row is not None
        assert booking_row.kind == "group"
    with pytest.raises(RuleBroken):
        booking.book_request(
            BookingRequest((backend_shop.anna_id,), at(15, 30), (LegRequest(couples),)), desk
        )


def test_a_sauna_group_shares_its_attendant_up_to_the_rooms_places(
    backend_db: UnitOfWork, backend_shop: SeededShop, booking: BookingService, desk: SignedIn
) -> None:
    sauna = _new_service(backend_db, "Sauna Ritual", room_kind="sauna", buffer_minutes=10)
    with backend_db.write() as s:
        s.add(Room(name="Sauna", kind="sauna", capacity=3))
    tom = backend_shop.therapist_id
    three = (backend_shop.anna_id, backend_shop.boris_id, backend_shop.wang_id)
    ids = booking.book_request(BookingRequest(three, at(12), (LegRequest(sauna, tom),)), desk)
    assert len(ids) == 3
    with backend_db.write() as s:
        first, last = search_keys("Extra", "Guest")
        s.add(
            Customer(
                first_name="Extra",
                last_name="Guest",
                search_name=first,
                search_name_rev=last,
                created_at=at(9),
            )
        )
        s.flush()
        extra = s.scalars(select(Customer.id).where(Customer.first_name == "Extra")).one()
    with pytest.raises(RuleBroken) as caught:
        booking.book_request(BookingRequest((extra,), at(12), (LegRequest(sauna, tom),)), desk)
    assert caught.value.params["appointment_id"] in ids


def test_equipment_is_held_and_refused_when_in_use_unless_a_manager_overrides(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    booking: BookingService,
    desk: SignedIn,
    boss: SignedIn,
) -> None:
    _uma_works(backend_db, backend_shop)
    facial = _service(backend_db, "Hot Stone Facial")
    with backend_db.write() as s:
        steamer = Resource(name="Steamer", kind="steamer", quantity=1)
        s.add(steamer)
        s.flush()
        s.add(ServiceEquipment(service_id=facial, resource_id=steamer.id, quantity=1))
    tom, uma = backend_shop.therapist_id, backend_shop.therapist2_id
    (first,) = booking.book_request(
        BookingRequest((backend_shop.boris_id,), at(12), (LegRequest(facial, tom),)), desk
    )
    second = BookingRequest((backend_shop.anna_id,), at(12, 30), (LegRequest(facial, uma),))
    with pytest.raises(RuleBroken) as caught:
        booking.book_request(second, desk)
    assert caught.value.field == "equipment"
    assert caught.value.params["appointment_id"] == first
    assert _appointments(backend_db) == 3
    reason = BookingRequest(
        second.client_ids, second.starts, second.legs, override_reason="Second steamer on loan"
    )
    with pytest.raises(NotPermitted):
        booking.book_request(reason, desk)
    (forced,) = booking.book_request(reason, boss)
    with backend_db.read() as s:
        held = s.scalars(
            select(AppointmentResource.resource_id).where(
                AppointmentResource.appointment_id == forced
            )
        ).all()
        assert held == [steamer.id]
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "appointment.override")
        ).one()
        assert audit.entity_id == forced
        assert audit.detail == (
            "The equipment this service needs is in use then: {start}-{end} {service}."
            " | Second steamer on loan"
        )
        assert "Anna" not in audit.detail


def test_moves_and_resizes_are_checked_audited_and_undone(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    booking: BookingService,
    desk: SignedIn,
    boss: SignedIn,
) -> None:
    _uma_works(backend_db, backend_shop)
    morning = backend_shop.morning_appt_id
    # Half an hour later overlaps its own old place: it is not in its own way.
    moved = booking.move(morning, at(10, 30), desk)
    assert (moved.old_starts, moved.new_starts, moved.new_ends) == (at(10), at(10, 30), at(11, 30))
    # Onto Uma at 14:00: Wang is there (and the Garden Room it keeps is taken).
    with pytest.raises(RuleBroken) as caught:
        booking.move(morning, at(14), desk, staff_id=backend_shop.therapist2_id)
    assert caught.value.params["appointment_id"] == backend_shop.afternoon_appt_id
    back = booking.undo(moved, desk)
    assert back.new_starts == at(10)
    with pytest.raises(DomainError, match="changed since"):
        booking.undo(moved, desk)
    # Resizing.
    grown = booking.resize(morning, at(11, 30), desk)
    assert grown.new_ends == at(11, 30)
    for ends, template in [
        (at(9, 59), "An appointment must end after it starts."),
        (at(10), "An appointment must end after it starts."),
        (at(10, 3), "An appointment lasts at least {minutes} minutes."),
        (at(10) + timedelta(days=1), "An appointment must end on the day it starts."),
    ]:
        with pytest.raises(ValidationError) as bad:
            booking.resize(morning, ends, desk)
        assert bad.value.field == "ends"
        assert bad.value.text == template
        assert not isinstance(bad.value, RuleBroken)
    with pytest.raises(RuleBroken, match="working hours"):
        booking.resize(morning, at(18, 30), desk)
    over = booking.resize(morning, at(18, 30), boss, override_reason="Late client, agreed")
    assert over.new_ends == at(18, 30)
    with backend_db.read() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_id == morning).order_by(AuditEntry.id)
        ).all()
    assert actions == [
        "appointment.moved",
        "appointment.moved",
        "appointment.resized",
        "appointment.override",
        "appointment.resized",
    ]
    # A finished appointment stays where it was.
    with backend_db.write() as s:
        appt = s.get(Appointment, morning)
        assert appt is not None
        appt.status = "completed"
    with pytest.raises(DomainError, match="cannot be moved"):
        booking.move(morning, at(12), desk)


def test_bad_input_is_named_at_every_field_and_nothing_is_saved(
    backend_db: UnitOfWork, backend_shop: SeededShop, booking: BookingService, desk: SignedIn
) -> None:
    before = _appointments(backend_db)
    with pytest.raises(FormErrors) as caught:
        booking.book_request(
            BookingRequest((999_999,), datetime(2026, 11, 23, 12), (LegRequest(999_999, 999_999),)),
            desk,
        )
    assert set(caught.value.errors) == {"starts", "client", "service", "staff"}
    with pytest.raises(FormErrors) as empty:
        booking.book_request(BookingRequest((), at(12), ()), desk)
    assert set(empty.value.errors) == {"client", "service"}
    # An appointment running past midnight is impossible, not overridable.
    late = _new_service(backend_db, "Night Soak")
    with backend_db.write() as s:
        soak = s.get(Service, late)
        assert soak is not None
        soak.duration_minutes = 120
    with pytest.raises(ValidationError) as midnight:
        booking.book_request(
            BookingRequest(
                (backend_shop.boris_id,),
                at(23),
                (LegRequest(late, backend_shop.therapist_id),),
                override_reason="anyway",
            ),
            SignedIn(backend_shop.owner_id, "Olivia Owner", Role.OWNER),
        )
    assert not isinstance(midnight.value, RuleBroken)
    assert _appointments(backend_db) == before


def test_choices_list_rooms_and_equipment_for_choosing_by_hand(
    backend_db: UnitOfWork, booking: BookingService, desk: SignedIn
) -> None:
    with backend_db.write() as s:
        s.add(Resource(name="Steamer", kind="steamer", quantity=2))
        s.add(Room(name="Old Room", kind="treatment", active=False))
    choices = booking.choices(desk, MONDAY)
    assert [r.name for r in choices.rooms] == ["Garden Room"]
    assert [(r.name, r.quantity) for r in choices.resources] == [("Steamer", 2)]


def test_a_booking_across_the_clock_change_lasts_its_real_minutes(
    backend_db: UnitOfWork, backend_shop: SeededShop, booking: BookingService, desk: SignedIn
) -> None:
    with backend_db.write() as s:  # Tom works Sunday nights too
        s.add(
            WorkingHours(
                staff_id=backend_shop.therapist_id, weekday=6, start_minute=0, end_minute=720
            )
        )
    deep = _service(backend_db, "Deep Tissue Massage")
    # 29 March 2026: London's clocks go from 01:00 to 02:00.
    starts = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    (appt_id,) = booking.book_request(
        BookingRequest(
            (backend_shop.boris_id,), starts, (LegRequest(deep, backend_shop.therapist_id),)
        ),
        desk,
    )
    with backend_db.read() as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        assert appt.ends_at - appt.starts_at == timedelta(minutes=60)
        assert appt.ends_at.astimezone(LONDON).hour == 2
    # The hour after is held (02:30 wall clock + 15 minutes' cleanup).
    with pytest.raises(RuleBroken):
        booking.book_request(
            BookingRequest(
                (backend_shop.wang_id,),
                datetime(2026, 3, 29, 2, 40, tzinfo=LONDON),
                (LegRequest(deep, backend_shop.therapist_id),),
            ),
            desk,
        )
