"""Lengths and characters are the domain's rules, the same on SQLite and PostgreSQL, and a refused
value never reaches a log record or an error message."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.models import Allergy, AuditEntry, Customer, Preference, Staff
from frontdesk.domain.clients import CardEdit, CardPreferences, ClientForm
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Role
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW, PG_URL
from tests.frontdesk.services.conftest import BACKENDS
from tests.seed import SeededShop, seed_small_shop

#: One health key for the module: its databases outlive a test's keyring.
VAULT_KEY = HealthVault.new_key()

SECRET = "Zephyrine"  # a word found nowhere else: if it shows up in a log, client data leaked
LONG_EMAIL = f"{SECRET.lower()}.{'x' * 190}@example.com"  # 211 characters: the form allows it


def _form(**changes: str) -> ClientForm:
    fields = {"first_name": SECRET, "last_name": "Holt", "phone": "07700 900777"} | changes
    return ClientForm(**fields)


BAD_CLIENTS = {
    "e-mail over 200 characters": (_form(email=LONG_EMAIL), "email"),
    "NUL in a first name": (_form(first_name=f"{SECRET}\x00"), "first_name"),
    "NUL in a last name": (_form(last_name="Ho\x00lt"), "last_name"),
    "NUL in an e-mail": (_form(email=f"{SECRET}\x00@example.com"), "email"),
    "escape sequence in a name": (_form(first_name=f"\x1b[31m{SECRET}"), "first_name"),
    "81 characters": (_form(first_name=SECRET + "a" * 72), "first_name"),
    # 80 characters as typed, 160 once case-folded for search ("ß" -> "ss"): with the last name
    # that is over the 161 characters the search column holds.
    "long name with ß": (_form(first_name="ß" * 80), "first_name"),
    "zero-width space": (_form(first_name="Zeph\u200byrine"), "first_name"),
    "zero-width joiner": (_form(last_name="Ho\u200dlt"), "last_name"),
    "word joiner": (_form(first_name=f"{SECRET}\u2060"), "first_name"),
    "byte-order mark": (_form(first_name=f"\ufeff{SECRET}"), "first_name"),
    "right-to-left override": (_form(last_name="\u202etloH"), "last_name"),
    "left-to-right isolate": (_form(first_name=f"\u2066{SECRET}\u2069"), "first_name"),
    "lone surrogate": (_form(first_name=f"{SECRET}\udc80"), "first_name"),
}


@pytest.fixture(scope="module", params=BACKENDS)
def limits_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, template_db: Path
) -> Iterator[tuple[UnitOfWork, SeededShop]]:
    """One seeded shop per backend for the whole module: refused input saves nothing."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("limits") / "frontdesk.sqlite3"
        shutil.copyfile(template_db, path)
        engine = make_engine(f"sqlite:///{path}")
    else:
        if not PG_URL:
            pytest.skip("no PostgreSQL server: set FRONTDESK_TEST_PG_URL (.ci/run does)")
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        upgrade_to_head(engine)
    database = UnitOfWork(engine)
    yield database, seed_small_shop(database, NOW)
    engine.dispose()


@pytest.fixture
def backend_db(limits_db: tuple[UnitOfWork, SeededShop]) -> UnitOfWork:
    return limits_db[0]


@pytest.fixture
def backend_shop(limits_db: tuple[UnitOfWork, SeededShop]) -> SeededShop:
    return limits_db[1]


@pytest.fixture
def desk(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.owner_id, "Olivia Owner", Role.OWNER)


@pytest.fixture
def clients(backend_db: UnitOfWork, clock: FixedClock) -> ClientService:
    return ClientService(backend_db, clock, ShopService(backend_db, clock))


@pytest.fixture
def no_leaks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every log record of the test, at every level, free of the secret marker."""
    caplog.set_level(logging.DEBUG)
    yield
    for record in caplog.records:
        text = record.getMessage() + (caplog.handler.format(record) if record.exc_info else "")
        assert SECRET.lower() not in text.lower(), text


def _counts(database: UnitOfWork) -> tuple[int, ...]:
    with database.read() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Customer, Allergy, Preference, AuditEntry, Staff)
        )


@pytest.mark.parametrize(("form", "field"), BAD_CLIENTS.values(), ids=BAD_CLIENTS.keys())
@pytest.mark.usefixtures("no_leaks")
def test_a_bad_client_field_gets_its_own_message_and_nothing_is_saved(
    clients: ClientService,
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    desk: SignedIn,
    form: ClientForm,
    field: str,
) -> None:
    before = _counts(backend_db)
    for customer_id in (None, backend_shop.anna_id):  # creating and editing
        with pytest.raises(FormErrors) as info:
            clients.save(form, desk, customer_id)
        assert list(info.value.errors) == [field]
        assert SECRET.lower() not in info.value.message.lower()
    assert _counts(backend_db) == before
    assert clients.card(backend_shop.anna_id, desk).name == "Anna Smith"


def test_the_longest_valid_values_are_stored_whole(
    clients: ClientService, backend_db: UnitOfWork, desk: SignedIn
) -> None:
    email = "a" * 188 + "@example.com"
    assert len(email) == 200
    for names in (("ß" * 40 + "a" * 40, "Ł" * 40), ("Anna", "Ł" * 80)):  # <= 161 case-folded
        new_id = clients.save(ClientForm(names[0], names[1], email=email), desk)
        card = clients.card(new_id, desk)
        assert (card.form.first_name, card.form.last_name, card.form.email) == (*names, email)


Action = Callable[[ClientService, ClientHealthService, int, SignedIn], object]


def _prefs(**texts: str) -> Callable[[ClientService, int, SignedIn], None]:
    """Save the card's preferences as the card's Save does (the client's own contact kept)."""

    def save(c: ClientService, i: int, by: SignedIn) -> None:
        card = c.card(i, by)
        c.save_card(i, CardEdit(form=card.form, preferences=CardPreferences(**texts)), by)

    return save


HEALTH_AND_PREFERENCES: dict[str, tuple[Action, str]] = {
    "allergy over 120 characters": (
        lambda c, h, i, by: h.add_entry(i, "allergy", SECRET + "x" * 112, "severe", "", by),
        "substance",
    ),
    "NUL in an allergy": (
        lambda c, h, i, by: h.add_entry(i, "allergy", f"{SECRET}\x00", "mild", "", by),
        "substance",
    ),
    "NUL in allergy notes": (
        lambda c, h, i, by: h.add_entry(i, "allergy", "Latex", "mild", f"{SECRET}\x00", by),
        "notes",
    ),
    "direction override in allergy notes": (
        lambda c, h, i, by: h.add_entry(i, "allergy", "Latex", "mild", f"\u202e{SECRET}", by),
        "notes",
    ),
    "music preference over 200 characters": (
        lambda c, h, i, by: _prefs(music=SECRET + "x" * 200)(c, i, by),
        "music",
    ),
    "NUL in a preference": (
        lambda c, h, i, by: _prefs(liked=f"{SECRET}\x00")(c, i, by),
        "liked",
    ),
    "escape sequence in the free-text preference": (
        lambda c, h, i, by: _prefs(notes=f"\x1b[31m{SECRET}")(c, i, by),
        "notes",
    ),
}


@pytest.mark.parametrize(
    ("action", "field"), HEALTH_AND_PREFERENCES.values(), ids=HEALTH_AND_PREFERENCES.keys()
)
@pytest.mark.usefixtures("no_leaks")
def test_bad_allergies_and_preferences_get_field_messages(
    clients: ClientService,
    backend_db: UnitOfWork,
    backend_shop: SeededShop,
    clock: FixedClock,
    desk: SignedIn,
    action: Action,
    field: str,
) -> None:
    health = ClientHealthService(
        backend_db, clock, ShopService(backend_db, clock), HealthVault(VAULT_KEY)
    )
    health.set_consent(backend_shop.boris_id, True, desk)  # else consent is asked for first
    before = _counts(backend_db)
    with pytest.raises(FormErrors) as info:
        action(clients, health, backend_shop.boris_id, desk)
    assert list(info.value.errors) == [field]
    assert SECRET.lower() not in info.value.message.lower()
    assert _counts(backend_db) == before


@pytest.mark.usefixtures("no_leaks")
def test_a_staff_name_with_control_characters_is_refused(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    auth = AuthService(backend_db, clock)
    before = _counts(backend_db)
    for name in (f"{SECRET}\x00", f"\u202e{SECRET}", SECRET * 9):
        with pytest.raises(FormErrors) as info:
            auth.create_first_owner(name, "2468", "2468")
        assert list(info.value.errors) == ["name"]
    assert _counts(backend_db) == before


@pytest.mark.usefixtures("no_leaks")
def test_a_search_with_invisible_characters_finds_what_is_visible(
    clients: ClientService, backend_shop: SeededShop
) -> None:
    for query in ("An\x00na", "\u200bAnna", "Anna\u202e"):
        assert "Anna Smith" in [c.name for c in clients.search(query)]


@pytest.mark.usefixtures("no_leaks")
@pytest.mark.expect_log("frontdesk.services.database", match="^Database error")
def test_a_database_refusal_says_nothing_of_the_data(
    clients: ClientService, backend_db: UnitOfWork, backend_shop: SeededShop, desk: SignedIn
) -> None:
    """Whatever slips past validation: a plain message, no SQL, no parameters, no client data."""

    def slip_past_validation() -> None:
        with backend_db.write() as s:
            s.add(Preference(customer_id=backend_shop.anna_id, topic=SECRET * 10, value=SECRET))
            s.add(Preference(customer_id=987654, topic=SECRET, value=SECRET))  # no such client

    with pytest.raises(DomainError) as info:
        slip_past_validation()
    message = info.value.message
    assert SECRET.lower() not in message.lower()
    assert "INSERT" not in message.upper()
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__
