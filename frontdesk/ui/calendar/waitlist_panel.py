"""The waitlist beside the calendar. Placeholder: the repeat lane replaces it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.ui.desk import Desk


class WaitlistPanel(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
