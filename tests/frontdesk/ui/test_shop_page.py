"""The back office's Shop page: filled and saved through the window, seen again after reopening."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from frontdesk.domain.opening import Span
from frontdesk.domain.roles import Role
from frontdesk.services.auth import SignedIn
from frontdesk.ui.backoffice.shop_page import ShopPage
from frontdesk.ui.main_window import BACK_OFFICE, MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def _open(window: MainWindow) -> ShopPage:
    window.show_area(BACK_OFFICE)
    page = window.back_office.show_section("shop")
    assert page.isVisible()
    assert isinstance(page, ShopPage)
    return page


def _type(qtbot: QtBot, widget: object, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)


def test_the_owner_fills_the_page_saves_and_sees_it_again(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    page = _open(window)
    _type(qtbot, page.name_edit, "Lotus Day Spa")
    _type(qtbot, page.tax_id_edit, "GB 123 4567 89")
    page.zone_box.setCurrentText("Europe/Dublin")  # typing pops the completer (see below)
    _type(qtbot, page.hours_edits[0], "09:00-13:00, 14:00-18:00")
    _type(qtbot, page.hours_edits[5], "10-16")
    page.hours_edits[6].clear()
    page.closed_date.setDate(QDate(2026, 12, 25))
    qtbot.keyClicks(page.closed_note, "Christmas")
    qtbot.keyClick(page.closed_note, Qt.Key.Key_Return)
    page.header_edit.setPlainText("Lotus Day Spa\nVAT GB 123 4567 89")
    _type(qtbot, page.tax_edit, "20")
    page.step_box.setCurrentIndex(page.step_box.findData("0.10"))
    page.mode_box.setCurrentIndex(page.mode_box.findData("half_even"))
    page.cash_only_box.setChecked(False)
    assert page.late_cancel_spin.value() == 24  # the default policy, shown
    page.late_cancel_spin.setFocus()
    page.late_cancel_spin.selectAll()
    qtbot.keyClicks(page.late_cancel_spin, "48")
    picture = tmp_path / "logo.png"
    Image.new("RGB", (1200, 400), (20, 120, 60)).save(picture)
    page.load_logo(picture)
    assert page.remove_logo_button.isEnabled()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert page.fields.shown_errors() == {}
    assert page.saved_label.isVisible()
    info = services.shop.info()
    assert info.name == "Lotus Day Spa"
    assert info.timezone == "Europe/Dublin"
    assert info.default_tax_rate_bp == 2000
    assert info.rounding_step_minor == 10
    assert not info.rounding_cash_only
    assert info.late_cancel_hours == 48
    assert info.hours_on(0) == (Span(0, 540, 780), Span(0, 840, 1080))
    assert info.hours_on(6) == ()
    assert info.closed_days == ((date(2026, 12, 25), "Christmas"),)
    assert info.receipt_header.splitlines() == ["Lotus Day Spa", "VAT GB 123 4567 89"]
    assert info.logo_png is not None
    assert Image.open(io.BytesIO(info.logo_png)).width <= 360
    page.grab().save(str(tmp_path / "shop-page.png"))

    window.close()
    again = _open(make_window(make_services(), sign_in(shop.owner_id)))
    assert again.name_edit.text() == "Lotus Day Spa"
    assert again.zone_box.currentText() == "Europe/Dublin"
    assert again.hours_edits[0].text() == "09:00-13:00, 14:00-18:00"
    assert again.hours_edits[5].text() == "10:00-16:00"
    assert again.closed_days() == ((date(2026, 12, 25), "Christmas"),)
    assert again.tax_edit.text() == "20"
    assert again.step_box.currentData() == "0.10"
    assert again.mode_box.currentData() == "half_even"
    assert not again.cash_only_box.isChecked()
    assert again.late_cancel_spin.value() == 48
    assert again.logo_preview.pixmap() is not None
    again.remove_closed_button.setEnabled(True)
    again.closed_list.setCurrentRow(0)
    again.remove_closed_day()
    again.remove_logo()
    again.save()
    assert services.shop.info().closed_days == ()
    assert services.shop.info().logo_png is None


def test_bad_input_is_named_beside_each_field_and_nothing_is_saved(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    services = make_services()
    before = services.shop.info()
    page = _open(make_window(services, sign_in(shop.owner_id)))
    page.name_edit.clear()
    _type(qtbot, page.hours_edits[1], "09:00-13:00, 12:00-18:00")
    _type(qtbot, page.hours_edits[2], "18-9")
    _type(qtbot, page.hours_edits[3], "morning")
    _type(qtbot, page.tax_edit, "120")
    page.zone_box.setCurrentText("Atlantis/Capital")
    page.footer_edit.setPlainText("x" * 401)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    shown = page.fields.shown_errors()
    assert set(shown) == {
        "name",
        "hours_1",
        "hours_2",
        "hours_3",
        "default_tax_rate",
        "timezone",
        "receipt_footer",
    }
    assert shown["name"] == "Enter the shop's name."
    assert shown["hours_1"] == "Two opening spans on this day overlap."
    assert shown["receipt_footer"] == "The receipt footer is at most 400 characters."
    assert page.name_edit.hasFocus()
    assert services.shop.info() == before

    not_a_picture = tmp_path / "logo.png"
    not_a_picture.write_bytes(b"hello")
    page.load_logo(not_a_picture)
    assert page.fields.shown_errors()["logo"] == "That file is not a PNG or JPEG picture."

    page.closed_date.setDate(QDate(2026, 1, 1))
    page.add_closed_day()
    page.add_closed_day()
    assert page.fields.shown_errors()["closed_days"] == "That day is already in the list."
    assert len(page.closed_days()) == 1


def test_a_manager_cannot_change_the_shop(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    owner = sign_in(shop.owner_id)
    manager = SignedIn(staff_id=owner.staff_id, name="Manager", role=Role.MANAGER)
    window = make_window(make_services(), manager)
    assert "shop" not in [section.key for section in window.back_office.sections]
    page = ShopPage(window.desk)  # were it reached some other way, it changes nothing
    qtbot.addWidget(page)
    page.show()
    assert page.read_only_label.isVisible()
    assert not page.save_button.isEnabled()
    assert not page.form_widget.isEnabled()
    assert page.name_edit.text()


def test_the_time_zone_is_found_by_typing_part_of_a_city(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    page = _open(make_window(make_services(), sign_in(shop.owner_id)))
    completer = page.zone_box.completer()
    completer.setCompletionPrefix("shang")
    matches = [
        completer.completionModel().index(row, 0).data()
        for row in range(completer.completionModel().rowCount())
    ]
    assert "Asia/Shanghai" in matches


def test_a_change_elsewhere_shows_unless_something_is_being_typed(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    page = _open(make_window(services, owner))
    other = make_services()  # more services on the same database: their change is heard
    draft = other.shop_setup.draft()
    other.shop_setup.save(dataclasses.replace(draft, name="Renamed Spa"), owner)
    qtbot.waitUntil(lambda: page.name_edit.text() == "Renamed Spa")
    assert not page.banner.isVisible()

    _type(qtbot, page.tax_id_edit, "Typed here")
    other.shop_setup.save(dataclasses.replace(draft, name="Again Renamed"), owner)
    qtbot.waitUntil(page.banner.isVisible)
    assert page.tax_id_edit.text() == "Typed here"
    assert page.name_edit.text() == "Renamed Spa"

    page.save()  # its own change is not someone else's
    assert services.shop.info().tax_id == "Typed here"
    assert page.saved_label.isVisible()
