"""A dialog that says when it has first been painted: the program starts its heavy part then."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QDialog


class FirstPaintDialog(QDialog):
    """`first_painted` is emitted once, after the dialog's first paint."""

    first_painted = Signal()

    _painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
