"""The month overview: a grid of weeks, each day with its number of appointments and its load
(booked over working time, as a bar and in words), closed days marked, today outlined.

It reads the month on the database worker through the runner and reads it again when the bus
announces a change of appointments, staff hours or the shop's days (here or at another
terminal). Click a day or press Enter to open it (`day_chosen`); arrows move a day or a week,
Page Up/Page Down a month."""

from __future__ import annotations

import calendar as gregorian
from datetime import date, timedelta
from typing import Any, ClassVar

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.formats import Formats
from frontdesk.services.calendar import DayLoad, MonthLoad
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.plural import plural_s

#: What the month shows: appointments, the therapists' hours and absences, the shop's hours,
#: closed days and zone.
SHOWN = (ChangeKind.APPOINTMENTS, ChangeKind.STAFF, ChangeKind.SHOP)

WEEKS = 6  # always six rows: the grid does not jump from month to month
DATE_ROLE = Qt.ItemDataRole.UserRole
LOAD_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2  # the words under the day's number
TODAY_ROLE = Qt.ItemDataRole.UserRole + 3
CLOSED_ROLE = Qt.ItemDataRole.UserRole + 4  # "Closed", written at the foot of a closed day

#: Load bar colours: light, busy, nearly full (the percentage is always written beside it).
LIGHT, BUSY, FULL = QColor("#6aa84f"), QColor("#e6a23c"), QColor("#cc4125")
TODAY_OUTLINE = QColor("#1a73e8")
CLOSED_FILL = QColor("#ececec")


def month_title(first_day: date, locale: str) -> str:
    """'November 2026', '2026年11月', 'Ноябрь 2026 г.'."""
    text = str(format_skeleton("yMMMM", first_day, locale=locale))
    return text[:1].upper() + text[1:]


def first_weekday(locale: str) -> int:
    """The reader's first day of the week (0 = Monday): Sunday in the USA, Monday in Britain,
    China and Russia."""
    try:
        return int(Locale.parse(locale).first_week_day)
    except (ValueError, TypeError):
        return 0


def _hours(minutes: int, locale: str) -> str:
    return str(format_decimal(round(minutes / 60, 1), format="#,##0.#", locale=locale))


class MonthModel(QAbstractTableModel):
    """Six weeks of seven days around one month; days outside the month are blank."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_day = date.today().replace(day=1)
        self.start = self.first_day  # the date in the top-left cell
        self.first_weekday = 0
        self.formats: Formats | None = None
        self.today: date | None = None
        self.loads: dict[date, DayLoad] = {}

    def set_month(self, first_day: date, first_weekday: int, formats: Formats, today: date) -> None:
        self.beginResetModel()
        self.first_day = first_day
        self.first_weekday = first_weekday
        self.start = first_day - timedelta(days=(first_day.weekday() - first_weekday) % 7)
        self.formats = formats
        self.today = today
        self.loads = {}
        self.endResetModel()

    def set_loads(self, month: MonthLoad, today: date) -> None:
        self.loads = {load.day: load for load in month.days}
        self.today = today
        self.dataChanged.emit(self.index(0, 0), self.index(WEEKS - 1, 6))

    def date_at(self, row: int, column: int) -> date | None:
        day = self.start + timedelta(days=row * 7 + column)
        return day if (day.year, day.month) == (self.first_day.year, self.first_day.month) else None

    def index_of(self, day: date) -> QModelIndex:
        offset = (day - self.start).days
        if not 0 <= offset < WEEKS * 7 or self.date_at(*divmod(offset, 7)) is None:
            return QModelIndex()
        return self.index(*divmod(offset, 7))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else WEEKS

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or self.date_at(index.row(), index.column()) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.formats is None:
            return None
        weekday = (self.first_weekday + section) % 7
        days = Locale.parse(self.formats.locale).days["stand-alone"]
        if role == Qt.ItemDataRole.DisplayRole:
            return days["abbreviated"][weekday]
        if role == Qt.ItemDataRole.ToolTipRole:
            return days["wide"][weekday]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        day = self.date_at(index.row(), index.column())
        if day is None:
            return None
        load = self.loads.get(day)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(day.day)
        if role == DATE_ROLE:
            return day
        if role == LOAD_ROLE:
            return load
        if role == TODAY_ROLE:
            return day == self.today
        if role == COUNT_ROLE:
            return self._count_words(load)
        if role == CLOSED_ROLE:
            return (
                QCoreApplication.translate("MonthView", "Closed")
                if load is not None and load.closed
                else ""
            )
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._description(day, load)
        return None

    def _count_words(self, load: DayLoad | None) -> str:
        if load is None:
            return ""
        return plural_s(
            QCoreApplication.translate("MonthView", "%n appointment(s)", None, load.appointments),
            load.appointments,
        )

    def _description(self, day: date, load: DayLoad | None) -> str:
        """The day in words, for the tooltip and screen readers: nothing is told by colour
        alone."""
        assert self.formats is not None
        lines = [self.formats.long_date(day)]
        if day == self.today:
            lines.append(QCoreApplication.translate("MonthView", "Today"))
        if load is None:
            return "\n".join(lines)
        if load.closed:
            lines.append(QCoreApplication.translate("MonthView", "The shop is closed"))
        count = load.appointments
        lines.append(
            plural_s(
                QCoreApplication.translate("MonthView", "%n appointment(s)", None, count), count
            )
        )
        locale = self.formats.locale
        if load.working_minutes > 0:
            lines.append(
                QCoreApplication.translate(
                    "MonthView", "{percent} of working time booked ({booked} h of {working} h)"
                ).format(
                    percent=format_percent(load.load, locale=locale),
                    booked=_hours(load.booked_minutes, locale),
                    working=_hours(load.working_minutes, locale),
                )
            )
        elif not load.closed:
            lines.append(QCoreApplication.translate("MonthView", "No working hours"))
        return "\n".join(lines)


class MonthDelegate(QStyledItemDelegate):
    """Paints a day: its number, its appointments in words, a load bar with its percentage;
    closed days shaded, today outlined."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        day = index.data(DATE_ROLE)
        if day is None:
            return
        load: DayLoad | None = index.data(LOAD_ROLE)
        model = index.model()
        locale = model.formats.locale if isinstance(model, MonthModel) and model.formats else "en"
        cell = QRect(option.rect).adjusted(2, 2, -2, -2)
        palette = option.palette
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if load is not None and load.closed:
            painter.fillRect(cell, CLOSED_FILL)
            painter.fillRect(cell, QBrush(QColor("#c8c8c8"), Qt.BrushStyle.BDiagPattern))
        if index.data(TODAY_ROLE):
            painter.setPen(QPen(TODAY_OUTLINE, 2))
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), 4, 4)
        elif state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(palette.highlight().color(), 1, Qt.PenStyle.DashLine))
            painter.drawRect(cell.adjusted(1, 1, -1, -1))
        text_color = palette.text().color()
        inner = cell.adjusted(6, 4, -6, -4)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_color)
        line = painter.fontMetrics().height()
        painter.drawText(
            inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(day.day)
        )
        font.setBold(False)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        count = index.data(COUNT_ROLE) or ""
        if load is not None and metrics.horizontalAdvance(count) > inner.width():
            count = str(load.appointments)  # a narrow cell: the number alone (words in the tip)
        count_rect = QRect(inner.left(), inner.top() + line + 2, inner.width(), line)
        painter.drawText(
            count_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(count, Qt.TextElideMode.ElideRight, inner.width()),
        )
        closed = index.data(CLOSED_ROLE)
        if closed:
            font.setItalic(True)
            painter.setFont(font)
            painter.drawText(
                inner,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                painter.fontMetrics().elidedText(
                    closed, Qt.TextElideMode.ElideRight, inner.width()
                ),
            )
        if load is not None and load.working_minutes > 0:
            percent = str(format_percent(load.load, locale=locale))
            text_width = metrics.horizontalAdvance(percent) + 10
            bar_top = inner.bottom() - max(8, line // 2)
            bar = QRect(
                inner.left(), bar_top, max(8, inner.width() - text_width), max(8, line // 2)
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#e3e3e3"))
            painter.drawRoundedRect(bar, 3, 3)
            filled = QRect(bar)
            filled.setWidth(round(bar.width() * load.load))
            painter.setBrush(LIGHT if load.load < 0.5 else BUSY if load.load < 0.85 else FULL)
            if filled.width() > 0:
                painter.drawRoundedRect(filled, 3, 3)
            painter.setPen(text_color)
            painter.drawText(
                QRect(bar.right() + 4, bar_top - line, text_width, line * 2 + bar.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                percent,
            )
        painter.restore()


class MonthTable(QTableView):
    """The grid; arrows and Page Up/Down move the chosen date (across months), Enter opens
    it. The view asks `MonthView` to move rather than moving within six fixed rows itself."""

    move_days = Signal(int)
    move_months = Signal(int)
    choose = Signal()

    KEYS_DAYS: ClassVar[dict[Qt.Key, int]] = {
        Qt.Key.Key_Left: -1,
        Qt.Key.Key_Right: 1,
        Qt.Key.Key_Up: -7,
        Qt.Key.Key_Down: 7,
    }

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
        elif key in self.KEYS_DAYS:
            self.move_days.emit(self.KEYS_DAYS[Qt.Key(key)])
        elif key == Qt.Key.Key_PageUp:
            self.move_months.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.move_months.emit(1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose.emit()
        else:
            super().keyPressEvent(event)


class MonthView(QWidget):
    """The month overview of the shop's load; `day_chosen` (a date) opens a day."""

    day_chosen = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._calendar = desk.services.calendar
        self._shop = desk.services.shop
        self._user = desk.user
        #: The chosen day; its month is on screen.
        self.day: date = self._shop.today()
        self.first_day = self.day.replace(day=1)
        #: The month's load on screen (None until the first read arrives).
        self.load: MonthLoad | None = None
        self._loading = False
        self._reload = False
        self._asked = 0
        self._init_widgets()
        self._connect_signals()
        self._show_month_frame()
        self.refresh()

    def _init_widgets(self) -> None:
        self.prev_button = QPushButton(self.tr("◀ Previous month"))
        self.prev_button.setToolTip(self.tr("Previous month (Page Up)"))
        self.today_button = QPushButton(self.tr("Today"))
        self.today_button.setToolTip(self.tr("Back to this month (Alt+Home)"))
        self.next_button = QPushButton(self.tr("Next month ▶"))
        self.next_button.setToolTip(self.tr("Next month (Page Down)"))
        self.title = QLabel()
        self.title.setObjectName("monthTitle")
        self.title.setStyleSheet(style.TITLE)
        self.summary = QLabel()
        self.summary.setObjectName("monthSummary")
        self.model = MonthModel(self)
        self.table = MonthTable()
        self.table.setModel(self.model)
        self.table.setItemDelegate(MonthDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(True)
        # A light selection: the day's words and bar stay readable on it.
        palette = self.table.palette()
        palette.setColor(palette.ColorRole.Highlight, QColor("#d3e5fb"))
        palette.setColor(palette.ColorRole.HighlightedText, palette.color(palette.ColorRole.Text))
        self.table.setPalette(palette)
        self.table.setWordWrap(False)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(40)
        self.table.setMinimumHeight(WEEKS * 56 + 30)
        self.table.setToolTip(
            self.tr("Arrows move a day or a week, Page Up/Page Down a month; Enter opens the day")
        )
        self.table.setAccessibleName(self.tr("Appointments per day this month"))

        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

    def _connect_signals(self) -> None:
        self.prev_button.clicked.connect(lambda: self.move_months(-1))
        self.next_button.clicked.connect(lambda: self.move_months(1))
        self.today_button.clicked.connect(lambda: self.show_month(self._shop.today()))
        self.table.move_days.connect(lambda n: self.choose_day(self.day + timedelta(days=n)))
        self.table.move_months.connect(self.move_months)
        self.table.choose.connect(lambda: self.day_chosen.emit(self.day))
        self.table.clicked.connect(self._clicked)
        self.follow = FollowChanges(self, self._desk.bus, SHOWN, self._on_changes)
        QShortcut(
            QKeySequence("Alt+Home"),
            self,
            self.today_button.click,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def _on_changes(self, changes: Changes | None) -> None:
        if changes is None or changes.touches(ChangeKind.SHOP):
            self._show_month_frame()  # the shop's language may start the week on another day
        self.refresh()

    # -- moving ---------------------------------------------------------------------------

    def show_month(self, any_day: date) -> None:
        """Show the month `any_day` is in, with `any_day` chosen."""
        self.choose_day(any_day)

    def choose_day(self, day: date) -> None:
        """Choose `day`; its month is read when it is another month."""
        self.day = day
        if day.replace(day=1) != self.first_day:
            self.first_day = day.replace(day=1)
            self.load = None
            self._show_month_frame()
            self.refresh()
        else:
            self._select_day()

    def move_months(self, months: int) -> None:
        """The same day `months` months on (the 31st becomes the month's last day)."""
        month_index = self.day.year * 12 + self.day.month - 1 + months
        year, month = divmod(month_index, 12)
        last = gregorian.monthrange(year, month + 1)[1]
        self.choose_day(date(year, month + 1, min(self.day.day, last)))

    def _clicked(self, index: QModelIndex) -> None:
        day = index.data(DATE_ROLE)
        if isinstance(day, date):
            self.day = day
            self.day_chosen.emit(day)

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the month on screen again (on the database worker); only the newest read
        is shown, and a request while one runs makes one more read after it."""
        if self._loading:
            self._reload = True
            return
        self._loading = True
        self._reload = False
        self._asked += 1
        asked, first, user, calendar = self._asked, self.first_day, self._user, self._calendar
        self._desk.runner.run(
            lambda: calendar.month(first, user),
            doing=self.tr("loading the month"),
            on_done=lambda load: self._arrived(load, asked),
            on_finished=self._read_finished,
        )

    def _read_finished(self) -> None:
        self._loading = False
        if self._reload:
            self.refresh()

    def _arrived(self, load: MonthLoad, asked: int) -> None:
        if asked == self._asked and load.first_day == self.first_day:
            self.show_load(load)

    def show_load(self, load: MonthLoad) -> None:
        """Put a month's load on screen."""
        self.load = load
        self.model.set_loads(load, self._shop.today())
        count = sum(d.appointments for d in load.days)
        booked = sum(d.booked_minutes for d in load.days)
        working = sum(d.working_minutes for d in load.days)
        text = plural_s(self.tr("%n appointment(s)", "", count), count)
        if working > 0:
            percent = format_percent(min(1.0, booked / working), locale=self._locale())
            text = self.tr("{appointments} · {percent} of working time booked").format(
                appointments=text, percent=percent
            )
        self.summary.setText(text)
        self._select_day()

    def _locale(self) -> str:
        return self._desk.formats().locale

    def _show_month_frame(self) -> None:
        """The month's frame at once (title, weekdays, days), before its load arrives."""
        formats = self._desk.formats()
        self.title.setText(month_title(self.first_day, formats.locale))
        self.summary.setText("")
        self.model.set_month(
            self.first_day, first_weekday(formats.locale), formats, self._shop.today()
        )
        self._select_day()

    def _select_day(self) -> None:
        index = self.model.index_of(self.day)
        if index.isValid():
            self.table.setCurrentIndex(index)
