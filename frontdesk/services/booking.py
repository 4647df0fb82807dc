"""Booking: the front desk books clients with therapists for services -- one service, several
in sequence, or a group at the same time -- and moves and resizes appointments.

The rules are frontdesk/domain/booking.py's; this module gathers their facts
(services/schedule_facts.py) inside one write transaction. Two desks booking the same place at
once: on PostgreSQL the rows of the therapists, the clients, and the candidate rooms and
equipment are locked (SELECT ... FOR UPDATE, in id order) before anything is read or checked;
SQLite write transactions begin with BEGIN IMMEDIATE (db/engine.py), so the check and the insert
are one step across processes. Exactly one wins; the other is told the rule and the appointment
in the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from db.models import (
    Appointment,
    AppointmentResource,
    Booking,
    Customer,
    Resource,
    Room,
    Service,
    ServiceEquipment,
    Staff,
)
from frontdesk.domain.appointments import LIVE_STATUS_VALUES, AppointmentStatus
from frontdesk.domain.booking import (
    MIN_MINUTES,
    LegNeed,
    LegPlan,
    Placed,
    RoomFree,
    Wanted,
    add_minutes,
    place,
    plan_booking,
)
from frontdesk.domain.errors import DomainError, FormErrors, RuleBroken, ValidationError
from frontdesk.domain.money import Money
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import same_name
from frontdesk.domain.shop_time import check_wall_time
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.catalogue import service_price_on
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.safety_gate import (
    SafetyMatch,
    SafetyStop,
    cannot_check,
    check,
    record_override,
    stop_unless_reason,
)
from frontdesk.services.schedule_facts import (
    THERAPIST_ROLES,
    Relevant,
    ScheduleFacts,
    load_facts,
)
from frontdesk.services.shop import ShopInfo, ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

_Q = TypeVar("_Q", bound=Select[Any])

#: The longest override reason kept (the audit detail holds 400 characters).
MAX_REASON = 200


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
    #: Set to book although a service matches a client's allergy or contraindication (the
    #: safety gate, issue 9): recorded as a SafetyOverride, audited.
    safety_reason: str = ""


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
    #: Clients with allergies or contraindications on file that the safety gate could not
    #: read (the health data key is missing on this computer): the booking goes ahead, but
    #: nobody may think the gate looked.
    health_unchecked: tuple[int, ...] = ()

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
class RoomChoice:
    id: int
    name: str
    kind: str
    capacity: int


@dataclass(frozen=True)
class ResourceChoice:
    id: int
    name: str
    kind: str
    quantity: int


@dataclass(frozen=True)
class BookingChoices:
    services: tuple[ServiceChoice, ...]
    staff: tuple[StaffChoice, ...]
    #: Active rooms and equipment, for choosing by hand.
    rooms: tuple[RoomChoice, ...] = ()
    resources: tuple[ResourceChoice, ...] = ()


@dataclass
class _Planned:
    """A request checked and planned inside one transaction."""

    shop: ShopInfo
    facts: ScheduleFacts
    plans: list[LegPlan]


class BookingService:
    """Books, moves and resizes appointments (BOOK_APPOINTMENTS; past a calendar rule with a
    reason: OVERRIDE_BOOKING_RULES)."""

    def __init__(
        self, uow: UnitOfWork, clock: Clock, shop: ShopService, *, vault: HealthVault | None = None
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        #: The health data the safety gate reads (None: no gate).
        self._vault = vault

    @reads
    def choices(self, viewer: SignedIn, day: date) -> BookingChoices:
        """Active bookable services (with their price on `day`), active therapists, and the
        active rooms and equipment (for choosing by hand)."""
        viewer.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.read() as session:
            services = session.scalars(
                select(Service)
                .where(Service.active.is_(True), Service.bookable.is_(True))
                .order_by(Service.sort_order, Service.name, Service.id)
            ).all()
            staff = session.scalars(
                select(Staff)
                .where(Staff.active.is_(True), Staff.role.in_(THERAPIST_ROLES))
                .order_by(Staff.display_name, Staff.id)
            ).all()
            rooms = session.scalars(
                select(Room).where(Room.active.is_(True)).order_by(Room.name, Room.id)
            ).all()
            resources = session.scalars(
                select(Resource).where(Resource.active.is_(True)).order_by(Resource.name)
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
                tuple(RoomChoice(r.id, r.name, r.kind, r.capacity) for r in rooms),
                tuple(ResourceChoice(r.id, r.name, r.kind, r.quantity) for r in resources),
            )

    # -- booking ----------------------------------------------------------------------------

    @writes
    def book(self, draft: BookingDraft, by: SignedIn) -> int:
        """Book one service for one client with a named therapist; its id. DomainError (naming
        the rule, and the appointment in the way where there is one) changes nothing."""
        request = BookingRequest(
            (draft.client_id,), draft.starts, (LegRequest(draft.service_id, draft.staff_id),)
        )
        return self.book_request(request, by)[0]

    @reads
    def preview(self, request: BookingRequest, by: SignedIn) -> BookingPlan:
        """Every leg planned (therapist, room, equipment, times, price) with its problem, if
        any; writes nothing. Impossible input (no client, an unknown service...) raises
        ValidationError/FormErrors at its field, as booking would."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.read() as session:
            planned = self._plan(session, request, lock=False)
            legs = self._with_safety(self._planned_legs(session, planned), request, session)
            total = sum(leg.price.minor for leg in legs)
            ends = max((leg.ends for leg in legs), default=planned.shop.local(request.starts))
            return BookingPlan(
                legs,
                planned.shop.amount(total),
                ends,
                self.health_unchecked(session, request.client_ids),
            )

    @writes
    def book_request(self, request: BookingRequest, by: SignedIn) -> tuple[int, ...]:
        """Book every leg of every client, or nothing; the appointment ids in leg order (client
        by client). The first problem is raised: RuleBroken (overridable: with
        `request.override_reason` and OVERRIDE_BOOKING_RULES it is booked anyway and the
        override audited) or ValidationError/DomainError."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.write() as session:
            planned = self._plan(session, request, lock=True)
            reason = self._override(planned.plans, request.override_reason, by)
            unsafe = self._safety(session, request)
            safety_reason = stop_unless_reason(unsafe, request.safety_reason)
            now = self._clock.now()
            kinds = (
                "group"
                if len(request.client_ids) > 1
                else "sequence"
                if len(request.legs) > 1
                else "single"
            )
            booking = Booking(created_at=now, created_by=by.staff_id, kind=kinds)
            session.add(booking)
            session.flush()
            prices: dict[int, int] = {}
            made: list[tuple[Appointment, LegPlan, Placed]] = []
            for plan in planned.plans:
                need = plan.need
                where = self._forced(plan) if plan.problem is not None else None
                staff_id = plan.staff_id if where is None else where[0]
                placed = Placed(plan.room_id, plan.resources) if where is None else where[1]
                assert staff_id is not None
                if need.service_id not in prices:
                    day = plan.starts.date()
                    prices[need.service_id] = service_price_on(
                        session, need.service_id, day
                    ).price_minor
                appt = Appointment(
                    customer_id=need.client_id,
                    staff_id=staff_id,
                    room_id=placed.room_id,
                    service_id=need.service_id,
                    starts_at=plan.starts.astimezone(UTC),
                    ends_at=plan.ends.astimezone(UTC),
                    status=AppointmentStatus.BOOKED.value,
                    price_minor=prices[need.service_id],
                    booking_id=booking.id,
                    created_at=now,
                    notes=request.note.strip(),
                )
                session.add(appt)
                made.append((appt, plan, placed))
            session.flush()
            for appt, plan, placed in made:
                for resource_id, quantity in placed.resources:
                    session.add(
                        AppointmentResource(
                            appointment_id=appt.id, resource_id=resource_id, quantity=quantity
                        )
                    )
                record(
                    session,
                    at=now,
                    action="appointment.booked",
                    staff_id=by.staff_id,
                    entity="appointment",
                    entity_id=appt.id,
                )
                if plan.problem is not None:
                    self._audit_override(session, by, appt.id, plan.problem, reason)
                leg_unsafe = [
                    m
                    for m in unsafe
                    if m.customer_id == appt.customer_id and m.item_id == appt.service_id
                ]
                if leg_unsafe:
                    record_override(
                        session,
                        at=now,
                        staff_id=by.staff_id,
                        found=leg_unsafe,
                        reason=safety_reason,
                        appointment_id=appt.id,
                    )
            session.flush()
            return tuple(appt.id for appt, _plan, _placed in made)

    @property
    def vault(self) -> HealthVault | None:
        """The health data the safety gate reads (None: no gate)."""
        return self._vault

    def health_unchecked(self, session: Session, client_ids: Sequence[int]) -> tuple[int, ...]:
        """Those of the clients whose allergies the gate cannot read here (inside the caller's
        unit of work); nothing when this service has no gate at all."""
        if self._vault is None or self._vault.ready:
            return ()
        return tuple(
            c for c in dict.fromkeys(client_ids) if cannot_check(session, self._vault, [c])
        )

    def _safety(self, session: Session, request: BookingRequest) -> tuple[SafetyMatch, ...]:
        """The safety gate's matches of the request's clients and services."""
        return check(
            session, self._vault, request.client_ids, [leg.service_id for leg in request.legs]
        )

    def _with_safety(
        self, legs: tuple[PlannedLeg, ...], request: BookingRequest, session: Session
    ) -> tuple[PlannedLeg, ...]:
        """Each leg without another problem that the safety gate stops carries SafetyStop
        (until the request gives a reason)."""
        if request.safety_reason.strip():
            return legs
        unsafe = self._safety(session, request)
        if not unsafe:
            return legs
        out = []
        for leg in legs:
            mine = [
                m for m in unsafe if m.customer_id == leg.client_id and m.item_id == leg.service_id
            ]
            stopped = leg.problem is None and bool(mine)
            out.append(replace(leg, problem=SafetyStop(mine[0])) if stopped else leg)
        return tuple(out)

    # -- moving and resizing ----------------------------------------------------------------

    @writes
    def move(
        self,
        appointment_id: int,
        starts: datetime,
        by: SignedIn,
        *,
        staff_id: int | None = None,
        room_id: int | None = None,
        override_reason: str = "",
    ) -> Moved:
        """Move the appointment to `starts` (keeping its length), to another therapist or room
        if given; checked as a booking is (it is not in its own way)."""
        by.require(Permission.BOOK_APPOINTMENTS)
        if starts.tzinfo is None:
            raise ValidationError("starts", "Choose a date and a time.")
        with self._uow.write() as session:
            appt = self._movable(session, appointment_id)
            new_start = _minute(starts.astimezone(UTC))
            return self._relocate(
                session,
                by,
                appt,
                new_start,
                new_start + (appt.ends_at - appt.starts_at),
                appt.staff_id if staff_id is None else staff_id,
                room_id,
                override_reason,
                "appointment.moved",
            )

    @writes
    def resize(
        self, appointment_id: int, ends: datetime, by: SignedIn, *, override_reason: str = ""
    ) -> Moved:
        """Let the appointment end at `ends` (after its start, at least MIN_MINUTES long, the
        same day); checked as a booking is."""
        by.require(Permission.BOOK_APPOINTMENTS)
        if ends.tzinfo is None:
            raise ValidationError("ends", "Choose a date and a time.")
        with self._uow.write() as session:
            appt = self._movable(session, appointment_id)
            new_end = _minute(ends.astimezone(UTC))
            if new_end <= appt.starts_at:
                raise ValidationError("ends", "An appointment must end after it starts.")
            if new_end - appt.starts_at < timedelta(minutes=MIN_MINUTES):
                raise ValidationError(
                    "ends", "An appointment lasts at least {minutes} minutes.", minutes=MIN_MINUTES
                )
            shop = self._shop.info()
            local_start = shop.local(appt.starts_at)
            midnight = datetime.combine(local_start.date() + timedelta(days=1), datetime.min.time())
            if shop.local(new_end).replace(tzinfo=None) > midnight:
                raise ValidationError("ends", "An appointment must end on the day it starts.")
            return self._relocate(
                session,
                by,
                appt,
                appt.starts_at,
                new_end,
                appt.staff_id,
                None,
                override_reason,
                "appointment.resized",
            )

    @writes
    def undo(self, moved: Moved, by: SignedIn, *, override_reason: str = "") -> Moved:
        """Put a moved or resized appointment back where it was (checked like a move); refused
        when it has been changed again since."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.write() as session:
            appt = self._movable(session, moved.appointment_id)
            now_at = (appt.starts_at, appt.ends_at, appt.staff_id, appt.room_id)
            if now_at != (moved.new_starts, moved.new_ends, moved.new_staff_id, moved.new_room_id):
                raise DomainError("The appointment has been changed since; it was not put back.")
            return self._relocate(
                session,
                by,
                appt,
                moved.old_starts.astimezone(UTC),
                moved.old_ends.astimezone(UTC),
                moved.old_staff_id,
                moved.old_room_id,
                override_reason,
                "appointment.moved",
                detail="undo",
            )

    # -- planning ---------------------------------------------------------------------------

    def _plan(self, session: Session, request: BookingRequest, *, lock: bool) -> _Planned:
        """Check the request's input (every bad field at once), lock what it could collide on
        (when booking), read the facts and plan every leg."""
        errors: dict[str, DomainError] = {}

        def bad(error: ValidationError) -> None:
            errors.setdefault(error.field, error)

        if request.starts.tzinfo is None:
            bad(ValidationError("starts", "Choose a date and a time."))
        else:
            try:  # a wall time the clocks skip is refused, not booked an hour later
                check_wall_time(request.starts)
            except ValidationError as error:
                bad(error)
        if not request.client_ids:
            bad(ValidationError("client", "Choose a client."))
        elif len(set(request.client_ids)) != len(request.client_ids):
            bad(ValidationError("client", "A client is in the group twice."))
        if not request.legs:
            bad(ValidationError("service", "Choose a service."))
        shop = self._shop.info()  # cached; dropped when the shop changes anywhere

        client_ids = sorted(set(request.client_ids))
        found = set(
            session.scalars(
                _locked(
                    select(Customer.id).where(Customer.id.in_(client_ids)).order_by(Customer.id),
                    lock,
                )
            ).all()
        )
        if len(found) != len(client_ids):
            bad(ValidationError("client", "That client no longer exists."))
        service_ids = {leg.service_id for leg in request.legs}
        services = {
            s.id: s for s in session.scalars(select(Service).where(Service.id.in_(service_ids)))
        }
        if any(
            services.get(i) is None or not services[i].active or not services[i].bookable
            for i in service_ids
        ):
            bad(ValidationError("service", "That service is archived or cannot be booked."))
        anyone = any(leg.staff_id is None for leg in request.legs)
        named = {leg.staff_id for leg in request.legs if leg.staff_id is not None}
        staff_query = select(Staff.id, Staff.active, Staff.role).where(
            Staff.active.is_(True) & Staff.role.in_(THERAPIST_ROLES)
            if anyone
            else Staff.id.in_(named)
        )
        if anyone and named:
            staff_query = select(Staff.id, Staff.active, Staff.role).where(
                (Staff.active.is_(True) & Staff.role.in_(THERAPIST_ROLES)) | Staff.id.in_(named)
            )
        staff_rows = {
            row.id: row
            for row in session.execute(_locked(staff_query.order_by(Staff.id), lock)).all()
        }
        for staff_id in named:
            row = staff_rows.get(staff_id)
            if row is None or not row.active or row.role not in THERAPIST_ROLES:
                bad(ValidationError("staff", "That therapist is archived or no longer exists."))
        room_ids = {leg.room_id for leg in request.legs if leg.room_id is not None}
        kinds = {s.room_kind for s in services.values() if s.room_kind}
        if room_ids or kinds:
            rooms = session.execute(
                _locked(select(Room.id, Room.active, Room.kind).order_by(Room.id), lock)
            ).all()
            active_rooms = {r.id for r in rooms if r.active}
            if room_ids - active_rooms:
                bad(ValidationError("room", "That room is archived or no longer exists."))
            room_ids |= {
                r.id for r in rooms if r.active and any(same_name(r.kind, k) for k in kinds)
            }
        resource_ids = {r for leg in request.legs for r in (leg.resource_ids or ())}
        needs_equipment = session.scalars(
            select(ServiceEquipment.resource_id).where(ServiceEquipment.service_id.in_(service_ids))
        ).first()
        if resource_ids or needs_equipment is not None:
            resources = session.execute(
                _locked(select(Resource.id, Resource.active).order_by(Resource.id), lock)
            ).all()
            if resource_ids - {r.id for r in resources if r.active}:
                bad(ValidationError("equipment", "That equipment is archived or no longer exists."))
            resource_ids |= {r.id for r in resources if r.active}
        if errors:
            raise _form(errors)

        starts = _minute(request.starts.astimezone(shop.zone))
        longest = sum(s.duration_minutes + s.buffer_minutes for s in services.values())
        last_day = add_minutes(starts, longest * len(request.legs)).date()
        only = Relevant(
            frozenset(staff_rows),
            frozenset(client_ids),
            frozenset(room_ids),
            frozenset(resource_ids),
        )
        span = (starts, add_minutes(starts, longest * len(request.legs)))
        facts = load_facts(session, shop, starts.date(), last_day, only=only, window=span)
        needs: list[list[LegNeed]] = []
        for client_id in request.client_ids:
            legs: list[LegNeed] = []
            for leg in request.legs:
                service = facts.services[leg.service_id]
                if leg.staff_id is not None:
                    staff_ids: tuple[int, ...] = (leg.staff_id,)
                else:
                    staff_ids = facts.staff_for(service.id)
                    if not staff_ids:
                        bad(ValidationError("staff", "No active therapist does this service."))
                if leg.room_id is not None:
                    room = next(r for r in facts.rooms if r.id == leg.room_id)
                    candidates: tuple[RoomFree, ...] = (RoomFree(room.id, room.capacity),)
                else:
                    candidates = facts.rooms_for(service.room_kind)
                legs.append(
                    LegNeed(
                        client_id=client_id,
                        service_id=service.id,
                        service_name=service.name,
                        duration_minutes=service.duration_minutes,
                        buffer_minutes=service.buffer_minutes,
                        needs_room=bool(service.room_kind) or leg.room_id is not None,
                        places=service.places,
                        equipment=service.equipment,
                        staff_ids=staff_ids,
                        staff_named=leg.staff_id is not None,
                        rooms=candidates,
                        resource_ids=leg.resource_ids,
                    )
                )
            needs.append(legs)
        if errors:
            raise _form(errors)
        plans = plan_booking(
            needs,
            starts,
            facts.staff_day,
            facts.busy_between(*span),
            facts.equipment(),
            group=len(request.client_ids) > 1,
        )
        return _Planned(shop, facts, plans)

    def _planned_legs(self, session: Session, planned: _Planned) -> tuple[PlannedLeg, ...]:
        facts = planned.facts
        prices: dict[int, int] = {}
        legs = []
        for plan in planned.plans:
            need = plan.need
            if need.service_id not in prices:
                prices[need.service_id] = service_price_on(
                    session, need.service_id, plan.starts.date()
                ).price_minor
            staff = facts.staff_named(plan.staff_id) if plan.staff_id is not None else None
            legs.append(
                PlannedLeg(
                    client_id=need.client_id,
                    service_id=need.service_id,
                    service_name=need.service_name,
                    staff_id=plan.staff_id,
                    staff_name=staff.name if staff is not None else "",
                    room_id=plan.room_id,
                    room_name=facts.room_name(plan.room_id),
                    resource_names=tuple(facts.resource_name(r) for r, _q in plan.resources),
                    starts=plan.starts,
                    ends=plan.ends,
                    held_until=plan.held_until,
                    price=planned.shop.amount(prices[need.service_id]),
                    problem=plan.problem,
                )
            )
        return tuple(legs)

    def _override(self, plans: Sequence[LegPlan], reason: str, by: SignedIn) -> str:
        """The override reason when every problem may be booked past; else the first problem
        is raised."""
        problems = [p.problem for p in plans if p.problem is not None]
        if not problems:
            return ""
        for problem in problems:
            if not isinstance(problem, RuleBroken) or not reason.strip():
                raise problem
        return _reason(reason, by)

    @staticmethod
    def _forced(plan: LegPlan) -> tuple[int, Placed]:
        """Where a leg booked past a rule goes: the named (or first qualified) therapist, the
        room chosen or the first of its kind, the equipment the service names."""
        need = plan.need
        staff_id = plan.staff_id if plan.staff_id is not None else need.staff_ids[0]
        room_id: int | None = None
        if need.needs_room:
            if not need.rooms:
                raise DomainError("There is no room of the kind this service needs.")
            room_id = need.rooms[0].room_id
        chosen = list(need.resource_ids or ())
        resources = tuple(
            (chosen[i] if i < len(chosen) else e.resource_id, e.quantity)
            for i, e in enumerate(need.equipment)
        )
        return staff_id, Placed(room_id, resources)

    def _audit_override(
        self, session: Session, by: SignedIn, appt_id: int, problem: DomainError, reason: str
    ) -> None:
        # The rule's template (never the names or times filled into it) and the reason.
        record(
            session,
            at=self._clock.now(),
            action="appointment.override",
            staff_id=by.staff_id,
            entity="appointment",
            entity_id=appt_id,
            detail=f"{problem.text} | {reason}",
        )

    # -- moves ------------------------------------------------------------------------------

    def _movable(self, session: Session, appointment_id: int) -> Appointment:
        appt = session.get(Appointment, appointment_id, with_for_update=True)
        if appt is None:
            raise DomainError("That appointment no longer exists.")
        if appt.status not in LIVE_STATUS_VALUES:
            raise DomainError("A finished, cancelled or missed appointment cannot be moved.")
        return appt

    def _relocate(
        self,
        session: Session,
        by: SignedIn,
        appt: Appointment,
        new_start: datetime,
        new_end: datetime,
        staff_id: int,
        room_id: int | None,
        override_reason: str,
        action: str,
        *,
        detail: str = "",
    ) -> Moved:
        """Check the appointment at its new place like a booking and move it there."""
        shop = self._shop.info()
        # Locks in the order booking takes them: clients, therapists, rooms, equipment.
        session.get(Customer, appt.customer_id, with_for_update=True)
        staff = session.get(Staff, staff_id, with_for_update=True)
        if staff is None or not staff.active or staff.role not in THERAPIST_ROLES:
            raise ValidationError("staff", "That therapist is archived or no longer exists.")
        if room_id is not None:
            room = session.get(Room, room_id)
            if room is None or not room.active:
                raise ValidationError("room", "That room is archived or no longer exists.")
        service_row = session.get(Service, appt.service_id)
        kind = service_row.room_kind if service_row is not None else None
        room_ids = {r for r in (room_id, appt.room_id) if r is not None}
        if room_ids or kind:
            for row in session.execute(
                _locked(select(Room.id, Room.kind).order_by(Room.id), True)
            ).all():
                if kind and same_name(row.kind, kind):
                    room_ids.add(row.id)
        held = session.execute(
            select(AppointmentResource.resource_id, AppointmentResource.quantity)
            .where(AppointmentResource.appointment_id == appt.id)
            .order_by(AppointmentResource.resource_id)
        ).all()
        needs_equipment = session.scalars(
            select(ServiceEquipment.resource_id).where(
                ServiceEquipment.service_id == appt.service_id
            )
        ).first()
        resource_ids: set[int] = set()
        if held or needs_equipment is not None:
            resource_ids = set(
                session.scalars(_locked(select(Resource.id).order_by(Resource.id), True)).all()
            )
        local_start = shop.local(new_start)
        minutes = int((new_end - new_start).total_seconds() // 60)
        only = Relevant(
            frozenset({staff.id}),
            frozenset({appt.customer_id}),
            frozenset(room_ids),
            frozenset(resource_ids),
        )
        buffer = service_row.buffer_minutes if service_row is not None else 0
        span = (local_start, add_minutes(local_start, max(minutes, 0) + buffer))
        facts = load_facts(
            session, shop, local_start.date(), local_start.date(), only=only, window=span
        )
        service = facts.services[appt.service_id]
        if room_id is not None:
            fact = next(r for r in facts.rooms if r.id == room_id)
            rooms: tuple[RoomFree, ...] = (RoomFree(fact.id, fact.capacity),)
        elif service.room_kind:
            rooms = facts.rooms_for(service.room_kind)
        elif appt.room_id is not None:  # a room given by hand, kept
            fact = next(r for r in facts.rooms if r.id == appt.room_id)
            rooms = (RoomFree(fact.id, fact.capacity),)
        else:
            rooms = ()
        wanted = Wanted(
            staff_id=staff.id,
            client_id=appt.customer_id,
            starts=local_start,
            duration_minutes=minutes,
            buffer_minutes=service.buffer_minutes,
            needs_room=bool(rooms),
            places=service.places,
            equipment=service.equipment,
            appointment_id=appt.id,
            booking_id=appt.booking_id,
            service_id=service.id,
        )
        others = facts.busy_between(*span)
        day = facts.staff_day(staff.id, service.id, local_start.date())
        prefer = [appt.room_id] if appt.room_id is not None else []
        held_ids = [r for r, _q in held]
        try:
            try:
                placed = place(
                    wanted,
                    day,
                    others,
                    rooms,
                    facts.equipment(),
                    prefer_rooms=prefer,
                    chosen_equipment=held_ids or None,
                )
            except RuleBroken as first:
                if not held_ids or first.field != "equipment":
                    raise
                placed = place(wanted, day, others, rooms, facts.equipment(), prefer_rooms=prefer)
        except RuleBroken as problem:
            if not override_reason.strip():
                raise
            reason = _reason(override_reason, by)
            kept = room_id if room_id is not None else appt.room_id
            placed = Placed(kept, tuple((r, q) for r, q in held))
            self._audit_override(session, by, appt.id, problem, reason)
        old = Moved(
            appointment_id=appt.id,
            old_starts=shop.local(appt.starts_at),
            old_ends=shop.local(appt.ends_at),
            old_staff_id=appt.staff_id,
            old_room_id=appt.room_id,
            new_starts=local_start,
            new_ends=shop.local(new_end),
            new_staff_id=staff.id,
            new_room_id=placed.room_id,
        )
        appt.starts_at = new_start
        appt.ends_at = new_end
        appt.staff_id = staff.id
        appt.room_id = placed.room_id
        if tuple((r, q) for r, q in held) != placed.resources:
            session.execute(
                delete(AppointmentResource).where(AppointmentResource.appointment_id == appt.id)
            )
            for resource_id, quantity in placed.resources:
                session.add(
                    AppointmentResource(
                        appointment_id=appt.id, resource_id=resource_id, quantity=quantity
                    )
                )
        record(
            session,
            at=self._clock.now(),
            action=action,
            staff_id=by.staff_id,
            entity="appointment",
            entity_id=appt.id,
            detail=detail,
        )
        session.flush()
        return old


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _locked(query: _Q, lock: bool) -> _Q:
    """`query` FOR UPDATE when booking (PostgreSQL locks the rows; SQLite ignores it, its
    write transaction already holds the database)."""
    return query.with_for_update() if lock else query


def _form(errors: dict[str, DomainError]) -> DomainError:
    """One bad field: its own error (shown at the field); several: all of them at once."""
    if len(errors) == 1:
        return next(iter(errors.values()))
    return FormErrors(errors)


def _reason(reason: str, by: SignedIn) -> str:
    by.require(Permission.OVERRIDE_BOOKING_RULES)
    cleaned = " ".join(reason.split())
    if len(cleaned) > MAX_REASON:
        raise ValidationError(
            "override_reason", "Keep the reason under {limit} characters.", limit=MAX_REASON
        )
    return cleaned
