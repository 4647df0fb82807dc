"""Reprint a receipt by its number: a small dialog with one field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError
from frontdesk.ui import style
from printing.receipt import Receipt


class ReprintDialog(QDialog):
    """Asks for a receipt number and reprints it with ``reprint``; known errors stay in the
    dialog in plain words so the number can be corrected."""

    def __init__(self, reprint: Callable[[str], Receipt], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reprint = reprint
        self.reprinted: Receipt | None = None
        self.setWindowTitle("Reprint receipt")
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("reprintNumber")
        self.number_edit.setPlaceholderText("R-000123")
        self.number_edit.setMaxLength(40)
        self.error_label = QLabel()
        self.error_label.setObjectName("reprintError")
        self.error_label.setStyleSheet(style.ERROR_TEXT)
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.reprint_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.reprint_button.setText("Reprint")
        form = QFormLayout()
        form.addRow("Receipt number", self.number_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The copy is marked COPY and never opens the cash drawer."))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.try_reprint)
        self.buttons.rejected.connect(self.reject)

    def try_reprint(self) -> None:
        number = self.number_edit.text().strip()
        if not number:
            self.error_label.setText("Enter the receipt number printed on the receipt.")
            return
        try:
            self.reprinted = self._reprint(number)
        except DomainError as exc:
            self.error_label.setText(exc.message)
            return
        except OSError as exc:
            self.error_label.setText(
                f"The copy could not be queued for the printer: {exc.strerror or exc}."
            )
            return
        self.accept()
