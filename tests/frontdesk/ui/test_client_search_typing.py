"""Typing into the client search: accents, Cyrillic ё, Chinese by pinyin initials, phones in
any form; keyboard only (arrows, Enter opens the card, Esc clears)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from frontdesk.domain.clients import ClientForm
from frontdesk.services.auth import SignedIn
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop


def _names(area: object) -> list[str]:
    results = area.results  # type: ignore[attr-defined]
    return [results.client_at(row).name for row in range(results.found)]


def test_typing_finds_by_every_key_and_the_keyboard_does_the_rest(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    services.clients.save(ClientForm("Zoë", "Brontë", email="zoe@example.org"), user)
    services.clients.save(ClientForm("Семён", "Ёлкин"), user)
    window = make_window(services, user)
    window.find_client()
    area = window.clients

    def search(text: str) -> list[str]:
        area.search_edit.clear()
        type_text(area.search_edit, text)
        area.run_search()
        return _names(area)

    assert search("Zoe") == ["Zoë Brontë"]
    assert search("семен") == ["Семён Ёлкин"]
    assert search("ёлк") == ["Семён Ёлкин"]
    assert search("wf") == ["王芳"]
    assert search("王芳") == ["王芳"]
    assert search("+44 7700 900123") == ["Anna Smith"]
    assert search("07700900123") == ["Anna Smith"]
    assert search("zoe@exa") == ["Zoë Brontë"]
    assert search("0000001") == ["Anna Smith"]

    # keyboard only: the list, Enter opens the card, Esc goes back, Esc clears
    area.search_edit.clear()
    type_text(area.search_edit, "anna")
    area.run_search()
    assert area.search_edit.hasFocus()
    qtbot.keyClick(area.search_edit, Qt.Key.Key_Down)
    assert area.results_view.hasFocus()
    qtbot.keyClick(area.results_view, Qt.Key.Key_Return)
    assert area.card_view.name_label.text() == "Anna Smith"
    assert area.card_scroll.hasFocus()
    area.grab().save("/tmp/search-clients-card.png")
    area.results_view.setFocus()
    qtbot.keyClick(area.results_view, Qt.Key.Key_Escape)
    assert area.search_edit.hasFocus()
    qtbot.keyClick(area.search_edit, Qt.Key.Key_Escape)
    assert area.search_edit.text() == ""
    assert area.results.rowCount() == 0
    assert area.current_id is None
    area.grab().save("/tmp/search-clients-area.png")
