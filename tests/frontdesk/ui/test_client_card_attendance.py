"""The client card's header counts no-shows and late cancellations, and follows the statuses
changed at another desk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.ui.clients.area import ClientsArea
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.conftest import NOW
from tests.frontdesk.ui.conftest import MakeServices
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop

pytestmark = pytest.mark.gui


def test_card_header_counts_no_shows_and_late_cancellations(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    clock: FixedClock,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    owner = QWidget()
    qtbot.addWidget(owner)
    desk = open_desk(
        services, user, owner, AppEvents(owner), io=ImmediateExecutor(), db=ImmediateExecutor()
    )
    area = ClientsArea(desk)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    try:
        type_text(area.search_edit, "ann")
        header = area.card_view.attendance_label
        assert header.text() == "0 no-shows · 0 late cancellations"
        assert header.styleSheet() == ""

        # Another desk: Anna never came to her 10:00 visit.
        other = make_services()
        clock.instant = NOW + timedelta(minutes=30)
        other.statuses.no_show(shop.morning_appt_id, user)
        assert header.text() == "1 no-show · 0 late cancellations"
        assert "b3261e" in header.styleSheet()  # drawn in the warning colour, words first
        history = area.card_view.history
        assert history.item(0, 3).text() == "No-show"
    finally:
        desk.detach()


def test_a_finished_visit_reads_completed_until_it_is_paid(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    from frontdesk.domain.checkout import PaymentMethod

    services = make_services()
    user = sign_in(shop.receptionist_id)
    for step in (services.statuses.arrive, services.statuses.start, services.statuses.finish):
        step(shop.morning_appt_id, user)
    owner = QWidget()
    qtbot.addWidget(owner)
    desk = open_desk(
        services, user, owner, AppEvents(owner), io=ImmediateExecutor(), db=ImmediateExecutor()
    )
    area = ClientsArea(desk)
    qtbot.addWidget(area)
    area.show()
    try:
        type_text(area.search_edit, "ann")
        assert area.card_view.history.item(0, 3).text() == "Completed"
        services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, user)
        assert area.card_view.history.item(0, 3).text() == "Paid"
    finally:
        desk.detach()
