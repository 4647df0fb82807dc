"""An appointment's next statuses as actions (the calendar block's context menu, the room board),
and the cancel dialog: a reason is required, and a late cancellation is named before it is made.

Each action runs through the desk's runner; the bus brings the new status to every screen.
The calendar may bind the same keys (`STATUS_KEYS`) and call `change_status` for the selected
appointment.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.appointments import AppointmentStatus, allowed_next
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.roles import Permission
from frontdesk.services.appointment_status import MAX_REASON, CancelCheck
from frontdesk.services.calendar import AppointmentView
from frontdesk.ui import style
from frontdesk.ui.calendar.words import time_range
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text
from frontdesk.ui.widgets.plural import plural_s

S = AppointmentStatus

#: Keys for each step, the same in the context menu, the calendar and the room board
#: (Ctrl+Shift+F is the calendar's "Find free slot", so finishing is D for "done"; Delete
#: cancels, after asking why).
STATUS_KEYS: dict[AppointmentStatus, str] = {
    S.CONFIRMED: "Ctrl+Shift+C",
    S.CHECKED_IN: "Ctrl+Shift+A",
    S.IN_SERVICE: "Ctrl+Shift+S",
    S.COMPLETED: "Ctrl+Shift+D",
    S.NO_SHOW: "Ctrl+Shift+N",
    S.CANCELLED: "Delete",
}

#: Who may take each step (the service checks again).
_PERMISSION: dict[AppointmentStatus, Permission] = {
    S.CONFIRMED: Permission.BOOK_APPOINTMENTS,
    S.CANCELLED: Permission.BOOK_APPOINTMENTS,
    S.NO_SHOW: Permission.BOOK_APPOINTMENTS,
    S.CHECKED_IN: Permission.SERVE_APPOINTMENTS,
    S.IN_SERVICE: Permission.SERVE_APPOINTMENTS,
    S.COMPLETED: Permission.SERVE_APPOINTMENTS,
}

#: The order the steps appear in a menu: forward first, then the exits.
_ORDER = (S.CONFIRMED, S.CHECKED_IN, S.IN_SERVICE, S.COMPLETED, S.NO_SHOW, S.CANCELLED)


def step_name(status: AppointmentStatus) -> str:
    """What the action that leads to `status` is called."""
    names = {
        S.CONFIRMED: QCoreApplication.translate("StatusActions", "Confirmed by the client"),
        S.CHECKED_IN: QCoreApplication.translate("StatusActions", "Arrived"),
        S.IN_SERVICE: QCoreApplication.translate("StatusActions", "Start service"),
        S.COMPLETED: QCoreApplication.translate("StatusActions", "Finish service"),
        S.NO_SHOW: QCoreApplication.translate("StatusActions", "No-show"),
        S.CANCELLED: QCoreApplication.translate("StatusActions", "Cancel appointment…"),
    }
    return names[status]


def may_take(desk: Desk, wanted: AppointmentStatus) -> bool:
    """Whether this desk's person may move an appointment to `wanted` at all."""
    return desk.user.can(_PERMISSION[wanted])


def next_steps(desk: Desk, appt: AppointmentView) -> tuple[AppointmentStatus, ...]:
    """The statuses this person may move `appt` to now, in menu order."""
    if appt.paid:
        return ()
    allowed = allowed_next(appt.status)
    return tuple(s for s in _ORDER if s in allowed and desk.user.can(_PERMISSION[s]))


def change_status(
    desk: Desk,
    appt: AppointmentView,
    wanted: AppointmentStatus,
    parent: QWidget,
    *,
    on_done: Callable[[], None] | None = None,
) -> None:
    """Move `appt` to `wanted` on the database worker; a cancellation asks its reason first."""
    if wanted is S.CANCELLED:
        dialog = CancelDialog(desk, appt, parent)
        if on_done is not None:
            dialog.cancelled.connect(lambda _late: on_done())
        dialog.open()
        return
    run_step(desk, appt.id, wanted, parent, on_done=on_done)


def run_step(
    desk: Desk,
    appointment_id: int,
    wanted: AppointmentStatus,
    parent: QWidget,
    *,
    on_done: Callable[[], None] | None = None,
) -> None:
    """Move an appointment to `wanted` (not a cancellation: that needs its dialog) on the
    database worker; a refusal is shown in plain words."""
    statuses, user = desk.services.statuses, desk.user
    work: dict[AppointmentStatus, Callable[[], None]] = {
        S.CONFIRMED: lambda: statuses.confirm(appointment_id, user),
        S.CHECKED_IN: lambda: statuses.arrive(appointment_id, user),
        S.IN_SERVICE: lambda: statuses.start(appointment_id, user),
        S.COMPLETED: lambda: statuses.finish(appointment_id, user),
        S.NO_SHOW: lambda: statuses.no_show(appointment_id, user),
    }
    desk.runner.run(
        work[wanted],
        doing=QCoreApplication.translate("StatusActions", "changing the appointment's status"),
        on_done=(lambda _none: on_done()) if on_done is not None else None,
        parent=parent,
    )


def status_actions(desk: Desk, appt: AppointmentView, parent: QWidget) -> list[QAction]:
    """The allowed next statuses of `appt` as actions owned by `parent` (shortcuts shown; the
    keys fire where the caller binds them, e.g. the calendar)."""
    actions = []
    for wanted in next_steps(desk, appt):
        action = QAction(step_name(wanted), parent)
        action.setObjectName(f"status_{wanted.value}")
        keys = QKeySequence(STATUS_KEYS[wanted])
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(
            QCoreApplication.translate("StatusActions", "{action} ({keys})").format(
                action=step_name(wanted).rstrip("…"),
                keys=keys.toString(QKeySequence.SequenceFormat.NativeText),
            )
        )
        action.triggered.connect(
            lambda _checked=False, w=wanted: change_status(desk, appt, w, parent)
        )
        actions.append(action)
    return actions


def bind_status_keys(
    desk: Desk, widget: QWidget, selected: Callable[[], AppointmentView | None]
) -> list[QShortcut]:
    """Bind `STATUS_KEYS` on `widget` (and its children): each key moves the `selected()`
    appointment to its status when the table and the person's role allow it; otherwise the key
    does nothing (the context menu shows what is possible)."""
    return [
        QShortcut(
            QKeySequence(keys),
            widget,
            functools.partial(_key_step, desk, widget, selected, wanted),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        for wanted, keys in STATUS_KEYS.items()
    ]


def _key_step(
    desk: Desk,
    widget: QWidget,
    selected: Callable[[], AppointmentView | None],
    wanted: AppointmentStatus,
) -> None:
    appt = selected()
    if appt is not None and wanted in next_steps(desk, appt):
        change_status(desk, appt, wanted, widget)


class CancelDialog(QDialog):
    """Cancel one appointment: what it is, whether it is late, and a required reason."""

    cancelled = Signal(bool)  # True when it was a late cancellation

    def __init__(self, desk: Desk, appt: AppointmentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._appt = appt
        self.check: CancelCheck | None = None
        self.setWindowTitle(self.tr("Cancel appointment"))
        self.setMinimumWidth(420)
        formats = desk.formats()
        what = QLabel(
            self.tr("{client} · {service}\n{day}, {time}").format(
                client=appt.customer_name,
                service=appt.service_name,
                day=formats.long_date(appt.starts.date()),
                time=time_range(formats, appt.starts, appt.ends),
            )
        )
        what.setObjectName("cancelWhat")
        what.setWordWrap(True)
        self.late_label = QLabel()
        self.late_label.setObjectName("cancelLate")
        self.late_label.setWordWrap(True)
        self.late_label.hide()
        question = QLabel(self.tr("&Reason (kept with the appointment):"))
        self.reason = QLineEdit()
        self.reason.setObjectName("cancelReason")
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setPlaceholderText(self.tr("For example: the client is ill"))
        question.setBuddy(self.reason)
        self.error_label = QLabel()
        self.error_label.setObjectName("cancelError")
        self.error_label.setStyleSheet(style.ERROR_TEXT)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox()
        self.keep_button = self.buttons.addButton(
            self.tr("Keep appointment"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.keep_button.setToolTip(self.tr("Close without cancelling (Esc)"))
        self.confirm_button = self.buttons.addButton(
            self.tr("Cancel appointment"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setObjectName("cancelConfirm")
        self.confirm_button.setToolTip(self.tr("Cancel it with this reason (Enter)"))
        self.confirm_button.setDefault(True)
        self.confirm_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(self.late_label)
        layout.addWidget(question)
        layout.addWidget(self.reason)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._reason_changed)
        self.reason.setFocus()
        self._load_check()

    def _load_check(self) -> None:
        statuses, user, appt_id = self._desk.services.statuses, self._desk.user, self._appt.id
        self._desk.runner.run(
            lambda: statuses.cancel_check(appt_id, user),
            doing=self.tr("checking the cancellation window"),
            on_done=self._show_check,
            parent=self,
        )

    def _show_check(self, check: CancelCheck) -> None:
        self.check = check
        if check.late:
            text = self.tr(
                "Late cancellation: within %n hour(s) of the start. "
                "It will count on the client's card.",
                "",
                check.window_hours,
            )
            self.late_label.setText(plural_s(text, check.window_hours))
            self.late_label.setStyleSheet(style.ERROR_TEXT)
        else:
            self.late_label.setText(self.tr("In good time: not a late cancellation."))
            self.late_label.setStyleSheet("")
        self.late_label.show()

    def _reason_changed(self, text: str) -> None:
        self.confirm_button.setEnabled(bool(text.strip()))
        self.error_label.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter cancels only with a reason (never "Keep appointment" by accident)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._confirm()
            return
        super().keyPressEvent(event)

    def _confirm(self) -> None:
        reason = self.reason.text()
        if not reason.strip() or not self.confirm_button.isEnabled():
            return
        statuses, user, appt_id = self._desk.services.statuses, self._desk.user, self._appt.id
        self.confirm_button.setEnabled(False)
        self._desk.runner.run(
            lambda: statuses.cancel(appt_id, reason, user),
            doing=self.tr("cancelling the appointment"),
            on_done=self._done,
            on_known_error=self._refused,
            on_finished=lambda: self.confirm_button.setEnabled(bool(self.reason.text().strip())),
            parent=self,
        )

    def _done(self, late: bool) -> None:
        self.cancelled.emit(late)
        self.accept()

    def _refused(self, error: BaseException) -> bool:
        """A bad reason is shown under the field; anything else in a message box."""
        if isinstance(error, ValidationError) and error.field == "cancel_reason":
            self.error_label.setText(error_text(error, self._desk.formats()))
            self.error_label.show()
            self.reason.setFocus()
            return True
        return False
