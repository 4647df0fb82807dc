"""The back office's retail products, through the real widgets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from frontdesk.devices.scanner import FakeScanner
from frontdesk.domain.products import ProductDraft, StockReason
from frontdesk.services.auth import SignedIn
from frontdesk.ui.backoffice.products_page import ProductsPage
from frontdesk.ui.main_window import MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop


def _open(
    make_services: MakeServices,
    make_window: MakeWindow,
    user: SignedIn,
    scanner: FakeScanner | None = None,
) -> tuple[MainWindow, ProductsPage]:
    window = make_window(make_services(scanner=scanner), user)
    window.tabs.setCurrentWidget(window.back_office)
    page = window.back_office.show_section("products")
    assert isinstance(page, ProductsPage)
    return window, page


def _fill(page: ProductsPage, **values: str) -> None:
    for name, text in values.items():
        edit = page.fields.edits[name]
        edit.clear()
        type_text(edit, text)


def test_a_new_product_is_added_stocked_and_shown_running_low(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window, page = _open(make_services, make_window, sign_in(shop.owner_id))
    assert page.empty_label.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.name_edit.hasFocus()
    _fill(
        page,
        name="Масло лаванды 50 мл",
        sku="OIL-50",
        price="18.50",
        tax_rate="20",
        product_ingredients="lavender oil, 杏仁油",
        product_contraindications="pregnancy",
    )
    page.low_spin.setValue(3)
    assert not page.stock_box.isVisible()  # stock is changed once the product exists
    with qtbot.waitSignal(page.saved):
        qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.saved_label.isVisible()
    assert page.archive_button.isEnabled()  # the new product may be archived at once
    assert page.visible_titles() == ["Масло лаванды 50 мл"]
    row = page.rows()[0]
    assert row.flagged  # 0 on hand, running low at 3
    assert "Running low" in row.detail
    assert "£18.50" in row.detail
    [product] = window.services.products.products(window.user)
    assert product.ingredients == ("lavender oil", "杏仁油")
    assert product.contraindications == ("pregnancy",)

    # A delivery of 5: on hand 5, not low any more, a line in the history.
    box = page.stock_box
    assert box.isVisible()
    box.choose_reason(StockReason.DELIVERY)
    box.amount_spin.setValue(5)
    type_text(box.note_edit, "Order 12")
    qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert box.on_hand_label.text() == "On hand: 5"
    assert box.history.rowCount() == 1
    assert box.history.item(0, 1).text() == "+5"
    assert box.history.item(0, 3).text() == "Delivery"
    assert box.history.item(0, 4).text() == "Order 12"
    assert box.history.item(0, 5).text() == "Olivia Owner"
    assert not page.rows()[0].flagged

    # Damage of 3 leaves 2: running low again; the switch lists only such products.
    box.choose_reason(StockReason.DAMAGE)
    box.amount_spin.setValue(3)
    box.amount_spin.setFocus()
    qtbot.keyClick(box.amount_spin, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert box.on_hand_label.text() == "On hand: 2"
    assert page.rows()[0].flagged
    window.services.products.save_product(
        ProductDraft("CRM-1", "Hand cream", 900, 2000, low_stock_level=0), window.user
    )
    cream = window.services.products.find_by_sku("CRM-1")
    assert cream is not None
    window.services.products.adjust_stock(cream, 10, StockReason.DELIVERY, "", window.user)
    assert page.visible_titles() == ["Hand cream", "Масло лаванды 50 мл"]  # heard on the bus
    page.low_only_box.setChecked(True)
    assert page.visible_titles() == ["Масло лаванды 50 мл"]
    page.low_only_box.setChecked(False)
    qtbot.keyClicks(page.search_edit, "crm")  # by SKU
    assert page.visible_titles() == ["Hand cream"]
    page.search_edit.clear()
    page.select(product.id)

    # A count sets the number counted.
    box.choose_reason(StockReason.COUNT)
    assert box.amount_spin.value() == 2  # a count starts from the number on hand
    box.amount_spin.setValue(7)
    box.apply()
    assert box.on_hand_label.text() == "On hand: 7"
    assert box.history.item(0, 1).text() == "+5"
    assert box.history.item(0, 3).text() == "Count"
    window.resize(1280, 860)
    window.grab().save("/tmp/products-page.png")


def test_bad_input_is_named_beside_each_field_and_nothing_is_saved(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window, page = _open(make_services, make_window, sign_in(shop.owner_id))
    products = window.services.products
    products.save_product(ProductDraft("OIL-50", "Lavender oil", 1850, 2000, "501234"), window.user)
    page.new_record()
    _fill(page, name="", sku="oil 50", price="-3", tax_rate="120", barcode="501234")
    page.save()
    shown = page.fields.shown_errors()
    assert set(shown) == {"name", "sku", "price", "tax_rate"}
    assert "over 100" in shown["tax_rate"]
    assert page.name_edit.hasFocus()

    # Only the duplicates left: the service names the other product beside both fields.
    _fill(page, name="Oil again", sku="oil-50", price="3", tax_rate="20")
    page.save()
    shown = page.fields.shown_errors()
    assert set(shown) == {"sku", "barcode"}
    assert "Lavender oil" in shown["sku"]
    assert "Lavender oil" in shown["barcode"]
    assert [p.name for p in products.products(window.user, True)] == ["Lavender oil"]


def test_stock_cannot_go_below_zero_and_a_correction_needs_a_note(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window, page = _open(make_services, make_window, sign_in(shop.owner_id))
    pid = window.services.products.save_product(
        ProductDraft("OIL-50", "Lavender oil", 1850, 2000), window.user
    )
    page.select(pid)
    box = page.stock_box
    box.choose_reason(StockReason.DAMAGE)
    box.amount_spin.setValue(1)
    box.apply()
    assert "Only 0 on hand" in box.fields.shown_errors()["change"]
    box.choose_reason(StockReason.CORRECTION)
    box.amount_spin.setValue(-1)
    assert box.amount_spin.value() == -1  # a correction may go either way
    box.amount_spin.setValue(2)
    box.apply()
    assert set(box.fields.shown_errors()) == {"stock_note"}
    assert box.on_hand_label.text() == "On hand: 0"
    assert box.no_history.isVisible()


def test_a_scan_fills_the_focused_barcode_field_instead_of_opening_a_client(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    scanner = FakeScanner()
    window, page = _open(make_services, make_window, sign_in(shop.owner_id), scanner)
    page.new_record()
    page.barcode_edit.setFocus()
    qtbot.waitUntil(page.barcode_edit.hasFocus)
    scanner.scan("FD-0000002")  # Boris's card number, but the barcode field has the focus
    assert page.barcode_edit.text() == "FD-0000002"
    assert window.tabs.currentWidget() is window.back_office
    # An unreadable scan there only says so, in the status bar; the field keeps its code.
    scanner.fail("noise")
    assert page.barcode_edit.text() == "FD-0000002"
    assert window.tabs.currentWidget() is window.back_office
    assert "could not be read" in window.statusBar().currentMessage()
    # Elsewhere, a scan still opens the client.
    page.name_edit.setFocus()
    qtbot.waitUntil(page.name_edit.hasFocus)
    scanner.scan("FD-0000002")
    assert window.tabs.currentWidget() is window.clients
    assert window.clients.card_view.name_label.text() == "Борис Иванов"


def test_a_receptionist_sees_no_products_section(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    assert window.user.can  # receptionists have no back office at all, or no products in it
    keys = [s.key for s in window.back_office.sections] if window.back_office else []
    assert "products" not in keys


def test_searching_the_list_keeps_the_open_form_and_what_is_typed_in_it(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window, page = _open(make_services, make_window, sign_in(shop.owner_id))
    products = window.services.products
    oil = products.save_product(ProductDraft("OIL-50", "Lavender oil", 1850, 2000), window.user)
    products.save_product(ProductDraft("CRM-1", "Hand cream", 900, 2000), window.user)
    page.select(oil)
    assert page.name_edit.text() == "Lavender oil"
    _fill(page, name="Lavender oil 50 ml")
    qtbot.keyClicks(page.search_edit, "cream")  # the open product leaves the list
    assert page.visible_titles() == ["Hand cream"]
    assert page.current_id == oil
    assert page.name_edit.text() == "Lavender oil 50 ml"
    page.search_edit.clear()
    with qtbot.waitSignal(page.saved):
        page.save()
    assert products.product(oil, window.user).product.name == "Lavender oil 50 ml"


def test_a_new_product_starts_at_the_shops_default_tax_rate(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    owner = sign_in(shop.owner_id)
    services = make_services()
    draft = services.shop_setup.draft()
    services.shop_setup.save(dataclasses.replace(draft, default_tax_rate_bp=550), owner)
    _window, page = _open(make_services, make_window, owner)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.tax_edit.text() == "5.5"
