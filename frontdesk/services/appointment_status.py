"""Appointment statuses: confirm, arrive, start and finish a service, no-show, cancel with a reason
(late cancellations marked).

Each step is one unit of work: the appointment row is locked, the domain's table
(`allowed_next`) decides whether the step is allowed, the time is stamped from the clock and an
audit entry written. The unit of work announces APPOINTMENTS, so the calendar, the room board and
the waitlist (a cancellation frees a slot) follow on every terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Appointment, ShopProfile
from frontdesk.domain.appointments import AppointmentStatus, can_become, is_late_cancellation
from frontdesk.domain.errors import DomainError, words
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import clean_line
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: As stored (db/models/appointments.py: cancel_reason is 200 characters).
MAX_REASON = 200
#: When the shop has no profile row yet (a new database), the schema's default.
DEFAULT_LATE_CANCEL_HOURS = 24

REASON_REQUIRED = words("Say why the appointment is cancelled.")

S = AppointmentStatus


@dataclass(frozen=True)
class CancelCheck:
    """What cancelling an appointment now would mean, before the desk confirms it."""

    appointment_id: int
    #: Inside the shop's late-cancellation window (or after the start): counted on the card.
    late: bool
    window_hours: int
    starts: datetime  # aware, UTC


class AppointmentStatusService:
    """Moves appointments along the status table, as the signed-in person."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    @writes
    def confirm(self, appointment_id: int, by: SignedIn) -> None:
        """The client confirmed they are coming."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.write() as session:
            self._change(session, appointment_id, S.CONFIRMED, by)

    @writes
    def arrive(self, appointment_id: int, by: SignedIn) -> None:
        """The client is here (shown as "Arrived")."""
        by.require(Permission.SERVE_APPOINTMENTS)
        with self._uow.write() as session:
            appt = self._change(session, appointment_id, S.CHECKED_IN, by)
            appt.arrived_at = self._clock.now()

    @writes
    def start(self, appointment_id: int, by: SignedIn) -> None:
        """The service has started."""
        by.require(Permission.SERVE_APPOINTMENTS)
        with self._uow.write() as session:
            appt = self._change(session, appointment_id, S.IN_SERVICE, by)
            appt.started_at = self._clock.now()

    @writes
    def finish(self, appointment_id: int, by: SignedIn) -> None:
        """The service is over: the therapist and room are free (the room is cleaned during the
        service's buffer). The visit stays payable until checkout takes the payment."""
        by.require(Permission.SERVE_APPOINTMENTS)
        with self._uow.write() as session:
            appt = self._change(session, appointment_id, S.COMPLETED, by)
            appt.finished_at = self._clock.now()

    @writes
    def no_show(self, appointment_id: int, by: SignedIn) -> None:
        """The client never came (only once the start time has passed)."""
        by.require(Permission.BOOK_APPOINTMENTS)
        now = self._clock.now()
        with self._uow.write() as session:
            appt = self._load(session, appointment_id)
            if now < appt.starts_at:
                raise DomainError(
                    "A client can be marked as a no-show only after the start time ({start}).",
                    start=appt.starts_at,
                )
            self._change(session, appointment_id, S.NO_SHOW, by)

    @writes
    def cancel(self, appointment_id: int, reason: str, by: SignedIn) -> bool:
        """Cancel with a reason (required); True when the cancellation is late (inside the
        shop's late-cancellation window before the start, or after it)."""
        by.require(Permission.BOOK_APPOINTMENTS)
        cleaned = clean_line(
            reason, "cancel_reason", "The reason", MAX_REASON, required=REASON_REQUIRED
        )
        now = self._clock.now()
        with self._uow.write() as session:
            appt = self._change(session, appointment_id, S.CANCELLED, by, note_late=True)
            appt.cancelled_at = now
            appt.cancel_reason = cleaned
            return bool(appt.late_cancel)

    @reads
    def cancel_check(self, appointment_id: int, viewer: SignedIn) -> CancelCheck:
        """Whether a cancellation now would be late (for the cancel dialog to say so first)."""
        viewer.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.read() as session:
            appt = session.get(Appointment, appointment_id)
            if appt is None:
                raise DomainError("That appointment no longer exists.")
            hours = self._late_cancel_hours(session)
            late = is_late_cancellation(appt.starts_at, self._clock.now(), hours)
            return CancelCheck(appt.id, late, hours, appt.starts_at)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _load(session: Session, appointment_id: int) -> Appointment:
        # Locked until commit: two desks marking one appointment at once take turns, and the
        # second sees the first's status (SQLite's BEGIN IMMEDIATE already serialises writers).
        appt = session.get(Appointment, appointment_id, with_for_update=True)
        if appt is None:
            raise DomainError("That appointment no longer exists.")
        return appt

    def _change(
        self,
        session: Session,
        appointment_id: int,
        wanted: AppointmentStatus,
        by: SignedIn,
        *,
        note_late: bool = False,
    ) -> Appointment:
        """Move the appointment to `wanted` if the table allows it, with its audit entry."""
        appt = self._load(session, appointment_id)
        current = AppointmentStatus(appt.status)
        if current is wanted:
            raise DomainError("This appointment is already marked “{status}”.", status=current)
        if not can_become(current, wanted):
            raise DomainError(
                "An appointment marked “{current}” cannot be changed to “{wanted}”.",
                current=current,
                wanted=wanted,
            )
        now = self._clock.now()
        appt.status = wanted.value
        detail = f"{current.value} -> {wanted.value}"
        if note_late:
            appt.late_cancel = is_late_cancellation(
                appt.starts_at, now, self._late_cancel_hours(session)
            )
            if appt.late_cancel:
                detail += " (late)"
        record(
            session,
            at=now,
            action=f"appointment.{wanted.value}",
            staff_id=by.staff_id,
            entity="appointment",
            entity_id=appt.id,
            detail=detail,  # never the reason: it may name the client's health
        )
        return appt

    @staticmethod
    def _late_cancel_hours(session: Session) -> int:
        hours = session.scalar(
            select(ShopProfile.late_cancel_hours).order_by(ShopProfile.id).limit(1)
        )
        return DEFAULT_LATE_CANCEL_HOURS if hours is None else int(hours)


__all__ = ["MAX_REASON", "AppointmentStatusService"]
