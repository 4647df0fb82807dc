"""The printer's state in the status bar, with a Retry button when receipts are waiting."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from frontdesk.services.receipt_printer import ReceiptPrinter
from frontdesk.ui.workers import Executor
from printing.print_queue import QueueStatus


class PrinterStatus(QWidget):
    """Shows ready / offline and how many receipts wait; `flush()` sends them off-thread."""

    def __init__(self, printer: ReceiptPrinter, executor: Executor) -> None:
        super().__init__()
        self._printer = printer
        self._executor = executor
        self._busy = False
        self.label = QLabel()
        self.label.setObjectName("printerState")
        self.retry_button = QPushButton("Retry printing")
        self.retry_button.setObjectName("printerRetry")
        self.retry_button.clicked.connect(self.flush)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.retry_button)
        self.show_status(printer.status)

    def show_status(self, status: QueueStatus) -> None:
        if not self._printer.enabled:
            self.label.setText("Printer: not set up")
            self.label.setToolTip("Set printer_kind in settings.toml to print receipts.")
            self.retry_button.hide()
            return
        waiting = f" · {status.pending} waiting" if status.pending else ""
        if status.state == "offline":
            self.label.setText(f"● Printer offline{waiting}")
            self.label.setStyleSheet("QLabel { color: #b3261e; }")
        else:
            self.label.setText(f"● Printer ready{waiting}")
            self.label.setStyleSheet("QLabel { color: #1d7a35; }")
        self.label.setToolTip(status.message)
        self.retry_button.setVisible(status.pending > 0)
        self.retry_button.setEnabled(not self._busy)

    def flush(self) -> None:
        """Send waiting receipts in a worker; the state updates when it is done."""
        if self._busy or not self._printer.enabled:
            return
        self._busy = True
        self.retry_button.setEnabled(False)
        self.label.setText("● Printing…")
        self._executor.submit(self._printer.flush, self._done, self._failed)

    def _done(self, status: QueueStatus) -> None:
        self._busy = False
        self.show_status(status)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.show_status(self._printer.status)
        self.label.setToolTip(str(error))
