"""The whole path with real widgets: sign in -> today's calendar -> client card -> checkout ->
receipt bytes on a TCP printer -> end-of-day PDF read back as text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import Payment, Sale
from frontdesk.devices.scanner import FakeScanner
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.signin.dialog import SignInDialog
from tests.fakes import fake_network_printer, free_port
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import PIN, SeededShop


def test_sign_in_dialog(qtbot: QtBot, make_services: MakeServices, shop: SeededShop) -> None:
    dialog = SignInDialog(make_services().auth, "Willow Test Spa")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_staff(shop.receptionist_id)
    qtbot.keyClicks(dialog.pin_edit, "12")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "A PIN is 4 to 8 digits."
    assert dialog.signed_in is None
    qtbot.keyClicks(dialog.pin_edit, "9999")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert "Wrong PIN. Tries left before the account locks: 4" in dialog.error_label.text()
    assert dialog.pin_edit.text() == ""
    qtbot.keyClicks(dialog.pin_edit, "abc" + PIN)  # letters are refused by the field
    assert dialog.pin_edit.text() == PIN
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    assert dialog.signed_in is not None
    assert dialog.signed_in.name == "Rita Reception"
    assert dialog.result() == SignInDialog.DialogCode.Accepted


def test_whole_path(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    opened_pdfs: list[Path],
) -> None:
    scanner = FakeScanner()
    with fake_network_printer() as printer:
        services = make_services(printer_port=printer.port, scanner=scanner)
        window = make_window(services, sign_in(shop.receptionist_id))

        # Calendar: today's appointments, one column per therapist.
        calendar = window.calendar
        assert "2 appointments" in calendar.title.text()
        assert calendar.grid.column_count() == 2
        headers = [calendar.grid.header_text(c) for c in range(2)]
        assert headers == ["Tom Therapist\n09:00–18:00", "Uma Therapist\nOff"]
        assert calendar.grid.shaded(0)[0] == (8 * 60, 9 * 60, "off")  # before Tom's hours
        assert calendar.select_appointment(shop.morning_appt_id)
        selected = calendar.grid.selected_block()
        assert selected is not None
        block = selected.text()
        for expected in ("⚠", "Anna Smith", "Deep Tissue Massage"):
            assert expected in block

        # Client card from the calendar (Enter), allergies shown prominently.
        qtbot.keyClick(calendar.grid, Qt.Key.Key_Return)
        assert window.tabs.currentWidget() is window.clients
        assert window.clients.card_view.name_label.text() == "Anna Smith"
        assert "Nut oil — severe" in window.clients.card_view.allergy_label.text()

        # Check out: cash, £100 received, £15 change.
        window.show_area(0)
        qtbot.mouseClick(calendar.checkout_button, Qt.MouseButton.LeftButton)
        checkout = window.checkout
        assert window.tabs.currentWidget() is checkout
        assert "£85.00" in checkout.total_label.text()
        checkout.cash_radio.click()
        qtbot.keyClicks(checkout.received_edit, "100")
        assert checkout.change_label.text() == "£15.00"
        qtbot.keyClick(checkout, Qt.Key.Key_F9)
        assert "Sale R-000001 complete: £85.00. Change due: £15.00." in (
            checkout.result_label.text()
        )

        # Cash sale: the drawer kick goes on its own at once (the receipt, heard on the bus,
        # may go first); the receipt never carries one.
        jobs = printer.wait_for_jobs(2)
        kick = b"\x1bp\x0022"
        assert kick in jobs
        [receipt] = [job for job in jobs if job != kick]
        assert checkout.drawer_label.text() == "Drawer opened."
        assert receipt.startswith(b"\x1b@")
        for text in (
            b"Willow Test Spa",
            b"R-000001",
            b"Deep Tissue Massage",
            b"Anna Smith",
            b"Change",
        ):
            assert text in receipt
        assert b"\x1bp" not in receipt
        assert "Printer ready" in window.printer_status.label.text()
        assert checkout.result_label.text().endswith("Receipt printed.")

        # The paid appointment left the waiting list; the calendar shows it paid.
        waiting = [checkout.waiting.item(i).text() for i in range(checkout.waiting.count())]
        assert len(waiting) == 1
        assert "王芳" in waiting[0]
        # The hidden calendar heard the sale on the bus and reads the day again when shown.
        assert calendar.follow.stale
        window.show_area(0)
        assert calendar.select_appointment(shop.morning_appt_id)
        selected = calendar.grid.selected_block()
        assert selected is not None
        assert "Paid" in selected.text()
        assert not calendar.checkout_button.isEnabled()

        # A scanned loyalty card opens its client at once; a bad scan changes nothing.
        window.show_area(0)
        scanner.scan("FD-0000002")
        assert window.clients.card_view.name_label.text() == "Борис Иванов"
        scanner.scan("FD-4040404")
        assert "No client has loyalty card FD-4040404" in window.clients.notice.text()
        assert window.clients.card_view.name_label.text() == "Борис Иванов"

    with database.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 1
        assert s.scalar(select(Payment.tendered_minor)) == 10000

    # The owner's end-of-day PDF carries the day's takings.
    owner_window = make_window(make_services(), sign_in(shop.owner_id))
    owner_window.show_area(3)
    assert owner_window.tabs.currentWidget() is owner_window.reports
    qtbot.mouseClick(owner_window.reports.create_button, Qt.MouseButton.LeftButton)
    assert len(opened_pdfs) == 1
    text = "\n".join(page.extract_text() for page in PdfReader(opened_pdfs[0]).pages)
    for expected in (
        "End of day",
        "Willow Test Spa",
        "Tom Therapist",
        "Cash",
        "£85.00",
        "R-000001",
        "Anna Smith",
    ):
        assert expected in text


def test_offline_printer_keeps_the_sale_and_the_receipt(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    port = free_port()
    window = make_window(make_services(printer_port=port), sign_in(shop.receptionist_id))
    window.start_checkout(shop.afternoon_appt_id)
    qtbot.keyClick(window.checkout, Qt.Key.Key_F9)  # card, exact amount
    banner = window.checkout.result_label.text()
    assert "R-000001" in banner
    assert banner.endswith("Receipt waiting: Printer offline.")
    why = window.checkout.result_label.toolTip()  # the printer's own words, for whoever helps
    assert why.startswith("Printer at 127.0.0.1")
    assert "connection refused" in why
    assert "sent" not in banner
    status = window.printer_status
    assert "Printer offline · 1 waiting" in status.label.text()
    assert status.retry_button.isVisible()
    assert status.retry_button.text() == "Retry printing"
    with database.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 1

    with fake_network_printer(port) as printer:
        qtbot.mouseClick(status.retry_button, Qt.MouseButton.LeftButton)
        (receipt,) = printer.wait_for_jobs(1)
    assert b"R-000001" in receipt
    assert b"\x1bp" not in receipt  # card sale: the drawer stays shut
    assert "Printer ready" in status.label.text()
    assert "waiting" not in status.label.text()
    assert status.retry_button.text() == "Check printer"
    assert window.checkout.result_label.text().endswith("Receipt printed.")


def test_roles_hide_what_they_may_not_do(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    therapist = make_window(make_services(), sign_in(shop.therapist_id))
    assert not therapist.tabs.isTabEnabled(2)  # checkout
    assert not therapist.tabs.isTabEnabled(3)  # money reports
    assert not therapist.calendar.checkout_button.isVisible()
    assert not therapist.clients.new_button.isEnabled()
    desk = make_window(make_services(), sign_in(shop.receptionist_id))
    assert desk.tabs.isTabEnabled(2)
    assert not desk.tabs.isTabEnabled(3)


def test_cash_form_rejects_bad_amounts(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.start_checkout(shop.morning_appt_id)
    checkout = window.checkout
    checkout.cash_radio.click()
    for bad, message in (("abc", "is not an amount"), ("50", "less than the amount due")):
        checkout.received_edit.clear()
        qtbot.keyClicks(checkout.received_edit, bad)
        qtbot.mouseClick(checkout.complete_button, Qt.MouseButton.LeftButton)
        assert message in checkout.error_label.text()
    with database.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 0
