"""The guided start: the shop and its owner together or not at all, steps remembered, starter
menus applied once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Room, Service, ShopProfile, Staff
from frontdesk.bootstrap import AppServices, build_services
from frontdesk.devices.scanner import FakeScanner
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Role
from frontdesk.domain.starter_menus import ShopKind, starter_menu
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop_setup import ShopDraft
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.settings import Settings

SHOP = ShopDraft(
    name="Lotus Spa",
    currency="CNY",
    locale="zh_CN",
    timezone="Asia/Shanghai",
    address="上海市静安区南京西路1号",
    phone="021 6288 0000",
    default_tax_rate_bp=600,
)


@pytest.fixture
def services(backend_db: UnitOfWork, clock: FixedClock, tmp_path: Path) -> AppServices:
    return build_services(
        Settings(), backend_db, clock=clock, scanner=FakeScanner(), spool_dir=tmp_path / "spool"
    )


def _count(database: UnitOfWork, model: type) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_shop_and_its_owner_are_made_together(
    services: AppServices, backend_db: UnitOfWork
) -> None:
    owner = services.first_run.start_shop(SHOP, "王丽", "2468", "2468")
    assert (owner.name, owner.role) == ("王丽", Role.OWNER)
    shop = services.shop.info()
    assert (shop.name, shop.currency, shop.locale, shop.timezone) == (
        "Lotus Spa",
        "CNY",
        "zh_CN",
        "Asia/Shanghai",
    )
    assert shop.phone_region == "CN"
    assert services.auth.sign_in(owner.staff_id or 0, "2468").name == "王丽"
    assert services.first_run.steps_done() == {"shop", "owner"}
    with backend_db.read() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"staff.first_owner", "shop.setup_step"} <= actions


def test_every_bad_field_of_both_steps_is_named_and_nothing_is_saved(
    services: AppServices, backend_db: UnitOfWork
) -> None:
    bad = ShopDraft(name=" ", currency="XXQ", locale="en_GB", timezone="Mars/Olympus")
    with pytest.raises(FormErrors) as refused:
        services.first_run.start_shop(bad, "", "12", "12")
    assert set(refused.value.errors) == {"name", "currency", "timezone", "owner_name", "pin"}
    with pytest.raises(FormErrors) as refused:
        services.first_run.start_shop(bad, "Mira", "2468", "2469")
    assert set(refused.value.errors) == {"name", "currency", "timezone", "pin_again"}
    # a good owner with a bad shop: the owner is not kept either
    with pytest.raises(FormErrors) as refused:
        services.first_run.start_shop(bad, "Mira", "2468", "2468")
    assert set(refused.value.errors) == {"name", "currency", "timezone"}
    assert _count(backend_db, Staff) == 0
    assert _count(backend_db, ShopProfile) == 0
    assert services.auth.needs_first_owner()


def test_a_shop_with_staff_cannot_be_started_again(services: AppServices) -> None:
    services.first_run.start_shop(SHOP, "Mira", "2468", "2468")
    with pytest.raises(DomainError, match="already has staff"):
        services.first_run.start_shop(SHOP, "Someone Else", "1357", "1357")


def test_steps_are_remembered_once_each_by_an_owner(services: AppServices) -> None:
    owner = services.first_run.start_shop(SHOP, "Mira", "2468", "2468")
    assert services.first_run.mark_done("rooms", owner) == {"shop", "owner", "rooms"}
    assert services.first_run.mark_done("rooms", owner) == {"shop", "owner", "rooms"}
    assert services.first_run.mark_done("staff", owner) == {"shop", "owner", "staff", "rooms"}
    assert services.first_run.steps_done() == {"shop", "owner", "staff", "rooms"}
    manager = SignedIn(None, "Manager", Role.MANAGER)
    with pytest.raises(NotPermitted):
        services.first_run.mark_done("printer", manager)
    with pytest.raises(DomainError, match="No such step"):
        services.first_run.mark_done("dance", owner)


def test_a_starter_menu_is_applied_once_in_the_shops_language_and_currency(
    services: AppServices, backend_db: UnitOfWork
) -> None:
    owner = services.first_run.start_shop(SHOP, "王丽", "2468", "2468")
    menu = starter_menu(ShopKind.BATHHOUSE, "zh_CN", "CNY")
    applied = services.first_run.apply_starter_menu(ShopKind.BATHHOUSE, owner)
    assert (applied.services_added, applied.rooms_added) == (len(menu.services), len(menu.rooms))
    again = services.first_run.apply_starter_menu(ShopKind.BATHHOUSE, owner)
    assert (again.services_added, again.rooms_added) == (0, 0)
    assert (again.services_kept, again.rooms_kept) == (len(menu.services), len(menu.rooms))
    assert _count(backend_db, Service) == len(menu.services)
    assert _count(backend_db, Room) == len(menu.rooms)
    records = {r.name: r for r in services.catalogue.services(owner)}
    sauna = records["桑拿 2小时（单人）"]
    assert sauna.room_kind == "桑拿房"
    assert sauna.tax_rate_bp == 600  # the shop's default rate
    assert sauna.price_minor == 12800
    saunas = [r for r in services.rooms.rooms(owner) if r.kind == "桑拿房"]
    assert [r.capacity for r in saunas] == [6]


def test_a_receptionist_may_not_apply_a_starter_menu(services: AppServices) -> None:
    services.first_run.start_shop(SHOP, "Mira", "2468", "2468")
    with pytest.raises(NotPermitted):
        services.first_run.apply_starter_menu(
            ShopKind.MASSAGE, SignedIn(None, "Rita", Role.RECEPTIONIST)
        )
