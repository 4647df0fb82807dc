"""Reprint a receipt by its number: a small dialog with one field, and the one way any screen
queues a copy (File > Reprint receipt…, Checkout's "Reprint last receipt").

A copy is a print job committed with its audit entry; the printer status prints it when the bus
announces the job, so nothing here talks to the printer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.errors import known_message
from printing.receipt import Receipt


def queue_copy(
    desk: Desk,
    number: str,
    *,
    parent: QWidget,
    on_done: Callable[[Receipt], None],
    on_known_error: Callable[[BaseException], bool] | None = None,
    on_finished: Callable[[], None] | None = None,
) -> None:
    """Queue a logged COPY of the stored receipt `number` for this station's printer (never
    the cash drawer), through the desk's runner."""
    receipts, user, station = desk.services.receipts, desk.user, desk.services.printer.station
    desk.runner.run(
        lambda: receipts.queue_reprint(number, user, station),
        doing=QCoreApplication.translate("ReprintDialog", "reprinting the receipt"),
        on_done=on_done,
        on_known_error=on_known_error,
        on_finished=on_finished,
        parent=parent,
    )


def copy_queued_message(number: str) -> str:
    """What to tell the person once a copy is queued."""
    return QCoreApplication.translate(
        "ReprintDialog", "Copy of receipt {number} queued for the printer."
    ).format(number=number)


class ReprintDialog(QDialog):
    """Asks for a receipt number and queues a copy of it; known errors stay in the dialog in
    plain words so the number can be corrected."""

    #: A copy was queued; carries its receipt number.
    queued = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.reprinted: Receipt | None = None
        self.setWindowTitle(self.tr("Reprint receipt"))
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
        self.reprint_button.setText(self.tr("Reprint"))
        form = QFormLayout()
        form.addRow(self.tr("Receipt number"), self.number_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("The copy is marked COPY and never opens the cash drawer."))
        )
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.try_reprint)
        self.buttons.rejected.connect(self.reject)

    def try_reprint(self) -> None:
        number = self.number_edit.text().strip()
        if not number:
            self.error_label.setText(self.tr("Enter the receipt number printed on the receipt."))
            return
        self.error_label.clear()
        self.reprint_button.setEnabled(False)  # one copy per click, however slow the database

        def done(copy: Receipt) -> None:
            self.reprinted = copy
            self.queued.emit(copy.number)
            self.accept()

        def refused(error: BaseException) -> bool:
            self.error_label.setText(known_message(error, self._desk.formats()) or "")
            return True

        queue_copy(
            self._desk,
            number,
            parent=self,
            on_done=done,
            on_known_error=refused,
            on_finished=lambda: self.reprint_button.setEnabled(True),
        )
