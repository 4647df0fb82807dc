"""A week of working spans (and breaks), one row per weekday, typed as "09:00-13:00, 14:00-18:00".

Typing is quicker than spin boxes for a week and works from the keyboard alone; each row has its
own error line, so an overlap on Tuesday is shown beside Tuesday. The guided start may reuse it
for the shop's opening hours (`with_breaks=False`).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.staff_rules import (
    WEEKDAYS,
    WeekSpan,
    breaks_field,
    check_week,
    format_spans,
    hours_field,
    parse_spans,
)
from frontdesk.ui import style


class WeekEditor(QWidget):
    """Seven rows: the day, its working spans and (optionally) its breaks, each with errors."""

    def __init__(
        self, locale: str = "en_GB", *, with_breaks: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("weekEditor")
        self.with_breaks = with_breaks
        self.hours_edits: dict[int, QLineEdit] = {}
        self.break_edits: dict[int, QLineEdit] = {}
        self.error_labels: dict[int, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.addWidget(QLabel(self.tr("Working hours")), 0, 1)
        if with_breaks:
            grid.addWidget(QLabel(self.tr("Breaks")), 0, 2)
        names = QLocale(locale)
        example = self.tr("e.g. 09:00-13:00, 14:00-18:00")
        for day in WEEKDAYS:
            row = 1 + 2 * day
            # Qt numbers days from 1 = Monday; the domain from 0 = Monday.
            day_label = QLabel(names.dayName(day + 1, QLocale.FormatType.LongFormat))
            hours = QLineEdit()
            hours.setObjectName(hours_field(day))
            hours.setPlaceholderText(example)
            day_label.setBuddy(hours)
            self.hours_edits[day] = hours
            grid.addWidget(day_label, row, 0)
            grid.addWidget(hours, row, 1)
            if with_breaks:
                pause = QLineEdit()
                pause.setObjectName(breaks_field(day))
                pause.setPlaceholderText(self.tr("e.g. 13:00-14:00"))
                self.break_edits[day] = pause
                grid.addWidget(pause, row, 2)
            error = QLabel()
            error.setObjectName(f"week_error_{day}")
            error.setStyleSheet(style.ERROR_TEXT)
            # One line (no word wrap): a wrapping label in a grid inside a scroll area is given
            # too little height and the rows below are drawn over it.
            error.hide()
            self.error_labels[day] = error
            grid.addWidget(error, row + 1, 1, 1, 2)
        for edit in (*self.hours_edits.values(), *self.break_edits.values()):
            edit.setMinimumHeight(edit.sizeHint().height())  # shown errors must not squash them
        # As tall as its rows need, never squeezed by the form around it.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        for day in WEEKDAYS:  # across a day first (hours, break), then down to the next
            if with_breaks:
                QWidget.setTabOrder(self.hours_edits[day], self.break_edits[day])
                if day + 1 in WEEKDAYS:
                    QWidget.setTabOrder(self.break_edits[day], self.hours_edits[day + 1])

    def set_week(self, hours: Iterable[WeekSpan], breaks: Iterable[WeekSpan] = ()) -> None:
        for edits, spans in ((self.hours_edits, hours), (self.break_edits, breaks)):
            by_day: dict[int, list[tuple[int, int]]] = {}
            for day, start, end in spans:
                by_day.setdefault(day, []).append((start, end))
            for day, edit in edits.items():
                edit.setText(format_spans(sorted(by_day.get(day, ()))))
        self.clear_errors()

    def week(self, *, check: bool = True) -> tuple[tuple[WeekSpan, ...], tuple[WeekSpan, ...]]:
        """(hours, breaks) as typed; FormErrors naming each row that cannot be read and (with
        `check`) each day whose spans overlap or whose breaks lie outside its hours."""
        errors: dict[str, DomainError] = {}
        hours: list[WeekSpan] = []
        breaks: list[WeekSpan] = []
        for edits, field_of, out in (
            (self.hours_edits, hours_field, hours),
            (self.break_edits, breaks_field, breaks),
        ):
            for day, edit in edits.items():
                try:
                    out.extend((day, s, e) for s, e in parse_spans(edit.text(), field_of(day)))
                except ValidationError as exc:
                    errors[exc.field] = exc
        if check:
            unread = {day for day in WEEKDAYS if hours_field(day) in errors}
            try:
                check_week(hours, [b for b in breaks if b[0] not in unread])
            except FormErrors as exc:
                errors = {**exc.errors, **errors}
        if errors:
            raise FormErrors(errors)
        return tuple(hours), tuple(breaks)

    def clear_errors(self) -> None:
        for label in self.error_labels.values():
            label.clear()
            label.hide()

    def show_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Show the rows' messages (fields hours_<day> / breaks_<day>) beside their day and
        focus the first; returns the messages that are not the week's."""
        rest = dict(errors)
        first: QLineEdit | None = None
        for day in WEEKDAYS:
            texts = [rest.pop(f(day)) for f in (hours_field, breaks_field) if f(day) in rest]
            if texts:
                self.error_labels[day].setText(" ".join(texts))
                self.error_labels[day].show()
                if first is None:
                    bad = hours_field(day) in errors or not self.with_breaks
                    first = self.hours_edits[day] if bad else self.break_edits[day]
        if first is not None:
            first.setFocus()
        return rest

    def shown_errors(self) -> dict[int, str]:
        return {d: label.text() for d, label in self.error_labels.items() if not label.isHidden()}
