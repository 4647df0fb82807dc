"""Calendar: the day's appointments per therapist or per room, a week of one therapist or room,
the month's load and the room board; book, move, resize, open the client or check out from here.

The day (or week) is read on the database worker through the runner, and read again whenever
the bus announces a change of something the calendar shows (here or at another terminal); only
the newest read is shown. The month view and the room board load themselves the same way.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.roles import Permission
from frontdesk.services.calendar import AppointmentView, DaySchedule
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.free_slots import FreeSlot
from frontdesk.ui import style
from frontdesk.ui.calendar.booking_dialog import BookingDialog
from frontdesk.ui.calendar.find_slot_dialog import FindSlotDialog
from frontdesk.ui.calendar.grid_layout import (
    STEPS,
    ColumnKind,
    GridColumn,
    shown,
    week_columns,
)
from frontdesk.ui.calendar.grid_moves import GridMoves
from frontdesk.ui.calendar.grid_settings import GridChoices, load_choices, save_choices
from frontdesk.ui.calendar.month_view import MonthView
from frontdesk.ui.calendar.recurring_dialog import RecurringDialog
from frontdesk.ui.calendar.room_board import RoomBoardView
from frontdesk.ui.calendar.status_actions import bind_status_keys, status_actions
from frontdesk.ui.calendar.time_grid import TimeGrid
from frontdesk.ui.calendar.waitlist_panel import WaitlistPanel, WaitlistPick
from frontdesk.ui.calendar.words import working_hours
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

DAY, WEEK, MONTH, BOARD = "day", "week", "month", "board"


class CalendarArea(QWidget):
    """The calendar area (see the module doc)."""

    #: The New appointment dialog was opened (`booking_dialog`), by any way in.
    booking_dialog_opened = Signal()

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._calendar = desk.services.calendar
        self._shop = desk.services.shop
        self._user = desk.user
        self._events = desk.requests
        self.day: date = self._shop.today()
        self.mode = DAY
        self.choices = load_choices()
        #: The day on screen (None until the first read arrives; the week's first day in the
        #: week view).
        self.schedule: DaySchedule | None = None
        #: The week on screen (the week view).
        self.week_days: tuple[DaySchedule, ...] = ()
        #: Whose week: ("staff" or "room", id); None: the first therapist.
        self.week_of: tuple[str, int] | None = None
        self._loading = False
        self._reload = False
        self._asked = 0  # reads started; only the newest one's result is shown
        self.booking_dialog: QWidget | None = None
        #: An appointment to select once its day arrives (opened from the room board).
        self._pending_select: int | None = None
        self.side_dialog: QWidget | None = None
        self.find_dialog: FindSlotDialog | None = None
        self._init_toolbar()
        self._init_body()
        self._connect_signals()
        self.refresh()

    # -- building -----------------------------------------------------------------------------

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

        self.view_buttons = QButtonGroup(self)
        self.view_buttons.setExclusive(True)
        self.day_button = self._view_button(self.tr("Day"), self.tr("One day (Alt+D)"), DAY)
        self.week_button = self._view_button(
            self.tr("Week"), self.tr("A week of one therapist or room (Alt+W)"), WEEK
        )
        self.month_button = self._view_button(
            self.tr("Month"), self.tr("The month's load; pick a day (Alt+M)"), MONTH
        )
        self.board_button = self._view_button(
            self.tr("Room board"), self.tr("Rooms, beds and places now (Alt+R)"), BOARD
        )
        self.day_button.setChecked(True)
        self.columns_combo = QComboBox()
        self.columns_combo.setObjectName("calendarColumns")
        self.columns_combo.addItem(self.tr("Per therapist"), ColumnKind.STAFF)
        self.columns_combo.addItem(self.tr("Per room"), ColumnKind.ROOM)
        self.columns_combo.setToolTip(self.tr("A column per therapist or per room (Alt+P)"))
        self.columns_combo.setCurrentIndex(1 if self.choices.by_room else 0)
        self.who_combo = QComboBox()  # the week view's therapist or room
        self.who_combo.setObjectName("calendarWeekOf")
        self.who_combo.setToolTip(self.tr("Whose week"))
        self.who_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.who_combo.setMaximumWidth(280)
        self.step_combo = QComboBox()
        self.step_combo.setObjectName("calendarStep")
        for minutes in STEPS:
            self.step_combo.addItem(self.tr("%n min", "", minutes), minutes)
        self.step_combo.setToolTip(self.tr("Minutes per row"))
        self.step_combo.setCurrentIndex(STEPS.index(self.choices.step))
        self.zoom_out_button = QToolButton()
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setToolTip(self.tr("Zoom out (Ctrl+-, Ctrl+wheel)"))
        self.zoom_in_button = QToolButton()
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip(self.tr("Zoom in (Ctrl+=, Ctrl+wheel)"))
        self.undo_button = QPushButton(self.tr("Undo move"))
        self.undo_button.setObjectName("calendarUndo")
        self.undo_button.setToolTip(self.tr("Put the last moved appointment back (Ctrl+Z)"))
        self.undo_button.setEnabled(False)
        self.find_button = QPushButton(self.tr("Find free slot…"))
        self.find_button.setToolTip(self.tr("The next free times for a service (Ctrl+Shift+F)"))
        self.waitlist_button = QPushButton(self.tr("Waitlist"))
        self.waitlist_button.setCheckable(True)
        self.waitlist_button.setToolTip(self.tr("Show who is waiting for a slot (Alt+L)"))
        self.book_button = QPushButton(self.tr("New appointment…"))
        self.book_button.setObjectName("calendarBook")
        self.book_button.setToolTip(self.tr("Book a client with a therapist (Ctrl+B)"))
        self.client_button = QPushButton(self.tr("Open client"))
        self.client_button.setToolTip(
            self.tr("Open the selected appointment's client card (Enter)")
        )
        self.checkout_button = QPushButton(self.tr("Check out…"))
        self.checkout_button.setObjectName("calendarCheckout")
        self.checkout_button.setToolTip(self.tr("Take payment for the selected appointment (F9)"))

    def _view_button(self, text: str, tip: str, mode: str) -> QPushButton:
        button = QPushButton(text)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.setProperty("mode", mode)
        self.view_buttons.addButton(button)
        return button

    def _init_body(self) -> None:
        self.grid = TimeGrid()
        self.grid.can_change = self._user.can(Permission.BOOK_APPOINTMENTS)
        self.grid.set_step(self.choices.step)
        self.grid.set_zoom(self.choices.zoom)
        self.grid.now = self._now
        self.moves = GridMoves(self._desk, self)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("calendarEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(style.NOTICE)
        self.notice = QLabel()  # a refused move, in words
        self.notice.setObjectName("calendarNotice")
        self.notice.setStyleSheet(style.ERROR_TEXT)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        # The month, the room board and the waitlist read themselves once built: each is built
        # when first shown, so a desk that never opens them never reads for them.
        self.month_view: MonthView | None = None
        self.room_board: RoomBoardView | None = None
        self.waitlist: WaitlistPanel | None = None
        self.views = QStackedWidget()
        # A stack is as wide as its widest page (the month, 600 pixels): with the waitlist open
        # that would widen an 800-pixel window; the pages make do with what there is instead.
        self.views.setMinimumWidth(320)
        self.views.addWidget(self.grid)
        self.views.addWidget(self.empty_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.views)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)

        # The title has a line of its own: beside the buttons, a long weekday and date (Russian,
        # German) lost its count to the ellipsis in a window 800 pixels wide. The buttons take
        # two lines for the same reason.
        # Toolbars, not rows of buttons: what does not fit a narrow window (Russian words are
        # long) goes into the toolbar's » menu instead of widening the window.
        self.nav_bar = QToolBar()
        self.nav_bar.setObjectName("calendarNavigation")
        for widget in (self.prev_button, self.today_button, self.next_button, self.date_edit):
            self.nav_bar.addWidget(widget)
        self.nav_bar.addSeparator()
        for button in (self.day_button, self.week_button, self.month_button, self.board_button):
            self.nav_bar.addWidget(button)
        self.nav_bar.addSeparator()
        self.columns_action = self.nav_bar.addWidget(self.columns_combo)
        self.who_action = self.nav_bar.addWidget(self.who_combo)
        self.who_action.setVisible(False)
        self.tool_bar = QToolBar()
        self.tool_bar.setObjectName("calendarTools")
        self.tool_bar.addWidget(self.step_combo)
        self.tool_bar.addWidget(self.zoom_out_button)
        self.tool_bar.addWidget(self.zoom_in_button)
        self.tool_bar.addWidget(self.undo_button)
        self.tool_bar.addSeparator()
        for widget in (
            self.find_button,
            self.waitlist_button,
            self.book_button,
            self.client_button,
            self.checkout_button,
        ):
            self.tool_bar.addWidget(widget)
        # In a toolbar a widget is shown or hidden through its action.
        for widget, allowed in (
            (self.find_button, Permission.BOOK_APPOINTMENTS),
            (self.book_button, Permission.BOOK_APPOINTMENTS),
            (self.checkout_button, Permission.CHECKOUT),
        ):
            self._action_of(self.tool_bar, widget).setVisible(self._user.can(allowed))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.nav_bar)
        layout.addWidget(self.tool_bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)

    @staticmethod
    def _action_of(bar: QToolBar, widget: QWidget) -> QAction:
        for action in bar.actions():
            if bar.widgetForAction(action) is widget:
                return action
        raise LookupError(widget)

    def _connect_signals(self) -> None:
        self.prev_button.clicked.connect(lambda: self.show_day(self.day - self._stride()))
        self.next_button.clicked.connect(lambda: self.show_day(self.day + self._stride()))
        self.today_button.clicked.connect(lambda: self.show_day(self._shop.today()))
        self.date_edit.dateChanged.connect(lambda d: self.show_day(d.toPython()))
        self.client_button.clicked.connect(self.open_selected_client)
        self.checkout_button.clicked.connect(self.checkout_selected)
        self.book_button.clicked.connect(self._book_clicked)
        self.undo_button.clicked.connect(self.moves.undo)
        self.find_button.clicked.connect(self.find_free_slot)
        self.waitlist_button.toggled.connect(self.show_waitlist)
        self.view_buttons.buttonClicked.connect(lambda b: self.show_mode(b.property("mode")))
        self.columns_combo.currentIndexChanged.connect(self._columns_changed)
        self.who_combo.currentIndexChanged.connect(self._who_changed)
        self.step_combo.currentIndexChanged.connect(self._step_changed)
        self.zoom_in_button.clicked.connect(self.grid.zoom_in)
        self.zoom_out_button.clicked.connect(self.grid.zoom_out)
        self.grid.zoom_changed.connect(self._zoom_changed)
        self.grid.selection_changed.connect(self._update_buttons)
        self.grid.create_requested.connect(self._create_requested)
        self.grid.move_requested.connect(self._move_requested)
        self.grid.resize_requested.connect(self._resize_requested)
        self.grid.open_requested.connect(
            lambda appt: self._events.open_client.emit(appt.customer_id)
        )
        self.grid.context_requested.connect(self.show_block_menu)
        self.moves.snap_back.connect(self.grid.snap_back)
        self.moves.refused.connect(self._show_refusal)
        self.moves.can_undo_changed.connect(self.undo_button.setEnabled)
        self.follow = FollowChanges(self, self._desk.bus, SHOWN, self._on_changes)
        # The status steps' keys (Ctrl+Shift+C/A/S/D/N, Delete to cancel) act on the selected
        # block, as in its context menu.
        self.status_keys = bind_status_keys(self._desk, self, self.grid.selected_appointment)
        for keys, slot in (
            ("Alt+Left", self.prev_button.click),
            ("Alt+Right", self.next_button.click),
            ("Alt+Home", self.today_button.click),
            ("F9", self.checkout_selected),
            ("Ctrl+B", self._book_clicked),
            ("Ctrl+Z", self.moves.undo),
            ("Alt+D", self.day_button.click),
            ("Alt+W", self.week_button.click),
            ("Alt+M", self.month_button.click),
            ("Alt+R", self.board_button.click),
            ("Alt+P", self._toggle_columns),
            ("Alt+L", self.waitlist_button.click),
            ("Ctrl+Shift+F", self.find_free_slot),
        ):
            QShortcut(
                QKeySequence(keys),
                self,
                slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

    # -- reading ------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.now(self._shop.info().zone)

    def _stride(self) -> timedelta:
        return timedelta(days=7) if self.mode == WEEK else timedelta(days=1)

    def _on_changes(self, _changes: Changes | None) -> None:
        self.refresh()

    def show_day(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self._show_date()
            self.refresh()

    def refresh(self) -> None:
        """Read the day (or week) on screen again (on the database worker). While a read is
        running, further requests make one more read after it, of the day asked for last; only
        the newest read is shown. The month view and the room board read themselves."""
        if self.mode == MONTH:
            self._show_date()
            self._month().show_month(self.day)
            return
        if self.mode == BOARD:
            self._show_date()
            return
        if self._loading:
            self._reload = True
            return
        self._loading = True
        self._reload = False
        self._asked += 1
        asked, day, user, calendar = self._asked, self.day, self._user, self._calendar
        if self.mode == WEEK:
            first = day - timedelta(days=day.weekday())
            kind, who = self.week_of or (ColumnKind.STAFF, 0)

            def read_week() -> tuple[DaySchedule, ...]:
                return self._read_week(first, kind, who)

            self._desk.runner.run(
                read_week,
                doing=self.tr("loading the calendar"),
                on_done=lambda days: self._week_arrived(days, asked),
                on_finished=self._read_finished,
            )
            return
        self._desk.runner.run(
            lambda: calendar.day(day, user),
            doing=self.tr("loading the calendar"),
            on_done=lambda schedule: self._arrived(schedule, asked),
            on_finished=self._read_finished,
        )

    def _read_week(self, first: date, kind: str, who: int) -> tuple[DaySchedule, ...]:
        """The week's days (runs on the database worker): the views lane's week() for one
        therapist or room. Without a choice yet, the first therapist's."""
        calendar, user = self._calendar, self._user
        if not who:
            opening = calendar.day(first, user)
            if not opening.therapists:
                return (opening,)
            who = opening.therapists[0].id
        staff_id = who if kind == ColumnKind.STAFF else None
        room_id = who if kind == ColumnKind.ROOM else None
        week = calendar.week(first, user, staff_id=staff_id, room_id=room_id)
        return week.days

    def _read_finished(self) -> None:
        self._loading = False
        if self._reload:  # asked again while that read ran: another day, or a change
            self.refresh()

    def _arrived(self, schedule: DaySchedule, asked: int) -> None:
        if asked == self._asked and schedule.day == self.day and self.mode == DAY:
            self.show_schedule(schedule)

    def _week_arrived(self, days: tuple[DaySchedule, ...], asked: int) -> None:
        first = self.day - timedelta(days=self.day.weekday())
        if asked == self._asked and self.mode == WEEK and days and days[0].day == first:
            self.show_week(days)

    def show_schedule(self, schedule: DaySchedule) -> None:
        """Put the day `schedule` on screen, keeping the selected appointment selected."""
        self.schedule = schedule
        self._show_date()
        formats = self._desk.formats()
        count = sum(1 for a in schedule.appointments if shown(a))
        # Placeholders are filled after translating; the count is a Qt plural.
        title = self.tr("{date} · %n appointment(s)", "", count)
        text = plural_s(title, count).format(date=formats.long_date(schedule.day))
        if schedule.closed:
            text += " · " + (schedule.closed_note or self.tr("Closed"))
        self.title.setText(text)
        by_room = self.columns_combo.currentData() == ColumnKind.ROOM
        self.grid.show_day(schedule, formats, by_room=by_room)
        columns = self.grid.columns
        self._update_who(schedule)
        if self._pending_select is not None:
            self.grid.select_appointment(self._pending_select)
            self._pending_select = None
        if not columns:
            self.empty_label.setText(
                self.tr("No rooms are set up yet.")
                if by_room
                else self.tr("No therapists are set up yet.")
            )
            self.views.setCurrentWidget(self.empty_label)
        else:
            # An empty day stays a grid (free time is booked by dragging over it); the notice
            # says there is nothing yet.
            self.empty_label.setText("" if count else self.tr("No appointments on this day."))
            self.views.setCurrentWidget(self.grid)
        self._update_buttons()

    def show_week(self, days: tuple[DaySchedule, ...]) -> None:
        """Put a week of one therapist or room on screen."""
        self.week_days = days
        self.schedule = days[0]
        if self.who_combo.count() == 0:  # a week holds only its own column: keep the day's list
            self._update_who(days[0])
        formats = self._desk.formats()
        kind, who = self.week_of or (ColumnKind.STAFF, 0)
        if not who and days[0].therapists:
            who = days[0].therapists[0].id
        staff_id = who if kind == ColumnKind.STAFF else None
        room_id = who if kind == ColumnKind.ROOM else None
        columns = week_columns(days, staff_id=staff_id, room_id=room_id)
        columns = tuple(
            GridColumn(**{**c.__dict__, "title": formats.short_date(c.day)}) for c in columns
        )
        subtitles = []
        for schedule in days:
            therapist = next((t for t in schedule.therapists if t.id == staff_id), None)
            if schedule.closed:
                subtitles.append(schedule.closed_note or self.tr("Closed"))
            elif therapist is not None:
                subtitles.append(working_hours(therapist, formats))
            else:
                subtitles.append("")
        appointments = [a for s in days for a in s.appointments if shown(a)]
        count = len([a for a in appointments if any(c.day == a.starts.date() for c in columns)])
        name = self.who_combo.currentText()
        title = self.tr("{name}: week of {date} · %n appointment(s)", "", count)
        self.title.setText(
            plural_s(title, count).format(name=name, date=formats.long_date(days[0].day))
        )
        self.grid.show_columns(columns, appointments, formats, subtitles)
        self.views.setCurrentWidget(self.grid)
        self._show_date()
        self._update_buttons()

    def _update_who(self, schedule: DaySchedule) -> None:
        """The week view's list of therapists and rooms (kept while the choice still exists)."""
        wanted = self.week_of
        self.who_combo.blockSignals(True)
        self.who_combo.clear()
        for t in schedule.therapists:
            self.who_combo.addItem(t.name, (ColumnKind.STAFF, t.id))
        for r in schedule.rooms:
            self.who_combo.addItem(r.name, (ColumnKind.ROOM, r.id))
        index = self.who_combo.findData(wanted) if wanted is not None else 0
        self.who_combo.setCurrentIndex(max(0, index))
        self.who_combo.blockSignals(False)

    def _show_date(self) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.blockSignals(False)

    # -- views and choices --------------------------------------------------------------------

    def show_mode(self, mode: str) -> None:
        """Day, week, month or room board."""
        if mode == self.mode:
            return
        self.mode = mode
        for button in self.view_buttons.buttons():
            button.setChecked(button.property("mode") == mode)
        self.columns_action.setVisible(mode == DAY)
        self.who_action.setVisible(mode == WEEK)
        on_grid = mode in (DAY, WEEK)
        for widget in (self.step_combo, self.zoom_in_button, self.zoom_out_button):
            widget.setEnabled(on_grid)
        week = mode == WEEK
        self.prev_button.setToolTip(
            self.tr("Previous week (Alt+Left)") if week else self.tr("Previous day (Alt+Left)")
        )
        self.next_button.setToolTip(
            self.tr("Next week (Alt+Right)") if week else self.tr("Next day (Alt+Right)")
        )
        if mode == MONTH:
            self.views.setCurrentWidget(self._month())
            self.title.setText(self.tr("Month"))
        elif mode == BOARD:
            self.views.setCurrentWidget(self._board())
            self.title.setText(self.tr("Room board"))
        if mode == WEEK and self.week_of is None:
            data = self.who_combo.currentData()
            self.week_of = (data[0], data[1]) if data else None
        self._asked += 1  # a read of the old view still running is not shown
        self.refresh()
        if mode in (DAY, WEEK):
            self.grid.setFocus()

    def _month(self) -> MonthView:
        if self.month_view is None:
            self.month_view = MonthView(self._desk)
            self.month_view.day_chosen.connect(self._month_day_chosen)
            self.views.addWidget(self.month_view)
        return self.month_view

    def _board(self) -> RoomBoardView:
        if self.room_board is None:
            self.room_board = RoomBoardView(self._desk)
            self.room_board.open_appointment.connect(self._board_opened)
            self.views.addWidget(self.room_board)
        return self.room_board

    def _waitlist(self) -> WaitlistPanel:
        if self.waitlist is None:
            self.waitlist = WaitlistPanel(self._desk)
            self.waitlist.book_requested.connect(self._waitlist_book)
            self.splitter.addWidget(self.waitlist)
            self.splitter.setCollapsible(1, True)
        return self.waitlist

    def _month_day_chosen(self, day: date) -> None:
        self.day = day
        self.show_mode(DAY)

    def _board_opened(self, appointment_id: int) -> None:
        self._pending_select = appointment_id
        self.show_day(self._shop.today())
        self.show_mode(DAY)

    def _toggle_columns(self) -> None:
        self.columns_combo.setCurrentIndex(1 - self.columns_combo.currentIndex())

    def _columns_changed(self) -> None:
        self._save_choices()
        if self.schedule is not None and self.mode == DAY:
            self.show_schedule(self.schedule)

    def _who_changed(self) -> None:
        data = self.who_combo.currentData()
        self.week_of = (data[0], data[1]) if data else None
        if self.mode == WEEK:
            self._asked += 1
            self.refresh()

    def _step_changed(self) -> None:
        self.grid.set_step(int(self.step_combo.currentData()))
        self._save_choices()

    def _zoom_changed(self, _zoom: float) -> None:
        self._save_choices()

    def _save_choices(self) -> None:
        self.choices = GridChoices(
            self.grid.step, self.grid.zoom, self.columns_combo.currentData() == ColumnKind.ROOM
        )
        save_choices(self.choices)

    def show_waitlist(self, visible: bool) -> None:
        if visible or self.waitlist is not None:
            self._waitlist().setVisible(visible)
        self.waitlist_button.setChecked(visible)

    # -- the selection ------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        appt = self.grid.selected_appointment()
        self.client_button.setEnabled(appt is not None)
        self.checkout_button.setEnabled(appt is not None and appt.payable)

    def select_appointment(self, appointment_id: int) -> bool:
        """Select an appointment's block (used by tests and by the scanner flow)."""
        return self.grid.select_appointment(appointment_id)

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

    def block_actions(self, appt: AppointmentView) -> list[QAction]:
        """The block's context menu: open the client, check out, the status steps, repeat."""
        actions: list[QAction] = []
        open_client = QAction(self.tr("Open client"), self)
        open_client.setShortcut(QKeySequence("Enter"))
        open_client.triggered.connect(lambda: self._events.open_client.emit(appt.customer_id))
        actions.append(open_client)
        if self._user.can(Permission.CHECKOUT) and appt.payable:
            checkout = QAction(self.tr("Check out…"), self)
            checkout.setShortcut(QKeySequence("F9"))
            checkout.triggered.connect(lambda: self._events.checkout_requested.emit(appt.id))
            actions.append(checkout)
        actions.extend(status_actions(self._desk, appt, self))
        if self._user.can(Permission.BOOK_APPOINTMENTS) and appt.status.holds_time:
            repeat = QAction(self.tr("Repeat…"), self)
            repeat.setToolTip(self.tr("Book the same every few weeks"))
            repeat.triggered.connect(
                lambda: self._open_side(RecurringDialog(self._desk, appt.id, self))
            )
            actions.append(repeat)
        return actions

    def show_block_menu(self, appt: AppointmentView, at: QPoint) -> None:
        self.block_menu = QMenu(self)
        for action in self.block_actions(appt):
            self.block_menu.addAction(action)
        self.block_menu.popup(at)

    # -- booking, moving ----------------------------------------------------------------------

    def _book_clicked(self) -> None:
        self.new_appointment()

    def new_appointment(
        self,
        staff_id: int | None = None,
        minute: int | None = None,
        *,
        starts: datetime | None = None,
        duration_minutes: int | None = None,
        room_id: int | None = None,
        client_id: int | None = None,
        service_ids: tuple[int, ...] = (),
    ) -> None:
        """The New appointment dialog for the day on screen (therapist or room, time and length
        prefilled when given); the bus brings the booking into the grid."""
        if not self._user.can(Permission.BOOK_APPOINTMENTS):
            return
        day = starts.date() if starts is not None else self.day
        if starts is not None and minute is None:
            minute = starts.hour * 60 + starts.minute
        dialog = BookingDialog(
            self._desk,
            day,
            staff_id,
            minute,
            self,
            client_id=client_id,
            service_ids=service_ids,
            duration_minutes=duration_minutes,
            room_id=room_id,
            starts=starts,
            step_minutes=self.grid.step,
        )
        self.booking_dialog = dialog
        dialog.open()
        self.booking_dialog_opened.emit()

    def _create_requested(self, column: GridColumn, starts: datetime, minutes: int) -> None:
        self.new_appointment(
            column.staff_id,
            starts=starts,
            duration_minutes=minutes or None,
            room_id=column.room_id,
        )

    def _move_requested(self, appt: AppointmentView, starts: datetime, column: GridColumn) -> None:
        self.moves.move(appt, starts, column)

    def _resize_requested(self, appt: AppointmentView, ends: datetime) -> None:
        self.moves.resize(appt, ends)

    def _show_refusal(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def find_free_slot(self) -> None:
        """The slots lane's Find free slot dialog; a chosen slot opens the booking prefilled."""
        if not self._user.can(Permission.BOOK_APPOINTMENTS):
            return
        appt = self.grid.selected_appointment()
        dialog = FindSlotDialog(
            self._desk,
            self.day,
            self,
            service_ids=(appt.service_id,) if appt is not None and appt.service_id else (),
            client_id=appt.customer_id if appt is not None else None,
        )
        self.find_dialog = dialog
        dialog.slot_chosen.connect(self._slot_chosen)
        self._open_side(dialog)

    def _slot_chosen(self, slot: FreeSlot) -> None:
        """A free slot taken in Find free slot: the booking dialog with its services, therapist,
        room and time (and the client the search was for)."""
        first = slot.legs[0] if slot.legs else None
        self.new_appointment(
            first.staff_id if first is not None else None,
            starts=slot.starts,
            room_id=first.room_id if first is not None else None,
            client_id=first.client_id if first is not None and first.client_id else None,
            service_ids=tuple(dict.fromkeys(leg.service_id for leg in slot.legs)),
        )

    def _waitlist_book(self, pick: WaitlistPick) -> None:
        """The waitlist's Book: the booking dialog prefilled with the waiting client and the
        free slot; once booked, their entry closes with the appointment."""
        entry, slot = pick.entry, pick.slot
        first = slot.legs[0] if slot.legs else None
        self.new_appointment(
            first.staff_id if first is not None else None,
            starts=slot.starts,
            room_id=first.room_id if first is not None else None,
            client_id=entry.client_id,
            service_ids=tuple(leg.service_id for leg in slot.legs) or (entry.service_id,),
        )
        dialog = self.booking_dialog
        if isinstance(dialog, BookingDialog):
            panel = self._waitlist()

            def booked() -> None:
                if dialog.booked_id is not None:
                    panel.mark_booked(entry.id, dialog.booked_id)

            dialog.accepted.connect(booked)

    def _open_side(self, dialog: QWidget) -> None:
        self.side_dialog = dialog
        dialog.open()  # type: ignore[attr-defined]
