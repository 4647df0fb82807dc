"""Enter in a search field takes the highlighted match: at once, or (a scanner's Enter comes
before the search answers) when the matches arrive; leaving the field takes nothing, and a
new search forgets an Enter given for the old one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.ui.widgets.search_pick import SearchPick


class Picker(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.search = QLineEdit()
        self.other = QLineEdit()
        self.matches = QListWidget()
        self.taken: list[str] = []
        layout = QVBoxLayout(self)
        for widget in (self.search, self.matches, self.other):
            layout.addWidget(widget)
        self.pick = SearchPick(self.search, self.matches, self.take)

    def take(self) -> bool:
        item = self.matches.currentItem()
        if item is None:
            return False
        self.taken.append(item.text())
        self.pick.taken()
        self.matches.clear()  # as the pickers do: the search is cleared for the next one
        self.search.clear()
        return True

    def answer(self, *names: str) -> None:
        self.matches.clear()
        self.matches.addItems(list(names))
        if names:
            self.matches.setCurrentRow(0)
        self.pick.answered()


def _picker(qtbot: QtBot) -> Picker:
    picker = Picker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    picker.search.setFocus()
    return picker


def test_enter_takes_the_match_now_or_when_it_arrives(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    qtbot.keyClicks(picker.search, "anna")
    picker.answer("Anna Smith", "Anna Page")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.taken == ["Anna Smith"]

    picker.pick.searching()  # a scan: Enter before the search has answered
    qtbot.keyClicks(picker.search, "FD-1")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    picker.matches.clear()
    picker.pick.searching()  # ... and the search asked again forgets it
    picker.answer("Boris Ivanov")
    assert picker.taken == ["Anna Smith"]

    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # asked again: taken when answered
    picker.answer("Boris Ivanov")
    assert picker.taken == ["Anna Smith", "Boris Ivanov"]


def test_leaving_the_field_is_no_choice(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    qtbot.keyClicks(picker.search, "anna")
    picker.answer("Anna Smith")
    picker.other.setFocus()  # editingFinished fires, but the focus left: nothing taken
    qtbot.waitUntil(lambda: not picker.search.hasFocus())
    assert picker.taken == []
