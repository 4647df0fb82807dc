"""The card's Health tab: allergies and contraindications, patch tests, and (for roles that may
record health data) forms to add and remove them in place.

The substance is an editable list of the maintained allergens (domain/health.py ALLERGENS) in
the window's language: typing filters it, anything else is kept as free text. A bad field shows
its message beside it; without the client's consent to keep health data the form says so and
offers to record the consent with the entry. What was typed survives a refresh of the same
client's card and is dropped when another client's card is shown.

The section holds no services: it asks (signals) and frontdesk/ui/clients/health_actions.py
runs the work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.formats import Formats
from frontdesk.domain.health import ALLERGENS, KINDS, SEVERITIES, fold
from frontdesk.services.client_health import HealthEntry, HealthRecord, PatchTestView
from frontdesk.services.clients import ClientCard
from frontdesk.ui import style
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.labels import allergen_label, health_kind_label
from frontdesk.ui.widgets.field_form import FieldForm

ENTRY_FIELDS = ("kind", "substance", "severity", "notes")
PATCH_FIELDS = ("tested_on", "product", "result")


@dataclass(frozen=True)
class EntryRequest:
    """An allergy or contraindication as typed: `substance` is a listed allergen's code or
    free text."""

    customer_id: int
    kind: str
    substance: str
    severity: str
    notes: str


@dataclass(frozen=True)
class PatchTestRequest:
    customer_id: int
    tested_on: date | None
    product: str
    result: str


def entry_what(entry: HealthEntry) -> str:
    """A listed allergen by its name in the window's language; free text as typed."""
    return allergen_label(entry.code) if entry.code else entry.substance


def _table(columns: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Rows of (id, texts); the id rides on the first cell."""
    table.setRowCount(len(rows))
    for row, (row_id, texts) in enumerate(rows):
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, row_id)
            table.setItem(row, column, item)
    table.resizeRowsToContents()


def _empty_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("QLabel { color: #666; padding: 6px; }")
    label.setWordWrap(True)
    return label


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("QLabel { font-weight: 600; }")
    label.setWordWrap(True)
    return label


def _row_id(item: QTableWidgetItem) -> int | None:
    value = item.data(Qt.ItemDataRole.UserRole)
    return int(value) if value is not None else None


def _selected_id(table: QTableWidget) -> int | None:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return int(value) if value is not None else None


class ConsentOffer(QFrame):
    """Shown when health data is refused for want of the client's consent: it says so plainly
    and offers to record the consent together with what was typed."""

    accepted = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"QFrame#{name} {{ background: #fff4e5; border: 1px solid #b26a00;"
            " border-radius: 4px; }"
            " QLabel { background: transparent; }"
        )
        self.message = QLabel()
        self.message.setObjectName("consentMessage")
        self.message.setWordWrap(True)
        self.agree_button = QPushButton(self.tr("Cl&ient agrees: record consent and add"))
        self.agree_button.setObjectName("consentAndAdd")
        self.agree_button.setToolTip(
            self.tr("Only if the client has just agreed that we keep their health data")
        )
        self.not_now_button = QPushButton(self.tr("Not now"))
        self.not_now_button.setObjectName("consentNotNow")
        self.not_now_button.setToolTip(self.tr("Keep what was typed and add nothing (Esc)"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.agree_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.agree_button.clicked.connect(self.accepted)
        self.not_now_button.clicked.connect(self.hide)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.hide,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.hide()

    def offer(self, client: str) -> None:
        self.message.setText(
            self.tr(
                "{client} has not agreed that we keep health data. Ask the client first: "
                "nothing is recorded without their consent."
            ).format(client=client)
        )
        self.show()
        self.agree_button.setFocus()


class HealthSection(QWidget):
    """Allergies and contraindications (ClientHealthService) and patch tests with their dates;
    with `can_edit`, forms to add and remove them."""

    entry_add_requested = Signal(object)  # EntryRequest
    entry_remove_requested = Signal(int, str)  # entry id, kind
    patch_test_add_requested = Signal(object)  # PatchTestRequest
    patch_test_remove_requested = Signal(int)
    #: The client agreed: record the consent, then add the request (EntryRequest or
    #: PatchTestRequest).
    consent_and_add_requested = Signal(object)

    def __init__(self, *, can_edit: bool = False) -> None:
        super().__init__()
        self.can_edit = can_edit
        self.card: ClientCard | None = None
        self._locale = QLocale().name()
        self.hidden_label = _empty_label("healthHidden")
        self.hidden_label.setText(self.tr("Health information is not shown to your role."))
        self.entries_title = _title(self.tr("Allergies and contraindications"))
        self.entries_empty = _empty_label("noAllergies")
        self.entries_empty.setText(self.tr("No allergies recorded"))
        self.entries = _table(
            [
                self.tr("Kind"),
                self.tr("What"),
                self.tr("Severity"),
                self.tr("Notes"),
                self.tr("Recorded"),
            ],
            "healthEntries",
        )
        self.remove_entry_button = QPushButton(self.tr("&Remove (Del)"))
        self.remove_entry_button.setObjectName("removeHealthEntry")
        self.remove_entry_button.setToolTip(
            self.tr("Remove the chosen allergy or contraindication (Delete)")
        )
        self.tests_title = _title(self.tr("Patch tests"))
        self.tests_empty = _empty_label("noPatchTests")
        self.tests_empty.setText(self.tr("No patch tests recorded"))
        self.tests = _table(
            [self.tr("Tested on"), self.tr("Product"), self.tr("Result"), self.tr("Recorded")],
            "patchTests",
        )
        self.remove_test_button = QPushButton(self.tr("Re&move patch test (Del)"))
        self.remove_test_button.setObjectName("removePatchTest")
        self.remove_test_button.setToolTip(self.tr("Remove the chosen patch test (Delete)"))
        self._init_entry_form()
        self._init_patch_form()
        self._init_layout()
        self._connect_signals()
        self._set_editing(False)

    # -- building ----------------------------------------------------------------------------

    def _init_entry_form(self) -> None:
        self.entry_box = QFrame()
        self.entry_box.setObjectName("addHealthEntry")
        self.entry_title = _title(self.tr("Add allergy or contraindication (Ctrl+Shift+H)"))
        self.entry_fields = FieldForm()
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(health_kind_label(kind), kind)
        self.substance = QComboBox()
        self.substance.setEditable(True)
        self.substance.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.substance.setMaxVisibleItems(15)
        substance_edit = self.substance.lineEdit()
        assert substance_edit is not None  # an editable combo has one
        self.substance_edit = substance_edit
        substance_edit.setPlaceholderText(self.tr("Choose from the list or type"))
        completer = QCompleter(self.substance.model(), self.substance)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.substance.setCompleter(completer)
        self._fill_allergens()
        self.severity = QComboBox()
        self.severity.addItem(self.tr("— choose —"), "")
        severity_words = {
            "mild": self.tr("Mild"),
            "moderate": self.tr("Moderate"),
            "severe": self.tr("Severe"),
        }
        for code in SEVERITIES:
            self.severity.addItem(severity_words[code], code)
        self.entry_notes = QLineEdit()
        self.entry_notes.setPlaceholderText(self.tr("e.g. what to use instead"))
        self.entry_fields.add_widget("kind", self.tr("&Kind"), self.kind)
        self.entry_fields.add_widget("substance", self.tr("&What"), self.substance)
        self.entry_fields.add_widget("severity", self.tr("Se&verity"), self.severity)
        self.entry_fields.add_widget("notes", self.tr("N&otes"), self.entry_notes)
        self._buddies(self.entry_fields)
        self.add_entry_button = QPushButton(self.tr("&Add"))
        self.add_entry_button.setObjectName("addHealthEntryButton")
        self.add_entry_button.setToolTip(self.tr("Add to the client's card (Enter)"))
        self.entry_message = QLabel()
        self.entry_message.setObjectName("healthEntryMessage")
        self.entry_message.setStyleSheet(style.ERROR_TEXT)
        self.entry_message.setWordWrap(True)
        self.entry_message.hide()
        self.entry_consent = ConsentOffer("entryConsentOffer")
        row = QHBoxLayout()
        row.addWidget(self.entry_message, 1)
        row.addWidget(self.add_entry_button)
        layout = QVBoxLayout(self.entry_box)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.entry_title)
        layout.addLayout(self.entry_fields)
        layout.addLayout(row)
        layout.addWidget(self.entry_consent)

    def _init_patch_form(self) -> None:
        self.patch_box = QFrame()
        self.patch_box.setObjectName("addPatchTest")
        self.patch_title = _title(self.tr("Add a patch test"))
        self.patch_fields = FieldForm()
        self.tested_on = QDateEdit()
        self.tested_on.setCalendarPopup(True)
        self.product = QLineEdit()
        self.result = QLineEdit()
        self.result.setPlaceholderText(self.tr("e.g. no reaction after 48 hours"))
        self.patch_fields.add_widget("tested_on", self.tr("Teste&d on"), self.tested_on)
        self.patch_fields.add_widget("product", self.tr("Produc&t"), self.product)
        self.patch_fields.add_widget("result", self.tr("Resu&lt"), self.result)
        self._buddies(self.patch_fields)
        self.add_test_button = QPushButton(self.tr("Add patch t&est"))
        self.add_test_button.setObjectName("addPatchTestButton")
        self.add_test_button.setToolTip(self.tr("Add the patch test to the client's card (Enter)"))
        self.patch_message = QLabel()
        self.patch_message.setObjectName("patchTestMessage")
        self.patch_message.setStyleSheet(style.ERROR_TEXT)
        self.patch_message.setWordWrap(True)
        self.patch_message.hide()
        self.patch_consent = ConsentOffer("patchConsentOffer")
        row = QHBoxLayout()
        row.addWidget(self.patch_message, 1)
        row.addWidget(self.add_test_button)
        layout = QVBoxLayout(self.patch_box)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.patch_title)
        layout.addLayout(self.patch_fields)
        layout.addLayout(row)
        layout.addWidget(self.patch_consent)

    @staticmethod
    def _buddies(fields: FieldForm) -> None:
        """Each label's Alt+letter takes the keyboard to its field."""
        for widget in fields.widgets.values():
            label = fields.labelForField(widget)
            if isinstance(label, QLabel):
                label.setBuddy(widget)

    def _init_layout(self) -> None:
        entry_buttons = QHBoxLayout()
        entry_buttons.addStretch(1)
        entry_buttons.addWidget(self.remove_entry_button)
        test_buttons = QHBoxLayout()
        test_buttons.addStretch(1)
        test_buttons.addWidget(self.remove_test_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hidden_label)
        layout.addWidget(self.entries_title)
        layout.addWidget(self.entries_empty)
        layout.addWidget(self.entries)
        layout.addLayout(entry_buttons)
        layout.addWidget(self.entry_box)
        layout.addSpacing(12)
        layout.addWidget(self.tests_title)
        layout.addWidget(self.tests_empty)
        layout.addWidget(self.tests)
        layout.addLayout(test_buttons)
        layout.addWidget(self.patch_box)
        layout.addStretch(1)
        for table in (self.entries, self.tests):
            table.setMinimumHeight(90)
        order = (
            self.entries,
            self.remove_entry_button,
            self.kind,
            self.substance,
            self.severity,
            self.entry_notes,
            self.add_entry_button,
            self.entry_consent.not_now_button,
            self.entry_consent.agree_button,
            self.tests,
            self.remove_test_button,
            self.tested_on,
            self.product,
            self.result,
            self.add_test_button,
            self.patch_consent.not_now_button,
            self.patch_consent.agree_button,
        )
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.add_entry_button.clicked.connect(self.submit_entry)
        self.add_test_button.clicked.connect(self.submit_patch_test)
        self.remove_entry_button.clicked.connect(self.remove_chosen_entry)
        self.remove_test_button.clicked.connect(self.remove_chosen_test)
        self.substance_edit.returnPressed.connect(self.submit_entry)
        self.entry_notes.returnPressed.connect(self.submit_entry)
        self.product.returnPressed.connect(self.submit_patch_test)
        self.result.returnPressed.connect(self.submit_patch_test)
        self.substance.activated.connect(self._allergen_chosen)
        self.entry_consent.accepted.connect(self._consent_for_entry)
        self.patch_consent.accepted.connect(self._consent_for_patch_test)
        self.entries.itemSelectionChanged.connect(self._update_buttons)
        self.tests.itemSelectionChanged.connect(self._update_buttons)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.entries,
            self.remove_chosen_entry,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.tests,
            self.remove_chosen_test,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        for combo in (self.kind, self.severity):
            combo.installEventFilter(self)
        self.tested_on.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on the kind, severity and date fields adds too (they have no returnPressed)."""
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            if watched is self.tested_on:
                self.submit_patch_test()
                return True
            if watched in (self.kind, self.severity):
                self.submit_entry()
                return True
        return super().eventFilter(watched, event)

    def _fill_allergens(self) -> None:
        self.substance.clear()
        self.substance.addItem("", "")
        for item in ALLERGENS:
            self.substance.addItem(allergen_label(item.code), item.code)
        self.substance.setCurrentIndex(0)

    # -- showing -----------------------------------------------------------------------------

    def show_card(self, card: ClientCard, formats: Formats, *, same_client: bool) -> None:
        """Show `card`; a new client's card starts with empty forms (never another client's
        typed allergy), a refresh of the same client keeps what was typed."""
        self.card = card
        if not same_client:
            self.clear_entry_form()
            self.clear_patch_form()
        if formats.locale != self._locale:
            self._locale = formats.locale
            self.tested_on.setLocale(QLocale(formats.locale))
            self.tested_on.setDisplayFormat(qt_date_format(formats.locale))
        health = card.health
        shown = health is not None
        if card.health_locked:
            self.hidden_label.setText(
                self.tr(
                    "This client's health data cannot be shown on this computer: ask the owner "
                    "to restore the health data key (Back office, Health data key)."
                )
            )
        else:
            self.hidden_label.setText(self.tr("Health information is not shown to your role."))
        self.hidden_label.setVisible(not shown)
        self.entries_title.setVisible(shown)
        self.tests_title.setVisible(shown)
        if health is None:
            hidden: tuple[QWidget, ...] = (
                self.entries_empty,
                self.entries,
                self.tests_empty,
                self.tests,
            )
            for widget in hidden:
                widget.hide()
            self._set_editing(False)
            return
        self._show_entries(health, formats)
        self._show_tests(health.patch_tests, formats)
        self._set_editing(self.can_edit)

    def _recorded(self, formats: Formats, at: datetime, by: str) -> str:
        when = formats.short_date(formats.local(at).date())
        return self.tr("{date}, {name}").format(date=when, name=by) if by else when

    def _show_entries(self, health: HealthRecord, formats: Formats) -> None:
        chosen = _selected_id(self.entries)
        _fill(
            self.entries,
            [
                (
                    e.id,
                    (
                        health_kind_label(e.kind),
                        entry_what(e),
                        self._severity_word(e.severity),
                        e.notes,
                        self._recorded(formats, e.recorded_at, e.recorded_by_name),
                    ),
                )
                for e in health.entries
            ],
        )
        self._reselect(self.entries, chosen)
        self.entries.setVisible(bool(health.entries))
        self.entries_empty.setText(
            self.tr("No allergies or contraindications recorded")
            if self.can_edit
            else self.tr("No allergies recorded")
        )
        self.entries_empty.setVisible(not health.entries)

    def _show_tests(self, tests: tuple[PatchTestView, ...], formats: Formats) -> None:
        chosen = _selected_id(self.tests)
        _fill(
            self.tests,
            [
                (
                    t.id,
                    (
                        formats.short_date(t.tested_on),
                        t.product,
                        t.result,
                        self._recorded(formats, t.recorded_at, t.recorded_by_name),
                    ),
                )
                for t in tests
            ],
        )
        self._reselect(self.tests, chosen)
        self.tests.setVisible(bool(tests))
        self.tests_empty.setVisible(not tests)

    @staticmethod
    def _reselect(table: QTableWidget, chosen: int | None) -> None:
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            if item is not None and chosen is not None and _row_id(item) == chosen:
                table.selectRow(row)
                return
        table.clearSelection()

    def _severity_word(self, code: str) -> str:
        index = self.severity.findData(code)
        return self.severity.itemText(index) if index > 0 else code

    def _set_editing(self, on: bool) -> None:
        self.entry_box.setVisible(on)
        self.patch_box.setVisible(on)
        self._update_buttons(on)

    def _update_buttons(self, on: bool | None = None) -> None:
        editing = self.entry_box.isVisibleTo(self) if on is None else on
        self.remove_entry_button.setVisible(editing and self.entries.isVisibleTo(self))
        self.remove_test_button.setVisible(editing and self.tests.isVisibleTo(self))
        self.remove_entry_button.setEnabled(_selected_id(self.entries) is not None)
        self.remove_test_button.setEnabled(_selected_id(self.tests) is not None)

    # -- the forms ---------------------------------------------------------------------------

    def focus_form(self) -> None:
        """Ctrl+Shift+H: the keyboard to the add form's first field."""
        if self.entry_box.isVisibleTo(self):
            self.kind.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _allergen_chosen(self, index: int) -> None:
        """A listed item carries its kind: choosing "Pregnancy" makes the entry a
        contraindication."""
        code = self.substance.itemData(index)
        for item in ALLERGENS:
            if item.code == code:
                self.kind.setCurrentIndex(self.kind.findData(item.kind))
                return

    def substance_value(self) -> str:
        """The listed allergen's code when the text is one of the list's names (in the
        window's language or English), else the text as typed."""
        text = self.substance.currentText()
        folded = fold(text)
        if not folded:
            return text
        for item in ALLERGENS:
            if folded in (fold(allergen_label(item.code)), fold(item.name), item.code):
                return item.code
        return text

    def entry_request(self) -> EntryRequest | None:
        if self.card is None:
            return None
        return EntryRequest(
            customer_id=self.card.id,
            kind=str(self.kind.currentData() or ""),
            substance=self.substance_value(),
            severity=str(self.severity.currentData() or ""),
            notes=self.entry_notes.text(),
        )

    def patch_test_request(self) -> PatchTestRequest | None:
        if self.card is None:
            return None
        return PatchTestRequest(
            customer_id=self.card.id,
            tested_on=self.tested_on.date().toPython(),  # type: ignore[arg-type]
            product=self.product.text(),
            result=self.result.text(),
        )

    def submit_entry(self) -> None:
        request = self.entry_request()
        if request is None or not self.add_entry_button.isEnabled() or not self.can_edit:
            return
        self.clear_entry_errors()
        self.add_entry_button.setEnabled(False)  # one add at a time
        self.entry_add_requested.emit(request)

    def submit_patch_test(self) -> None:
        request = self.patch_test_request()
        if request is None or not self.add_test_button.isEnabled() or not self.can_edit:
            return
        self.clear_patch_errors()
        self.add_test_button.setEnabled(False)
        self.patch_test_add_requested.emit(request)

    def _consent_for_entry(self) -> None:
        request = self.entry_request()  # what is typed now: it may have been corrected
        if request is not None and self.can_edit:
            self.clear_entry_errors()
            self.add_entry_button.setEnabled(False)
            self.consent_and_add_requested.emit(request)

    def _consent_for_patch_test(self) -> None:
        request = self.patch_test_request()
        if request is not None and self.can_edit:
            self.clear_patch_errors()
            self.add_test_button.setEnabled(False)
            self.consent_and_add_requested.emit(request)

    def entry_finished(self) -> None:
        self.add_entry_button.setEnabled(True)

    def patch_test_finished(self) -> None:
        self.add_test_button.setEnabled(True)

    def entry_added(self) -> None:
        self.clear_entry_form()
        self.kind.setFocus()

    def patch_test_added(self) -> None:
        self.clear_patch_form()
        self.tested_on.setFocus()

    def clear_entry_form(self) -> None:
        self.kind.setCurrentIndex(0)
        self.substance.setCurrentIndex(0)
        self.substance.setEditText("")
        self.severity.setCurrentIndex(0)
        self.entry_notes.clear()
        self.clear_entry_errors()

    def clear_patch_form(self) -> None:
        self.tested_on.setDate(QDate.currentDate())
        self.product.clear()
        self.result.clear()
        self.clear_patch_errors()

    def clear_entry_errors(self) -> None:
        self.entry_fields.clear_errors()
        self.entry_message.hide()
        self.entry_consent.hide()

    def clear_patch_errors(self) -> None:
        self.patch_fields.clear_errors()
        self.patch_message.hide()
        self.patch_consent.hide()

    def show_entry_errors(self, errors: dict[str, str]) -> None:
        unplaced = self.entry_fields.show_errors(errors)
        self._message(self.entry_message, " ".join(unplaced))

    def show_patch_errors(self, errors: dict[str, str]) -> None:
        unplaced = self.patch_fields.show_errors(errors)
        self._message(self.patch_message, " ".join(unplaced))

    def show_entry_message(self, text: str) -> None:
        self._message(self.entry_message, text)

    def show_patch_message(self, text: str) -> None:
        self._message(self.patch_message, text)

    @staticmethod
    def _message(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def offer_consent(self, request: EntryRequest | PatchTestRequest) -> None:
        """No consent on file: say so beside the form that asked, and offer to record it."""
        name = self.card.name if self.card is not None else ""
        if isinstance(request, EntryRequest):
            self.entry_consent.offer(name)
        else:
            self.patch_consent.offer(name)

    def shown_errors(self) -> dict[str, str]:
        """The messages now shown beside the fields (for tests and screen readers)."""
        return {**self.entry_fields.shown_errors(), **self.patch_fields.shown_errors()}

    # -- removing ----------------------------------------------------------------------------

    def remove_chosen_entry(self) -> None:
        entry_id = _selected_id(self.entries)
        health = self.card.health if self.card is not None else None
        if entry_id is None or health is None or not self.can_edit:
            return
        entry = next((e for e in health.entries if e.id == entry_id), None)
        if entry is None:
            return
        name = self.card.name if self.card is not None else ""
        if entry.kind == "allergy":
            question = self.tr("Remove this allergy from {client}'s card?")
        else:
            question = self.tr("Remove this contraindication from {client}'s card?")
        if self.confirm(question.format(client=name), entry_what(entry)):
            self.entry_remove_requested.emit(entry_id, entry.kind)

    def remove_chosen_test(self) -> None:
        test_id = _selected_id(self.tests)
        health = self.card.health if self.card is not None else None
        if test_id is None or health is None or not self.can_edit:
            return
        test = next((t for t in health.patch_tests if t.id == test_id), None)
        if test is None:
            return
        name = self.card.name if self.card is not None else ""
        question = self.tr("Remove this patch test from {client}'s card?").format(client=name)
        if self.confirm(question, test.product):
            self.patch_test_remove_requested.emit(test_id)

    def confirm(self, question: str, what: str) -> bool:
        """Ask before removing; No is the default answer."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove health information"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirmHealthRemoval")
        box.setInformativeText(what)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes
