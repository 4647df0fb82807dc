"""Calendar: the day's appointments per therapist; open the client or check out from here."""

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

from frontdesk.domain.errors import DomainError
from frontdesk.domain.roles import Permission
from frontdesk.ui import style
from frontdesk.ui.calendar.grid import DayGrid
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.errors import show_error
from frontdesk.ui.events import APPOINTMENTS, SALES
from frontdesk.ui.widgets.elided_label import ElidedLabel


class CalendarArea(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._calendar = desk.services.calendar
        self._shop = desk.services.shop
        self._user = desk.user
        self._events = desk.requests
        self.day: date = self._shop.today()
        self._init_toolbar()
        self._init_body()
        self._connect_signals()
        self.refresh()

    def _init_toolbar(self) -> None:
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.setToolTip("Previous day (Alt+Left)")
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Back to today (Alt+Home)")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next day (Alt+Right)")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        locale = self._desk.formats().locale
        self.date_edit.setLocale(QLocale(locale))
        self.date_edit.setDisplayFormat(qt_date_format(locale))
        self.title = ElidedLabel()  # a long date and count must not widen the window
        self.title.setObjectName("calendarTitle")
        self.title.setStyleSheet(style.TITLE)
        self.client_button = QPushButton("Open client")
        self.client_button.setToolTip("Open the selected appointment's client card (Enter)")
        self.checkout_button = QPushButton("Check out…")
        self.checkout_button.setObjectName("calendarCheckout")
        self.checkout_button.setToolTip("Take payment for the selected appointment (F9)")
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

        bar = QHBoxLayout()
        for widget in (self.prev_button, self.today_button, self.next_button, self.date_edit):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.client_button)
        bar.addWidget(self.checkout_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(self.stack, 1)

    def _connect_signals(self) -> None:
        self.prev_button.clicked.connect(lambda: self.show_day(self.day - timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.show_day(self.day + timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.show_day(self._shop.today()))
        self.date_edit.dateChanged.connect(lambda d: self.show_day(d.toPython()))
        self.client_button.clicked.connect(self.open_selected_client)
        self.checkout_button.clicked.connect(self.checkout_selected)
        self.grid.cellDoubleClicked.connect(lambda _r, _c: self.open_selected_client())
        self.grid.itemSelectionChanged.connect(self._update_buttons)
        self._events.changed.connect(self._on_changed)
        for keys, slot in (
            ("Alt+Left", self.prev_button.click),
            ("Alt+Right", self.next_button.click),
            ("Alt+Home", self.today_button.click),
            ("F9", self.checkout_selected),
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

    def _on_changed(self, kind: str) -> None:
        if kind in (APPOINTMENTS, SALES):
            self.refresh()

    def show_day(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self.refresh()

    def refresh(self) -> None:
        try:
            schedule = self._calendar.day(self.day, self._user)
        except DomainError as exc:
            show_error(self, exc, "loading the calendar")
            return
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.blockSignals(False)
        count = len(schedule.appointments)
        self.title.setText(f"{schedule.title} · {count} appointment{'s' if count != 1 else ''}")
        self.grid.show_day(schedule)
        if not schedule.therapists:
            self.empty_label.setText("No therapists are set up yet.")
            self.stack.setCurrentWidget(self.empty_label)
        elif not schedule.appointments:
            self.empty_label.setText("No appointments on this day.")
            self.stack.setCurrentWidget(self.empty_label)
        else:
            self.stack.setCurrentWidget(self.grid)
        self._update_buttons()

    def _update_buttons(self) -> None:
        appt = self.grid.selected_appointment()
        self.client_button.setEnabled(appt is not None)
        payable = appt is not None and not appt.paid and appt.status not in ("cancelled", "no_show")
        self.checkout_button.setEnabled(payable)

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
