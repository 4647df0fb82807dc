"""Checkout: turn an appointment (and products sold beside it) into a sale, or sell products to
a walk-in; pay cash or card, see what became of the receipt.

Every read and the payment itself run through the desk's runner (off the GUI thread, a busy
dialog only when slow); the list follows the change bus, so a visit booked, paid or cancelled
at any terminal shows here without a refresh button. The receipt is printed by the printer
status, which hears the sale's print job on the bus; this screen only says what became of it.
"""

from __future__ import annotations

import itertools

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

from frontdesk.domain.checkout import PaymentMethod, cash_change
from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.money import Money, parse_money
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.checkout import CheckoutQuote, CompletedSale, WaitingVisit
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.checkout.product_lines import ProductLines, WalkInClient
from frontdesk.ui.checkout.sale_result import SaleResult
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.labels import health_kind_label
from frontdesk.ui.widgets.gate_notice import unchecked_notice

ID_ROLE = Qt.ItemDataRole.UserRole
#: Keys of the products part of checkout (F9 completes the sale).
ADD_PRODUCT_KEY = "F7"
SELL_PRODUCTS_KEY = "F8"

#: What the waiting list and the quote show: visits, clients' names, services, therapists.
SHOWN_KINDS = (
    ChangeKind.APPOINTMENTS,
    ChangeKind.SALES,
    ChangeKind.CLIENTS,
    ChangeKind.CATALOGUE,
    ChangeKind.PRODUCTS,
    ChangeKind.STAFF,
    ChangeKind.SHOP,
)


class CheckoutArea(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._checkout = desk.services.checkout
        self._printer = desk.services.printer
        self._runner = desk.runner
        self._user = desk.user
        self._executor = desk.io
        self.quote: CheckoutQuote | None = None
        #: The appointment asked for (picked, or sent from the calendar) before its quote came.
        self._wanted: int | None = None
        #: Selling products without an appointment (the "Sell products" sale is open).
        self._walk_in = False
        #: Counts quotes asked for: an answer to an older one is not shown.
        self._asked = 0
        self._paying = False
        self._init_waiting_list()
        self._init_payment()
        self._init_layout()
        self._connect_signals()
        self.follow = FollowChanges(self, desk.bus, SHOWN_KINDS, self._on_changes)
        self.refresh()

    def _init_waiting_list(self) -> None:
        self.waiting = QListWidget()
        self.waiting.setObjectName("waitingList")
        self.waiting.setAlternatingRowColors(True)
        self.waiting.setSpacing(2)
        self.waiting_hint = QLabel()
        self.waiting_hint.setWordWrap(True)
        self.sell_products_button = QPushButton(
            self.tr("Sell products ({key})").format(key=SELL_PRODUCTS_KEY)
        )
        self.sell_products_button.setObjectName("sellProducts")
        self.sell_products_button.setToolTip(
            self.tr(
                "Sell products without an appointment, to a walk-in or a client ({key})"
            ).format(key=SELL_PRODUCTS_KEY)
        )

    def _init_payment(self) -> None:
        self.client_label = QLabel(self.tr("Pick an appointment to check out."))
        self.client_label.setObjectName("checkoutClient")
        self.client_label.setStyleSheet(style.TITLE)
        self.lines_label = QLabel()
        self.lines_label.setObjectName("checkoutLines")
        self.lines_label.setWordWrap(True)
        self.total_label = QLabel()
        self.total_label.setObjectName("checkoutTotal")
        self.total_label.setStyleSheet("QLabel { font-size: 22px; font-weight: 700; }")
        self.cash_radio = QRadioButton(self.tr("&Cash"))
        self.card_radio = QRadioButton(self.tr("C&ard"))
        self.card_radio.setChecked(True)
        self.method_group = QButtonGroup(self)
        self.method_group.addButton(self.cash_radio)
        self.method_group.addButton(self.card_radio)
        self.received_edit = QLineEdit()
        self.received_edit.setObjectName("receivedEdit")
        self.received_edit.setPlaceholderText(self.tr("Amount received"))
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self.products = ProductLines(self._desk)
        self.products_box = QGroupBox(self.tr("Products"))
        QVBoxLayout(self.products_box).addWidget(self.products)
        self.products_box.hide()
        self.walk_in_client = WalkInClient(self._desk)
        self.walk_in_client.hide()
        self.unchecked_label = unchecked_notice()
        # The safety gate (issue 9): a service matching the client's allergy or
        # contraindication waits for a reason to go ahead before payment.
        self.safety_label = QLabel()
        self.safety_label.setObjectName("safetyAlert")
        self.safety_label.setStyleSheet(style.ALLERGY_BANNER)
        self.safety_label.setWordWrap(True)
        self.safety_reason_edit = QLineEdit()
        self.safety_reason_edit.setObjectName("safetyReason")
        self.safety_reason_edit.setPlaceholderText(
            self.tr("Reason to go ahead (checked with the client)")
        )
        self.safety_reason_edit.setMaxLength(200)
        self.safety_box = QWidget()
        safety_layout = QVBoxLayout(self.safety_box)
        safety_layout.setContentsMargins(0, 0, 0, 0)
        safety_layout.addWidget(self.safety_label)
        safety_layout.addWidget(self.safety_reason_edit)
        self.safety_box.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("checkoutError")
        self.error_label.setStyleSheet(style.ERROR_TEXT)
        self.error_label.setWordWrap(True)
        self.complete_button = QPushButton(self.tr("Complete sale (F9)"))
        self.complete_button.setObjectName("completeSale")
        self.complete_button.setMinimumHeight(40)
        self.complete_button.setEnabled(False)
        # The last sale: its banner, what became of its receipt, the drawer, a reprint.
        self.result = SaleResult(self._desk)
        self.result_label = self.result.result_label
        self.drawer_label = self.result.drawer_label
        self.reprint_button = self.result.reprint_button
        self.drawer_button = self.result.drawer_button

    def _init_layout(self) -> None:
        left = QGroupBox(self.tr("Waiting to pay today"))
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.waiting, 1)
        left_layout.addWidget(self.waiting_hint)
        left_layout.addWidget(self.sell_products_button)
        pay = QGroupBox(self.tr("Payment"))
        form = QFormLayout(pay)
        methods = QHBoxLayout()
        methods.addWidget(self.card_radio)
        methods.addWidget(self.cash_radio)
        methods.addStretch(1)
        form.addRow(self.tr("Method"), methods)
        form.addRow(self.tr("Received"), self.received_edit)
        form.addRow(self.tr("Change"), self.change_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.client_label)
        right_layout.addWidget(self.walk_in_client)
        right_layout.addWidget(self.lines_label)
        right_layout.addWidget(self.products_box)
        right_layout.addWidget(self.total_label)
        right_layout.addWidget(self.unchecked_label)
        right_layout.addWidget(self.safety_box)
        right_layout.addWidget(pay)
        right_layout.addWidget(self.error_label)
        right_layout.addWidget(self.complete_button)
        right_layout.addWidget(self.result)
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
        # Tab goes down the screen as it reads: who buys, the products, the reason, the payment.
        chain = [
            self.waiting,
            self.sell_products_button,
            self.walk_in_client.picker.search,
            self.products.search,
            self.products.table,
            self.products.remove_button,
            self.safety_reason_edit,
            self.card_radio,
            self.cash_radio,
            self.received_edit,
            self.complete_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.waiting.currentItemChanged.connect(self._on_pick)
        self.method_group.buttonToggled.connect(lambda _b, _c: self._update_payment_fields())
        self.received_edit.textChanged.connect(lambda _t: self._update_change())
        self.received_edit.returnPressed.connect(self.complete_sale)
        self.complete_button.clicked.connect(self.complete_sale)
        self.sell_products_button.clicked.connect(self.start_walk_in)
        self.products.changed.connect(self._requote)
        self.walk_in_client.changed.connect(self._requote)
        for key, action in (
            ("F9", self.complete_sale),
            (ADD_PRODUCT_KEY, self.focus_product_search),
            (SELL_PRODUCTS_KEY, self.start_walk_in),
        ):
            QShortcut(
                QKeySequence(key),
                self,
                action,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

    # ----------------------------------------------------------- the waiting list
    def _on_changes(self, changes: Changes | None) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Reload today's unpaid appointments, keeping the current pick when still there."""
        checkout, user = self._checkout, self._user
        if not user.can(Permission.CHECKOUT):
            return  # the tab is closed to them; there is nothing to load
        self._runner.run(
            lambda: checkout.waiting(user),
            doing=self.tr("loading today's appointments"),
            on_done=self._show_waiting,
            parent=self,
        )

    def _show_waiting(self, visits: tuple[WaitingVisit, ...]) -> None:
        formats = self._desk.formats()
        keep = self._wanted
        self.waiting.blockSignals(True)
        self.waiting.clear()
        for visit in visits:
            item = QListWidgetItem(
                f"{formats.time_range(visit.starts_at, visit.ends_at)}  {visit.customer_name}\n"
                f"{visit.service_name} · {formats.money(visit.price)}"
            )
            item.setData(ID_ROLE, visit.appointment_id)
            self.waiting.addItem(item)
        self.waiting.blockSignals(False)
        count = len(visits)
        self.waiting_hint.setText(
            self.tr("Everyone today has paid.")
            if count == 0
            else self.tr("%n waiting. Pick one to take payment.", "", count)
        )
        if self._walk_in:
            self._requote()  # a price or the stock may have changed
        elif keep is not None and self._item_of(keep) is not None:
            self._select_item(keep)
            self._load_quote(keep)  # the price, the name or the therapist may have changed
        elif not self._paying:
            self._clear_quote()

    def _item_of(self, appointment_id: int) -> QListWidgetItem | None:
        for row in range(self.waiting.count()):
            item = self.waiting.item(row)
            if item.data(ID_ROLE) == appointment_id:
                return item
        return None

    def _select_item(self, appointment_id: int) -> None:
        item = self._item_of(appointment_id)
        if item is not None:
            self.waiting.blockSignals(True)
            self.waiting.setCurrentItem(item)
            self.waiting.blockSignals(False)

    def select_appointment(self, appointment_id: int) -> None:
        """Take payment for `appointment_id` (sent from the calendar): its quote is loaded
        whether or not the list has caught up yet."""
        self._select_item(appointment_id)
        self._load_quote(appointment_id)

    def _on_pick(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self._load_quote(int(current.data(ID_ROLE)))

    # ----------------------------------------------------------- the quote
    def _load_quote(self, appointment_id: int) -> None:
        if self._paying:
            return  # the payment being taken decides what shows next
        if appointment_id != self._wanted or self._walk_in or self.quote is None:
            self._clear_banner()  # the next sale starts: the last one's banner is history
        if appointment_id != self._wanted or self._walk_in:
            self._leave_walk_in()
            self.products.clear()  # products belong to the sale they were added to
        self._wanted = appointment_id
        self.products_box.show()
        self._requote()

    def start_walk_in(self) -> None:
        """Sell products without an appointment: a client may be chosen, or nobody."""
        if self._paying or not self._user.can(Permission.CHECKOUT):
            return
        if not self._walk_in:
            self._clear_quote()
            self._clear_banner()
            self._walk_in = True
            self.walk_in_client.show()
            self.products_box.show()
            self._show_empty_walk_in()
        self.focus_product_search()

    def focus_product_search(self) -> None:
        """F7: type or scan a product (once a sale is open)."""
        if self.products_box.isVisible():
            self.products.search.setFocus()
            self.products.search.selectAll()

    def _leave_walk_in(self) -> None:
        self._walk_in = False
        self.walk_in_client.clear()
        self.walk_in_client.hide()

    def _show_empty_walk_in(self) -> None:
        self.quote = None
        self.client_label.setText(self.tr("Sell products"))
        self.lines_label.setText(self.tr("No products yet: add one below (F7), or scan it."))
        self.total_label.clear()
        self.change_label.clear()
        self.unchecked_label.hide()
        self.safety_box.hide()
        self.complete_button.setEnabled(False)

    def _requote(self) -> None:
        """Ask what the open sale comes to now (the appointment and the products, or the
        products alone for a walk-in); an older answer arriving late is dropped."""
        if self._paying:
            return
        checkout, basket = self._checkout, self.products.basket()
        if self._walk_in:
            if not basket:
                self._asked += 1
                self._show_empty_walk_in()
                return
            customer_id = self.walk_in_client.customer_id()

            def work() -> CheckoutQuote:
                return checkout.quote_products(customer_id, basket)

        elif self._wanted is not None:
            appointment_id = self._wanted

            def work() -> CheckoutQuote:
                return checkout.quote(appointment_id, basket)

        else:
            return
        self._asked += 1
        asked = self._asked

        def shown(quote: CheckoutQuote) -> None:
            if asked == self._asked and not self._paying:
                self._show_quote(quote)

        def refused(error: BaseException) -> bool:
            if asked != self._asked or self._paying:
                return True
            text = known_message(error, self._desk.formats()) or ""
            if isinstance(error, FormErrors) and basket:
                # a product's line (archived since it was added): the sale stays open
                self.products.show_errors(field_texts(error, self._desk.formats()))
                self.quote = None
                self.complete_button.setEnabled(False)
            else:
                self._clear_quote()
                self.error_label.setText(text)
            return True

        self._runner.run(
            work,
            doing=self.tr("loading the appointment")
            if not self._walk_in
            else self.tr("pricing the products"),
            on_done=shown,
            on_known_error=refused,
            parent=self,
        )

    def _show_quote(self, quote: CheckoutQuote) -> None:
        formats = self._desk.formats()
        previous = self.quote.appointment_id if self.quote else None
        self.quote = quote
        self.error_label.clear()
        if quote.appointment_id is None:
            self.client_label.setText(
                self.tr("Sell products to {client}").format(client=quote.customer_name)
                if quote.customer_name
                else self.tr("Sell products")
            )
            self.lines_label.clear()
        else:
            self.client_label.setText(quote.customer_name)
            self.lines_label.setText(
                "\n".join(
                    self.tr("{service} — {therapist} · {minutes} min    {amount}").format(
                        service=line.description,
                        therapist=line.therapist,
                        minutes=line.duration_minutes,
                        amount=formats.money(line.amount),
                    )
                    for line in quote.lines
                    if line.product_id is None
                )
            )
        self.products.show_quote(quote)
        self.lines_label.setVisible(bool(self.lines_label.text()))
        self.unchecked_label.setVisible(quote.safety_unchecked)
        if quote.appointment_id != previous:
            self._reset_payment()  # each sale starts afresh; a refresh keeps what is typed
            self.safety_reason_edit.clear()
        self._show_safety(quote)
        self._update_payment_fields()
        self.complete_button.setEnabled(self._user.can(Permission.CHECKOUT))

    def _show_safety(self, quote: CheckoutQuote) -> None:
        """The safety gate's matches in red; the reason field while one is still needed."""
        self.safety_box.setVisible(bool(quote.safety))
        if not quote.safety:
            return
        lines = [
            self.tr("⚠ {item} is tagged “{tag}”: it matches this client's {kind}.").format(
                item=m.item_name, tag=m.tag, kind=health_kind_label(m.entry_kind).lower()
            )
            for m in quote.safety
        ]
        if quote.needs_safety_reason:
            lines.append(self.tr("Check with the client; to go ahead, give a reason."))
        else:
            lines.append(self.tr("A reason to go ahead was given when booking."))
        self.safety_reason_edit.setToolTip(
            self.tr("Recorded once for the whole sale (not the client's health details)")
        )
        self.safety_label.setText("\n".join(lines))
        self.safety_reason_edit.setVisible(quote.needs_safety_reason)

    def _clear_quote(self) -> None:
        self.safety_box.hide()
        self.safety_reason_edit.clear()
        self.unchecked_label.hide()
        self.quote = None
        self._wanted = None
        self._asked += 1  # a quote still on its way is for a sale no longer open
        self._leave_walk_in()
        self.products.clear()
        self.products_box.hide()
        self.lines_label.show()
        self.waiting.blockSignals(True)
        self.waiting.setCurrentRow(-1)
        self.waiting.blockSignals(False)
        self.client_label.setText(self.tr("Pick an appointment to check out."))
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

    def _show_total(self) -> None:
        """The total, and where the shop rounds this way of paying, the rounding and what is
        paid (a line of its own, as on the receipt)."""
        quote = self.quote
        if quote is None:
            return
        formats = self._desk.formats()
        text = self.tr("Total {total}  (incl. tax {tax})").format(
            total=formats.money(quote.total), tax=formats.money(quote.tax)
        )
        rounding = quote.rounding(self._method())
        if rounding.minor:
            text += "\n" + self.tr("Rounding {rounding}  To pay {due}").format(
                rounding=formats.money(rounding), due=formats.money(quote.due(self._method()))
            )
        self.total_label.setText(text)

    def _method(self) -> PaymentMethod:
        return PaymentMethod.CASH if self.cash_radio.isChecked() else PaymentMethod.CARD

    def _update_payment_fields(self) -> None:
        self._show_total()
        cash = self.cash_radio.isChecked()
        self.received_edit.setEnabled(cash)
        if not cash:
            self.received_edit.clear()
        self._update_change()

    def _received(self) -> Money | None:
        """What the client handed over; None means exactly the total. Read the way this
        window writes numbers."""
        assert self.quote is not None
        text = self.received_edit.text().strip()
        if not self.cash_radio.isChecked() or not text:
            return None
        locale = self._desk.formats().locale
        return parse_money(text, self.quote.total.currency, locale, field="tendered")

    def _update_change(self) -> None:
        """Live check of what is typed: a refused amount says why in red, and the red message
        goes as soon as the amount is fixed. The change is the domain's (the sale's own rule)."""
        self.error_label.clear()
        quote = self.quote
        if quote is None:
            self.change_label.clear()
            return
        formats = self._desk.formats()
        try:
            received = self._received()
            due = quote.due(PaymentMethod.CASH)
            change = None if received is None else cash_change(due, received)
        except ValidationError as exc:
            self.change_label.setText("—")
            self.error_label.setText(known_message(exc, self._desk.formats()) or "")
            return
        if received is None:
            self.change_label.setText("—")
        elif change is None:
            self.change_label.setText(self.tr("Not enough yet"))
        else:
            self.change_label.setText(formats.money(change))

    # ----------------------------------------------------------- the payment
    def complete_sale(self) -> None:
        """Take the payment on the database worker. A second F9 (or Enter, or click) while it
        runs does nothing: the button is off and the sale in flight is the only one."""
        quote = self.quote
        if quote is None or self._paying or not self.complete_button.isEnabled():
            return
        method = PaymentMethod.CASH if self.cash_radio.isChecked() else PaymentMethod.CARD
        try:
            received = self._received()
        except ValidationError as exc:
            self.error_label.setText(known_message(exc, self._desk.formats()) or "")
            return
        reason = self.safety_reason_edit.text().strip() if quote.needs_safety_reason else ""
        if quote.needs_safety_reason and not reason:
            self.error_label.setText(
                self.tr(
                    "This sale matches the client's allergy or contraindication: "
                    "give a reason to go ahead."
                )
            )
            self.safety_reason_edit.setFocus()
            return
        self._paying = True
        self.complete_button.setEnabled(False)
        checkout, user = self._checkout, self._user
        tendered = None if received is None else received.minor
        appointment_id, products = quote.appointment_id, quote.products  # as priced and shown

        def work() -> CompletedSale:
            if appointment_id is None:
                return checkout.complete_product_sale(
                    quote.customer_id, products, method, tendered, user, safety_reason=reason
                )
            return checkout.complete_sale(
                appointment_id, method, tendered, user, safety_reason=reason, products=products
            )

        self._runner.run(
            work,
            doing=self.tr("taking the payment"),
            progress=self.tr("Taking the payment…"),
            on_done=self._sale_done,
            on_known_error=self._sale_refused,
            on_finished=self._sale_finished,
            parent=self,
        )

    def _sale_finished(self) -> None:
        self._paying = False
        self.complete_button.setEnabled(
            self.quote is not None and self._user.can(Permission.CHECKOUT)
        )

    def _sale_refused(self, error: BaseException) -> bool:
        formats = self._desk.formats()
        if isinstance(error, FormErrors) and any(f.startswith("product:") for f in error.errors):
            self.products.show_errors(field_texts(error, formats))  # too few on the shelf
            self._requote()  # what is on hand now
        self.error_label.setText(known_message(error, formats) or "")
        return True

    def _sale_done(self, sale: CompletedSale) -> None:
        self._clear_quote()
        self.error_label.clear()
        self.result.show_sale(sale)

    def _clear_banner(self) -> None:
        self.result.clear()

    @property
    def last_sale(self) -> CompletedSale | None:
        return self.result.last_sale

    def reprint_last(self) -> None:
        self.result.reprint_last()

    def open_drawer(self) -> None:
        self.result.open_drawer()
