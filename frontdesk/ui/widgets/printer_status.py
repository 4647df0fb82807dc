"""The printer's state in the status bar: what is true now, receipts waiting, and the receipts
that may not have printed, each one click from printing again.

It follows the change bus: a committed print job (a sale's receipt, a copy asked for anywhere)
is printed at once, off the GUI thread on the desk's device worker; no screen asks it to print.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.receipt_printer import (
    NO_CONFIRMATION,
    RENDER_FAILED,
    PrinterCondition,
    PrinterState,
    PrintRun,
    UnprintedReceipt,
)
from frontdesk.ui.desk import Desk

_log = logging.getLogger(__name__)
POLL_MS = 10_000
_RED, _GREEN, _GREY = "#b3261e", "#1d7a35", "#5f6368"
_COLOURS: dict[PrinterCondition, str] = {
    "off": _GREY,
    "unchecked": _GREY,
    "ready": _GREEN,
    "sent": _GREEN,
    "reachable": _GREEN,
    "offline": _RED,
    "paper_out": _RED,
    "cover_open": _RED,
    "not_responding": _RED,
    "not_owner": _GREY,
}
#: Conditions in which a queued receipt waits instead of printing.
WAITING_CONDITIONS = frozenset(
    {"off", "offline", "paper_out", "cover_open", "not_responding", "not_owner"}
)


def condition_words(condition: PrinterCondition) -> str:
    """The printer's condition as the status bar says it, in the window's language."""
    words = {
        "off": QCoreApplication.translate("PrinterStatus", "Printer: not set up"),
        "unchecked": QCoreApplication.translate("PrinterStatus", "Printer: not checked yet"),
        "ready": QCoreApplication.translate("PrinterStatus", "Printer ready"),
        "sent": QCoreApplication.translate(
            "PrinterStatus", "Printer: receipts sent (it cannot confirm printing)"
        ),
        "reachable": QCoreApplication.translate(
            "PrinterStatus", "Printer: reached (it cannot report paper or errors)"
        ),
        "offline": QCoreApplication.translate("PrinterStatus", "Printer offline"),
        "paper_out": QCoreApplication.translate("PrinterStatus", "Printer out of paper"),
        "cover_open": QCoreApplication.translate("PrinterStatus", "Printer cover open"),
        "not_responding": QCoreApplication.translate("PrinterStatus", "Printer not responding"),
        "not_owner": QCoreApplication.translate(
            "PrinterStatus", "Printing is done by the other FrontDesk on this computer"
        ),
    }
    return words[condition]


def unprinted_label(item: UnprintedReceipt) -> str:
    if item.reason == NO_CONFIRMATION:
        why = QCoreApplication.translate("PrinterStatus", "the printer did not confirm it")
    elif item.reason == RENDER_FAILED:
        why = QCoreApplication.translate("PrinterStatus", "it could not be prepared")
    else:
        why = QCoreApplication.translate("PrinterStatus", "the program stopped while sending it")
    return QCoreApplication.translate(
        "PrinterStatus", "Print {number} — may not have printed ({why})"
    ).format(number=item.receipt_number, why=why)


def _new_jobs(changes: Changes) -> bool:
    """Whether `changes` added print jobs it names (a sale's receipt, a copy); the printer's
    own progress is written as statements that name none."""
    ids = changes.ids_of(ChangeKind.PRINT_JOBS)
    return ids is not None and len(ids) > 0


class PrinterStatus(QWidget):
    """Shows the printer's state; `flush()` prints waiting receipts on the device worker."""

    #: A flush ended; carries the :class:`PrintRun` (on the GUI thread).
    printed = Signal(object)

    def __init__(self, desk: Desk, poll_ms: int = POLL_MS) -> None:
        super().__init__()
        self._printer = desk.services.printer
        self._executor = desk.io
        self._runner = desk.runner
        self._busy = False
        self._again = False
        # Receipts queued by another FrontDesk on this computer, or waiting for a printer that
        # is back: looked for now and then, and printed by whichever process owns the printer.
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self._poll)
        self.poll_timer.start()  # idle while no printer is set up; one may be, without a restart
        self.label = QLabel()
        self.label.setObjectName("printerState")
        self.retry_button = QPushButton(self.tr("Retry printing"))
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
        # Not FollowChanges: receipts print whether or not the status bar is on screen.
        desk.bus.changed.connect(self._on_changes)
        self.show_status(self._printer.status)

    def show_status(self, status: PrinterState) -> None:
        text = condition_words(status.condition)
        if not self._printer.enabled:
            self.label.setText(text)
            self.label.setToolTip(
                self.tr("Set up the receipt printer in Back office → Printer and scanner.")
            )
            self.retry_button.hide()
            self.unprinted_button.hide()
            return
        if status.pending:
            text = self.tr("{state} · %n waiting", "", status.pending).format(state=text)
        self.label.setText(f"● {text}")
        self.label.setStyleSheet(f"QLabel {{ color: {_COLOURS[status.condition]}; }}")
        self.label.setToolTip(status.message)
        self.retry_button.setText(
            self.tr("Retry printing") if status.pending else self.tr("Check printer")
        )
        self.retry_button.setVisible(status.condition != "not_owner")
        self.retry_button.setEnabled(not self._busy)
        count = status.unprinted
        self.unprinted_button.setText(self.tr("%n unprinted", "", count) if count else "")
        self.unprinted_button.setToolTip(self.tr("Receipts that may not have printed"))
        self.unprinted_button.setVisible(count > 0)

    def fill_unprinted_menu(self) -> None:
        """One action per receipt that may not have printed; choosing it prints it."""
        self.unprinted_menu.clear()
        for item in self._printer.unprinted():
            action = self.unprinted_menu.addAction(unprinted_label(item))
            action.triggered.connect(lambda _checked=False, job=item.job_id: self.print_again(job))

    def print_again(self, job_id: int) -> None:
        """Print a receipt that may not have printed (a person decided it did not)."""
        printer = self._printer
        self._runner.run(
            lambda: printer.print_again(job_id),
            doing=self.tr("printing the receipt again"),
            on_done=lambda _queued: self.flush(),
            parent=self.window(),
        )

    def refresh(self) -> None:
        """Show the state as stored now (cheap: reads the job counts)."""
        if not self._busy:
            self.show_status(self._printer.status)

    def _on_changes(self, changes: Changes) -> None:
        if not changes.touches(ChangeKind.PRINT_JOBS):
            return
        if self._printer.enabled and _new_jobs(changes):
            self.flush()  # while a round runs, one more round follows it
        elif not self._busy:
            self.refresh()  # also after the printer settings changed (named no jobs)

    def _poll(self) -> None:
        if self._busy or not self._printer.enabled:
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
        self.label.setText("● " + self.tr("Printing…"))
        self._executor.submit(self._printer.flush, self._done, self._failed)

    def _done(self, run: PrintRun) -> None:
        self._busy = False
        self.show_status(run.status)
        self.printed.emit(run)
        self._maybe_again()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.show_status(self._printer.status)
        self.label.setToolTip(type(error).__name__)
        _log.error("Printing failed", exc_info=error)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.flush()
