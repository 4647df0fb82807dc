"""The window tells the truth about the printer, the receipt and the drawer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from db.models import PrintJob
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from tests.fakes import fake_network_printer, free_port
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def test_status_bar_starts_unchecked_and_says_paper_out_with_the_receipt_waiting(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    with fake_network_printer() as printer:
        printer.set_condition("paper_out")
        window = make_window(
            make_services(printer_port=printer.port), sign_in(shop.receptionist_id)
        )
        status = window.printer_status
        assert status.label.text() == "● Printer: not checked yet"

        window.start_checkout(shop.afternoon_appt_id)
        qtbot.keyClick(window.checkout, Qt.Key.Key_F9)

        assert status.label.text() == "● Printer out of paper · 1 waiting"
        banner = window.checkout.result_label.text()
        assert banner.endswith("Receipt waiting: The printer is out of paper.")
        assert "sent" not in banner
        assert printer.jobs == []

        printer.set_condition("ready")
        qtbot.mouseClick(status.retry_button, Qt.MouseButton.LeftButton)
        assert len(printer.wait_for_jobs(1)) == 1
        assert status.label.text() == "● Printer ready"
        assert window.checkout.result_label.text().endswith("Receipt printed.")


def test_the_banner_of_the_last_sale_goes_when_the_next_sale_starts(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.start_checkout(shop.afternoon_appt_id)
    qtbot.keyClick(window.checkout, Qt.Key.Key_F9)
    assert window.checkout.result_label.isVisible()
    assert "No receipt printer is set up." in window.checkout.result_label.text()

    window.start_checkout(shop.morning_appt_id)

    assert not window.checkout.result_label.isVisible()
    assert window.checkout.result_label.text() == ""


def test_the_drawer_button_says_when_the_drawer_did_not_open(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    port = free_port()
    window = make_window(make_services(printer_port=port), sign_in(shop.owner_id))
    checkout = window.checkout

    qtbot.mouseClick(checkout.drawer_button, Qt.MouseButton.LeftButton)

    assert checkout.drawer_label.text() == (
        f"The drawer did not open: printer at 127.0.0.1:{port} is not answering "
        "(connection refused)."
    )
    with fake_network_printer(port) as printer:
        qtbot.mouseClick(checkout.drawer_button, Qt.MouseButton.LeftButton)
        assert printer.wait_for_jobs(1) == [b"\x1bp\x0022"]
    assert checkout.drawer_label.text() == "Drawer opened."


def test_a_receipt_cut_off_by_a_crash_is_listed_with_one_click_to_print(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with fake_network_printer() as printer:
        first = make_services(printer_port=printer.port)
        sale = first.checkout.complete_sale(
            shop.afternoon_appt_id, PaymentMethod.CARD, None, sign_in(shop.receptionist_id)
        )
        first.printer.close()  # the program is killed while sending it:
        with database.write() as s:
            s.execute(update(PrintJob).values(state="sending", attempts=1))

        window = make_window(
            make_services(printer_port=printer.port), sign_in(shop.receptionist_id)
        )
        status = window.printer_status
        status.flush()  # as at every start

        assert printer.jobs == []  # it may be on paper: not printed again on its own
        assert status.unprinted_button.isVisible()
        assert status.unprinted_button.text() == "1 unprinted"
        status.fill_unprinted_menu()
        [action] = status.unprinted_menu.actions()
        assert action.text() == (
            f"Print {sale.receipt_number} — may not have printed "
            "(the program stopped while sending it)"
        )

        action.trigger()

        [receipt] = printer.wait_for_jobs(1)
        assert sale.receipt_number.encode() in receipt
        assert not status.unprinted_button.isVisible()
        assert status.label.text() == "● Printer ready"


def test_a_second_window_on_this_computer_leaves_printing_to_the_first(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    with fake_network_printer() as printer:
        first = make_window(make_services(printer_port=printer.port), sign_in(shop.receptionist_id))
        first.printer_status.flush()  # the first FrontDesk owns the printer
        second = make_window(
            make_services(printer_port=printer.port), sign_in(shop.receptionist_id)
        )

        second.start_checkout(shop.afternoon_appt_id)
        qtbot.keyClick(second.checkout, Qt.Key.Key_F9)

        assert second.printer_status.label.text() == (
            "● Printing is done by the other FrontDesk on this computer · 1 waiting"
        )
        assert printer.jobs == []
        first.printer_status.poll_timer.setInterval(20)
        qtbot.waitUntil(lambda: len(printer.jobs) == 1)
        assert b"R-000001" in printer.jobs[0]
        assert first.printer_status.label.text() == "● Printer ready"
