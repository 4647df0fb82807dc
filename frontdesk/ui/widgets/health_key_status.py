"""A warning in the status bar while the health data key is missing, wrong or kept in a file
(no keyring on this computer); a click shows the whole message. Hidden when all is well."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QToolButton, QWidget

from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text


class HealthKeyStatus(QToolButton):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("healthKeyWarning")
        self.setAutoRaise(True)
        self.setStyleSheet("QToolButton { color: #b3261e; }")
        self.clicked.connect(self.show_message)
        self.box: QMessageBox | None = None
        self.refresh()

    def message(self) -> str:
        status = self.desk.services.vault.status
        notes = [n for n in (status.problem, status.warning) if n is not None]
        return " ".join(error_text(n, self.desk.formats()) for n in notes)

    def refresh(self) -> None:
        text = self.message()
        problem = self.desk.services.vault.status.problem is not None
        self.setText(
            self.tr("⚠ Health data locked") if problem else self.tr("⚠ Health data key in a file")
        )
        self.setToolTip(text)
        self.setVisible(bool(text))

    def show_message(self) -> None:
        self.box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Health data key"),
            self.message(),
            QMessageBox.StandardButton.Ok,
            self.window(),
        )
        self.box.open()
