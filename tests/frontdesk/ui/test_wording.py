"""One word per status, one way to write a date, proper plurals."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.clients import ClientForm
from frontdesk.services.auth import SignedIn
from frontdesk.ui.dates import qt_date_format
from tests.fakes import free_port
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def test_a_paid_visit_is_called_paid_everywhere(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, user)
    window = make_window(services, user)
    assert window.calendar.select_appointment(shop.morning_appt_id)
    block = window.calendar.grid.selected_block()
    assert block is not None
    assert "Paid" in block.text()
    window.open_client(shop.anna_id)
    history = window.clients.card_view.history
    statuses = [history.item(row, 3).text() for row in range(history.rowCount())]
    assert statuses[0] == "Paid"
    assert "Completed" not in statuses


def test_every_date_is_written_the_shops_way(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    card = services.clients.card(shop.anna_id, user)
    form = card.form
    services.clients.save(
        ClientForm(
            form.first_name, form.last_name, form.phone, form.email, "1990-02-20", form.card_number
        ),
        user,
        shop.anna_id,
    )
    window = make_window(services, user)
    window.open_client(shop.anna_id)
    values = window.clients.card_view._values
    assert values["birthday"].text() == "20 Feb 1990"  # like "Client since 23 Nov 2026"
    assert values["since"].text() == "19 Oct 2025"
    assert window.clients.card_view.history.item(0, 0).text().startswith("23 Nov 2026")
    assert window.calendar.date_edit.text() == "23 Nov 2026"  # not 2026-11-23


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en_GB", "d MMM yyyy"), ("ru_RU", "d MMM yyyy\u202f'г'."), ("zh_CN", "yyyy年M月d日")],
)
def test_qt_date_format_follows_babel(locale: str, expected: str) -> None:
    assert qt_date_format(locale) == expected


@pytest.mark.parametrize(("sales", "wording"), [(1, "1 receipt has"), (2, "2 receipts have")])
def test_quit_question_counts_receipts_properly(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    sales: int,
    wording: str,
) -> None:
    services = make_services(printer_port=free_port())  # nothing listens: receipts wait
    user = sign_in(shop.receptionist_id)
    window = make_window(services, user)
    for appt in (shop.morning_appt_id, shop.afternoon_appt_id)[:sales]:
        window.start_checkout(appt)
        window.checkout.complete_sale()
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    window.close()
    assert len(asked) == 1
    assert asked[0].startswith(f"{wording} not printed yet.")
    assert "(s)" not in asked[0]
    assert window.isVisible()  # "No" keeps the window open
