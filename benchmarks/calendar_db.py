"""The calendar benchmark database: 30 therapists x 25 appointments a day over a year.

A busy day spa in London (so the year holds both daylight-saving changes): 30 therapists who
work every day from 08:00 to 21:00, 30 treatment rooms, a few facial steamers, and each
therapist's day packed with 25 appointments on the half hour from 08:00 (the last ends by
20:30, so 20:30-21:00 stays free for the booking benchmark), for 182 days back and 182 ahead of
the day it is built: 273,750 appointments, with a paid sale for every completed one.

Every rule holds, so the calendar's checks run on real data: therapist t works in room t, no
client is in two places at once (the client of a slot is a permutation of the slot's index), at
most three facials run at once (four steamers). Rows are written as tuples straight to the
driver (`frontdesk.demo.writer`), secondary indexes built once at the end: tens of seconds,
not minutes. Reproducible: the same `today` and seed give the same rows.

    python -m benchmarks.calendar_db --db .bench/frontdesk-calendar.sqlite3
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, Table, delete

from db.engine import WRITE_OPTION, make_engine
from db.migrate import upgrade_to_head
from db.models import (
    Allergy,
    Appointment,
    AppointmentResource,
    Counter,
    Customer,
    OpeningHours,
    Payment,
    Resource,
    Room,
    Sale,
    SaleLine,
    Service,
    ServiceCategory,
    ServiceEquipment,
    ShopProfile,
    Staff,
    StaffService,
    WorkingHours,
)
from db.models.counters import RECEIPT_COUNTER, format_receipt_number
from frontdesk.demo.columns import (
    ALLERGY_COLUMNS,
    CUSTOMER_COLUMNS,
    LINE_COLUMNS,
    PAYMENT_COLUMNS,
    SALE_COLUMNS,
)
from frontdesk.demo.writer import (
    BulkMode,
    Codec,
    IndexesPaused,
    SearchIndexPaused,
    bulk_insert,
    insert_tuples,
    sync_sequences,
)
from frontdesk.domain.search_text import search_keys

ZONE_NAME = "Europe/London"
THERAPISTS = 30
PER_DAY = 25
#: Each appointment and its cleanup fit in one half-hour slot from OPENS.
SLOT_MINUTES = 30
OPENS, CLOSES = 8 * 60, 21 * 60
DAYS_BACK = DAYS_AHEAD = 182
CUSTOMERS = 60_000
#: Multiplies a slot's index into its client (prime, so a permutation modulo CUSTOMERS).
SPREAD = 7919
PIN = "1234"
#: The first therapist's staff id: owner, manager and a receptionist come first.
FIRST_THERAPIST = 4
STEAMERS = 4
#: The services: name, category, minutes, cleanup, price (minor), needs a room, a steamer.
SERVICES: tuple[tuple[str, int, int, int, int, bool, bool], ...] = (
    ("Swedish Massage 25", 1, 25, 5, 4500, True, False),
    ("Back and Neck Massage", 1, 20, 10, 4000, True, False),
    ("Hot Stone Taster", 1, 25, 5, 5000, True, False),
    ("Express Facial", 2, 30, 0, 5500, True, True),
    ("Brow Shape", 2, 15, 5, 1800, False, False),
    ("Gel Manicure", 3, 30, 0, 3200, False, False),
    ("Pedicure", 3, 25, 5, 3500, False, False),
    # never booked here: an hour does not fit in any therapist's day (the slot search's worst
    # case, a search of every day of its window)
    ("Deep Tissue Massage 60", 1, 60, 10, 7500, True, False),
)
LONG_MASSAGE = len(SERVICES)
FACIAL = 4  # the service id that needs a steamer
CATEGORIES = (("Massage", "#81b29a"), ("Face", "#f2cc8f"), ("Hands & feet", "#e07a5f"))
_FIRST = "Anna Beth Chloe Daisy Ella Freya Grace Holly Isla Jade Kate Lily Mia Nora Olivia Poppy"
FIRST_NAMES = (*_FIRST.split(), "Ruby", "Sophie", "Tara", "Adam", "Ben", "Callum", "Dan", "Finn")
_LAST = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans"
LAST_NAMES = (*_LAST.split(), "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Patel")
TAX_BP = 2000

Progress = Callable[[str], None]
Values = tuple[Any, ...]


@dataclass(frozen=True)
class CalendarSummary:
    first_day: date
    last_day: date
    therapists: int
    appointments: int
    customers: int
    seconds: float


@dataclass(frozen=True)
class Layout:
    """The sizes of the shop; the defaults are the benchmark's, tests build a small one."""

    therapists: int = THERAPISTS
    per_day: int = PER_DAY
    days_back: int = DAYS_BACK
    days_ahead: int = DAYS_AHEAD
    customers: int = CUSTOMERS

    def __post_init__(self) -> None:
        if self.per_day * SLOT_MINUTES > CLOSES - OPENS:
            raise ValueError("more appointments than the working day holds")
        if self.customers < self.therapists or self.customers % SPREAD == 0:
            raise ValueError("the clients of a slot must all differ")


def therapist_ids(layout: Layout) -> range:
    return range(FIRST_THERAPIST, FIRST_THERAPIST + layout.therapists)


def service_of(therapist: int, slot: int) -> int:
    """The service id a therapist (0-based) gives in a slot: a facial at most 3 in 10 at once."""
    if (therapist + slot) % 10 == 0:
        return FACIAL
    choices = [s for s in range(1, len(SERVICES)) if s != FACIAL]
    return choices[(therapist * 7 + slot * 3) % len(choices)]


def client_of(layout: Layout, day_index: int, slot: int, therapist: int) -> int:
    """The client of a slot: one client per slot at a time (a permutation of slot indexes)."""
    index = (day_index * layout.per_day + slot) * layout.therapists + therapist
    return (index * SPREAD) % layout.customers + 1


def _table(model: type) -> Table:
    table = getattr(model, "__table__")  # noqa: B009 - mapped classes carry their Table
    assert isinstance(table, Table)
    return table


def _status(rng: random.Random, day: date, today: date, slot: int, now_slot: int) -> str:
    if day < today or (day == today and slot < now_slot):
        draw = rng.random()
        return "completed" if draw < 0.94 else "no_show" if draw < 0.97 else "cancelled"
    return "confirmed" if rng.random() < 0.3 else "booked"


def _appointments(
    layout: Layout, today: date, zone: ZoneInfo, codec: Codec, seed: int
) -> Iterator[tuple[Values, str, int]]:
    """(appointment row, status, price) for every slot of every therapist, in time order."""
    rng = random.Random(f"{seed}:calendar")
    now_slot = layout.per_day // 2
    number = 0
    first = today - timedelta(days=layout.days_back)
    for day_index in range(layout.days_back + layout.days_ahead + 1):
        day = first + timedelta(days=day_index)
        created = codec.instant(datetime.combine(day - timedelta(days=14), clock_time(10)))
        for slot in range(layout.per_day):
            minute = OPENS + slot * SLOT_MINUTES
            local = datetime.combine(day, clock_time(minute // 60, minute % 60), zone)
            starts = local.astimezone(UTC).replace(tzinfo=None)
            for therapist in range(layout.therapists):
                number += 1
                service = service_of(therapist, slot)
                _name, _cat, minutes, _buffer, price, needs_room, _steamer = SERVICES[service - 1]
                status = _status(rng, day, today, slot, now_slot)
                yield (
                    (
                        number,
                        client_of(layout, day_index, slot, therapist),
                        FIRST_THERAPIST + therapist,
                        therapist + 1 if needs_room else None,
                        service,
                        codec.instant(starts),
                        codec.instant(starts + timedelta(minutes=minutes)),
                        status,
                        price,
                        "Prefers a quiet room" if number % 23 == 0 else "",
                        created,
                    ),
                    status,
                    price,
                )


APPOINTMENT_COLUMNS = (
    "id",
    "customer_id",
    "staff_id",
    "room_id",
    "service_id",
    "starts_at",
    "ends_at",
    "status",
    "price_minor",
    "notes",
    "created_at",
)


def _customers(layout: Layout, codec: Codec, joined: datetime) -> Iterator[Values]:
    stamp = codec.instant(joined)
    for number in range(1, layout.customers + 1):
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        last = LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)]
        forward, backward = search_keys(first, last)
        digits = f"7700{number:06d}"
        yield (
            number,
            first,
            last,
            forward,
            backward,
            f"+44{digits}",
            f"44{digits}",
            None,
            None,
            None,
            codec.false,
            None,
            stamp,
        )


def build_calendar(
    engine: Engine,
    *,
    layout: Layout | None = None,
    today: date | None = None,
    seed: int = 8,
    progress: Progress | None = None,
) -> CalendarSummary:
    """Migrate `engine`'s (empty) database and fill it with the benchmark's busy spa."""
    layout = layout or Layout()
    began = time.perf_counter()
    report: Progress = progress or (lambda _stage: None)
    zone = ZoneInfo(ZONE_NAME)
    today = today or datetime.now(zone).date()
    report("Migrating")
    upgrade_to_head(engine)
    codec = Codec(engine.dialect)
    pin_hash = PasswordHasher().hash(PIN)
    first_day = today - timedelta(days=layout.days_back)
    last_day = today + timedelta(days=layout.days_ahead)
    joined = datetime.combine(first_day - timedelta(days=30), clock_time(9))
    appointments = sales = 0
    with (
        engine.connect().execution_options(**{WRITE_OPTION: True}) as connection,
        BulkMode(connection),
        connection.begin(),
    ):
        if connection.execute(Staff.__table__.select().limit(1)).first() is not None:
            raise ValueError("The calendar benchmark is built only into a new, empty database.")
        report("Shop")
        _write_shop(connection, layout, codec, pin_hash)
        report("Clients")
        with (
            IndexesPaused(connection, [_table(Customer), _table(Allergy)]),
            SearchIndexPaused(connection),
        ):
            clients = list(_customers(layout, codec, joined))
            insert_tuples(connection, _table(Customer), CUSTOMER_COLUMNS, clients)
            allergies = [
                (n, c, "Nuts" if n % 2 else "Lavender oil", "mild", "", codec.instant(joined))
                for n, c in enumerate(range(7, layout.customers + 1, 19), start=1)
            ]
            insert_tuples(connection, _table(Allergy), ALLERGY_COLUMNS, allergies)
        report("Appointments")
        sale_rows: list[Values] = []
        line_rows: list[Values] = []
        pay_rows: list[Values] = []
        equipment: list[Values] = []
        names = {number: row[0] for number, row in enumerate(SERVICES, start=1)}
        with IndexesPaused(
            connection,
            [_table(m) for m in (Appointment, AppointmentResource, Sale, SaleLine, Payment)],
        ):
            batch: list[Values] = []
            for row, status, price in _appointments(layout, today, zone, codec, seed):
                batch.append(row)
                appointment_id, customer_id, staff_id, _room, service_id, _s, ends = row[:7]
                if service_id == FACIAL:
                    equipment.append((len(equipment) + 1, appointment_id, 1, 1))
                if status == "completed":
                    sales += 1
                    tax = price * TAX_BP // (10_000 + TAX_BP)
                    receipt = format_receipt_number(sales)
                    sale_rows.append((sales, receipt, customer_id, 3, ends, "GBP", price, tax))
                    line_rows.append(
                        (sales, sales, appointment_id, service_id, None, staff_id,
                         names[service_id], 1, price, TAX_BP, price, tax)
                    )  # fmt: skip
                    pay_rows.append((sales, sales, "card", price, price, 0))
                if len(batch) >= 50_000:
                    insert_tuples(connection, _table(Appointment), APPOINTMENT_COLUMNS, batch)
                    appointments += len(batch)
                    batch = []
            insert_tuples(connection, _table(Appointment), APPOINTMENT_COLUMNS, batch)
            appointments += len(batch)
            insert_tuples(
                connection,
                _table(AppointmentResource),
                ("id", "appointment_id", "resource_id", "quantity"),
                equipment,
            )
            report("Sales")
            insert_tuples(connection, _table(Sale), SALE_COLUMNS, sale_rows)
            insert_tuples(connection, _table(SaleLine), LINE_COLUMNS, line_rows)
            insert_tuples(connection, _table(Payment), PAYMENT_COLUMNS, pay_rows)
            report("Indexes")
        counters = _table(Counter)
        connection.execute(delete(counters).where(counters.c.name == RECEIPT_COUNTER))
        bulk_insert(connection, counters, [{"name": RECEIPT_COUNTER, "value": sales}])
        sync_sequences(
            connection,
            [
                _table(m)
                for m in (
                    ShopProfile, Staff, WorkingHours, OpeningHours, Room, Resource,
                    ServiceCategory, Service, Customer, Allergy, Appointment,
                    AppointmentResource, Sale, SaleLine, Payment,
                )
            ],
        )  # fmt: skip
    return CalendarSummary(
        first_day,
        last_day,
        layout.therapists,
        appointments,
        layout.customers,
        time.perf_counter() - began,
    )


def _write_shop(connection: Connection, layout: Layout, codec: Codec, pin_hash: str) -> None:
    yes = codec.true
    connection.execute(delete(_table(ShopProfile)))
    bulk_insert(
        connection,
        _table(ShopProfile),
        [
            {
                "id": 1,
                "name": "Benchmark Day Spa",
                "address": "1 Long Street, London",
                "phone": "+44 20 7946 0000",
                "tax_id": "GB123456789",
                "currency": "GBP",
                "locale": "en",
                "timezone": ZONE_NAME,
                "phone_region": "GB",
                "receipt_footer": "",
                "default_tax_rate_bp": TAX_BP,
                "setup_steps_done": "staff,services,rooms,printer",
            }
        ],
    )
    office = [(1, "Olive Owner", "owner"), (2, "Martin Manager", "manager")]
    office.append((3, "Rita Reception", "receptionist"))
    staff = [(n, name, role) for n, name, role in office] + [
        (staff_id, f"Therapist {staff_id - FIRST_THERAPIST + 1:02d}", "therapist")
        for staff_id in therapist_ids(layout)
    ]
    colours = ("#e07a5f", "#81b29a", "#f2cc8f", "#9b5de5", "#f15bb5", "#00bbf9", "#2a9d8f")
    bulk_insert(
        connection,
        _table(Staff),
        [
            {
                "id": staff_id,
                "display_name": name,
                "role": role,
                "pin_hash": pin_hash,
                "active": yes,
                "failed_pin_attempts": 0,
                "locked_until": None,
                "color": colours[staff_id % len(colours)],
            }
            for staff_id, name, role in staff
        ],
    )
    bulk_insert(
        connection,
        _table(WorkingHours),
        [
            {
                "id": number,
                "staff_id": staff_id,
                "weekday": weekday,
                "start_minute": OPENS,
                "end_minute": CLOSES,
            }
            for number, (staff_id, weekday) in enumerate(
                ((s, w) for s in therapist_ids(layout) for w in range(7)), start=1
            )
        ],
    )
    connection.execute(delete(_table(OpeningHours)))
    bulk_insert(
        connection,
        _table(OpeningHours),
        [
            {"id": w + 1, "weekday": w, "open_minute": OPENS, "close_minute": CLOSES}
            for w in range(7)
        ],
    )
    bulk_insert(
        connection,
        _table(Room),
        [
            {
                "id": n,
                "name": f"Treatment Room {n:02d}",
                "kind": "treatment",
                "capacity": 1,
                "active": yes,
            }
            for n in range(1, layout.therapists + 1)
        ],
    )
    bulk_insert(
        connection,
        _table(Resource),
        [{"id": 1, "name": "Facial steamer", "kind": "", "quantity": STEAMERS, "active": yes}],
    )
    bulk_insert(
        connection,
        _table(ServiceCategory),
        [
            {"id": n, "name": name, "sort_order": n, "active": yes, "color": colour}
            for n, (name, colour) in enumerate(CATEGORIES, start=1)
        ],
    )
    bulk_insert(
        connection,
        _table(Service),
        [
            {
                "id": n,
                "category_id": category,
                "name": name,
                "duration_minutes": minutes,
                "buffer_minutes": buffer,
                "price_minor": price,
                "tax_rate_bp": TAX_BP,
                "active": yes,
                "room_kind": "treatment" if room else None,
                "capacity_used": 1,
                "bookable": yes,
                "sort_order": n,
            }
            for n, (name, category, minutes, buffer, price, room, _steamer) in enumerate(
                SERVICES, start=1
            )
        ],
    )
    bulk_insert(
        connection,
        _table(ServiceEquipment),
        [{"service_id": FACIAL, "resource_id": 1, "quantity": 1}],
    )
    bulk_insert(
        connection,
        _table(StaffService),
        [
            {"staff_id": staff_id, "service_id": service}
            for staff_id in therapist_ids(layout)
            for service in range(1, len(SERVICES) + 1)
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a new SQLite file")
    parser.add_argument("--url", help="or a database URL (an empty database)")
    args = parser.parse_args(argv)
    if not args.db and not args.url:
        parser.error("give --db or --url")
    if args.db:
        if args.db.exists():
            parser.error(f"{args.db} exists: the benchmark database is built only once")
        args.db.parent.mkdir(parents=True, exist_ok=True)
    url = args.url or f"sqlite:///{args.db}"
    engine = make_engine(url, create=bool(args.db))
    try:
        summary = build_calendar(engine, progress=lambda stage: print(stage, "...", flush=True))
    finally:
        engine.dispose()
    print(
        f"{summary.appointments:,} appointments of {summary.therapists} therapists, "
        f"{summary.first_day} to {summary.last_day}, {summary.customers:,} clients, "
        f"in {summary.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
