"""File > Reprint receipt…: a logged COPY of any stored receipt, by number, to the printer;
and the printer warning shown at start when the shop's language needs a feature that is off."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from db.models import AuditEntry, ShopProfile
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.main_window import MainWindow
from printing.escpos_layout import PAPER_80MM, code_pages
from tests.fakes import fake_network_printer
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.printing.escpos_bytes import decode
from tests.seed import SeededShop

DRAWER_KICK = b"\x1bp"


def _reprints(database: UnitOfWork) -> list[AuditEntry]:
    with database.read() as s:
        action = AuditEntry.action == "receipt.reprinted"
        return list(s.scalars(select(AuditEntry).where(action)).all())


def _type_number(qtbot: QtBot, window: MainWindow, number: str) -> None:
    window.reprint_action.trigger()
    dialog = window.reprint_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.number_edit.clear()
    qtbot.keyClicks(dialog.number_edit, number)
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)


def test_reprint_by_number_sends_a_logged_copy(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with fake_network_printer() as printer:
        services = make_services(printer_port=printer.port)
        desk = sign_in(shop.receptionist_id)
        services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
        window = make_window(services, desk)
        assert window.reprint_action.isEnabled()

        _type_number(qtbot, window, "R-000099")
        dialog = window.reprint_dialog
        assert dialog.isVisible()
        assert dialog.error_label.text() == "There is no sale with receipt number R-000099."

        _type_number(qtbot, window, "r-000001")
        qtbot.waitUntil(lambda: not window.reprint_dialog.isVisible())
        original, job = printer.wait_for_jobs(2)  # the sale's own receipt, then the copy

    first = "\n".join(line.text for line in decode(original, code_pages(PAPER_80MM)))
    assert "R-000001" in first
    assert "COPY" not in first
    text = "\n".join(line.text for line in decode(job, code_pages(PAPER_80MM)))
    assert "*** COPY ***" in text
    assert "R-000001" in text
    assert DRAWER_KICK not in job
    assert "Copy of receipt R-000001 queued" in window.statusBar().currentMessage()
    (entry,) = _reprints(database)
    assert (entry.staff_id, entry.detail) == (shop.receptionist_id, "R-000001")


def test_reprint_last_receipt_in_checkout_is_a_logged_copy_too(
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
        window.start_checkout(shop.morning_appt_id)
        window.checkout.card_radio.setChecked(True)
        window.checkout.complete_button.click()
        original = printer.wait_for_jobs(1)[0]
        qtbot.mouseClick(window.checkout.reprint_button, Qt.MouseButton.LeftButton)
        copy = printer.wait_for_jobs(2)[1]

    assert copy != original
    assert b"*** COPY ***" in copy
    assert b"COPY" not in original
    assert len(_reprints(database)) == 1


def test_therapists_cannot_reprint(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    with fake_network_printer() as printer:
        window = make_window(make_services(printer_port=printer.port), sign_in(shop.therapist_id))

    assert not window.reprint_action.isEnabled()
    window.open_reprint_dialog()
    assert not hasattr(window, "reprint_dialog")


def test_a_chinese_shop_with_printer_chinese_off_is_warned_at_start(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with fake_network_printer() as printer:
        english = make_window(make_services(printer_port=printer.port), sign_in(shop.owner_id))
        with database.write() as s:
            s.execute(update(ShopProfile).values(locale="zh_CN", currency="CNY"))
        chinese = make_window(make_services(printer_port=printer.port), sign_in(shop.owner_id))

    assert not english.printer_warning.isVisible()
    assert chinese.printer_warning.isVisible()
    assert "printer_chinese is off" in chinese.printer_warning.toolTip()
    assert "printer_chinese is off" in chinese.statusBar().currentMessage()
