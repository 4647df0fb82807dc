"""The main window fits the screen it opens on and comes back where it was left."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from frontdesk.bootstrap import AppServices
from frontdesk.services.auth import SignedIn
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.window_place import WindowPlace, fit, window_file
from frontdesk.ui.workers import ImmediateExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

LAPTOP = QRect(0, 0, 1366, 768 - 32)  # a 1366x768 counter laptop with a 32 px panel
NETBOOK = QRect(0, 24, 1024, 600 - 24)  # a panel on top this time


def _open(
    qtbot: QtBot, services: AppServices, user: SignedIn, screen: QRect, tmp_path: Path
) -> MainWindow:
    window = MainWindow(
        services,
        user,
        ImmediateExecutor(),
        ScannerBridge(services.scanner),
        "Willow Test Spa",
        tmp_path / "reports",
        opener=lambda _p: None,
        place=WindowPlace(available=lambda: screen),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _inside(widget: QWidget, screen: QRect) -> bool:
    status = widget.window().statusBar()  # type: ignore[attr-defined]
    bottom_right = status.mapTo(widget.window(), status.rect().bottomRight())
    return screen.contains(widget.frameGeometry()) and widget.rect().contains(bottom_right)


@pytest.mark.parametrize("screen", [LAPTOP, NETBOOK], ids=["1366x768", "1024x600"])
def test_window_fits_a_screen_smaller_than_1280x800(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
    screen: QRect,
) -> None:
    window = _open(qtbot, make_services(), sign_in(shop.receptionist_id), screen, tmp_path)
    assert screen.contains(window.frameGeometry()), (window.frameGeometry(), screen)
    assert _inside(window, screen)
    assert window.printer_status.isVisible()
    status_bottom = window.statusBar().mapToGlobal(window.statusBar().rect().bottomLeft()).y()
    assert status_bottom <= screen.bottom()  # the printer state is on screen


def test_a_large_screen_gets_the_preferred_size_centred(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    big = QRect(0, 0, 1920, 1080)
    window = _open(qtbot, make_services(), sign_in(shop.receptionist_id), big, tmp_path)
    assert window.size().toTuple() == (1280, 800)
    assert window.geometry().center() == big.center()


def test_size_position_and_maximised_state_are_remembered(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    screen = QRect(0, 0, 1920, 1080)
    first = _open(qtbot, services, user, screen, tmp_path)
    first.setGeometry(QRect(100, 60, 1000, 700))
    first.close()
    saved = window_file()
    assert saved.is_file()
    assert str(saved).startswith(os.environ["XDG_CONFIG_HOME"])  # the test's temporary home

    second = _open(qtbot, services, user, screen, tmp_path)
    assert second.geometry() == QRect(100, 60, 1000, 700)
    assert not second.isMaximized()
    second.showMaximized()
    second.close()

    third = _open(qtbot, services, user, screen, tmp_path)
    assert third.isMaximized()
    third.showNormal()
    assert third.geometry() == QRect(100, 60, 1000, 700)  # the normal place is kept
    third.close()

    # The same place on a smaller screen later: fitted, not off the edge.
    fourth = _open(qtbot, services, user, NETBOOK, tmp_path)
    assert NETBOOK.contains(fourth.frameGeometry())


def test_fit_keeps_any_rectangle_inside() -> None:
    assert fit(QRect(1500, 900, 1280, 800), LAPTOP) == QRect(86, 0, 1280, 736)
    assert fit(QRect(-50, -50, 300, 200), NETBOOK) == QRect(0, 24, 300, 200)
    assert fit(QRect(10, 30, 300, 200), NETBOOK) == QRect(10, 30, 300, 200)
