"""The scanner's state in the status bar follows the device live: with the fake, and with a
real pty pair that is plugged in, pulled out and plugged in again."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from frontdesk.devices.scanner import (
    FakeScanner,
    NullScanner,
    ScannerCondition,
    ScannerState,
    SerialScanner,
    explain_open_failure,
    open_scanner,
)
from frontdesk.services.auth import SignedIn
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.widgets.scanner_status import ScannerStatus
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop
from tests.serial_pty import PtyPair, needs_socat


def scanner_label(window: MainWindow) -> QLabel:
    label = window.statusBar().findChild(QLabel, "scannerState")
    assert isinstance(label, QLabel)
    return label


def test_the_status_bar_follows_the_fake_scanner(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    scanner = FakeScanner("USB scanner", port="/dev/ttyACM0", plugged_in=False)
    window = make_window(make_services(scanner=scanner), sign_in(shop.receptionist_id))
    label = scanner_label(window)

    assert label.text() == "Scanner: waiting for /dev/ttyACM0"
    assert "Plug the scanner in" in label.toolTip()
    assert "USB scanner" in label.toolTip()

    scanner.plug_in()
    assert label.text() == "Scanner: connected"
    scanner.scan("FD-0000002")
    assert window.clients.card_view.name_label.text() == "Борис Иванов"

    scanner.report(
        ScannerState(
            ScannerCondition.ERROR,
            "/dev/ttyACM0",
            reason="permission denied",
            advice="On Linux, add this user to the 'dialout' group and log in again.",
        )
    )
    assert label.text() == "Scanner: error (permission denied)"
    assert "'dialout' group" in label.toolTip()
    # The state is not a scan: nothing was shown as an unreadable scan.
    assert window.clients.notice.text() == ""

    scanner.unplug()
    assert label.text() == "Scanner: waiting for /dev/ttyACM0"


def test_no_scanner_configured_says_so(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services(scanner=NullScanner())
    window = make_window(services, sign_in(shop.receptionist_id))

    assert scanner_label(window).text() == "Scanner: not set up"
    assert "Back office → Printer and scanner" in scanner_label(window).toolTip()


@needs_socat
def test_the_status_bar_follows_a_real_scanner_being_plugged_in_and_out(
    qtbot: QtBot,
    tmp_path: Path,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    path = str(tmp_path / "B")  # not there yet: the scanner is not plugged in
    scanner = open_scanner(path, 9600)
    assert isinstance(scanner, SerialScanner)
    pairs: list[PtyPair] = []
    try:
        window = make_window(make_services(scanner=scanner), sign_in(shop.receptionist_id))
        label = scanner_label(window)
        qtbot.waitUntil(lambda: label.text() == f"Scanner: waiting for {path}", timeout=5000)

        pairs.append(PtyPair(tmp_path))
        qtbot.waitUntil(lambda: label.text() == "Scanner: connected", timeout=5000)
        pairs[-1].send(b"FD-0000002\r\n")
        name = window.clients.card_view.name_label
        qtbot.waitUntil(lambda: name.text() == "Борис Иванов", timeout=5000)

        pairs[-1].close()  # the cable is pulled out
        qtbot.waitUntil(lambda: label.text() == f"Scanner: waiting for {path}", timeout=5000)

        pairs.append(PtyPair(tmp_path))
        qtbot.waitUntil(lambda: label.text() == "Scanner: connected", timeout=5000)
        pairs[-1].send(b"FD-0000001\r\n")
        qtbot.waitUntil(lambda: name.text() == "Anna Smith", timeout=5000)
        assert window.clients.notice.text() == ""  # an unplug is not an unreadable scan
    finally:
        scanner.stop()
        for pair in pairs:
            pair.close()


@pytest.mark.parametrize(
    "number", [errno.EACCES, errno.EBUSY, errno.ENOTTY, errno.ENOENT, errno.EIO]
)
def test_the_window_words_every_state_the_device_can_report(qtbot: QtBot, number: int) -> None:
    # The window writes the scanner's words itself (to translate them): they must say what the
    # device means, for every reason it gives, and fall back to its general advice only for
    # a reason nobody foresaw.
    state = explain_open_failure("/dev/ttyACM0", OSError(number, os.strerror(number)))
    status = ScannerStatus(ScannerBridge(FakeScanner()))
    qtbot.addWidget(status)
    status.show_state(state)
    assert status.advice(state) == state.advice
    assert status.text() == f"Scanner: {state.summary}"
    assert state.advice in status.toolTip()
