"""The card's Health tab: allergies and contraindications, patch tests, and (for roles that may
record health data) forms to add and remove them in place.

The forms are in card_health_forms.py. The section holds no services: it asks (signals) and
frontdesk/ui/clients/health_actions.py runs the work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.formats import Formats
from frontdesk.services.client_health import HealthEntry, HealthRecord, PatchTestView
from frontdesk.services.clients import ClientCard
from frontdesk.ui.clients.card_health_forms import EntryForm, HealthForm, PatchTestForm
from frontdesk.ui.clients.card_records import empty_label, records_table
from frontdesk.ui.labels import allergen_label, health_kind_label

ENTRY_FIELDS = ("kind", "substance", "severity", "notes")
PATCH_FIELDS = ("tested_on", "product", "result")


def entry_what(entry: HealthEntry) -> str:
    """A listed allergen by its name in the window's language; free text as typed."""
    return allergen_label(entry.code) if entry.code else entry.substance


def _table(columns: list[str], name: str) -> QTableWidget:
    table = records_table(columns, name)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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
    _fit_height(table)


def _fit_height(table: QTableWidget, most_rows: int = 8) -> None:
    """As tall as its rows (up to `most_rows`, then it scrolls): two entries do not leave a
    tall empty box between them and the form."""
    rows = sum(table.rowHeight(r) for r in range(min(table.rowCount(), most_rows)))
    frame = 2 * table.frameWidth()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + frame + 2)


def _stretch(table: QTableWidget, *columns: int) -> None:
    """Text columns share the width; the others are as wide as their contents."""
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        header.setSectionResizeMode(
            column,
            QHeaderView.ResizeMode.Stretch
            if column in columns
            else QHeaderView.ResizeMode.ResizeToContents,
        )


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


class HealthSection(QWidget):
    """Allergies and contraindications (ClientHealthService) and patch tests with their dates;
    with `can_edit`, forms to add them and buttons (and Delete) to remove them."""

    entry_add_requested = Signal(object, bool)  # EntryRequest, with the client's consent
    entry_remove_requested = Signal(int)
    patch_test_add_requested = Signal(object, bool)  # PatchTestRequest, with consent
    patch_test_remove_requested = Signal(int)

    def __init__(self, *, can_edit: bool = False) -> None:
        super().__init__()
        self.can_edit = can_edit
        self.card: ClientCard | None = None
        self.hidden_label = empty_label("healthHidden")
        self.hidden_label.setText(self.tr("Health information is not shown to your role."))
        self.entries_title = _title(self.tr("Allergies and contraindications"))
        self.entries_empty = empty_label("noAllergies")
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
        self.tests_empty = empty_label("noPatchTests")
        self.tests_empty.setText(self.tr("No patch tests recorded"))
        self.tests = _table(
            [self.tr("Tested on"), self.tr("Product"), self.tr("Result"), self.tr("Recorded")],
            "patchTests",
        )
        self.remove_test_button = QPushButton(self.tr("Re&move patch test (Del)"))
        self.remove_test_button.setObjectName("removePatchTest")
        self.remove_test_button.setToolTip(self.tr("Remove the chosen patch test (Delete)"))
        self.entry_form = EntryForm()
        self.patch_form = PatchTestForm()
        self._init_layout()
        self._connect_signals()
        self._set_editing(False)

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
        layout.addWidget(self.entry_form)
        layout.addSpacing(12)
        layout.addWidget(self.tests_title)
        layout.addWidget(self.tests_empty)
        layout.addWidget(self.tests)
        layout.addLayout(test_buttons)
        layout.addWidget(self.patch_form)
        layout.addStretch(1)
        _stretch(self.entries, 1, 3)
        _stretch(self.tests, 1, 2)
        entry, patch = self.entry_form, self.patch_form
        order = (
            self.entries,
            self.remove_entry_button,
            entry.kind,
            entry.substance,
            entry.severity,
            entry.notes,
            entry.add_button,
            entry.consent.not_now_button,
            entry.consent.agree_button,
            self.tests,
            self.remove_test_button,
            patch.tested_on,
            patch.product,
            patch.result,
            patch.add_button,
            patch.consent.not_now_button,
            patch.consent.agree_button,
        )
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.entry_form.add_requested.connect(self._add_entry)
        self.patch_form.add_requested.connect(self._add_patch_test)
        self.remove_entry_button.clicked.connect(self.remove_chosen_entry)
        self.remove_test_button.clicked.connect(self.remove_chosen_test)
        self.entries.itemSelectionChanged.connect(self._update_buttons)
        self.tests.itemSelectionChanged.connect(self._update_buttons)
        for table, remove in (
            (self.entries, self.remove_chosen_entry),
            (self.tests, self.remove_chosen_test),
        ):
            QShortcut(
                QKeySequence(QKeySequence.StandardKey.Delete),
                table,
                remove,
                context=Qt.ShortcutContext.WidgetShortcut,
            )

    # -- showing -----------------------------------------------------------------------------

    def show_card(self, card: ClientCard, formats: Formats, *, same_client: bool) -> None:
        """Show `card`; another client's card starts with empty forms (never the previous
        client's typed allergy), the same client's read again keeps what was typed."""
        self.card = card
        if not same_client:
            self.entry_form.clear()
            self.patch_form.clear()
        self.patch_form.use_locale(formats.locale)
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
                        self.entry_form.severity_word(e.severity),
                        e.notes,
                        self._recorded(formats, e.recorded_at, e.recorded_by_name),
                    ),
                )
                for e in health.entries
            ],
        )
        _reselect(self.entries, chosen)
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
        _reselect(self.tests, chosen)
        self.tests.setVisible(bool(tests))
        self.tests_empty.setVisible(not tests)

    def _set_editing(self, on: bool) -> None:
        self.entry_form.setVisible(on)
        self.patch_form.setVisible(on)
        self._update_buttons()

    def _update_buttons(self) -> None:
        editing = self.entry_form.isVisibleTo(self)
        self.remove_entry_button.setVisible(editing and self.entries.isVisibleTo(self))
        self.remove_test_button.setVisible(editing and self.tests.isVisibleTo(self))
        self.remove_entry_button.setEnabled(_selected_id(self.entries) is not None)
        self.remove_test_button.setEnabled(_selected_id(self.tests) is not None)

    # -- adding ------------------------------------------------------------------------------

    def focus_form(self) -> None:
        """Ctrl+Shift+H: the keyboard to the add form's first field."""
        if self.entry_form.isVisibleTo(self):
            self.entry_form.kind.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _add_entry(self, consent: bool) -> None:
        if self.card is None or not self.can_edit:
            self.entry_form.finished()
            return
        self.entry_add_requested.emit(self.entry_form.request(self.card.id), consent)

    def _add_patch_test(self, consent: bool) -> None:
        if self.card is None or not self.can_edit:
            self.patch_form.finished()
            return
        self.patch_test_add_requested.emit(self.patch_form.request(self.card.id), consent)

    def offer_consent(self, form: HealthForm) -> None:
        """No consent on file: say so beside the form that asked, and offer to record it."""
        form.consent.offer(self.card.name if self.card is not None else "")

    def shown_errors(self) -> dict[str, str]:
        """The messages now shown beside the fields (for tests and screen readers)."""
        return {**self.entry_form.shown_errors(), **self.patch_form.shown_errors()}

    # -- removing ----------------------------------------------------------------------------

    def remove_chosen_entry(self) -> None:
        entry_id = _selected_id(self.entries)
        health = self.card.health if self.card is not None else None
        if entry_id is None or health is None or self.card is None or not self.can_edit:
            return
        entry = next((e for e in health.entries if e.id == entry_id), None)
        if entry is None:
            return
        if entry.kind == "allergy":
            question = self.tr("Remove this allergy from {client}'s card?")
        else:
            question = self.tr("Remove this contraindication from {client}'s card?")
        if self.confirm(question.format(client=self.card.name), entry_what(entry)):
            self.entry_remove_requested.emit(entry_id)

    def remove_chosen_test(self) -> None:
        test_id = _selected_id(self.tests)
        health = self.card.health if self.card is not None else None
        if test_id is None or health is None or self.card is None or not self.can_edit:
            return
        test = next((t for t in health.patch_tests if t.id == test_id), None)
        if test is None:
            return
        question = self.tr("Remove this patch test from {client}'s card?")
        if self.confirm(question.format(client=self.card.name), test.product):
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


def _reselect(table: QTableWidget, chosen: int | None) -> None:
    """The row chosen before a refresh stays chosen (if it is still there)."""
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and chosen is not None and _row_id(item) == chosen:
            table.selectRow(row)
            return
    table.clearSelection()
