"""The demo generator: a whole, consistent, reproducible shop in each language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.models import (
    Appointment,
    Counter,
    Customer,
    Product,
    Room,
    Sale,
    Service,
    ShopProfile,
    Staff,
    WorkingHours,
)
from db.models.counters import RECEIPT_COUNTER, format_receipt_number
from db.search_index import CREATE_STATEMENTS, phone_digits, search_keys
from frontdesk.demo import DEMO_PIN, DemoSummary, build_demo, schedule
from frontdesk.demo.catalogue import catalogue_for
from frontdesk.demo.people import name_pools

TODAY = date(2026, 11, 23)  # a Monday
CLIENTS = 200
HAN = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Built:
    engine: Engine
    summary: DemoSummary
    stages: list[tuple[str, float]]


def _build(path: Path, locale: str = "en", seed: int = 7) -> Built:
    engine = make_engine(f"sqlite:///{path}", create=True)
    stages: list[tuple[str, float]] = []
    summary = build_demo(
        engine,
        customers=CLIENTS,
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
def former(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """A shop whose clients want more visits than the eight therapists can give: the present
    team's capacity is cut to a few dozen visits, and the budget to the minimum (about one
    visit per client), so the past needs a former team, as a million clients do."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schedule, "MAX_HISTORY_FILL", 0.005)
        patch.setattr(schedule, "HISTORY_VISIT_BUDGET", 0)
        shop = _build(tmp_path_factory.mktemp("former") / "former.sqlite3")
    yield shop
    shop.engine.dispose()


@pytest.fixture(scope="module", params=["en", "former"])
def booked(request: pytest.FixtureRequest, built: dict[str, Built], former: Built) -> Engine:
    """The ordinary shop, then the one with former staff: the same rules hold for both."""
    return former.engine if request.param == "former" else built["en"].engine


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _therapist_overlaps(session: Session) -> int:
    return int(
        session.scalar(
            text(
                "SELECT count(*) FROM appointments a JOIN appointments b "
                "ON a.staff_id = b.staff_id AND a.id < b.id "
                "AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
            )
        )
        or 0
    )


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
        # about six visits per client over two years, plus today and the next two weeks
        history = s.scalar(text("SELECT count(*) FROM appointments WHERE starts_at < '2026-11-23'"))
        assert 0.7 * 6 * CLIENTS <= history <= 1.3 * 6 * CLIENTS
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
            topics = s.scalars(text("SELECT topic || value FROM preferences"))
            assert all(script.search(topic) for topic in topics)
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
        room_clashes = s.scalar(
            text(
                "SELECT count(*) FROM appointments a JOIN appointments b "
                "ON a.room_id = b.room_id AND a.id < b.id "
                "AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
                "JOIN rooms r ON r.id = a.room_id WHERE r.capacity = 1"
            )
        )
        assert room_clashes == 0
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
    assert statuses == {"completed", "cancelled", "no_show"}
    today = [a for a in appointments if a.starts_at.astimezone(zone).date() == TODAY]
    assert len(today) >= 20
    assert {a.status for a in today} <= {"booked", "checked_in"}
    future = [a for a in appointments if a.starts_at.astimezone(zone).date() > TODAY]
    assert {a.status for a in future} == {"booked"}
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


def test_a_big_client_base_gets_former_staff_for_its_past(former: Built) -> None:
    with Session(former.engine) as s:
        staff = s.scalars(select(Staff).order_by(Staff.id)).all()
        present, gone = staff[:12], staff[12:]
        assert all(member.active for member in present)
        assert len(gone) == 8 == former.summary.staff - 12
        assert all(member.role == "therapist" and not member.active for member in gone)
        assert len({member.display_name for member in staff}) == len(staff)
        working = set(s.scalars(select(WorkingHours.staff_id)))
        assert {member.id for member in gone} <= working
        rooms = s.scalars(select(Room).order_by(Room.id)).all()
        assert len(rooms) == 12 == former.summary.rooms
        assert [room.active for room in rooms] == [True] * 6 + [False] * 6
        assert [room.capacity for room in rooms[6:]] == [room.capacity for room in rooms[:6]]
        assert _therapist_overlaps(s) == 0
        # every client has had a visit since joining, most of them a first one by former staff
        unseen = s.scalar(
            text(
                "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM appointments a "
                "WHERE a.customer_id = c.id AND a.starts_at >= c.created_at "
                "AND a.starts_at < '2026-11-23')"
            )
        )
        assert unseen == 0
        past = s.scalar(text("SELECT count(*) FROM appointments WHERE starts_at < '2026-11-23'"))
        assert CLIENTS <= past <= 2 * CLIENTS
        by_former = s.scalar(text("SELECT count(*) FROM appointments WHERE staff_id > 12"))
        assert by_former >= 0.5 * CLIENTS
        # today and ahead belong to the present team alone
        ahead = s.scalars(
            text("SELECT DISTINCT staff_id FROM appointments WHERE starts_at >= '2026-11-23'")
        ).all()
        therapists = {member.id for member in present if member.role == "therapist"}
        assert ahead
        assert set(ahead) <= therapists


def test_rows_point_at_rows_that_exist(built: dict[str, Built], former: Built) -> None:
    """Foreign keys are not checked while the demo is written: the rows must be right."""
    for shop in (*built.values(), former):
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
