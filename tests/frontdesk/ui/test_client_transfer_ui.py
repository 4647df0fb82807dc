"""The clients area's io screens driven through the window: import/export of clients, quick add
offering likely duplicates, merging two records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import Customer
from frontdesk.domain.client_file import ClientColumn
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.clients import area as area_module
from frontdesk.ui.clients.merge_dialog import MergeDialog
from frontdesk.ui.clients.quick_add import QuickAddDialog
from frontdesk.ui.clients.transfer_dialog import ClientTransferDialog
from frontdesk.ui.main_window import MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop

CLIENTS = (
    "Client,Mobile,Born,Visits\n"
    "Jane Doe,07700 900456,15.03.1985,4\n"
    "Жанна Петрова,+7 916 765-43-21,1990-13-01,x\n"
)


def _clients(database: UnitOfWork) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count(Customer.id))) or 0)


def _open_transfer(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> ClientTransferDialog:
    """The clients area's Import / export dialog, opened with its button (exec kept from
    blocking)."""
    window.find_client()
    area = window.clients
    assert area.transfer_button.isVisibleTo(area)
    dialogs: list[ClientTransferDialog] = []
    monkeypatch.setattr(ClientTransferDialog, "exec", lambda d: dialogs.append(d) or 0)
    area.transfer_button.click()
    qtbot.addWidget(dialogs[0])
    return dialogs[0]


def test_import_with_errors_then_fixed_then_export(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(make_services(), sign_in(shop.owner_id))
    dialog = _open_transfer(qtbot, window, monkeypatch)
    source = tmp_path / "clients.csv"
    source.write_bytes(CLIENTS.encode("cp1251"))
    dialog.ask_open_path = lambda: source
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    before = _clients(database)
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert dialog.path == source
    assert "Windows-1251" in dialog.summary_label.text(), dialog.problem_label.text()
    assert dialog.mapping() == (
        ClientColumn.NAME,
        ClientColumn.PHONE,
        ClientColumn.BIRTHDAY,
        ClientColumn.VISITS,
    )
    rows = dialog.error_rows()
    assert [(line, column) for line, column, _t in rows] == [("3", "Born"), ("3", "Visits")]
    dialog.grab().save(str(tmp_path / "io-import-errors.png"))
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert "2 problems to correct" in dialog.problem_label.text()
    assert _clients(database) == before

    # Not importing the two bad columns leaves nothing wrong.
    for column in (2, 3):
        combo = dialog.mapping_table.cellWidget(0, column)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(0)
        combo.activated.emit(0)
    assert dialog.error_rows() == []
    assert "2 clients to add" in dialog.summary_label.text()
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert "2 clients added" in dialog.result_label.text()
    assert _clients(database) == before + 2
    assert "2 clients to update" in dialog.summary_label.text()

    out = tmp_path / "export"
    dialog.ask_save_path = lambda: out
    qtbot.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    written = out.with_suffix(".csv")
    assert "Жанна" in written.read_text("utf-8-sig")
    assert "clients.csv" not in dialog.result_label.text()


def test_a_receptionist_sees_no_import_or_merge(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.find_client()
    assert not window.clients.transfer_button.isVisibleTo(window.clients)
    assert not window.clients.merge_button.isVisibleTo(window.clients)


def test_quick_add_offers_the_client_already_here(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.find_client()
    area = window.clients
    before = _clients(database)
    seen: list[QuickAddDialog] = []

    def fill(dialog: Any, first: str, last: str, phone: str, choose: str) -> int:
        seen.append(dialog)
        type_text(dialog.edits["first_name"], first)
        type_text(dialog.edits["last_name"], last)
        type_text(dialog.edits["phone"], phone)
        dialog.submit()
        if choose == "open":
            assert dialog.open_button.isVisibleTo(dialog)
            assert dialog.open_button.text() == "Open Anna Smith instead"
            dialog.show()
            dialog.grab().save(str(tmp_path / "io-quick-add-duplicates.png"))
            qtbot.keyClick(dialog.same_list, Qt.Key.Key_Return)
        elif choose == "new":
            dialog.new_button.click()
        return 1 if dialog.result_id is not None else 0

    monkeypatch.setattr(
        area_module.QuickAddDialog,
        "exec",
        lambda d: fill(d, "Ann", "Smith", "07700 900123", "open"),
    )
    area.new_client()
    assert seen[-1].opened_existing
    assert area.card_view.name_label.text() == "Anna Smith"
    assert _clients(database) == before

    monkeypatch.setattr(
        area_module.QuickAddDialog, "exec", lambda d: fill(d, "Ann", "Smith", "", "new")
    )
    area.new_client()
    assert not seen[-1].opened_existing
    assert _clients(database) == before + 1
    assert area.card_view.name_label.text() == "Ann Smith"


def test_merge_two_records_from_the_card(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(make_services(), sign_in(shop.owner_id))
    window.find_client()
    area = window.clients
    area.open_client(shop.anna_id)
    dialogs: list[MergeDialog] = []

    def run(dialog: Any) -> int:
        dialogs.append(dialog)
        type_text(dialog.search_edit, "Иван")
        assert dialog.results.count() == 1
        dialog.show()
        dialog.grab().save(str(tmp_path / "io-merge.png"))
        assert dialog.merge_button.isEnabled(), dialog.error.text()
        dialog.merge_button.click()
        assert dialog.error.text() == ""
        return 1 if dialog.merged_id is not None else 0

    monkeypatch.setattr(area_module.MergeDialog, "exec", run)
    area.merge_button.click()
    assert dialogs[0].merged_id == shop.boris_id
    with database.read() as s:
        boris = s.get(Customer, shop.boris_id)
        assert boris is not None
        assert boris.merged_into_id == shop.anna_id


def test_notes_read_as_the_cards_preference_and_a_vanished_file_is_said_in_place(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = _open_transfer(
        qtbot, make_window(make_services(), sign_in(shop.owner_id)), monkeypatch
    )
    dialog.show()
    top = dialog.open_button.y()
    source = tmp_path / "clients.csv"
    source.write_text(
        'Name,Phone,Notes\nJane Doe,07700 900456,"' + "Prefers quiet. " * 14 + '"\n', "utf-8"
    )
    dialog.open_file(source)

    assert dialog.mapping() == (ClientColumn.NAME, ClientColumn.PHONE, ClientColumn.NOTES)
    notes = dialog.mapping_table.cellWidget(0, 2)
    assert isinstance(notes, QComboBox)
    assert notes.currentText() == "Notes (kept as the card's free-text preference)"
    assert notes.toolTip() == "What the column “Notes” is read as"
    [(line, column, text)] = dialog.error_rows()
    assert (line, column) == ("2", "Notes")
    assert "200" in text
    assert dialog.summary_label.text() == "Read as UTF-8. 1 row: nothing to import."

    before = _clients(database)
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert _clients(database) == before

    source.unlink()
    dialog.open_file(source)
    assert dialog.problem_label.text() == "clients.csv cannot be read."
    assert not dialog.import_button.isEnabled()
    assert dialog.open_button.y() == top  # the controls stay where they were
