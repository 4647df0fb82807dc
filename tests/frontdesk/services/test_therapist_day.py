"""Treatment notes (sealed, audited without their text) and the therapist's day."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import Appointment, AuditEntry, TreatmentNote
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import KEY_MISSING, HealthVault, VaultStatus, open_vault
from frontdesk.services.shop import ShopService
from frontdesk.services.therapist_day import TherapistDayService
from frontdesk.services.treatment_notes import TreatmentNoteService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop


@pytest.fixture
def vault(database: UnitOfWork, shop: SeededShop) -> HealthVault:
    return open_vault(None, database)


@pytest.fixture
def notes(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> TreatmentNoteService:
    return TreatmentNoteService(database, clock, ShopService(database, clock), vault)


@pytest.fixture
def day(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> TherapistDayService:
    return TherapistDayService(database, clock, ShopService(database, clock), vault)


def _as(database: UnitOfWork, clock: FixedClock, staff_id: int) -> SignedIn:
    return AuthService(database, clock).sign_in(staff_id, PIN)


@pytest.fixture
def tom(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return _as(database, clock, shop.therapist_id)


def test_a_note_is_sealed_read_back_and_audited_without_its_text(
    notes: TreatmentNoteService, database: UnitOfWork, tom: SignedIn, shop: SeededShop
) -> None:
    note_id = notes.write(
        shop.anna_id,
        "  Ослабить давление на шею; 肩膀紧 ",
        tom,
        appointment_id=shop.morning_appt_id,
    )
    (view,) = notes.notes(shop.anna_id, tom)
    assert (view.id, view.text, view.author_name, view.service_name) == (
        note_id,
        "Ослабить давление на шею; 肩膀紧",
        "Tom Therapist",
        "Deep Tissue Massage",
    )
    with database.read() as s:
        row = s.get(TreatmentNote, note_id)
        assert row is not None
        assert "шею".encode() not in bytes(row.body_sealed)
        (detail,) = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "note.written"))
    assert "шею" not in detail


def test_the_counter_may_not_read_or_write_notes_and_an_empty_note_is_refused(
    notes: TreatmentNoteService,
    database: UnitOfWork,
    clock: FixedClock,
    tom: SignedIn,
    shop: SeededShop,
) -> None:
    desk = _as(database, clock, shop.receptionist_id)
    with pytest.raises(NotPermitted):
        notes.write(shop.anna_id, "x", desk)
    with pytest.raises(NotPermitted):
        notes.notes(shop.anna_id, desk)
    with pytest.raises(ValidationError) as refused:
        notes.write(shop.anna_id, " \n ", tom)
    assert refused.value.field == "note"


def test_my_day_briefs_the_next_clients_without_money(
    day: TherapistDayService,
    notes: TreatmentNoteService,
    database: UnitOfWork,
    clock: FixedClock,
    vault: HealthVault,
    tom: SignedIn,
    shop: SeededShop,
) -> None:
    owner = _as(database, clock, shop.owner_id)
    health = ClientHealthService(database, clock, ShopService(database, clock), vault)
    health.set_consent(shop.boris_id, True, owner)
    health.add_entry(shop.boris_id, "allergy", "latex", "severe", "", owner)
    with database.write() as s:
        morning = s.get(Appointment, shop.morning_appt_id)
        assert morning is not None
        for hours, customer in ((-30 * 24, shop.boris_id), (3, shop.boris_id)):
            s.add(
                Appointment(
                    customer_id=customer,
                    staff_id=shop.therapist_id,
                    room_id=morning.room_id,
                    service_id=morning.service_id,
                    starts_at=NOW + timedelta(hours=hours),
                    ends_at=NOW + timedelta(hours=hours, minutes=60),
                    price_minor=8500,
                )
            )
    notes.write(shop.boris_id, "Likes the lavender oil", tom)
    clock.instant = NOW + timedelta(minutes=70)  # Anna's 10:00 is just over
    briefs = day.my_day(tom)
    assert [(b.customer_name, b.note_due) for b in briefs] == [
        ("Anna Smith", True),
        ("Борис Иванов", False),
    ]
    anna, boris = briefs
    assert [a.substance for a in anna.alerts] == ["Nut oil"]
    assert anna.preferences == (("Pressure", "Firm"),)
    assert [a.code for a in boris.alerts] == ["latex"]
    assert [n.text for n in boris.last_notes] == ["Likes the lavender oil"]
    assert [p.service_name for p in boris.last_services] == ["Deep Tissue Massage"]
    # No field of a brief is money.
    fields = {f.name for f in dataclasses.fields(anna)}
    assert not fields & {"price", "price_minor", "spend", "total", "lifetime_spend"}
    notes.write(shop.anna_id, "Firm, no neck", tom, appointment_id=shop.morning_appt_id)
    assert day.my_day(tom)[0].has_note
    # Later on, only what is still to come (and the visit just before it).
    clock.instant = NOW + timedelta(hours=8)
    assert [b.customer_name for b in day.my_day(tom)] == ["Борис Иванов"]
    assert day.my_day(_as(database, clock, shop.therapist2_id))[0].customer_name == "王芳"


def test_last_services_are_only_visits_already_had(
    day: TherapistDayService,
    database: UnitOfWork,
    clock: FixedClock,
    tom: SignedIn,
    shop: SeededShop,
) -> None:
    """A visit later today that has not begun is not a "last service" of the visit after it."""
    with database.write() as s:
        morning = s.get(Appointment, shop.morning_appt_id)
        assert morning is not None
        for hours, staff in ((2, shop.therapist2_id), (4, shop.therapist_id)):
            s.add(
                Appointment(
                    customer_id=shop.boris_id,
                    staff_id=staff,
                    room_id=morning.room_id,
                    service_id=morning.service_id,
                    starts_at=NOW + timedelta(hours=hours),
                    ends_at=NOW + timedelta(hours=hours, minutes=60),
                    price_minor=8500,
                )
            )
    clock.instant = NOW + timedelta(minutes=30)
    boris = next(b for b in day.my_day(tom) if b.customer_name == "Борис Иванов")
    assert boris.last_services == ()
    clock.instant = NOW + timedelta(hours=2, minutes=30)  # the 12:00 visit has begun
    boris = next(b for b in day.my_day(tom) if b.customer_name == "Борис Иванов")
    assert [p.service_name for p in boris.last_services] == ["Deep Tissue Massage"]


def test_a_locked_vault_says_the_allergies_cannot_be_shown(
    database: UnitOfWork, clock: FixedClock, tom: SignedIn, shop: SeededShop
) -> None:
    locked = HealthVault(None, VaultStatus(where="", problem=DomainError(KEY_MISSING)))
    day = TherapistDayService(database, clock, ShopService(database, clock), locked)
    clock.instant = NOW + timedelta(minutes=30)
    (anna,) = [b for b in day.my_day(tom) if b.customer_id == shop.anna_id]
    assert anna.alerts == ()
    assert anna.health_locked
    with_key = TherapistDayService(
        database, clock, ShopService(database, clock), open_vault(None, database)
    )
    (anna,) = [b for b in with_key.my_day(tom) if b.customer_id == shop.anna_id]
    assert anna.alerts
    assert not anna.health_locked
