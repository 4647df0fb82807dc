"""The room board (rooms, beds, sauna places at a glance). Placeholder: the status lane
replaces it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.ui.desk import Desk


class RoomBoardView(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
