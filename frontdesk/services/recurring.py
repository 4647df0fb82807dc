"""Recurring appointments (every N weeks, until a day or a count) with a per-occurrence conflict
report before anything is saved.

A series starts from an existing appointment and repeats it: same client, therapist, service
and local wall-clock time (frontdesk/domain/recurrence.py). Each occurrence is checked by the
booking engine's own rules (that day's schedule_facts, domain.booking.plan_booking); `create`
books them all through BookingService in one unit of work with an AppointmentSeries row (the
engine checks each again under its locks), all or nothing unless the clashing ones are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Appointment,
    AppointmentResource,
    AppointmentSeries,
    Customer,
    Service,
    Staff,
    StaffAbsence,
)
from frontdesk.domain.appointments import LIVE_STATUS_VALUES
from frontdesk.domain.booking import Busy, LegNeed, plan_booking
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.names import display_name
from frontdesk.domain.recurrence import Recurrence, occurrences
from frontdesk.domain.roles import Permission
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.booking import BookingRequest, BookingService, LegRequest
from frontdesk.services.clock import Clock
from frontdesk.services.safety_gate import SafetyStop, check
from frontdesk.services.schedule_facts import ScheduleFacts, load_facts
from frontdesk.services.shop import ShopInfo, ShopService, load_shop
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes


@dataclass(frozen=True)
class Occurrence:
    """One repeat of the appointment, as it would be booked: aware datetimes in the shop's zone;
    `problem` says why it cannot be booked (None: it can)."""

    starts: datetime
    ends: datetime
    problem: DomainError | None = None
    staff_name: str = ""
    service_name: str = ""


@dataclass(frozen=True)
class RepeatSource:
    """The appointment a series repeats, as the dialog names it."""

    id: int
    client_id: int
    staff_id: int
    service_id: int
    starts: datetime  # shop zone
    ends: datetime
    staff_name: str
    service_name: str
    client_name: str = ""
    #: The safety gate's stop for the client and the service (issue 9): every repeat would
    #: meet it, so booking them asks for one reason first. None: nothing matched.
    safety: SafetyStop | None = None
    #: The client has allergies on file that the gate could not read (the health data key is
    #: missing on this computer): the repeats may be booked, but nobody may think it looked.
    health_unchecked: bool = False


class RecurringService:
    """Repeats an appointment every N weeks (BOOK_APPOINTMENTS)."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService,
        booking: BookingService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        # The program's own booking service (with the health key, so repeats pass the safety
        # gate like any booking); a plain one for tests that need no gate.
        self._booking = booking or BookingService(uow, clock, shop)

    @reads
    def source(self, appointment_id: int, viewer: SignedIn) -> RepeatSource:
        """The appointment a series would repeat; DomainError when it cannot repeat (gone,
        finished or cancelled, or already in a series)."""
        viewer.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.read() as session:
            source = self._source(session, appointment_id)
            found = check(session, self._booking.vault, [source.client_id], [source.service_id])
            return replace(
                source,
                safety=SafetyStop(found[0]) if found else None,
                health_unchecked=bool(self._booking.health_unchecked(session, [source.client_id])),
            )

    @reads
    def preview(
        self,
        appointment_id: int,
        every_weeks: int,
        *,
        until: date | None = None,
        count: int | None = None,
        viewer: SignedIn,
    ) -> tuple[Occurrence, ...]:
        """Every repeat after the appointment itself, each with its problem (or None); saves
        nothing. FormErrors for a rule that cannot be kept (every_weeks, until, count)."""
        viewer.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.read() as session:
            source = self._source(session, appointment_id)
            return self._check(session, source, Recurrence(every_weeks, until, count))

    @writes
    def create(
        self,
        appointment_id: int,
        every_weeks: int,
        *,
        until: date | None = None,
        count: int | None = None,
        skip_conflicts: bool,
        by: SignedIn,
        safety_reason: str = "",
    ) -> tuple[int, ...]:
        """Book the repeats in one go; the new appointments' ids. With a conflict and
        `skip_conflicts` False nothing is saved (the first problem is raised); with it True
        only the conflicting repeats are left out. A service matching the client's allergy or
        contraindication is refused with SafetyStop (nothing saved) unless `safety_reason` is
        given: it is recorded as booking records it, one SafetyOverride per appointment (so
        checkout of each repeat does not ask again)."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.write() as session:
            source = self._source(session, appointment_id, lock=True)
            rule = Recurrence(every_weeks, until, count)
            planned = self._check(session, source, rule)
            problems = [o.problem for o in planned if o.problem is not None]
            if problems and not skip_conflicts:
                raise problems[0]
            wanted = [o for o in planned if o.problem is None]
            if not wanted:
                raise DomainError("Every repeat clashes with something: nothing was booked.")
            series = AppointmentSeries(
                every_weeks=every_weeks,
                until_day=until,
                occurrences=count,
                created_at=self._clock.now(),
            )
            session.add(series)
            session.flush()
            ids: list[int] = []
            for occurrence in wanted:
                request = BookingRequest(
                    (source.client_id,),
                    occurrence.starts,
                    (LegRequest(source.service_id, source.staff_id),),
                    safety_reason=safety_reason,
                )
                ids.extend(self._booking.book_request(request, by))
            for appt in (session.get(Appointment, i) for i in (source.id, *ids)):
                if appt is not None:
                    appt.series_id = series.id
            session.flush()
            record(
                session,
                at=self._clock.now(),
                action="appointment.series_created",
                staff_id=by.staff_id,
                entity="appointment_series",
                entity_id=series.id,
                detail=f"from appointment {source.id}: {len(ids)} booked, "
                f"{len(planned) - len(wanted)} skipped",
            )
            return tuple(ids)

    # -- helpers ------------------------------------------------------------------------------

    def _source(self, session: Session, appointment_id: int, *, lock: bool = False) -> RepeatSource:
        appt = session.get(Appointment, appointment_id, with_for_update=lock)
        if appt is None:
            raise DomainError("That appointment no longer exists.")
        if appt.status not in LIVE_STATUS_VALUES:
            raise DomainError("Only a booked appointment can be repeated.")
        if appt.series_id is not None:
            raise DomainError("This appointment already repeats.")
        shop = load_shop(session)
        staff = session.get(Staff, appt.staff_id)
        service = session.get(Service, appt.service_id)
        client = session.get(Customer, appt.customer_id)
        return RepeatSource(
            id=appt.id,
            client_id=appt.customer_id,
            staff_id=appt.staff_id,
            service_id=appt.service_id,
            starts=shop.local(appt.starts_at),
            ends=shop.local(appt.ends_at),
            staff_name=staff.display_name if staff is not None else "",
            service_name=service.name if service is not None else "",
            client_name=display_name(client.first_name, client.last_name) if client else "",
        )

    def _check(
        self, session: Session, source: RepeatSource, rule: Recurrence
    ) -> tuple[Occurrence, ...]:
        """Each repeat after the first, planned by the booking rules over that day's facts."""
        shop = load_shop(session)
        now = self._clock.now()
        length = source.ends - source.starts
        repeats = occurrences(source.starts, rule)[1:]
        facts = series_facts(session, shop, [s.date() for s in repeats])
        result: list[Occurrence] = []
        for starts in repeats:
            problem = _unbookable(facts, source) or (
                ValidationError("starts", "That time has already passed.")
                if starts <= now
                else None
            )
            ends = starts + length
            if problem is None:
                service = facts.services[source.service_id]
                need = LegNeed(
                    client_id=source.client_id,
                    service_id=service.id,
                    service_name=service.name,
                    duration_minutes=service.duration_minutes,
                    buffer_minutes=service.buffer_minutes,
                    needs_room=bool(service.room_kind),
                    places=service.places,
                    equipment=service.equipment,
                    staff_ids=(source.staff_id,),
                    rooms=facts.rooms_for(service.room_kind),
                )
                (leg,) = plan_booking(
                    [[need]],
                    starts,
                    facts.staff_day,
                    facts.busy_on(starts.date()),
                    facts.equipment(),
                )
                problem, ends = leg.problem, leg.ends
            result.append(
                Occurrence(
                    starts=starts,
                    ends=ends,
                    problem=problem,
                    staff_name=source.staff_name,
                    service_name=source.service_name,
                )
            )
        return tuple(result)


def series_facts(session: Session, shop: ShopInfo, days: Sequence[date]) -> ScheduleFacts:
    """The booking rules' facts for scattered days (a series' dates), without reading every
    appointment of the weeks between: the shop's and staff's settings once, then only the
    appointments that could touch one of the days (a day either side, as load_facts does)."""
    first, last = min(days), max(days)
    base = load_facts(session, shop, first, first)
    zone = shop.zone
    reach = timedelta(days=1)
    windows = [
        and_(
            Appointment.starts_at
            < datetime.combine(d + timedelta(days=1), time.min, zone).astimezone(UTC) + reach,
            Appointment.ends_at > datetime.combine(d, time.min, zone).astimezone(UTC) - reach,
        )
        for d in sorted(set(days))
    ]
    live = (Appointment.status.in_(LIVE_STATUS_VALUES), or_(*windows))
    held: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for appt_id, resource_id, quantity in session.execute(
        select(
            AppointmentResource.appointment_id,
            AppointmentResource.resource_id,
            AppointmentResource.quantity,
        )
        .join(Appointment, Appointment.id == AppointmentResource.appointment_id)
        .where(*live)
        .order_by(AppointmentResource.appointment_id, AppointmentResource.resource_id)
    ).tuples():
        held[appt_id].append((resource_id, quantity))
    busy: list[Busy] = []
    for row in session.execute(
        select(
            Appointment.id,
            Appointment.staff_id,
            Appointment.customer_id,
            Appointment.room_id,
            Appointment.starts_at,
            Appointment.ends_at,
            Appointment.service_id,
            Appointment.booking_id,
        )
        .where(*live)
        .order_by(Appointment.starts_at, Appointment.id)
    ).tuples():
        appt_id, staff_id, client_id, room_id, starts, ends, service_id, booking_id = row
        service = base.services[service_id]
        busy.append(
            Busy(
                appointment_id=appt_id,
                staff_id=staff_id,
                client_id=client_id,
                room_id=room_id,
                starts=shop.local(starts),
                ends=shop.local(ends),
                buffer_minutes=service.buffer_minutes,
                places=service.places,
                service_name=service.name,
                resources=tuple(held.get(appt_id, ())),
                booking_id=booking_id,
                service_id=service_id,
            )
        )
    absences: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for staff_id, away_from, away_to in session.execute(
        select(StaffAbsence.staff_id, StaffAbsence.first_day, StaffAbsence.last_day).where(
            StaffAbsence.first_day <= last, StaffAbsence.last_day >= first
        )
    ).tuples():
        absences[staff_id].append((away_from, away_to))
    return replace(
        base,
        first_day=first,
        last_day=last,
        absences={k: tuple(v) for k, v in absences.items()},
        closed_days=frozenset(d for d, _note in shop.closed_days if first <= d <= last),
        busy=tuple(busy),
        _starts=[],
    )


def _unbookable(facts: ScheduleFacts, source: RepeatSource) -> DomainError | None:
    """Why nothing of the series can be booked any more (the therapist or service archived)."""
    staff = facts.staff_named(source.staff_id)
    if staff is None or not staff.active:
        return ValidationError("staff", "That therapist is archived or no longer exists.")
    service = facts.services.get(source.service_id)
    if service is None or not service.active or not service.bookable:
        return ValidationError("service", "That service is archived or cannot be booked.")
    return None


__all__ = ["Occurrence", "RecurringService", "RepeatSource"]
