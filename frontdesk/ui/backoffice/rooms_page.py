"""Placeholder: the back office's rooms page is being built on its own branch."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from frontdesk.ui.desk import Desk


class RoomsPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        QVBoxLayout(self).addWidget(QLabel())
