"""The cash field: messages that go away when fixed, no carried-over method, no misread amounts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import Payment, Sale
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def _sales(database: UnitOfWork) -> list[tuple[str, int, int]]:
    with database.read() as s:
        return [
            (p.method, p.amount_minor, p.tendered_minor)
            for p in s.scalars(select(Payment).order_by(Payment.id))
        ]


def test_error_clears_and_method_resets_for_the_next_sale(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    checkout = window.checkout
    window.start_checkout(shop.morning_appt_id)
    checkout.cash_radio.click()
    qtbot.keyClicks(checkout.received_edit, "50")
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    assert "less than the amount due" in checkout.error_label.text()
    checkout.received_edit.clear()
    qtbot.keyClicks(checkout.received_edit, "100")
    assert checkout.error_label.text() == ""  # a valid amount: the red message is gone
    assert checkout.change_label.text() == "£15.00"
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    assert "R-000001" in checkout.result_label.text()
    assert checkout.error_label.text() == ""

    # The next sale starts from the default method (card), not the last one (cash): F9 with
    # an empty field is a card payment for the exact amount, never "exact cash" by accident.
    window.start_checkout(shop.afternoon_appt_id)
    assert checkout.card_radio.isChecked()
    assert not checkout.cash_radio.isChecked()
    assert checkout.received_edit.text() == ""
    assert checkout.error_label.text() == ""
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    assert _sales(database) == [("cash", 8500, 10000), ("card", 6000, 6000)]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("120,50", "ambiguous"),  # an English shop: 120.50 or 12,050? Ask, don't guess.
        ("99,999,999,999", "too large"),
        ("20,000", "typing mistake"),  # £20,000 for £85 due
    ],
)
def test_ambiguous_or_absurd_cash_is_refused_plainly(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    typed: str,
    message: str,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    checkout = window.checkout
    window.start_checkout(shop.morning_appt_id)
    checkout.cash_radio.click()
    qtbot.keyClicks(checkout.received_edit, typed)
    assert message in checkout.error_label.text()  # said while typing, before F9
    assert checkout.change_label.text() == "—"
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    assert message in checkout.error_label.text()
    with database.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 0
    checkout.received_edit.clear()
    qtbot.keyClicks(checkout.received_edit, "120.50")
    assert checkout.error_label.text() == ""
    assert checkout.change_label.text() == "£35.50"
