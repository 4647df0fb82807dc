"""A client's loyalty points: the balance, the tier, the ledger, and a change by hand.

The card opens it ("Adjust points…"). Roles that may see spend (VIEW_CLIENT_SPEND) see the
balance and the history; others (therapists) only the tier, since points are earned per currency
unit and would tell the spend. Only roles with ADJUST_POINTS see the adjustment (points, a
reason, Apply: Ctrl+Return).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
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
from frontdesk.domain.loyalty import MAX_ADJUSTMENT
from frontdesk.domain.money import Money
from frontdesk.domain.roles import Permission
from frontdesk.services.loyalty import EntryView, LoyaltyHistory
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.widgets.plural import plural_s


class PointsDialog(QDialog):
    """Balance, history and (with ADJUST_POINTS) a manual adjustment with a reason."""

    def __init__(self, desk: Desk, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pointsDialog")
        self.desk = desk
        self.customer_id = customer_id
        self.history: LoyaltyHistory | None = None
        self.setWindowTitle(self.tr("Loyalty points"))
        self.balance_label = QLabel()
        self.balance_label.setObjectName("pointsBalance")
        self.balance_label.setStyleSheet(style.TITLE)
        self.tier_label = QLabel()
        self.tier_label.setObjectName("pointsTier")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Points"), self.tr("Why"), self.tr("By"), self.tr("Receipt")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumSize(560, 220)
        self.empty_label = QLabel(self.tr("No points yet."))
        self.empty_label.hide()

        self.can_adjust = desk.user.can(Permission.ADJUST_POINTS)
        self.fields = FieldForm()
        self.points_spin = QSpinBox()
        self.points_spin.setRange(-MAX_ADJUSTMENT, MAX_ADJUSTMENT)
        self.points_spin.setToolTip(self.tr("Negative to take points off (a redemption)."))
        self.fields.add_widget("points", self.tr("Points to add"), self.points_spin)
        self.reason_edit = self.fields.add_field("reason", self.tr("Reason"))
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(self.tr("e.g. Birthday gift, redeemed for a scrub"))
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setObjectName("applyPoints")
        self.apply_button.setToolTip(self.tr("Apply the change (Ctrl+Return)"))
        self.apply_button.clicked.connect(self.apply)
        self.apply_button.setDefault(self.can_adjust)  # Enter applies, never closes
        QShortcut(QKeySequence("Ctrl+Return"), self, self.apply)
        adjust = QWidget()
        adjust.setObjectName("pointsAdjust")
        adjust_layout = QVBoxLayout(adjust)
        adjust_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("Adjust points"))
        heading.setStyleSheet(style.TITLE)
        adjust_layout.addWidget(heading)
        adjust_layout.addLayout(self.fields)
        adjust_layout.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignRight)
        adjust.setVisible(self.can_adjust)
        self.adjust_box = adjust

        self.problem = QLabel()
        self.problem.setStyleSheet(style.ERROR_TEXT)
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.balance_label)
        layout.addWidget(self.tier_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(adjust)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if self.can_adjust:
            self.points_spin.setFocus()
        self.reload()

    # -- showing -----------------------------------------------------------------------------

    def reload(self) -> None:
        loyalty, user, customer_id = self.desk.services.loyalty, self.desk.user, self.customer_id
        self.desk.runner.run(
            lambda: loyalty.history(customer_id, user),
            doing=self.tr("reading the client's points"),
            on_done=self.show_history,
            on_known_error=self._refused,
            parent=self,
        )

    def _reason(self, entry: EntryView) -> str:
        words = {
            "earned": self.tr("Earned"),
            "redeemed": self.tr("Redeemed"),
            "adjusted": self.tr("Adjusted"),
            "imported": self.tr("Imported"),
            "merged": self.tr("Merged"),
            "reversed": self.tr("Refund"),
        }
        word = words.get(entry.reason, entry.reason)
        return f"{word}: {entry.note}" if entry.note else word

    def show_history(self, history: LoyaltyHistory) -> None:
        self.history = history
        standing = history.standing
        if history.points_hidden:
            self._show_tier_only(history)
            return
        balance = standing.points
        self.balance_label.setText(plural_s(self.tr("%Ln point(s)", "", balance), balance))
        parts = []
        if standing.tier_name:
            parts.append(self.tr("Tier: {tier}").format(tier=standing.tier_name))
        if standing.lifetime_spend_minor is not None:
            spend = Money(standing.lifetime_spend_minor, self.desk.services.shop.info().currency)
            parts.append(
                self.tr("Lifetime spend: {amount}").format(amount=self.desk.formats().money(spend))
            )
        self.tier_label.setText(" · ".join(parts))
        self.tier_label.setVisible(bool(parts))
        formats = self.desk.formats()
        self.table.setRowCount(len(history.entries))
        for row, entry in enumerate(history.entries):
            points = QTableWidgetItem(signed_number(entry.points))
            points.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells = (
                QTableWidgetItem(formats.date_time(entry.at)),
                points,
                QTableWidgetItem(self._reason(entry)),
                QTableWidgetItem(entry.staff_name),
                QTableWidgetItem(entry.receipt_number or ""),
            )
            for column, item in enumerate(cells):
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty_label.setVisible(not history.entries)

    def _show_tier_only(self, history: LoyaltyHistory) -> None:
        tier = history.standing.tier_name
        self.balance_label.setText(
            self.tr("Tier: {tier}").format(tier=tier) if tier else self.tr("No tier yet.")
        )
        self.tier_label.setText(
            self.tr("Points and their history are shown to the front desk and managers.")
        )
        self.tier_label.setWordWrap(True)
        self.tier_label.show()
        self.table.hide()
        self.empty_label.hide()

    # -- adjusting ---------------------------------------------------------------------------

    def apply(self) -> None:
        if not (self.can_adjust and self.apply_button.isEnabled()):
            return
        self.fields.clear_errors()
        self.problem.hide()
        points, reason = self.points_spin.value(), self.reason_edit.text()
        loyalty, user, customer_id = self.desk.services.loyalty, self.desk.user, self.customer_id
        self.apply_button.setEnabled(False)
        self.desk.runner.run(
            lambda: loyalty.adjust(customer_id, points, reason, user),
            doing=self.tr("changing the client's points"),
            on_done=self._applied,
            on_known_error=self._refused,
            on_finished=lambda: self.apply_button.setEnabled(True),
            parent=self,
        )

    def _applied(self, _balance: int) -> None:
        self.points_spin.setValue(0)
        self.reason_edit.clear()
        self.reload()

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, FormErrors):
            rest = self.fields.show_errors(field_texts(error, self.desk.formats()))
            self._say(" ".join(rest))
            return True
        if isinstance(error, DomainError):
            self._say(error_text(error, self.desk.formats()))
            return True
        return False

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def signed_number(value: int) -> str:
    """A change of points with its sign, grouped as the window's language groups numbers
    ("+15,700", "−20", "+15 700")."""
    locale = QLocale()
    sign = locale.positiveSign() if value >= 0 else locale.negativeSign()
    return f"{sign}{locale.toString(abs(value))}"
