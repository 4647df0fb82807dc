"""The client card read and its one Save: money figures kept from therapists, health from
those without it, every bad field reported at once and nothing half-saved, every change
audited by field name without its value."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEntry, Customer, Preference
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.clients import CardEdit, CardPreferences
from frontdesk.domain.errors import FormErrors
from frontdesk.domain.money import Money
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import VaultError, open_vault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop


@pytest.fixture
def health(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> ClientHealthService:
    return ClientHealthService(
        database, clock, ShopService(database, clock), open_vault(None, database)
    )


@pytest.fixture
def clients(database: UnitOfWork, clock: FixedClock, health: ClientHealthService) -> ClientService:
    return ClientService(database, clock, ShopService(database, clock), health=health)


def _as(database: UnitOfWork, clock: FixedClock, staff_id: int) -> SignedIn:
    return AuthService(database, clock).sign_in(staff_id, PIN)


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return _as(database, clock, shop.receptionist_id)


@pytest.fixture
def therapist(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return _as(database, clock, shop.therapist_id)


def _edit(clients: ClientService, customer_id: int, desk: SignedIn, **changes: object) -> CardEdit:
    card = clients.card(customer_id, desk)
    form = changes.pop("form", card.form)
    prefs = changes.pop("preferences", card.structured)
    assert isinstance(prefs, CardPreferences)
    return CardEdit(
        form=form,  # type: ignore[arg-type]
        marketing_channel=str(changes.pop("channel", card.marketing_channel)),
        preferences=prefs,
    )


def _audit(database: UnitOfWork, action: str) -> list[AuditEntry]:
    with database.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_receptionist_sees_spend_and_alerts_a_therapist_no_money_figure(
    clients: ClientService,
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
    therapist: SignedIn,
) -> None:
    CheckoutService(database, clock, ShopService(database, clock)).complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    with database.write() as s:
        anna = s.get(Customer, shop.anna_id)
        assert anna is not None
        anna.imported_visits = 4
    card = clients.card(shop.anna_id, desk)
    assert card.lifetime_spend == Money(8500, "GBP")
    assert card.visit_count == 5  # one here, four brought over
    assert card.last_visit == NOW
    assert card.initials == "AS"
    assert [a.substance for a in card.alerts] == ["Nut oil"]
    assert card.history[0].price == Money(8500, "GBP")

    seen = clients.card(shop.anna_id, therapist)
    assert seen.lifetime_spend is None
    assert all(item.price is None for item in seen.history)
    assert all(v.price is None for v in (*seen.visits, *seen.upcoming))
    assert [a.substance for a in seen.alerts] == ["Nut oil"]  # therapists need the alert


def test_upcoming_appointments_are_apart_from_the_history(
    clients: ClientService, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    clock.instant = NOW - timedelta(hours=1)
    card = clients.card(shop.anna_id, desk)
    assert [v.appointment_id for v in card.upcoming] == [shop.morning_appt_id]
    assert card.history == ()
    clock.instant = NOW + timedelta(hours=2)  # its hour is over (still booked: history)
    card = clients.card(shop.anna_id, desk)
    assert card.upcoming == ()
    assert [h.appointment_id for h in card.history] == [shop.morning_appt_id]


def test_older_free_preferences_read_as_structured_fields(
    clients: ClientService, database: UnitOfWork, shop: SeededShop, desk: SignedIn
) -> None:
    card = clients.card(shop.anna_id, desk)
    assert card.structured.pressure == "firm"  # the seed's "Pressure: Firm"
    assert card.other_preferences == ()
    # Saved with another field changed: the older row becomes the structured one, once.
    prefs = CardPreferences(pressure="firm", music="Rain")
    clients.save_card(shop.anna_id, CardEdit(form=card.form, preferences=prefs), desk)
    card = clients.card(shop.anna_id, desk)
    assert card.structured == prefs
    assert card.other_preferences == ()
    with database.read() as s:
        topics = s.scalars(
            select(Preference.topic).where(Preference.customer_id == shop.anna_id)
        ).all()
    assert sorted(topics) == ["music", "pressure"]
    (entry,) = _audit(database, "customer.card_saved")
    assert entry.detail == "music"


def test_one_save_checks_every_field_and_saves_nothing_when_one_is_bad(
    clients: ClientService, database: UnitOfWork, shop: SeededShop, desk: SignedIn
) -> None:
    card = clients.card(shop.boris_id, desk)
    bad = CardEdit(
        form=type(card.form)(
            first_name="Борис",
            last_name="Иванов",
            phone="12",
            email="nope",
            birthday="2099-01-01",
            marketing_consent=True,
        ),
        marketing_channel="",
        preferences=CardPreferences(pressure="firm", music="x" * 201),
    )
    with pytest.raises(FormErrors) as info:
        clients.save_card(shop.boris_id, bad, desk)
    assert set(info.value.errors) == {"phone", "email", "birthday", "marketing_channel", "music"}
    after = clients.card(shop.boris_id, desk)
    assert after.form == card.form
    assert after.structured == card.structured
    assert _audit(database, "customer.card_saved") == []


def test_a_save_writes_preferences_and_audits_field_names_only(
    clients: ClientService,
    database: UnitOfWork,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    card = clients.card(shop.anna_id, desk)
    prefs = CardPreferences(
        pressure="medium",
        preferred_staff_id=shop.therapist_id,
        room_temperature="warmer",
        music="Quiet jazz",
        liked="Lavender oil",
        disliked="Eucalyptus",
        avoid_topics="Work",
        notes="Likes a blanket",
    )
    form = type(card.form)(**{**card.form.__dict__, "marketing_consent": True})
    clients.save_card(
        shop.anna_id, CardEdit(form=form, marketing_channel="sms", preferences=prefs), desk
    )
    after = clients.card(shop.anna_id, desk)
    assert after.structured == prefs
    assert after.preferred_therapist == "Tom Therapist"
    assert after.marketing_channel == "sms"
    assert after.marketing_consent_at == NOW
    with database.read() as s:
        topics = s.scalars(
            select(Preference.topic).where(Preference.customer_id == shop.anna_id)
        ).all()
    assert "Pressure" not in topics  # the older free row became the structured one
    (entry,) = _audit(database, "customer.card_saved")
    assert entry.staff_id == shop.receptionist_id
    assert "music" in entry.detail
    assert "marketing_channel" in entry.detail
    assert "jazz" not in entry.detail.casefold()
    assert "lavender" not in entry.detail.casefold()

    # The same again changes nothing and audits nothing more.
    clients.save_card(
        shop.anna_id, CardEdit(form=form, marketing_channel="sms", preferences=prefs), desk
    )
    assert len(_audit(database, "customer.card_saved")) == 1


def test_withdrawing_health_consent_on_the_card_removes_the_health_data(
    clients: ClientService,
    health: ClientHealthService,
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
) -> None:
    manager = _as(database, clock, shop.owner_id)
    card = clients.card(shop.boris_id, manager)
    base = CardEdit(form=card.form, preferences=card.structured)
    clients.save_card(shop.boris_id, CardEdit(**{**base.__dict__, "health_consent": True}), manager)
    health.add_entry(shop.boris_id, "allergy", "latex", "severe", "", manager)
    card = clients.card(shop.boris_id, manager)
    assert card.health_consent
    assert card.health_consent_at == NOW
    assert len(card.alerts) == 1
    clients.save_card(
        shop.boris_id, CardEdit(**{**base.__dict__, "health_consent": False}), manager
    )
    card = clients.card(shop.boris_id, manager)
    assert not card.health_consent
    assert card.alerts == ()
    (entry,) = _audit(database, "customer.card_saved")[-1:]
    assert entry.detail == "health_consent"


def test_a_receptionist_may_not_change_health_consent(
    clients: ClientService, shop: SeededShop, desk: SignedIn
) -> None:
    """Health data is a manager's or therapist's to record (EDIT_HEALTH)."""
    card = clients.card(shop.boris_id, desk)
    with pytest.raises(NotPermitted):
        clients.save_card(shop.boris_id, CardEdit(form=card.form, health_consent=True), desk)


def test_tags_are_added_once_and_removed(
    clients: ClientService, database: UnitOfWork, shop: SeededShop, desk: SignedIn
) -> None:
    clients.add_tag(shop.anna_id, " VIP ", desk)
    clients.add_tag(shop.anna_id, "vip", desk)  # the same tag: kept once
    clients.add_tag(shop.anna_id, "Student", desk)
    assert clients.card(shop.anna_id, desk).tags == ("Student", "VIP")
    with pytest.raises(FormErrors) as info:
        clients.add_tag(shop.anna_id, "   ", desk)
    assert set(info.value.errors) == {"tag"}
    clients.remove_tag(shop.anna_id, "VIP", desk)
    assert clients.card(shop.anna_id, desk).tags == ("Student",)
    assert len(_audit(database, "customer.tag_added")) == 2
    assert len(_audit(database, "customer.tag_removed")) == 1


def test_acknowledging_the_alert_is_audited_for_the_day(
    clients: ClientService,
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    assert clients.card(shop.anna_id, desk).alert_acknowledged_at is None
    clients.acknowledge_alert(shop.anna_id, desk)
    card = clients.card(shop.anna_id, desk)
    assert card.alert_acknowledged_at == NOW
    assert card.alert_acknowledged_by == "Rita Reception"
    (entry,) = _audit(database, "health.alert_acknowledged")
    assert entry.detail == ""
    assert entry.entity_id == shop.anna_id
    clock.instant = NOW + timedelta(days=1)  # the next visit asks again
    assert clients.card(shop.anna_id, desk).alert_acknowledged_at is None


class _LockedHealth:
    """Health data sealed with a key this computer does not have."""

    def health(self, customer_id: int, viewer: SignedIn) -> object:
        raise VaultError("This key does not open this shop's health data.")


def test_a_card_with_locked_health_data_opens_and_says_so(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    clients = ClientService(
        database,
        clock,
        ShopService(database, clock),
        health=_LockedHealth(),  # type: ignore[arg-type]
    )
    card = clients.card(shop.anna_id, desk)
    assert card.health_locked
    assert card.alerts == ()
    assert card.name == "Anna Smith"


def test_the_card_shows_treatment_notes_to_those_who_may_read_them(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, therapist: SignedIn, desk: SignedIn
) -> None:
    """A therapist's note reaches the card of whoever may read notes (sealed at rest, opened
    with the shop's key), and never the counter's."""
    from frontdesk.services.treatment_notes import TreatmentNoteService

    vault = open_vault(None, database)
    shop_service = ShopService(database, clock)
    notes = TreatmentNoteService(database, clock, shop_service, vault)
    clients = ClientService(database, clock, shop_service, vault)
    notes.write(shop.anna_id, "Tight left shoulder; firm pressure suited her.", therapist)
    card = clients.card(shop.anna_id, therapist)
    assert [n.text for n in card.notes] == ["Tight left shoulder; firm pressure suited her."]
    assert card.notes[0].author
    assert card.notes[0].written_at.utcoffset() == shop_service.info().zone.utcoffset(NOW)
    assert clients.card(shop.anna_id, desk).notes == ()
