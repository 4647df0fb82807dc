"""Importing and exporting a price list: all or nothing, re-import updates, export round-trips."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, OpeningHours, Product, Service, StockMovement
from frontdesk.domain.price_list import PriceColumn, PriceListError
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.price_list import ImportRefused, PriceListService
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop

MENU = (
    "type,category,name,sku,barcode,price,tax,duration,buffer,stock,ingredients\n"
    "service,Massage,Swedish Massage,,,70.00,20,60,10,,\n"
    "service,Massage,Deep Tissue Massage,,,90,20,60,15,,\n"
    "service,Nails,Manicure,,,25.50,20,45,,,\n"
    'product,,Lavender Oil,OIL-50,5012345678900,18.50,20,,,12,"lavender, almond oil"\n'
)


@pytest.fixture
def owner(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.owner_id, "Olivia Owner", Role.OWNER)


@pytest.fixture
def price_list(backend_db: UnitOfWork, clock: FixedClock) -> PriceListService:
    return PriceListService(backend_db, clock, ShopService(backend_db, clock))


def _count(database: UnitOfWork, model: type) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_preview_writes_nothing_and_counts_what_would_change(
    price_list: PriceListService, owner: SignedIn, backend_db: UnitOfWork
) -> None:
    before = _count(backend_db, Service)
    preview = price_list.preview(MENU.encode(), owner)
    assert preview.errors == ()
    assert preview.encoding == "utf-8"
    assert preview.mapping[:3] == (PriceColumn.TYPE, PriceColumn.CATEGORY, PriceColumn.NAME)
    # The seeded shop already has Deep Tissue Massage in Massage: an update, not a new one.
    assert (preview.services_new, preview.services_updated) == (2, 1)
    assert (preview.products_new, preview.products_updated) == (1, 0)
    assert len(preview.sample) == 4
    assert _count(backend_db, Service) == before


def test_import_then_reimport_updates_instead_of_duplicating(
    price_list: PriceListService, owner: SignedIn, backend_db: UnitOfWork
) -> None:
    services_before = _count(backend_db, Service)
    summary = price_list.import_rows(MENU.encode(), owner)
    assert (summary.services_added, summary.services_updated) == (2, 1)
    assert (summary.products_added, summary.products_updated) == (1, 0)
    assert _count(backend_db, Service) == services_before + 2
    with backend_db.read() as s:
        oil = s.scalars(select(Product).where(Product.sku == "OIL-50")).one()
        assert (oil.price_minor, oil.stock, oil.barcode) == (1850, 12, "5012345678900")
        assert s.scalar(select(func.count()).select_from(StockMovement)) == 1
        audits = s.scalar(select(func.count()).where(AuditEntry.action == "price_list.imported"))
        assert audits == 1

    again = price_list.import_rows(MENU.replace("18.50", "19.00").encode(), owner)
    assert (again.services_added, again.services_updated, again.unchanged) == (0, 0, 3)
    assert (again.products_added, again.products_updated) == (0, 1)
    assert again.stock_counted == 0  # the same count: no movement
    assert _count(backend_db, Service) == services_before + 2
    assert _count(backend_db, Product) == 1
    with backend_db.read() as s:
        assert s.scalars(select(Product.price_minor)).one() == 1900


def test_a_row_error_saves_nothing(
    price_list: PriceListService, owner: SignedIn, backend_db: UnitOfWork
) -> None:
    bad = MENU + "service,Nails,Pedicure,,,free,20,45,,,\n"
    services_before = _count(backend_db, Service)
    preview = price_list.preview(bad.encode(), owner)
    assert [(e.line, e.column) for e in preview.errors] == [(6, "price")]
    with pytest.raises(ImportRefused) as refused:
        price_list.import_rows(bad.encode(), owner)
    assert refused.value.params["n"] == 1
    assert _count(backend_db, Service) == services_before
    assert _count(backend_db, Product) == 0


def test_a_duplicate_barcode_of_a_stored_product_is_a_row_error(
    price_list: PriceListService, owner: SignedIn, backend_db: UnitOfWork
) -> None:
    price_list.import_rows(MENU.encode(), owner)
    other = "name,sku,barcode,price\nRose Oil,OIL-70,5012345678900,20\n"
    preview = price_list.preview(other.encode(), owner)
    assert [(e.line, e.column) for e in preview.errors] == [(2, "barcode")]
    with pytest.raises(ImportRefused):
        price_list.import_rows(other.encode(), owner)
    assert _count(backend_db, Product) == 1


def test_export_imports_back_unchanged(
    price_list: PriceListService, owner: SignedIn, backend_db: UnitOfWork
) -> None:
    price_list.import_rows(MENU.encode(), owner)
    exported = price_list.export(owner)
    assert exported.startswith(b"\xef\xbb\xbf")
    assert b"Swedish Massage" in exported
    preview = price_list.preview(exported, owner)
    assert preview.errors == ()
    assert preview.services_new == preview.services_updated == 0
    assert preview.products_new == preview.products_updated == 0
    summary = price_list.import_rows(exported, owner)
    assert summary.services_added == summary.products_added == 0
    assert summary.unchanged == preview.unchanged == preview.rows
    assert price_list.export(owner) == exported


def test_files_in_gb18030_and_cp1251(
    price_list: PriceListService, owner: SignedIn, backend_db: UnitOfWork
) -> None:
    zh = "类型,类别,名称,货号,价格,时长\n服务,推拿,中式推拿,,198,60\n商品,,精油,JY-1,88,\n"
    summary = price_list.import_rows(zh.encode("gb18030"), owner)
    assert (summary.services_added, summary.products_added) == (1, 1)
    ru = "Название;Категория;Цена;Длительность\nПарение веником;Баня;2 500,00;30\n"
    preview = price_list.preview(ru.encode("cp1251"), owner)
    assert preview.encoding == "cp1251"
    price_list.import_rows(ru.encode("cp1251"), owner)
    with backend_db.read() as s:
        names = set(s.scalars(select(Service.name)))
        assert {"中式推拿", "Парение веником"} <= names
        assert (
            s.scalars(select(Service.price_minor).where(Service.name == "Парение веником")).one()
            == 250000
        )


def test_whole_file_problems(price_list: PriceListService, owner: SignedIn) -> None:
    with pytest.raises(PriceListError, match="empty"):
        price_list.preview(b"", owner)
    preview = price_list.preview(b"name,duration\nMassage,60\n", owner)
    assert [e.line for e in preview.errors] == [0]
    assert preview.errors[0].error.params["column"] == PriceColumn.PRICE


def test_only_the_catalogue_managers_import(
    price_list: PriceListService, backend_shop: SeededShop
) -> None:
    desk = SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)
    with pytest.raises(NotPermitted):
        price_list.import_rows(MENU.encode(), desk)


def test_a_refusal_by_the_catalogue_at_import_names_the_row_and_saves_nothing(
    price_list: PriceListService, owner: SignedIn, backend_db: UnitOfWork
) -> None:
    with backend_db.write() as s:
        s.add(OpeningHours(weekday=0, open_minute=9 * 60, close_minute=17 * 60))
    menu = "name,price,duration\nShort,10,60\nAll day,10,600\n"
    before = _count(backend_db, Service)
    with pytest.raises(ImportRefused) as refused:
        price_list.import_rows(menu.encode(), owner, default_category="Massage")
    [error] = refused.value.errors
    assert error.line == 3
    assert error.column in ("duration", "")
    assert _count(backend_db, Service) == before
