"""The back office's Shop page: the shop's details, hours, closed days, receipts, tax and rounding.

One form for the one shop (not a list): it reads the shop's draft, shows every value, and saves
the whole draft at once (Save, Ctrl+S); a refusal puts each message beside its field.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal, get_currency_name
from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.money import parse_rate, percent_label
from frontdesk.domain.opening import (
    ROUNDING_MODES,
    ROUNDING_STEPS,
    Span,
    format_spans,
    hours_field,
    parse_spans,
)
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.shop_setup import (
    MAX_LATE_CANCEL_HOURS,
    SHOP_LOCALES,
    ShopDraft,
    currencies,
    time_zones,
)
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.widgets.field_form import FieldForm

#: Offered first in the currency list; every other ISO currency follows.
COMMON_CURRENCIES = ("GBP", "EUR", "USD", "CNY", "RUB", "HKD", "SGD", "AUD", "CAD", "CHF")
#: The largest logo file the page reads (the service refuses larger with a message).
MAX_LOGO_FILE = 5 * 1024 * 1024 + 1


def _searchable(combo: QComboBox) -> None:
    """Type-to-search: any part of an entry finds it, case ignored."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)


class ShopPage(QWidget):
    """The shop's own settings, saved as one."""

    #: Emitted after a save went through (the guided start waits on it).
    saved = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._setup = desk.services.shop_setup
        self._editable = desk.user.can(Permission.MANAGE_SHOP)
        #: The window's language (weekday, language and currency names are written in it).
        self._language = desk.language or QLocale().name()
        self._draft: ShopDraft | None = None
        #: The draft being saved (its own change coming back is not someone else's).
        self._saving: ShopDraft | None = None
        self._logo: bytes | None = None
        self.fields = FieldForm()
        self._init_form()
        self._init_page()
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._follow = FollowChanges(self, desk.bus, (ChangeKind.SHOP,), self._on_changes)
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _section(self, title: str) -> None:
        label = QLabel(title)
        label.setStyleSheet(style.TITLE)
        self.fields.addRow(label)

    def _init_form(self) -> None:
        f = self.fields
        self._section(self.tr("The shop"))
        self.name_edit = f.add_field("name", self.tr("Name"))
        self.address_edit = QPlainTextEdit()
        self.address_edit.setTabChangesFocus(True)
        self.address_edit.setFixedHeight(64)
        f.add_widget("address", self.tr("Address"), self.address_edit)
        self.phone_edit = f.add_field("phone", self.tr("Phone"))
        self.tax_id_edit = f.add_field("tax_id", self.tr("Tax number"))
        self.currency_box = QComboBox()
        rest = sorted(currencies() - set(COMMON_CURRENCIES))
        for code in (*COMMON_CURRENCIES, *rest):
            name = get_currency_name(code, locale=self._babel_locale())
            self.currency_box.addItem(f"{code} \u2014 {name}", code)
        _searchable(self.currency_box)
        f.add_widget("currency", self.tr("Currency"), self.currency_box)
        self.locale_box = QComboBox()
        for code in SHOP_LOCALES:
            self.locale_box.addItem(self._locale_name(code), code)
        f.add_widget("locale", self.tr("Language"), self.locale_box)
        self.zone_box = QComboBox()
        self.zone_box.addItems(list(time_zones()))
        _searchable(self.zone_box)
        self.zone_box.setToolTip(self.tr("Type part of a city's name to find its time zone."))
        f.add_widget("timezone", self.tr("Time zone"), self.zone_box)

        self._section(self.tr("Opening hours"))
        hint = QLabel(
            self.tr("Like 09:00-13:00, 14:00-18:00. Leave a day empty when the shop is closed.")
        )
        hint.setWordWrap(True)
        f.addRow(hint)
        self.hours_edits: dict[int, QLineEdit] = {}
        days = QLocale(self._language) if self.desk.language else QLocale()
        for weekday in range(7):
            edit = QLineEdit()
            edit.setPlaceholderText(self.tr("Closed"))
            self.hours_edits[weekday] = edit
            name = days.standaloneDayName(weekday + 1)
            f.add_widget(hours_field(weekday), name[:1].upper() + name[1:], edit)

        self._section(self.tr("Closed days"))
        self.closed_list = QListWidget()
        self.closed_list.setObjectName("closedDayList")
        self.closed_list.setMaximumHeight(120)
        self.closed_date = QDateEdit()
        self.closed_date.setObjectName("closedDate")
        self.closed_date.setCalendarPopup(True)
        formats_locale = self.desk.formats().locale
        self.closed_date.setLocale(QLocale(formats_locale))
        self.closed_date.setDisplayFormat(qt_date_format(formats_locale))
        today = self.desk.services.shop.today()
        self.closed_date.setDate(QDate(today.year, today.month, today.day))
        self.closed_note = QLineEdit()
        self.closed_note.setObjectName("closedNote")
        self.closed_note.setPlaceholderText(self.tr("Why, e.g. New Year"))
        self.add_closed_button = QPushButton(self.tr("Add day"))
        self.add_closed_button.setObjectName("addClosedDay")
        self.remove_closed_button = QPushButton(self.tr("Remove day"))
        self.remove_closed_button.setObjectName("removeClosedDay")
        self.remove_closed_button.setToolTip(self.tr("Removes the chosen day (Delete)"))
        adding = QHBoxLayout()
        adding.addWidget(self.closed_date)
        adding.addWidget(self.closed_note, 1)
        adding.addWidget(self.add_closed_button)
        adding.addWidget(self.remove_closed_button)
        closed = QWidget()
        column = QVBoxLayout(closed)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.closed_list)
        column.addLayout(adding)
        f.add_widget("closed_days", self.tr("Days"), closed)
        self.add_closed_button.clicked.connect(self.add_closed_day)
        self.closed_note.returnPressed.connect(self.add_closed_day)
        self.remove_closed_button.clicked.connect(self.remove_closed_day)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.closed_list,
            self.remove_closed_day,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        self._section(self.tr("Receipts"))
        self.header_edit = QPlainTextEdit()
        self.header_edit.setTabChangesFocus(True)
        self.header_edit.setFixedHeight(64)
        f.add_widget("receipt_header", self.tr("Header"), self.header_edit)
        self.footer_edit = QPlainTextEdit()
        self.footer_edit.setTabChangesFocus(True)
        self.footer_edit.setFixedHeight(64)
        f.add_widget("receipt_footer", self.tr("Footer"), self.footer_edit)
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setMinimumHeight(48)
        self.choose_logo_button = QPushButton(self.tr("Choose logo…"))
        self.choose_logo_button.setObjectName("chooseLogo")
        self.remove_logo_button = QPushButton(self.tr("Remove logo"))
        self.remove_logo_button.setObjectName("removeLogo")
        logo = QWidget()
        logo_row = QHBoxLayout(logo)
        logo_row.setContentsMargins(0, 0, 0, 0)
        logo_row.addWidget(self.logo_preview, 1)
        logo_row.addWidget(self.choose_logo_button)
        logo_row.addWidget(self.remove_logo_button)
        f.add_widget("logo", self.tr("Logo"), logo)
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button.clicked.connect(self.remove_logo)

        self._section(self.tr("Tax and rounding"))
        self.tax_edit = f.add_field("default_tax_rate", self.tr("Default tax rate (%)"))
        self.step_box = QComboBox()
        for step in ROUNDING_STEPS:
            self.step_box.addItem(self.tr("No rounding") if step == "0" else self._step(step), step)
        f.add_widget("rounding_step", self.tr("Round totals to"), self.step_box)
        self.mode_box = QComboBox()
        mode_names = {
            "half_up": self.tr("Nearest (halves up)"),
            "half_even": self.tr("Nearest (halves to even)"),
            "down": self.tr("Down"),
            "up": self.tr("Up"),
        }
        for mode in ROUNDING_MODES:
            self.mode_box.addItem(mode_names[mode], mode)
        f.add_widget("rounding_mode", self.tr("Rounding"), self.mode_box)
        self.cash_only_box = QCheckBox(self.tr("Round cash payments only"))
        f.add_widget("rounding_cash_only", "", self.cash_only_box)

        self._section(self.tr("Cancellations"))
        self.late_cancel_spin = QSpinBox()
        self.late_cancel_spin.setObjectName("lateCancelHours")
        self.late_cancel_spin.setRange(0, MAX_LATE_CANCEL_HOURS)
        self.late_cancel_spin.setMaximumWidth(120)  # three digits, not a whole row
        self.late_cancel_spin.setToolTip(
            self.tr(
                "A cancellation this close to the start counts as late on the client's card "
                "(0: none counts as late)."
            )
        )
        f.add_widget(
            "late_cancel_hours", self.tr("Late if cancelled within (hours)"), self.late_cancel_spin
        )

    def _init_page(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("formProblem")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.hide()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedMessage")
        self.saved_label.setStyleSheet(style.SUCCESS_BANNER)
        self.saved_label.hide()
        self.read_only_label = QLabel(self.tr("Only the owner can change the shop's details."))
        self.read_only_label.setObjectName("readOnly")
        self.read_only_label.setStyleSheet(style.NOTICE)
        self.read_only_label.setVisible(not self._editable)
        self.form_widget = QWidget()
        self.form_widget.setLayout(self.fields)
        self.form_widget.setEnabled(self._editable)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveShop")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(QKeySequence(QKeySequence.StandardKey.Save).toString())
        self.save_button.setEnabled(self._editable)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _step(self, step: str) -> str:
        """A rounding step as the window writes numbers ("0,05" in Russian)."""
        pattern = "#,##0.00" if "." in step else "#,##0"
        return str(format_decimal(Decimal(step), pattern, locale=self.desk.formats().locale))

    def _babel_locale(self) -> str:
        return self._language.replace("-", "_") or "en"

    def _locale_name(self, code: str) -> str:
        try:
            return str(Locale.parse(code).get_display_name(self._babel_locale()))
        except (ValueError, TypeError):
            return code

    # -- showing -----------------------------------------------------------------------------

    def reload(self) -> None:
        self.desk.runner.run(
            self._setup.draft,
            doing=self.tr("reading the shop's details"),
            on_done=self.show_draft,
        )

    def _on_changes(self, _changes: Changes | None) -> None:
        """The shop changed (here or at another terminal): show it again, unless something
        is typed here and not saved yet (it is kept, and a note says the shop changed)."""
        if self._edited():
            self.banner.setText(
                self.tr(
                    "The shop's details were changed elsewhere. Saving keeps what is on this page."
                )
            )
            self.banner.show()
            return
        self.reload()

    def _edited(self) -> bool:
        """Whether the form differs from the values last shown."""
        if self._draft is None or not self._editable:
            return False
        try:
            shown = self.read_draft()
        except FormErrors:
            return True
        known = [d for d in (self._draft, self._saving) if d is not None]
        return all(self._comparable(shown) != self._comparable(d) for d in known)

    @staticmethod
    def _comparable(draft: ShopDraft) -> ShopDraft:
        """A draft as the form writes it back (hours ordered, text as typed)."""
        return replace(draft, hours=tuple(sorted(draft.hours)))

    def show_draft(self, draft: ShopDraft) -> None:
        self._draft = draft
        self.name_edit.setText(draft.name)
        self.address_edit.setPlainText(draft.address)
        self.phone_edit.setText(draft.phone)
        self.tax_id_edit.setText(draft.tax_id)
        self._choose(self.currency_box, draft.currency)
        if self.locale_box.findData(draft.locale) < 0:
            self.locale_box.addItem(self._locale_name(draft.locale), draft.locale)
        self._choose(self.locale_box, draft.locale)
        self.zone_box.setCurrentText(draft.timezone)
        for weekday, edit in self.hours_edits.items():
            edit.setText(format_spans(Span(*h) for h in draft.hours if h[0] == weekday))
        self.closed_list.clear()
        for day, note in draft.closed_days:
            self._add_closed_item(day, note)
        self.header_edit.setPlainText(draft.receipt_header)
        self.footer_edit.setPlainText(draft.receipt_footer)
        self._set_logo(draft.logo_png)
        self.tax_edit.setText(percent_label(draft.default_tax_rate_bp).rstrip("%"))
        self._choose(self.step_box, draft.rounding_step)
        self._choose(self.mode_box, draft.rounding_mode)
        self.cash_only_box.setChecked(draft.rounding_cash_only)
        self.late_cancel_spin.setValue(draft.late_cancel_hours)

    @staticmethod
    def _choose(box: QComboBox, value: str) -> None:
        index = box.findData(value)
        if index >= 0:
            box.setCurrentIndex(index)

    # -- closed days -------------------------------------------------------------------------

    def _add_closed_item(self, day: date, note: str) -> None:
        text = self.desk.formats().short_date(day)
        item = QListWidgetItem(f"{text}  {note}".strip())
        item.setData(Qt.ItemDataRole.UserRole, (day, note))
        for row in range(self.closed_list.count()):
            if self.closed_list.item(row).data(Qt.ItemDataRole.UserRole)[0] > day:
                self.closed_list.insertItem(row, item)
                return
        self.closed_list.addItem(item)

    def closed_days(self) -> tuple[tuple[date, str], ...]:
        return tuple(
            self.closed_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.closed_list.count())
        )

    def add_closed_day(self) -> None:
        chosen = self.closed_date.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        if any(existing == day for existing, _note in self.closed_days()):
            self.fields.show_errors({"closed_days": self.tr("That day is already in the list.")})
            return
        self.fields.errors["closed_days"].hide()
        self._add_closed_item(day, " ".join(self.closed_note.text().split()))
        self.closed_note.clear()

    def remove_closed_day(self) -> None:
        row = self.closed_list.currentRow()
        if row >= 0:
            self.closed_list.takeItem(row)

    # -- the logo ----------------------------------------------------------------------------

    def _set_logo(self, logo: bytes | None) -> None:
        self._logo = logo
        self.remove_logo_button.setEnabled(logo is not None)
        if logo is None:
            self.logo_preview.clear()
            self.logo_preview.setText(self.tr("No logo"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(logo)
        self.logo_preview.setPixmap(pixmap)

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a logo"), "", self.tr("Pictures (*.png *.jpg *.jpeg)")
        )
        if path:
            self.load_logo(Path(path))

    def load_logo(self, path: Path) -> None:
        """Read the picture at `path` and make it the logo (shown beside the field when bad)."""
        self.fields.errors["logo"].hide()
        try:
            with path.open("rb") as file:
                data = file.read(MAX_LOGO_FILE)
        except OSError:
            self.fields.show_errors({"logo": self.tr("That file cannot be read.")})
            return
        self.desk.runner.run(
            lambda: self._setup.logo(data),
            doing=self.tr("preparing the logo"),
            on_done=self._set_logo,
            on_known_error=self._refused,
        )

    def remove_logo(self) -> None:
        self._set_logo(None)

    # -- saving ------------------------------------------------------------------------------

    def read_draft(self) -> ShopDraft:
        """The form as a draft; FormErrors for what the form itself can see is wrong."""
        errors: dict[str, DomainError] = {}
        hours: list[tuple[int, int, int]] = []
        for weekday, edit in self.hours_edits.items():
            try:
                spans = parse_spans(edit.text(), weekday)
            except ValidationError as error:
                errors[error.field] = error
                continue
            hours.extend((s.weekday, s.open_minute, s.close_minute) for s in spans)
        tax = 0
        try:
            tax = parse_rate(
                self.tax_edit.text() or "0", self.desk.formats().locale, field="default_tax_rate"
            )
        except ValidationError as error:
            errors["default_tax_rate"] = error
        draft = ShopDraft(
            name=self.name_edit.text(),
            address=self.address_edit.toPlainText(),
            phone=self.phone_edit.text(),
            tax_id=self.tax_id_edit.text(),
            currency=str(self.currency_box.currentData() or ""),
            locale=str(self.locale_box.currentData() or ""),
            timezone=self.zone_box.currentText().strip(),
            receipt_header=self.header_edit.toPlainText(),
            receipt_footer=self.footer_edit.toPlainText(),
            logo_png=self._logo,
            default_tax_rate_bp=tax,
            rounding_step=str(self.step_box.currentData()),
            rounding_mode=str(self.mode_box.currentData()),
            rounding_cash_only=self.cash_only_box.isChecked(),
            late_cancel_hours=self.late_cancel_spin.value(),
            hours=tuple(hours),
            closed_days=self.closed_days(),
        )
        try:
            self._setup.check(draft if not errors else replace(draft, hours=()))
        except FormErrors as refused:
            errors = {**refused.errors, **errors}
        if errors:
            raise FormErrors(errors)
        return draft

    def save(self) -> None:
        if not (self._editable and self.save_button.isEnabled()):
            return
        self.fields.clear_errors()
        self.banner.hide()
        self.saved_label.hide()
        try:
            draft = self.read_draft()
        except FormErrors as error:
            self.show_problem(error)
            return
        self.save_button.setEnabled(False)
        self._saving = draft
        user = self.desk.user

        def finished() -> None:
            self._saving = None
            self.save_button.setEnabled(self._editable)

        self.desk.runner.run(
            lambda: self._setup.save(draft, user),
            doing=self.tr("saving the shop's details"),
            on_done=self._saved,
            on_known_error=self._refused,
            on_finished=finished,
        )

    def _saved(self, _info: object) -> None:
        self._draft = self._saving
        self.reload()  # the values as stored (trimmed, ordered)
        self.saved_label.setText(self.tr("Saved."))
        self.saved_label.show()
        self.saved.emit()

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, DomainError):
            self.show_problem(error)
            return True
        return False

    def show_problem(self, error: DomainError) -> None:
        formats = self.desk.formats()
        if isinstance(error, FormErrors):
            unplaced = self.fields.show_errors(field_texts(error, formats))
        elif isinstance(error, ValidationError):
            unplaced = self.fields.show_errors({error.field: error_text(error, formats)})
        else:
            unplaced = [error_text(error, formats)]
        if unplaced:
            self.banner.setText("\n".join(unplaced))
            self.banner.show()
