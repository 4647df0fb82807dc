"""Add to the waitlist: a client (found by name, phone or card), the service, a therapist or
anyone, the days and hours they can come, which weekdays, and a note. Bad input is shown
beside its field and nothing is saved."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.waitlist import MINUTES_PER_DAY, NOTE_MAX_CHARS
from frontdesk.services.booking import BookingChoices
from frontdesk.services.clients import ClientSummary
from frontdesk.services.waitlist import WaitlistDraft
from frontdesk.ui import style
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.field_form import FieldForm

SEARCH_LIMIT = 20
#: A new entry waits two weeks unless the desk says otherwise.
DEFAULT_DAYS = 14


class WaitlistDialog(QDialog):
    """`added_id` is the new entry's id once saved (the dialog then closes)."""

    def __init__(self, desk: Desk, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._user = desk.user
        self._formats = desk.formats()
        self.added_id: int | None = None
        self._searched = 0
        self.setWindowTitle(self.tr("Add to the waitlist"))
        self.setMinimumWidth(460)

        self.client_search = QLineEdit()
        self.client_search.setPlaceholderText(self.tr("Type a name, phone or card number"))
        self.client_list = QListWidget()
        self.client_list.setObjectName("waitlistClients")
        self.client_list.setMaximumHeight(100)
        client_box = QWidget()
        client_layout = QVBoxLayout(client_box)
        client_layout.setContentsMargins(0, 0, 0, 0)
        client_layout.addWidget(self.client_search)
        client_layout.addWidget(self.client_list)

        self.service_combo = QComboBox()
        self.staff_combo = QComboBox()
        locale = QLocale(self._formats.locale)
        self.first_edit = self._date_edit(today, locale)
        self.last_edit = self._date_edit(today + timedelta(days=DEFAULT_DAYS), locale)
        self.from_edit = QTimeEdit(QTime(9, 0))
        self.to_edit = QTimeEdit(QTime(18, 0))
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("HH:mm")
        hours = QWidget()
        hours_layout = QHBoxLayout(hours)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        hours_layout.addWidget(self.from_edit)
        hours_layout.addWidget(QLabel("–"))
        hours_layout.addWidget(self.to_edit)
        hours_layout.addStretch(1)
        self.weekday_boxes: list[QCheckBox] = []
        days = QWidget()
        days_layout = QHBoxLayout(days)
        days_layout.setContentsMargins(0, 0, 0, 0)
        for weekday in range(7):
            box = QCheckBox(locale.dayName(weekday + 1, QLocale.FormatType.ShortFormat))
            self.weekday_boxes.append(box)
            days_layout.addWidget(box)
        days_layout.addStretch(1)
        days.setToolTip(self.tr("None ticked: any day"))
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(NOTE_MAX_CHARS * 2)  # the service says when it is too long

        self.fields = FieldForm()
        self.fields.add_widget("client", self.tr("Client"), client_box)
        self.fields.add_widget("service", self.tr("Service"), self.service_combo)
        self.fields.add_widget("staff", self.tr("Therapist"), self.staff_combo)
        self.fields.add_widget("waitlist_first_day", self.tr("From"), self.first_edit)
        self.fields.add_widget("waitlist_last_day", self.tr("To"), self.last_edit)
        self.fields.add_widget("waitlist_to", self.tr("Start between"), hours)
        self.fields.add_widget("waitlist_days", self.tr("Days"), days)
        self.fields.add_widget("waitlist_note", self.tr("Note"), self.note_edit)

        self.banner = QLabel()
        self.banner.setObjectName("formError")
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.addButton(self.tr("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setToolTip(self.tr("Put the client on the waitlist (Ctrl+Enter)"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.fields)
        layout.addWidget(buttons)

        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.client_search.textChanged.connect(self._search)
        self.client_search.setFocus()
        self._load_choices(today)

    def _date_edit(self, day: date, locale: QLocale) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setLocale(locale)
        edit.setDisplayFormat(qt_date_format(self._formats.locale))
        return edit

    # -- choices ---------------------------------------------------------------------------------

    def _load_choices(self, today: date) -> None:
        booking, user = self._desk.services.booking, self._user
        self._desk.runner.run(
            lambda: booking.choices(user, today),
            doing=self.tr("loading services and therapists"),
            on_done=self._show_choices,
            parent=self,
        )

    def _show_choices(self, choices: BookingChoices) -> None:
        self.service_combo.clear()
        for service in choices.services:
            self.service_combo.addItem(service.name, service.id)
        self.staff_combo.clear()
        self.staff_combo.addItem(self.tr("Anyone"), None)
        for staff in choices.staff:
            self.staff_combo.addItem(staff.name, staff.id)

    # -- the client ------------------------------------------------------------------------------

    def _search(self, text: str) -> None:
        self._searched += 1
        asked, clients = self._searched, self._desk.services.clients
        if not text.strip():
            self.client_list.clear()
            return
        self._desk.runner.run(
            lambda: clients.search(text, SEARCH_LIMIT),
            doing=self.tr("searching clients"),
            on_done=lambda found: self._show_matches(found, asked),
            parent=self,
        )

    def _show_matches(self, found: list[ClientSummary], asked: int) -> None:
        if asked != self._searched:
            return
        self.client_list.clear()
        for client in found:
            extra = " · ".join(part for part in (client.phone, client.card_number) if part)
            item = QListWidgetItem(f"{client.name} · {extra}" if extra else client.name)
            item.setData(Qt.ItemDataRole.UserRole, client.id)
            self.client_list.addItem(item)
        if found:
            self.client_list.setCurrentRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the client search takes the match and moves on; Ctrl+Enter adds."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.submit()
            elif self.focusWidget() is self.client_search:
                if self.client_list.count():
                    self.client_list.setCurrentRow(max(self.client_list.currentRow(), 0))
                self.service_combo.setFocus()
            else:
                self.submit()
            return
        super().keyPressEvent(event)

    # -- saving ----------------------------------------------------------------------------------

    def draft(self) -> WaitlistDraft:
        item = self.client_list.currentItem()
        service_id = self.service_combo.currentData()
        staff_id = self.staff_combo.currentData()
        first: date = self.first_edit.date().toPython()  # type: ignore[assignment]
        last: date = self.last_edit.date().toPython()  # type: ignore[assignment]
        start, end = self.from_edit.time(), self.to_edit.time()
        to_minute = end.hour() * 60 + end.minute()
        return WaitlistDraft(
            client_id=int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None,
            service_id=int(service_id) if service_id is not None else None,
            staff_id=int(staff_id) if staff_id is not None else None,
            first_day=first,
            last_day=last,
            from_minute=start.hour() * 60 + start.minute(),
            # 00:00 as the latest start means the end of the day.
            to_minute=to_minute or MINUTES_PER_DAY,
            weekdays=frozenset(i for i, box in enumerate(self.weekday_boxes) if box.isChecked()),
            note=self.note_edit.text(),
        )

    def submit(self) -> None:
        self.fields.clear_errors()
        self.banner.hide()
        draft, waitlist, user = self.draft(), self._desk.services.waitlist, self._user
        self.add_button.setEnabled(False)
        self._desk.runner.run(
            lambda: waitlist.add(draft, user),
            doing=self.tr("adding to the waitlist"),
            on_done=self._added,
            on_known_error=self._refused,
            on_finished=lambda: self.add_button.setEnabled(True),
            parent=self,
        )

    def _added(self, entry_id: int) -> None:
        self.added_id = entry_id
        self.accept()

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, FormErrors):
            texts = field_texts(error, self._formats)
        elif isinstance(error, ValidationError):
            texts = {error.field: error_text(error, self._formats)}
        else:
            texts = {"": known_message(error) or ""}
        unplaced = self.fields.show_errors(texts)
        if unplaced:
            self.banner.setText(" ".join(unplaced))
            self.banner.show()
        return True
