"""Days a person is away from their weekly pattern: a list, and a row to add one.

An absence is saved (or removed) at once, on its own: it is not part of the form's Save, so a
sick day can be entered without touching anything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.staff_rules import ABSENCE_KINDS, AbsenceDraft
from frontdesk.services.staff_admin import Absence
from frontdesk.ui import style
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text

ID_ROLE = Qt.ItemDataRole.UserRole


class AbsenceList(QWidget):
    """The person's absences (first day, last day, why, note) with Add and Remove."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("absences")
        self.desk = desk
        self.staff_id: int | None = None
        formats = desk.formats()
        self._formats = formats
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("absenceTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("From"), self.tr("To"), self.tr("Why"), self.tr("Note")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(170)
        shop_today = desk.services.shop.today()  # the shop's day, by its clock and zone
        today = QDate(shop_today.year, shop_today.month, shop_today.day)
        self.first_edit = self._date_edit("absence_first", today, formats.locale)
        self.last_edit = self._date_edit("absence_last", today, formats.locale)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("absence_kind")
        for kind in ABSENCE_KINDS:
            self.kind_box.addItem(self.kind_label(kind), kind)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("absence_note")
        self.note_edit.setPlaceholderText(self.tr("Note (optional)"))
        self.note_edit.setMaxLength(120)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addAbsence")
        self.add_button.setToolTip(self.tr("Record these days away (Enter in the note)"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("removeAbsence")
        self.remove_button.setToolTip(
            self.tr("Remove the selected days away ({key})").format(
                key=QKeySequence(QKeySequence.StandardKey.Delete).toString(
                    QKeySequence.SequenceFormat.NativeText
                )
            )
        )
        self.problem = QLabel()
        self.problem.setObjectName("absenceProblem")
        self.problem.setStyleSheet(style.ERROR_TEXT)
        self.problem.setWordWrap(True)
        self.problem.hide()
        days = QHBoxLayout()
        days.addWidget(self.first_edit)
        days.addWidget(QLabel("–"))
        days.addWidget(self.last_edit)
        days.addWidget(self.kind_box)
        days.addStretch(1)
        days.addWidget(self.remove_button)
        note = QHBoxLayout()
        note.addWidget(self.note_edit, 1)
        note.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(days)
        layout.addLayout(note)
        layout.addWidget(self.problem)
        self.first_edit.dateChanged.connect(self._keep_order)
        self.add_button.clicked.connect(self.add)
        self.note_edit.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._enable)
        self._enable()

    def kind_label(self, kind: str) -> str:
        labels = {
            "day_off": self.tr("Day off"),
            "holiday": self.tr("Holiday"),
            "sick": self.tr("Sick"),
            "training": self.tr("Training"),
            "other": self.tr("Other"),
        }
        return labels.get(kind, kind)

    @staticmethod
    def _date_edit(name: str, day: QDate, locale: str) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setLocale(QLocale(locale))
        edit.setDisplayFormat(qt_date_format(locale))
        return edit

    def _keep_order(self, first: QDate) -> None:
        if self.last_edit.date() < first:
            self.last_edit.setDate(first)

    def set_absences(self, staff_id: int | None, absences: Sequence[Absence]) -> None:
        """Show `absences` of `staff_id` (None: a person not saved yet, nothing to add to)."""
        self.staff_id = staff_id
        self.table.setRowCount(0)
        for absence in absences:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                self._formats.short_date(absence.first_day),
                self._formats.short_date(absence.last_day),
                self.kind_label(absence.kind),
                absence.note,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, absence.id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.problem.hide()
        self._enable()

    def _enable(self) -> None:
        saved = self.staff_id is not None
        for widget in (self.first_edit, self.last_edit, self.kind_box, self.note_edit):
            widget.setEnabled(saved)
        self.add_button.setEnabled(saved)
        self.remove_button.setEnabled(saved and bool(self.table.selectedItems()))

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        if (
            isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Delete)
            and self.table.hasFocus()
        ):
            self.remove_selected()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def add(self) -> None:
        if self.staff_id is None:
            return
        draft = AbsenceDraft(
            _day(self.first_edit.date()),
            _day(self.last_edit.date()),
            str(self.kind_box.currentData()),
            self.note_edit.text(),
        )
        staff_id, user = self.staff_id, self.desk.user
        service = self.desk.services.staff_admin

        def work() -> tuple[Absence, ...]:
            service.add_absence(staff_id, draft, user)
            return service.get(staff_id, user).absences

        def done(absences: tuple[Absence, ...]) -> None:
            self.note_edit.clear()
            self.set_absences(staff_id, absences)

        self.problem.hide()
        self.desk.runner.run(
            work, doing=self.tr("recording days away"), on_done=done, on_known_error=self._refused
        )

    def remove_selected(self) -> None:
        items = self.table.selectedItems()
        if self.staff_id is None or not items:
            return
        absence_id = int(items[0].data(ID_ROLE))
        staff_id, user = self.staff_id, self.desk.user
        service = self.desk.services.staff_admin

        def work() -> tuple[Absence, ...]:
            service.remove_absence(absence_id, user)
            return service.get(staff_id, user).absences

        self.desk.runner.run(
            work,
            doing=self.tr("removing days away"),
            on_done=lambda absences: self.set_absences(staff_id, absences),
            on_known_error=self._refused,
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, DomainError):
            errors = error.errors.values() if isinstance(error, FormErrors) else (error,)
            text = " ".join(error_text(e, self.desk.formats()) for e in errors)
            self.problem.setText(text)
            self.problem.setVisible(bool(text))
            return True
        return False


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
