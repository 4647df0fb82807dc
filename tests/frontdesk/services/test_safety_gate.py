"""The safety gate at booking and at checkout: a match stops until a reason is given, which is
recorded (a SafetyOverride row and an audit entry naming the tag kind, never the health text)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.models import Appointment, AuditEntry, SafetyOverride, Sale, Service, ServiceTag
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.booking import BookingRequest, BookingService, LegRequest
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault, open_vault
from frontdesk.services.recurring import RecurringService
from frontdesk.services.safety_gate import SafetyStop, cannot_check, check
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import PIN, SeededShop

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def vault(database: UnitOfWork, shop: SeededShop) -> HealthVault:
    return open_vault(None, database)


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.receptionist_id, PIN)


@pytest.fixture
def owner(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.owner_id, PIN)


def _service(database: UnitOfWork, name: str) -> int:
    with database.read() as s:
        return int(s.scalars(select(Service.id).where(Service.name == name)).one())


def _tag(database: UnitOfWork, service_id: int, kind: str, tag: str) -> None:
    with database.write() as s:
        s.add(ServiceTag(service_id=service_id, kind=kind, tag=tag))


def _audit(database: UnitOfWork, action: str) -> list[str]:
    with database.read() as s:
        return list(s.scalars(select(AuditEntry.detail).where(AuditEntry.action == action)))


def _overrides(database: UnitOfWork) -> list[tuple[int | None, int | None, str]]:
    with database.read() as s:
        return [
            (o.appointment_id, o.sale_id, o.reason)
            for o in s.scalars(select(SafetyOverride).order_by(SafetyOverride.id))
        ]


@pytest.fixture
def boris_allergic_to_nuts(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    owner: SignedIn,
) -> int:
    health = ClientHealthService(database, clock, ShopService(database, clock), vault)
    health.set_consent(shop.boris_id, True, owner)
    health.add_entry(shop.boris_id, "allergy", "nuts", "severe", "Орехи: отёк", owner)
    facial = _service(database, "Hot Stone Facial")
    _tag(database, facial, "ingredient", "Масло ши")  # shea butter, typed in Russian
    return facial


def test_booking_stops_at_a_match_and_books_with_a_reason(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    desk: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    booking = BookingService(database, clock, ShopService(database, clock), vault=vault)
    facial = boris_allergic_to_nuts
    request = BookingRequest(
        (shop.boris_id,),
        datetime(2026, 11, 23, 11, 15, tzinfo=LONDON),
        (LegRequest(facial, shop.therapist_id),),
    )
    problem = booking.preview(request, desk).legs[0].problem
    assert isinstance(problem, SafetyStop)
    assert problem.params == {"item": "Hot Stone Facial", "tag": "Масло ши"}
    assert problem.match.entry_kind == "allergy"
    assert problem.match.allergen_code == "nuts"
    with pytest.raises(SafetyStop):
        booking.book_request(request, desk)
    with database.read() as s:
        assert s.scalar(select(func.count(Appointment.id))) == 2  # the seeded two only
    request = BookingRequest(
        request.client_ids, request.starts, request.legs, safety_reason="  Patch test clear "
    )
    assert booking.preview(request, desk).ok
    (appt_id,) = booking.book_request(request, desk)
    assert _overrides(database) == [(appt_id, None, "Patch test clear")]
    (detail,) = _audit(database, "safety.override")
    assert "ingredient" in detail
    assert "Орехи" not in detail
    assert "nuts" not in detail


def test_checkout_stops_at_a_match_and_records_the_reason_with_the_sale(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, vault: HealthVault, desk: SignedIn
) -> None:
    # Anna's allergy is an older plain row ("Nut oil"): the gate reads it all the same.
    _tag(database, _service(database, "Deep Tissue Massage"), "ingredient", "nut oil blend")
    checkout = CheckoutService(database, clock, vault=vault)
    quote = checkout.quote(shop.morning_appt_id)
    assert [(m.item_name, m.tag, m.severity) for m in quote.safety] == [
        ("Deep Tissue Massage", "nut oil blend", "severe")
    ]
    assert quote.needs_safety_reason
    with pytest.raises(SafetyStop) as stopped:
        checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    assert stopped.value.field == "safety_reason"
    with database.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 0
    sale = checkout.complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk, safety_reason="Used grapeseed oil"
    )
    assert _overrides(database) == [(shop.morning_appt_id, sale.sale_id, "Used grapeseed oil")]
    (detail,) = _audit(database, "safety.override")
    assert "Nut" not in detail


def test_a_reason_given_when_booking_is_not_asked_again_at_checkout(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    desk: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    booking = BookingService(database, clock, ShopService(database, clock), vault=vault)
    (appt_id,) = booking.book_request(
        BookingRequest(
            (shop.boris_id,),
            datetime(2026, 11, 23, 11, 15, tzinfo=LONDON),
            (LegRequest(boris_allergic_to_nuts, shop.therapist_id),),
            safety_reason="Nut-free stones oil today",
        ),
        desk,
    )
    checkout = CheckoutService(database, clock, vault=vault)
    quote = checkout.quote(appt_id)
    assert quote.safety
    assert not quote.needs_safety_reason
    checkout.complete_sale(appt_id, PaymentMethod.CARD, None, desk)
    assert len(_overrides(database)) == 1


def test_no_tags_no_stop(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, vault: HealthVault, desk: SignedIn
) -> None:
    checkout = CheckoutService(database, clock, vault=vault)
    assert checkout.quote(shop.morning_appt_id).safety == ()
    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    assert _overrides(database) == []


def test_repeating_a_gated_appointment_meets_the_gate_too(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    owner: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    """The repeat dialog's service built a booking service of its own, without the health key,
    so every repeat of a gated appointment went through unchecked. It books through the
    program's own now (the composition root hands it over)."""
    shop_service = ShopService(database, clock)
    booking = BookingService(database, clock, shop_service, vault=vault)
    (appt_id,) = booking.book_request(
        BookingRequest(
            (shop.boris_id,),
            datetime(2026, 11, 23, 11, 15, tzinfo=LONDON),
            (LegRequest(boris_allergic_to_nuts, shop.therapist_id),),
            safety_reason="Nut-free stones oil today",
        ),
        owner,
    )

    def borises() -> int:
        with database.read() as s:
            query = select(func.count(Appointment.id)).where(
                Appointment.customer_id == shop.boris_id
            )
            return int(s.scalar(query) or 0)

    before = borises()
    recurring = RecurringService(database, clock, shop_service, booking)
    with pytest.raises(SafetyStop):
        recurring.create(appt_id, 1, count=3, skip_conflicts=False, by=owner)
    assert borises() == before


def test_the_gate_says_it_is_blind_when_the_key_is_missing(
    database: UnitOfWork, shop: SeededShop, boris_allergic_to_nuts: int
) -> None:
    """No key here: the gate cannot read Boris's allergy, and says so rather than pass in
    silence; a client with nothing on file is not reported."""
    locked = HealthVault(None)
    with database.read() as session:
        assert check(session, locked, [shop.boris_id], [boris_allergic_to_nuts]) == ()
        assert cannot_check(session, locked, [shop.boris_id])
        assert not cannot_check(session, locked, [shop.wang_id])
        assert not cannot_check(session, None, [])


def test_the_booking_preview_says_when_the_gate_could_not_look(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    """The key is missing on this computer: Boris's sealed allergy cannot be read. The preview
    says so for him (not for Wang, with nothing on file) and the booking still goes ahead:
    a missing key must not stop the shop."""
    locked = HealthVault(None)
    booking = BookingService(database, clock, ShopService(database, clock), vault=locked)
    request = BookingRequest(
        (shop.boris_id, shop.wang_id),
        datetime(2026, 11, 23, 14, 0, tzinfo=LONDON),
        (LegRequest(boris_allergic_to_nuts),),
    )
    plan = booking.preview(request, desk)
    assert plan.health_unchecked == (shop.boris_id,)
    assert not any(isinstance(leg.problem, SafetyStop) for leg in plan.legs)
    alone = BookingRequest((shop.wang_id,), request.starts, request.legs)
    assert booking.preview(alone, desk).health_unchecked == ()
    booking.book_request(
        BookingRequest((shop.boris_id,), request.starts, request.legs, note="walk-in"), desk
    )
    assert _overrides(database) == []


def test_a_gate_that_can_read_says_nothing_of_being_blind(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    desk: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    booking = BookingService(database, clock, ShopService(database, clock), vault=vault)
    request = BookingRequest(
        (shop.boris_id,),
        datetime(2026, 11, 23, 14, 0, tzinfo=LONDON),
        (LegRequest(boris_allergic_to_nuts),),
    )
    assert booking.preview(request, desk).health_unchecked == ()


def _boris_facial(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, vault: HealthVault, facial: int
) -> int:
    """Boris's facial next Monday at 11:15, booked past the gate with a reason."""
    booking = BookingService(database, clock, ShopService(database, clock), vault=vault)
    (appt_id,) = booking.book_request(
        BookingRequest(
            (shop.boris_id,),
            datetime(2026, 11, 23, 11, 15, tzinfo=LONDON),
            (LegRequest(facial, shop.therapist_id),),
            safety_reason="Nut-free stones oil today",
        ),
        AuthService(database, clock).sign_in(shop.owner_id, PIN),
    )
    return appt_id


def test_a_repeat_asks_for_the_reason_once_and_records_it_with_every_appointment(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    desk: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    """The series is one decision, but each appointment carries its override (as a group or
    a sequence booking does, one per appointment matched), so checking out any repeat does not
    ask again and the audit names each appointment."""
    appt_id = _boris_facial(database, clock, shop, vault, boris_allergic_to_nuts)
    shop_service = ShopService(database, clock)
    booking = BookingService(database, clock, shop_service, vault=vault)
    recurring = RecurringService(database, clock, shop_service, booking)
    source = recurring.source(appt_id, desk)
    assert isinstance(source.safety, SafetyStop)
    assert source.safety.params == {"item": "Hot Stone Facial", "tag": "Масло ши"}
    assert not source.health_unchecked
    with pytest.raises(SafetyStop):
        recurring.create(appt_id, 1, count=3, skip_conflicts=False, by=desk)
    ids = recurring.create(
        appt_id, 1, count=3, skip_conflicts=False, by=desk, safety_reason=" Patch test clear "
    )
    assert len(ids) == 2
    overrides = _overrides(database)[1:]  # after the first booking's own
    assert overrides == [(i, None, "Patch test clear") for i in ids]
    details = _audit(database, "safety.override")[1:]
    assert details == [f"tag kinds: ingredient; appointment {i}" for i in ids]
    checkout = CheckoutService(database, clock, vault=vault)
    assert not checkout.quote(ids[0]).needs_safety_reason


def test_a_repeat_says_when_the_gate_could_not_look(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    desk: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    appt_id = _boris_facial(database, clock, shop, vault, boris_allergic_to_nuts)
    shop_service = ShopService(database, clock)
    blind = BookingService(database, clock, shop_service, vault=HealthVault(None))
    recurring = RecurringService(database, clock, shop_service, blind)
    source = recurring.source(appt_id, desk)
    assert source.health_unchecked
    assert source.safety is None
    assert len(recurring.create(appt_id, 1, count=2, skip_conflicts=False, by=desk)) == 1


def test_moving_a_gated_appointment_does_not_ask_again(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    vault: HealthVault,
    desk: SignedIn,
    boris_allergic_to_nuts: int,
) -> None:
    """A move or a resize keeps the client and the service, which are all the gate looks at:
    it is not asked again (checkout still checks, and finds the reason given at booking)."""
    appt_id = _boris_facial(database, clock, shop, vault, boris_allergic_to_nuts)
    booking = BookingService(database, clock, ShopService(database, clock), vault=vault)
    booking.move(appt_id, datetime(2026, 11, 23, 14, 0, tzinfo=LONDON), desk)
    booking.resize(appt_id, datetime(2026, 11, 23, 15, 0, tzinfo=LONDON), desk)
    assert len(_overrides(database)) == 1
    assert not CheckoutService(database, clock, vault=vault).quote(appt_id).needs_safety_reason
