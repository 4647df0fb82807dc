"""`build_demo`: a whole, reproducible demo spa written into an empty database."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, Table, delete

from db.demo.catalogue import catalogue_for
from db.demo.history import Shelf, appointment_rows, sale_rows
from db.demo.people import ClientMaker, creation_offsets, name_pools, staff_members
from db.demo.schedule import Scheduler, day_starts, history_bounds
from db.demo.shop import ShopRows, shop_rows
from db.demo.writer import (
    BulkMode,
    Codec,
    SearchIndexPaused,
    bulk_insert,
    count_rows,
    sync_sequences,
)
from db.engine import WRITE_OPTION
from db.migrate import upgrade_to_head
from db.models import (
    Allergy,
    Appointment,
    Counter,
    Customer,
    Payment,
    Preference,
    Product,
    Resource,
    Room,
    Sale,
    SaleLine,
    Service,
    ServiceCategory,
    ShopProfile,
    Staff,
    WorkingHours,
)
from db.models.counters import RECEIPT_COUNTER

DEMO_PIN = "1234"
CLIENT_CHUNK = 50_000

Progress = Callable[[str, float], None]

#: Tables that must be empty: the demo is a whole shop, not an addition to a real one.
_MUST_BE_EMPTY: tuple[tuple[type, str], ...] = (
    (Customer, "clients"),
    (Staff, "staff"),
    (ServiceCategory, "service categories"),
    (Service, "services"),
    (Product, "products"),
    (Room, "rooms"),
    (Resource, "resources"),
)


#: Tables whose ids the demo writes itself (PostgreSQL sequences are moved past them).
_WITH_IDS: tuple[type, ...] = (
    ShopProfile,
    Staff,
    WorkingHours,
    Room,
    Resource,
    ServiceCategory,
    Service,
    Product,
    Customer,
    Preference,
    Allergy,
    Appointment,
    Sale,
    SaleLine,
    Payment,
)


@dataclass(frozen=True)
class DemoSummary:
    """How much was written, and how long it took."""

    customers: int
    staff: int
    rooms: int
    services: int
    products: int
    appointments: int
    sales: int
    seconds: float


def _table(model: type) -> Table:
    table = getattr(model, "__table__")  # noqa: B009 - mapped classes carry their Table
    assert isinstance(table, Table)
    return table


def _refuse_filled(connection: Connection) -> None:
    for model, words in _MUST_BE_EMPTY:
        if count_rows(connection, _table(model)):
            raise ValueError(
                f"This database already has {words}. The demo is built only into a new, "
                "empty database: choose another file."
            )


def build_demo(
    engine: Engine,
    *,
    customers: int = 3000,
    locale: str = "en",
    seed: int = 7,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Migrate `engine`'s database and fill it with a demo shop in `locale`.

    All or nothing: the shop is written in one transaction. The same seed, locale, client
    count and `today` give the same rows (PIN hashes aside: argon2 salts are random). Raises
    ValueError for an unknown locale, fewer than one client, or a database that already holds
    clients, staff or a menu.
    """
    catalogue = catalogue_for(locale)
    if customers < 1:
        raise ValueError("The demo needs at least one client.")
    began = time.perf_counter()
    report: Progress = progress or (lambda _stage, _fraction: None)
    report("Preparing the database", 0.0)
    upgrade_to_head(engine)
    zone = ZoneInfo(catalogue.shop.timezone)
    today = today or datetime.now(zone).date()
    codec = Codec(engine.dialect)

    report("Shop, staff and menu", 0.02)
    pools = name_pools(catalogue, seed)
    team = staff_members(catalogue, pools, random.Random(f"{seed}:staff"))
    shop = shop_rows(catalogue, team, PasswordHasher().hash(DEMO_PIN), codec, seed)
    history_days = day_starts(today, zone)
    offsets = creation_offsets(random.Random(f"{seed}:joined"), customers, history_days)
    clients = ClientMaker(
        catalogue, pools, codec, history_bounds(today, zone)[0], history_days, seed
    )

    with (
        engine.connect().execution_options(**{WRITE_OPTION: True}) as connection,
        BulkMode(connection),
        connection.begin(),
    ):
        _refuse_filled(connection)
        _write_shop(connection, shop)

        report("Clients", 0.04)
        with SearchIndexPaused(connection):
            done = 0
            for chunk in clients.chunks(offsets, CLIENT_CHUNK):
                bulk_insert(connection, _table(Customer), chunk.customers)
                bulk_insert(connection, _table(Preference), chunk.preferences)
                bulk_insert(connection, _table(Allergy), chunk.allergies)
                done += len(chunk.customers)
                report("Clients", 0.04 + 0.76 * done / customers)

        report("Appointments", 0.8)
        scheduler = Scheduler(catalogue, shop.treatments, shop.room_kinds, shop.shifts, seed)
        visits = scheduler.book(today, zone, offsets, clients.women)
        bulk_insert(connection, _table(Appointment), appointment_rows(visits, codec))

        report("Sales", 0.9)
        shelf = Shelf(
            currency=catalogue.shop.currency,
            tax_rate_bp=catalogue.shop.tax_rate_bp,
            banknotes_minor=catalogue.banknotes_minor,
            service_names={int(s["id"]): str(s["name"]) for s in shop.services},
            products=[(int(p["id"]), str(p["name"]), int(p["price_minor"])) for p in shop.products],
            cashier_ids=[member.id for member in team if member.role == "receptionist"],
        )
        history = sale_rows(visits, shelf, codec, seed)
        bulk_insert(connection, _table(Sale), history.sales)
        bulk_insert(connection, _table(SaleLine), history.lines)
        bulk_insert(connection, _table(Payment), history.payments)
        counters = _table(Counter)
        connection.execute(delete(counters).where(counters.c.name == RECEIPT_COUNTER))
        bulk_insert(connection, counters, [{"name": RECEIPT_COUNTER, "value": len(history.sales)}])
        sync_sequences(connection, [_table(model) for model in _WITH_IDS])
        report("Finishing", 0.97)

    summary = DemoSummary(
        customers=customers,
        staff=len(shop.staff),
        rooms=len(shop.rooms),
        services=len(shop.services),
        products=len(shop.products),
        appointments=len(visits),
        sales=len(history.sales),
        seconds=time.perf_counter() - began,
    )
    report("Done", 1.0)
    return summary


def _write_shop(connection: Connection, shop: ShopRows) -> None:
    connection.execute(delete(_table(ShopProfile)))  # the demo's identity replaces any other
    bulk_insert(connection, _table(ShopProfile), [shop.profile])
    bulk_insert(connection, _table(Staff), shop.staff)
    bulk_insert(connection, _table(WorkingHours), shop.hours)
    bulk_insert(connection, _table(Room), shop.rooms)
    bulk_insert(connection, _table(Resource), shop.resources)
    bulk_insert(connection, _table(ServiceCategory), shop.categories)
    bulk_insert(connection, _table(Service), shop.services)
    bulk_insert(connection, _table(Product), shop.products)
