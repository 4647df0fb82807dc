"""The first booking through the window: New appointment (Ctrl+B), refusals shown in the
dialog, the block in the calendar, checkout with F9 and the receipt on a network printer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.models import Appointment
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.booking_dialog import BookingDialog
from tests.fakes import fake_network_printer
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def _choose(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_book_then_check_out_and_print(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with fake_network_printer() as printer:
        services = make_services(printer_port=printer.port)
        window = make_window(services, sign_in(shop.receptionist_id))
        calendar = window.calendar
        assert "2 appointments" in calendar.title.text()
        assert "Ctrl+B" in calendar.book_button.toolTip()
        calendar.grid.setFocus()
        qtbot.keyClick(calendar.grid, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        dialog = calendar.booking_dialog
        assert isinstance(dialog, BookingDialog)
        qtbot.waitUntil(lambda: dialog.service_combo.count() == 2)
        qtbot.keyClicks(dialog.client_search, "+44 7700")
        qtbot.waitUntil(lambda: dialog.client_list.count() == 1)
        qtbot.keyClick(dialog.client_search, Qt.Key.Key_Return)  # takes the match, books nothing
        assert dialog.isVisible()
        _choose(dialog.service_combo, "Deep Tissue Massage")
        _choose(dialog.staff_combo, "Uma Therapist")
        dialog.time_edit.setTime(QTime(14, 0))
        assert dialog.preview.text() == "Ends at 15:00 · £85.00"

        # Uma is off on Mondays: said beside the therapist.
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        assert dialog.fields.shown_errors() == {"staff": "The therapist does not work on that day."}
        # Tom has Anna at 10:00-11:00 (+15 minutes' cleanup): the appointment is named.
        _choose(dialog.staff_combo, "Tom Therapist")
        dialog.time_edit.setTime(QTime(11, 0))
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
        shown = dialog.fields.shown_errors()
        assert list(shown) == ["starts"]
        assert "10:00-11:00 Deep Tissue Massage" in shown["starts"]
        assert dialog.isVisible()

        dialog.time_edit.setTime(QTime(14, 0))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.booked_id is not None)
        assert not dialog.isVisible()
        booked = dialog.booked_id
        assert booked is not None

        # The calendar heard the booking on the bus: the new block is there.
        qtbot.waitUntil(lambda: "3 appointments" in calendar.title.text())
        assert calendar.select_appointment(booked)
        block = calendar.grid.selected_block()
        assert block is not None
        assert "Anna Smith" in block.text()

        # Check out with F9 and print the receipt.
        qtbot.keyClick(calendar.grid, Qt.Key.Key_F9)
        checkout = window.checkout
        assert window.tabs.currentWidget() is checkout
        assert "£85.00" in checkout.total_label.text()
        qtbot.keyClick(checkout, Qt.Key.Key_F9)
        jobs = printer.wait_for_jobs(1)
        receipt = next(job for job in jobs if b"Deep Tissue Massage" in job)
        assert b"Willow Test Spa" in receipt
        assert b"Anna Smith" in receipt
        assert "Sale R-000001 complete: £85.00." in checkout.result_label.text()
    with database.read() as s:
        paid = s.get(Appointment, booked)
        assert paid is not None
        assert paid.price_minor == 8500


def test_double_click_on_an_empty_cell_prefills_therapist_and_time(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    calendar = window.calendar
    grid = calendar.grid
    point = grid.point_at(0, 15 * 60 + 35)  # inside the 15:30 quarter of Tom's column
    slot = grid.slot_at(point)
    assert slot is not None
    assert (grid.columns[slot.column].staff_id, slot.minute) == (shop.therapist_id, 15 * 60 + 30)
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    dialog = calendar.booking_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.staff_combo.count() >= 2)
    assert dialog.staff_combo.currentData() == shop.therapist_id
    assert dialog.time_edit.time() == QTime(15, 30)
    dialog.grab().save("/tmp/booking-dialog-en.png")
    dialog.reject()
    QApplication.processEvents()
