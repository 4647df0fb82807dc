"""The last sale at checkout: its banner, what became of its receipt, the drawer, a reprint.

The receipt is printed by the printer status, which hears the sale's print job on the bus; this
part only says what became of it, following the print jobs' changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind
from frontdesk.services.checkout import CompletedSale
from frontdesk.services.receipt_printer import DrawerResult, PrinterState
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.printer_status import WAITING_CONDITIONS, condition_words
from frontdesk.ui.widgets.reprint_dialog import copy_queued_message, queue_copy
from printing.receipt import Receipt


class SaleResult(QWidget):
    """The banner of the last sale and its receipt; the reprint and drawer buttons are placed
    by the checkout area."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._printer = desk.services.printer
        self._runner = desk.runner
        self._user = desk.user
        self._executor = desk.io
        self.last_sale: CompletedSale | None = None
        self._sale_text = ""  # the banner's sale part; the receipt part follows the printer
        self.result_label = QLabel()
        self.result_label.setObjectName("saleResult")
        self.result_label.setStyleSheet(style.SUCCESS_BANNER)
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        self.drawer_label = QLabel()
        self.drawer_label.setObjectName("drawerResult")
        self.drawer_label.setWordWrap(True)
        self.drawer_label.hide()
        self.reprint_label = QLabel()
        self.reprint_label.setObjectName("reprintResult")
        self.reprint_label.setWordWrap(True)
        self.reprint_label.hide()
        self.reprint_button = QPushButton(self.tr("Reprint last receipt"))
        self.reprint_button.setEnabled(False)
        self.drawer_button = QPushButton(self.tr("Open cash drawer"))
        self.drawer_button.setVisible(self._user.can(Permission.OPEN_DRAWER))
        if not self._printer.enabled:
            for button in (self.drawer_button, self.reprint_button):
                button.setEnabled(False)
                button.setToolTip(
                    self.tr("No receipt printer is set up (printer_kind in settings).")
                )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_label)
        layout.addWidget(self.drawer_label)
        layout.addWidget(self.reprint_label)
        self.reprint_button.clicked.connect(self.reprint_last)
        self.drawer_button.clicked.connect(self.open_drawer)
        self.follow_receipt = FollowChanges(
            self, desk.bus, (ChangeKind.PRINT_JOBS,), lambda _c: self._follow_receipt()
        )

    def show_sale(self, sale: CompletedSale) -> None:
        """A sale was taken: say so, follow its receipt, open the drawer for cash."""
        formats = self._desk.formats()
        self.last_sale = sale
        self.reprint_label.hide()
        self.reprint_button.setEnabled(
            self._printer.enabled and self._user.can(Permission.REPRINT_RECEIPTS)
        )
        text = self.tr("Sale {number} complete: {total}.").format(
            number=sale.receipt_number, total=formats.money(sale.total)
        )
        if sale.change.minor:
            text += " " + self.tr("Change due: {change}.").format(change=formats.money(sale.change))
        self._sale_text = text
        if sale.print_job_id is None:
            self._show_banner(self.tr("No receipt printer is set up."))
        else:
            self._show_banner(self.tr("Printing receipt…"))
            self._follow_receipt()
        if sale.method is PaymentMethod.CASH:
            self._kick_drawer()

    # ----------------------------------------------------------- banner
    def _show_banner(self, receipt_text: str) -> None:
        self.result_label.setText(f"{self._sale_text} {receipt_text}")
        self.result_label.show()

    def clear(self) -> None:
        """The next sale starts: the last one's banner is history."""
        self._sale_text = ""
        self.result_label.clear()
        self.result_label.setToolTip("")
        self.result_label.hide()
        self.drawer_label.clear()
        self.drawer_label.hide()
        self.reprint_label.clear()
        self.reprint_label.hide()

    def _follow_receipt(self) -> None:
        """Say what became of the last sale's receipt, as its print job stands now."""
        sale = self.last_sale
        if sale is None or sale.print_job_id is None or not self._sale_text:
            return
        printer, job_id = self._printer, sale.print_job_id

        def read() -> tuple[str | None, PrinterState]:
            return printer.job_state(job_id), printer.status

        def shown(found: tuple[str | None, PrinterState]) -> None:
            if self.last_sale is sale and self._sale_text:
                self._show_receipt_state(*found)

        self._runner.run(read, doing=self.tr("reading the printer's state"), on_done=shown)

    def _show_receipt_state(self, state: str | None, printer: PrinterState) -> None:
        """`state` is the print job's (queued, sending, printed, sent, failed)."""
        self.result_label.setToolTip("")
        if state == "printed":
            text = self.tr("Receipt printed.")
        elif state == "sent":
            text = self.tr("Receipt sent to the printer (it cannot confirm printing).")
        elif state == "failed":
            text = self.tr(
                "The receipt may not have printed: see unprinted receipts in the status bar."
            )
        elif printer.condition in WAITING_CONDITIONS:
            text = self.tr("Receipt waiting: {why}.").format(why=condition_words(printer.condition))
            self.result_label.setToolTip(printer.message)
        else:
            text = self.tr("Printing receipt…")
        self._show_banner(text)

    # ----------------------------------------------------------- printer and drawer
    def reprint_last(self) -> None:
        """A logged COPY of the last sale's receipt, like File > Reprint receipt…"""
        sale = self.last_sale
        if sale is None or not self._printer.enabled:
            return

        def queued(copy: Receipt) -> None:
            self.reprint_label.setText(copy_queued_message(copy.number))
            self.reprint_label.show()

        queue_copy(self._desk, sale.receipt_number, parent=self, on_done=queued)

    def open_drawer(self) -> None:
        if self._user.can(Permission.OPEN_DRAWER) and self._printer.enabled:
            self._kick_drawer()

    def _kick_drawer(self) -> None:
        """Open the drawer now, on the device worker (not the database's), or say why not;
        never later."""
        if not self._printer.enabled:
            return
        self.drawer_label.setText(self.tr("Opening the drawer…"))
        self.drawer_label.setStyleSheet("")
        self.drawer_label.show()
        self._executor.submit(self._printer.open_drawer, self._drawer_done, self._drawer_failed)

    def _drawer_done(self, result: DrawerResult) -> None:
        if result.opened:
            self.drawer_label.setText(self.tr("Drawer opened."))
            self.drawer_label.setStyleSheet("")
        else:
            self.drawer_label.setText(
                self.tr("The drawer did not open: {reason}.").format(reason=result.reason)
            )
            self.drawer_label.setStyleSheet(style.ERROR_TEXT)
        self.drawer_label.show()

    def _drawer_failed(self, error: BaseException) -> None:
        self._drawer_done(DrawerResult(False, type(error).__name__))
