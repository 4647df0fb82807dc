"""The day grid: one column per therapist, one row per quarter hour, appointments as blocks."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from frontdesk.domain.formats import Formats
from frontdesk.services.calendar import AppointmentView, DaySchedule, TherapistColumn
from frontdesk.ui.calendar.words import status_name, time_range, working_hours
from frontdesk.ui.widgets.lines_delegate import LinesDelegate

SLOT_MINUTES = 15
DAY_START_HOUR = 8
DAY_END_HOUR = 21
APPOINTMENT_ROLE = Qt.ItemDataRole.UserRole
OFF_HOURS = QBrush(QColor("#ececec"))
BREAK = QBrush(QColor("#d6d6d6"), Qt.BrushStyle.Dense5Pattern)
#: Set on the cell that greys a therapist's break.
BREAK_ROLE = Qt.ItemDataRole.UserRole + 1

#: The client card's visit history names statuses with the calendar's words.
status_label = status_name


def _slot(moment: datetime, first_hour: int) -> int:
    return ((moment.hour - first_hour) * 60 + moment.minute) // SLOT_MINUTES


class DayGrid(QTableWidget):
    """Read-only grid; the selected block's appointment id is `selected_appointment_id()`."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("dayGrid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Short blocks (a quarter hour is one line) never clip a line in half: lines are
        # elided, the rest is in the tooltip.
        self.setWordWrap(False)
        self.setItemDelegate(LinesDelegate(bold_first=True, parent=self))
        self.verticalHeader().setDefaultSectionSize(22)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(140)
        self.appointments: dict[int, AppointmentView] = {}
        #: The first hour shown and the therapists' columns (for `slot_at`).
        self.first_hour = DAY_START_HOUR
        self.therapists: tuple[TherapistColumn, ...] = ()

    def show_day(self, schedule: DaySchedule, formats: Formats) -> None:
        """Show `schedule`, written the way `formats` writes times."""
        self.setUpdatesEnabled(False)  # one repaint at the end, not one per cell
        try:
            self._fill(schedule, formats)
        finally:
            self.setUpdatesEnabled(True)

    def _fill(self, schedule: DaySchedule, formats: Formats) -> None:
        self.clear()
        self.clearSpans()
        self.appointments = {a.id: a for a in schedule.appointments}
        first = min([DAY_START_HOUR, *(a.starts.hour for a in schedule.appointments)])
        last = max([DAY_END_HOUR, *(a.ends.hour + 1 for a in schedule.appointments)])
        last = min(last, 24)
        self.first_hour = first
        self.therapists = schedule.therapists
        rows = (last - first) * 60 // SLOT_MINUTES
        self.setRowCount(rows)
        self.setColumnCount(len(schedule.therapists))
        headers = [f"{t.name}\n{working_hours(t, formats)}" for t in schedule.therapists]
        self.setHorizontalHeaderLabels(headers)
        for column, text in enumerate(headers):
            header = self.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(text)
        self.setVerticalHeaderLabels(
            [
                formats.clock(first * 60 + r * SLOT_MINUTES) if r % 2 == 0 else ""
                for r in range(rows)
            ]
        )
        by_therapist: dict[int, list[AppointmentView]] = {}
        for appt in schedule.appointments:
            by_therapist.setdefault(appt.therapist_id, []).append(appt)
        for column, therapist in enumerate(schedule.therapists):
            taken: set[int] = set()
            colour = QColor(therapist.color)
            for appt in by_therapist.get(therapist.id, ()):
                top = max(0, _slot(appt.starts, first))
                bottom = max(
                    top + 1, min(rows, -(-self._minutes(appt.ends, first) // SLOT_MINUTES))
                )
                span = range(top, bottom)
                if taken & set(span):  # double-booked: show it in the free slot below
                    top = max(taken) + 1
                    bottom = max(bottom, top + 1)
                    if top >= rows:
                        continue
                taken.update(range(top, bottom))
                self.setItem(top, column, self._block(appt, colour, formats))
                if bottom - top > 1:
                    self.setSpan(top, column, bottom - top, 1)
            self._shade_off_hours(column, therapist, first, rows, taken)
        self.scrollToTop()

    def _shade_off_hours(
        self, column: int, therapist: TherapistColumn, first_hour: int, rows: int, taken: set[int]
    ) -> None:
        """Grey out the quarter hours the therapist does not work or has a break (and no block
        covers): one spanned cell per stretch, not one per quarter hour (a big shop's day has
        hundreds). Breaks are a lighter grey, named in their tooltip."""

        def shade(row: int) -> str:
            start = first_hour * 60 + row * SLOT_MINUTES
            if row in taken:
                return ""
            if not any(a <= start < b for a, b in therapist.hours):
                return "off"
            if any(a <= start < b for a, b in therapist.breaks):
                return "break"
            return ""

        stretch: int | None = None
        kind = ""
        for row in range(rows + 1):
            now = shade(row) if row < rows else ""
            if stretch is not None and now != kind:
                cell = QTableWidgetItem()
                cell.setBackground(BREAK if kind == "break" else OFF_HOURS)
                if kind == "break":
                    cell.setToolTip(self.tr("Break"))
                    cell.setData(BREAK_ROLE, True)
                cell.setFlags(Qt.ItemFlag.NoItemFlags)
                self.setItem(stretch, column, cell)
                if row - stretch > 1:
                    self.setSpan(stretch, column, row - stretch, 1)
                stretch = None
            if now and stretch is None:
                stretch, kind = row, now

    @staticmethod
    def _minutes(moment: datetime, first_hour: int) -> int:
        return (moment.hour - first_hour) * 60 + moment.minute

    def _block(self, appt: AppointmentView, colour: QColor, formats: Formats) -> QTableWidgetItem:
        when = time_range(formats, appt.starts, appt.ends)
        lines = [f"{when}  {appt.customer_name}", appt.service_name]
        status = status_name(appt.status, appt.paid)
        lines.append(f"{status} · {appt.room_name}" if appt.room_name else status)
        if appt.has_allergies:
            lines[0] = "⚠ " + lines[0]
        item = QTableWidgetItem("\n".join(lines))
        item.setData(APPOINTMENT_ROLE, appt.id)
        fill = QColor(colour)
        fill.setAlpha(150 if appt.payable else 70)  # done with: paid, cancelled, missed
        item.setBackground(QBrush(fill))
        item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if appt.has_allergies:
            lines.append(self.tr("Has allergies: check the client card"))
        item.setToolTip("\n".join(lines))
        return item

    def slot_at(self, row: int, column: int) -> tuple[int, int] | None:
        """The therapist's id and the minute from midnight of an empty cell (None on a block or
        outside the grid)."""
        item = self.item(row, column)
        if item is not None and item.data(APPOINTMENT_ROLE) is not None:
            return None
        if not 0 <= column < len(self.therapists) or not 0 <= row < self.rowCount():
            return None
        return self.therapists[column].id, self.first_hour * 60 + row * SLOT_MINUTES

    def selected_appointment(self) -> AppointmentView | None:
        item = self.currentItem()
        if item is None:
            return None
        appt_id = item.data(APPOINTMENT_ROLE)
        return self.appointments.get(appt_id) if appt_id is not None else None
