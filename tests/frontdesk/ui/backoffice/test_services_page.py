"""The back office's Services page, driven through the window as an owner would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from db.models import OpeningHours, Resource, Service, ServiceCategory, ShopProfile
from frontdesk.bootstrap import AppServices
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.backoffice.services_page import ServicesPage
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop

TODAY = date(2026, 11, 23)


def _open_page(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> tuple[ServicesPage, AppServices]:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    window.tabs.setCurrentIndex(4)
    page = window.back_office.show_section("services")
    assert isinstance(page, ServicesPage)
    return page, services


def _type(qtbot: QtBot, widget: object, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)


def _count(database: UnitOfWork) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count(Service.id))) or 0)


def test_a_new_service_is_created_through_the_form(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        s.add(Resource(name="Stone kit", kind="stones", quantity=2))
    page, services = _open_page(make_services, make_window, sign_in, shop)
    assert page.visible_titles() == ["Deep Tissue Massage", "Hot Stone Facial"]
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.editing
    assert page.name_edit.text() == ""
    page.category_combo.setFocus()
    _type(qtbot, page.category_combo.lineEdit(), "Body")
    _type(qtbot, page.name_edit, "Hot Stone Massage")
    _type(qtbot, page.duration_edit, "75")
    _type(qtbot, page.buffer_edit, "15")
    _type(qtbot, page.price_edit, "95.50")
    _type(qtbot, page.tax_edit, "20")
    _type(qtbot, page.room_kind_edit, "treatment")
    _type(qtbot, page.ingredients_edit, "Basalt, Nut Oil")
    _type(qtbot, page.contraindications_edit, "pregnancy")
    box = page.form_widget.findChild(object, "equipment_1")
    box.setChecked(True)  # type: ignore[union-attr]
    with qtbot.waitSignal(page.saved):
        qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.fields.shown_errors() == {}
    assert page.saved_label.isVisible()
    owner = sign_in(shop.owner_id)
    found = services.catalogue.find_service("Body", "Hot Stone Massage")
    assert found is not None
    record = services.catalogue.service(owner, found)
    assert (record.duration_minutes, record.buffer_minutes, record.price_minor) == (75, 15, 9550)
    assert (record.tax_rate_bp, record.room_kind) == (2000, "treatment")
    assert record.ingredients == ("basalt", "nut oil")
    assert record.contraindications == ("pregnancy",)
    assert record.equipment == ((1, 1),)
    assert "Hot Stone Massage" in page.visible_titles()
    assert "Body" in [
        page.categories_panel.list.item(i).text() for i in range(page.categories_panel.list.count())
    ]


def test_bad_input_is_named_beside_each_field_and_nothing_is_saved(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    page, _services = _open_page(make_services, make_window, sign_in, shop)
    before = _count(database)
    page.new_record()
    _type(qtbot, page.duration_edit, "abc")
    _type(qtbot, page.buffer_edit, "-5")
    _type(qtbot, page.price_edit, "-10")
    _type(qtbot, page.tax_edit, "120")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    shown = page.fields.shown_errors()
    assert shown == {
        "service_category": "Choose or name a category.",
        "name": "Enter the service's name.",
        "duration": "“abc” is not a whole number.",
        "buffer": "The buffer cannot be negative.",
        "service_price": "A price cannot be negative.",
        "service_tax_rate": "A rate cannot be over 100 %.",
    }
    assert _count(database) == before


def test_a_duplicate_and_a_too_long_service_are_refused_at_their_fields(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        s.add(OpeningHours(weekday=0, open_minute=9 * 60, close_minute=13 * 60))
    page, _services = _open_page(make_services, make_window, sign_in, shop)
    before = _count(database)
    page.new_record()
    _type(qtbot, page.category_combo.lineEdit(), "massage")
    _type(qtbot, page.name_edit, "Deep tissue massage")
    _type(qtbot, page.duration_edit, "240")
    _type(qtbot, page.buffer_edit, "15")
    _type(qtbot, page.price_edit, "10")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.fields.shown_errors()))
    shown = page.fields.shown_errors()
    assert shown["name"] == "This category already has a service called “Deep tissue massage”."
    assert shown["duration"] == (
        "With its buffer this service takes 255 minutes, longer than the shop is ever open "
        "in one go (240 minutes)."
    )
    assert _count(database) == before


def test_a_price_changed_from_tomorrow_is_shown_as_scheduled(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    page, services = _open_page(make_services, make_window, sign_in, shop)
    deep = services.catalogue.find_service("Massage", "Deep Tissue Massage")
    assert deep is not None
    page.select(deep)
    qtbot.waitUntil(lambda: page.name_edit.text() == "Deep Tissue Massage")
    assert page.price_edit.text() == "85.00"
    assert page.price_note.text() == "Today: £85.00, tax 20%."
    _type(qtbot, page.price_edit, "95")
    tomorrow = TODAY + timedelta(days=1)
    page.price_from_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    with qtbot.waitSignal(page.saved):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "From" in page.price_note.text())
    assert page.price_note.text() == "Today: £85.00, tax 20%. From 24 Nov 2026: £95.00, tax 20%."
    assert page.price_edit.text() == "85.00"
    owner = sign_in(shop.owner_id)
    assert services.catalogue.service(owner, deep).price_minor == 8500
    qtbot.mouseClick(page.cancel_scheduled_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "From" not in page.price_note.text())
    assert services.catalogue.service(owner, deep).next_price is None


def test_categories_are_added_and_moved_from_the_panel(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    page, _services = _open_page(make_services, make_window, sign_in, shop)
    panel = page.categories_panel
    _type(qtbot, panel.name_edit, "Nails")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)

    def names() -> list[str]:
        return [panel.list.item(i).text() for i in range(panel.list.count())]

    qtbot.waitUntil(lambda: names() == ["Massage", "Nails"])
    panel.list.setCurrentRow(1)
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: names() == ["Nails", "Massage"])
    assert page.category_combo.itemText(0) == "Nails"
    # A category with services cannot be archived: the panel says why.
    panel.list.setCurrentRow(1)
    qtbot.mouseClick(panel.archive_button, Qt.MouseButton.LeftButton)
    assert panel.problem.isVisible()
    assert panel.problem.text() == "Services still in this category: 2. Archive or move them first."


def test_a_new_service_starts_with_the_shops_default_tax_rate(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        s.execute(update(ShopProfile).values(default_tax_rate_bp=550))
    page, _services = _open_page(make_services, make_window, sign_in, shop)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.tax_edit.text() == "5.5"
    assert page.buffer_edit.text() == "0"
    assert page.bookable_box.isChecked()
    assert page.price_from_edit.isHidden()  # a new service has no price to change yet


def test_a_chinese_shop_types_a_service_in_chinese_with_yuan(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        s.execute(
            update(ShopProfile).values(currency="CNY", locale="zh_CN", timezone="Asia/Shanghai")
        )
    page, services = _open_page(make_services, make_window, sign_in, shop)
    page.new_record()
    page.category_combo.setFocus()
    type_text(page.category_combo.lineEdit(), "足疗")
    type_text(page.name_edit, "足底按摩")
    _type(qtbot, page.duration_edit, "60")
    _type(qtbot, page.price_edit, "198")
    type_text(page.contraindications_edit, "孕妇、 静脉曲张")
    with qtbot.waitSignal(page.saved):
        qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    found = services.catalogue.find_service("足疗", "足底按摩")
    assert found is not None
    record = services.catalogue.service(sign_in(shop.owner_id), found)
    assert (record.price_minor, record.currency) == (19800, "CNY")
    assert record.contraindications == ("孕妇", "静脉曲张")
    assert "足疗 · 60 min · ¥198.00" in [
        page.proxy.index(r, 0).data().split("\n")[1] for r in range(page.proxy.rowCount())
    ]


def test_a_category_colour_is_chosen_from_the_panel(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    page, services = _open_page(make_services, make_window, sign_in, shop)
    panel = page.categories_panel
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    panel.list.setCurrentRow(0)
    assert panel.color_button.isEnabled()
    assert "calendar" in panel.color_button.toolTip()
    panel.color_button.setFocus()
    qtbot.keyClick(panel.color_button, Qt.Key.Key_Space)  # by keyboard
    dialog = panel.color_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Colour of “Massage”"
    dialog.setCurrentColor(QColor("#2a9d8f"))
    dialog.accept()
    with database.read() as s:
        assert s.scalar(select(ServiceCategory.color)) == "#2a9d8f"
    qtbot.waitUntil(
        lambda: (
            panel.list.item(0).icon().pixmap(14, 14).toImage().pixelColor(7, 7) == QColor("#2a9d8f")
        )
    )
    day = services.calendar.day(TODAY, sign_in(shop.receptionist_id))
    assert {a.category_color for a in day.appointments} == {"#2a9d8f"}
