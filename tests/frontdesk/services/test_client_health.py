"""Health entries, patch tests and consent through ClientHealthService, sealed at rest."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from db.models import Allergy, AuditEntry, Customer, PatchTest, TreatmentNote
from frontdesk.domain.errors import FormErrors
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.client_health import ClientHealthService, ConsentNeeded, alerts_for
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault, open_vault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop


@pytest.fixture
def vault(database: UnitOfWork, shop: SeededShop) -> HealthVault:
    return open_vault(None, database)


@pytest.fixture
def health(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> ClientHealthService:
    return ClientHealthService(database, clock, ShopService(database, clock), vault)


def _as(database: UnitOfWork, clock: FixedClock, staff_id: int) -> SignedIn:
    return AuthService(database, clock).sign_in(staff_id, PIN)


@pytest.fixture
def owner(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return _as(database, clock, shop.owner_id)


def test_entries_are_sealed_and_read_back(
    health: ClientHealthService, database: UnitOfWork, owner: SignedIn, shop: SeededShop
) -> None:
    health.set_consent(shop.boris_id, True, owner)
    first = health.add_entry(shop.boris_id, "allergy", "ppd", "severe", "Reacted 2024", owner)
    health.add_entry(shop.boris_id, "contraindication", "Пост-операция колена", "mild", "", owner)
    record = health.health(shop.boris_id, owner)
    assert record.consent
    assert record.consent_at == NOW
    ppd, knee = record.entries
    assert (ppd.id, ppd.code, ppd.substance, ppd.severity) == (
        first,
        "ppd",
        "PPD hair dye",
        "severe",
    )
    assert ppd.notes == "Reacted 2024"
    assert ppd.recorded_by_name
    assert (knee.code, knee.substance, knee.kind) == (
        "",
        "Пост-операция колена",
        "contraindication",
    )
    with database.read() as session:
        row = session.get(Allergy, first)
        assert row is not None
        assert row.substance == ""
        assert row.notes == ""
        assert row.substance_sealed
        assert b"ppd" not in row.substance_sealed


def test_an_allergy_entered_twice_is_refused_at_its_field(
    health: ClientHealthService, owner: SignedIn, shop: SeededShop
) -> None:
    health.set_consent(shop.boris_id, True, owner)
    health.add_entry(shop.boris_id, "allergy", "latex", "mild", "", owner)
    for again in ("Latex", "  LATEX ", "latex"):
        with pytest.raises(FormErrors) as caught:
            health.add_entry(shop.boris_id, "allergy", again, "severe", "", owner)
        assert set(caught.value.errors) == {"substance"}
    health.add_entry(shop.boris_id, "allergy", "Crème X", "mild", "", owner)
    with pytest.raises(FormErrors):
        health.add_entry(shop.boris_id, "allergy", "creme  x", "mild", "", owner)
    assert len(health.health(shop.boris_id, owner).entries) == 2


def test_every_bad_field_is_reported_at_once_and_nothing_saved(
    health: ClientHealthService, database: UnitOfWork, owner: SignedIn, shop: SeededShop
) -> None:
    health.set_consent(shop.boris_id, True, owner)
    with pytest.raises(FormErrors) as caught:
        health.add_entry(shop.boris_id, "rash", " ", "extreme", "x" * 3000, owner)
    assert set(caught.value.errors) == {"kind", "substance", "severity", "notes"}
    with pytest.raises(FormErrors) as caught_test:
        health.add_patch_test(shop.boris_id, date(2030, 1, 1), "", "", owner)
    assert set(caught_test.value.errors) == {"tested_on", "product", "result"}
    with database.read() as session:
        assert (
            session.scalar(
                select(func.count(Allergy.id)).where(Allergy.customer_id == shop.boris_id)
            )
            == 0
        )


def test_without_consent_health_data_asks_for_it_first(
    health: ClientHealthService, owner: SignedIn, shop: SeededShop
) -> None:
    with pytest.raises(ConsentNeeded, match="consent"):
        health.add_entry(shop.boris_id, "allergy", "nuts", "severe", "", owner)
    with pytest.raises(ConsentNeeded):
        health.add_patch_test(shop.boris_id, date(2026, 11, 20), "Dye 6N", "clear", owner)


def test_withdrawing_consent_removes_entries_tests_and_notes(
    health: ClientHealthService,
    vault: HealthVault,
    database: UnitOfWork,
    owner: SignedIn,
    shop: SeededShop,
) -> None:
    health.set_consent(shop.anna_id, True, owner)
    health.add_entry(shop.anna_id, "allergy", "lanolin", "mild", "", owner)
    health.add_patch_test(shop.anna_id, date(2026, 11, 20), "Dye 6N", "no reaction", owner)
    with database.write() as session:
        session.add(
            TreatmentNote(customer_id=shop.anna_id, written_at=NOW, body_sealed=vault.seal("ok"))
        )
    assert health.health(shop.anna_id, owner).patch_tests[0].product == "Dye 6N"
    health.set_consent(shop.anna_id, False, owner)
    record = health.health(shop.anna_id, owner)
    assert (record.entries, record.patch_tests, record.consent) == ((), (), False)
    with database.read() as session:
        for model in (Allergy, PatchTest, TreatmentNote):
            count = session.scalar(
                select(func.count()).select_from(model).where(model.customer_id == shop.anna_id)
            )
            assert count == 0
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "health.consent_withdrawn")
        ).one()
        assert audit.entity_id == shop.anna_id
        assert "Dye" not in audit.detail
        customer = session.get(Customer, shop.anna_id)
        assert customer is not None
        assert not customer.health_consent


def test_the_desk_sees_health_data_but_may_not_record_it(
    health: ClientHealthService, database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    desk = _as(database, clock, shop.receptionist_id)
    therapist = _as(database, clock, shop.therapist_id)
    health.set_consent(shop.boris_id, True, therapist)
    with pytest.raises(NotPermitted):
        health.add_entry(shop.boris_id, "allergy", "nuts", "severe", "", desk)
    with pytest.raises(NotPermitted):
        health.set_consent(shop.boris_id, False, desk)
    health.add_entry(shop.boris_id, "allergy", "nuts", "severe", "", therapist)
    assert [e.code for e in health.health(shop.boris_id, desk).entries] == ["nuts"]


def test_alerts_for_many_clients_in_one_read(
    health: ClientHealthService,
    vault: HealthVault,
    database: UnitOfWork,
    owner: SignedIn,
    shop: SeededShop,
) -> None:
    health.set_consent(shop.wang_id, True, owner)
    health.add_entry(shop.wang_id, "allergy", "fragrance", "mild", "", owner)
    health.add_entry(shop.wang_id, "contraindication", "pregnancy", "severe", "", owner)
    with database.read() as session:
        alerts = alerts_for(session, vault, [shop.anna_id, shop.wang_id, shop.boris_id])
    assert set(alerts) == {shop.anna_id, shop.wang_id}
    assert [e.code for e in alerts[shop.wang_id]] == ["pregnancy", "fragrance"]  # severe first
    assert alerts[shop.anna_id][0].substance == "Nut oil"  # an older row, sealed at start
