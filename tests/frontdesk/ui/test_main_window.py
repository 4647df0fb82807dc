"""The main window builds only the calendar at first; every way into another area builds it;
a scanned card is looked up through the runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from db.models import ShopProfile
from frontdesk.devices.scanner import FakeScanner, ScanResult
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.area import CalendarArea
from frontdesk.ui.clients.area import ClientsArea
from frontdesk.ui.main_window import BACK_OFFICE, CHECKOUT, CLIENTS, MY_DAY, REPORTS, MainWindow
from frontdesk.ui.reports.area import ReportsArea
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.window_place import WindowPlace
from frontdesk.ui.workers import ImmediateExecutor
from tests.fakes import HeldExecutor, fake_network_printer
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def _not_built(window: MainWindow) -> list[int]:
    return [
        i for i in range(window.tabs.count()) if window.tabs.widget(i).objectName() == "notBuiltYet"
    ]


def test_only_the_calendar_is_built_with_the_window(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.owner_id))
    assert isinstance(window.tabs.currentWidget(), CalendarArea)
    assert _not_built(window) == [CLIENTS, CHECKOUT, REPORTS, BACK_OFFICE, MY_DAY]
    assert len(window.built_areas()) == 1

    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.tabs.currentWidget(), ReportsArea)
    assert window.reports.isVisible()
    assert _not_built(window) == [CLIENTS, CHECKOUT, BACK_OFFICE, MY_DAY]

    window.tabs.tabBar().setCurrentIndex(CHECKOUT)  # a click on its tab
    assert window.tabs.currentWidget() is window.checkout
    assert window.checkout.isVisible()
    assert _not_built(window) == [CLIENTS, BACK_OFFICE, MY_DAY]
    assert [window.tabs.tabText(i) for i in range(6)] == [
        "Calendar",
        "Clients",
        "Checkout",
        "Reports",
        "Back office",
        "My day",
    ]


def test_find_client_builds_clients_and_puts_the_cursor_in_the_search(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.tabs.currentWidget(), ClientsArea)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.clients.search_edit)


def test_a_tab_the_person_may_not_use_stays_closed_and_unbuilt(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0
    assert REPORTS in _not_built(window)
    assert not window.tabs.isTabEnabled(REPORTS)
    assert window.tabs.tabToolTip(REPORTS) == "Money reports are for owners and managers."
    window.reports  # noqa: B018 - built on demand (e.g. by a test), the tab stays closed
    assert not window.tabs.isTabEnabled(REPORTS)
    assert window.tabs.tabToolTip(REPORTS) == "Money reports are for owners and managers."


def test_a_scanned_card_is_looked_up_on_the_database_worker_and_opens_clients(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    scanner = FakeScanner()
    services = make_services(scanner=scanner)
    bridge = ScannerBridge(services.scanner)
    bridge.start()
    db = HeldExecutor()
    window = MainWindow(
        services,
        sign_in(shop.receptionist_id),
        ImmediateExecutor(),
        bridge,
        "Willow Test Spa",
        tmp_path / "reports",
        place=WindowPlace(tmp_path / "window.ini"),
        db_executor=db,
    )
    qtbot.addWidget(window)
    window.show()
    db.run_all()  # whatever the calendar asked for
    assert CLIENTS in _not_built(window)

    scanner.scan("FD-0000002")
    assert len(db.jobs) == 1  # the lookup waits for the database worker, the window goes on
    assert CLIENTS in _not_built(window)
    db.run_all()
    assert window.tabs.currentWidget() is window.clients
    assert window.clients.card_view.name_label.text() == "Борис Иванов"
    assert window.statusBar().currentMessage() == "Card FD-0000002: Борис Иванов"


def test_an_unknown_card_or_an_unreadable_scan_is_said_in_clients_without_a_dialog(
    monkeypatch: pytest.MonkeyPatch,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: boxes.append(str(args)))
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: boxes.append(str(args)))
    scanner = FakeScanner()
    window = make_window(make_services(scanner=scanner), sign_in(shop.receptionist_id))

    scanner.scan("FD-4040404")
    assert window.tabs.currentWidget() is window.clients
    assert "No client has loyalty card FD-4040404" in window.clients.notice.text()

    window.show_area(0)
    scanner.deliver(ScanResult(code=None, error="Unreadable scan: longer than 64 characters."))
    assert window.tabs.currentWidget() is window.clients
    assert window.clients.notice.text() == "The scan could not be read. Please scan again."
    assert boxes == []


def test_a_printer_warning_read_after_the_window_shows_is_still_said(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
) -> None:
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale="zh_CN", currency="CNY"))
    db = HeldExecutor()
    with fake_network_printer() as printer:
        services = make_services(printer_port=printer.port)
        window = MainWindow(
            services,
            sign_in(shop.owner_id),
            ImmediateExecutor(),
            ScannerBridge(services.scanner),
            "Willow Test Spa",
            tmp_path / "reports",
            place=WindowPlace(tmp_path / "window.ini"),
            db_executor=db,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert not window.printer_warning.isVisible()  # the window did not wait for the read
        db.run_all()
    assert window.printer_warning.isVisible()
    assert "printer_chinese is off" in window.statusBar().currentMessage()
    assert not window.user_label.isVisible()


def test_the_shortcut_list_names_the_calendars_keys(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    dialog = window.show_shortcuts()
    table = dialog.table
    listed = {table.item(row, 0).text() for row in range(table.rowCount())}
    assert table.rowCount() == len(window.shortcut_rows())
    for keys in (
        "Alt+D / Alt+W / Alt+M / Alt+R",
        "Alt+P",
        "Alt+L",
        "Alt+C",
        "Ctrl+Shift+F",
        "Ctrl+Shift+C / A / S / D / N",
        "Delete",
        "Ctrl+Z",
        "Ctrl+wheel / Ctrl+= / Ctrl+-",
        "Ctrl+K",
        "Ctrl+Shift+L",
        "F7",
        "F8",
    ):
        assert keys in listed
    # wide enough to read: the descriptions are not squeezed into a message box
    assert dialog.width() >= 800
    dialog.close()
