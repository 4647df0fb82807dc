"""Products on a sale at checkout: found by typing or scanning, one line each with its quantity.

`ProductLines` holds the basket (`basket()`: product id and quantity per line) and says when it
changed; the checkout area quotes it with the appointment (or alone, for a walk-in) and hands
the quote back (`show_quote`) for the amounts and what is short on the shelf. `WalkInClient`
is the optional client of a product sale without an appointment (the calendar's client picker,
keeping one client).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.checkout import MAX_QUANTITY
from frontdesk.services.checkout import CheckoutQuote, SellableProduct
from frontdesk.ui import style
from frontdesk.ui.calendar.client_picker import ClientPicker
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.scan_target import mark_takes_scans
from frontdesk.ui.widgets.search_pick import SearchPick

ID_ROLE = Qt.ItemDataRole.UserRole
NAME, QUANTITY, PRICE, AMOUNT = range(4)


class ProductLines(QWidget):
    """The products of the sale being taken. `changed` when a line is added, its quantity
    changed or it is taken off."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._asked = 0
        self._names: dict[int, str] = {}

        self.search = QLineEdit()
        self.search.setObjectName("productSearch")
        self.search.setPlaceholderText(self.tr("Add product: type a name, SKU or barcode, or scan"))
        self.search.setToolTip(
            self.tr("Add product (F7): Enter adds the highlighted product; a scan adds it at once")
        )
        self.search.setClearButtonEnabled(True)
        mark_takes_scans(self.search)
        self.matches = QListWidget()
        self.matches.setObjectName("productMatches")
        self.matches.setMaximumHeight(110)
        self.matches.hide()
        self.nothing = QLabel()
        self.nothing.setObjectName("noProductFound")
        self.nothing.setWordWrap(True)
        self.nothing.hide()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("productLines")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Product"), self.tr("Qty"), self.tr("Price"), self.tr("Amount")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the lines; arrows move in them
        self.table.setToolTip(
            self.tr("+ and − change the highlighted line's quantity; Delete takes it off the sale")
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (QUANTITY, PRICE, AMOUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.hide()
        self.remove_button = QPushButton(self.tr("Remove line"))
        self.remove_button.setObjectName("removeProductLine")
        self.remove_button.setToolTip(self.tr("Take the highlighted line off the sale (Delete)"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.hide()
        self.problems = QLabel()
        self.problems.setObjectName("productProblems")
        self.problems.setStyleSheet(style.ERROR_TEXT)
        self.problems.setWordWrap(True)
        self.problems.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.matches)
        layout.addWidget(self.nothing)
        layout.addWidget(self.table)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.problems, 1)
        remove_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(remove_row)

        self.table.installEventFilter(self)
        self.search.textChanged.connect(self._search)
        self.pick = SearchPick(self.search, self.matches, self.take_match)
        self.matches.itemActivated.connect(lambda _item: self.take_match())
        self.remove_button.clicked.connect(self.remove_current)

    # -- the basket ---------------------------------------------------------------------------

    def basket(self) -> tuple[tuple[int, int], ...]:
        """(product_id, quantity) per line, top to bottom."""
        return tuple(
            (int(self._cell(row, NAME).data(ID_ROLE)), self._spin(row).value())
            for row in range(self.table.rowCount())
        )

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None
        return item

    def _spin(self, row: int) -> QSpinBox:
        spin = self.table.cellWidget(row, QUANTITY)
        assert isinstance(spin, QSpinBox)
        return spin

    def _row_of(self, product_id: int) -> int | None:
        for row in range(self.table.rowCount()):
            if int(self._cell(row, NAME).data(ID_ROLE)) == product_id:
                return row
        return None

    def add(self, product: SellableProduct) -> None:
        """One more of `product`: a new line, or one more on its line."""
        row = self._row_of(product.id)
        if row is not None:
            spin = self._spin(row)
            spin.setValue(min(spin.value() + 1, MAX_QUANTITY))
            self.table.selectRow(row)
            return  # the spin box said it changed
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(product.name)
        name.setData(ID_ROLE, product.id)
        self.table.setItem(row, NAME, name)
        spin = QSpinBox()
        spin.setObjectName("productQuantity")
        spin.setRange(1, MAX_QUANTITY)
        spin.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # keys: + and − on the line (Tab passes)
        spin.setAccessibleName(self.tr("Quantity of {product}").format(product=product.name))
        spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.table.setCellWidget(row, QUANTITY, spin)
        formats = self._desk.formats()
        price = QTableWidgetItem(formats.money(product.price))
        price.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, PRICE, price)
        amount = QTableWidgetItem(formats.money(product.price))
        amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, AMOUNT, amount)
        self._names[product.id] = product.name
        self.table.selectRow(row)
        self._show_table()
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        self._show_table()
        self.changed.emit()

    def clear(self) -> None:
        """No products, nothing searched (a new sale starts)."""
        self.table.setRowCount(0)
        self._names.clear()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._asked += 1
        self.matches.clear()
        self.matches.hide()
        self.nothing.hide()
        self.problems.clear()
        self.problems.hide()
        self._show_table()

    def _show_table(self) -> None:
        rows = self.table.rowCount()
        self.table.setVisible(rows > 0)
        self.remove_button.setVisible(rows > 0)
        if rows:
            height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
            height += sum(self.table.rowHeight(row) for row in range(min(rows, 5)))
            self.table.setFixedHeight(height)

    def show_quote(self, quote: CheckoutQuote) -> None:
        """The quoted amounts on the lines, and the lines asking for more than is on hand."""
        formats = self._desk.formats()
        short: list[str] = []
        for line in quote.lines:
            if line.product_id is None:
                continue
            row = self._row_of(line.product_id)
            if row is None:
                continue
            self._cell(row, AMOUNT).setText(formats.money(line.amount))
            if line.unit_price is not None:
                self._cell(row, PRICE).setText(formats.money(line.unit_price))
            self._mark(row, line.short)
            if line.short:
                short.append(
                    self.tr("Only {on_hand} of {product} on hand.").format(
                        on_hand=line.on_hand, product=line.description
                    )
                )
        self.show_problems(short)

    def show_errors(self, errors: dict[str, str]) -> None:
        """A refused sale's messages by field (``product:<id>``): the lines are marked."""
        for field in errors:
            _, _, product = field.partition(":")
            row = self._row_of(int(product)) if product.isdigit() else None
            if row is not None:
                self._mark(row, True)
        self.show_problems(list(errors.values()))

    def show_problems(self, texts: list[str]) -> None:
        self.problems.setText("\n".join(texts))
        self.problems.setVisible(bool(texts))

    def _mark(self, row: int, bad: bool) -> None:
        item = self._cell(row, NAME)
        item.setForeground(Qt.GlobalColor.red if bad else self.palette().text().color())

    # -- finding a product --------------------------------------------------------------------

    def _search(self, text: str) -> None:
        self._asked += 1
        self.pick.searching()
        asked, checkout, user = self._asked, self._desk.services.checkout, self._desk.user
        if not text.strip():
            self._show_matches((), asked)
            return
        self._desk.runner.run(
            lambda: checkout.sellable(user, text),
            doing=self.tr("searching products"),
            on_done=lambda found: self._show_matches(found, asked),
            parent=self,
        )

    def _show_matches(self, found: tuple[SellableProduct, ...], asked: int) -> None:
        if asked != self._asked:
            return  # an older search answered late
        formats = self._desk.formats()
        self.matches.clear()
        for product in found:
            item = QListWidgetItem(
                self.tr("{name} · {price} · {stock}").format(
                    name=product.name,
                    price=formats.money(product.price),
                    stock=self.tr("%n in stock", "", product.stock),
                )
            )
            item.setData(ID_ROLE, product)
            if product.stock <= 0:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.matches.addItem(item)
        self.matches.setVisible(bool(found))
        searched = bool(self.search.text().strip())
        self.nothing.setText(self.tr("No product found: check the name, SKU or barcode."))
        self.nothing.setVisible(searched and not found)
        if found:
            self.matches.setCurrentRow(0)
            self.pick.answered()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete in the lines takes one off; + and - change its quantity."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            if key == Qt.Key.Key_Delete:
                self.remove_current()
                return True
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus) and self.table.currentRow() >= 0:
                spin = self._spin(self.table.currentRow())
                spin.setValue(spin.value() + (1 if key == Qt.Key.Key_Plus else -1))
                return True
        return super().eventFilter(watched, event)

    def take_match(self) -> bool:
        """Add the highlighted match and clear the search for the next one."""
        item = self.matches.currentItem()
        if item is None:
            return False
        product = item.data(ID_ROLE)
        self.pick.taken()
        self.search.clear()  # hides the matches
        self.add(product)
        self.search.setFocus()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the search is handled by editingFinished (not as "Complete sale"); Up and
        Down there move through the matches."""
        key = event.key()
        focus = self.focusWidget()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and focus in (self.search, self.matches):
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and focus is self.search:
            count = self.matches.count()
            if count:
                step = 1 if key == Qt.Key.Key_Down else -1
                self.matches.setCurrentRow((self.matches.currentRow() + step) % count)
            return
        super().keyPressEvent(event)


class WalkInClient(QWidget):
    """Who buys, when anyone: one client found by name, phone or card (or a new walk-in), or
    nobody. `changed` when that changes."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = ClientPicker(desk, self)
        self.picker.setToolTip(self.tr("Optional: the client earns points and is safety-checked"))
        self.picker.chosen.setToolTip(self.tr("Who buys; Delete takes them off"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("Client (optional)"))
        layout.addWidget(caption)
        layout.addWidget(self.picker)
        self.picker.changed.connect(self._picked)

    def _picked(self) -> None:
        while self.picker.chosen.count() > 1:  # one buyer: the newest choice replaces
            self.picker.chosen.takeItem(0)
        self.changed.emit()

    def customer_id(self) -> int | None:
        ids = self.picker.client_ids()
        return ids[-1] if ids else None

    def clear(self) -> None:
        self.picker.chosen.clear()
        self.picker.chosen.hide()
        self.picker.search.clear()
