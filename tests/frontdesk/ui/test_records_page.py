"""The back office's shared list-and-form page: search, archived records, errors, empty state."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.services.auth import SignedIn
from frontdesk.ui.backoffice.records_page import RecordRow, RecordsPage
from frontdesk.ui.desk import Desk
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


class _Rooms(RecordsPage):
    """A page over an in-memory list, to see the shared machinery alone."""

    def __init__(self, desk: Desk) -> None:
        self.records: dict[int, tuple[str, bool]] = {}
        super().__init__(desk)

    def texts(self) -> dict[str, str]:
        return {
            "search": "Find a room",
            "new": "New room",
            "empty": "No rooms yet.",
            "none_chosen": "Choose a room.",
            "archived": "This room is archived.",
        }

    def list_work(self) -> Callable[[], Sequence[RecordRow]]:
        rows = [
            RecordRow(i, name, archived=archived) for i, (name, archived) in self.records.items()
        ]
        return lambda: rows

    def build_form(self) -> QWidget:
        form = QWidget()
        form.setLayout(self.fields)
        self.name_edit = self.fields.add_field("name", "Name")
        return form

    def load_work(self, record_id: int) -> Callable[[], object]:
        return lambda: self.records[record_id]

    def show_record(self, record: object | None) -> None:
        self.name_edit.setText(record[0] if isinstance(record, tuple) else "")

    def save_work(self) -> Callable[[], int]:
        name = self.name_edit.text().strip()
        if not name:
            raise FormErrors({"name": ValidationError("name", "Enter a name.")})
        record_id = self.current_id or len(self.records) + 1

        def save() -> int:
            self.records[record_id] = (name, False)
            return record_id

        return save

    def archive_work(self, record_id: int, archived: bool) -> Callable[[], object]:
        def archive() -> None:
            self.records[record_id] = (self.records[record_id][0], archived)

        return archive


def _page(
    qtbot: QtBot, make_services: MakeServices, make_window: MakeWindow, owner: SignedIn
) -> _Rooms:
    window = make_window(make_services(), owner)
    page = _Rooms(window.desk)
    qtbot.addWidget(page)
    page.show()
    return page


def test_an_empty_list_says_what_to_do_and_new_records_appear_selected(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    page = _page(qtbot, make_services, make_window, sign_in(shop.owner_id))
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    assert page.empty_label.isVisible()
    assert page.none_chosen.isVisible()

    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.editing
    assert page.name_edit.hasFocus()
    qtbot.keyClicks(page.name_edit, "Couples suite")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert page.records == {1: ("Couples suite", False)}
    assert page.visible_titles() == ["Couples suite"]
    assert not page.empty_label.isVisible()
    assert page.saved_label.isVisible()
    assert page.list_view.currentIndex().data() == "Couples suite"


def test_a_refused_field_is_named_beside_it_and_nothing_is_saved(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    page = _page(qtbot, make_services, make_window, sign_in(shop.owner_id))
    page.new_record()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.fields.shown_errors() == {"name": "Enter a name."}
    assert page.records == {}


def test_search_and_archived_records(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    page = _page(qtbot, make_services, make_window, sign_in(shop.owner_id))
    page.records.update({1: ("Sauna", False), 2: ("Couples suite", False), 3: ("Room 3", True)})
    page.refresh()
    assert page.visible_titles() == ["Sauna", "Couples suite"]

    search = page.findChild(QLineEdit, "recordSearch")
    qtbot.keyClicks(search, "suite")
    assert page.visible_titles() == ["Couples suite"]
    search.clear()

    page.show_archived_box.setChecked(True)
    assert page.visible_titles() == ["Sauna", "Couples suite", "Room 3"]
    page.select(3)
    assert page.archived_label.isVisible()
    assert page.archive_button.text() == "Restore"
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert page.records[3] == ("Room 3", False)
    assert page.archive_button.text() == "Archive"


def test_a_role_that_may_not_edit_sees_the_records_read_only(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    class ReadOnly(_Rooms):
        def may_edit(self) -> bool:
            return False

    window = make_window(make_services(), sign_in(shop.owner_id))
    page = ReadOnly(window.desk)
    qtbot.addWidget(page)
    page.records[1] = ("Sauna", False)
    page.refresh()
    page.show()
    page.select(1)
    assert page.editing
    assert not page.save_button.isEnabled()
    assert not page.new_button.isEnabled()
    assert not page.form_widget.isEnabled()
