"""Checkout follows the change bus, takes the payment through the runner, and writes money the
window's way (never text built by the services)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from db.engine import make_engine
from db.models import Appointment, Sale
from frontdesk.bootstrap import AppServices
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.workers import ImmediateExecutor
from tests.fakes import HeldExecutor
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import PIN, SeededShop

pytestmark = pytest.mark.gui


def _window(
    qtbot: QtBot,
    services: AppServices,
    user: SignedIn,
    tmp_path: Path,
    *,
    db_executor: Any = None,
    language: str = "",
) -> MainWindow:
    bridge = ScannerBridge(services.scanner)
    bridge.start()
    window = MainWindow(
        services,
        user,
        ImmediateExecutor(),
        bridge,
        "Willow Test Spa",
        tmp_path / "reports",
        opener=lambda _path: None,
        db_executor=db_executor,
        language=language,
    )
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _waiting(window: MainWindow) -> list[str]:
    listed = window.checkout.waiting
    return [listed.item(row).text() for row in range(listed.count())]


@pytest.fixture
def other_terminal(db_path: Path) -> Iterator[UnitOfWork]:
    """Another FrontDesk on the same database: its own engine, its own terminal id."""
    engine = make_engine(f"sqlite:///{db_path}")
    yield UnitOfWork(engine, terminal="other-desk")
    engine.dispose()


def test_a_sale_at_another_terminal_leaves_the_waiting_list_within_two_seconds(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    clock: FixedClock,
    other_terminal: UnitOfWork,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.receptionist_id))
    window.show_area(2)
    window.checkout.select_appointment(shop.afternoon_appt_id)
    assert len(_waiting(window)) == 2
    assert window.checkout.client_label.text() == "王芳"
    services.changes.start_watching()
    try:
        there = AuthService(other_terminal, clock).sign_in(shop.owner_id, PIN)
        CheckoutService(other_terminal, clock).complete_sale(
            shop.afternoon_appt_id, PaymentMethod.CARD, None, there
        )
        # Paid over there: gone from the list, and not payable here any more.
        qtbot.waitUntil(lambda: len(_waiting(window)) == 1, timeout=2000)
    finally:
        services.changes.stop_watching()
    assert "Anna Smith" in _waiting(window)[0]
    assert window.checkout.quote is None
    assert window.checkout.client_label.text() == "Pick an appointment to check out."
    assert not window.checkout.complete_button.isEnabled()


def test_a_price_changed_elsewhere_updates_the_open_quote_and_keeps_what_is_typed(
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
    qtbot.keyClicks(checkout.received_edit, "100")
    assert checkout.change_label.text() == "£15.00"

    with database.write() as s:  # committed outside the screen; the bus announces it
        s.execute(
            update(Appointment)
            .where(Appointment.id == shop.morning_appt_id)
            .values(price_minor=9000)
        )

    assert "£90.00" in checkout.total_label.text()
    assert "£90.00" in _waiting(window)[0]
    assert checkout.received_edit.text() == "100"
    assert checkout.change_label.text() == "£10.00"


def test_a_hidden_checkout_catches_up_when_shown(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    window = make_window(services, user)
    window.show_area(0)
    assert not window.checkout.isVisible()
    services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, user)
    assert window.checkout.follow.stale
    window.show_area(2)
    assert len(_waiting(window)) == 1
    assert not window.checkout.follow.stale


def test_f9_twice_on_a_slow_database_pays_once_with_a_busy_dialog(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
) -> None:
    held = HeldExecutor()
    window = _window(
        qtbot, make_services(), sign_in(shop.receptionist_id), tmp_path, db_executor=held
    )
    window.start_checkout(shop.morning_appt_id)
    held.run_all()
    checkout = window.checkout
    assert checkout.complete_button.isEnabled()

    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    qtbot.mouseClick(checkout.complete_button, Qt.MouseButton.LeftButton)
    assert len(held.jobs) == 1  # one payment in flight, not three
    assert not checkout.complete_button.isEnabled()
    qtbot.waitUntil(lambda: window.runner.progress is not None, timeout=3000)
    assert window.runner.progress.labelText() == "Taking the payment…"

    held.run_all()
    assert window.runner.progress is None
    assert "Sale R-000001 complete" in checkout.result_label.text()
    qtbot.keyClick(checkout, Qt.Key.Key_F9)  # the sale is done: nothing is left to pay
    held.run_all()
    with database.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 1


def test_a_refused_payment_keeps_the_form_and_can_be_tried_again(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    window = make_window(services, user)
    window.start_checkout(shop.morning_appt_id)
    checkout = window.checkout
    window.desk.detach()  # paid elsewhere, unheard here: the service still refuses twice
    services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, user)

    qtbot.keyClick(checkout, Qt.Key.Key_F9)

    assert checkout.error_label.text() == "This appointment has already been paid."
    assert checkout.complete_button.isEnabled()  # the person decides what to do next
    with database.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 1


def test_money_is_written_the_windows_way_not_the_services(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    """A window in Russian for an English shop: every amount on the screen is written by the
    window (85,00 £), none is the service's own text (£85.00)."""
    window = _window(qtbot, make_services(), sign_in(shop.receptionist_id), tmp_path, language="ru")
    window.start_checkout(shop.morning_appt_id)
    checkout = window.checkout
    checkout.cash_radio.click()
    for ch in "100,5":
        qtbot.keyClick(checkout.received_edit, ch)  # typed the Russian way too
    shown = "\n".join(
        [
            *_waiting(window),
            checkout.lines_label.text(),
            checkout.total_label.text(),
            checkout.change_label.text(),
        ]
    )
    assert "£" in shown
    assert "£85.00" not in shown
    assert "85,00\xa0£" in checkout.total_label.text()
    assert "14,17\xa0£" in checkout.total_label.text()
    assert checkout.change_label.text() == "15,50\xa0£"
    assert "60 min" in checkout.lines_label.text()
    assert "10:00–11:00" in _waiting(window)[0]

    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    assert "Sale R-000001 complete: 85,00\xa0£. Change due: 15,50\xa0£." in (
        checkout.result_label.text()
    )
