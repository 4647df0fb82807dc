"""The back office's Staff page: who works here, their role, PIN, week, skills and terms.

A RecordsPage: the list of people on the left (archived ones on request), the chosen person's
form on the right. The PIN and days away are saved on their own, at once; the rest with Save.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Permission, Role
from frontdesk.services.changes import ChangeKind
from frontdesk.services.staff_admin import (
    DEFAULT_COLOR,
    CategoryChoices,
    HasFutureAppointments,
    StaffDraft,
    StaffRecord,
    check_draft,
)
from frontdesk.ui import style
from frontdesk.ui.backoffice.records_page import RecordRow, RecordsPage
from frontdesk.ui.backoffice.staff_absences import AbsenceList
from frontdesk.ui.backoffice.staff_pin import PinDialog
from frontdesk.ui.backoffice.staff_skills import CommissionTable, ServiceChecklist
from frontdesk.ui.backoffice.staff_week import WeekEditor
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.labels import label

MAX_NAME = 80


class _StaffRows(list[RecordRow]):
    """The people, and the service choices the form offers (read in the same unit of work)."""

    choices: Sequence[CategoryChoices] = ()


class StaffPage(RecordsPage):
    """People, their PINs, weeks, absences, qualifications, commissions and calendar colour."""

    kinds = (ChangeKind.STAFF, ChangeKind.CATALOGUE)

    def texts(self) -> dict[str, str]:
        return {
            "search": self.tr("Find a person"),
            "new": self.tr("New person"),
            "empty": self.tr(
                "Nobody is set up yet. Add each person who works here with New person (Ctrl+N)."
            ),
            "none_chosen": self.tr("Choose a person on the left, or add a new one (Ctrl+N)."),
            "archived": self.tr(
                "This person is archived: they cannot sign in and are not in the calendar."
            ),
        }

    def may_edit(self) -> bool:
        return self.desk.user.can(Permission.MANAGE_STAFF)

    # -- the list -----------------------------------------------------------------------------

    def list_work(self) -> Callable[[], Sequence[RecordRow]]:
        service, user = self.desk.services.staff_admin, self.desk.user
        no_pin = self.tr("no PIN yet")

        def work() -> Sequence[RecordRow]:
            rows = _StaffRows(
                RecordRow(
                    id=s.id,
                    title=s.name,
                    detail=label(s.role) if s.has_pin else f"{label(s.role)} · {no_pin}",
                    archived=not s.active,
                )
                for s in service.list(user)
            )
            rows.choices = service.service_choices(user)
            return rows

        return work

    def on_listed(self, rows: Sequence[RecordRow]) -> None:
        choices = rows.choices if isinstance(rows, _StaffRows) else ()
        self.checklist.set_choices(choices)
        self.commissions.set_categories(choices)

    # -- the form -----------------------------------------------------------------------------

    def build_form(self) -> QWidget:
        form = QWidget()
        column = QVBoxLayout(form)
        fields = self.fields
        self.name_edit = fields.add_field("name", self.tr("Name"))
        self.name_edit.setMaxLength(MAX_NAME + 20)  # longer is refused beside the field
        self.role_box = QComboBox()
        self._offer_roles(None)
        fields.add_widget("role", self.tr("Role"), self.role_box)

        self.color = DEFAULT_COLOR
        self.color_button = QPushButton(self.tr("Choose…"))
        self.color_button.setObjectName("chooseColor")
        self.color_button.setToolTip(self.tr("The colour of this person's column in the calendar"))
        self.swatch = QLabel()
        self.swatch.setObjectName("colorSwatch")
        self.swatch.setFixedSize(40, 22)
        colour_row = QWidget()
        row = QHBoxLayout(colour_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.swatch)
        row.addWidget(self.color_button)
        row.addStretch(1)
        fields.add_widget("color", self.tr("Calendar colour"), colour_row)

        self.pin_state = QLabel()
        self.pin_state.setObjectName("pinState")
        self.pin_button = QPushButton(self.tr("Set PIN…"))
        self.pin_button.setObjectName("setPinButton")
        self.pin_button.setToolTip(self.tr("Let this person type a new PIN, twice (Ctrl+P)"))
        # Only while the page has focus: Ctrl+P is also the Reports area's PDF.
        QShortcut(
            QKeySequence("Ctrl+P"),
            self,
            self._pin_by_key,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        pin_row = QWidget()
        row = QHBoxLayout(pin_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.pin_state, 1)
        row.addWidget(self.pin_button)
        fields.add_widget("pin", self.tr("PIN"), pin_row)

        self.week = WeekEditor(self.desk.formats().locale)
        fields.add_widget("hours", self.tr("Weekly hours"), self.week)
        self.checklist = ServiceChecklist()
        fields.add_widget("services", self.tr("Services they do"), self.checklist)
        self.commissions = CommissionTable()
        self.commissions.number_locale = self.desk.formats().locale
        fields.add_widget("commissions", self.tr("Commission"), self.commissions)
        self.absences = AbsenceList(self.desk)
        fields.add_widget("absences", self.tr("Days away"), self.absences)

        self.future_list = QLabel()
        self.future_list.setObjectName("futureAppointments")
        self.future_list.setWordWrap(True)
        self.future_list.setStyleSheet(style.ERROR_TEXT)
        self.future_list.hide()
        column.addWidget(self.future_list)
        column.addLayout(fields)
        column.addStretch(1)
        self.color_button.clicked.connect(self.choose_color)
        self.pin_button.clicked.connect(self.open_pin_dialog)
        self.saved.connect(self._after_save)
        return form

    def _show_color(self, color: str) -> None:
        self.color = color
        self.swatch.setStyleSheet(
            f"QLabel {{ background: {color}; border: 1px solid #888; border-radius: 3px; }}"
        )

    def choose_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self, self.tr("Calendar colour"))
        if chosen.isValid():
            self._show_color(chosen.name())

    def load_work(self, record_id: int) -> Callable[[], object]:
        service, user = self.desk.services.staff_admin, self.desk.user
        return lambda: service.get(record_id, user)

    def show_record(self, record: object | None) -> None:
        self.week.clear_errors()
        self.future_list.hide()
        if not isinstance(record, StaffRecord):
            self.name_edit.clear()
            self._offer_roles(None)
            self.role_box.setCurrentIndex(max(0, self.role_box.findData(Role.THERAPIST.value)))
            self._show_color(DEFAULT_COLOR)
            self.week.set_week((), ())
            self.checklist.set_chosen(())
            self.commissions.set_rates(())
            self.absences.set_absences(None, ())
            self._show_pin(None)
            return
        draft = record.draft
        self.name_edit.setText(draft.name)
        self._offer_roles(draft.role)
        self.role_box.setCurrentIndex(self.role_box.findData(draft.role.value))
        self._show_color(draft.color)
        self.week.set_week(draft.hours, draft.breaks)
        self.checklist.set_chosen(draft.qualified_service_ids)
        self.commissions.set_rates(draft.commissions)
        self.absences.set_absences(record.id, record.absences)
        self._show_pin(record)

    def _offer_roles(self, current: Role | None) -> None:
        """The roles the signed-in person may give (only an owner makes an owner), and the
        record's own role even when it is not one of them (a manager looking at an owner)."""
        self.role_box.clear()
        for role in Role:
            if role is Role.OWNER and self.desk.user.role is not Role.OWNER and role is not current:
                continue
            self.role_box.addItem(label(role), role.value)

    def _after_save(self, staff_id: int) -> None:
        """A new person can now be given a PIN and days away: show what was stored."""
        service, user = self.desk.services.staff_admin, self.desk.user

        def show(record: StaffRecord) -> None:
            if self.current_id == staff_id:
                self._show_pin(record)
                self.absences.set_absences(record.id, record.absences)

        self.desk.runner.run(
            lambda: service.get(staff_id, user), doing=self.tr("opening a person"), on_done=show
        )

    def may_edit_record(self, record: object) -> bool:
        return isinstance(record, StaffRecord) and self._may_change(record.draft.role)

    def _may_change(self, role: Role) -> bool:
        return self.may_edit() and (role is not Role.OWNER or self.desk.user.role is Role.OWNER)

    def _show_pin(self, record: StaffRecord | None) -> None:
        if record is None:
            self.pin_state.setText(self.tr("Save the person first, then set their PIN."))
            self.pin_button.setEnabled(False)
            return
        self.pin_state.setText(
            self.tr("A PIN is set.")
            if record.has_pin
            else self.tr("No PIN yet: they cannot sign in until one is set.")
        )
        self.pin_button.setText(self.tr("Change PIN…") if record.has_pin else self.tr("Set PIN…"))
        self.pin_button.setEnabled(self._may_change(record.draft.role))

    def _pin_by_key(self) -> None:
        if self.pin_button.isEnabled() and self.pin_button.isVisible():
            self.open_pin_dialog()

    def open_pin_dialog(self) -> PinDialog | None:
        if self.current_id is None:
            return None
        dialog = PinDialog(self.desk, self.current_id, self.name_edit.text().strip(), self)
        staff_id = self.current_id
        dialog.accepted.connect(lambda: self.open_record(staff_id, archived=self.current_archived))
        dialog.open()
        return dialog

    # -- saving -------------------------------------------------------------------------------

    def save_work(self) -> Callable[[], int]:
        self.week.clear_errors()
        self.future_list.hide()
        errors: dict[str, DomainError] = {}
        hours: tuple[tuple[int, int, int], ...] = ()
        breaks: tuple[tuple[int, int, int], ...] = ()
        rates: tuple[tuple[int, int], ...] = ()
        try:
            hours, breaks = self.week.week()  # checked here too: beside the other errors
        except FormErrors as exc:
            errors.update(exc.errors)
        try:
            rates = self.commissions.rates()
        except FormErrors as exc:
            errors.update(exc.errors)
        try:  # the name and colour by the service's own rules, beside the other errors
            check_draft(StaffDraft(self.name_edit.text(), color=self.color))
        except FormErrors as exc:
            errors.update(exc.errors)
        if errors:
            raise FormErrors(errors)
        draft = StaffDraft(
            name=self.name_edit.text(),
            role=Role(self.role_box.currentData()),
            color=self.color,
            hours=hours,
            breaks=breaks,
            qualified_service_ids=self.checklist.chosen(),
            commissions=rates,
        )
        service, user, staff_id = self.desk.services.staff_admin, self.desk.user, self.current_id
        return lambda: service.save(draft, user, staff_id)

    def archive_work(self, record_id: int, archived: bool) -> Callable[[], object]:
        self.future_list.hide()
        service, user = self.desk.services.staff_admin, self.desk.user
        return lambda: service.set_active(record_id, not archived, user)

    def show_problem(self, error: DomainError) -> None:
        """Week errors beside their day, commission errors beside the table, an archive refusal
        with the appointments that stand in the way."""
        formats = self.desk.formats()
        if isinstance(error, FormErrors):
            texts = self.week.show_errors(field_texts(error, formats))
            commission = [t for f, t in texts.items() if f.startswith("commission_")]
            texts = {f: t for f, t in texts.items() if not f.startswith("commission_")}
            if commission:
                texts["commissions"] = " ".join(commission)
            unplaced = self.fields.show_errors(texts)
            self.banner.setText(" ".join(unplaced))
            self.banner.setVisible(bool(unplaced))
            return
        super().show_problem(error)
        if isinstance(error, HasFutureAppointments):
            lines = [
                "• "
                + self.tr("{date} {time}: {client}, {service}").format(
                    date=formats.short_date(a.starts.date()),
                    time=formats.time(a.starts),
                    client=a.client_name,
                    service=a.service_name,
                )
                for a in error.appointments
            ]
            # In the form (it scrolls), not the banner: a long list must never be clipped.
            self.banner.hide()
            self.future_list.setText(error_text(error, formats) + "\n" + "\n".join(lines))
            self.future_list.show()


__all__ = ["StaffPage"]
