"""Selling products at checkout, driven through the window: typed and Enter, scanned, quantity
changed, a line taken off, paid; a walk-in's product sale; the gate naming a product."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Product, ProductTag, SafetyOverride, Sale, StockMovement
from frontdesk.devices.scanner import FakeScanner
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.checkout.area import CheckoutArea
from frontdesk.ui.main_window import MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop

pytestmark = pytest.mark.gui

OIL_BARCODE = "5012345678900"
CREAM_BARCODE = "5098765432109"


def _product(
    database: UnitOfWork, name: str, price: int, stock: int, sku: str, barcode: str
) -> int:
    with database.write() as s:
        product = Product(
            sku=sku,
            name=name,
            barcode=barcode,
            price_minor=price,
            tax_rate_bp=2000,
            stock=stock,
            active=True,
            low_stock_level=0,
        )
        s.add(product)
        s.flush()
        return product.id


@pytest.fixture
def products(database: UnitOfWork, shop: SeededShop) -> tuple[int, int]:
    oil = _product(database, "Argan Oil", 2400, 5, "OIL-1", OIL_BARCODE)
    cream = _product(database, "Hand Cream", 850, 3, "CRM-1", CREAM_BARCODE)
    return oil, cream


def _stock(database: UnitOfWork, product_id: int) -> int:
    with database.read() as s:
        return int(s.scalar(select(Product.stock).where(Product.id == product_id)) or 0)


def _matches(checkout: CheckoutArea) -> list[str]:
    listed = checkout.products.matches
    return [listed.item(row).text() for row in range(listed.count())]


def _spin(checkout: CheckoutArea, row: int) -> QSpinBox:
    spin = checkout.products.table.cellWidget(row, 1)
    assert isinstance(spin, QSpinBox)
    return spin


def _names(checkout: CheckoutArea) -> list[str]:
    table = checkout.products.table
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def _focus(qtbot: QtBot, window: MainWindow, key: str) -> None:
    qtbot.keyClick(window.checkout, getattr(Qt.Key, f"Key_{key}"))
    search = window.checkout.products.search
    qtbot.waitUntil(search.hasFocus)


def test_products_typed_scanned_and_changed_then_paid_in_cash(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], object],
    shop: SeededShop,
    database: UnitOfWork,
    products: tuple[int, int],
) -> None:
    oil, cream = products
    scanner = FakeScanner()
    window = make_window(make_services(scanner=scanner), sign_in(shop.receptionist_id))
    window.start_checkout(shop.morning_appt_id)
    checkout = window.checkout
    assert checkout.products_box.isVisible()
    assert "Total £85.00" in checkout.total_label.text()

    _focus(qtbot, window, "F7")  # Add product
    qtbot.keyClicks(checkout.products.search, "argan")
    assert _matches(checkout) == ["Argan Oil · £24.00 · 5 in stock"]
    qtbot.keyClick(checkout.products.search, Qt.Key.Key_Return)
    assert _names(checkout) == ["Argan Oil"]
    assert checkout.products.search.text() == ""
    assert "Total £109.00" in checkout.total_label.text()

    scanner.scan(CREAM_BARCODE)  # the search has the focus: the scan adds the cream
    assert _names(checkout) == ["Argan Oil", "Hand Cream"]
    assert "Total £117.50" in checkout.total_label.text()
    scanner.scan(OIL_BARCODE)  # again: one more on its line
    assert _spin(checkout, 0).value() == 2
    assert checkout.products.table.item(0, 3).text() == "£48.00"
    assert "Total £141.50" in checkout.total_label.text()

    _spin(checkout, 0).setValue(3)
    assert "Total £165.50" in checkout.total_label.text()
    checkout.products.table.setFocus()
    checkout.products.table.selectRow(1)
    qtbot.keyClick(checkout.products.table, Qt.Key.Key_Delete)
    assert _names(checkout) == ["Argan Oil"]
    assert "Total £157.00" in checkout.total_label.text()

    checkout.cash_radio.click()
    qtbot.keyClicks(checkout.received_edit, "160")
    assert checkout.change_label.text() == "£3.00"
    qtbot.keyClick(checkout.received_edit, Qt.Key.Key_F9)
    assert "Sale R-000001 complete: £157.00." in checkout.result_label.text()
    assert (_stock(database, oil), _stock(database, cream)) == (2, 3)
    with database.read() as s:
        assert list(s.scalars(select(StockMovement.change))) == [-3]
    assert not checkout.products_box.isVisible()  # the next sale starts empty


def test_too_few_on_the_shelf_is_said_at_the_line_and_nothing_is_sold(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], object],
    shop: SeededShop,
    database: UnitOfWork,
    products: tuple[int, int],
) -> None:
    _oil, cream = products
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.start_checkout(shop.morning_appt_id)
    checkout = window.checkout
    _focus(qtbot, window, "F7")
    qtbot.keyClicks(checkout.products.search, "CRM-1")  # by SKU
    qtbot.keyClick(checkout.products.search, Qt.Key.Key_Return)
    _spin(checkout, 0).setValue(4)
    assert checkout.products.problems.text() == "Only 3 of Hand Cream on hand."
    checkout.complete_sale()
    assert "Only 3 of Hand Cream on hand." in checkout.error_label.text()
    assert _stock(database, cream) == 3
    with database.read() as s:
        assert s.scalars(select(Sale.id)).first() is None
    _spin(checkout, 0).setValue(3)
    assert checkout.products.problems.isHidden()
    checkout.complete_sale()
    assert _stock(database, cream) == 0


def test_a_walk_in_buys_a_product_without_an_appointment(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], object],
    shop: SeededShop,
    database: UnitOfWork,
    products: tuple[int, int],
) -> None:
    oil, _cream = products
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.show_area(2)
    checkout = window.checkout
    assert "Sell products (F8)" in checkout.sell_products_button.text()
    checkout.waiting.setFocus()
    _focus(qtbot, window, "F8")  # Sell products
    assert checkout.client_label.text() == "Sell products"
    assert not checkout.complete_button.isEnabled()
    assert "No products yet" in checkout.lines_label.text()
    qtbot.keyClicks(checkout.products.search, "oil")
    qtbot.keyClick(checkout.products.search, Qt.Key.Key_Return)
    assert "Total £24.00" in checkout.total_label.text()
    assert checkout.complete_button.isEnabled()
    qtbot.keyClick(checkout.products.search, Qt.Key.Key_F9)  # card, exact
    assert "Sale R-000001 complete: £24.00." in checkout.result_label.text()
    assert _stock(database, oil) == 4
    with database.read() as s:
        sale = s.scalars(select(Sale)).one()
        assert sale.customer_id is None
    assert checkout.waiting.count() == 2  # the appointments still wait


def test_the_gate_names_the_product_and_the_reason_is_kept_with_the_sale(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], object],
    shop: SeededShop,
    database: UnitOfWork,
    products: tuple[int, int],
) -> None:
    oil, _cream = products
    with database.write() as s:
        s.add(ProductTag(product_id=oil, kind="ingredient", tag="nut oil"))
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.show_area(2)
    checkout = window.checkout
    checkout.start_walk_in()
    picker = checkout.walk_in_client.picker
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, "Anna")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert checkout.walk_in_client.customer_id() == shop.anna_id
    checkout.focus_product_search()
    qtbot.keyClicks(checkout.products.search, "argan")
    qtbot.keyClick(checkout.products.search, Qt.Key.Key_Return)
    assert checkout.client_label.text() == "Sell products to Anna Smith"
    assert checkout.safety_box.isVisible()
    assert "Argan Oil is tagged “nut oil”" in checkout.safety_label.text()
    checkout.complete_sale()
    assert "give a reason" in checkout.error_label.text()
    assert _stock(database, oil) == 5
    checkout.safety_reason_edit.setText("A gift for her sister")
    checkout.complete_sale()
    assert "complete" in checkout.result_label.text()
    with database.read() as s:
        override = s.scalars(select(SafetyOverride)).one()
        sale = s.scalars(select(Sale)).one()
        assert (override.sale_id, override.appointment_id, override.reason) == (
            sale.id,
            None,
            "A gift for her sister",
        )
        assert sale.customer_id == shop.anna_id


def test_a_missing_health_key_shows_an_amber_notice_and_the_sale_goes_on(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], object],
    shop: SeededShop,
    database: UnitOfWork,
    clock: FixedClock,
    products: tuple[int, int],
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    checkout = window.checkout
    checkout._checkout = CheckoutService(database, clock, vault=HealthVault(None))  # no key
    window.start_checkout(shop.morning_appt_id)  # Anna has an allergy on file
    assert checkout.unchecked_label.isVisible()
    assert checkout.unchecked_label.text() == (
        "Allergies could not be checked: the health data key is missing on this computer "
        "(Back office, Health data key)."
    )
    assert checkout.complete_button.isEnabled()
    window.start_checkout(shop.afternoon_appt_id)  # nothing on file
    assert not checkout.unchecked_label.isVisible()


def test_tab_goes_from_the_products_to_the_payment(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], object],
    shop: SeededShop,
    products: tuple[int, int],
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.start_checkout(shop.morning_appt_id)
    checkout = window.checkout
    _focus(qtbot, window, "F7")
    qtbot.keyClicks(checkout.products.search, "oil")
    qtbot.keyClick(checkout.products.search, Qt.Key.Key_Return)
    seen = []
    for _ in range(4):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        seen.append(window.focusWidget().objectName() or type(window.focusWidget()).__name__)
    assert seen == ["productLines", "removeProductLine", "QRadioButton", "completeSale"], seen
    table = checkout.products.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Plus)
    qtbot.keyClick(table, Qt.Key.Key_Plus)
    qtbot.keyClick(table, Qt.Key.Key_Minus)
    assert _spin(checkout, 0).value() == 2
    assert "Total £133.00" in checkout.total_label.text()
