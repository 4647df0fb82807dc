"""Statuses through the service: each step stamped, audited, permitted, and only along the table;
late cancellations at the window's edge; checkout still takes payment after "finish"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from db.models import Appointment, AuditEntry, ShopProfile
from frontdesk.domain.appointments import AppointmentStatus, allowed_next
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.roles import Role
from frontdesk.services.appointment_status import AppointmentStatusService
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import SeededShop

S = AppointmentStatus


@pytest.fixture
def desk(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)


@pytest.fixture
def therapist(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.therapist_id, "Tom Therapist", Role.THERAPIST)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW - timedelta(hours=2))  # 08:00, two hours before the morning visit


@pytest.fixture
def statuses(backend_db: UnitOfWork, clock: FixedClock) -> AppointmentStatusService:
    return AppointmentStatusService(backend_db, clock, ShopService(backend_db, clock))


def _row(db: UnitOfWork, appt_id: int) -> Appointment:
    with db.read() as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        return appt


def _audit(db: UnitOfWork, appt_id: int) -> list[tuple[str, str, int | None]]:
    with db.read() as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == appt_id).order_by(AuditEntry.id)
        ).all()
        return [(r.action, r.detail, r.staff_id) for r in rows]


def test_the_whole_visit_is_stamped_and_audited_step_by_step(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    desk: SignedIn,
    therapist: SignedIn,
) -> None:
    appt = backend_shop.morning_appt_id
    statuses.confirm(appt, desk)
    clock.instant = NOW - timedelta(minutes=5)
    statuses.arrive(appt, desk)
    clock.instant = NOW + timedelta(minutes=2)
    statuses.start(appt, therapist)
    clock.instant = NOW + timedelta(minutes=58)
    statuses.finish(appt, therapist)
    row = _row(backend_db, appt)
    assert row.status == S.COMPLETED.value
    assert row.arrived_at == NOW - timedelta(minutes=5)
    assert row.started_at == NOW + timedelta(minutes=2)
    assert row.finished_at == NOW + timedelta(minutes=58)
    assert _audit(backend_db, appt) == [
        ("appointment.confirmed", "booked -> confirmed", desk.staff_id),
        ("appointment.checked_in", "confirmed -> checked_in", desk.staff_id),
        ("appointment.in_service", "checked_in -> in_service", therapist.staff_id),
        ("appointment.completed", "in_service -> completed", therapist.staff_id),
    ]


def test_a_finished_visit_can_still_be_paid(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    desk: SignedIn,
) -> None:
    appt = backend_shop.morning_appt_id
    for step in (statuses.arrive, statuses.start, statuses.finish):
        step(appt, desk)
    checkout = CheckoutService(backend_db, clock, ShopService(backend_db, clock))
    sale = checkout.complete_sale(appt, PaymentMethod.CARD, None, desk)
    assert sale.total.minor == 8500
    assert _row(backend_db, appt).status == S.COMPLETED.value


def test_a_refused_step_names_both_statuses_and_changes_nothing(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    desk: SignedIn,
) -> None:
    appt = backend_shop.morning_appt_id
    with pytest.raises(DomainError) as refused:
        statuses.start(appt, desk)  # not arrived yet
    assert refused.value.params == {"current": S.BOOKED, "wanted": S.IN_SERVICE}
    assert "Booked" not in refused.value.message  # the code; the window writes the label
    assert _row(backend_db, appt).status == S.BOOKED.value
    assert _audit(backend_db, appt) == []
    statuses.confirm(appt, desk)
    with pytest.raises(DomainError, match="already"):
        statuses.confirm(appt, desk)


def test_permissions_follow_the_roles(
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    therapist: SignedIn,
) -> None:
    appt = backend_shop.morning_appt_id
    with pytest.raises(NotPermitted):
        statuses.confirm(appt, therapist)
    with pytest.raises(NotPermitted):
        statuses.cancel(appt, "Flu", therapist)
    with pytest.raises(NotPermitted):
        statuses.no_show(appt, therapist)
    statuses.arrive(appt, therapist)  # therapists serve


def test_no_show_only_after_the_start(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    desk: SignedIn,
) -> None:
    appt = backend_shop.morning_appt_id
    with pytest.raises(DomainError) as early:
        statuses.no_show(appt, desk)
    assert early.value.params == {"start": NOW}
    clock.instant = NOW + timedelta(minutes=20)
    statuses.no_show(appt, desk)
    assert _row(backend_db, appt).status == S.NO_SHOW.value
    with pytest.raises(DomainError):
        statuses.arrive(appt, desk)  # final


def test_cancel_needs_a_reason_and_keeps_it_out_of_the_audit(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    desk: SignedIn,
) -> None:
    appt = backend_shop.morning_appt_id
    with pytest.raises(ValidationError) as missing:
        statuses.cancel(appt, "   ", desk)
    assert missing.value.field == "cancel_reason"
    with pytest.raises(ValidationError):
        statuses.cancel(appt, "x" * 201, desk)
    assert _row(backend_db, appt).status == S.BOOKED.value
    statuses.cancel(appt, "Back  pain,\nneeds rest", desk)
    row = _row(backend_db, appt)
    assert (row.status, row.cancel_reason) == (S.CANCELLED.value, "Back pain, needs rest")
    assert row.cancelled_at == NOW - timedelta(hours=2)
    assert all("pain" not in detail for _a, detail, _s in _audit(backend_db, appt))


def test_late_cancellation_at_the_windows_edge(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    desk: SignedIn,
) -> None:
    """The afternoon visit starts at 14:00; the shop's window is 3 hours: at 11:00 sharp it is
    late, a second before it is not."""
    with backend_db.write() as s:
        s.execute(update(ShopProfile).values(late_cancel_hours=3))
    afternoon = backend_shop.afternoon_appt_id
    morning = backend_shop.morning_appt_id
    starts = NOW + timedelta(hours=4)
    clock.instant = starts - timedelta(hours=3, seconds=1)
    assert statuses.cancel(morning, "Changed plans", desk) is True  # 10:00 has passed
    assert statuses.cancel(afternoon, "Changed plans", desk) is False
    assert _row(backend_db, afternoon).late_cancel is False
    assert _row(backend_db, morning).late_cancel is True
    assert _audit(backend_db, morning)[-1][1] == "booked -> cancelled (late)"


def test_cancelling_exactly_at_the_edge_is_late(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    desk: SignedIn,
) -> None:
    starts = NOW + timedelta(hours=4)
    clock.instant = starts - timedelta(hours=24)  # the default window: 24 hours
    assert statuses.cancel(backend_shop.afternoon_appt_id, "Ill", desk) is True
    assert _row(backend_db, backend_shop.afternoon_appt_id).late_cancel is True


def test_a_missing_appointment_is_a_known_error(
    backend_shop: SeededShop, statuses: AppointmentStatusService, desk: SignedIn
) -> None:
    with pytest.raises(DomainError, match="no longer exists"):
        statuses.arrive(999_999, desk)


def test_the_client_card_counts_no_shows_and_late_cancellations_only(
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    desk: SignedIn,
) -> None:
    from frontdesk.services.clients import ClientService

    clients = ClientService(backend_db, clock, ShopService(backend_db, clock))
    with backend_db.write() as s:
        morning = s.get(Appointment, backend_shop.morning_appt_id)
        assert morning is not None
        # Two more visits for Anna: one cancelled in good time, one late.
        early, late = (
            Appointment(
                customer_id=morning.customer_id,
                staff_id=morning.staff_id,
                service_id=morning.service_id,
                starts_at=NOW + timedelta(hours=hours),
                ends_at=NOW + timedelta(hours=hours + 1),
                price_minor=8500,
            )
            for hours in (72, 12)
        )
        s.add_all([early, late])
        s.flush()
        early_id, late_id = early.id, late.id
    assert statuses.cancel(early_id, "Holiday", desk) is False
    assert statuses.cancel(late_id, "Holiday", desk) is True
    clock.instant = NOW + timedelta(minutes=15)
    statuses.no_show(backend_shop.morning_appt_id, desk)
    card = clients.card(backend_shop.anna_id, desk)
    assert (card.no_shows, card.late_cancellations) == (1, 1)


ACTIONS = ("confirm", "arrive", "start", "finish", "no_show", "cancel")
TARGET = {
    "confirm": S.CONFIRMED,
    "arrive": S.CHECKED_IN,
    "start": S.IN_SERVICE,
    "finish": S.COMPLETED,
    "no_show": S.NO_SHOW,
    "cancel": S.CANCELLED,
}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(ACTIONS), max_size=8))
def test_any_sequence_of_desk_actions_only_follows_the_table(
    database: UnitOfWork, shop: SeededShop, actions: list[str]
) -> None:
    """Whatever a desk clicks, in any order: a step the table allows is taken, any other is
    refused and changes nothing, and what is stored always followed the table."""
    clock = FixedClock(NOW + timedelta(minutes=5))  # after the start: no-show is possible
    statuses = AppointmentStatusService(database, clock, ShopService(database, clock))
    owner = SignedIn(shop.owner_id, "Olivia Owner", Role.OWNER)
    appt = shop.morning_appt_id
    with database.write() as s:
        s.execute(update(Appointment).where(Appointment.id == appt).values(status=S.BOOKED.value))
    current = S.BOOKED
    for action in actions:
        args = (appt, "Reason", owner) if action == "cancel" else (appt, owner)
        try:
            getattr(statuses, action)(*args)
        except DomainError:
            assert TARGET[action] not in allowed_next(current)
        else:
            assert TARGET[action] in allowed_next(current)
            current = TARGET[action]
        assert _row(database, appt).status == current.value
