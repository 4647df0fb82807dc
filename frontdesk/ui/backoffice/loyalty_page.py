"""The back office's Loyalty page: points per currency unit (0 = off) and the tiers.

One form for the shop's one scheme: points earned per whole currency unit paid, and tiers
(name, from which lifetime spend, points percent). Save (Ctrl+S) stores all of it at once; a
refusal puts each message beside its field, nothing is half-saved.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.loyalty import MAX_PERCENT, MAX_POINTS_PER_UNIT, MAX_TIERS, TierDraft
from frontdesk.domain.money import Money, parse_money
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.loyalty import LoyaltyScheme
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text


class TierRow:
    """The edits of one tier and the error line under them."""

    def __init__(self, page: LoyaltyPage) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.name.setPlaceholderText(QCoreApplication.translate("LoyaltyPage", "e.g. Gold"))
        self.spend = QLineEdit()
        self.spend.setPlaceholderText("0")
        self.percent = QSpinBox()
        self.percent.setRange(0, MAX_PERCENT)
        prefix, suffix = page.desk.formats().percent_affixes()  # "150%", "150 %"
        self.percent.setPrefix(prefix)
        self.percent.setSuffix(suffix)
        self.percent.setValue(100)
        self.remove = QPushButton(QCoreApplication.translate("LoyaltyPage", "Remove"))
        self.remove.setToolTip(QCoreApplication.translate("LoyaltyPage", "Remove this tier"))
        self.error = QLabel()
        self.error.setStyleSheet(style.ERROR_TEXT)
        self.error.setWordWrap(True)
        self.error.hide()

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.spend, self.percent, self.remove, self.error)


class LoyaltyPage(QWidget):
    """The loyalty scheme, saved as one."""

    saved = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._editable = desk.user.can(Permission.MANAGE_CATALOGUE)
        self.rows: list[TierRow] = []

        title = QLabel(self.tr("Loyalty points"))
        title.setStyleSheet(style.TITLE)
        formats = desk.formats()
        currency = desk.services.shop.info().currency
        prefix, suffix = formats.percent_affixes()
        intro = QLabel(
            self.tr(
                "Clients earn points on every whole currency unit they pay. A tier, reached at "
                "a lifetime spend, earns a percent of the usual points ({example} earns half as "
                "much again)."
            ).format(example=f"{prefix}150{suffix}")
        )
        intro.setWordWrap(True)

        self.per_unit = QSpinBox()
        self.per_unit.setObjectName("points_per_unit")
        self.per_unit.setRange(0, MAX_POINTS_PER_UNIT)
        self.per_unit.setSpecialValueText(self.tr("Off"))
        self.per_unit.setToolTip(self.tr("0 switches loyalty points off."))
        self.per_unit_error = QLabel()
        self.per_unit_error.setObjectName("points_per_unit_error")
        self.per_unit_error.setStyleSheet(style.ERROR_TEXT)
        self.per_unit_error.hide()
        per_unit_row = QHBoxLayout()
        per_unit_label = QLabel(
            self.tr("&Points per {unit} paid").format(unit=formats.one_unit(currency))
        )
        per_unit_label.setObjectName("points_per_unit_label")
        per_unit_label.setBuddy(self.per_unit)
        per_unit_row.addWidget(per_unit_label)
        per_unit_row.addWidget(self.per_unit)
        per_unit_row.addStretch(1)

        tiers_title = QLabel(self.tr("Tiers"))
        tiers_title.setStyleSheet(style.TITLE)
        self.grid = QGridLayout()
        self.grid.addWidget(QLabel(self.tr("Name")), 0, 0)
        self.grid.addWidget(QLabel(self.tr("From lifetime spend")), 0, 1)
        self.grid.addWidget(QLabel(self.tr("Points percent")), 0, 2)
        self.empty_label = QLabel(self.tr("No tiers: every client earns the usual points."))
        self.add_button = QPushButton(self.tr("&Add tier"))
        self.add_button.setToolTip(self.tr("Add a tier (Alt+A)"))
        self.add_button.clicked.connect(self.add_tier)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setToolTip(self.tr("Save the loyalty scheme (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.hide()
        self.banner = QLabel()
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.saved_label)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(per_unit_row)
        layout.addWidget(self.per_unit_error)
        layout.addWidget(tiers_title)
        layout.addLayout(self.grid)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for widget in (self.per_unit, self.add_button, self.save_button):
            widget.setEnabled(self._editable)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._follow = FollowChanges(self, desk.bus, (ChangeKind.SHOP,), self._on_changes)
        self.reload()

    # -- rows --------------------------------------------------------------------------------

    def add_tier(self, *, focus: bool = True) -> TierRow | None:
        if len(self.rows) >= MAX_TIERS:
            self.banner.setText(self.tr("At most %n tiers.", "", MAX_TIERS))
            self.banner.show()
            return None
        row = TierRow(self)
        self.rows.append(row)
        row.remove.clicked.connect(lambda: self.remove_tier(row))
        self._lay_out_rows()
        if focus:
            row.name.setFocus()
        return row

    def remove_tier(self, row: TierRow) -> None:
        self.rows.remove(row)
        for widget in row.widgets():
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        for other in self.rows:  # the rows move up: their messages no longer match
            other.error.hide()
        self._lay_out_rows()

    def _lay_out_rows(self) -> None:
        previous: QWidget = self.per_unit
        for i, row in enumerate(self.rows):
            line = 1 + 2 * i
            self.grid.addWidget(row.name, line, 0)
            self.grid.addWidget(row.spend, line, 1)
            self.grid.addWidget(row.percent, line, 2)
            self.grid.addWidget(row.remove, line, 3)
            self.grid.addWidget(row.error, line + 1, 0, 1, 4)
            for widget in (row.name, row.spend, row.percent, row.remove):
                widget.setEnabled(self._editable)
                widget.show()  # added after the page was shown
                QWidget.setTabOrder(previous, widget)
                previous = widget
        QWidget.setTabOrder(previous, self.add_button)
        QWidget.setTabOrder(self.add_button, self.save_button)
        self.empty_label.setVisible(not self.rows)

    # -- showing -----------------------------------------------------------------------------

    def reload(self) -> None:
        loyalty, user = self.desk.services.loyalty, self.desk.user
        self.desk.runner.run(
            lambda: loyalty.tiers(user),
            doing=self.tr("reading the loyalty scheme"),
            on_done=self.show_scheme,
        )

    def _on_changes(self, _changes: Changes | None) -> None:
        if self.save_button.isEnabled() or not self._editable:
            self.reload()

    def show_scheme(self, scheme: LoyaltyScheme) -> None:
        self.per_unit.setValue(scheme.points_per_unit)
        for old in list(self.rows):
            self.remove_tier(old)
        info, formats = self.desk.services.shop.info(), self.desk.formats()
        for tier in scheme.tiers:
            added = self.add_tier(focus=False)
            assert added is not None
            added.name.setText(tier.name)
            # As the shop writes money ("£50,000.00", "50 000,00 ₽"): parse_money reads it back.
            added.spend.setText(formats.money(Money(tier.min_spend_minor, info.currency)))
            added.percent.setValue(tier.points_percent)
        self._lay_out_rows()

    # -- saving ------------------------------------------------------------------------------

    def read_tiers(self) -> list[TierDraft]:
        """The rows as drafts; FormErrors for amounts that cannot be read."""
        currency = self.desk.services.shop.info().currency
        locale = self.desk.formats().locale
        errors: dict[str, DomainError] = {}
        drafts = []
        for i, row in enumerate(self.rows):
            spend = 0
            try:
                text = row.spend.text().strip() or "0"
                spend = parse_money(text, currency, locale, field=f"tier_spend_{i}").minor
            except ValidationError as error:
                errors[error.field] = error
            drafts.append(TierDraft(row.name.text(), spend, row.percent.value()))
        if errors:
            raise FormErrors(errors)
        return drafts

    def clear_errors(self) -> None:
        self.per_unit_error.hide()
        self.banner.hide()
        for row in self.rows:
            row.error.hide()

    def save(self) -> None:
        if not (self._editable and self.save_button.isEnabled()):
            return
        self.clear_errors()
        self.saved_label.hide()
        try:
            drafts = self.read_tiers()
        except FormErrors as error:
            self.show_problem(error)
            return
        self.save_button.setEnabled(False)
        loyalty, user, per_unit = self.desk.services.loyalty, self.desk.user, self.per_unit.value()

        def finished() -> None:
            self.save_button.setEnabled(self._editable)

        self.desk.runner.run(
            lambda: loyalty.save_tiers(per_unit, drafts, user),
            doing=self.tr("saving the loyalty scheme"),
            on_done=self._saved,
            on_known_error=self._refused,
            on_finished=finished,
        )

    def _saved(self, scheme: LoyaltyScheme) -> None:
        self.show_scheme(scheme)
        self.saved_label.setText(self.tr("Saved."))
        self.saved_label.show()
        self.saved.emit()

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, DomainError):
            self.show_problem(error)
            return True
        return False

    def shown_errors(self) -> dict[str, str]:
        """Messages now shown: "points_per_unit", "tier_<i>" (one line per row), "banner"."""
        shown = {
            f"tier_{i}": r.error.text() for i, r in enumerate(self.rows) if r.error.isVisible()
        }
        if self.per_unit_error.isVisible():
            shown["points_per_unit"] = self.per_unit_error.text()
        if self.banner.isVisible():
            shown["banner"] = self.banner.text()
        return shown

    def show_problem(self, error: DomainError) -> None:
        formats = self.desk.formats()
        errors = error.errors if isinstance(error, FormErrors) else {"": error}
        by_row: dict[int, list[str]] = {}
        first: QWidget | None = None
        unplaced: list[str] = []
        for field, problem in errors.items():
            text = error_text(problem, formats)
            if field == "points_per_unit":
                self.per_unit_error.setText(text)
                self.per_unit_error.show()
                first = first or self.per_unit
                continue
            kind, _, index = field.rpartition("_")
            if kind.startswith("tier_") and index.isdigit() and int(index) < len(self.rows):
                row = self.rows[int(index)]
                by_row.setdefault(int(index), []).append(text)
                edit = {"tier_name": row.name, "tier_spend": row.spend}.get(kind, row.percent)
                first = first or edit
                continue
            unplaced.append(text)
        for i, texts in by_row.items():
            self.rows[i].error.setText(" ".join(texts))
            self.rows[i].error.show()
        if unplaced:
            self.banner.setText("\n".join(unplaced))
            self.banner.show()
        if first is not None:
            first.setFocus()
