import pytest
from sqlalchemy import Engine, func, select

from db.migrate import upgrade_to_head
from db.models import AuditEntry, Customer
from frontdesk.domain.clients import ClientForm
from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clients import ClientService, UnknownCard
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import open_vault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop, seed_small_shop


@pytest.fixture
def clients(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> ClientService:
    shop_service = ShopService(database, clock)
    health = ClientHealthService(database, clock, shop_service, open_vault(None, database))
    return ClientService(database, clock, shop_service, health=health)


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.receptionist_id, PIN)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ann", "Anna Smith"),  # name prefix
        ("smi", "Anna Smith"),  # last-name prefix
        ("nna sm", "Anna Smith"),  # substring (trigram)
        ("900123", "Anna Smith"),  # phone fragment
        ("07700 900", "Anna Smith"),  # phone typed with local spacing, fragment
        ("FD-0000001", "Anna Smith"),  # card number
        ("бор", "Борис Иванов"),  # Cyrillic, case-folded
        ("БОРИС", "Борис Иванов"),
        ("王芳", "王芳"),  # two-character Chinese name: prefix index, not trigram
        ("王", "王芳"),
    ],
)
def test_search_finds_by_every_key(
    clients: ClientService, shop: SeededShop, query: str, expected: str
) -> None:
    names = [c.name for c in clients.search(query)]
    assert expected in names


def test_search_flags_allergies_and_ignores_empty(clients: ClientService, shop: SeededShop) -> None:
    (anna,) = clients.search("anna")
    assert anna.has_allergies
    assert clients.search("   ") == []
    assert clients.search("zzzz") == []
    assert clients.search("12") == []  # too few digits to mean a phone


def test_card_lookup(clients: ClientService, shop: SeededShop) -> None:
    assert clients.find_by_card(" fd-0000001 ").id == shop.anna_id
    with pytest.raises(UnknownCard, match="FD-9999999"):
        clients.find_by_card("FD-9999999")
    with pytest.raises(ValidationError, match="not a loyalty card"):
        clients.find_by_card("\x1b[garbage")


def test_card_hides_health_data_from_roles_without_it(
    clients: ClientService, shop: SeededShop, desk: SignedIn
) -> None:
    card = clients.card(shop.anna_id, desk)
    assert [a.substance for a in card.allergies] == ["Nut oil"]
    assert card.preferences[0].value == "Firm"
    assert len(card.visits) == 1
    # A role without VIEW_HEALTH (none of the defaults lacks it, so build one by hand).
    from frontdesk.domain.roles import Role

    class NoHealth(SignedIn):
        def can(self, permission: object) -> bool:
            return str(permission) != "view_health"

    card = clients.card(shop.anna_id, NoHealth(shop.receptionist_id, "x", Role.RECEPTIONIST))
    assert card.allergies == ()
    assert card.health_hidden


def test_create_client_validates_every_field_and_saves_nothing_partial(
    clients: ClientService, database: UnitOfWork, shop: SeededShop, desk: SignedIn
) -> None:
    with database.read() as s:
        before = s.scalar(select(func.count(Customer.id)))
    bad = ClientForm(
        first_name="  ",
        last_name="X",
        phone="abc",
        email="nope",
        birthday="2031-01-01",
        card_number="FD-0000001",
    )
    with pytest.raises(FormErrors) as info:
        clients.save(bad, desk)
    assert set(info.value.errors) == {"first_name", "phone", "email", "birthday"}
    dup = ClientForm(first_name="Zoe", last_name="Ng", card_number="fd-0000001")
    with pytest.raises(FormErrors, match="already has that card"):
        clients.save(dup, desk)
    with database.read() as s:
        assert s.scalar(select(func.count(Customer.id))) == before
    new_id = clients.save(
        ClientForm(first_name="Zoe", last_name="Ng", phone="07700 900999", marketing_consent=True),
        desk,
    )
    assert [c.id for c in clients.search("zoe")] == [new_id]
    assert [c.id for c in clients.search("900999")] == [new_id]
    with database.read() as s:
        zoe = s.get(Customer, new_id)
        assert zoe is not None
        assert zoe.phone == "+447700900999"
        assert zoe.marketing_consent_at is not None


def test_allergies_are_audited_without_their_content(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, clients: ClientService
) -> None:
    therapist = AuthService(database, clock).sign_in(shop.therapist_id, PIN)
    health = ClientHealthService(
        database, clock, ShopService(database, clock), open_vault(None, database)
    )
    health.set_consent(shop.boris_id, True, therapist)
    health.add_entry(shop.boris_id, "allergy", "Latex", "severe", "gloves: nitrile", therapist)
    with database.read() as s:
        entries = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action.like("health.%"), AuditEntry.entity == "customer"
            )
        ).all()
    assert [(e.action, e.staff_id, e.entity_id) for e in entries] == [
        ("health.consent_given", shop.therapist_id, shop.boris_id),
        ("health.allergy_added", shop.therapist_id, shop.boris_id),
    ]
    assert not any("latex" in e.detail.lower() or "nitrile" in e.detail for e in entries)
    with pytest.raises(FormErrors):
        health.add_entry(shop.boris_id, "allergy", " ", "deadly", "", therapist)
    with pytest.raises(NotPermitted):
        clients.save(ClientForm(first_name="A", last_name="B"), therapist)


@pytest.mark.parametrize("typed", ["0000001", "FD0000001", "fd-0000001", " 0000001 "])
def test_card_number_typed_without_its_prefix_finds_the_holder(
    clients: ClientService, desk: SignedIn, shop: SeededShop, typed: str
) -> None:
    assert [c.name for c in clients.search(typed)][:1] == ["Anna Smith"]


def test_card_digits_find_cards_of_every_prefix_before_phones(
    clients: ClientService, desk: SignedIn, shop: SeededShop
) -> None:
    clients.save(ClientForm("Old", "Card", card_number="AB1922812"), desk)
    clients.save(ClientForm("New", "Card", card_number="FD-1922812"), desk)
    clients.save(ClientForm("Phone", "", phone="07700 919228"), desk)
    names = [c.name for c in clients.search("1922812")]
    assert set(names[:2]) == {"Old Card", "New Card"}
    assert [c.name for c in clients.search("19228")] == ["Phone"]  # short: a phone fragment


@pytest.mark.postgres
def test_card_digits_on_postgresql(pg_engine: Engine) -> None:
    """PostgreSQL orders text by its collation ('-' may be ignored): the prefix hops use C."""
    upgrade_to_head(pg_engine)
    database = UnitOfWork(pg_engine)
    clock = FixedClock(NOW)
    shop = seed_small_shop(database, NOW)
    clients = ClientService(database, clock, ShopService(database, clock))
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    for first, card in (("Old", "AB1922812"), ("New", "FD-1922812"), ("Dash", "FD--1922812")):
        clients.save(ClientForm(first, "Card", card_number=card), desk)
    assert {c.name for c in clients.search("1922812")} == {"Old Card", "New Card", "Dash Card"}
    assert [c.name for c in clients.search("0000001")] == ["Anna Smith"]
    assert [c.name for c in clients.search("fd0000002")] == ["Борис Иванов"]


def test_search_and_card_return_values_for_the_window_to_write(
    clients: ClientService,
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    """Money, aware datetimes, dates and enums: the window writes them in its own language."""
    from datetime import date, timedelta

    from frontdesk.domain.appointments import AppointmentStatus
    from frontdesk.domain.checkout import PaymentMethod
    from frontdesk.domain.money import Money
    from frontdesk.services.checkout import CheckoutService
    from frontdesk.services.shop import ShopService

    (anna,) = clients.search("anna")
    assert anna.last_visit is None  # booked, not yet paid
    CheckoutService(database, clock, ShopService(database, clock)).complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    (anna,) = clients.search("anna")
    assert anna.last_visit == NOW
    assert anna.last_visit.utcoffset() == timedelta(0)
    card = clients.card(shop.anna_id, desk)
    assert card.lifetime_spend == Money(8500, "GBP")
    assert card.visit_count == 1
    assert card.member_since == (NOW - timedelta(days=400)).date()
    assert card.birthday == date(1990, 5, 17)
    (visit,) = card.visits
    assert visit.status is AppointmentStatus.COMPLETED
    assert visit.price == Money(8500, "GBP")
    assert visit.starts_at == NOW
    assert [a.severity for a in card.allergies] == ["severe"]  # a code, named by the window
