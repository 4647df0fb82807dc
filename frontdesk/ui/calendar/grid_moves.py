"""Moves and resizes asked for on the time grid, run through the booking service.

A move runs on the desk's runner while its block already shows where it will go. A refusal puts
the block back and says why (the rule, and the appointment in the way); when the rule may be
overridden by this person, the dialog lane's `ask_override` asks a reason and the move is tried
again with it. Every move that went through is kept (a small stack of `Moved` values) so Ctrl+Z
can put the last one back with `BookingService.undo`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from frontdesk.domain.errors import DomainError
from frontdesk.services.booking import Moved
from frontdesk.services.calendar import AppointmentView
from frontdesk.ui.calendar import override_prompt
from frontdesk.ui.calendar.grid_layout import ColumnKind, GridColumn
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text

#: How many moves Ctrl+Z can take back.
UNDO_DEPTH = 20


class GridMoves(QObject):
    """Runs the grid's moves and resizes and keeps what Ctrl+Z needs (see the module doc)."""

    #: Whether there is a move to undo.
    can_undo_changed = Signal(bool)
    #: A refusal's words ("" when the last change went through).
    refused = Signal(str)
    #: The appointment whose pending block must go back where the schedule has it.
    snap_back = Signal(int)

    def __init__(self, desk: Desk, parent: QWidget) -> None:
        super().__init__(parent)
        self._desk = desk
        self._parent = parent
        self.undo_stack: list[Moved] = []
        self.running = False

    # -- the three changes --------------------------------------------------------------------

    def move(self, appt: AppointmentView, starts: datetime, column: GridColumn) -> None:
        """Move `appt` to `starts` in `column` (another therapist or room when the column is)."""
        staff_id = room_id = None
        if column.kind == ColumnKind.STAFF and column.id != appt.therapist_id:
            staff_id = column.id
        elif column.kind == ColumnKind.ROOM and column.id != appt.room_id:
            room_id = column.id
        booking, user = self._desk.services.booking, self._desk.user

        def work(reason: str) -> Moved:
            return booking.move(
                appt.id, starts, user, staff_id=staff_id, room_id=room_id, override_reason=reason
            )

        self._run(appt.id, work, self.tr("moving the appointment"), self.tr("Move anyway"))

    def resize(self, appt: AppointmentView, ends: datetime) -> None:
        booking, user = self._desk.services.booking, self._desk.user

        def work(reason: str) -> Moved:
            return booking.resize(appt.id, ends, user, override_reason=reason)

        self._run(
            appt.id, work, self.tr("changing the appointment's length"), self.tr("Change anyway")
        )

    def undo(self) -> None:
        """Put the last move or resize back (checked like a move)."""
        if not self.undo_stack or self.running:
            return
        moved = self.undo_stack[-1]
        booking, user = self._desk.services.booking, self._desk.user

        def work(reason: str) -> Moved:
            return booking.undo(moved, user, override_reason=reason)

        self._run(
            moved.appointment_id,
            work,
            self.tr("undoing the move"),
            self.tr("Undo anyway"),
            undo=True,
        )

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    # -- running ------------------------------------------------------------------------------

    def _run(
        self,
        appointment_id: int,
        work: Callable[[str], Moved],
        doing: str,
        confirm: str,
        *,
        undo: bool = False,
        reason: str = "",
    ) -> None:
        self.running = True

        def done(moved: Moved) -> None:
            if undo:
                if self.undo_stack:
                    self.undo_stack.pop()
            else:
                self.undo_stack.append(moved)
                del self.undo_stack[:-UNDO_DEPTH]
            self.refused.emit("")
            self.can_undo_changed.emit(self.can_undo)

        def known(error: BaseException) -> bool:
            self.snap_back.emit(appointment_id)
            if not isinstance(error, DomainError):
                return False
            self.refused.emit(error_text(error, self._desk.formats()))
            given = override_prompt.ask_override(self._parent, self._desk, error, confirm=confirm)
            if given:
                self._run(appointment_id, work, doing, confirm, undo=undo, reason=given)
            return True

        def finished() -> None:
            self.running = False

        self._desk.runner.run(
            lambda: work(reason),
            doing=doing,
            on_done=done,
            on_known_error=known,
            on_finished=finished,
            parent=self._parent,
        )
