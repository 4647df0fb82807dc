"""Calendar: the day's appointments per therapist; open the client or check out from here.

The day is read on the database worker through the runner, and read again whenever the bus
announces a change of something the calendar shows (here or at another terminal)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.roles import Permission
from frontdesk.services.calendar import DaySchedule
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.ui import style
from frontdesk.ui.calendar.booking_dialog import BookingDialog
from frontdesk.ui.calendar.grid import DayGrid
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.elided_label import ElidedLabel
from frontdesk.ui.widgets.plural import plural_s

#: What the calendar shows: bookings, paid marks, client names and allergy marks, therapists and
#: their hours, rooms, service names; and the shop's zone and language.
SHOWN = (
    ChangeKind.APPOINTMENTS,
    ChangeKind.SALES,
    ChangeKind.CLIENTS,
    ChangeKind.STAFF,
    ChangeKind.ROOMS,
    ChangeKind.CATALOGUE,
    ChangeKind.SHOP,
)


class CalendarArea(QWidget):
    """One day of the shop's appointments, a column per therapist."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._calendar = desk.services.calendar
        self._shop = desk.services.shop
        self._user = desk.user
        self._events = desk.requests
        self.day: date = self._shop.today()
        #: The day on screen (None until the first read arrives).
        self.schedule: DaySchedule | None = None
        self._loading = False
        self._reload = False
        self._asked = 0  # reads started; only the newest one's result is shown
        self.booking_dialog: BookingDialog | None = None
        self._init_toolbar()
        self._init_body()
        self._connect_signals()
        self.refresh()

    def _init_toolbar(self) -> None:
        self.prev_button = QPushButton(self.tr("◀ Previous"))
        self.prev_button.setToolTip(self.tr("Previous day (Alt+Left)"))
        self.today_button = QPushButton(self.tr("Today"))
        self.today_button.setToolTip(self.tr("Back to today (Alt+Home)"))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setToolTip(self.tr("Next day (Alt+Right)"))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        locale = self._desk.formats().locale
        self.date_edit.setLocale(QLocale(locale))
        self.date_edit.setDisplayFormat(qt_date_format(locale))
        self.title = ElidedLabel()  # a long date and count must not widen the window
        self.title.setObjectName("calendarTitle")
        self.title.setStyleSheet(style.TITLE)
        self.book_button = QPushButton(self.tr("New appointment…"))
        self.book_button.setObjectName("calendarBook")
        self.book_button.setToolTip(self.tr("Book a client with a therapist (Ctrl+B)"))
        self.book_button.setVisible(self._user.can(Permission.BOOK_APPOINTMENTS))
        self.client_button = QPushButton(self.tr("Open client"))
        self.client_button.setToolTip(
            self.tr("Open the selected appointment's client card (Enter)")
        )
        self.checkout_button = QPushButton(self.tr("Check out…"))
        self.checkout_button.setObjectName("calendarCheckout")
        self.checkout_button.setToolTip(self.tr("Take payment for the selected appointment (F9)"))
        self.checkout_button.setVisible(self._user.can(Permission.CHECKOUT))

    def _init_body(self) -> None:
        self.grid = DayGrid()
        self.empty_label = QLabel()
        self.empty_label.setObjectName("calendarEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(style.NOTICE)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.empty_label)

        # The title has a line of its own: beside the buttons, a long weekday and date (Russian,
        # German) lost its count to the ellipsis in a window 800 pixels wide.
        bar = QHBoxLayout()
        for widget in (self.prev_button, self.today_button, self.next_button, self.date_edit):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.book_button)
        bar.addWidget(self.client_button)
        bar.addWidget(self.checkout_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addLayout(self.stack, 1)

    def _connect_signals(self) -> None:
        self.prev_button.clicked.connect(lambda: self.show_day(self.day - timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.show_day(self.day + timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.show_day(self._shop.today()))
        self.date_edit.dateChanged.connect(lambda d: self.show_day(d.toPython()))
        self.client_button.clicked.connect(self.open_selected_client)
        self.checkout_button.clicked.connect(self.checkout_selected)
        self.book_button.clicked.connect(self._book_clicked)
        self.grid.cellDoubleClicked.connect(self._double_clicked)
        self.grid.itemSelectionChanged.connect(self._update_buttons)
        self.follow = FollowChanges(self, self._desk.bus, SHOWN, self._on_changes)
        for keys, slot in (
            ("Alt+Left", self.prev_button.click),
            ("Alt+Right", self.next_button.click),
            ("Alt+Home", self.today_button.click),
            ("F9", self.checkout_selected),
            ("Ctrl+B", self._book_clicked),
        ):
            QShortcut(
                QKeySequence(keys),
                self,
                slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        for key in ("Return", "Enter"):
            QShortcut(
                QKeySequence(key),
                self.grid,
                self.open_selected_client,
                context=Qt.ShortcutContext.WidgetShortcut,
            )

    def _on_changes(self, _changes: Changes | None) -> None:
        self.refresh()

    def show_day(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self._show_date()
            self.refresh()

    def refresh(self) -> None:
        """Read the day on screen again (on the database worker). While a read is running,
        further requests make one more read after it, of the day asked for last; only the
        newest read is shown."""
        if self._loading:
            self._reload = True
            return
        self._loading = True
        self._reload = False
        self._asked += 1
        asked, day, user, calendar = self._asked, self.day, self._user, self._calendar
        self._desk.runner.run(
            lambda: calendar.day(day, user),
            doing=self.tr("loading the calendar"),
            on_done=lambda schedule: self._arrived(schedule, asked),
            on_finished=self._read_finished,
        )

    def _read_finished(self) -> None:
        self._loading = False
        if self._reload:  # asked again while that read ran: another day, or a change
            self.refresh()

    def _arrived(self, schedule: DaySchedule, asked: int) -> None:
        if asked == self._asked and schedule.day == self.day:
            self.show_schedule(schedule)

    def show_schedule(self, schedule: DaySchedule) -> None:
        """Put `schedule` on screen, keeping the selected appointment selected."""
        selected = self.grid.selected_appointment()
        self.schedule = schedule
        self._show_date()
        formats = self._desk.formats()
        count = len(schedule.appointments)
        # Placeholders are filled after translating; the count is a Qt plural.
        title = self.tr("{date} · %n appointment(s)", "", count)
        self.title.setText(plural_s(title, count).format(date=formats.long_date(schedule.day)))
        self.grid.show_day(schedule, formats)
        if not schedule.therapists:
            self.empty_label.setText(self.tr("No therapists are set up yet."))
            self.stack.setCurrentWidget(self.empty_label)
        elif not schedule.appointments:
            self.empty_label.setText(self.tr("No appointments on this day."))
            self.stack.setCurrentWidget(self.empty_label)
        else:
            self.stack.setCurrentWidget(self.grid)
        if selected is not None:
            self.select_appointment(selected.id)
        self._update_buttons()

    def _show_date(self) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.blockSignals(False)

    def _update_buttons(self) -> None:
        appt = self.grid.selected_appointment()
        self.client_button.setEnabled(appt is not None)
        self.checkout_button.setEnabled(appt is not None and appt.payable)

    def _double_clicked(self, row: int, column: int) -> None:
        """A block opens its client; an empty cell books that therapist at that time."""
        slot = self.grid.slot_at(row, column)
        if slot is None:
            self.open_selected_client()
        else:
            self.new_appointment(*slot)

    def _book_clicked(self) -> None:
        self.new_appointment()

    def new_appointment(self, staff_id: int | None = None, minute: int | None = None) -> None:
        """The New appointment dialog for the day on screen (therapist and time prefilled when
        given); the bus brings the booking into the grid."""
        if not self._user.can(Permission.BOOK_APPOINTMENTS):
            return
        self.booking_dialog = BookingDialog(
            self._desk, self.day, staff_id=staff_id, minute=minute, parent=self
        )
        self.booking_dialog.open()

    def open_selected_client(self) -> None:
        appt = self.grid.selected_appointment()
        if appt is not None:
            self._events.open_client.emit(appt.customer_id)

    def checkout_selected(self) -> None:
        appt = self.grid.selected_appointment()
        if (
            appt is not None
            and self.checkout_button.isEnabled()
            and self._user.can(Permission.CHECKOUT)
        ):
            self._events.checkout_requested.emit(appt.id)

    def select_appointment(self, appointment_id: int) -> bool:
        """Select an appointment's block (used by tests and by the scanner flow)."""
        for row in range(self.grid.rowCount()):
            for column in range(self.grid.columnCount()):
                item = self.grid.item(row, column)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == appointment_id:
                    self.grid.setCurrentItem(item)
                    return True
        return False
