"""The service menu: saving services and categories, dated prices, and what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.models import (
    AuditEntry,
    OpeningHours,
    Resource,
    Room,
    SaleLine,
    Service,
    ServiceCategory,
    ServicePrice,
    ServiceTag,
)
from frontdesk.domain.catalogue import DatedPrice, Price, ServiceDraft
from frontdesk.domain.category_colors import CATEGORY_PALETTE
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.catalogue import CatalogueService
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.frontdesk.services.conftest import BACKENDS
from tests.seed import SeededShop

TODAY = date(2026, 11, 23)  # NOW in London
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, db_path: Path) -> Iterator[UnitOfWork]:
    """Each test on SQLite and, when a server is set up, on PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{db_path}")
    else:
        engine = request.getfixturevalue("pg_engine")
        upgrade_to_head(engine)
    yield UnitOfWork(engine)
    engine.dispose()


@pytest.fixture
def owner(shop: SeededShop) -> SignedIn:
    return SignedIn(staff_id=shop.owner_id, name="Olivia Owner", role=Role.OWNER)


@pytest.fixture
def catalogue(database: UnitOfWork, clock: FixedClock) -> CatalogueService:
    return CatalogueService(database, clock, ShopService(database, clock))


def _draft(**changes: object) -> ServiceDraft:
    base = ServiceDraft(
        category="Face",
        name="Classic Facial",
        duration_minutes=50,
        buffer_minutes=10,
        price_minor=5500,
        tax_rate_bp=2000,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _count(database: UnitOfWork, model: type) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_new_service_in_a_new_category_is_saved_with_its_tags_and_audited(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    with database.write() as s:
        kit = Resource(name="Stone kit", kind="stones", quantity=2)
        s.add(kit)
        s.flush()
        kit_id = kit.id
    service_id = catalogue.save_service(
        _draft(
            room_kind="  Treatment ",
            ingredients=(" Nut Oil", "lavender", "nut oil", ""),
            contraindications=("Pregnancy",),
            equipment=((kit_id, 2),),
            capacity_used=1,
        ),
        owner,
    )
    record = catalogue.service(owner, service_id)
    assert (record.category, record.name, record.price_minor, record.tax_rate_bp) == (
        "Face",
        "Classic Facial",
        5500,
        2000,
    )
    assert record.room_kind == "Treatment"
    assert record.ingredients == ("nut oil", "lavender")
    assert record.contraindications == ("pregnancy",)
    assert record.equipment == ((kit_id, 2),)
    assert record.next_price is None
    assert catalogue.find_service(" face ", "CLASSIC  facial") == service_id
    assert catalogue.find_service("Face", "Nothing") is None
    assert [c.name for c in catalogue.categories(owner)] == ["Massage", "Face"]
    with database.read() as s:
        actions = set(s.scalars(select(AuditEntry.action)))
    assert {"service.created", "category.created"} <= actions


def test_a_price_change_from_tomorrow_leaves_todays_sale_and_booking_at_the_old_price(
    catalogue: CatalogueService,
    owner: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    clock: FixedClock,
) -> None:
    deep = catalogue.find_service("Massage", "Deep Tissue Massage")
    assert deep is not None
    record = catalogue.service(owner, deep)
    catalogue.save_service(
        replace(record.draft(), price_minor=9500, tax_rate_bp=500), owner, deep, TOMORROW
    )
    record = catalogue.service(owner, deep)
    assert (record.price_minor, record.tax_rate_bp) == (8500, 2000)
    assert record.next_price == DatedPrice(TOMORROW, 9500, 500)
    assert catalogue.price_on(deep, TODAY) == Price(8500, 2000)
    assert catalogue.price_on(deep, TOMORROW) == Price(9500, 500)
    desk = SignedIn(staff_id=shop.receptionist_id, name="Rita", role=Role.RECEPTIONIST)
    sale = CheckoutService(database, clock).complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    assert sale.total.minor == 8500
    with database.read() as s:
        assert s.scalar(select(SaleLine.unit_price_minor)) == 8500
    with database.read() as s:
        assert s.get(Service, deep).price_minor == 8500  # type: ignore[union-attr]
    # Tomorrow, the same service costs the new price.
    clock.instant += timedelta(days=1)
    assert catalogue.service(owner, deep).price_minor == 9500
    assert catalogue.service(owner, deep).next_price is None


def test_a_price_change_today_on_a_used_service_keeps_the_old_price_for_the_past(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    deep = catalogue.find_service("Massage", "Deep Tissue Massage")
    assert deep is not None
    catalogue.save_service(
        replace(catalogue.service(owner, deep).draft(), price_minor=9000), owner, deep
    )
    assert catalogue.service(owner, deep).price_minor == 9000
    assert catalogue.price_on(deep, TODAY - timedelta(days=1)).price_minor == 8500
    assert _count(database, ServicePrice) == 1


def test_an_unchanged_price_writes_no_dated_price(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    deep = catalogue.find_service("Massage", "Deep Tissue Massage")
    assert deep is not None
    draft = replace(catalogue.service(owner, deep).draft(), duration_minutes=75)
    catalogue.save_service(draft, owner, deep, TOMORROW)
    assert _count(database, ServicePrice) == 0
    assert catalogue.service(owner, deep).duration_minutes == 75


def test_a_price_change_cannot_start_in_the_past(
    catalogue: CatalogueService, owner: SignedIn
) -> None:
    deep = catalogue.find_service("Massage", "Deep Tissue Massage")
    assert deep is not None
    draft = replace(catalogue.service(owner, deep).draft(), price_minor=1)
    with pytest.raises(FormErrors) as refused:
        catalogue.save_service(draft, owner, deep, TODAY - timedelta(days=1))
    assert set(refused.value.errors) == {"price_from"}


def test_a_duplicate_name_in_the_same_category_is_refused(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    before = _count(database, Service)
    with pytest.raises(FormErrors) as refused:
        catalogue.save_service(_draft(category="massage", name="deep tissue MASSAGE"), owner)
    assert set(refused.value.errors) == {"name"}
    assert _count(database, Service) == before
    # The same name in another category is another service.
    catalogue.save_service(_draft(category="Couples", name="Deep Tissue Massage"), owner)
    assert _count(database, Service) == before + 1


def test_a_service_longer_than_the_opening_hours_is_refused(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    with database.write() as s:
        s.add_all(
            [
                OpeningHours(weekday=0, open_minute=9 * 60, close_minute=13 * 60),
                OpeningHours(weekday=0, open_minute=13 * 60, close_minute=15 * 60),
                OpeningHours(weekday=5, open_minute=10 * 60, close_minute=14 * 60),
            ]
        )
    before = (_count(database, Service), _count(database, ServiceCategory))
    with pytest.raises(FormErrors) as refused:
        catalogue.save_service(_draft(duration_minutes=350, buffer_minutes=15), owner)
    assert set(refused.value.errors) == {"duration"}
    assert refused.value.errors["duration"].params == {"minutes": 365, "open_minutes": 360}
    assert (_count(database, Service), _count(database, ServiceCategory)) == before
    catalogue.save_service(_draft(duration_minutes=345, buffer_minutes=15), owner)


def test_every_bad_field_is_named_at_once_and_nothing_is_saved(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    before = _count(database, Service)
    with pytest.raises(FormErrors) as refused:
        catalogue.save_service(
            _draft(
                category=" ",
                name="",
                duration_minutes=0,
                buffer_minutes=-5,
                price_minor=-1,
                tax_rate_bp=10_001,
                capacity_used=0,
                equipment=((1, 0),),
            ),
            owner,
        )
    assert set(refused.value.errors) == {
        "service_category",
        "name",
        "duration",
        "buffer",
        "service_price",
        "service_tax_rate",
        "capacity_used",
        "equipment",
    }
    assert _count(database, Service) == before


def test_equipment_must_exist_and_be_enough(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    with database.write() as s:
        kit = Resource(name="Stone kit", quantity=1)
        s.add(kit)
        s.flush()
        kit_id = kit.id
    with pytest.raises(FormErrors) as refused:
        catalogue.save_service(_draft(equipment=((kit_id, 2),)), owner)
    assert refused.value.errors["equipment"].params == {"have": 1, "name": "Stone kit"}
    with pytest.raises(FormErrors):
        catalogue.save_service(_draft(equipment=((kit_id + 99, 1),)), owner)


def test_editing_replaces_tags_and_equipment(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    service_id = catalogue.save_service(_draft(ingredients=("a", "b")), owner)
    catalogue.save_service(
        _draft(ingredients=("b", "c"), contraindications=("x",)), owner, service_id
    )
    record = catalogue.service(owner, service_id)
    assert (record.ingredients, record.contraindications) == (("b", "c"), ("x",))
    assert _count(database, ServiceTag) == 3


def test_archive_and_restore_a_service(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    deep = catalogue.find_service("Massage", "Deep Tissue Massage")
    assert deep is not None
    catalogue.set_archived(deep, True, owner)
    assert deep not in [s.id for s in catalogue.services(owner)]
    assert deep in [s.id for s in catalogue.services(owner, include_archived=True)]
    # An archived name cannot be taken again: restore it instead.
    with pytest.raises(FormErrors):
        catalogue.save_service(_draft(category="Massage", name="Deep tissue massage"), owner)
    catalogue.set_archived(deep, False, owner)
    assert catalogue.service(owner, deep).active
    with database.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["service.archived", "service.restored"]


def test_categories_are_renamed_moved_and_archived_only_when_empty(
    catalogue: CatalogueService, owner: SignedIn
) -> None:
    face = catalogue.save_category("Face", owner)
    body = catalogue.save_category("Body", owner)
    assert [c.name for c in catalogue.categories(owner)] == ["Massage", "Face", "Body"]
    catalogue.move_category(body, -1, owner)
    catalogue.move_category(body, -1, owner)
    catalogue.move_category(body, -1, owner)  # already first: nothing moves
    assert [c.name for c in catalogue.categories(owner)] == ["Body", "Massage", "Face"]
    catalogue.save_category("Faces", owner, face)
    with pytest.raises(FormErrors):
        catalogue.save_category("massage", owner)
    massage = next(c for c in catalogue.categories(owner) if c.name == "Massage")
    assert massage.service_count == 2
    with pytest.raises(DomainError) as refused:
        catalogue.set_category_archived(massage.id, True, owner)
    assert refused.value.params == {"n": 2}
    catalogue.set_category_archived(face, True, owner)
    assert [c.name for c in catalogue.categories(owner)] == ["Body", "Massage"]


def test_a_category_gets_its_calendar_colour(
    catalogue: CatalogueService, owner: SignedIn, shop: SeededShop, database: UnitOfWork
) -> None:
    (massage,) = catalogue.categories(owner)
    assert massage.color == ""
    assert massage.shown_color == CATEGORY_PALETTE[massage.id % len(CATEGORY_PALETTE)]
    catalogue.set_category_color(massage.id, " #8ECAE6 ", owner)
    (massage,) = catalogue.categories(owner)
    assert (massage.color, massage.shown_color) == ("#8ecae6", "#8ecae6")
    for bad in ("red", "#12345", "#12345g", "8ecae6ff"):
        with pytest.raises(ValidationError) as refused:
            catalogue.set_category_color(massage.id, bad, owner)
        assert refused.value.field == "category_color"
    assert catalogue.categories(owner)[0].color == "#8ecae6"  # nothing half-saved
    catalogue.set_category_color(massage.id, "", owner)  # back to the palette's
    assert catalogue.categories(owner)[0].color == ""
    with database.read() as s:
        entries = list(
            s.execute(
                select(AuditEntry.action, AuditEntry.detail)
                .where(AuditEntry.action == "category.recoloured")
                .order_by(AuditEntry.id)
            ).tuples()
        )
    assert entries == [("category.recoloured", "#8ecae6"), ("category.recoloured", "")]
    desk = SignedIn(staff_id=shop.receptionist_id, name="Rita", role=Role.RECEPTIONIST)
    with pytest.raises(NotPermitted):
        catalogue.set_category_color(massage.id, "#000000", desk)


def test_a_receptionist_may_not_change_the_menu(
    catalogue: CatalogueService, shop: SeededShop, database: UnitOfWork
) -> None:
    desk = SignedIn(staff_id=shop.receptionist_id, name="Rita", role=Role.RECEPTIONIST)
    with pytest.raises(NotPermitted):
        catalogue.save_service(_draft(), desk)


def test_room_kinds_come_from_rooms_and_services(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    with database.write() as s:
        s.add(Room(name="Sauna", kind="sauna", capacity=6))
    catalogue.save_service(_draft(room_kind="couples", capacity_used=2), owner)
    assert catalogue.room_kinds(owner) == ("couples", "sauna")


def test_a_service_taking_more_places_than_its_rooms_hold_is_refused(
    catalogue: CatalogueService, owner: SignedIn, database: UnitOfWork
) -> None:
    with database.write() as s:
        s.add(Room(name="Couples Suite", kind="Couples", capacity=2))
    with pytest.raises(FormErrors) as refused:
        catalogue.save_service(_draft(room_kind="couples", capacity_used=3), owner)
    assert set(refused.value.errors) == {"capacity_used"}
    catalogue.save_service(_draft(room_kind="couples", capacity_used=2), owner)
    # A kind no room has yet is accepted: the rooms may be set up later.
    catalogue.save_service(_draft(name="Sauna", room_kind="sauna", capacity_used=6), owner)


def test_a_tax_rate_changed_today_applies_to_todays_checkout_while_the_booked_price_stays(
    catalogue: CatalogueService,
    owner: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    clock: FixedClock,
) -> None:
    deep = catalogue.find_service("Massage", "Deep Tissue Massage")
    assert deep is not None
    draft = replace(catalogue.service(owner, deep).draft(), price_minor=9000, tax_rate_bp=500)
    catalogue.save_service(draft, owner, deep)  # from today
    desk = SignedIn(staff_id=shop.receptionist_id, name="Rita", role=Role.RECEPTIONIST)
    CheckoutService(database, clock).complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    with database.read() as s:
        price, rate = s.execute(select(SaleLine.unit_price_minor, SaleLine.tax_rate_bp)).one()
    assert (price, rate) == (8500, 500)  # booked at £85; the tax in force on the day of sale
