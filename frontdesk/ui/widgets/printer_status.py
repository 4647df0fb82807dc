"""The printer's state in the status bar: what is true now, receipts waiting, and the receipts
that may not have printed, each one click from printing again."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from frontdesk.services.receipt_printer import (
    NO_CONFIRMATION,
    RENDER_FAILED,
    PrinterState,
    PrintRun,
    ReceiptPrinter,
    UnprintedReceipt,
)
from frontdesk.ui.workers import Executor

_log = logging.getLogger(__name__)
POLL_MS = 10_000
_RED, _GREEN, _GREY = "#b3261e", "#1d7a35", "#5f6368"
_WORDS = {
    "off": ("Printer: not set up", _GREY),
    "unchecked": ("Printer: not checked yet", _GREY),
    "ready": ("Printer ready", _GREEN),
    "sent": ("Printer: receipts sent (it cannot confirm printing)", _GREEN),
    "reachable": ("Printer: reached (it cannot report paper or errors)", _GREEN),
    "offline": ("Printer offline", _RED),
    "paper_out": ("Printer out of paper", _RED),
    "cover_open": ("Printer cover open", _RED),
    "not_responding": ("Printer not responding", _RED),
    "not_owner": ("Printing is done by the other FrontDesk on this computer", _GREY),
}
_REASONS = {
    NO_CONFIRMATION: "the printer did not confirm it",
    RENDER_FAILED: "it could not be prepared",
}


def unprinted_label(item: UnprintedReceipt) -> str:
    why = _REASONS.get(item.reason, "the program stopped while sending it")
    return f"Print {item.receipt_number} — may not have printed ({why})"


class PrinterStatus(QWidget):
    """Shows the printer's state; `flush()` prints waiting receipts in a worker."""

    #: A flush ended; carries the :class:`PrintRun` (on the GUI thread).
    printed = Signal(object)

    def __init__(self, printer: ReceiptPrinter, executor: Executor, poll_ms: int = POLL_MS) -> None:
        super().__init__()
        self._printer = printer
        self._executor = executor
        self._busy = False
        self._again = False
        # Receipts queued by another FrontDesk on this computer, or waiting for a printer that
        # is back: looked for now and then, and printed by whichever process owns the printer.
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self._poll)
        if printer.enabled:
            self.poll_timer.start()
        self.label = QLabel()
        self.label.setObjectName("printerState")
        self.retry_button = QPushButton("Retry printing")
        self.retry_button.setObjectName("printerRetry")
        self.retry_button.clicked.connect(self.flush)
        self.unprinted_button = QToolButton()
        self.unprinted_button.setObjectName("unprintedReceipts")
        self.unprinted_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.unprinted_menu = QMenu(self.unprinted_button)
        self.unprinted_menu.aboutToShow.connect(self.fill_unprinted_menu)
        self.unprinted_button.setMenu(self.unprinted_menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.unprinted_button)
        layout.addWidget(self.retry_button)
        self.show_status(printer.status)

    def show_status(self, status: PrinterState) -> None:
        text, colour = _WORDS[status.condition]
        if not self._printer.enabled:
            self.label.setText(text)
            self.label.setToolTip("Set printer_kind in settings.toml to print receipts.")
            self.retry_button.hide()
            self.unprinted_button.hide()
            return
        waiting = f" · {status.pending} waiting" if status.pending else ""
        self.label.setText(f"● {text}{waiting}")
        self.label.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.label.setToolTip(status.message)
        self.retry_button.setText("Retry printing" if status.pending else "Check printer")
        self.retry_button.setVisible(status.condition != "not_owner")
        self.retry_button.setEnabled(not self._busy)
        count = status.unprinted
        self.unprinted_button.setText(f"{count} unprinted" if count else "")
        self.unprinted_button.setToolTip("Receipts that may not have printed")
        self.unprinted_button.setVisible(count > 0)

    def fill_unprinted_menu(self) -> None:
        """One action per receipt that may not have printed; choosing it prints it."""
        self.unprinted_menu.clear()
        for item in self._printer.unprinted():
            action = self.unprinted_menu.addAction(unprinted_label(item))
            action.triggered.connect(lambda _checked=False, job=item.job_id: self.print_again(job))

    def print_again(self, job_id: int) -> None:
        """Print a receipt that may not have printed (a person decided it did not)."""
        self._printer.print_again(job_id)
        self.flush()

    def refresh(self) -> None:
        """Show the state as stored now (cheap: reads the job counts)."""
        if not self._busy:
            self.show_status(self._printer.status)

    def _poll(self) -> None:
        if self._busy:
            return
        status = self._printer.status
        if status.pending:
            self.flush()
        else:
            self.show_status(status)

    def flush(self) -> None:
        """Print waiting receipts in a worker; the state updates when it is done."""
        if not self._printer.enabled:
            return
        if self._busy:
            self._again = True  # a job queued meanwhile is printed by one more round
            return
        self._busy = True
        self.retry_button.setEnabled(False)
        self.label.setText("● Printing…")
        self._executor.submit(self._printer.flush, self._done, self._failed)

    def _done(self, run: PrintRun) -> None:
        self._busy = False
        self.show_status(run.status)
        self.printed.emit(run)
        self._maybe_again()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.show_status(self._printer.status)
        self.label.setToolTip(str(error))
        _log.error("Printing failed", exc_info=error)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.flush()
