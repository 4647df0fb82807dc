"""Client search on SQLite and PostgreSQL: every key, the ranking, and an index under every
query (EXPLAIN QUERY PLAN on SQLite)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text, update

from db.models import Customer, ShopProfile
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.clients import ClientForm
from frontdesk.services import client_search
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop


def _services(db: UnitOfWork) -> tuple[ClientService, SignedIn, FixedClock]:
    clock = FixedClock(NOW)
    shop = ShopService(db, clock)
    clients = ClientService(db, clock, shop)
    with db.read() as s:
        desk_id = s.scalar(text("SELECT id FROM staff WHERE role = 'receptionist'"))
    return clients, AuthService(db, clock).sign_in(desk_id, PIN), clock


@pytest.fixture
def ru_shop(backend_db: UnitOfWork, backend_shop: SeededShop) -> UnitOfWork:
    """The seeded shop, its phone region Russia (numbers typed with the trunk prefix 8)."""
    with backend_db.write() as s:
        s.execute(update(ShopProfile).values(phone_region="RU"))
    return backend_db


def _names(clients: ClientService, query: str) -> list[str]:
    return [c.name for c in clients.search(query)]


def _visited(db: UnitOfWork, name: str, days_ago: int | None) -> None:
    first = name.split(maxsplit=1)[0]
    with db.write() as s:
        s.execute(
            update(Customer)
            .where(Customer.first_name == first, Customer.last_name == name[len(first) + 1 :])
            .values(last_visit_at=None if days_ago is None else NOW - timedelta(days=days_ago))
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Zoe", "Zoë Brontë"),  # accents ignored
        ("bronte", "Zoë Brontë"),
        ("ZOË", "Zoë Brontë"),
        ("мён Ёл", "Семён Ёлкин"),  # a substring, ё typed as ё
        ("семен", "Семён Ёлкин"),  # ё typed as е
        ("елкин", "Семён Ёлкин"),  # family name first
        ("王芳", "王芳"),  # two characters: a prefix of the index, not a trigram
        ("芳", "王芳"),  # the given name: the reversed order's prefix
        ("wf", "王芳"),  # pinyin initials, family name first
        ("wxm", "王小明"),
        ("小明", "王小明"),
        ("+7 916 123-45-67", "Борис Иванов"),  # phone: every form of the number
        ("89161234567", "Борис Иванов"),
        ("8 916 123 45 67", "Борис Иванов"),
        ("916 123", "Борис Иванов"),  # a fragment
        ("4567", "Борис Иванов"),
        ("zoe.b@example", "Zoë Brontë"),  # e-mail, case-folded
        ("ZOE.B@EXAMPLE.ORG", "Zoë Brontë"),
        ("FD-0000001", "Anna Smith"),  # card with its prefix
        ("fd0000001", "Anna Smith"),
        ("0000001", "Anna Smith"),  # and without
    ],
)
def test_search_finds_by_every_key(ru_shop: UnitOfWork, query: str, expected: str) -> None:
    clients, desk, _clock = _services(ru_shop)
    clients.save(ClientForm("Zoë", "Brontë", email="Zoe.B@Example.org"), desk)
    clients.save(ClientForm("Семён", "Ёлкин", phone="8 903 555-01-02"), desk)
    clients.save(ClientForm("小明", "王"), desk)
    assert expected in _names(clients, query)


def test_a_card_code_finds_its_holder_alone(ru_shop: UnitOfWork) -> None:
    clients, _desk, _clock = _services(ru_shop)
    assert _names(clients, "FD-0000002") == ["Борис Иванов"]
    assert _names(clients, "FD-0000009") == []


def test_ranked_exact_then_prefix_then_substring_and_recent_visitors_first(
    backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    clients, desk, _clock = _services(backend_db)
    for first, last in (
        ("Joanne", "Ng"),  # "ann" inside: a substring
        ("Annabel", "Dow"),  # never visited
        ("Anna", "Berg"),
        ("Anna", "Cole"),
        ("Ann", ""),  # exactly "ann"
    ):
        clients.save(ClientForm(first, last), desk)
    _visited(backend_db, "Anna Berg", 200)
    _visited(backend_db, "Anna Cole", 3)
    _visited(backend_db, "Joanne Ng", 1)  # recent, but only a substring
    found = [n for n in _names(clients, "ann") if n != "Anna Smith"]
    assert found == ["Ann", "Anna Cole", "Anna Berg", "Annabel Dow", "Joanne Ng"]
    _visited(backend_db, "Anna Berg", 1)
    found = [n for n in _names(clients, "anna") if n != "Anna Smith"]
    assert found == ["Anna Berg", "Anna Cole", "Annabel Dow"]


def test_a_prefix_matching_very_many_ranks_recent_visitors_first(
    backend_db: UnitOfWork, backend_shop: SeededShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANK_WINDOW matches, recent visitors come from the last_visit_at index."""
    monkeypatch.setattr(client_search, "RANK_WINDOW", 3)
    clients, desk, _clock = _services(backend_db)
    for last in ("Ash", "Birch", "Cedar", "Dogwood", "Elm", "Fir"):
        clients.save(ClientForm("Mia", last), desk)
    _visited(backend_db, "Mia Fir", 2)
    _visited(backend_db, "Mia Elm", 9)
    found = clients.search("mi", limit=4)
    assert [c.name for c in found][:2] == ["Mia Fir", "Mia Elm"]
    assert len(found) == 4


def test_checkout_keeps_the_last_visit(backend_db: UnitOfWork, backend_shop: SeededShop) -> None:
    _clients, desk, clock = _services(backend_db)
    shop = ShopService(backend_db, clock)
    CheckoutService(backend_db, clock, shop).complete_sale(
        backend_shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    with backend_db.read() as s:
        assert s.get(Customer, backend_shop.anna_id).last_visit_at == NOW  # type: ignore[union-attr]


def test_merged_and_erased_clients_are_not_found(
    backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    clients, desk, _clock = _services(backend_db)
    gone = clients.save(ClientForm("Gone", "Away"), desk)
    merged = clients.save(ClientForm("Gone", "Merged"), desk)
    with backend_db.write() as s:
        s.execute(update(Customer).where(Customer.id == gone).values(erased_at=NOW))
        s.execute(
            update(Customer)
            .where(Customer.id == merged)
            .values(merged_into_id=backend_shop.anna_id)
        )
    assert _names(clients, "gone") == []


def test_saving_keeps_the_keys_current(ru_shop: UnitOfWork) -> None:
    clients, desk, _clock = _services(ru_shop)
    cid = clients.save(ClientForm("Zoë", "Brontë", phone="8 903 555-01-02"), desk)
    clients.save(ClientForm("Ёлка", "Brontë", phone="+7 925 000-11-22", email="E@X.RU"), desk, cid)
    assert _names(clients, "zoe") == []
    assert _names(clients, "9035550102") == []
    assert _names(clients, "елка") == ["Ёлка Brontë"]
    assert _names(clients, "89250001122") == ["Ёлка Brontë"]
    assert _names(clients, "e@x.ru") == ["Ёлка Brontë"]


# -- every query on an index (SQLite) ----------------------------------------------------------

QUERIES = [
    "a",  # a first letter
    "ann",
    "nna sm",
    "zoe",
    "王芳",
    "芳",
    "wf",
    "a@b",
    "916 123",
    "89161234567",
    "+7 916 123-45-67",
    "FD-0000001",
    "0000001",
    "fd0000001",
]


@pytest.fixture
def statements(database: UnitOfWork) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []
    engine = database.engine

    def before(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", before)
    yield seen
    event.remove(engine, "before_cursor_execute", before)


@pytest.mark.parametrize("query", QUERIES)
def test_every_search_query_uses_an_index(
    database: UnitOfWork,
    shop: SeededShop,
    statements: list[tuple[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
) -> None:
    monkeypatch.setattr(client_search, "RANK_WINDOW", 1)  # the many-matches path too
    clients, _desk, _clock = _services(database)
    with database.write() as s:
        s.execute(update(ShopProfile).values(phone_region="RU"))
    statements.clear()
    clients.search(query)
    searched = [(sql, p) for sql, p in statements if "customers" in sql]
    assert searched
    with database.read() as s:
        raw = s.connection().connection.dbapi_connection
        assert raw is not None
        for sql, params in searched:
            plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params)]
            full_scans = [
                step
                for step in plan
                if re.match(r"SCAN (customers|appointments|allergies)\b", step)
                and "USING" not in step
            ]
            assert not full_scans, (sql, plan)
