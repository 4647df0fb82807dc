"""Booking: the front desk books a client with a therapist for a service (the smallest real
booking; moves, repeats and the waitlist come with the full calendar).

The rules are frontdesk/domain/booking.py's; this module gathers the day's facts for them inside
one write transaction. Two desks booking the same therapist at once: the therapist's row (and
the client's, and the candidate rooms') is locked with SELECT ... FOR UPDATE before anything is
checked on PostgreSQL, and SQLite's write transactions are serialised already, so exactly one
wins and the other is told who is in the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Appointment,
    Customer,
    Room,
    Service,
    Staff,
    StaffAbsence,
    StaffBreak,
    StaffService,
    WorkingHours,
)
from frontdesk.domain.appointments import LIVE_STATUS_VALUES
from frontdesk.domain.booking import Busy, RoomFree, StaffDay, Wanted, check_booking
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.money import Money
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import same_name
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.catalogue import service_price_on
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopInfo, ShopService, load_shop
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: Roles that take appointments in the calendar.
_THERAPIST_ROLES = ("therapist", "manager", "owner")


@dataclass(frozen=True)
class BookingDraft:
    client_id: int
    service_id: int
    staff_id: int
    #: An aware datetime in the shop's zone (any zone is accepted: it is converted).
    starts: datetime


# -- issue 8: the full booking API (frontdesk/services/booking.py, the engine lane) ---------------


@dataclass(frozen=True)
class LegRequest:
    """One service of a booking. Legs run in sequence for each client: the next starts when the
    previous ends (the therapist's cleanup buffer only delays the next leg when it has the same
    therapist or room)."""

    service_id: int
    #: A named therapist, or None for anyone qualified and free (the engine picks one).
    staff_id: int | None = None
    #: A room chosen by hand, or None for the first room of the needed kind with places free.
    room_id: int | None = None
    #: Equipment chosen by hand (resource ids), or None for automatic.
    resource_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class BookingRequest:
    """What the desk asks for: one client (or a group: several clients, each getting every leg
    at the same times; they share a room where its capacity allows) from `starts`."""

    client_ids: tuple[int, ...]
    #: Aware datetime (any zone; converted to the shop's).
    starts: datetime
    legs: tuple[LegRequest, ...]
    #: Set to book past an overridable rule (needs OVERRIDE_BOOKING_RULES); audited.
    override_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class PlannedLeg:
    """One appointment the booking would make, as previewed."""

    client_id: int
    service_id: int
    service_name: str
    staff_id: int | None
    staff_name: str
    room_id: int | None
    room_name: str
    resource_names: tuple[str, ...]
    starts: datetime  # aware, shop zone
    ends: datetime
    #: End of the cleanup buffer (therapist and room held until then).
    held_until: datetime
    price: Money
    #: Why this leg cannot be booked as it stands (None: it can).
    problem: DomainError | None = None


@dataclass(frozen=True)
class BookingPlan:
    legs: tuple[PlannedLeg, ...]
    total: Money
    ends: datetime

    @property
    def problems(self) -> tuple[DomainError, ...]:
        return tuple(leg.problem for leg in self.legs if leg.problem is not None)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Moved:
    """An appointment's place before and after a move or resize (what Ctrl+Z puts back)."""

    appointment_id: int
    old_starts: datetime
    old_ends: datetime
    old_staff_id: int
    old_room_id: int | None
    new_starts: datetime
    new_ends: datetime
    new_staff_id: int
    new_room_id: int | None


@dataclass(frozen=True)
class ServiceChoice:
    id: int
    name: str
    duration_minutes: int
    buffer_minutes: int
    price_minor: int


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str


@dataclass(frozen=True)
class BookingChoices:
    services: tuple[ServiceChoice, ...]
    staff: tuple[StaffChoice, ...]


class BookingService:
    """Books appointments (BOOK_APPOINTMENTS)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    @reads
    def choices(self, viewer: SignedIn, day: date) -> BookingChoices:
        """Active bookable services (with their price on `day`) and active therapists."""
        viewer.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.read() as session:
            services = session.scalars(
                select(Service)
                .where(Service.active.is_(True), Service.bookable.is_(True))
                .order_by(Service.sort_order, Service.name, Service.id)
            ).all()
            staff = session.scalars(
                select(Staff)
                .where(Staff.active.is_(True), Staff.role.in_(_THERAPIST_ROLES))
                .order_by(Staff.display_name, Staff.id)
            ).all()
            return BookingChoices(
                tuple(
                    ServiceChoice(
                        s.id,
                        s.name,
                        s.duration_minutes,
                        s.buffer_minutes,
                        service_price_on(session, s.id, day).price_minor,
                    )
                    for s in services
                ),
                tuple(StaffChoice(s.id, s.display_name) for s in staff),
            )

    @writes
    def book(self, draft: BookingDraft, by: SignedIn) -> int:
        """Book the appointment; its id. DomainError (naming the rule, and the appointment in
        the way where there is one) changes nothing."""
        by.require(Permission.BOOK_APPOINTMENTS)
        if draft.starts.tzinfo is None:
            raise ValidationError("starts", "Choose a date and a time.")
        with self._uow.write() as session:
            shop = load_shop(session)
            local_start = draft.starts.astimezone(shop.zone).replace(second=0, microsecond=0)
            staff = session.get(Staff, draft.staff_id, with_for_update=True)
            if staff is None or not staff.active:
                raise ValidationError("staff", "That therapist is archived or no longer exists.")
            client = session.get(Customer, draft.client_id, with_for_update=True)
            if client is None:
                raise ValidationError("client", "That client no longer exists.")
            service = session.get(Service, draft.service_id)
            if service is None or not service.active or not service.bookable:
                raise ValidationError("service", "That service is archived or cannot be booked.")
            wanted = Wanted(
                staff_id=staff.id,
                client_id=client.id,
                starts=local_start,
                duration_minutes=service.duration_minutes,
                buffer_minutes=service.buffer_minutes,
                needs_room=bool(service.room_kind),
                places=service.capacity_used,
            )
            rooms = self._rooms(session, service.room_kind)
            day = self._day(session, shop, staff.id, service.id, local_start)
            others = self._busy(session, shop, wanted, {r.room_id for r in rooms})
            room_id = check_booking(wanted, day, others, rooms)
            price = service_price_on(session, service.id, local_start.date())
            appt = Appointment(
                customer_id=client.id,
                staff_id=staff.id,
                room_id=room_id,
                service_id=service.id,
                starts_at=local_start.astimezone(UTC),
                ends_at=wanted.ends.astimezone(UTC),
                status="booked",
                price_minor=price.price_minor,
            )
            session.add(appt)
            session.flush()
            record(
                session,
                at=self._clock.now(),
                action="appointment.booked",
                staff_id=by.staff_id,
                entity="appointment",
                entity_id=appt.id,
            )
            return appt.id

    # -- the facts the rules need ---------------------------------------------------------------

    def _rooms(self, session: Session, kind: str | None) -> list[RoomFree]:
        if not kind:
            return []
        rows = session.scalars(
            select(Room).where(Room.active.is_(True)).order_by(Room.id).with_for_update()
        ).all()
        return [RoomFree(r.id, r.capacity) for r in rows if same_name(r.kind, kind)]

    def _day(
        self, session: Session, shop: ShopInfo, staff_id: int, service_id: int, start: datetime
    ) -> StaffDay:
        weekday = start.weekday()
        working = tuple(
            (h.start_minute, h.end_minute)
            for h in session.scalars(
                select(WorkingHours).where(
                    WorkingHours.staff_id == staff_id, WorkingHours.weekday == weekday
                )
            )
        )
        breaks = tuple(
            (b.start_minute, b.end_minute)
            for b in session.scalars(
                select(StaffBreak).where(
                    StaffBreak.staff_id == staff_id, StaffBreak.weekday == weekday
                )
            )
        )
        absent = (
            session.scalars(
                select(StaffAbsence.id).where(
                    StaffAbsence.staff_id == staff_id,
                    StaffAbsence.first_day <= start.date(),
                    StaffAbsence.last_day >= start.date(),
                )
            ).first()
            is not None
        )
        qualifications = set(
            session.scalars(
                select(StaffService.service_id).where(StaffService.staff_id == staff_id)
            )
        )
        opening = (
            tuple((s.open_minute, s.close_minute) for s in shop.hours if s.weekday == weekday)
            if shop.hours
            else None
        )
        return StaffDay(
            working=working,
            breaks=breaks,
            absent=absent,
            opening=opening,
            closed_day=any(day == start.date() for day, _ in shop.closed_days),
            qualified=(service_id in qualifications) if qualifications else None,
        )

    def _busy(
        self, session: Session, shop: ShopInfo, wanted: Wanted, room_ids: set[int]
    ) -> list[Busy]:
        # The longest buffer is a day: anything that could touch the wanted time starts within
        # a day of it.
        lo = (wanted.starts - timedelta(days=1)).astimezone(UTC)
        hi = wanted.held_until.astimezone(UTC)
        query = (
            select(Appointment, Service)
            .join(Service, Service.id == Appointment.service_id)
            .where(
                Appointment.status.in_(LIVE_STATUS_VALUES),
                Appointment.starts_at < hi,
                Appointment.ends_at > lo,
            )
        )
        busy: list[Busy] = []
        for appt, service in session.execute(query).tuples():
            if not (
                appt.staff_id == wanted.staff_id
                or appt.customer_id == wanted.client_id
                or appt.room_id in room_ids
            ):
                continue
            starts = shop.local(appt.starts_at)
            ends = shop.local(appt.ends_at)
            busy.append(
                Busy(
                    appointment_id=appt.id,
                    staff_id=appt.staff_id,
                    client_id=appt.customer_id,
                    room_id=appt.room_id,
                    starts=starts,
                    ends=ends,
                    buffer_minutes=service.buffer_minutes,
                    places=service.capacity_used,
                    service_name=service.name,
                )
            )
        return busy
