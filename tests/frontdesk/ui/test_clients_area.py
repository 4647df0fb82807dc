"""Finding clients and editing them through the real widgets."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyleOptionViewItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.clients import ClientForm
from frontdesk.domain.formats import Formats
from frontdesk.domain.shop_time import shop_zone
from frontdesk.services.auth import SignedIn
from frontdesk.ui.clients.form_dialog import ClientFormDialog
from frontdesk.ui.clients.results_model import ClientResultsModel
from frontdesk.ui.operations import OperationRunner
from frontdesk.ui.widgets.lines_delegate import LinesDelegate, line_height
from frontdesk.ui.workers import ImmediateExecutor
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Chinese and Cyrillic included (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def immediate_runner() -> OperationRunner:
    """A runner that runs work at once on this thread, as the window's does in tests."""
    return OperationRunner(ImmediateExecutor(), nullcontext)


def test_search_as_you_type_and_enter_opens_first(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.find_client()
    area = window.clients
    assert area.search_edit.hasFocus()
    type_text(area.search_edit, "王")
    area.run_search()  # what the debounce timer does
    assert area.results.rowCount() == 1
    qtbot.keyClick(area.search_edit, Qt.Key.Key_Return)
    assert area.card_view.name_label.text() == "王芳"
    area.search_edit.clear()
    type_text(area.search_edit, "иван")
    area.run_search()
    assert area.results.data(area.results.index(0, 0)).startswith("Борис Иванов")
    area.search_edit.clear()
    qtbot.keyClicks(area.search_edit, "nobody-like-this")
    area.run_search()
    assert area.results.rowCount() == 0
    assert "No client matches" in area.results_hint.text()


def test_new_client_form_shows_errors_beside_fields_and_saves_nothing(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    dialog = ClientFormDialog(immediate_runner(), lambda form: services.clients.save(form, user))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.edits["phone"], "not a phone")
    qtbot.keyClicks(dialog.edits["birthday"], "1990-13-45")
    dialog.submit()
    assert not dialog.errors["first_name"].isHidden()
    assert "first name" in dialog.errors["first_name"].text()
    assert "not a phone number" in dialog.errors["phone"].text()
    assert "not a date" in dialog.errors["birthday"].text()
    assert dialog.errors["email"].isHidden()
    assert dialog.saved_id is None
    assert services.clients.search("Zoe") == []
    for name in ("phone", "birthday"):
        dialog.edits[name].clear()
    qtbot.keyClicks(dialog.edits["first_name"], "Zoe")
    qtbot.keyClicks(dialog.edits["phone"], "07700 900777")
    dialog.submit()
    assert dialog.saved_id is not None
    assert [c.name for c in services.clients.search("zoe")] == ["Zoe"]


def test_results_model_is_a_valid_qt_model(
    qtmodeltester: object, make_services: MakeServices, shop: SeededShop
) -> None:
    model = ClientResultsModel()
    model.set_results(
        make_services().clients.search("a"), Formats("en_GB", shop_zone("Europe/London"))
    )
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_card_always_shows_the_highlighted_client_or_nothing(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    services.clients.save(ClientForm(first_name="Annabel", last_name="Archer"), user)
    window = make_window(services, user)
    area = window.clients
    window.find_client()
    qtbot.keyClicks(area.search_edit, "anna s")
    qtbot.keyClick(area.search_edit, Qt.Key.Key_Return)
    assert area.card_view.name_label.text() == "Anna Smith"
    assert "Nut oil" in area.card_view.allergy_label.text()

    # A new search highlights its first match: the card follows, never the previous client.
    area.search_edit.clear()
    type_text(area.search_edit, "бор")
    area.run_search()
    highlighted = area.results_view.currentIndex()
    assert highlighted.isValid()
    assert area.results.client_at(highlighted.row()).name == "Борис Иванов"
    assert area.card_view.name_label.text() == "Борис Иванов"
    assert "Nut oil" not in area.card_view.allergy_label.text()
    assert area.right.currentWidget() is not area.placeholder

    # Nothing found: nothing highlighted, so no card at all (no stale allergy band).
    area.search_edit.clear()
    qtbot.keyClicks(area.search_edit, "nobody-like-this")
    area.run_search()
    assert not area.results_view.currentIndex().isValid()
    assert area.right.currentWidget() is area.placeholder
    assert area.current_id is None

    # Moving the highlight moves the card with it.
    area.search_edit.clear()
    qtbot.keyClicks(area.search_edit, "ann")
    area.run_search()
    assert area.results.rowCount() == 2
    first = area.results.client_at(0).name
    assert area.card_view.name_label.text() == first
    qtbot.keyClick(area.search_edit, Qt.Key.Key_Down)  # into the list
    assert area.results_view.hasFocus()
    qtbot.keyClick(area.results_view, Qt.Key.Key_Down)  # the arrows move the highlight
    second = area.results.client_at(area.results_view.currentIndex().row()).name
    assert second != first
    assert area.card_view.name_label.text() == second
    third_rect = area.results_view.visualRect(area.results.index(0, 0))
    qtbot.mouseClick(
        area.results_view.viewport(), Qt.MouseButton.LeftButton, pos=third_rect.center()
    )
    assert area.card_view.name_label.text() == first  # and so does a click

    # A client opened from elsewhere (calendar, scanner) who is not in the list: no highlight.
    area.search_edit.clear()
    type_text(area.search_edit, "бор")
    area.run_search()
    window.open_client(shop.anna_id)
    assert area.card_view.name_label.text() == "Anna Smith"
    assert not area.results_view.currentIndex().isValid()


def _shown(view: QAbstractItemView, index: QModelIndex) -> list[str]:
    """The lines the view's delegate paints for `index` in its cell (what a person sees)."""
    delegate = view.itemDelegate()
    assert isinstance(delegate, LinesDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    return delegate.shown_lines(option, index)


def test_same_name_clients_are_told_apart_in_every_language(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    for phone, card in (
        ("+8613500001111", "FD-1000001"),
        ("+8613500002222", "FD-1000002"),
        ("+8613500003333", ""),
        ("", "FD-1000004"),
    ):
        services.clients.save(
            ClientForm(first_name="丹", last_name="王", phone=phone, card_number=card), user
        )
    services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, user)
    window = make_window(services, user)
    area = window.clients
    window.find_client()
    type_text(area.search_edit, "王丹")
    area.run_search()
    assert area.results.rowCount() == 4
    seconds = set()
    for row in range(4):
        index = area.results.index(row, 0)
        shown = _shown(area.results_view, index)
        assert shown[0] == "王丹"  # the whole row is painted: name and details, nothing cut
        assert len(shown) == 2
        assert "…" not in shown[1]
        seconds.add(shown[1])
        assert shown[1] in area.results.data(index, Qt.ItemDataRole.ToolTipRole)
    assert len(seconds) == 4  # four different second lines: phone, card
    assert any("135 0000 1111 · FD-1000001" in line for line in seconds)
    assert any("no phone · FD-1000004" in line for line in seconds)
    area.search_edit.clear()
    qtbot.keyClicks(area.search_edit, "anna")
    area.run_search()
    details = area.results.data(area.results.index(0, 0)).split("\n")[1]
    assert details == "07700 900123 · FD-0000001 · last visit 23 Nov 2026"


def test_calendar_blocks_never_clip_a_line(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    grid = window.calendar.grid
    fonts = grid.block_fonts()
    blocks = 0
    for block in grid.blocks.values():
        blocks += 1
        real = block.body_rect()
        assert block.shown_lines()  # at its real size something is always shown
        for width, height in ((140, 22), (140, real.height()), (400, 200)):
            block.set_geometry(block.x(), block.y(), width, height, 0)
            shown = block.shown_lines()
            inner = block.text_rect()
            used = sum(line_height(text, fonts[min(n, 1)]) for n, text in enumerate(shown))
            assert used <= inner.height(), (width, height, shown)
            for n, text in enumerate(shown):
                assert QFontMetrics(fonts[min(n, 1)]).horizontalAdvance(text) <= inner.width()
            if "…" in "".join(shown):
                assert block.toolTip().startswith(block.text())  # the rest is in the tooltip
    assert blocks == 2
    assert window.calendar.select_appointment(shop.morning_appt_id)
    block = grid.selected_block()
    assert block is not None
    block.set_geometry(block.x(), block.y(), 600, 200, 0)
    assert block.shown_lines() == block.text().split("\n")


def test_card_number_error_is_shown_whole(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    dialog = ClientFormDialog(immediate_runner(), lambda form: services.clients.save(form, user))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.edits["first_name"], "Zoe")
    qtbot.keyClicks(dialog.edits["card_number"], "bad card number with spaces!!")
    dialog.submit()
    error = dialog.errors["card_number"]
    assert "not a loyalty card number" in error.text()
    assert error.isVisible()
    assert error.height() >= error.heightForWidth(error.width())  # every wrapped line shows
    assert dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width())
