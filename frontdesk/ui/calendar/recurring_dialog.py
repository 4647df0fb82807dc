"""Repeat an appointment: every N weeks, until a day or a number of times in all. "Check" lists
each date with OK or what is in its way before anything is saved; "Book N" books them in one go
(leaving out the clashing ones only when the user ticks it)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.recurrence import MAX_EVERY_WEEKS, MAX_OCCURRENCES
from frontdesk.services.recurring import Occurrence, RepeatSource
from frontdesk.services.safety_gate import SafetyStop
from frontdesk.ui import style
from frontdesk.ui.calendar.override_prompt import ask_safety_reason
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.widgets.gate_notice import unchecked_notice
from frontdesk.ui.widgets.plural import plural_s

CLASH_COLOUR = "#b3261e"


class RecurringDialog(QDialog):
    """`created_ids` holds the new appointments' ids once booked (the dialog then closes)."""

    def __init__(self, desk: Desk, appointment_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._user = desk.user
        self._recurring = desk.services.recurring
        self._formats = desk.formats()
        self._appointment_id = appointment_id
        self.source: RepeatSource | None = None
        #: The last check's result, for the settings now in the form (None: not checked).
        self.occurrences: tuple[Occurrence, ...] | None = None
        self.created_ids: tuple[int, ...] = ()
        #: The reason given to go past the safety gate (asked once for the whole series).
        self.safety_reason = ""
        self._asked = 0
        self.setWindowTitle(self.tr("Repeat appointment"))
        self.setMinimumWidth(480)
        self._init_fields()
        self._init_results()
        self._init_layout()
        self._connect_signals()
        self._load_source()

    # -- building --------------------------------------------------------------------------------

    def _init_fields(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("repeatHeading")
        self.heading.setWordWrap(True)
        self.every_spin = QSpinBox()
        self.every_spin.setRange(1, MAX_EVERY_WEEKS)
        self.every_spin.setValue(1)
        self.until_radio = QRadioButton(self.tr("&Until"))
        self.until_edit = QDateEdit()
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setLocale(QLocale(self._formats.locale))
        self.until_edit.setDisplayFormat(qt_date_format(self._formats.locale))
        self.count_radio = QRadioButton(self.tr("&Times in all"))
        self.count_radio.setToolTip(self.tr("How many appointments, this one included"))
        self.count_spin = QSpinBox()
        self.count_spin.setRange(2, MAX_OCCURRENCES)
        self.count_spin.setValue(6)
        self.ends = QButtonGroup(self)
        self.ends.addButton(self.until_radio)
        self.ends.addButton(self.count_radio)
        self.count_radio.setChecked(True)
        self.until_edit.setEnabled(False)

        until_row = QWidget()
        until_layout = QHBoxLayout(until_row)
        until_layout.setContentsMargins(0, 0, 0, 0)
        until_layout.addWidget(self.until_radio)
        until_layout.addWidget(self.until_edit, 1)
        count_row = QWidget()
        count_layout = QHBoxLayout(count_row)
        count_layout.setContentsMargins(0, 0, 0, 0)
        count_layout.addWidget(self.count_radio)
        count_layout.addWidget(self.count_spin, 1)

        self.fields = FieldForm()
        self.fields.add_widget("every_weeks", self.tr("Every (weeks)"), self.every_spin)
        self.fields.add_widget("repeat_count", self.tr("Ends"), count_row)
        self.fields.add_widget("repeat_until", "", until_row)

    def _init_results(self) -> None:
        self.check_button = QPushButton(self.tr("&Check dates"))
        self.check_button.setObjectName("repeatCheck")
        self.check_button.setToolTip(self.tr("List each date with what is in its way (F5)"))
        self.results = QListWidget()
        self.results.setObjectName("repeatResults")
        self.results.setMinimumHeight(180)
        self.summary = QLabel()
        self.summary.setObjectName("repeatSummary")
        self.summary.setWordWrap(True)
        self.skip_box = QCheckBox(self.tr("&Skip the dates that clash"))
        self.skip_box.setEnabled(False)
        self.banner = QLabel()
        self.banner.setObjectName("formError")
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.setWordWrap(True)
        self.banner.hide()
        #: The service matches the client's allergy: Book asks for a reason first.
        self.safety_notice = QLabel()
        self.safety_notice.setObjectName("repeatSafety")
        self.safety_notice.setStyleSheet(style.ALLERGY_BANNER)
        self.safety_notice.setWordWrap(True)
        self.safety_notice.hide()
        #: The client's allergies could not be read here (no health data key).
        self.gate_notice = unchecked_notice()

    def _init_layout(self) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.book_button = self.buttons.addButton(
            self.tr("Book"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setObjectName("repeatBook")
        self.book_button.setToolTip(self.tr("Book every date listed as OK (Ctrl+Enter)"))
        self.book_button.setEnabled(False)
        self.book_button.setAutoDefault(False)
        self.check_button.setDefault(True)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.safety_notice)
        layout.addWidget(self.gate_notice)
        layout.addWidget(self.banner)
        layout.addLayout(self.fields)
        layout.addLayout(check_row)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.skip_box)
        layout.addWidget(self.buttons)
        for first, second in (
            (self.every_spin, self.count_radio),
            (self.count_radio, self.count_spin),
            (self.count_spin, self.until_radio),
            (self.until_radio, self.until_edit),
            (self.until_edit, self.check_button),
            (self.check_button, self.results),
            (self.results, self.skip_box),
            (self.skip_box, self.book_button),
        ):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.check_button.clicked.connect(self.check)
        self.skip_box.toggled.connect(lambda _on: self._update_book_button())
        self.until_radio.toggled.connect(self._ends_changed)
        self.every_spin.valueChanged.connect(lambda _v: self._forget_check())
        self.count_spin.valueChanged.connect(lambda _v: self._forget_check())
        self.until_edit.dateChanged.connect(lambda _d: self._forget_check())
        QShortcut(QKeySequence("F5"), self, self.check)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)
        self.every_spin.setFocus()

    # -- the appointment -------------------------------------------------------------------------

    def _load_source(self) -> None:
        recurring, user, appt = self._recurring, self._user, self._appointment_id
        self._desk.runner.run(
            lambda: recurring.source(appt, user),
            doing=self.tr("reading the appointment"),
            on_done=self._show_source,
            on_known_error=self._cannot_repeat,
            parent=self,
        )

    def _show_source(self, source: RepeatSource) -> None:
        self.source = source
        first = source.starts.date()
        self.until_edit.setDate(_qdate(first + timedelta(weeks=12)))
        self.heading.setText(
            self.tr("{client}: {service} with {therapist}, {day} {time}").format(
                client=source.client_name,
                service=source.service_name,
                therapist=source.staff_name,
                day=self._day_text(first),
                time=self._formats.time_range(source.starts, source.ends),
            )
        )
        if source.safety is not None:
            self.safety_notice.setText(
                error_text(source.safety, self._formats)
                + " "
                + self.tr("Booking the repeats asks for the reason once.")
            )
        self.safety_notice.setVisible(source.safety is not None)
        self.gate_notice.setVisible(source.health_unchecked)

    def _cannot_repeat(self, error: BaseException) -> bool:
        self.banner.setText(known_message(error) or "")
        self.banner.show()
        self.check_button.setEnabled(False)
        return True

    # -- checking and booking --------------------------------------------------------------------

    def rule(self) -> tuple[int, date | None, int | None]:
        """Every how many weeks, and the last day or the count (whichever is chosen)."""
        every = self.every_spin.value()
        if self.until_radio.isChecked():
            until: date = self.until_edit.date().toPython()  # type: ignore[assignment]
            return every, until, None
        return every, None, self.count_spin.value()

    def _ends_changed(self, until: bool) -> None:
        self.until_edit.setEnabled(until)
        self.count_spin.setEnabled(not until)
        self._forget_check()

    def _forget_check(self) -> None:
        """The settings changed: the last check no longer holds."""
        self._asked += 1
        self.occurrences = None
        self.results.clear()
        self.summary.clear()
        self.skip_box.setEnabled(False)
        self._update_book_button()

    def check(self) -> None:
        """List each date with OK or its problem (nothing is saved)."""
        if not self.check_button.isEnabled():
            return
        self._forget_check()
        self.fields.clear_errors()
        self.banner.hide()
        every, until, count = self.rule()
        asked, recurring, user, appt = (
            self._asked,
            self._recurring,
            self._user,
            self._appointment_id,
        )
        self._desk.runner.run(
            lambda: recurring.preview(appt, every, until=until, count=count, viewer=user),
            doing=self.tr("checking the dates"),
            on_done=lambda found: self._show_check(found, asked),
            on_known_error=self._refused,
            parent=self,
        )

    def _show_check(self, found: tuple[Occurrence, ...], asked: int) -> None:
        if asked != self._asked:
            return
        self.occurrences = found
        self.results.clear()
        for occurrence in found:
            day = self._day_text(self._formats.local(occurrence.starts).date())
            when = f"{day} {self._formats.time_range(occurrence.starts, occurrence.ends)}"
            if occurrence.problem is None:
                item = QListWidgetItem(self.tr("{when} · OK").format(when=when))
            else:
                problem = error_text(occurrence.problem, self._formats)
                item = QListWidgetItem(f"{when} · {problem}")
                item.setForeground(QBrush(QColor(CLASH_COLOUR)))
            item.setData(Qt.ItemDataRole.UserRole, occurrence.problem is None)
            self.results.addItem(item)
        ok = self.bookable()
        clashes = len(found) - ok
        text = plural_s(self.tr("%n date(s) free", "", ok), ok)
        if clashes:
            text += " · " + plural_s(self.tr("%n date(s) clash", "", clashes), clashes)
        self.summary.setText(text)
        self.skip_box.setEnabled(clashes > 0 and ok > 0)
        if found:
            self.results.setCurrentRow(0)
        self._update_book_button()

    def bookable(self) -> int:
        return sum(1 for o in self.occurrences or () if o.problem is None)

    def _update_book_button(self) -> None:
        checked = self.occurrences is not None
        ok = self.bookable()
        clashes = len(self.occurrences or ()) - ok
        if checked:
            self.book_button.setText(self.tr("Book %n", "", ok))
        else:
            self.book_button.setText(self.tr("Book"))
        self.book_button.updateGeometry()  # the count's words may be longer (Russian)
        self.book_button.setEnabled(
            checked and ok > 0 and (clashes == 0 or self.skip_box.isChecked())
        )

    def submit(self) -> None:
        if not self.book_button.isEnabled():
            return
        stop = self.source.safety if self.source is not None else None
        if stop is not None and not self.safety_reason and not self._ask_reason(stop):
            return
        every, until, count = self.rule()
        skip = self.skip_box.isChecked()
        recurring, user, appt = self._recurring, self._user, self._appointment_id
        reason = self.safety_reason
        self.book_button.setEnabled(False)  # one series at a time: no double on a double click
        self._desk.runner.run(
            lambda: recurring.create(
                appt,
                every,
                until=until,
                count=count,
                skip_conflicts=skip,
                by=user,
                safety_reason=reason,
            ),
            doing=self.tr("booking the repeats"),
            on_done=self._created,
            on_known_error=self._refused_booking,
            parent=self,
        )

    def _created(self, ids: tuple[int, ...]) -> None:
        self.created_ids = ids
        self.accept()

    def _ask_reason(self, stop: SafetyStop) -> bool:
        """The match in plain words and a required reason (kept with every repeat); False
        when cancelled."""
        reason = ask_safety_reason(self, self._desk, stop)
        if not reason:
            return False
        self.safety_reason = reason
        return True

    def _refused_booking(self, error: BaseException) -> bool:
        """Something changed since the check: show why and check again. The safety gate's
        stop (an allergy recorded since the dialog opened) asks for the reason and books."""
        if isinstance(error, SafetyStop) and not self.safety_reason:
            self._update_book_button()
            if self._ask_reason(error):
                self.submit()
            return True
        self._refused(error)
        self._forget_check()
        return True

    def _refused(self, error: BaseException) -> bool:
        """Bad settings beside their field; anything else above the form."""
        if isinstance(error, FormErrors):
            texts = field_texts(error, self._formats)
        elif isinstance(error, ValidationError) and error.field in self.fields.errors:
            texts = {error.field: error_text(error, self._formats)}
        elif isinstance(error, DomainError):
            texts = {"": error_text(error, self._formats)}
        else:
            texts = {"": known_message(error) or ""}
        unplaced = self.fields.show_errors(texts)
        if unplaced:
            self.banner.setText(" ".join(unplaced))
            self.banner.show()
        return True

    def _day_text(self, day: date) -> str:
        """'Mon 30 Nov 2026' in the window's language."""
        weekday = QLocale(self._formats.locale).dayName(
            day.isoweekday(), QLocale.FormatType.ShortFormat
        )
        return f"{weekday} {self._formats.short_date(day)}"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
