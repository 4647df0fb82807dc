"""Booking rules: whether an appointment may be booked, as pure functions over plain values.

Times here are the shop's local wall-clock times (aware datetimes in the shop's zone, or naive
ones meaning the same); working hours, breaks and opening hours are minutes from local midnight.
A therapist, a room and equipment are held for [start, end + the service's buffer); the client
only for [start, end) -- they are not kept for the cleanup. Lengths are real minutes (an
appointment across a daylight-saving change is as long as booked); overlaps compare instants.

Every calendar rule a manager may book past with a reason (the therapist busy or off, a room or
equipment full, outside opening hours, not qualified, the client booked elsewhere) raises
`RuleBroken`; impossible input (no length, an end before the start) is a plain ValidationError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any

from frontdesk.domain.errors import DomainError, RuleBroken, ValidationError

MINUTES_PER_DAY = 24 * 60
#: The shortest appointment a resize may leave.
MIN_MINUTES = 5


def add_minutes(moment: datetime, minutes: int) -> datetime:
    """`moment` plus real minutes (across a daylight-saving change too), in its own zone."""
    if moment.tzinfo is None:
        return moment + timedelta(minutes=minutes)
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(moment.tzinfo)


def _instant(moment: datetime) -> datetime:
    # Aware datetimes sharing one tzinfo compare by wall clock; compare instants instead.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


@dataclass(frozen=True)
class Busy:
    """A live (booked, confirmed, arrived or in service) appointment that may be in the way."""

    appointment_id: int
    staff_id: int
    client_id: int
    room_id: int | None
    starts: datetime
    ends: datetime
    buffer_minutes: int = 0
    places: int = 1
    #: What to call it in a refusal (with its times), never the client's name.
    service_name: str = ""
    #: Equipment it holds: (resource id, quantity) pairs.
    resources: tuple[tuple[int, int], ...] = ()
    #: The booking it belongs to (a group shares one therapist only inside one booking).
    booking_id: int | None = None
    service_id: int | None = None

    # Worked out once per appointment (the rules ask for them again for every candidate).
    @cached_property
    def held_until(self) -> datetime:
        return add_minutes(self.ends, self.buffer_minutes)

    @cached_property
    def instants(self) -> tuple[datetime, datetime, datetime]:
        """Its start, end and held-until as UTC instants (for comparing)."""
        return (_instant(self.starts), _instant(self.ends), _instant(self.held_until))


_BUSY_DEFAULTS = {f.name: f.default for f in fields(Busy) if f.default is not MISSING}


def busy_at(
    zone: tzinfo, starts_utc: datetime, ends_utc: datetime, buffer_minutes: int, **rest: Any
) -> Busy:
    """A Busy from its UTC instants, its times in `zone`, with its instants and held-until
    worked out once here (a search reads thousands)."""
    held_utc = ends_utc + timedelta(minutes=buffer_minutes)
    # Filled in directly (as the frozen dataclass's __init__ would, field by field, slower).
    busy: Busy = object.__new__(Busy)
    values = busy.__dict__
    values.update(_BUSY_DEFAULTS)
    values.update(rest)
    values["starts"] = starts_utc.astimezone(zone)
    values["ends"] = ends_utc.astimezone(zone)
    values["buffer_minutes"] = buffer_minutes
    values["held_until"] = held_utc.astimezone(zone)
    values["instants"] = (starts_utc, ends_utc, held_utc)
    return busy


@dataclass(frozen=True)
class RoomFree:
    """A room of the kind the service needs (active), and how many places it has."""

    room_id: int
    capacity: int


@dataclass(frozen=True)
class EquipmentNeed:
    """Equipment a service needs: the resource the catalogue names, how many, and its kind
    (any active resource of the same non-empty kind will do when that one is taken)."""

    resource_id: int
    quantity: int = 1
    kind: str = ""


@dataclass(frozen=True)
class EquipmentFree:
    """A piece of equipment (an active resource) and how many units the shop has."""

    resource_id: int
    quantity: int
    kind: str = ""


@dataclass(frozen=True)
class Wanted:
    """The booking asked for."""

    staff_id: int
    client_id: int
    starts: datetime
    duration_minutes: int
    buffer_minutes: int = 0
    #: Whether the service needs a room of a kind (then `rooms` lists the candidates).
    needs_room: bool = False
    places: int = 1
    equipment: tuple[EquipmentNeed, ...] = ()
    #: The appointment being moved or resized (never in its own way).
    appointment_id: int | None = None
    #: The booking it belongs to: clients of one group booking at the same times, in the same
    #: room, with the same service, may share one therapist (a sauna ritual with one attendant).
    booking_id: int | None = None
    service_id: int | None = None

    @cached_property
    def ends(self) -> datetime:
        return add_minutes(self.starts, self.duration_minutes)

    @cached_property
    def held_until(self) -> datetime:
        return add_minutes(self.ends, self.buffer_minutes)

    @cached_property
    def instants(self) -> tuple[datetime, datetime, datetime]:
        """Its start, end and held-until as UTC instants (for comparing)."""
        return (_instant(self.starts), _instant(self.ends), _instant(self.held_until))


@dataclass(frozen=True)
class StaffDay:
    """The therapist's and the shop's day: spans are (start minute, end minute) from midnight."""

    working: tuple[tuple[int, int], ...]
    breaks: tuple[tuple[int, int], ...] = ()
    absent: bool = False
    #: The shop's opening spans that weekday; None when the shop has set no hours at all.
    opening: tuple[tuple[int, int], ...] | None = None
    closed_day: bool = False
    #: None: no qualifications recorded (allowed); else whether this service is among them.
    qualified: bool | None = None


def _minutes(moment: datetime, day: date) -> int:
    """Minutes from the local midnight of `day` (may pass 1440 when it runs past midnight)."""
    return (moment.date() - day).days * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether [start, end) lies inside one span (touching spans are joined)."""
    covered_to = start
    for span_start, span_end in sorted(spans):
        if span_start <= covered_to < span_end:
            covered_to = span_end
        if covered_to >= end:
            return True
    return covered_to >= end


def _held_overlap(wanted: Wanted, other: Busy) -> bool:
    """Whether the two held times (with cleanup) overlap."""
    w_start, _w_end, w_held = wanted.instants
    o_start, _o_end, o_held = other.instants
    return w_start < o_held and o_start < w_held


def _in_the_way(other: Busy, wanted: Wanted) -> bool:
    return wanted.appointment_id is None or other.appointment_id != wanted.appointment_id


def _naming(other: Busy) -> dict[str, object]:
    return {
        "start": other.starts,
        "end": other.ends,
        "service": other.service_name,
        "appointment_id": other.appointment_id,
    }


def check_times(wanted: Wanted) -> None:
    """ValidationError when the booking's own times are impossible."""
    if wanted.duration_minutes <= 0 or wanted.buffer_minutes < 0:
        raise ValidationError("starts", "An appointment must end after it starts.")
    if _minutes(wanted.ends, wanted.starts.date()) > MINUTES_PER_DAY:
        raise ValidationError("starts", "An appointment must end on the day it starts.")


def check_day(wanted: Wanted, day: StaffDay) -> None:
    """RuleBroken naming the rule when the time is outside the therapist's or shop's day."""
    check_times(wanted)
    if day.qualified is False:
        raise RuleBroken("service", "This therapist does not do this service.")
    local_day = wanted.starts.date()
    start = _minutes(wanted.starts, local_day)
    end = _minutes(wanted.held_until, local_day)
    if day.closed_day:
        raise RuleBroken("starts", "The shop is closed on that day.")
    if day.opening is not None and not _inside(start, end, day.opening):
        raise RuleBroken("starts", "That time is outside the shop's opening hours.")
    if day.absent:
        raise RuleBroken("staff", "The therapist is away on that day.")
    if not day.working:
        raise RuleBroken("staff", "The therapist does not work on that day.")
    if not _inside(start, end, day.working):
        raise RuleBroken("starts", "That time is outside the therapist's working hours.")
    for break_start, break_end in day.breaks:
        if start < break_end and break_start < end:
            raise RuleBroken("starts", "That time falls in the therapist's break.")


def _shares_therapist(wanted: Wanted, other: Busy, room_id: int | None) -> bool:
    """One therapist may take several clients of one group booking at once: same service,
    same times, same room."""
    return (
        wanted.booking_id is not None
        and other.booking_id == wanted.booking_id
        and room_id is not None
        and other.room_id == room_id
        and other.service_id == wanted.service_id
        and _instant(other.starts) == _instant(wanted.starts)
        and _instant(other.ends) == _instant(wanted.ends)
    )


def check_clashes(wanted: Wanted, others: Iterable[Busy], *, room_id: int | None = None) -> None:
    """RuleBroken naming the appointment in the way of the therapist or the client."""
    for other in others:
        if not _in_the_way(other, wanted):
            continue
        if (
            other.staff_id == wanted.staff_id
            and _held_overlap(wanted, other)
            and not _shares_therapist(wanted, other, room_id)
        ):
            raise RuleBroken(
                "starts",
                "The therapist already has an appointment then: {start}-{end} {service}.",
                **_naming(other),
            )
        if (
            other.client_id == wanted.client_id
            and wanted.instants[0] < other.instants[1]
            and other.instants[0] < wanted.instants[1]
        ):
            raise RuleBroken(
                "client",
                "The client is already booked then: {start}-{end} {service}.",
                **_naming(other),
            )


def _peak(wanted: Wanted, holding: Sequence[tuple[Busy, int]]) -> tuple[int, Busy | None]:
    """The most units the others hold at any instant of the wanted held time, and one of the
    appointments holding them then (the one to name in a refusal)."""
    lo, _end, hi = wanted.instants
    moments = {lo} | {b.instants[0] for b, _ in holding if lo <= b.instants[0] < hi}
    best, named = 0, None
    for moment in sorted(moments):
        now = [(b, n) for b, n in holding if b.instants[0] <= moment < b.instants[2]]
        used = sum(n for _, n in now)
        if used > best:
            best, named = used, now[0][0]
    return best, named


def choose_room(
    wanted: Wanted,
    rooms: Sequence[RoomFree],
    others: Iterable[Busy],
    *,
    prefer: Sequence[int] = (),
) -> int | None:
    """The first room (those in `prefer` first) with enough places free for the booking's whole
    held time, or None when the service needs no room. DomainError when it needs one and there
    is none of its kind; RuleBroken naming an appointment in the way when all are full."""
    if not wanted.needs_room:
        return None
    if not rooms:
        raise DomainError("There is no room of the kind this service needs.")
    in_the_way = [
        o
        for o in others
        if o.room_id is not None and _in_the_way(o, wanted) and _held_overlap(wanted, o)
    ]
    ordered = sorted(
        rooms,
        key=lambda r: (
            r.room_id not in prefer,
            list(prefer).index(r.room_id) if r.room_id in prefer else 0,
        ),
    )
    named: Busy | None = None
    for room in ordered:
        used, busy = _peak(wanted, [(o, o.places) for o in in_the_way if o.room_id == room.room_id])
        if room.capacity - used >= wanted.places:
            return room.room_id
        named = named or busy
    if named is None:  # the booking alone needs more places than the room has
        raise RuleBroken("room", "The room has fewer places than this service needs.")
    raise RuleBroken(
        "room",
        "Every room this service needs is full then: {start}-{end} {service}.",
        **_naming(named),
    )


def choose_equipment(
    wanted: Wanted,
    equipment: Sequence[EquipmentFree],
    others: Iterable[Busy],
    *,
    chosen: Sequence[int] | None = None,
) -> tuple[tuple[int, int], ...]:
    """The (resource id, quantity) pairs the booking will hold: for each need, the resource the
    service names or another of its kind (or those `chosen` by hand), with enough units free for
    the whole held time. RuleBroken naming an appointment in the way when none has."""
    in_the_way = [
        o for o in others if o.resources and _in_the_way(o, wanted) and _held_overlap(wanted, o)
    ]
    by_id = {e.resource_id: e for e in equipment}
    taken: list[tuple[int, int]] = []
    for need in wanted.equipment:
        if chosen is not None:
            candidates = [by_id[r] for r in chosen if r in by_id]
            candidates = [
                c for c in candidates if c.resource_id == need.resource_id or _same_kind(c, need)
            ]
        else:
            candidates = [e for e in equipment if e.resource_id == need.resource_id]
            candidates += [
                e for e in equipment if e.resource_id != need.resource_id and _same_kind(e, need)
            ]
        if not candidates:
            raise RuleBroken("equipment", "The equipment this service needs is not available.")
        named: Busy | None = None
        for item in candidates:
            holding = [(o, q) for o in in_the_way for r, q in o.resources if r == item.resource_id]
            mine = sum(q for r, q in taken if r == item.resource_id)
            used, busy = _peak(wanted, holding)
            if item.quantity - used - mine >= need.quantity:
                taken.append((item.resource_id, need.quantity))
                break
            named = named or busy
        else:
            if named is None:
                raise RuleBroken(
                    "equipment", "The shop has fewer of this equipment than the service needs."
                )
            raise RuleBroken(
                "equipment",
                "The equipment this service needs is in use then: {start}-{end} {service}.",
                **_naming(named),
            )
    return tuple(taken)


def _same_kind(item: EquipmentFree, need: EquipmentNeed) -> bool:
    return (
        bool(need.kind)
        and " ".join(item.kind.split()).casefold() == " ".join(need.kind.split()).casefold()
    )


def check_booking(
    wanted: Wanted,
    day: StaffDay,
    others: Sequence[Busy],
    rooms: Sequence[RoomFree],
    equipment: Sequence[EquipmentFree] = (),
    *,
    prefer_rooms: Sequence[int] = (),
    chosen_equipment: Sequence[int] | None = None,
) -> int | None:
    """Every rule in turn; the room chosen (None when the service needs none)."""
    return place(
        wanted,
        day,
        others,
        rooms,
        equipment,
        prefer_rooms=prefer_rooms,
        chosen_equipment=chosen_equipment,
    ).room_id


@dataclass(frozen=True)
class Placed:
    """Where a booking goes: its room and the equipment it holds."""

    room_id: int | None
    resources: tuple[tuple[int, int], ...] = ()


def place(
    wanted: Wanted,
    day: StaffDay,
    others: Sequence[Busy],
    rooms: Sequence[RoomFree],
    equipment: Sequence[EquipmentFree] = (),
    *,
    prefer_rooms: Sequence[int] = (),
    chosen_equipment: Sequence[int] | None = None,
) -> Placed:
    """Every rule in turn (the day, the room, the therapist and client, the equipment): the
    room and equipment chosen, or the first rule broken."""
    check_day(wanted, day)
    room_error: DomainError | None = None
    room_id: int | None = None
    try:
        room_id = choose_room(wanted, rooms, others, prefer=prefer_rooms)
    except DomainError as error:
        room_error = error
    check_clashes(wanted, others, room_id=room_id)
    if room_error is not None:
        raise room_error
    resources = choose_equipment(wanted, equipment, others, chosen=chosen_equipment)
    return Placed(room_id, resources)


def busy_of(wanted: Wanted, placed: Placed, appointment_id: int, service_name: str = "") -> Busy:
    """The booking, once placed, as it is in the way of the next one."""
    return Busy(
        appointment_id=appointment_id,
        staff_id=wanted.staff_id,
        client_id=wanted.client_id,
        room_id=placed.room_id,
        starts=wanted.starts,
        ends=wanted.ends,
        buffer_minutes=wanted.buffer_minutes,
        places=wanted.places,
        service_name=service_name,
        resources=placed.resources,
        booking_id=wanted.booking_id,
        service_id=wanted.service_id,
    )


# -- several legs, several clients, anyone qualified ----------------------------------------------


@dataclass(frozen=True)
class LegNeed:
    """One service for one client, as the planner sees it."""

    client_id: int
    service_id: int
    service_name: str
    duration_minutes: int
    buffer_minutes: int = 0
    needs_room: bool = False
    places: int = 1
    equipment: tuple[EquipmentNeed, ...] = ()
    #: The therapists to try, in order: one when named, every active one for "anyone".
    staff_ids: tuple[int, ...] = ()
    #: Whether the therapist was named (a group may then share them); "anyone" picks a
    #: therapist no other client of the group has for this leg.
    staff_named: bool = True
    #: The candidate rooms (one when chosen by hand).
    rooms: tuple[RoomFree, ...] = ()
    #: Equipment chosen by hand, or None for automatic.
    resource_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class LegPlan:
    """One leg planned: who, when, where; `problem` when it cannot be booked as it stands."""

    need: LegNeed
    staff_id: int | None
    starts: datetime
    ends: datetime
    held_until: datetime
    room_id: int | None
    resources: tuple[tuple[int, int], ...] = ()
    problem: DomainError | None = None


#: (therapist id, service id, local day) -> the therapist's and shop's day.
DayOf = Callable[[int, int, date], StaffDay]

#: Pending appointments get negative ids, so they never look like a saved one.
_PENDING = -1


def plan_booking(
    clients: Sequence[Sequence[LegNeed]],
    starts: datetime,
    day_of: DayOf,
    others: Sequence[Busy],
    equipment: Sequence[EquipmentFree] = (),
    *,
    group: bool = False,
) -> list[LegPlan]:
    """Plan every leg of every client. Each client's legs run in sequence from `starts` (a leg
    starts when the previous one ends, or when its cleanup ends if the next leg has the same
    therapist or the room is still being cleaned); the clients of a group take their legs at the
    same times and share rooms where capacity allows. "Anyone" takes the first free qualified
    therapist in the order given. A leg that cannot be placed gets its `problem` (the first
    therapist's) and the planning carries on after it."""
    pending: list[Busy] = list(others)
    plans: list[LegPlan] = []
    booking_key = _PENDING if group else None
    next_id = _PENDING
    # The k-th leg's start and room of the first client (the group keeps to them).
    lead: list[LegPlan] = []
    for index, legs in enumerate(clients):
        at = starts
        previous: LegPlan | None = None
        for position, need in enumerate(legs):
            if index > 0 and position < len(lead):
                at = lead[position].starts
            used_by_group = {
                p.staff_id
                for p in plans
                if p.need.service_id == need.service_id and p.starts == at and p.staff_id
            }
            prefer = [p.room_id for p in plans if p.room_id is not None and p.starts == at]
            plan = _plan_leg(
                need,
                at,
                previous,
                day_of,
                pending,
                equipment,
                booking_key=booking_key,
                avoid=() if need.staff_named else tuple(used_by_group),
                prefer_rooms=prefer,
                fixed_start=index > 0,
            )
            plans.append(plan)
            if index == 0:
                lead.append(plan)
            if plan.problem is None and plan.staff_id is not None:
                next_id -= 1
                pending.append(
                    Busy(
                        next_id,
                        plan.staff_id,
                        need.client_id,
                        plan.room_id,
                        plan.starts,
                        plan.ends,
                        need.buffer_minutes,
                        need.places,
                        need.service_name,
                        plan.resources,
                        booking_key,
                        need.service_id,
                    )
                )
            previous = plan
            at = plan.ends
    return plans


def _plan_leg(
    need: LegNeed,
    at: datetime,
    previous: LegPlan | None,
    day_of: DayOf,
    others: Sequence[Busy],
    equipment: Sequence[EquipmentFree],
    *,
    booking_key: int | None,
    avoid: tuple[int | None, ...],
    prefer_rooms: Sequence[int | None],
    fixed_start: bool,
) -> LegPlan:
    starts_to_try = [at]
    if previous is not None and not fixed_start and previous.held_until != at:
        starts_to_try.append(previous.held_until)
    staff = [s for s in need.staff_ids if s not in avoid] or list(need.staff_ids)
    first_problem: DomainError | None = None
    for start in starts_to_try:
        for staff_id in staff:
            if (
                previous is not None
                and not fixed_start
                and staff_id == previous.staff_id
                and start < previous.held_until
            ):
                continue  # the same therapist cleans up first
            wanted = Wanted(
                staff_id=staff_id,
                client_id=need.client_id,
                starts=start,
                duration_minutes=need.duration_minutes,
                buffer_minutes=need.buffer_minutes,
                needs_room=need.needs_room,
                places=need.places,
                equipment=need.equipment,
                booking_id=booking_key,
                service_id=need.service_id,
            )
            try:
                placed = place(
                    wanted,
                    day_of(staff_id, need.service_id, start.date()),
                    others,
                    need.rooms,
                    equipment,
                    prefer_rooms=[r for r in prefer_rooms if r is not None],
                    chosen_equipment=need.resource_ids,
                )
            except DomainError as error:
                first_problem = first_problem or error
                continue
            return LegPlan(
                need,
                staff_id,
                start,
                wanted.ends,
                wanted.held_until,
                placed.room_id,
                placed.resources,
            )
    if first_problem is None:
        first_problem = RuleBroken("staff", "No therapist who does this service is free then.")
    elif not need.staff_named and len(staff) > 1:
        first_problem = _anyone(first_problem)
    first = need.staff_ids[0] if need.staff_named and need.staff_ids else None
    wanted = Wanted(
        0, need.client_id, at, max(need.duration_minutes, 0), max(need.buffer_minutes, 0)
    )
    return LegPlan(need, first, at, wanted.ends, wanted.held_until, None, (), first_problem)


def _anyone(first: DomainError) -> DomainError:
    """When nobody qualified is free, say so (naming the first therapist's reason's
    appointment where there is one)."""
    if not isinstance(first, RuleBroken):
        return first
    return RuleBroken("staff", "No therapist who does this service is free then.", **first.params)


__all__ = [
    "MIN_MINUTES",
    "Busy",
    "EquipmentFree",
    "EquipmentNeed",
    "LegNeed",
    "LegPlan",
    "Placed",
    "RoomFree",
    "StaffDay",
    "Wanted",
    "add_minutes",
    "busy_at",
    "busy_of",
    "check_booking",
    "check_clashes",
    "check_day",
    "check_times",
    "choose_equipment",
    "choose_room",
    "place",
    "plan_booking",
]
