"""A search field whose Enter takes the highlighted match: the calendar's client picker and
checkout's product search share it.

A barcode scanner types fast and ends with Enter, often before the search has answered:
then the match is taken as soon as the matches arrive. The field's editingFinished when the
focus merely leaves it (Tab, a click elsewhere) is no choice and takes nothing. A new search
forgets an Enter given for the old one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLineEdit, QListWidget


class SearchPick(QObject):
    def __init__(self, search: QLineEdit, matches: QListWidget, take: Callable[[], bool]) -> None:
        super().__init__(search)
        self._search = search
        self._matches = matches
        self._take = take
        self._leaving = False
        self._take_when_found = False
        search.installEventFilter(self)
        search.editingFinished.connect(self._finished)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._search:
            if event.type() == QEvent.Type.FocusOut:
                self._leaving = True
            elif event.type() == QEvent.Type.FocusIn:
                self._leaving = False
        return False

    def _finished(self) -> None:
        if self._leaving or not self._search.text().strip():
            return  # the focus left the field: typing is not choosing
        if self._matches.count():
            self._take()
        else:
            self._take_when_found = True

    def searching(self) -> None:
        """A new search was asked for: an Enter given before it no longer counts."""
        self._take_when_found = False

    def answered(self) -> None:
        """The matches are shown (the first highlighted): take it if Enter came first."""
        if self._matches.count() and self._take_when_found:
            self._take()

    def taken(self) -> None:
        self._take_when_found = False
