"""New appointment: a client, a service, a therapist, a day and a time; booked through the
database worker. A refusal stays in the dialog, beside the field it is about (or above them)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.money import Money
from frontdesk.domain.roles import Permission
from frontdesk.services.booking import BookingChoices, BookingDraft, ServiceChoice
from frontdesk.services.clients import ClientSummary
from frontdesk.ui import style
from frontdesk.ui.clients.form_dialog import ClientFormDialog
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.field_form import FieldForm

SEARCH_LIMIT = 20


class BookingDialog(QDialog):
    """`booked_id` is the new appointment's id once booked (the dialog then closes)."""

    def __init__(
        self,
        desk: Desk,
        day: date,
        *,
        staff_id: int | None = None,
        minute: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._user = desk.user
        self._booking = desk.services.booking
        self._clients = desk.services.clients
        self._formats = desk.formats()
        self._currency = desk.services.shop.info().currency
        self._wanted_staff = staff_id
        self.choices: BookingChoices | None = None
        self.booked_id: int | None = None
        self._searched = 0
        self.setWindowTitle(self.tr("New appointment"))
        self.setMinimumWidth(460)

        self.client_search = QLineEdit()
        self.client_search.setPlaceholderText(self.tr("Type a name, phone or card number"))
        self.client_list = QListWidget()
        self.client_list.setObjectName("clientMatches")
        self.client_list.setMaximumHeight(110)
        self.new_client_button = QPushButton(self.tr("New client…"))
        self.new_client_button.setToolTip(self.tr("Add a client and book them (Ctrl+N)"))
        self.new_client_button.setShortcut(self.tr("Ctrl+N"))
        self.new_client_button.setAutoDefault(False)
        self.new_client_button.setVisible(self._user.can(Permission.EDIT_CLIENTS))
        client_box = QWidget()
        client_layout = QVBoxLayout(client_box)
        client_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.client_search, 1)
        search_row.addWidget(self.new_client_button)
        client_layout.addLayout(search_row)
        client_layout.addWidget(self.client_list)

        self.service_combo = QComboBox()
        self.staff_combo = QComboBox()
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setLocale(QLocale(self._formats.locale))
        self.date_edit.setDisplayFormat(qt_date_format(self._formats.locale))
        start = minute if minute is not None else 10 * 60
        self.time_edit = QTimeEdit(QTime(start // 60, start % 60))
        self.time_edit.setDisplayFormat("HH:mm")
        self.preview = QLabel()
        self.preview.setObjectName("bookingPreview")

        self.fields = FieldForm()
        self.fields.add_widget("client", self.tr("Client"), client_box)
        self.fields.add_widget("service", self.tr("Service"), self.service_combo)
        self.fields.add_widget("staff", self.tr("Therapist"), self.staff_combo)
        self.fields.add_widget("day", self.tr("Date"), self.date_edit)
        self.fields.add_widget("starts", self.tr("Time"), self.time_edit)
        self.fields.addRow("", self.preview)

        self.banner = QLabel()
        self.banner.setObjectName("formError")
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.book_button = buttons.addButton(
            self.tr("Book"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setToolTip(self.tr("Book the appointment (Enter)"))
        self.book_button.setDefault(True)
        self.book_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.fields)
        layout.addWidget(buttons)

        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.client_search.textChanged.connect(self._search)
        self.new_client_button.clicked.connect(self.new_client)
        self.service_combo.currentIndexChanged.connect(self._update_preview)
        self.time_edit.timeChanged.connect(self._update_preview)
        self.date_edit.dateChanged.connect(lambda _d: self._load_choices())
        self.client_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.client_search.setFocus()
        self._load_choices()

    # -- what may be chosen ----------------------------------------------------------------------

    def _load_choices(self) -> None:
        booking, user, day = self._booking, self._user, self.day()
        self._desk.runner.run(
            lambda: booking.choices(user, day),
            doing=self.tr("loading services and therapists"),
            on_done=self._show_choices,
            parent=self,
        )

    def _show_choices(self, choices: BookingChoices) -> None:
        service_id = self.service_combo.currentData()
        staff_id = self.staff_combo.currentData()
        if staff_id is None:
            staff_id = self._wanted_staff
        self.choices = choices
        for combo, rows in (
            (self.service_combo, [(s.id, s.name) for s in choices.services]),
            (self.staff_combo, [(s.id, s.name) for s in choices.staff]),
        ):
            combo.blockSignals(True)
            combo.clear()
            for row_id, name in rows:
                combo.addItem(name, row_id)
            combo.blockSignals(False)
        for combo, wanted in ((self.service_combo, service_id), (self.staff_combo, staff_id)):
            index = combo.findData(wanted) if wanted is not None else -1
            combo.setCurrentIndex(max(index, 0) if combo.count() else -1)
        if not choices.services:
            self.banner.setText(self.tr("No bookable services are set up yet."))
            self.banner.show()
        elif not choices.staff:
            self.banner.setText(self.tr("No therapists are set up yet."))
            self.banner.show()
        self._update_preview()

    def _update_preview(self) -> None:
        service = self.selected_service()
        if service is None:
            self.preview.clear()
        else:
            ends = self.starts() + timedelta(minutes=service.duration_minutes)
            text = self.tr("Ends at {time} · {price}").format(
                time=self._formats.clock(ends.hour * 60 + ends.minute),
                price=self._formats.money(Money(service.price_minor, self._currency)),
            )
            self.preview.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.book_button.setEnabled(
            self.client_list.currentItem() is not None
            and self.service_combo.currentIndex() >= 0
            and self.staff_combo.currentIndex() >= 0
        )

    # -- the client ------------------------------------------------------------------------------

    def _search(self, text: str) -> None:
        self._searched += 1
        asked, clients = self._searched, self._clients
        if not text.strip():
            self.client_list.clear()
            self._update_buttons()
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
        self._update_buttons()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter books; in the client search it takes the first match and moves on instead."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.focusWidget() is self.client_search:
                self._take_first_match()
            elif self.book_button.isEnabled():
                self.submit()
            return
        super().keyPressEvent(event)

    def _take_first_match(self) -> None:
        if self.client_list.count():
            self.client_list.setCurrentRow(max(self.client_list.currentRow(), 0))
            self.service_combo.setFocus()

    def new_client(self) -> None:
        if not self._user.can(Permission.EDIT_CLIENTS):
            return
        user, clients = self._user, self._clients
        dialog = ClientFormDialog(
            self._desk.runner, lambda form: clients.save(form, user), None, self
        )
        if dialog.exec() and dialog.saved_id is not None:
            self.choose_client(dialog.saved_id, dialog.form().first_name)

    def choose_client(self, client_id: int, name: str) -> None:
        """Show one client as the chosen one (after "New client…", and in tests)."""
        self._searched += 1
        self.client_list.clear()
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, client_id)
        self.client_list.addItem(item)
        self.client_list.setCurrentRow(0)
        self._update_buttons()

    # -- booking ---------------------------------------------------------------------------------

    def day(self) -> date:
        value: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return value

    def starts(self) -> datetime:
        time = self.time_edit.time()
        day = self.day()
        return datetime(
            day.year, day.month, day.day, time.hour(), time.minute(), tzinfo=self._formats.zone
        )

    def selected_service(self) -> ServiceChoice | None:
        if self.choices is None:
            return None
        service_id = self.service_combo.currentData()
        return next((s for s in self.choices.services if s.id == service_id), None)

    def draft(self) -> BookingDraft | None:
        item = self.client_list.currentItem()
        service_id = self.service_combo.currentData()
        staff_id = self.staff_combo.currentData()
        if item is None or service_id is None or staff_id is None:
            return None
        return BookingDraft(
            int(item.data(Qt.ItemDataRole.UserRole)), int(service_id), int(staff_id), self.starts()
        )

    def submit(self) -> None:
        self.fields.clear_errors()
        self.banner.hide()
        draft = self.draft()
        if draft is None:
            self.banner.setText(self.tr("Choose a client, a service and a therapist."))
            self.banner.show()
            return
        booking, user = self._booking, self._user
        self.book_button.setEnabled(False)  # one booking at a time: no double on a double click
        self._desk.runner.run(
            lambda: booking.book(draft, user),
            doing=self.tr("booking the appointment"),
            on_done=self._booked,
            on_known_error=self._refused,
            on_finished=self._update_buttons,
            parent=self,
        )

    def _booked(self, appointment_id: int) -> None:
        self.booked_id = appointment_id
        self.accept()

    def _refused(self, error: BaseException) -> bool:
        """A refusal stays in the dialog, beside its field where it has one."""
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
