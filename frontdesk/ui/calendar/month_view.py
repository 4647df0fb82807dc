"""The month overview: each day with its load. Placeholder: the views lane replaces it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.ui.desk import Desk


class MonthView(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
