"""Everything the booking rules need over a range of days, read in a handful of set-based
queries (no query per day or per appointment): the booking engine reads one day, the free-slot
search and recurring bookings read weeks.

`load_facts(session, shop, first_day, last_day)` returns `ScheduleFacts`; its methods hand the
pure rules of frontdesk/domain/booking.py their plain values (`staff_day`, `rooms_for`,
`equipment_needs`, `busy_between`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, bindparam, or_, select, type_coerce
from sqlalchemy.orm import Session

from db.models import (
    Appointment,
    AppointmentResource,
    Resource,
    Room,
    Service,
    ServiceEquipment,
    Staff,
    StaffAbsence,
    StaffBreak,
    StaffService,
    WorkingHours,
)
from frontdesk.domain.appointments import LIVE_STATUS_VALUES
from frontdesk.domain.booking import (
    Busy,
    EquipmentFree,
    EquipmentNeed,
    RoomFree,
    StaffDay,
    busy_at,
)
from frontdesk.domain.rooms import same_name
from frontdesk.services.shop import ShopInfo

#: Roles that take appointments in the calendar.
THERAPIST_ROLES = ("therapist", "manager", "owner")
#: The longest an appointment plus its cleanup may run: anything that could touch a day
#: starts within this of it.
_REACH = timedelta(days=1)

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class StaffFact:
    id: int
    name: str
    role: str
    active: bool


@dataclass(frozen=True)
class RoomFact:
    id: int
    name: str
    kind: str
    capacity: int
    active: bool


@dataclass(frozen=True)
class ResourceFact:
    id: int
    name: str
    kind: str
    quantity: int
    active: bool


@dataclass(frozen=True)
class ServiceFact:
    id: int
    name: str
    duration_minutes: int
    buffer_minutes: int
    room_kind: str | None
    places: int
    active: bool
    bookable: bool
    category_id: int
    equipment: tuple[EquipmentNeed, ...] = ()


@dataclass(frozen=True)
class Relevant:
    """Read only the appointments that could be in the way of a booking with these
    candidates: those of these therapists, clients, rooms or equipment (a booking reads a few
    dozen rows instead of the whole shop's day)."""

    staff_ids: frozenset[int] = frozenset()
    client_ids: frozenset[int] = frozenset()
    room_ids: frozenset[int] = frozenset()
    resource_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ScheduleFacts:
    """The calendar's facts from `first_day` to `last_day` (shop-local, both included).
    Appointments are those live ones that could touch the range (a day either side)."""

    zone: ZoneInfo
    first_day: date
    last_day: date
    #: Therapists (roles that take appointments), active or not, in the stable order
    #: "anyone qualified" tries them: by name, then id.
    staff: tuple[StaffFact, ...]
    working: dict[tuple[int, int], Spans]
    breaks: dict[tuple[int, int], Spans]
    absences: dict[int, tuple[tuple[date, date], ...]]
    #: Each therapist's services; a therapist with none recorded does every service.
    qualifications: dict[int, frozenset[int]]
    #: The shop's opening spans per weekday; None when the shop has set no hours at all.
    opening: dict[int, Spans] | None
    closed_days: frozenset[date]
    rooms: tuple[RoomFact, ...]
    resources: tuple[ResourceFact, ...]
    services: dict[int, ServiceFact]
    #: Live appointments, by start (shop-local times).
    busy: tuple[Busy, ...]
    _starts: list[datetime] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts[:] = [b.instants[0] for b in self.busy]

    # -- the therapist's day ------------------------------------------------------------

    def staff_day(self, staff_id: int, service_id: int, day: date) -> StaffDay:
        """The therapist's and the shop's `day` for booking `service_id`."""
        weekday = day.weekday()
        qualified = self.qualifications.get(staff_id)
        return StaffDay(
            working=self.working.get((staff_id, weekday), ()),
            breaks=self.breaks.get((staff_id, weekday), ()),
            absent=any(a <= day <= b for a, b in self.absences.get(staff_id, ())),
            opening=None if self.opening is None else self.opening.get(weekday, ()),
            closed_day=day in self.closed_days,
            qualified=(service_id in qualified) if qualified else None,
        )

    def qualified(self, staff_id: int, service_id: int) -> bool:
        known = self.qualifications.get(staff_id)
        return not known or service_id in known

    def staff_for(self, service_id: int) -> tuple[int, ...]:
        """Active therapists qualified for the service, in the stable "anyone" order."""
        return tuple(s.id for s in self.staff if s.active and self.qualified(s.id, service_id))

    def staff_named(self, staff_id: int) -> StaffFact | None:
        return next((s for s in self.staff if s.id == staff_id), None)

    # -- rooms and equipment ------------------------------------------------------------

    def rooms_for(self, kind: str | None) -> tuple[RoomFree, ...]:
        """Active rooms of `kind` (none when the service needs no room), by id."""
        if not kind:
            return ()
        return tuple(
            RoomFree(r.id, r.capacity) for r in self.rooms if r.active and same_name(r.kind, kind)
        )

    def equipment(self) -> tuple[EquipmentFree, ...]:
        """Active equipment and how many of each the shop has."""
        return tuple(EquipmentFree(r.id, r.quantity, r.kind) for r in self.resources if r.active)

    def room_name(self, room_id: int | None) -> str:
        return next((r.name for r in self.rooms if r.id == room_id), "")

    def resource_name(self, resource_id: int) -> str:
        return next((r.name for r in self.resources if r.id == resource_id), "")

    # -- appointments -------------------------------------------------------------------

    def busy_between(self, lo: datetime, hi: datetime) -> list[Busy]:
        """Live appointments whose held time (with cleanup) overlaps [lo, hi)."""
        lo_utc, hi_utc = lo.astimezone(UTC), hi.astimezone(UTC)
        first = bisect_left(self._starts, lo_utc - _REACH)
        found = []
        for index in range(first, len(self.busy)):
            if self._starts[index] >= hi_utc:
                break
            other = self.busy[index]
            if other.instants[2] > lo_utc:
                found.append(other)
        return found

    def busy_on(self, day: date) -> list[Busy]:
        lo = datetime.combine(day, time.min, self.zone)
        return self.busy_between(lo, datetime.combine(day + timedelta(days=1), time.min, self.zone))


# The statements are built once (bind parameters for the range and the candidates) and run on
# the session's connection: a booking reads them on every check, and building and compiling
# ORM statements anew each time cost more than the queries themselves.
_STAFF = (
    select(Staff.id, Staff.display_name, Staff.role, Staff.active)
    .where(Staff.role.in_(THERAPIST_ROLES))
    .order_by(Staff.display_name, Staff.id)
)
_WORKING = select(
    WorkingHours.staff_id, WorkingHours.weekday, WorkingHours.start_minute, WorkingHours.end_minute
)
_BREAKS = select(
    StaffBreak.staff_id, StaffBreak.weekday, StaffBreak.start_minute, StaffBreak.end_minute
)
_ABSENCES = select(StaffAbsence.staff_id, StaffAbsence.first_day, StaffAbsence.last_day).where(
    StaffAbsence.first_day <= bindparam("last_day"), StaffAbsence.last_day >= bindparam("first_day")
)
_QUALIFIED = select(StaffService.staff_id, StaffService.service_id)
_ROOMS = select(Room.id, Room.name, Room.kind, Room.capacity, Room.active).order_by(Room.id)
_RESOURCES = select(
    Resource.id, Resource.name, Resource.kind, Resource.quantity, Resource.active
).order_by(Resource.id)
_NEEDS = select(
    ServiceEquipment.service_id, ServiceEquipment.resource_id, ServiceEquipment.quantity
).order_by(ServiceEquipment.service_id, ServiceEquipment.resource_id)
_SERVICES = select(
    Service.id,
    Service.name,
    Service.duration_minutes,
    Service.buffer_minutes,
    Service.room_kind,
    Service.capacity_used,
    Service.active,
    Service.bookable,
    Service.category_id,
)
_LIVE = (
    Appointment.status.in_(LIVE_STATUS_VALUES),
    Appointment.starts_at < bindparam("hi"),
    # Bounded below too, so the index on starts_at reads only the range (no appointment lasts
    # longer than a day).
    Appointment.starts_at > bindparam("earliest"),
    Appointment.ends_at > bindparam("lo"),
)
_RELEVANT = or_(
    Appointment.staff_id.in_(bindparam("staff_ids", expanding=True)),
    Appointment.customer_id.in_(bindparam("client_ids", expanding=True)),
    Appointment.room_id.in_(bindparam("room_ids", expanding=True)),
    Appointment.id.in_(
        select(AppointmentResource.appointment_id).where(
            AppointmentResource.resource_id.in_(bindparam("resource_ids", expanding=True))
        )
    ),
)
_HELD = (
    select(
        AppointmentResource.appointment_id,
        AppointmentResource.resource_id,
        AppointmentResource.quantity,
    )
    .join(Appointment, Appointment.id == AppointmentResource.appointment_id)
    .order_by(AppointmentResource.appointment_id, AppointmentResource.resource_id)
)
_APPOINTMENTS = select(
    Appointment.id,
    Appointment.staff_id,
    Appointment.customer_id,
    Appointment.room_id,
    # Read as the driver gives them (text on SQLite) and parsed by _utc: a search reads tens
    # of thousands, and the column type's own parsing cost more than the query.
    type_coerce(Appointment.starts_at, String),
    type_coerce(Appointment.ends_at, String),
    Appointment.service_id,
    Appointment.booking_id,
).order_by(Appointment.starts_at, Appointment.id)
_HELD_ALL, _HELD_RELEVANT = _HELD.where(*_LIVE), _HELD.where(*_LIVE, _RELEVANT)
_APPTS_ALL, _APPTS_RELEVANT = _APPOINTMENTS.where(*_LIVE), _APPOINTMENTS.where(*_LIVE, _RELEVANT)


def load_facts(
    session: Session,
    shop: ShopInfo,
    first_day: date,
    last_day: date,
    *,
    exclude_appointment: int | None = None,
    only: Relevant | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> ScheduleFacts:
    """Read the facts for the shop-local days `first_day`..`last_day` (eleven queries, whatever
    the range); with `only`, just the appointments that could be in its way; with `window`
    (two aware instants), just the appointments whose held time (with cleanup) overlaps it --
    a booking reads the few that touch its own span, not three days of the shop."""
    zone = shop.zone
    if window is None:
        lo = datetime.combine(first_day, time.min, zone).astimezone(UTC) - _REACH
        hi = datetime.combine(last_day + timedelta(days=1), time.min, zone).astimezone(UTC)
        hi += _REACH
    run = session.connection().execute

    staff = tuple(StaffFact(*row) for row in run(_STAFF))
    working = _spans(run(_WORKING).tuples())
    breaks = _spans(run(_BREAKS).tuples())
    absences: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for staff_id, first, last in run(
        _ABSENCES, {"first_day": first_day, "last_day": last_day}
    ).tuples():
        absences[staff_id].append((first, last))
    qualifications: dict[int, set[int]] = defaultdict(set)
    for staff_id, service_id in run(_QUALIFIED).tuples():
        qualifications[staff_id].add(service_id)

    opening: dict[int, list[tuple[int, int]]] | None = None
    if shop.hours:
        opening = defaultdict(list)
        for span in shop.hours:
            opening[span.weekday].append((span.open_minute, span.close_minute))
    closed = frozenset(d for d, _note in shop.closed_days if first_day <= d <= last_day)

    rooms = tuple(RoomFact(*row) for row in run(_ROOMS))
    resources = tuple(ResourceFact(*row) for row in run(_RESOURCES))
    kinds = {r.id: r.kind for r in resources}
    needs: dict[int, list[EquipmentNeed]] = defaultdict(list)
    for service_id, resource_id, quantity in run(_NEEDS).tuples():
        needs[service_id].append(EquipmentNeed(resource_id, quantity, kinds.get(resource_id, "")))
    services = {
        row[0]: ServiceFact(*row, equipment=tuple(needs.get(row[0], ())))
        for row in run(_SERVICES).tuples()
    }

    if window is None:
        params: dict[str, object] = {"lo": lo, "hi": hi, "earliest": lo - _REACH}
    else:
        # Held time overlaps [lo, hi): starts before hi, and its end plus the longest cleanup
        # after lo (exactly checked below); no appointment lasts longer than a day.
        lo, hi = window[0].astimezone(UTC), window[1].astimezone(UTC)
        cleanup = timedelta(minutes=max((s.buffer_minutes for s in services.values()), default=0))
        params = {"lo": lo - cleanup, "hi": hi, "earliest": lo - _REACH}
    if only is not None:
        params.update(
            staff_ids=sorted(only.staff_ids),
            client_ids=sorted(only.client_ids),
            room_ids=sorted(only.room_ids),
            resource_ids=sorted(only.resource_ids),
        )
    held: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for appt_id, resource_id, quantity in run(
        _HELD_ALL if only is None else _HELD_RELEVANT, params
    ).tuples():
        held[appt_id].append((resource_id, quantity))
    busy = []
    for row in run(_APPTS_ALL if only is None else _APPTS_RELEVANT, params).tuples():
        appt_id, staff_id, client_id, room_id, starts, ends, service_id, booking_id = row
        if appt_id == exclude_appointment:
            continue
        service = services[service_id]
        starts_utc, ends_utc = _utc(starts), _utc(ends)
        if window is not None and ends_utc + timedelta(minutes=service.buffer_minutes) <= lo:
            continue
        busy.append(
            busy_at(
                zone,
                starts_utc,
                ends_utc,
                service.buffer_minutes,
                appointment_id=appt_id,
                staff_id=staff_id,
                client_id=client_id,
                room_id=room_id,
                places=service.places,
                service_name=service.name,
                resources=tuple(held.get(appt_id, ())),
                booking_id=booking_id,
                service_id=service_id,
            )
        )
    return ScheduleFacts(
        zone=zone,
        first_day=first_day,
        last_day=last_day,
        staff=staff,
        working=working,
        breaks=breaks,
        absences={k: tuple(v) for k, v in absences.items()},
        qualifications={k: frozenset(v) for k, v in qualifications.items()},
        opening=None if opening is None else {k: tuple(sorted(v)) for k, v in opening.items()},
        closed_days=closed,
        rooms=rooms,
        resources=resources,
        services=services,
        busy=tuple(busy),
    )


def _utc(stored: datetime | str) -> datetime:
    """A stored instant (naive UTC, as text on SQLite) as an aware UTC datetime."""
    instant = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _spans(rows: Iterable[tuple[int, int, int, int]]) -> dict[tuple[int, int], Spans]:
    found: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for staff_id, weekday, start, end in rows:
        found[(staff_id, weekday)].append((start, end))
    return {k: tuple(sorted(v)) for k, v in found.items()}


__all__ = [
    "THERAPIST_ROLES",
    "Relevant",
    "ResourceFact",
    "RoomFact",
    "ScheduleFacts",
    "ServiceFact",
    "StaffFact",
    "load_facts",
]
