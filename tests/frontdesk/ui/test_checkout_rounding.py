"""The shop's cash rounding at the checkout: its own line, the change from the rounded amount."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from db.models import Appointment, Payment
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def test_cash_shows_the_rounding_and_takes_the_rounded_amount(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    draft = services.shop_setup.draft()
    services.shop_setup.save(dataclasses.replace(draft, rounding_step="0.10"), owner)
    with database.write() as session:
        session.execute(
            update(Appointment)
            .where(Appointment.id == shop.morning_appt_id)
            .values(price_minor=8517)
        )
    window = make_window(services, sign_in(shop.receptionist_id))
    checkout = window.checkout
    window.start_checkout(shop.morning_appt_id)
    assert "Rounding" not in checkout.total_label.text()  # card: cash only
    checkout.cash_radio.click()
    assert "Rounding £0.03  To pay £85.20" in checkout.total_label.text()
    qtbot.keyClicks(checkout.received_edit, "90")
    assert checkout.change_label.text() == "£4.80"
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    assert "R-000001" in checkout.result_label.text()
    with database.read() as session:
        payment = session.scalars(select(Payment)).one()
        assert (payment.amount_minor, payment.change_minor) == (8520, 480)
