"""The back office's Staff page, driven through the window as an owner or manager would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from frontdesk.domain.roles import Role
from frontdesk.services.auth import SignedIn
from frontdesk.services.staff_admin import StaffDraft
from frontdesk.ui.backoffice.staff_page import StaffPage
from frontdesk.ui.backoffice.staff_pin import PinDialog
from frontdesk.ui.main_window import MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop

SignIn = Callable[[int], SignedIn]


def _staff_page(window: MainWindow) -> StaffPage:
    window.tabs.setCurrentIndex(4)
    page = window.back_office.show_section("staff")
    assert isinstance(page, StaffPage)
    return page


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def _column_header(window: MainWindow, name: str) -> str:
    window.tabs.setCurrentIndex(0)
    grid = window.calendar.grid
    for column in range(grid.column_count()):
        header = grid.header_text(column)
        if header.startswith(name):
            return header
    raise AssertionError(f"no column for {name}")


def test_a_new_therapist_with_hours_shows_in_the_calendar(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    page = _staff_page(window)
    assert "Tom Therapist" in page.visible_titles()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.editing
    assert page.name_edit.hasFocus()
    _type(qtbot, page.name_edit, "Nina Novak")
    _type(qtbot, page.week.hours_edits[0], "09:00-13:00, 14:00-18:30")  # today is a Monday
    _type(qtbot, page.week.break_edits[0], "11:00-11:15")
    page.checklist.all_box.click()
    page.commissions.item(0, 1).setText("12.5")
    with qtbot.waitSignal(page.saved) as saved:
        qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    nina = saved.args[0]
    record = services.staff_admin.get(nina, window.user)
    assert record.draft.hours == ((0, 540, 780), (0, 840, 1110))
    assert record.draft.breaks == ((0, 660, 675),)
    assert record.draft.commissions == ((1, 1250),)
    assert len(record.draft.qualified_service_ids) == 2
    assert "Nina Novak" in page.visible_titles()
    assert page.pin_state.text().startswith("No PIN yet")
    assert page.pin_button.isEnabled()
    assert page.absences.add_button.isEnabled()
    header = _column_header(window, "Nina Novak")
    assert "09:00–13:00, 14:00–18:30" in header
    grid = window.calendar.grid
    column = next(c for c in range(grid.column_count()) if grid.header_text(c) == header)
    breaks = [(a, b) for a, b, kind in grid.shaded(column) if kind == "break"]
    assert breaks == [(11 * 60, 11 * 60 + 15)]  # one quarter hour at 11:00
    assert nina not in {c.id for c in services.auth.staff_for_sign_in()}


def test_bad_input_is_shown_beside_each_field_and_nothing_is_saved(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    page = _staff_page(window)
    before = len(services.staff_admin.list(window.user))
    page.new_record()
    _type(qtbot, page.week.hours_edits[1], "09:00-14:00, 13:00-18:00")
    _type(qtbot, page.week.break_edits[2], "12:00-13:00")
    _type(qtbot, page.week.hours_edits[3], "nine to five")
    page.commissions.item(0, 1).setText("150")
    page.save()
    assert page.fields.shown_errors()["name"] == "Enter the person's name."
    assert "100 %" in page.fields.shown_errors()["commissions"]
    week = page.week.shown_errors()
    assert week == {
        1: "Two working spans on this day overlap.",
        2: "A break needs working hours on its day.",
        3: "Write times as 09:00-13:00, 14:00-18:00.",
    }
    # Only what the form can read is checked there; the rest by the service, also beside it.
    page.commissions.item(0, 1).setText("")
    _type(qtbot, page.week.hours_edits[3], "")
    _type(qtbot, page.name_edit, "N" * 90)
    page.save()
    errors = page.fields.shown_errors()
    assert "at most 80 characters" in errors["name"]
    week = page.week.shown_errors()
    assert week[1] == "Two working spans on this day overlap."
    assert week[2] == "A break needs working hours on its day."
    assert len(services.staff_admin.list(window.user)) == before


def test_pin_is_typed_twice_in_a_small_dialog(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    nina = services.staff_admin.save(StaffDraft("Nina Novak"), owner)
    window = make_window(services, owner)
    page = _staff_page(window)
    page.select(nina)
    assert page.pin_button.isEnabled()
    page.name_edit.setFocus()
    qtbot.keyClick(page.name_edit, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(PinDialog)
    assert isinstance(dialog, PinDialog)
    assert dialog.isVisible()
    _type(qtbot, dialog.pin_edit, "12")
    _type(qtbot, dialog.again_edit, "12")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.fields.shown_errors() == {"pin": "A PIN is 4 to 8 digits."}
    _type(qtbot, dialog.pin_edit, "2468")
    _type(qtbot, dialog.again_edit, "2469")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.fields.shown_errors() == {"pin_again": "The two PINs are not the same."}
    _type(qtbot, dialog.again_edit, "2468")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Return)
    assert services.auth.sign_in(nina, "2468").name == "Nina Novak"
    qtbot.waitUntil(lambda: page.pin_state.text() == "A PIN is set.")


def test_an_absence_makes_the_calendar_column_off(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    assert "09:00" in _column_header(window, "Tom Therapist")
    page = _staff_page(window)
    page.select(shop.therapist_id)
    absences = page.absences
    assert absences.add_button.isEnabled()
    assert absences.first_edit.date().toString("yyyy-MM-dd") == "2026-11-23"  # the shop's today
    absences.kind_box.setCurrentIndex(absences.kind_box.findData("sick"))
    _type(qtbot, absences.note_edit, "flu")
    qtbot.keyClick(absences.note_edit, Qt.Key.Key_Return)
    assert absences.table.rowCount() == 1
    assert absences.table.item(0, 2).text() == "Sick"
    assert _column_header(window, "Tom Therapist").endswith("Off")
    page = _staff_page(window)
    absences.table.selectRow(0)
    absences.remove_button.click()
    assert absences.table.rowCount() == 0
    assert "09:00" in _column_header(window, "Tom Therapist")


def test_archiving_a_therapist_with_appointments_ahead_lists_them(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    page = _staff_page(window)
    page.select(shop.therapist2_id)
    page.archive_button.click()
    banner = page.future_list.text()
    assert page.future_list.isVisible()
    assert "Uma Therapist still has appointments ahead" in banner
    assert "14:00" in banner
    assert "Hot Stone Facial" in banner
    assert "芳" in banner
    assert page.archive_button.text() == "Archive"
    assert "Uma Therapist" in page.visible_titles()


def test_a_manager_sees_an_owner_but_cannot_change_them(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    mia = services.staff_admin.save(StaffDraft("Mia Manager", Role.MANAGER), owner)
    services.staff_admin.set_pin(mia, "7777", "7777", owner)
    window = make_window(services, services.auth.sign_in(mia, "7777"))
    page = _staff_page(window)
    page.select(shop.owner_id)
    assert page.name_edit.text() == "Olivia Owner"
    assert not page.save_button.isEnabled()
    assert not page.archive_button.isEnabled()
    assert not page.pin_button.isEnabled()
    page.new_record()
    roles = [page.role_box.itemData(i) for i in range(page.role_box.count())]
    assert "owner" not in roles
    page.select(shop.therapist_id)
    assert page.save_button.isEnabled()
    assert page.pin_button.isEnabled()
