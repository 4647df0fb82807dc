"""The status bar as the person at the desk sees it: one text at a time in each place."""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from db.models import ShopProfile
from frontdesk.services.auth import SignedIn
from frontdesk.services.receipt_printer import PrinterCondition
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.widgets import printer_status
from tests.fakes import fake_network_printer
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def test_the_start_warning_does_not_overprint_who_is_signed_in(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    """A message shown before the window was visible was drawn over "Signed in: …" (Qt hides
    the normal widgets only when they are visible as the message arrives)."""
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale="zh_CN", currency="CNY"))
    with fake_network_printer() as printer:
        window = make_window(make_services(printer_port=printer.port), sign_in(shop.owner_id))

    bar = window.statusBar()
    assert "printer_chinese is off" in bar.currentMessage()
    assert not window.user_label.isVisible()  # the message has the left of the bar to itself
    bar.clearMessage()
    assert window.user_label.isVisible()  # and who is signed in comes back after it


def test_the_whole_printer_warning_can_be_read(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    qtbot: QtBot,
) -> None:
    """The warning is longer than the status bar is wide, and a tooltip cannot be touched or
    copied: clicking "⚠ Receipt printer settings" shows all of it."""
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale="zh_CN", currency="CNY"))
    with fake_network_printer() as printer:
        window = make_window(make_services(printer_port=printer.port), sign_in(shop.owner_id))

    qtbot.mouseClick(window.printer_warning, Qt.MouseButton.LeftButton)
    box = window.printer_warning_box
    qtbot.waitUntil(box.isVisible)
    assert box.text() == window.printer_warning.toolTip()
    assert box.text().endswith("printer_chinese = true if the printer has a Chinese font.")


def test_every_printer_condition_has_words_in_the_status_bar() -> None:
    assert set(get_args(PrinterCondition)) == set(printer_status._WORDS)
