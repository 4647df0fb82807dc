"""Find a free slot: one or several services in order, anyone or a named therapist, any or a
named room, the days of the week and the hours that suit, from a day on. The search runs on
the database worker; the slots found are a list (arrows move, Enter or a double click takes
one: `slot_chosen` carries the FreeSlot and the area opens the booking dialog from it)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.services.booking import BookingChoices
from frontdesk.services.free_slots import FreeSlot, SlotQuery
from frontdesk.ui import style
from frontdesk.ui.calendar.words import time_range
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.widgets.plural import plural_s

#: How many slots one search lists.
SLOT_LIMIT = 20
STEPS = (5, 10, 15, 30, 60)
#: 23:59 in the "to" box means the end of the day (a time box cannot show 24:00).
END_OF_DAY = 23 * 60 + 59


class FindSlotDialog(QDialog):
    """Search free slots; `slot_chosen` (a FreeSlot) when one is taken."""

    slot_chosen = Signal(object)

    def __init__(
        self,
        desk: Desk,
        day: date,
        parent: QWidget | None = None,
        *,
        service_ids: tuple[int, ...] = (),
        client_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._formats = desk.formats()
        self._client_id = client_id
        self._wanted_services = service_ids
        self.choices: BookingChoices | None = None
        self.slots: tuple[FreeSlot, ...] = ()
        self.chosen: FreeSlot | None = None
        self._asked = 0
        self.setWindowTitle(self.tr("Find a free slot"))
        self.setMinimumWidth(560)
        locale = QLocale(self._formats.locale)

        # -- services in order
        self.service_combo = QComboBox()
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Add the service to the sequence (Ctrl+I)"))
        self.add_button.setShortcut(self.tr("Ctrl+I"))
        self.add_button.setAutoDefault(False)
        self.service_list = QListWidget()
        self.service_list.setObjectName("chosenServices")
        self.service_list.setMaximumHeight(70)
        self.service_list.setToolTip(
            self.tr("Services in the order they are done (Delete removes one)")
        )
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove the selected service (Delete)"))
        self.remove_button.setAutoDefault(False)
        services_box = QWidget()
        services_layout = QVBoxLayout(services_box)
        services_layout.setContentsMargins(0, 0, 0, 0)
        add_row = QHBoxLayout()
        add_row.addWidget(self.service_combo, 1)
        add_row.addWidget(self.add_button)
        services_layout.addLayout(add_row)
        list_row = QHBoxLayout()
        list_row.addWidget(self.service_list, 1)
        list_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        services_layout.addLayout(list_row)

        # -- who and where
        self.staff_combo = QComboBox()
        self.staff_combo.addItem(self.tr("Anyone qualified"), None)
        self.room_combo = QComboBox()
        self.room_combo.addItem(self.tr("Any room"), None)

        # -- when
        self.weekday_boxes: list[QCheckBox] = []
        weekdays_box = QWidget()
        weekdays_row = QHBoxLayout(weekdays_box)
        weekdays_row.setContentsMargins(0, 0, 0, 0)
        for weekday in range(7):
            box = QCheckBox(locale.dayName(weekday + 1, QLocale.FormatType.ShortFormat))
            box.setToolTip(self.tr("None ticked: any day"))
            self.weekday_boxes.append(box)
            weekdays_row.addWidget(box)
        weekdays_row.addStretch(1)
        self.from_time = QTimeEdit(QTime(0, 0))
        self.from_time.setDisplayFormat("HH:mm")
        self.from_time.setToolTip(self.tr("The earliest start"))
        self.to_time = QTimeEdit(QTime(23, 59))
        self.to_time.setDisplayFormat("HH:mm")
        self.to_time.setToolTip(self.tr("Over by then (23:59: the end of the day)"))
        window_box = QWidget()
        window_row = QHBoxLayout(window_box)
        window_row.setContentsMargins(0, 0, 0, 0)
        window_row.addWidget(self.from_time)
        window_row.addWidget(QLabel("–"))
        window_row.addWidget(self.to_time)
        window_row.addStretch(1)
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setLocale(locale)
        self.date_edit.setDisplayFormat(qt_date_format(self._formats.locale))
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 366)
        self.days_spin.setValue(60)
        self.days_spin.setSuffix(self.tr(" days"))
        self.step_combo = QComboBox()
        for step in STEPS:
            self.step_combo.addItem(self.tr("every {n} min").format(n=step), step)
        self.step_combo.setCurrentIndex(STEPS.index(15))
        from_box = QWidget()
        from_row = QHBoxLayout(from_box)
        from_row.setContentsMargins(0, 0, 0, 0)
        from_row.addWidget(self.date_edit)
        from_row.addWidget(QLabel(self.tr("for")))
        from_row.addWidget(self.days_spin)
        from_row.addWidget(self.step_combo)
        from_row.addStretch(1)

        self.fields = FieldForm()
        self.fields.add_widget("service", self.tr("Services"), services_box)
        self.fields.add_widget("staff", self.tr("Therapist"), self.staff_combo)
        self.fields.add_widget("room", self.tr("Room"), self.room_combo)
        self.fields.add_widget("weekdays", self.tr("Days of the week"), weekdays_box)
        self.fields.add_widget("window", self.tr("Between"), window_box)
        self.fields.add_widget("slot_days", self.tr("From"), from_box)

        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setToolTip(self.tr("Find the next free slots (Enter)"))
        self.search_button.setDefault(True)
        self.status = QLabel()
        self.status.setObjectName("slotStatus")
        self.status.setWordWrap(True)
        self.results = QListWidget()
        self.results.setObjectName("slotResults")
        self.results.setMinimumHeight(200)
        self.results.setToolTip(self.tr("Enter or a double click books the slot"))
        self.banner = QLabel()
        self.banner.setObjectName("formError")
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.book_button = buttons.addButton(
            self.tr("Book this slot…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setToolTip(self.tr("Open the booking with this slot (Enter in the list)"))
        self.book_button.setAutoDefault(False)
        self.book_button.setEnabled(False)

        search_row = QHBoxLayout()
        search_row.addStretch(1)
        search_row.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.fields)
        layout.addLayout(search_row)
        # On a line of its own: what to loosen can take two or three lines.
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(buttons)

        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.take_current)
        self.search_button.clicked.connect(self.search)
        self.add_button.clicked.connect(self.add_service)
        self.remove_button.clicked.connect(self.remove_service)
        self.results.itemDoubleClicked.connect(lambda _item: self.take_current())
        self.results.currentRowChanged.connect(lambda row: self.book_button.setEnabled(row >= 0))
        self._load_choices(day)

    # -- what may be chosen ----------------------------------------------------------------------

    def _load_choices(self, day: date) -> None:
        booking, user = self._desk.services.booking, self._desk.user
        self._desk.runner.run(
            lambda: booking.choices(user, day),
            doing=self.tr("loading services and therapists"),
            on_done=self._show_choices,
            parent=self,
        )

    def _show_choices(self, choices: BookingChoices) -> None:
        self.choices = choices
        for service in choices.services:
            self.service_combo.addItem(service.name, service.id)
        for staff in choices.staff:
            self.staff_combo.addItem(staff.name, staff.id)
        for room in choices.rooms:
            self.room_combo.addItem(room.name, room.id)
        for service_id in self._wanted_services:
            self._append_service(service_id)
        if not choices.services:
            self.banner.setText(self.tr("No bookable services are set up yet."))
            self.banner.show()
        self.service_combo.setFocus()

    def add_service(self) -> None:
        service_id = self.service_combo.currentData()
        if service_id is not None:
            self._append_service(int(service_id))

    def _append_service(self, service_id: int) -> None:
        index = self.service_combo.findData(service_id)
        if index < 0:
            return
        item = QListWidgetItem(self.service_combo.itemText(index))
        item.setData(Qt.ItemDataRole.UserRole, service_id)
        self.service_list.addItem(item)
        self.service_list.setCurrentItem(item)

    def remove_service(self) -> None:
        row = self.service_list.currentRow()
        if row >= 0:
            self.service_list.takeItem(row)

    def service_ids(self) -> tuple[int, ...]:
        """The services in order; the one in the box alone when none was added."""
        chosen = tuple(
            int(self.service_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.service_list.count())
        )
        if chosen:
            return chosen
        current = self.service_combo.currentData()
        return () if current is None else (int(current),)

    # -- the search ------------------------------------------------------------------------------

    def query(self) -> SlotQuery:
        start, end = self.from_time.time(), self.to_time.time()
        to_minute = end.hour() * 60 + end.minute()
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return SlotQuery(
            service_ids=self.service_ids(),
            from_day=day,
            days=self.days_spin.value(),
            staff_id=self.staff_combo.currentData(),
            room_id=self.room_combo.currentData(),
            weekdays=frozenset(n for n, box in enumerate(self.weekday_boxes) if box.isChecked()),
            from_minute=start.hour() * 60 + start.minute(),
            to_minute=24 * 60 if to_minute == END_OF_DAY else to_minute,
            step_minutes=int(self.step_combo.currentData()),
            client_id=self._client_id,
        )

    def search(self) -> None:
        """Look for slots on the worker; bad input is shown at its field first."""
        self.fields.clear_errors()
        self.banner.hide()
        query = self.query()
        problems: dict[str, DomainError] = {}
        if not query.service_ids:
            problems["service"] = ValidationError("service", "Choose a service.")
        if query.to_minute <= query.from_minute:
            problems["window"] = ValidationError(
                "window", "The end of the time window must be after its start."
            )
        if problems:
            self.slots = ()
            self.results.clear()
            self._refused(FormErrors(problems))
            return
        self._asked += 1
        asked, slots, user = self._asked, self._desk.services.free_slots, self._desk.user
        self.search_button.setEnabled(False)
        self.results.clear()
        self.book_button.setEnabled(False)
        self.status.setText(self.tr("Searching…"))
        self._desk.runner.run(
            lambda: slots.find(query, user, limit=SLOT_LIMIT),
            doing=self.tr("finding free slots"),
            progress=self.tr("Searching for free slots…"),
            on_done=lambda found: self._show(found, query, asked),
            on_known_error=self._refused,
            on_finished=lambda: self.search_button.setEnabled(True),
            parent=self,
        )

    def _show(self, found: tuple[FreeSlot, ...], query: SlotQuery, asked: int) -> None:
        if asked != self._asked:
            return
        self.slots = found
        self.results.clear()
        for slot in found:
            item = QListWidgetItem(self.describe(slot))
            self.results.addItem(item)
        if found:
            self.status.setText(plural_s(self.tr("%n free slot(s)", "", len(found)), len(found)))
            self.results.setCurrentRow(0)
            self.results.setFocus()
        else:
            self.status.setText(self.loosen_hint(query))

    def describe(self, slot: FreeSlot) -> str:
        """'Mon · 23 Nov 2026 · 11:15–12:15 · Tom Therapist · Garden Room'."""
        formats = self._formats
        local = formats.local(slot.starts)
        weekday = QLocale(formats.locale).dayName(
            local.isoweekday(), QLocale.FormatType.ShortFormat
        )
        therapists = " → ".join(
            dict.fromkeys(leg.staff_name for leg in slot.legs if leg.staff_name)
        )
        rooms = " → ".join(dict.fromkeys(leg.room_name for leg in slot.legs if leg.room_name))
        parts = [
            weekday,
            formats.short_date(local.date()),
            time_range(formats, slot.starts, slot.ends),
            therapists,
            rooms,
        ]
        return " · ".join(part for part in parts if part)

    def loosen_hint(self, query: SlotQuery) -> str:
        """What to loosen when nothing was found, from what the search was narrowed by."""
        tips = []
        if query.staff_id is not None:
            tips.append(self.tr("anyone qualified instead of one therapist"))
        if query.room_id is not None:
            tips.append(self.tr("any room"))
        if query.weekdays:
            tips.append(self.tr("more days of the week"))
        if query.from_minute > 0 or query.to_minute < 24 * 60:
            tips.append(self.tr("a wider time window"))
        if len(query.service_ids) > 1:
            tips.append(self.tr("fewer services in one go"))
        tips.append(self.tr("more days or a later date"))
        return self.tr("No free slot in {days} days from {day}. Try {tips}.").format(
            days=query.days, day=self._formats.short_date(query.from_day), tips=", ".join(tips)
        )

    def _refused(self, error: BaseException) -> bool:
        """Bad input beside its field; anything else above the form."""
        self.status.clear()
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

    # -- taking a slot ---------------------------------------------------------------------------

    def take_current(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self.slots):
            self.chosen = self.slots[row]
            self.slot_chosen.emit(self.chosen)
            self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter searches from the form and books from the list; Delete drops a service."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.focusWidget() is self.results:
                self.take_current()
            else:
                self.search()
            return
        if key == Qt.Key.Key_Delete and self.focusWidget() is self.service_list:
            self.remove_service()
            return
        super().keyPressEvent(event)
