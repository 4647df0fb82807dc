"""The demo generator: a whole, consistent, reproducible shop in each language."""

from __future__ import annotations

import random
import re
from collections import Counter as Tally
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.models import (
    Appointment,
    AppointmentSeries,
    Booking,
    Counter,
    Customer,
    Product,
    Room,
    Sale,
    SaleLine,
    Service,
    ServiceCategory,
    ShopProfile,
    Staff,
    WaitlistEntry,
    WorkingHours,
)
from db.models.counters import RECEIPT_COUNTER, format_receipt_number
from db.search_index import CREATE_STATEMENTS
from frontdesk.demo import DEMO_PIN, DemoSummary, build, build_demo
from frontdesk.demo.catalogue import catalogue_for
from frontdesk.demo.clientele import VISITS_PER_CLIENT, Clientele, habits
from frontdesk.demo.days import day_starts
from frontdesk.demo.people import creation_offsets, name_pools
from frontdesk.demo.roster import blocks_for, make_roster
from frontdesk.demo.schedule import COMFORTABLE_FILL, PAST_SLOTS_PER_BLOCK, Scheduler
from frontdesk.demo.shop import shop_rows
from frontdesk.demo.writer import Codec
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.clients import (
    PREF_PRESSURE,
    PREF_TEMPERATURE,
    PREFERENCE_TOPICS,
    PRESSURES,
    TEMPERATURES,
    read_preferences,
)
from frontdesk.domain.search_text import client_search_keys, phone_digits, search_keys

TODAY = date(2026, 11, 23)  # a Monday
CLIENTS = 200
#: A client base more than eight therapists can serve: the shop grows, and staff come and go.
MANY_CLIENTS = 5000
HAN = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Built:
    engine: Engine
    summary: DemoSummary
    stages: list[tuple[str, float]]


def _build(path: Path, locale: str = "en", seed: int = 7, clients: int = CLIENTS) -> Built:
    engine = make_engine(f"sqlite:///{path}", create=True)
    stages: list[tuple[str, float]] = []
    summary = build_demo(
        engine,
        customers=clients,
        locale=locale,
        seed=seed,
        today=TODAY,
        progress=lambda stage, fraction: stages.append((stage, fraction)),
    )
    return Built(engine, summary, stages)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Built]]:
    folder = tmp_path_factory.mktemp("demo")
    shops = {locale: _build(folder / f"{locale}.sqlite3", locale) for locale in ("en", "zh", "ru")}
    yield shops
    for shop in shops.values():
        shop.engine.dispose()


@pytest.fixture(scope="module")
def en(built: dict[str, Built]) -> Engine:
    return built["en"].engine


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """A shop whose clients want more visits than eight therapists can comfortably give,
    its clients made and written a thousand at a time, as a million are."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "CLIENT_CHUNK", 1000)
        shop = _build(tmp_path_factory.mktemp("grown") / "grown.sqlite3", clients=MANY_CLIENTS)
    yield shop
    shop.engine.dispose()


@pytest.fixture(scope="module", params=["en", "grown"])
def booked(request: pytest.FixtureRequest, built: dict[str, Built], grown: Built) -> Engine:
    """The small shop, then the grown one: the same rules hold for both."""
    return grown.engine if request.param == "grown" else built["en"].engine


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _overlaps(session: Session, column: str, where: str = "") -> int:
    """Appointments that begin before an earlier one with the same `column` has ended:
    none, when no two of them overlap."""
    return int(
        session.scalar(
            text(
                "SELECT count(*) FROM (SELECT starts_at, max(ends_at) OVER (PARTITION BY "
                f"{column} ORDER BY starts_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND "
                f"1 PRECEDING) AS busy_until FROM appointments {where}) "
                "WHERE starts_at < busy_until"
            )
        )
        or 0
    )


def _therapist_overlaps(session: Session) -> int:
    return _overlaps(session, "staff_id")


def test_counts_are_those_of_a_small_spa(built: dict[str, Built], en: Engine) -> None:
    summary = built["en"].summary
    with Session(en) as s:
        roles = dict(
            s.execute(select(Staff.role, func.count()).group_by(Staff.role)).tuples().all()
        )
        assert roles == {"owner": 1, "manager": 1, "receptionist": 2, "therapist": 8}
        assert _count(s, Customer) == summary.customers == CLIENTS
        assert _count(s, Staff) == summary.staff == 12
        assert _count(s, Room) == summary.rooms == 6
        assert sorted(s.scalars(select(Room.capacity))) == [1, 1, 1, 1, 2, 6]
        assert 35 <= _count(s, Service) == summary.services <= 45
        assert 25 <= _count(s, Product) == summary.products <= 35
        assert _count(s, Appointment) == summary.appointments
        assert _count(s, Sale) == summary.sales
        assert 3 <= s.scalar(text("SELECT count(*) FROM resources")) <= 4
        assert s.scalar(text("SELECT count(*) FROM service_categories")) == 5
        # about five visits per client over two years, plus today and the next two weeks
        history = s.scalar(text("SELECT count(*) FROM appointments WHERE starts_at < '2026-11-23'"))
        assert 0.7 * 5 * CLIENTS <= history <= 1.3 * 5 * CLIENTS
        with_preferences = s.scalar(text("SELECT count(DISTINCT customer_id) FROM preferences"))
        with_allergies = s.scalar(text("SELECT count(DISTINCT customer_id) FROM allergies"))
        assert 0.45 * CLIENTS <= with_preferences <= 0.75 * CLIENTS
        assert 0.05 * CLIENTS <= with_allergies <= 0.25 * CLIENTS
        assert set(s.scalars(text("SELECT DISTINCT severity FROM allergies"))) <= {
            "mild",
            "moderate",
            "severe",
        }


def test_shop_profile_follows_the_locale(built: dict[str, Built]) -> None:
    expected = {
        "en": ("GBP", "en_GB", "Europe/London", "GB", 2000),
        "zh": ("CNY", "zh_CN", "Asia/Shanghai", "CN", 600),
        "ru": ("RUB", "ru_RU", "Europe/Moscow", "RU", 2000),
    }
    for locale, (currency, shop_locale, zone, region, rate) in expected.items():
        with Session(built[locale].engine) as s:
            shop = s.scalars(select(ShopProfile)).one()
            assert (shop.currency, shop.locale, shop.timezone, shop.phone_region) == (
                currency,
                shop_locale,
                zone,
                region,
            )
            assert all((shop.address, shop.phone, shop.tax_id, shop.receipt_footer))
            assert set(s.scalars(select(Service.tax_rate_bp))) == {rate}
            assert set(s.scalars(select(Sale.currency))) == {currency}


def test_names_and_texts_are_in_the_chosen_language(built: dict[str, Built]) -> None:
    for locale, script in (("zh", HAN), ("ru", CYRILLIC)):
        with Session(built[locale].engine) as s:
            names = s.execute(select(Customer.first_name, Customer.last_name)).all()
            assert all(script.search(first) and script.search(last) for first, last in names)
            for column in (Staff.display_name, Service.name, Product.name, Room.name):
                assert all(script.search(value) for value in s.scalars(select(column)))
            # Preferences use the card's topic codes (so the card's fields are filled): the
            # chosen pressure and temperature as codes, free text in the shop's language.
            for topic, value in s.execute(text("SELECT topic, value FROM preferences")):
                assert topic in PREFERENCE_TOPICS
                if topic == PREF_PRESSURE:
                    assert value in PRESSURES
                elif topic == PREF_TEMPERATURE:
                    assert value in TEMPERATURES
                else:
                    assert script.search(value), (topic, value)
            rows: dict[int, list[tuple[str, str]]] = {}
            for customer_id, topic, value in s.execute(
                text("SELECT customer_id, topic, value FROM preferences ORDER BY id")
            ):
                rows.setdefault(customer_id, []).append((topic, value))
            # Nothing lands in the card's "Also noted": every row fills its own field.
            assert all(read_preferences(r)[1] == () for r in rows.values())
            assert all(script.search(a) for a in s.scalars(text("SELECT substance FROM allergies")))
            assert script.search(s.scalars(select(ShopProfile.name)).one())


def test_client_fields_are_well_formed(en: Engine) -> None:
    phone_pattern = re.compile(r"\+447\d{9}")
    with Session(en) as s:
        clients = s.scalars(select(Customer)).all()
        for client in clients:
            assert (client.search_name, client.search_name_rev) == search_keys(
                client.first_name, client.last_name
            )
            assert client.phone_digits == phone_digits(client.phone)
            keys = client_search_keys(
                client.first_name, client.last_name, client.phone, client.email, "GB"
            )
            assert (client.search_initials, client.email_folded, client.phone_national) == (
                keys.search_initials,
                keys.email_folded,
                keys.phone_national,
            )
            assert client.phone is None or phone_pattern.fullmatch(client.phone)
            assert client.card_number is None or re.fullmatch(r"FD-\d{7}", client.card_number)
            assert client.marketing_consent == (client.marketing_consent_at is not None)
            assert client.created_at.tzinfo is UTC
        cards = [c.card_number for c in clients if c.card_number]
        assert 0.45 * CLIENTS <= len(cards) == len(set(cards)) <= 0.75 * CLIENTS
        birthdays = sum(1 for c in clients if c.birthday)
        assert 0.55 * CLIENTS <= birthdays <= 0.85 * CLIENTS
        consenting = sum(1 for c in clients if c.marketing_consent)
        assert 0.25 * CLIENTS <= consenting <= 0.55 * CLIENTS


def test_staff_sign_in_with_the_demo_pin(en: Engine) -> None:
    with Session(en) as s:
        staff = s.scalars(select(Staff)).all()
        assert len({member.pin_hash for member in staff}) == 1  # hashed once
        assert PasswordHasher().verify(staff[0].pin_hash, DEMO_PIN)
        colours = [m.color for m in staff if m.role == "therapist"]
        assert len(set(colours)) == 8
        assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours)
        assert all(member.active for member in staff)


def test_products_have_unique_skus_and_valid_barcodes(en: Engine) -> None:
    with Session(en) as s:
        products = s.scalars(select(Product)).all()
    assert len({p.sku for p in products}) == len({p.barcode for p in products}) == len(products)
    for product in products:
        assert product.barcode is not None
        assert re.fullmatch(r"\d{13}", product.barcode)
        digits = [int(d) for d in product.barcode]
        assert sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def test_appointments_fit_the_rota_without_double_booking(booked: Engine) -> None:
    zone = ZoneInfo("Europe/London")
    with Session(booked) as s:
        assert _therapist_overlaps(s) == 0
        single = "WHERE room_id IN (SELECT id FROM rooms WHERE capacity = 1)"
        assert _overlaps(s, "room_id", single) == 0
        hours = {
            (h.staff_id, h.weekday): (h.start_minute, h.end_minute)
            for h in s.scalars(select(WorkingHours))
        }
        appointments = s.scalars(select(Appointment)).all()
        prices = dict(s.execute(select(Service.id, Service.price_minor)).tuples().all())
        for appt in appointments:
            start, end = appt.starts_at.astimezone(zone), appt.ends_at.astimezone(zone)
            assert start.date() == end.date()
            shift = hours[(appt.staff_id, start.weekday())]
            assert shift[0] <= start.hour * 60 + start.minute
            assert end.hour * 60 + end.minute <= shift[1]
            assert appt.price_minor == prices[appt.service_id]
    statuses = {a.status for a in appointments if a.starts_at.astimezone(zone).date() < TODAY}
    assert statuses == {
        AppointmentStatus.COMPLETED,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.NO_SHOW,
    }
    today = [a for a in appointments if a.starts_at.astimezone(zone).date() == TODAY]
    assert len(today) >= 20
    assert {a.status for a in today} == {
        AppointmentStatus.BOOKED,
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.IN_SERVICE,
    }
    future = [a for a in appointments if a.starts_at.astimezone(zone).date() > TODAY]
    assert {a.status for a in future} == {AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED}
    later = [a for a in future if a.starts_at.astimezone(zone).date() > TODAY + timedelta(days=2)]
    assert {a.status for a in later} == {AppointmentStatus.BOOKED}  # confirmed a day or two ahead
    assert max(a.starts_at.astimezone(zone).date() for a in future).toordinal() == (
        TODAY.toordinal() + 14
    )


def test_every_completed_appointment_is_paid_once_and_adds_up(booked: Engine) -> None:
    with Session(booked) as s:
        unpaid_or_twice = s.scalar(
            text(
                "SELECT count(*) FROM appointments a WHERE (a.status = 'completed') <> "
                "((SELECT count(*) FROM sale_lines l WHERE l.appointment_id = a.id) = 1)"
            )
        )
        assert unpaid_or_twice == 0
        mismatched = s.scalar(
            text(
                "SELECT count(*) FROM sales s WHERE s.total_minor <> "
                "(SELECT sum(total_minor) FROM sale_lines WHERE sale_id = s.id) "
                "OR s.total_minor <> (SELECT sum(amount_minor) FROM payments WHERE sale_id = s.id)"
                " OR (SELECT count(*) FROM payments WHERE sale_id = s.id) <> 1"
            )
        )
        assert mismatched == 0
        bad_change = s.scalar(
            text(
                "SELECT count(*) FROM payments WHERE change_minor <> tendered_minor - amount_minor "
                "OR (method = 'card' AND change_minor <> 0)"
            )
        )
        assert bad_change == 0
        # tax inside a 20 % inclusive price, rounded half up
        lines = s.execute(text("SELECT total_minor, tax_minor FROM sale_lines")).tuples().all()
        assert all(tax == (2 * total * 2000 + 12000) // 24000 for total, tax in lines)
        products = s.scalar(text("SELECT count(*) FROM sale_lines WHERE product_id IS NOT NULL"))
        sales = _count(s, Sale)
        assert 0.1 * sales <= products <= 0.3 * sales


def test_receipts_are_numbered_in_time_order_and_counted(booked: Engine) -> None:
    with Session(booked) as s:
        sales = s.execute(select(Sale.receipt_number, Sale.created_at).order_by(Sale.id)).all()
        counter = s.get(Counter, RECEIPT_COUNTER)
    assert counter is not None
    assert counter.value == len(sales)
    assert [r for r, _ in sales] == [format_receipt_number(n) for n in range(1, len(sales) + 1)]
    times = [t for _, t in sales]
    assert times == sorted(times)
    assert times[-1].date() < TODAY  # nothing paid yet today


def test_search_index_finds_demo_clients_and_keeps_indexing(built: dict[str, Built]) -> None:
    for shop in built.values():
        with Session(shop.engine) as s:
            rows = s.execute(select(Customer.id, Customer.search_name).order_by(Customer.id)).all()
            client_id, name = next((i, n) for i, n in reversed(rows) if len(n) >= 3)
            for fragment in (name[:3], name[-3:]):
                hits = s.scalars(
                    text("SELECT rowid FROM customers_fts WHERE customers_fts MATCH :q"),
                    {"q": f'"{fragment}"'},
                ).all()
                assert client_id in hits
            # the insert trigger is back, exactly as the migration created it
            trigger = s.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = 'customers_fts_insert'")
            )
            assert trigger in CREATE_STATEMENTS


def test_progress_advances_from_zero_to_one(built: dict[str, Built]) -> None:
    fractions = [fraction for _stage, fraction in built["en"].stages]
    assert (fractions[0], fractions[-1]) == (0.0, 1.0)
    assert fractions == sorted(fractions)
    assert all(stage for stage, _fraction in built["en"].stages)


def test_same_seed_same_shop_other_seed_other_shop(built: dict[str, Built], tmp_path: Path) -> None:
    def fingerprint(engine: Engine) -> tuple[list[tuple[str, str, str | None]], list[int]]:
        with Session(engine) as s:
            clients = s.execute(
                select(Customer.first_name, Customer.last_name, Customer.phone).order_by(
                    Customer.id
                )
            ).tuples()
            totals = s.scalars(select(Sale.total_minor).order_by(Sale.id))
            return list(clients), list(totals)

    again = _build(tmp_path / "again.sqlite3")
    other = _build(tmp_path / "other.sqlite3", seed=8)
    try:
        assert fingerprint(again.engine) == fingerprint(built["en"].engine)
        assert again.summary.appointments == built["en"].summary.appointments
        assert fingerprint(other.engine) != fingerprint(built["en"].engine)
    finally:
        again.engine.dispose()
        other.engine.dispose()


def test_refuses_a_database_that_has_clients_or_staff(en: Engine) -> None:
    with pytest.raises(ValueError, match="already has clients"):
        build_demo(en, customers=CLIENTS, today=TODAY)


def test_refuses_unknown_locales_and_empty_shops(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}", create=True)
    try:
        with pytest.raises(ValueError, match="Unknown demo locale"):
            build_demo(engine, locale="fr")
        with pytest.raises(ValueError, match="at least one client"):
            build_demo(engine, customers=0)
    finally:
        engine.dispose()


def test_a_failed_build_leaves_the_database_empty(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'half.sqlite3'}", create=True)

    def stop_at_sales(stage: str, _fraction: float) -> None:
        if stage == "Sales":
            raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            build_demo(engine, customers=CLIENTS, today=TODAY, progress=stop_at_sales)
        with Session(engine) as s:
            assert (_count(s, Customer), _count(s, Staff), _count(s, Appointment)) == (0, 0, 0)
            assert s.scalar(text("SELECT count(*) FROM customers_fts")) == 0
            trigger = s.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = 'customers_fts_insert'")
            )
            assert trigger in CREATE_STATEMENTS
            assert s.scalar(text("PRAGMA synchronous")) == 2  # FULL again
            assert s.scalar(text("PRAGMA foreign_keys")) == 1
            assert s.scalar(text("PRAGMA journal_mode")) == "wal"
        summary = build_demo(engine, customers=CLIENTS, today=TODAY)  # and it can be rebuilt
        assert summary.customers == CLIENTS
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_demo_on_postgresql_leaves_sequences_ready(pg_engine: Engine) -> None:
    summary = build_demo(pg_engine, customers=CLIENTS, locale="zh", today=TODAY)
    with Session(pg_engine) as s:
        assert _count(s, Customer) == CLIENTS
        assert _count(s, Sale) == summary.sales
        first = s.scalars(select(Appointment).order_by(Appointment.id)).first()
        assert first is not None
        assert first.starts_at.tzinfo is UTC
        assert first.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).hour >= 9
        client = Customer(
            first_name="芳",
            last_name="王",
            search_name="王芳",
            search_name_rev="芳王",
            created_at=first.starts_at,
        )
        s.add(client)
        s.flush()
        assert client.id == CLIENTS + 1  # the id sequence moved past the demo's own ids
        s.rollback()


def test_womens_and_mens_treatments_go_to_women_and_men(en: Engine) -> None:
    pools = name_pools(catalogue_for("en"), 7)
    with Session(en) as s:
        for service, names in (
            ("Pregnancy Massage", pools.female_first),
            ("Gentlemen's Facial", pools.male_first),
        ):
            booked = s.scalars(
                select(Customer.first_name)
                .join(Appointment, Appointment.customer_id == Customer.id)
                .join(Service, Service.id == Appointment.service_id)
                .where(Service.name == service)
            ).all()
            assert booked
            assert set(booked) <= set(names)


PAST = "starts_at < '2026-11-23'"


def _visit_counts(session: Session) -> list[int]:
    """Past visits of every client, the clients with none included."""
    return list(
        session.scalars(
            text(
                "SELECT (SELECT count(*) FROM appointments a WHERE a.customer_id = c.id "
                f"AND a.{PAST}) FROM customers c"
            )
        )
    )


def _most_therapists_in_a_day(session: Session) -> int:
    return int(
        session.scalar(
            text(
                "SELECT max(n) FROM (SELECT count(DISTINCT staff_id) AS n FROM appointments "
                "GROUP BY date(starts_at))"
            )
        )
        or 0
    )


def test_no_day_has_more_therapists_than_the_rota_has_places(booked: Engine) -> None:
    """Staff who left were replaced, not kept on beside their successors: on no day do more
    therapists work than the shop has therapists now, and never more than a big shop's 24."""
    with Session(booked) as s:
        places = s.scalar(text("SELECT count(*) FROM staff WHERE role = 'therapist' AND active"))
        assert 5 <= _most_therapists_in_a_day(s) <= min(places, 24)


def test_a_grown_shop_has_more_therapists_and_rooms_and_staff_who_came_and_went(
    grown: Built,
) -> None:
    with Session(grown.engine) as s:
        staff = s.scalars(select(Staff).order_by(Staff.id)).all()
        office, therapists = staff[:4], [m for m in staff if m.role == "therapist"]
        assert [m.role for m in office] == ["owner", "manager", "receptionist", "receptionist"]
        present = [m for m in therapists if m.active]
        gone = [m for m in therapists if not m.active]
        assert len(present) == 16
        assert 1 <= len(gone) <= 16
        assert len(staff) == grown.summary.staff == 4 + len(therapists)
        assert len({member.display_name for member in staff}) == len(staff)
        working = set(s.scalars(select(WorkingHours.staff_id)))
        assert {member.id for member in therapists} == working
        # the rooms of one shop, all in use: four more for eight more therapists
        rooms = s.scalars(select(Room)).all()
        assert len(rooms) == 10 == grown.summary.rooms
        assert all(room.active for room in rooms)
        assert len({room.name for room in rooms}) == len(rooms)
        # everyone who left worked in the past; today and ahead belong to the present team
        worked = set(s.scalars(text(f"SELECT DISTINCT staff_id FROM appointments WHERE {PAST}")))
        assert {member.id for member in gone} <= worked
        ahead = set(
            s.scalars(text(f"SELECT DISTINCT staff_id FROM appointments WHERE NOT ({PAST})"))
        )
        assert ahead
        assert ahead <= {member.id for member in present}


def test_visits_are_spread_like_a_real_clientele(grown: Built) -> None:
    """Regulars with many visits, many one-time clients, some who never came."""
    with Session(grown.engine) as s:
        counts = _visit_counts(s)
    clients, visits = len(counts), sum(counts)
    never = sum(1 for n in counts if n == 0)
    once = sum(1 for n in counts if n == 1)
    regulars = [n for n in counts if n >= 10]
    assert 0.03 * clients <= never <= 0.15 * clients
    assert 0.35 * clients <= once <= 0.6 * clients
    assert 0.05 * clients <= len(regulars) <= 0.25 * clients
    assert sum(regulars) >= 0.4 * visits  # regulars hold most of the visits...
    assert max(counts) <= 60  # ...but nobody comes more than every other week or so


def test_a_million_clients_book_like_one_busy_shop() -> None:
    """The appointment book of a million clients, without writing it: the staff of one big
    shop (never hundreds of therapists in a day), its rooms, and the clients it can see
    keep the habits of a small shop's; the others never came."""
    customers = 1_000_000
    catalogue = catalogue_for("en")
    zone = ZoneInfo(catalogue.shop.timezone)
    pools = name_pools(catalogue, 7)
    blocks = blocks_for(customers * VISITS_PER_CLIENT, PAST_SLOTS_PER_BLOCK, COMFORTABLE_FILL)
    roster = make_roster(catalogue, pools, blocks, 7)
    shop = shop_rows(catalogue, roster, "pin", Codec(sqlite.dialect()), 7)
    scheduler = Scheduler(catalogue, shop.treatments, roster, shop.bookable_rooms, 7, TODAY, zone)
    plan = scheduler.plan(customers)
    rng = random.Random(7)
    offsets = creation_offsets(rng, customers, day_starts(TODAY, zone))
    women = bytearray(rng.random() < 0.75 for _ in range(customers))
    kinds = habits(rng, customers, plan.coming)
    visits = scheduler.book(plan, Clientele(offsets, women, kinds), offsets)

    assert len(shop.rooms) <= 18
    therapists = roster.therapists
    assert 32 <= len(therapists) <= 60
    by_day: dict[int, set[int]] = {}
    for visit in visits:
        by_day.setdefault(visit.day, set()).add(visit.staff_id)
    assert max(len(staff) for staff in by_day.values()) <= 24
    past = Tally(visit.customer_id for visit in visits if visit.day < 0)
    came = len(past)
    assert 50_000 <= sum(past.values()) <= 200_000
    once = sum(1 for n in past.values() if n == 1)
    regulars = sum(1 for n in past.values() if n >= 10)
    assert 0.35 * came <= once <= 0.65 * came
    assert 0.05 * came <= regulars <= 0.25 * came
    assert max(past.values()) <= 60


def test_search_index_holds_every_client_as_stored(built: dict[str, Built], grown: Built) -> None:
    """The grown shop's clients are indexed a chunk at a time as they are written: the index
    must match the table (SQLite reports a corrupt database otherwise)."""
    for shop in (*built.values(), grown):
        with Session(shop.engine) as s:
            s.execute(
                text("INSERT INTO customers_fts(customers_fts, rank) VALUES ('integrity-check', 1)")
            )


def test_rows_point_at_rows_that_exist(built: dict[str, Built], grown: Built) -> None:
    """Foreign keys are not checked while the demo is written: the rows must be right."""
    for shop in (*built.values(), grown):
        with Session(shop.engine) as s:
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []


def test_indexes_and_triggers_come_back_as_the_migrations_made_them(
    en: Engine, tmp_path: Path
) -> None:
    """The build drops indexes and a trigger to write faster, and must put back each one."""
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", create=True)
    try:
        upgrade_to_head(fresh)
        schema = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        with Session(fresh) as s:
            expected = set(s.execute(text(schema)).tuples())
        with Session(en) as s:
            assert set(s.execute(text(schema)).tuples()) == expected
    finally:
        fresh.dispose()


def test_the_demo_shop_is_set_up_as_the_back_office_would_leave_it(en: Engine) -> None:
    """Opening hours cover every therapist's hours, every therapist may do every service, and
    each service's room kind is the kind of some room (a booking can find a room for it)."""
    with en.connect() as conn:
        opening = {
            day: (start, end)
            for day, start, end in conn.execute(
                text("SELECT weekday, open_minute, close_minute FROM opening_hours")
            )
        }
        for day, start, end in conn.execute(
            text("SELECT weekday, start_minute, end_minute FROM working_hours")
        ):
            assert opening[day][0] <= start
            assert end <= opening[day][1]
        therapists = conn.execute(
            text("SELECT count(*) FROM staff WHERE role = 'therapist'")
        ).scalar_one()
        services = conn.execute(text("SELECT count(*) FROM services")).scalar_one()
        qualified = conn.execute(text("SELECT count(*) FROM staff_services")).scalar_one()
        assert qualified == therapists * services > 0
        room_kinds = {k for (k,) in conn.execute(text("SELECT kind FROM rooms"))}
        service_kinds = {k for (k,) in conn.execute(text("SELECT room_kind FROM services"))}
        assert service_kinds <= room_kinds
        assert conn.execute(text("SELECT default_tax_rate_bp FROM shop_profile")).scalar_one()


def test_the_calendar_has_a_couple_a_sauna_group_a_series_and_a_waitlist(
    built: dict[str, Built], booked: Engine
) -> None:
    """What the calendar's screens show off: category colours, today's statuses with their
    times, one couples booking today, a sauna group tomorrow, a weekly series, two clients
    waiting, and late cancellations in the history; rooms never over capacity."""
    for shop in built.values():
        with Session(shop.engine) as s:
            colours = list(s.scalars(select(ServiceCategory.color)))
            assert colours
            assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    zone = ZoneInfo("Europe/London")
    with Session(booked) as s:
        appointments = s.scalars(select(Appointment)).all()
        rooms = {r.id: r for r in s.scalars(select(Room))}
        bookings = {b.id: b.kind for b in s.scalars(select(Booking))}
        assert sorted(bookings.values()) == ["group", "group"]
        groups: dict[int, list[Appointment]] = {}
        for appt in appointments:
            if appt.booking_id is not None:
                groups.setdefault(appt.booking_id, []).append(appt)
        couple, sauna = (groups[i] for i in sorted(groups))
        for group, size, capacity in ((couple, 2, 2), (sauna, 3, 6)):
            assert len(group) == size
            assert len({a.starts_at for a in group}) == 1
            assert len({a.room_id for a in group}) == 1
            assert len({a.staff_id for a in group}) == size
            assert len({a.customer_id for a in group}) == size
            room = rooms[group[0].room_id]
            assert room.capacity == capacity
        assert couple[0].starts_at.astimezone(zone).date() == TODAY
        assert sauna[0].starts_at.astimezone(zone).date() == TODAY + timedelta(days=1)
        # No room holds more than it has places, at any moment (ends before starts at a tie).
        for room in rooms.values():
            changes = sorted(
                change
                for a in appointments
                if a.room_id == room.id
                for change in ((a.starts_at, 1), (a.ends_at, -1))
            )
            inside = 0
            for _at, step in changes:
                inside += step
                assert inside <= room.capacity

        series = s.scalars(select(AppointmentSeries)).one()
        occurrences = sorted(
            (a for a in appointments if a.series_id == series.id), key=lambda a: a.starts_at
        )
        assert len(occurrences) == series.occurrences == 3
        assert [(a.starts_at - occurrences[0].starts_at).days for a in occurrences] == [0, 7, 14]
        assert len({(a.staff_id, a.customer_id, a.service_id) for a in occurrences}) == 1

        for appt in appointments:
            status = AppointmentStatus(appt.status)
            assert (appt.arrived_at is not None) == (
                status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.IN_SERVICE)
            )
            assert (appt.started_at is not None) == (status is AppointmentStatus.IN_SERVICE)
        cancelled = [a for a in appointments if a.status == AppointmentStatus.CANCELLED]
        late = [a for a in cancelled if a.late_cancel]
        assert 0 < len(late) < len(cancelled)
        assert not any(a.late_cancel for a in appointments if a.status != "cancelled")

        waiting = s.scalars(select(WaitlistEntry).order_by(WaitlistEntry.id)).all()
        assert [w.state for w in waiting] == ["waiting", "waiting"]
        assert waiting[0].staff_id is None
        assert waiting[1].staff_id is not None
        assert all(TODAY < w.first_day <= w.last_day for w in waiting)


def test_clients_with_allergies_on_file_agreed_to_their_keeping(en: Engine) -> None:
    """The demo showed allergies on cards whose "keep health data" consent was unticked."""
    with en.connect() as conn:
        without_consent = conn.execute(
            text(
                "SELECT count(*) FROM customers WHERE id IN (SELECT customer_id FROM allergies)"
                " AND (NOT health_consent OR health_consent_at IS NULL)"
            )
        ).scalar_one()
        with_allergies = conn.execute(
            text("SELECT count(DISTINCT customer_id) FROM allergies")
        ).scalar_one()
    assert with_allergies > 0
    assert without_consent == 0


def test_today_follows_the_hour_the_demo_is_built(tmp_path: Path) -> None:
    """Opened in the afternoon, the demo's morning is done and paid, whoever is on the table
    now is in service, and nobody is hours over their time on the room board."""
    engine = make_engine(f"sqlite:///{tmp_path / 'afternoon.sqlite3'}", create=True)
    now = 15 * 60 + 10
    try:
        build_demo(engine, customers=CLIENTS, today=TODAY, now_minute=now)
        zone = ZoneInfo(catalogue_for("en").shop.timezone)
        with Session(engine) as s:
            today = [
                a
                for a in s.scalars(select(Appointment))
                if a.starts_at.astimezone(zone).date() == TODAY
            ]
            paid = set(s.scalars(select(SaleLine.appointment_id)))
        assert len(today) >= 20

        def minute(at: datetime) -> int:
            local = at.astimezone(zone)
            return local.hour * 60 + local.minute

        live = {AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW}
        over = [a for a in today if minute(a.ends_at) <= now and a.status not in live]
        assert over == []
        on_table = [a for a in today if minute(a.starts_at) <= now < minute(a.ends_at)]
        assert on_table
        assert {a.status for a in on_table} <= {AppointmentStatus.IN_SERVICE, "cancelled"}
        done = [a for a in today if a.status == AppointmentStatus.COMPLETED]
        assert done
        assert all(a.id in paid for a in done)
        later = [a for a in today if minute(a.starts_at) > now + 20]
        assert {a.status for a in later} <= {AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED}
    finally:
        engine.dispose()
