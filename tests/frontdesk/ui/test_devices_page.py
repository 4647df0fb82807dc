"""The printer and scanner page, driven through the window: tests on real sockets and ptys,
bad input at its field, and saved settings used without a restart."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from frontdesk.services.auth import SignedIn
from frontdesk.settings import load_settings, settings_path
from frontdesk.ui.backoffice.devices_page import DevicesPage
from frontdesk.ui.main_window import BACK_OFFICE, MainWindow
from frontdesk.ui.workers import ThreadPoolExecutor
from printing.escpos_layout import render_drawer_kick
from tests.fakes import fake_network_printer
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop
from tests.serial_pty import PtyPair, needs_socat, pty_pair

__all__ = ["pty_pair"]


@pytest.fixture
def window(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> MainWindow:
    return make_window(make_services(), sign_in(shop.owner_id))


def open_page(qtbot: QtBot, window: MainWindow) -> DevicesPage:
    window.show_area(BACK_OFFICE)
    page = window.back_office.show_section("devices")
    assert isinstance(page, DevicesPage)
    # Showing the back office can leave the offscreen window inactive (window shortcuts then
    # do nothing): make it active again, as a person's click would.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return page


def choose(combo: QComboBox, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def errors(page: DevicesPage) -> dict[str, str]:
    return {**page.fields.shown_errors(), **page.scanner_fields.shown_errors()}


def set_up_network_printer(qtbot: QtBot, page: DevicesPage, port: int) -> None:
    choose(page.kind, "network")
    type_into(qtbot, page.host, "127.0.0.1")
    type_into(qtbot, page.port, str(port))


def test_only_the_chosen_connections_fields_are_shown(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window)
    assert page.kind.currentData() == "none"
    assert not page.host.isVisibleTo(page)
    assert not page.test_print_button.isEnabled()
    choose(page.kind, "serial")
    assert page.device.isVisibleTo(page)
    assert page.printer_baud.isVisibleTo(page)
    assert not page.host.isVisibleTo(page)
    choose(page.kind, "network")
    assert page.host.isVisibleTo(page)
    assert page.port.isVisibleTo(page)
    assert not page.device.isVisibleTo(page)
    assert page.test_print_button.isEnabled()


def test_the_test_print_uses_the_form_before_saving(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window)
    with fake_network_printer() as printer:
        set_up_network_printer(qtbot, page, printer.port)
        qtbot.mouseClick(page.test_print_button, Qt.MouseButton.LeftButton)
        (job,) = printer.wait_for_jobs(1)
    assert b"Printer test" in job
    assert b"Willow Test Spa" in job
    assert b"The printer works." in job
    assert page.printer_result.text() == (
        "The printer took the test page. Is it on paper and readable?"
    )
    assert not settings_path().exists()


def test_the_drawer_test_sends_only_the_kick(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window)
    with fake_network_printer() as printer:
        set_up_network_printer(qtbot, page, printer.port)
        qtbot.keyClick(page, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: bool(printer.jobs))  # a button's shortcut clicks it shortly after
        assert printer.wait_for_jobs(1) == [render_drawer_kick()]
    assert page.printer_result.text() == "The drawer kick was sent. Did the drawer open?"


def test_a_printer_that_does_not_answer_is_said_plainly(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window)
    with fake_network_printer() as printer:
        port = printer.port
    set_up_network_printer(qtbot, page, port)  # nothing listens there any more
    qtbot.mouseClick(page.test_print_button, Qt.MouseButton.LeftButton)
    assert page.printer_result.text().startswith("The printer could not be reached (")


def test_bad_input_is_shown_at_each_field_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_page(qtbot, window)
    choose(page.kind, "network")
    type_into(qtbot, page.port, "70000")
    page.profile.setEditText("No Such Printer")
    page.scanner_baud.setEditText("fast")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    shown = errors(page)
    assert shown == {
        "printer_host": "Enter the printer's network name or IP address.",
        "printer_port": "The TCP port must be a whole number from 1 to 65535.",
        "printer_profile": "Choose a printer model from the list.",
        "scanner_baudrate": "The scanner's baud rate must be a whole number from 50 to 4000000.",
    }
    assert page.host.hasFocus()  # the first bad field
    assert not settings_path().exists()
    qtbot.mouseClick(page.test_print_button, Qt.MouseButton.LeftButton)
    assert "printer_port" in errors(page)


def test_saved_settings_are_used_at_once_the_next_receipt_prints_on_the_new_printer(
    qtbot: QtBot, window: MainWindow, shop: SeededShop
) -> None:
    assert window.printer_status.label.text() == "Printer: not set up"
    assert not window.reprint_action.isEnabled()
    page = open_page(qtbot, window)
    with fake_network_printer() as printer:
        set_up_network_printer(qtbot, page, printer.port)
        choose(page.paper, 58)
        with qtbot.waitSignal(page.saved):
            qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        assert page.saved_label.text() == "Saved. The new settings are in use now."
        saved = load_settings(settings_path(), {})
        assert saved.printer_kind == "network"
        assert saved.printer_port == printer.port
        assert saved.printer_columns == 32
        qtbot.waitUntil(lambda: window.printer_status.label.text() == "● Printer ready")
        assert window.reprint_action.isEnabled()

        window.start_checkout(shop.afternoon_appt_id)
        qtbot.keyClick(window.checkout, Qt.Key.Key_F9)
        (receipt,) = printer.wait_for_jobs(1)
    assert b"Willow Test Spa" in receipt
    assert window.checkout.result_label.text().endswith("Receipt printed.")


def test_a_new_scanner_port_is_opened_at_once_and_the_status_bar_follows(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_page(qtbot, window)
    page.scanner_port.setEditText("loop://")
    with qtbot.waitSignal(page.saved):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    status = window.scanner_status
    qtbot.waitUntil(lambda: status.text() == "Scanner: connected")
    assert "Serial scanner on loop://" in status.toolTip()
    assert load_settings(settings_path(), {}).scanner_port == "loop://"
    window.services.scanner.stop()


def test_an_environment_override_is_named_beside_its_field(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FRONTDESK_SCANNER_BAUDRATE", "19200")
    page = open_page(qtbot, make_window(make_services(), sign_in(shop.owner_id)))
    note = page.findChild(QLabel, "scanner_baudrate_override")
    assert note is not None
    assert note.isVisibleTo(page)
    assert note.text() == (
        "The environment variable FRONTDESK_SCANNER_BAUDRATE overrides this: 9600 is in use. "
        "Saving still writes the file."
    )
    assert not page.notes["scanner_port"].isVisibleTo(page)


@contextmanager
def scanning(pair: PtyPair, data: bytes) -> Iterator[None]:
    """A scanner that sends `data` again and again (the test opens the port when it will)."""
    stop = threading.Event()

    def keep_sending() -> None:
        while not stop.is_set():
            pair.send(data)
            stop.wait(0.2)

    sender = threading.Thread(target=keep_sending)
    sender.start()
    try:
        yield
    finally:
        stop.set()
        sender.join()


@needs_socat
def test_the_scan_test_shows_the_code_read_from_the_forms_port(
    qtbot: QtBot, window: MainWindow, pty_pair: PtyPair
) -> None:
    page = open_page(qtbot, window)
    page.scan_executor = ThreadPoolExecutor(page)
    page.scanner_port.setEditText(str(pty_pair.b))
    with (
        scanning(pty_pair, b"4006381333931\r\n"),
        qtbot.waitSignal(page.test_ended, timeout=10_000),
    ):
        qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
        assert page.scan_result.text() == "Scan a code now… 15 s left"
        assert page.cancel_button.isVisible()
        assert not page.save_button.isEnabled()
    assert page.scan_result.text() == "The scanner works. It read: 4006381333931"
    assert not page.cancel_button.isVisible()
    assert page.save_button.isEnabled()


@needs_socat
def test_the_scan_test_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, pty_pair: PtyPair
) -> None:
    page = open_page(qtbot, window)
    page.scan_executor = ThreadPoolExecutor(page)
    page.scanner_port.setEditText(str(pty_pair.b))
    qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.test_ended, timeout=10_000):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert page.scan_result.text() == "Scan test stopped."


def test_a_port_that_cannot_be_opened_is_said_plainly(
    qtbot: QtBot, window: MainWindow, tmp_path: object
) -> None:
    page = open_page(qtbot, window)
    page.scanner_port.setEditText("/dev/no-such-scanner")
    qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)  # synchronous in tests
    assert page.scan_result.text() == (
        "The port could not be opened: there is no such port (is the scanner plugged in?)."
    )


@needs_socat
def test_leaving_the_page_ends_a_scan_test(
    qtbot: QtBot, window: MainWindow, pty_pair: PtyPair
) -> None:
    page = open_page(qtbot, window)
    page.scan_executor = ThreadPoolExecutor(page)
    page.scanner_port.setEditText(str(pty_pair.b))
    qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.test_ended, timeout=10_000):
        window.show_area(0)  # the calendar
    assert page.scan_result.text() == "Scan test stopped."
