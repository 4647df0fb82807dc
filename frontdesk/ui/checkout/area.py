"""Checkout: turn an appointment into a sale, pay cash or card, print the receipt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.checkout import PaymentMethod, tender
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.money import format_money, parse_money
from frontdesk.domain.roles import Permission
from frontdesk.services.checkout import CheckoutQuote, CompletedSale
from frontdesk.services.receipt_printer import DrawerResult, PrintRun
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.errors import show_error
from frontdesk.ui.events import APPOINTMENTS, SALES
from frontdesk.ui.widgets.printer_status import PrinterStatus

ID_ROLE = Qt.ItemDataRole.UserRole


class CheckoutArea(QWidget):
    def __init__(self, desk: Desk, printer_status: PrinterStatus) -> None:
        super().__init__()
        self._desk = desk
        self._checkout = desk.services.checkout
        self._calendar = desk.services.calendar
        self._printer = desk.services.printer
        self._printer_status = printer_status
        self._user = desk.user
        self._events = desk.requests
        self._executor = desk.io
        self.quote: CheckoutQuote | None = None
        self.last_sale: CompletedSale | None = None
        self._sale_text = ""  # the banner's sale part; the receipt part follows the printer
        self._init_waiting_list()
        self._init_payment()
        self._init_layout()
        self._connect_signals()
        self.refresh()

    def _init_waiting_list(self) -> None:
        self.waiting = QListWidget()
        self.waiting.setObjectName("waitingList")
        self.waiting.setAlternatingRowColors(True)
        self.waiting.setSpacing(2)
        self.waiting_hint = QLabel()
        self.waiting_hint.setWordWrap(True)

    def _init_payment(self) -> None:
        self.client_label = QLabel("Pick an appointment to check out.")
        self.client_label.setObjectName("checkoutClient")
        self.client_label.setStyleSheet(style.TITLE)
        self.lines_label = QLabel()
        self.lines_label.setObjectName("checkoutLines")
        self.lines_label.setWordWrap(True)
        self.total_label = QLabel()
        self.total_label.setObjectName("checkoutTotal")
        self.total_label.setStyleSheet("QLabel { font-size: 22px; font-weight: 700; }")
        self.cash_radio = QRadioButton("&Cash")
        self.card_radio = QRadioButton("C&ard")
        self.card_radio.setChecked(True)
        self.method_group = QButtonGroup(self)
        self.method_group.addButton(self.cash_radio)
        self.method_group.addButton(self.card_radio)
        self.received_edit = QLineEdit()
        self.received_edit.setObjectName("receivedEdit")
        self.received_edit.setPlaceholderText("Amount received")
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self.error_label = QLabel()
        self.error_label.setObjectName("checkoutError")
        self.error_label.setStyleSheet(style.ERROR_TEXT)
        self.error_label.setWordWrap(True)
        self.complete_button = QPushButton("Complete sale (F9)")
        self.complete_button.setObjectName("completeSale")
        self.complete_button.setMinimumHeight(40)
        self.result_label = QLabel()
        self.result_label.setObjectName("saleResult")
        self.result_label.setStyleSheet(style.SUCCESS_BANNER)
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        self.drawer_label = QLabel()
        self.drawer_label.setObjectName("drawerResult")
        self.drawer_label.setWordWrap(True)
        self.drawer_label.hide()
        self.reprint_button = QPushButton("Reprint last receipt")
        self.reprint_button.setEnabled(False)
        self.drawer_button = QPushButton("Open cash drawer")
        self.drawer_button.setVisible(self._user.can(Permission.OPEN_DRAWER))
        if not self._printer.enabled:
            for button in (self.drawer_button, self.reprint_button):
                button.setEnabled(False)
                button.setToolTip("No receipt printer is set up (printer_kind in settings).")

    def _init_layout(self) -> None:
        left = QGroupBox("Waiting to pay today")
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.waiting, 1)
        left_layout.addWidget(self.waiting_hint)
        pay = QGroupBox("Payment")
        form = QFormLayout(pay)
        methods = QHBoxLayout()
        methods.addWidget(self.card_radio)
        methods.addWidget(self.cash_radio)
        methods.addStretch(1)
        form.addRow("Method", methods)
        form.addRow("Received", self.received_edit)
        form.addRow("Change", self.change_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.client_label)
        right_layout.addWidget(self.lines_label)
        right_layout.addWidget(self.total_label)
        right_layout.addWidget(pay)
        right_layout.addWidget(self.error_label)
        right_layout.addWidget(self.complete_button)
        right_layout.addWidget(self.result_label)
        right_layout.addWidget(self.drawer_label)
        right_layout.addStretch(1)
        extra = QHBoxLayout()
        extra.addWidget(self.reprint_button)
        extra.addWidget(self.drawer_button)
        extra.addStretch(1)
        right_layout.addLayout(extra)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([360, 640])
        QVBoxLayout(self).addWidget(splitter)

    def _connect_signals(self) -> None:
        self.waiting.currentItemChanged.connect(self._on_pick)
        self.method_group.buttonToggled.connect(lambda _b, _c: self._update_payment_fields())
        self.received_edit.textChanged.connect(lambda _t: self._update_change())
        self.received_edit.returnPressed.connect(self.complete_sale)
        self.complete_button.clicked.connect(self.complete_sale)
        self.reprint_button.clicked.connect(self.reprint_last)
        self.drawer_button.clicked.connect(self.open_drawer)
        self._printer_status.printed.connect(self._on_printed)
        self._events.changed.connect(self._on_changed)
        QShortcut(
            QKeySequence("F9"),
            self,
            self.complete_sale,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def _on_changed(self, kind: str) -> None:
        if kind in (APPOINTMENTS, SALES):
            self.refresh()

    def refresh(self) -> None:
        """Reload today's unpaid appointments, keeping the current pick when still there."""
        keep = self.quote.appointment_id if self.quote else None
        try:
            schedule = self._calendar.day(self._desk.services.shop.today(), self._user)
        except DomainError as exc:
            show_error(self, exc, "loading today's appointments")
            return
        self.waiting.blockSignals(True)
        self.waiting.clear()
        formats = self._desk.formats()
        for appt in schedule.appointments:
            if not appt.payable:
                continue
            when = formats.time_range(appt.starts, appt.ends)
            price = formats.money(appt.price)
            item = QListWidgetItem(f"{when}  {appt.customer_name}\n{appt.service_name} · {price}")
            item.setData(ID_ROLE, appt.id)
            self.waiting.addItem(item)
        self.waiting.blockSignals(False)
        count = self.waiting.count()
        self.waiting_hint.setText(
            "Everyone today has paid."
            if count == 0
            else f"{count} waiting. Pick one to take payment."
        )
        if (keep is not None and not self.select_appointment(keep)) or keep is None:
            self._clear_quote()

    def select_appointment(self, appointment_id: int) -> bool:
        for row in range(self.waiting.count()):
            item = self.waiting.item(row)
            if item.data(ID_ROLE) == appointment_id:
                self.waiting.setCurrentItem(item)
                self._load_quote(appointment_id)
                return True
        return False

    def _on_pick(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self._load_quote(int(current.data(ID_ROLE)))

    def _load_quote(self, appointment_id: int) -> None:
        self.error_label.clear()
        previous = self.quote.appointment_id if self.quote else None
        self._clear_banner()  # the next sale starts: the last one's banner is history
        try:
            self.quote = self._checkout.quote(appointment_id)
        except DomainError as exc:
            self._clear_quote()
            self.error_label.setText(exc.message)
            return
        q = self.quote
        self.client_label.setText(q.customer_name)
        self.lines_label.setText(
            "\n".join(f"{line.description} — {line.detail}    {line.amount}" for line in q.lines)
        )
        self.total_label.setText(f"Total {q.total}  (incl. tax {q.tax})")
        if q.appointment_id != previous:
            self._reset_payment()  # each sale starts afresh; a refresh keeps what is typed
        self._update_payment_fields()
        self.complete_button.setEnabled(self._user.can(Permission.CHECKOUT))

    def _clear_quote(self) -> None:
        self.quote = None
        self.client_label.setText("Pick an appointment to check out.")
        self.lines_label.clear()
        self.total_label.clear()
        self.change_label.clear()
        self.complete_button.setEnabled(False)
        self._reset_payment()

    def _reset_payment(self) -> None:
        """Card, nothing typed: no sale inherits the last one's method or amount (an empty cash
        field would otherwise record exact cash)."""
        self.card_radio.setChecked(True)
        self.received_edit.clear()

    def _update_payment_fields(self) -> None:
        cash = self.cash_radio.isChecked()
        self.received_edit.setEnabled(cash)
        if not cash:
            self.received_edit.clear()
        self._update_change()

    def _received_minor(self) -> int | None:
        """What the client handed over; None means exactly the total."""
        assert self.quote is not None
        text = self.received_edit.text().strip()
        if not self.cash_radio.isChecked() or not text:
            return None
        return parse_money(text, self.quote.currency, self.quote.locale, field="tendered").minor

    def _update_change(self) -> None:
        """Live check of what is typed: a refused amount says why in red, and the red message
        goes as soon as the amount is fixed."""
        self.error_label.clear()
        q = self.quote
        if q is None:
            self.change_label.clear()
            return
        try:
            received = self._received_minor()
            if received is not None and received >= q.total_minor:
                tender(
                    PaymentMethod.CASH,
                    q.total_minor,
                    received,
                    currency=q.currency,
                    locale=q.locale,
                )
        except ValidationError as exc:
            self.change_label.setText("—")
            self.error_label.setText(exc.message)
            return
        if received is None:
            self.change_label.setText("—")
        elif received < q.total_minor:
            self.change_label.setText("Not enough yet")
        else:
            self.change_label.setText(format_money(received - q.total_minor, q.currency, q.locale))

    def complete_sale(self) -> None:
        if self.quote is None or not self.complete_button.isEnabled():
            return
        method = PaymentMethod.CASH if self.cash_radio.isChecked() else PaymentMethod.CARD
        try:
            received = self._received_minor()
            sale = self._checkout.complete_sale(
                self.quote.appointment_id, method, received, self._user
            )
        except DomainError as exc:
            self.error_label.setText(exc.message)
            return
        except Exception as exc:
            show_error(self, exc, "completing the sale")
            return
        self.last_sale = sale
        self.error_label.clear()
        self.reprint_button.setEnabled(self._printer.enabled)
        change = f" Change due: {sale.change}." if sale.change_minor else ""
        self._sale_text = f"Sale {sale.receipt_number} complete: {sale.total}.{change}"
        if sale.print_job_id is None:
            self._show_banner("No receipt printer is set up.")
        else:
            self._show_banner("Receipt queued.")
        self.quote = None
        self._events.changed.emit(SALES)
        if method is PaymentMethod.CASH:
            self._kick_drawer()
        self._print()

    # ----------------------------------------------------------- banner
    def _show_banner(self, receipt_text: str) -> None:
        self.result_label.setText(f"{self._sale_text} {receipt_text}")
        self.result_label.show()

    def _clear_banner(self) -> None:
        self._sale_text = ""
        self.result_label.clear()
        self.result_label.hide()
        self.drawer_label.clear()
        self.drawer_label.hide()

    def _on_printed(self, run: PrintRun) -> None:
        """Say what became of the last sale's receipt, once the printer has been tried."""
        sale = self.last_sale
        if sale is None or sale.print_job_id is None or not self._sale_text:
            return
        outcome = run.outcomes.get(sale.print_job_id) or self._printer.job_state(sale.print_job_id)
        if outcome == "printed":
            text = "Receipt printed."
        elif outcome == "sent":
            text = "Receipt sent to the printer (it cannot confirm printing)."
        elif outcome == "failed":
            text = "The receipt may not have printed: see unprinted receipts in the status bar."
        else:
            text = f"Receipt waiting: {run.status.message}."
        self._show_banner(text)

    # ----------------------------------------------------------- printer
    def _print(self) -> None:
        """The sale and its print job are committed; print off the GUI thread."""
        if not self._printer.enabled:
            return
        if self._sale_text:
            self._show_banner("Printing receipt…")
        self._printer_status.flush()

    def reprint_last(self) -> None:
        """A logged COPY, like File > Reprint receipt… (the window does the reprinting)."""
        if self.last_sale is None or not self._printer.enabled:
            return
        self._events.reprint_requested.emit(self.last_sale.receipt_number)

    def open_drawer(self) -> None:
        if self._user.can(Permission.OPEN_DRAWER) and self._printer.enabled:
            self._kick_drawer()

    def _kick_drawer(self) -> None:
        """Open the drawer now, off the GUI thread, or say why not; never later."""
        if not self._printer.enabled:
            return
        self.drawer_label.setText("Opening the drawer…")
        self.drawer_label.setStyleSheet("")
        self.drawer_label.show()
        self._executor.submit(self._printer.open_drawer, self._drawer_done, self._drawer_failed)

    def _drawer_done(self, result: DrawerResult) -> None:
        if result.opened:
            self.drawer_label.setText("Drawer opened.")
            self.drawer_label.setStyleSheet("")
        else:
            self.drawer_label.setText(f"The drawer did not open: {result.reason}.")
            self.drawer_label.setStyleSheet(style.ERROR_TEXT)
        self.drawer_label.show()

    def _drawer_failed(self, error: BaseException) -> None:
        self._drawer_done(DrawerResult(False, str(error) or type(error).__name__))
