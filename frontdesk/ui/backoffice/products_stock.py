"""A product's stock on hand in its form: the count, a change that says why, and the history.

Stock changes only here (and at the till): a delivery, a count, damage, a return or a
correction, each with a note, each a line of the history below.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QKeyCombination, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.products import MAX_STOCK, STOCK_NOTE, StockReason
from frontdesk.services.products import ProductDetail
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.widgets.field_form import FieldForm

#: Why stock changed, as the form and the history say it (context "Labels").
REASON_LABELS: dict[StockReason, object] = {
    StockReason.DELIVERY: QT_TRANSLATE_NOOP("Labels", "Delivery"),
    StockReason.COUNT: QT_TRANSLATE_NOOP("Labels", "Count"),
    StockReason.DAMAGE: QT_TRANSLATE_NOOP("Labels", "Damage"),
    StockReason.SALE: QT_TRANSLATE_NOOP("Labels", "Sale"),
    StockReason.RETURN: QT_TRANSLATE_NOOP("Labels", "Return"),
    StockReason.CORRECTION: QT_TRANSLATE_NOOP("Labels", "Correction"),
}

#: The reasons offered, in the order a shop meets them.
OFFERED = (
    StockReason.DELIVERY,
    StockReason.COUNT,
    StockReason.DAMAGE,
    StockReason.RETURN,
    StockReason.CORRECTION,
)


def reason_label(reason: StockReason) -> str:
    return QCoreApplication.translate("Labels", str(REASON_LABELS[reason]))


class StockBox(QGroupBox):
    """On hand, the change form, and the movement history of one product."""

    #: Emitted with the product's fresh detail after a change was recorded.
    changed = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.product_id: int | None = None
        self.on_hand = 0
        self.setTitle(self.tr("Stock on hand"))
        self.on_hand_label = QLabel()
        self.on_hand_label.setObjectName("onHand")
        self.on_hand_label.setStyleSheet(style.TITLE)
        self.low_label = QLabel()
        self.low_label.setObjectName("runningLow")
        self.low_label.setStyleSheet(style.ERROR_TEXT)
        self.fields = FieldForm()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.reason_box = QComboBox()
        for reason in OFFERED:
            self.reason_box.addItem(reason_label(reason), reason)
        self.fields.add_widget("reason", self.tr("Why"), self.reason_box)
        self.amount_spin = QSpinBox()
        self.amount_spin.setRange(0, MAX_STOCK)
        self.amount_spin.setAccelerated(True)
        self.fields.add_widget("change", self.tr("How many"), self.amount_spin)
        self.amount_label = self.fields.labelForField(self.amount_spin)
        self.note_edit = self.fields.add_field(STOCK_NOTE, self.tr("Note"))
        self.note_edit.setMaxLength(200)
        self.apply_button = QPushButton(self.tr("Record the change"))
        self.apply_button.setObjectName("recordStock")
        keys = QKeySequence(QKeyCombination(Qt.Modifier.CTRL, Qt.Key.Key_Return))
        self.apply_button.setToolTip(
            self.tr("Change the stock on hand and add a line to the history ({keys})").format(
                keys=keys.toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        QShortcut(keys, self, self.apply, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.message = QLabel()
        self.message.setObjectName("stockMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.history = QTableWidget(0, 6)
        self.history.setObjectName("stockHistory")
        self.history.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Change"),
                self.tr("On hand"),
                self.tr("Why"),
                self.tr("Note"),
                self.tr("By"),
            ]
        )
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.history.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history.setMinimumHeight(160)
        self.no_history = QLabel(self.tr("No stock changes yet."))
        self.no_history.setObjectName("noStockHistory")
        top = QHBoxLayout()
        top.addWidget(self.on_hand_label)
        top.addWidget(self.low_label, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.fields)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(self.tr("History (newest first)")))
        layout.addWidget(self.no_history)
        layout.addWidget(self.history)
        self.reason_box.currentIndexChanged.connect(self._reason_chosen)
        self.apply_button.clicked.connect(self.apply)
        self._reason_chosen()

    @property
    def reason(self) -> StockReason:
        return StockReason(self.reason_box.currentData())

    def choose_reason(self, reason: StockReason) -> None:
        self.reason_box.setCurrentIndex(self.reason_box.findData(reason))

    def _reason_chosen(self) -> None:
        """Say what the number means for this reason; a correction may go either way."""
        reason = self.reason
        texts = {
            StockReason.DELIVERY: self.tr("Items received"),
            StockReason.COUNT: self.tr("Counted on hand"),
            StockReason.DAMAGE: self.tr("Items removed"),
            StockReason.RETURN: self.tr("Items returned"),
            StockReason.CORRECTION: self.tr("Change (minus removes)"),
        }
        if isinstance(self.amount_label, QLabel):
            self.amount_label.setText(texts[reason])
        self.amount_spin.setMinimum(-MAX_STOCK if reason == StockReason.CORRECTION else 0)
        # a count starts from what the program thinks is there: only the difference is typed
        self.amount_spin.setValue(self.on_hand if reason == StockReason.COUNT else 0)

    def show_detail(self, detail: ProductDetail | None) -> None:
        """Show `detail`'s stock and history (None: a product not saved yet)."""
        self.fields.clear_errors()
        if detail is None:
            self.product_id = None
            self.hide()
            return
        changed_product = detail.product.id != self.product_id
        self.product_id = detail.product.id
        product = detail.product
        self.on_hand = product.stock
        self.on_hand_label.setText(self.tr("On hand: %n", "", product.stock))
        self.low_label.setText(
            self.tr("Running low (at %n or fewer)", "", product.low_stock_level)
            if product.running_low
            else ""
        )
        if changed_product:
            self.message.hide()
            self.note_edit.clear()
            self.choose_reason(StockReason.DELIVERY)
            self._reason_chosen()
        formats = self.desk.formats()
        self.history.setRowCount(len(detail.movements))
        for row, move in enumerate(detail.movements):
            cells = (
                formats.date_time(move.at),
                f"{move.change:+d}",
                str(move.stock_after),
                reason_label(move.reason),
                move.note,
                move.by,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.history.setItem(row, column, item)
        self.history.setVisible(bool(detail.movements))
        self.no_history.setVisible(not detail.movements)
        self.show()

    def apply(self) -> None:
        """Record the change now shown in the form."""
        if self.product_id is None or not self.apply_button.isEnabled() or not self.isEnabled():
            return
        self.fields.clear_errors()
        self.message.hide()
        products, user = self.desk.services.products, self.desk.user
        product_id, reason = self.product_id, self.reason
        amount, note = self.amount_spin.value(), self.note_edit.text()
        work: Callable[[], object]
        if reason == StockReason.COUNT:

            def work() -> ProductDetail:
                products.count_stock(product_id, amount, note, user)
                return products.product(product_id, user)
        else:
            change = -amount if reason == StockReason.DAMAGE else amount

            def work() -> ProductDetail:
                products.adjust_stock(product_id, change, reason, note, user)
                return products.product(product_id, user)

        self.apply_button.setEnabled(False)
        self.desk.runner.run(
            work,
            doing=self.tr("changing the stock"),
            on_done=self._done,
            on_known_error=self._refused,
            on_finished=lambda: self.apply_button.setEnabled(True),
        )

    def _done(self, detail: object) -> None:
        assert isinstance(detail, ProductDetail)
        self.note_edit.clear()
        self.show_detail(detail)
        self._reason_chosen()  # the amount back to 0 (a count: to the new number on hand)
        self.message.setStyleSheet(style.SUCCESS_BANNER)
        self.message.setText(self.tr("Recorded. On hand now: %n.", "", detail.product.stock))
        self.message.show()
        self.changed.emit(detail)

    def _refused(self, error: BaseException) -> bool:
        if not isinstance(error, DomainError):
            return False
        formats = self.desk.formats()
        if isinstance(error, FormErrors):
            # a count's "counted" is the same spin box as an adjustment's "change"
            errors = {"change" if k == "counted" else k: v for k, v in error.errors.items()}
            unplaced = self.fields.show_errors(field_texts(FormErrors(errors), formats))
            text = " ".join(unplaced)
        else:
            text = error_text(error, formats)
        if text:
            self.message.setStyleSheet(style.ERROR_TEXT)
            self.message.setText(text)
            self.message.show()
        return True
