"""`build_demo`: a whole, reproducible demo spa written into an empty database."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, Table, delete, func, select, update

from db.engine import WRITE_OPTION
from db.migrate import upgrade_to_head
from db.models import (
    Allergy,
    Appointment,
    AppointmentSeries,
    Booking,
    Counter,
    Customer,
    OpeningHours,
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
    StaffService,
    WaitlistEntry,
    WorkingHours,
)
from db.models.counters import RECEIPT_COUNTER
from frontdesk.demo.booking import Visit
from frontdesk.demo.calendar_extras import CalendarExtras, add_calendar_extras, mark_appointments
from frontdesk.demo.catalogue import catalogue_for
from frontdesk.demo.clientele import VISITS_PER_CLIENT, Clientele, habits
from frontdesk.demo.columns import (
    ALLERGY_COLUMNS,
    APPOINTMENT_COLUMNS,
    CUSTOMER_COLUMNS,
    LINE_COLUMNS,
    PAYMENT_COLUMNS,
    PREFERENCE_COLUMNS,
    SALE_COLUMNS,
)
from frontdesk.demo.days import day_starts, history_bounds
from frontdesk.demo.history import Shelf, Values, appointment_rows, sale_rows
from frontdesk.demo.loyalty import write_loyalty
from frontdesk.demo.overlap import Background, collector_paused, made_elsewhere
from frontdesk.demo.people import ClientMaker, creation_offsets, name_pools
from frontdesk.demo.roster import blocks_for, make_roster
from frontdesk.demo.schedule import (
    COMFORTABLE_FILL,
    PAST_SLOTS_PER_BLOCK,
    HistoryPlan,
    Scheduler,
)
from frontdesk.demo.shop import ShopRows, shop_rows
from frontdesk.demo.writer import (
    BulkMode,
    Codec,
    IndexesPaused,
    SearchIndexPaused,
    bulk_insert,
    count_rows,
    insert_tuples,
    sync_sequences,
)
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.roles import Role

DEMO_PIN = "1234"
CLIENT_CHUNK = 20_000

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
    OpeningHours,
    Room,
    Resource,
    ServiceCategory,
    Service,
    Product,
    Customer,
    Preference,
    Allergy,
    Booking,
    AppointmentSeries,
    Appointment,
    WaitlistEntry,
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
    now_minute: int | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Migrate `engine`'s database and fill it with a demo shop in `locale`.

    All or nothing: the shop is written in one transaction. The same seed, locale, client
    count and `today` give the same rows (PIN hashes aside: argon2 salts are random). Today's
    visits are done, in service or due around `now_minute` (minutes after local midnight);
    without `today`, it is the clock's date and minute; with `today` and no minute, a morning
    whose first clients have arrived. Raises
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
    if today is None:
        now = datetime.now(zone)
        today = now.date()
        now_minute = now.hour * 60 + now.minute if now_minute is None else now_minute
    codec = Codec(engine.dialect)

    report("Shop, staff and menu", 0.02)
    pools = name_pools(catalogue, seed)
    blocks = blocks_for(customers * VISITS_PER_CLIENT, PAST_SLOTS_PER_BLOCK, COMFORTABLE_FILL)
    roster = make_roster(catalogue, pools, blocks, seed)
    pin_hash = PasswordHasher().hash(DEMO_PIN)
    shop = shop_rows(catalogue, roster, pin_hash, codec, seed)
    scheduler = Scheduler(
        catalogue, shop.treatments, roster, shop.bookable_rooms, seed, today, zone, now_minute
    )
    plan = scheduler.plan(customers)
    history_days = day_starts(today, zone)
    offsets = creation_offsets(random.Random(f"{seed}:joined"), customers, history_days)
    kinds = habits(random.Random(f"{seed}:habits"), customers, plan.coming)
    clients = ClientMaker(
        catalogue, pools, codec, history_bounds(today, zone)[0], history_days, seed
    )

    shelf = Shelf(
        currency=catalogue.shop.currency,
        tax_rate_bp=catalogue.shop.tax_rate_bp,
        banknotes_minor=catalogue.banknotes_minor,
        service_names={int(s["id"]): str(s["name"]) for s in shop.services},
        products=[(int(p["id"]), str(p["name"]), int(p["price_minor"])) for p in shop.products],
        cashier_ids=[m.id for m in roster.members if m.role is Role.RECEPTIONIST],
    )

    with (
        collector_paused(),
        engine.connect().execution_options(**{WRITE_OPTION: True}) as connection,
        BulkMode(connection),
        connection.begin(),
    ):
        _refuse_filled(connection)
        _write_shop(connection, shop)

        report("Clients", 0.03)
        with (
            IndexesPaused(connection, [_table(m) for m in (Customer, Preference, Allergy)]),
            SearchIndexPaused(connection) as search,
        ):
            done = 0
            women = bytearray()
            # the child process makes the next clients while these are written and indexed
            for chunk in made_elsewhere(partial(clients.chunks, offsets, CLIENT_CHUNK)):
                women += chunk.women
                insert_tuples(connection, _table(Customer), CUSTOMER_COLUMNS, chunk.customers)
                insert_tuples(connection, _table(Preference), PREFERENCE_COLUMNS, chunk.preferences)
                insert_tuples(connection, _table(Allergy), ALLERGY_COLUMNS, chunk.allergies)
                search.index(done + 1, done + len(chunk.customers))
                done += len(chunk.customers)
                report("Clients", 0.03 + 0.37 * done / customers)
            # The history is Python alone: it is worked out in a thread while SQLite, which
            # lets go of the GIL meanwhile, builds the clients' indexes; the sales, while it
            # indexes the appointments.
            clientele = Clientele(offsets, women, kinds)
            booking = Background(
                partial(_book, scheduler, plan, clientele, offsets, codec, shop, seed)
            )
            report("Search index", 0.4)

        report("Appointments", 0.5)
        visits, appointments, extras = booking.result()
        booked = len(appointments)
        bulk_insert(connection, _table(Booking), extras.bookings)
        bulk_insert(connection, _table(AppointmentSeries), extras.series)
        with IndexesPaused(connection, [_table(Appointment)]):
            insert_tuples(connection, _table(Appointment), APPOINTMENT_COLUMNS, appointments)
            mark_appointments(connection, _table(Appointment), extras)
            bulk_insert(connection, _table(WaitlistEntry), extras.waitlist)
            del appointments  # their memory, soon reused by the sales
            selling = Background(partial(sale_rows, visits, shelf, codec, seed))
        _note_last_visits(connection)
        _note_health_consent(connection)
        report("Sales", 0.65)
        rows = selling.result()
        sold = len(rows.sales)
        with IndexesPaused(connection, [_table(m) for m in (Sale, SaleLine, Payment)]):
            insert_tuples(connection, _table(Sale), SALE_COLUMNS, rows.sales)
            insert_tuples(connection, _table(SaleLine), LINE_COLUMNS, rows.lines)
            insert_tuples(connection, _table(Payment), PAYMENT_COLUMNS, rows.payments)
            # gone before the garbage collector is back, or its first round would visit them all
            del visits, rows
            report("Indexes", 0.9)
        write_loyalty(connection, catalogue.shop.currency)
        counters = _table(Counter)
        connection.execute(delete(counters).where(counters.c.name == RECEIPT_COUNTER))
        bulk_insert(connection, counters, [{"name": RECEIPT_COUNTER, "value": sold}])
        sync_sequences(connection, [_table(model) for model in _WITH_IDS])
        report("Finishing", 0.96)

    summary = DemoSummary(
        customers=customers,
        staff=len(shop.staff),
        rooms=len(shop.rooms),
        services=len(shop.services),
        products=len(shop.products),
        appointments=booked,
        sales=sold,
        seconds=time.perf_counter() - began,
    )
    report("Done", 1.0)
    return summary


def _book(
    scheduler: Scheduler,
    plan: HistoryPlan,
    clientele: Clientele,
    offsets: list[int],
    codec: Codec,
    shop: ShopRows,
    seed: int,
) -> tuple[list[Visit], list[Values], CalendarExtras]:
    """The whole appointment book with the calendar's extras (a couple, a sauna group, a
    series, the waitlist), and its rows."""
    visits = scheduler.book(plan, clientele, offsets)
    extras = add_calendar_extras(
        visits,
        treatments=shop.treatments,
        rooms=shop.room_kinds,
        hours=shop.hours,
        today=scheduler.today,
        zone=scheduler.zone,
        codec=codec,
        seed=seed,
        now_minute=scheduler.now_minute,
    )
    return visits, appointment_rows(visits, codec), extras


def _note_health_consent(connection: Connection) -> None:
    """Clients whose allergies are on file agreed to their keeping, when they joined."""
    customers, allergies = _table(Customer), _table(Allergy)
    connection.execute(
        update(customers)
        .where(customers.c.id.in_(select(allergies.c.customer_id)))
        .values(health_consent=True, health_consent_at=customers.c.created_at)
    )


def _note_last_visits(connection: Connection) -> None:
    """Each client's last completed visit, as checkout keeps it (search: recent visitors first)."""
    customers, appointments = _table(Customer), _table(Appointment)
    last = (
        select(func.max(appointments.c.starts_at))
        .where(
            appointments.c.customer_id == customers.c.id,
            appointments.c.status == AppointmentStatus.COMPLETED.value,
        )
        .scalar_subquery()
    )
    connection.execute(update(customers).values(last_visit_at=last))


def _write_shop(connection: Connection, shop: ShopRows) -> None:
    connection.execute(delete(_table(ShopProfile)))  # the demo's identity replaces any other
    bulk_insert(connection, _table(ShopProfile), [shop.profile])
    bulk_insert(connection, _table(Staff), shop.staff)
    bulk_insert(connection, _table(WorkingHours), shop.hours)
    connection.execute(delete(_table(OpeningHours)))
    bulk_insert(connection, _table(OpeningHours), shop.opening)
    bulk_insert(connection, _table(Room), shop.rooms)
    bulk_insert(connection, _table(Resource), shop.resources)
    bulk_insert(connection, _table(ServiceCategory), shop.categories)
    bulk_insert(connection, _table(Service), shop.services)
    bulk_insert(connection, _table(Product), shop.products)
    bulk_insert(connection, _table(StaffService), shop.qualifications)
