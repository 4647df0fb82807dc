"""The clients area follows the change bus, searches as you type without queueing stale
searches, and writes the values services return in the window's own language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.clients import ClientForm
from frontdesk.services.auth import SignedIn
from frontdesk.ui.clients.area import ClientsArea
from frontdesk.ui.desk import Desk, open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.fakes import HeldExecutor
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop

pytestmark = pytest.mark.gui


MakeArea = Callable[..., tuple[ClientsArea, Desk]]


@pytest.fixture
def make_area(qtbot: QtBot, make_services: MakeServices) -> Iterator[MakeArea]:
    desks: list[Desk] = []

    def make(
        user: SignedIn, *, db: Any = None, language: str = "", services: Any = None
    ) -> tuple[ClientsArea, Desk]:
        owner = QWidget()
        qtbot.addWidget(owner)
        desk = open_desk(
            services or make_services(),
            user,
            owner,
            AppEvents(owner),
            io=ImmediateExecutor(),
            db=db or ImmediateExecutor(),
            language=language,
        )
        desks.append(desk)
        area = ClientsArea(desk)
        qtbot.addWidget(area)
        area.show()
        qtbot.waitExposed(area)
        return area, desk

    yield make
    for desk in desks:
        desk.detach()


def test_keystrokes_typed_while_a_search_runs_make_one_search_for_the_latest_text(
    make_area: MakeArea,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    searched: list[str] = []
    search = services.clients.search

    def spy(query: str, limit: int = 50) -> Any:
        searched.append(query)
        return search(query, limit)

    monkeypatch.setattr(services.clients, "search", spy)
    worker = HeldExecutor()
    area, _desk = make_area(sign_in(shop.receptionist_id), db=worker, services=services)
    shown: list[str] = []
    area.results_shown.connect(shown.append)

    type_text(area.search_edit, "a")
    assert len(worker.jobs) == 1  # searched at once, no waiting for a pause in the typing
    type_text(area.search_edit, "nn")
    assert len(worker.jobs) == 1  # typed while it runs: nothing queued behind it
    worker.run_next()  # the search for "a" ends: its rows answer old text, so not shown
    assert shown == []
    assert area.results.rowCount() == 0
    assert len(worker.jobs) == 1  # one search for the text as it is now
    worker.run_next()
    assert searched == ["a", "ann"]
    assert shown == ["ann"]
    assert area.results.client_at(0).name == "Anna Smith"
    assert area.results_hint.text() == "1 client"
    worker.run_next()  # the highlighted client's card
    assert area.card_view.name_label.text() == "Anna Smith"
    assert not worker.jobs


def test_list_and_card_follow_changes_committed_elsewhere(
    make_area: MakeArea,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    area, _desk = make_area(user, services=services)
    type_text(area.search_edit, "ann")
    assert area.card_view.name_label.text() == "Anna Smith"
    values = area.card_view._values
    assert values["visits"].text() == "0"
    loads: list[int] = []
    card = services.clients.card

    def spy(customer_id: int, viewer: SignedIn) -> Any:
        loads.append(customer_id)
        return card(customer_id, viewer)

    monkeypatch.setattr(services.clients, "card", spy)

    # Another terminal (or another screen) renames Anna: the list and the card show it.
    other = make_services()
    other.clients.save(
        ClientForm(
            first_name="Annabel",
            last_name="Smith",
            phone="07700 900123",
            card_number="FD-0000001",
        ),
        user,
        shop.anna_id,
    )
    assert area.results.client_at(0).name == "Annabel Smith"
    assert area.card_view.name_label.text() == "Annabel Smith"
    assert area.results_view.currentIndex().row() == 0  # still highlighted
    assert loads == [shop.anna_id]

    # A change to another client leaves this card alone.
    other.clients.save(ClientForm(first_name="Boris", last_name="Ivanov"), user, shop.boris_id)
    assert loads == [shop.anna_id]

    # Her visit is paid at checkout: the card's history and totals follow sales.
    other.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, user)
    assert values["visits"].text() == "1"
    assert values["spent"].text() == "£85.00"
    assert area.card_view.history.item(0, 3).text() == "Paid"
    assert "last visit 23 Nov 2026" in area.results.data(area.results.index(0, 0))

    # Hidden, the area does no work; shown again, it catches up once.
    area.hide()
    other.clients.save(
        ClientForm(first_name="Anna", last_name="Smith", card_number="FD-0000001"),
        user,
        shop.anna_id,
    )
    assert area.card_view.name_label.text() == "Annabel Smith"
    before = len(loads)
    area.show()
    assert area.card_view.name_label.text() == "Anna Smith"
    assert values["phone"].text() == "—"
    assert len(loads) == before + 1


def test_the_window_writes_money_and_dates_in_its_own_language(
    make_area: MakeArea,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """A Russian window for an English shop: the services hand over values, not English text."""
    services = make_services()
    user = sign_in(shop.receptionist_id)
    services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, user)
    area, _desk = make_area(user, services=services, language="ru")
    type_text(area.search_edit, "anna")
    values = {key: " ".join(label.text().split()) for key, label in area.card_view._values.items()}
    assert values["spent"] == "85,00 £"
    assert values["birthday"] == "17 мая 1990 г."
    assert values["since"] == "19 окт. 2025 г."
    history = area.card_view.history
    assert " ".join(history.item(0, 0).text().split()) == "23 нояб. 2026 г., 10:00"
    assert " ".join(history.item(0, 4).text().split()) == "85,00 £"
    details = area.results.data(area.results.index(0, 0)).split("\n")[1]
    assert " ".join(details.split()).endswith("23 нояб. 2026 г.")


def test_new_client_opens_their_card_and_joins_the_list(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.find_client()
    area = window.clients
    type_text(area.search_edit, "zo")
    assert area.results.rowCount() == 0
    from frontdesk.ui.clients import area as area_module

    def fill_and_save(dialog: Any) -> int:
        type_text(dialog.edits["first_name"], "Zoe")
        dialog.submit()
        return 1 if dialog.result_id is not None else 0

    monkeypatch.setattr(area_module.QuickAddDialog, "exec", fill_and_save)
    area.new_client()
    assert area.card_view.name_label.text() == "Zoe"
    assert [area.results.client_at(r).name for r in range(area.results.rowCount())] == ["Zoe"]
    assert area.results_view.currentIndex().row() == 0


def test_rows_of_latin_chinese_and_cyrillic_names_are_painted_whole(
    make_area: MakeArea, sign_in: Callable[[int], SignedIn], shop: SeededShop
) -> None:
    """The search list remembers line heights per font for Latin text only: a Chinese or
    Cyrillic row (taller fallback fonts) still gets its own height, and a narrow list still
    elides a long line with '…' (the whole text stays in the tooltip)."""
    from datetime import UTC, datetime

    from PySide6.QtWidgets import QStyleOptionViewItem

    from frontdesk.domain.formats import Formats
    from frontdesk.domain.shop_time import shop_zone
    from frontdesk.services.clients import ClientSummary
    from frontdesk.ui.widgets.lines_delegate import LinesDelegate, line_height

    area, _desk = make_area(sign_in(shop.receptionist_id))
    rows = [
        ClientSummary(1, "Anna Smith", "07700 900123", "FD-0000001", True),
        ClientSummary(2, "王丹", "135 0000 1111", "", False, datetime(2026, 11, 2, tzinfo=UTC)),
        ClientSummary(3, "Борис Иванов", "", "FD-0000002", False),
        ClientSummary(4, "Zoe Ng", "", "", False),
    ]
    area.results.set_results(rows, Formats("en_GB", shop_zone("Europe/London")))
    view = area.results_view
    delegate = view.itemDelegate()
    assert isinstance(delegate, LinesDelegate)
    plain = LinesDelegate(bold_first=True)

    def shown(row: int, width: int | None = None) -> list[str]:
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = view.visualRect(area.results.index(row, 0))
        if width is not None:
            option.rect.setWidth(width)
        return delegate.shown_lines(option, area.results.index(row, 0))

    for row in range(len(rows)):
        index = area.results.index(row, 0)
        option = QStyleOptionViewItem()
        option.initFrom(view)
        assert delegate.sizeHint(option, index) == plain.sizeHint(option, index)
        lines = shown(row)
        assert len(lines) == 2, lines
        assert "…" not in "".join(lines), lines
        assert view.visualRect(index).height() >= sum(
            line_height(text, view.font()) for text in lines
        )
    assert shown(1)[1] == "135 0000 1111 · no card · last visit 2 Nov 2026"
    narrow = shown(0, width=120)  # a cell narrower than its text
    assert narrow[1].endswith("…")
    assert "07700 900123 · FD-0000001" in area.results.data(
        area.results.index(0, 0), Qt.ItemDataRole.ToolTipRole
    )


def test_a_long_list_is_handed_to_the_view_a_page_at_a_time(
    qtbot: QtBot,
    qtmodeltester: Any,
    make_area: MakeArea,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """A keystroke lays out only the first page of rows; scrolling or opening a client further
    down brings the rest."""
    from frontdesk.ui.clients.results_model import PAGE

    services = make_services()
    user = sign_in(shop.receptionist_id)
    ids = [
        services.clients.save(ClientForm(first_name="Tess", last_name=f"Page {n:02d}"), user)
        for n in range(PAGE + 6)
    ]
    area, _desk = make_area(user, services=services)
    type_text(area.search_edit, "tess")
    assert area.results.found == PAGE + 6
    assert area.results.rowCount() == PAGE
    assert area.results_hint.text().startswith(f"{PAGE + 6} client")
    area.results_view.scrollToBottom()
    qtbot.waitUntil(lambda: area.results.rowCount() == PAGE + 6)

    area.search_edit.clear()
    type_text(area.search_edit, "tess")  # a new search: the first page again
    assert area.results.rowCount() == PAGE
    area.open_client(ids[-1])  # opened from elsewhere, further down the list
    assert area.results_view.currentIndex().row() == PAGE + 5
    assert area.card_view.name_label.text() == "Tess Page 29"
    qtmodeltester.check(area.results)  # last: its checks fetch every row
