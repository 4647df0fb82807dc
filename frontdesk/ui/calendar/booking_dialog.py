"""New appointment: one client or a group, one or several services in sequence (each with its
therapist, room and equipment), a day and a time, a live preview of the plan, and Book.

The preview asks `BookingService.preview` on the database worker a moment after the form stops
changing (a QTimer); only the newest answer is shown. Booking is `book_request`: all legs or
none. A refusal stays in the dialog beside the field or the leg it is about; a calendar rule
(RuleBroken) offers "Book anyway…" to a person who may override it, asking a reason.

Bad input, nothing saved: no client, no service, a therapist or service asked for that is
archived or unknown. A time already past is only a warning (a walk-in booked after the fact is
normal at a front desk).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from itertools import pairwise

from PySide6.QtCore import QDate, QLocale, Qt, QTime, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.services.booking import BookingChoices, BookingPlan, BookingRequest, PlannedLeg
from frontdesk.services.clients import ClientCard
from frontdesk.services.safety_gate import SafetyStop
from frontdesk.ui import style
from frontdesk.ui.calendar import override_prompt
from frontdesk.ui.calendar.booking_legs import LegList, LegRow
from frontdesk.ui.calendar.client_picker import ClientPicker
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.widgets.gate_notice import unchecked_notice

#: The form settles this long before the preview is asked for.
PREVIEW_DELAY_MS = 250
#: A note is a line or two for the therapist.
NOTE_MAX_LENGTH = 500
#: Fields of a refusal shown where the dialog has them; any other is about the services.
_OWN_FIELDS = ("client", "day", "starts", "note")


class StepTimeEdit(QTimeEdit):
    """A time whose minutes step by the calendar's step (arrow keys, wheel)."""

    def __init__(self, step_minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step_minutes = max(1, step_minutes)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        """Minutes step across the hour (10:00 down is 09:45), within the day."""
        if self.currentSection() != QTimeEdit.Section.MinuteSection:
            return super().stepEnabled()
        minutes = self.time().hour() * 60 + self.time().minute()
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if minutes > 0:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        if minutes < 24 * 60 - self.step_minutes:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        return flags

    def stepBy(self, steps: int) -> None:
        if self.currentSection() != QTimeEdit.Section.MinuteSection:
            super().stepBy(steps)
            return
        minutes = self.time().hour() * 60 + self.time().minute()
        snapped = (minutes // self.step_minutes) * self.step_minutes
        if steps < 0 and snapped < minutes:
            steps += 1
        total = max(0, min(24 * 60 - self.step_minutes, snapped + steps * self.step_minutes))
        self.setTime(QTime(total // 60, total % 60))


class BookingDialog(QDialog):
    """`booked_ids` are the new appointments' ids once booked (`booked_id` the first); the
    dialog then closes. Prefilled from a dragged range (staff_id/room_id, starts, duration),
    a free slot or a waitlist entry (client_id, service_ids, starts)."""

    def __init__(
        self,
        desk: Desk,
        day: date,
        staff_id: int | None = None,
        minute: int | None = None,
        parent: QWidget | None = None,
        *,
        client_id: int | None = None,
        service_ids: tuple[int, ...] = (),
        duration_minutes: int | None = None,
        room_id: int | None = None,
        starts: datetime | None = None,
        step_minutes: int = 5,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._user = desk.user
        self._booking = desk.services.booking
        self._formats = desk.formats()
        self._now = now or (lambda: datetime.now(UTC))
        self._duration = duration_minutes
        self._wanted = (service_ids or (None,), staff_id, room_id)
        self.choices: BookingChoices | None = None
        self.plan: BookingPlan | None = None
        self.booked_ids: tuple[int, ...] = ()
        self.booked_id: int | None = None
        self.refusal: DomainError | None = None
        #: The reason given to go past the safety gate (issue 9), until the form changes.
        self.safety_reason = ""
        self._previews = 0
        self._booking_now = False
        if starts is not None:
            local = starts.astimezone(self._formats.zone)
            day, minute = local.date(), local.hour * 60 + local.minute
        self.setWindowTitle(self.tr("New appointment"))
        self.setMinimumWidth(520)

        self.clients = ClientPicker(desk)
        self.legs = LegList()
        self.legs.add_leg(staff_id=staff_id, room_id=room_id)
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setLocale(QLocale(self._formats.locale))
        self.date_edit.setDisplayFormat(qt_date_format(self._formats.locale))
        start = minute if minute is not None else 10 * 60
        self.time_edit = StepTimeEdit(step_minutes)
        self.time_edit.setTime(QTime(start // 60, start % 60))
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setToolTip(
            self.tr("Arrow keys step by {minutes} minutes").format(minutes=step_minutes)
        )
        self.note = QLineEdit()
        self.note.setObjectName("bookingNote")
        self.note.setMaxLength(NOTE_MAX_LENGTH)
        self.note.setPlaceholderText(self.tr("For the therapist: pressure, a gift, a request…"))
        self.past_warning = QLabel()
        self.past_warning.setObjectName("pastWarning")
        self.past_warning.setWordWrap(True)
        self.past_warning.hide()
        self.preview = QLabel()
        self.preview.setObjectName("bookingPreview")
        self.preview.setWordWrap(True)

        self.fields = FieldForm()
        self.fields.add_widget("client", self.tr("Client"), self.clients)
        self.fields.add_widget("service", self.tr("Services"), self.legs)
        self.fields.add_widget("day", self.tr("Date"), self.date_edit)
        self.fields.add_widget("starts", self.tr("Time"), self.time_edit)
        self.fields.addRow("", self.past_warning)
        self.fields.add_widget("note", self.tr("Note"), self.note)
        self.fields.addRow("", self.preview)
        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 4, 0)
        form_layout.addLayout(self.fields)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.banner = QLabel()
        self.banner.setObjectName("formError")
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.setWordWrap(True)
        self.banner.hide()
        #: The safety gate could not read a client's allergies here (no health data key).
        self.gate_notice = unchecked_notice()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.override_button = buttons.addButton(
            self.tr("Book anyway…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.override_button.setObjectName("overrideButton")
        self.override_button.setToolTip(self.tr("Book past this rule, giving a reason"))
        self.override_button.setAutoDefault(False)
        self.override_button.hide()
        self.book_button = buttons.addButton(
            self.tr("Book"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setToolTip(self.tr("Book every service for every client (Ctrl+Enter)"))
        self.book_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.gate_notice)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        # Room for the whole form (the scroll area's own hint is a few lines and narrower than
        # the leg rows): a notice above it must not leave the services and time out of sight.
        hint = self.sizeHint()
        self.resize(max(hint.width(), form.sizeHint().width() + 32), max(hint.height(), 560))

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.submit)

        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.override_button.clicked.connect(self.book_anyway)
        self.clients.changed.connect(self._form_changed)
        self.clients.taken.connect(self._to_services)
        self.legs.changed.connect(self._form_changed)
        self.time_edit.timeChanged.connect(lambda _t: self._form_changed())
        self.date_edit.dateChanged.connect(lambda _d: self._load_choices())
        self.clients.search.setFocus()
        self._fix_tab_order()
        self._load_choices()
        if client_id is not None:
            self._load_client(client_id)

    # -- what may be chosen ----------------------------------------------------------------

    def _load_choices(self) -> None:
        booking, user, day = self._booking, self._user, self.day()
        self._desk.runner.run(
            lambda: booking.choices(user, day),
            doing=self.tr("loading services and therapists"),
            on_done=self._show_choices,
            parent=self,
        )

    def _show_choices(self, choices: BookingChoices) -> None:
        first_time = self.choices is None
        self.choices = choices
        missing = self.legs.fill(choices)
        if first_time:
            missing = self._prefill(choices)
        self.fields.clear_errors()
        if missing:
            self.fields.show_errors(
                {
                    "service": self.tr(
                        "A service or therapist asked for is archived or unknown: choose another."
                    )
                }
            )
        if not choices.services:
            self._show_banner(self.tr("No bookable services are set up yet."))
        elif not choices.staff:
            self._show_banner(self.tr("No therapists are set up yet."))
        self._fix_tab_order()

    def _prefill(self, choices: BookingChoices) -> list[str]:
        """The services, therapist and room the dialog was opened with."""
        service_ids, staff_id, room_id = self._wanted
        if service_ids == (None,) and self._duration is not None:
            # A dragged range: the first service that fills it exactly, if one does.
            fits = [s.id for s in choices.services if s.duration_minutes == self._duration]
            service_ids = (fits[0],) if fits else (None,)
        missing: list[str] = []
        for index, service_id in enumerate(service_ids):
            row = self.legs.rows[0] if index == 0 else self.legs.add_leg()
            missing += row.fill(choices, service_id=service_id, staff_id=staff_id, room_id=room_id)
        return list(dict.fromkeys(missing))

    def _load_client(self, client_id: int) -> None:
        clients, user = self._desk.services.clients, self._user
        self._desk.runner.run(
            lambda: clients.card(client_id, user),
            doing=self.tr("loading the client"),
            on_done=self._client_loaded,
            on_known_error=self._client_unknown,
            parent=self,
        )

    def _client_loaded(self, card: ClientCard) -> None:
        self.clients.add_client(card.id, card.name)
        self._to_services()

    def _to_services(self) -> None:
        self.legs.rows[0].service.setFocus()

    def _client_unknown(self, error: BaseException) -> bool:
        self.fields.show_errors({"client": known_message(error, self._formats) or ""})
        return True

    # -- the form --------------------------------------------------------------------------

    def day(self) -> date:
        value: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return value

    def starts(self) -> datetime:
        time = self.time_edit.time()
        day = self.day()
        return datetime(
            day.year, day.month, day.day, time.hour(), time.minute(), tzinfo=self._formats.zone
        )

    def request(self, override_reason: str = "") -> BookingRequest:
        return BookingRequest(
            client_ids=self.clients.client_ids(),
            starts=self.starts(),
            legs=self.legs.requests(),
            override_reason=override_reason,
            note=self.note.text().strip(),
            safety_reason=self.safety_reason,
        )

    def _form_changed(self) -> None:
        self.override_button.hide()
        self.refusal = None
        self.safety_reason = ""
        self._update_past_warning()
        self._preview_timer.start()
        self._fix_tab_order()

    def _update_past_warning(self) -> None:
        past = self.starts() < self._now()
        if past:
            self.past_warning.setText(
                self.tr("This time has already passed: book it only for a client who came in.")
            )
        self.past_warning.setVisible(past)

    def _fix_tab_order(self) -> None:
        """Top to bottom, whatever order the rows were added or moved in."""
        chain: list[QWidget] = [
            self.clients.search,
            self.clients.matches,
            self.clients.chosen,
            self.clients.walk_in_button,
            self.clients.first_name,
            self.clients.phone,
            self.clients.add_walk_in_button,
            *self.legs.focus_chain(),
            self.date_edit,
            self.time_edit,
            self.note,
            self.book_button,
            self.override_button,
            self.cancel_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- the preview -----------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Ask for the plan now (the timer calls this once the form settles)."""
        self._preview_timer.stop()
        self._previews += 1
        asked = self._previews
        request = self.request()
        if not request.client_ids or not request.legs:
            self._show_plan(None, asked)
            self.preview.setText(self.tr("Choose a client and a service to see the plan."))
            return
        booking, user = self._booking, self._user
        self._desk.runner.run(
            lambda: booking.preview(request, user),
            doing=self.tr("planning the booking"),
            on_done=lambda plan: self._show_plan(plan, asked),
            on_known_error=lambda error: self._preview_refused(error, asked),
            parent=self,
        )

    def _show_plan(self, plan: BookingPlan | None, asked: int) -> None:
        if asked != self._previews:
            return  # the form changed since: a newer preview is on its way
        self.plan = plan
        self.gate_notice.setVisible(plan is not None and bool(plan.health_unchecked))
        per_row: list[tuple[list[str], list[str]]] = [([], []) for _ in self.legs.rows]
        if plan is None:
            for row, (lines, problems) in zip(self.legs.rows, per_row, strict=True):
                row.show_plan(lines, problems)
            return
        names = self.clients.names()
        group = len(names) > 1
        for row_index, leg in self._legs_by_row(plan):
            if row_index >= len(per_row):
                continue
            lines, problems = per_row[row_index]
            client = names.get(leg.client_id, "") if group else ""
            lines.append(self._leg_line(leg, client))
            if leg.problem is not None:
                problem = error_text(leg.problem, self._formats)
                problems.append(f"{client}: {problem}" if client else problem)
        for row, (lines, problems) in zip(self.legs.rows, per_row, strict=True):
            row.show_plan(lines, problems)
        beside_legs = {problem for _lines, problems in per_row for problem in problems}
        for field, shown in self.fields.shown_errors().items():
            if any(shown in problem for problem in beside_legs):
                self.fields.errors[field].hide()  # said beside its leg already
        self.preview.setText(
            self.tr("Total {price} · ends at {time}").format(
                price=self._formats.money(plan.total), time=self._formats.time(plan.ends)
            )
        )

    @staticmethod
    def _legs_by_row(plan: BookingPlan) -> list[tuple[int, PlannedLeg]]:
        """Each planned leg with the row it came from: every client's legs are in the order
        asked, whether the plan lists them client by client or leg by leg."""
        seen: dict[int, int] = {}
        placed = []
        for leg in plan.legs:
            index = seen.get(leg.client_id, 0)
            seen[leg.client_id] = index + 1
            placed.append((index, leg))
        return placed

    def _leg_line(self, leg: PlannedLeg, client: str) -> str:
        parts = [self._formats.time_range(leg.starts, leg.ends)]
        parts.append(leg.staff_name or self.tr("no therapist free"))
        if leg.room_name:
            parts.append(leg.room_name)
        parts.extend(leg.resource_names)
        parts.append(self._formats.money(leg.price))
        line = " · ".join(parts)
        return f"{client}: {line}" if client else line

    def _preview_refused(self, error: BaseException, asked: int) -> bool:
        """Input the preview cannot plan at all (a date the engine refuses...): said in the
        preview's place; Book would say it beside the field."""
        if asked == self._previews:
            self._show_plan(None, asked)
            self.preview.setText(known_message(error, self._formats) or "")
        return True

    # -- booking ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter books (the client search and walk-in fields take their own Enter first)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.focusWidget() is self.cancel_button:
                self.reject()
            elif self.focusWidget() is self.override_button:
                self.book_anyway()
            else:
                self.submit()
            return
        super().keyPressEvent(event)

    def submit(self, override_reason: str = "") -> None:
        if self._booking_now:
            return  # one booking at a time: no double on a double click
        self.fields.clear_errors()
        self.banner.hide()
        self.override_button.hide()
        request = self.request(override_reason)
        missing: dict[str, str] = {}
        if not request.client_ids:
            missing["client"] = self.tr("Choose a client, or add a walk-in.")
        if not request.legs:
            missing["service"] = self.tr("Choose at least one service.")
        if missing:
            self.fields.show_errors(missing)
            return
        booking, user = self._booking, self._user
        self._booking_now = True
        self.book_button.setEnabled(False)
        self._desk.runner.run(
            lambda: booking.book_request(request, user),
            doing=self.tr("booking the appointment"),
            on_done=self._booked,
            on_known_error=self._refused,
            on_finished=self._finished,
            parent=self,
        )

    def book_anyway(self) -> None:
        """Ask why, then book past the rule that refused the booking."""
        if self.refusal is None:
            return
        if isinstance(self.refusal, SafetyStop):
            safety = override_prompt.ask_safety_reason(self, self._desk, self.refusal)
            if safety:
                self.safety_reason = safety
                self.submit()
            return
        reason = override_prompt.ask_override(self, self._desk, self.refusal)
        if reason:
            self.submit(reason)

    def done(self, result: int) -> None:
        """Closing: no preview is asked for a form that is gone."""
        self._preview_timer.stop()
        super().done(result)

    def _finished(self) -> None:
        self._booking_now = False
        self.book_button.setEnabled(True)

    def _booked(self, ids: tuple[int, ...]) -> None:
        self.booked_ids = tuple(ids)
        self.booked_id = self.booked_ids[0] if self.booked_ids else None
        self.accept()

    def _refused(self, error: BaseException) -> bool:
        """A refusal stays in the dialog, beside the field or leg it is about."""
        if isinstance(error, FormErrors):
            texts = {self._field(f): t for f, t in field_texts(error, self._formats).items()}
        elif isinstance(error, ValidationError):
            texts = {self._field(error.field): error_text(error, self._formats)}
        else:
            texts = {"": known_message(error) or ""}
        if isinstance(error, SafetyStop) or (
            isinstance(error, DomainError) and override_prompt.may_override(self._desk, error)
        ):
            self.refusal = error
            self.override_button.show()
        unplaced = self.fields.show_errors(texts)
        if unplaced:
            self._show_banner(" ".join(unplaced))
        self.refresh_preview()  # the legs show what is in the way now
        if self.override_button.isVisible():
            self.override_button.setFocus()
        return True

    @staticmethod
    def _field(field: str) -> str:
        return field if field in _OWN_FIELDS else "service"

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    # -- for tests and the calendar --------------------------------------------------------

    def leg(self, index: int) -> LegRow:
        return self.legs.rows[index]

    def add_client(self, client_id: int, name: str) -> None:
        self.clients.add_client(client_id, name)

    def preview_soon(self) -> bool:
        """True while a preview is waiting for the form to settle."""
        return self._preview_timer.isActive()
