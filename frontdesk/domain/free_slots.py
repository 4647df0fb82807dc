"""The next free slots for one or several services in sequence: a pure search over plain facts.

It agrees with the booking rules (frontdesk/domain/booking.py): a start is offered only when
`check_booking` would accept it, and no acceptable earlier start on the step grid is skipped
(tests/frontdesk/domain/test_free_slots.py checks both against a brute force). It is fast
because it never tries starts one by one against every rule: per day and therapist it works out
the *intervals of acceptable starts* (working hours and opening hours, minus breaks, minus the
therapist's held appointments, minus the client's, where a room and the equipment have places)
and only then walks the step grid inside them.

Times are the shop's wall-clock minutes from local midnight, like the booking rules'. A leg
holds its therapist, room and equipment for [start, end + buffer), the client for [start, end).

Sequences: the next leg starts when the previous one ends, or when its cleanup buffer ends if
it has the same therapist or the same room. Therapists are tried in the order given (the
shop's stable order), rooms in their order (as `choose_room` does).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from heapq import merge

from frontdesk.domain.booking import Busy, RoomFree, StaffDay

MINUTES_PER_DAY = 24 * 60
#: A span list: sorted, disjoint, half-open [start, end) minutes.
Spans = list[tuple[int, int]]
_ALL: Spans = [(-4 * MINUTES_PER_DAY, 8 * MINUTES_PER_DAY)]


# -- the facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegNeed:
    """What one service of the booking needs."""

    service_id: int
    duration_minutes: int
    buffer_minutes: int = 0
    needs_room: bool = False
    places: int = 1
    #: Rooms of the kind it needs, in the order they are tried (active ones only).
    rooms: tuple[RoomFree, ...] = ()
    #: Equipment it holds while it runs: (resource id, quantity).
    equipment: tuple[tuple[int, int], ...] = ()

    @property
    def held_minutes(self) -> int:
        return self.duration_minutes + self.buffer_minutes


@dataclass(frozen=True)
class TherapistDay:
    """One therapist's day: spans are (start minute, end minute) from local midnight."""

    staff_id: int
    working: tuple[tuple[int, int], ...] = ()
    breaks: tuple[tuple[int, int], ...] = ()
    absent: bool = False
    #: The services they are qualified for; None when none are recorded (then any is allowed).
    qualified_for: frozenset[int] | None = None

    def qualified(self, service_id: int) -> bool | None:
        return None if self.qualified_for is None else service_id in self.qualified_for


@dataclass(frozen=True)
class ShopDay:
    day: date
    #: The shop's opening spans that day; None when the shop has set no hours at all.
    opening: tuple[tuple[int, int], ...] | None = None
    closed: bool = False
    #: The therapists who take appointments, in the order they are offered.
    therapists: tuple[TherapistDay, ...] = ()

    def staff_day(self, therapist: TherapistDay, service_id: int) -> StaffDay:
        """The booking rules' view of this therapist's day for a service."""
        return StaffDay(
            working=therapist.working,
            breaks=therapist.breaks,
            absent=therapist.absent,
            opening=self.opening,
            closed_day=self.closed,
            qualified=therapist.qualified(service_id),
        )


@dataclass(frozen=True)
class SlotFacts:
    """Everything the search reads, for a range of days."""

    zone: tzinfo
    days: tuple[ShopDay, ...]
    #: Live appointments (any day near the range), shop-local times.
    busy: tuple[Busy, ...] = ()
    #: How many of each piece of equipment (resource id -> quantity) the shop has.
    equipment: Mapping[int, int] = field(default_factory=dict)
    #: The equipment each live appointment holds: appointment id -> ((resource id, qty), ...).
    held: Mapping[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SlotSearch:
    legs: tuple[LegNeed, ...]
    #: A named therapist for every leg; None for anyone qualified.
    staff_id: int | None = None
    #: A named room for the legs that need one; None for any room of the kind.
    room_id: int | None = None
    #: Weekdays (0 = Monday) that suit; empty for any.
    weekdays: frozenset[int] = frozenset()
    #: The booking starts at or after `from_minute` and ends (without the cleanup) by
    #: `to_minute`, local minutes from midnight.
    from_minute: int = 0
    to_minute: int = MINUTES_PER_DAY
    step_minutes: int = 5
    client_id: int | None = None
    #: Nothing earlier than this (now); shop-local aware datetime, or None.
    not_before: datetime | None = None


@dataclass(frozen=True)
class SlotLeg:
    service_id: int
    staff_id: int
    room_id: int | None
    starts: datetime
    ends: datetime
    held_until: datetime


@dataclass(frozen=True)
class Slot:
    legs: tuple[SlotLeg, ...]

    @property
    def starts(self) -> datetime:
        return self.legs[0].starts

    @property
    def ends(self) -> datetime:
        return self.legs[-1].ends


# -- span arithmetic ----------------------------------------------------------------------------


def merged(spans: Iterable[tuple[int, int]]) -> Spans:
    """Sorted, with overlapping and touching spans joined (empty ones dropped)."""
    out: Spans = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersected(a: Spans, b: Spans) -> Spans:
    out: Spans = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtracted(a: Spans, b: Spans) -> Spans:
    """`a` without `b` (both merged)."""
    out: Spans = []
    j = 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cursor:
                out.append((cursor, b[k][0]))
            cursor = max(cursor, b[k][1])
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def starts_fitting(free: Spans, length: int) -> Spans:
    """Starts t with [t, t + length) inside one free span."""
    return [(s, e - length + 1) for s, e in free if e - s >= length]


def _over_limit(blockers: Iterable[tuple[int, int, int]], limit: int) -> Spans:
    """Where the summed weight of the (start, end, weight) spans exceeds `limit`."""
    events: dict[int, int] = defaultdict(int)
    for start, end, weight in blockers:
        if start < end:
            events[start] += weight
            events[end] -= weight
    out: Spans = []
    load = 0
    opened: int | None = None
    for moment in sorted(events):
        load += events[moment]
        if load > limit and opened is None:
            opened = moment
        elif load <= limit and opened is not None:
            out.append((opened, moment))
            opened = None
    return merged(out)


def _contains(spans: Spans, point: int) -> bool:
    i = bisect_right(spans, (point, MINUTES_PER_DAY * 100)) - 1
    return i >= 0 and spans[i][0] <= point < spans[i][1]


# -- the search ---------------------------------------------------------------------------------


def _abs_minute(moment: datetime) -> int:
    """Wall-clock minutes since day 1 (what `booking._minutes` counts from a day's midnight)."""
    return moment.toordinal() * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


@dataclass(frozen=True)
class _Held:
    start: int
    end: int  # end of the service (the client's)
    held: int  # end of the cleanup (therapist's, room's, equipment's)
    weight: int


class _Index:
    """Busy appointments by therapist, client, room and equipment, in absolute minutes."""

    def __init__(self, facts: SlotFacts) -> None:
        self.staff: dict[int, list[_Held]] = defaultdict(list)
        self.client: dict[int, list[_Held]] = defaultdict(list)
        self.room: dict[int, list[_Held]] = defaultdict(list)
        self.resource: dict[int, list[_Held]] = defaultdict(list)
        for b in facts.busy:
            start = _abs_minute(b.starts)
            end = _abs_minute(b.ends)
            held = end + b.buffer_minutes
            self.staff[b.staff_id].append(_Held(start, end, held, 1))
            self.client[b.client_id].append(_Held(start, end, held, 1))
            if b.room_id is not None:
                self.room[b.room_id].append(_Held(start, end, held, b.places))
            for resource_id, quantity in facts.held.get(b.appointment_id, ()):
                self.resource[resource_id].append(_Held(start, end, held, quantity))
        for table in (self.staff, self.client, self.room, self.resource):
            for rows in table.values():
                rows.sort(key=lambda h: h.start)
        self._starts = {
            id(rows): [h.start for h in rows]
            for table in (self.staff, self.client, self.room, self.resource)
            for rows in table.values()
        }

    def near(self, rows: list[_Held], base: int) -> list[_Held]:
        """Rows that may touch the day starting at absolute minute `base` (day-relative)."""
        if not rows:
            return []
        starts = self._starts[id(rows)]
        lo = bisect_left(starts, base - 2 * MINUTES_PER_DAY)
        hi = bisect_left(starts, base + 2 * MINUTES_PER_DAY)
        return [
            _Held(h.start - base, h.end - base, h.held - base, h.weight)
            for h in rows[lo:hi]
            if h.held > base - MINUTES_PER_DAY
        ]


@dataclass
class _LegDay:
    """One leg on one day: where the client, each room and the equipment allow a start."""

    need: LegNeed
    client_ok: Spans
    equipment_ok: Spans
    rooms: list[tuple[int, Spans]]  # (room id, acceptable starts) in the order tried
    any_room: Spans
    room_rows: dict[int, list[_Held]]
    resource_rows: dict[int, list[_Held]]
    client_rows: list[_Held]


@dataclass
class _Placed:
    staff_id: int
    room_id: int | None
    need: LegNeed
    start: int

    @property
    def end(self) -> int:
        return self.start + self.need.duration_minutes

    @property
    def held(self) -> int:
        return self.end + self.need.buffer_minutes


def _capacity_ok(rows: Sequence[_Held], length: int, free_places: int) -> Spans:
    """Starts t where the places of the rows held over [t, t + length) leave `free_places`."""
    # A row is in the way of a start t when t < row.held and row.start < t + length.
    blocked = _over_limit(((h.start - length + 1, h.held, h.weight) for h in rows), free_places)
    return subtracted(_ALL, blocked)


class _Search:
    def __init__(self, facts: SlotFacts, search: SlotSearch) -> None:
        self.facts = facts
        self.search = search
        self.index = _Index(facts)
        self.equipment = facts.equipment

    def leg_day(self, need: LegNeed, base: int) -> _LegDay:
        length = need.held_minutes
        client_rows = (
            self.index.near(self.index.client.get(self.search.client_id, []), base)
            if self.search.client_id is not None
            else []
        )
        client_blocked = merged((h.start - need.duration_minutes + 1, h.end) for h in client_rows)
        client_ok = subtracted(_ALL, client_blocked)
        equipment_ok = _ALL
        resource_rows: dict[int, list[_Held]] = {}
        for resource_id, quantity in need.equipment:
            rows = self.index.near(self.index.resource.get(resource_id, []), base)
            resource_rows[resource_id] = rows
            owned = self.equipment.get(resource_id, 0)
            if owned < quantity:
                equipment_ok = []
                break
            equipment_ok = intersected(equipment_ok, _capacity_ok(rows, length, owned - quantity))
        rooms: list[tuple[int, Spans]] = []
        room_rows: dict[int, list[_Held]] = {}
        if need.needs_room:
            for room in need.rooms:
                if self.search.room_id is not None and room.room_id != self.search.room_id:
                    continue
                rows = self.index.near(self.index.room.get(room.room_id, []), base)
                room_rows[room.room_id] = rows
                if room.capacity < need.places:
                    continue
                rooms.append(
                    (room.room_id, _capacity_ok(rows, length, room.capacity - need.places))
                )
        any_room = merged(s for _room, spans in rooms for s in spans) if need.needs_room else _ALL
        return _LegDay(
            need, client_ok, equipment_ok, rooms, any_room, room_rows, resource_rows, client_rows
        )

    def staff_ok(
        self, shop_day: ShopDay, therapist: TherapistDay, need: LegNeed, base: int
    ) -> Spans:
        """Starts the therapist's and the shop's day allow (hours, breaks, held appointments)."""
        if shop_day.closed or therapist.absent or therapist.qualified(need.service_id) is False:
            return []
        free = merged(therapist.working)
        if shop_day.opening is not None:
            free = intersected(free, merged(shop_day.opening))
        free = subtracted(free, merged(therapist.breaks))
        rows = self.index.near(self.index.staff.get(therapist.staff_id, []), base)
        free = subtracted(free, merged((h.start, h.held) for h in rows))
        return starts_fitting(free, need.held_minutes)

    # -- point checks for the legs after the first (against the booking's own earlier legs) --

    def _room_fits(self, leg: _LegDay, room: RoomFree, start: int, placed: list[_Placed]) -> bool:
        end = start + leg.need.held_minutes
        used = sum(
            h.weight for h in leg.room_rows[room.room_id] if h.start < end and start < h.held
        )
        used += sum(
            p.need.places
            for p in placed
            if p.room_id == room.room_id and p.start < end and start < p.held
        )
        return room.capacity - used >= leg.need.places

    def _equipment_fits(self, leg: _LegDay, start: int, placed: list[_Placed]) -> bool:
        end = start + leg.need.held_minutes
        for resource_id, quantity in leg.need.equipment:
            used = sum(
                h.weight for h in leg.resource_rows[resource_id] if h.start < end and start < h.held
            )
            used += sum(
                q
                for p in placed
                if p.start < end and start < p.held
                for r, q in p.need.equipment
                if r == resource_id
            )
            if self.equipment.get(resource_id, 0) - used < quantity:
                return False
        return True

    def place_rest(
        self,
        legs: list[_LegDay],
        staff_ok: list[dict[int, Spans]],
        order: Sequence[int],
        placed: list[_Placed],
    ) -> list[_Placed] | None:
        """The first way (therapists, then rooms, in order) to place the remaining legs."""
        k = len(placed)
        if k == len(legs):
            return placed
        leg = legs[k]
        prev = placed[-1]
        room_choices: Sequence[RoomFree | None] = (
            [r for r in leg.need.rooms if r.room_id in leg.room_rows]
            if leg.need.needs_room
            else [None]
        )
        for staff_id in order:
            ok = staff_ok[k].get(staff_id)
            if not ok:
                continue
            for room in room_choices:
                room_id = None if room is None else room.room_id
                same = staff_id == prev.staff_id or (
                    room_id is not None and room_id == prev.room_id
                )
                start = prev.held if same else prev.end
                if not _contains(ok, start) or not _contains(leg.client_ok, start):
                    continue
                end = start + leg.need.held_minutes
                if any(p.staff_id == staff_id and p.start < end and start < p.held for p in placed):
                    continue
                if room is not None and not self._room_fits(leg, room, start, placed):
                    continue
                if not self._equipment_fits(leg, start, placed):
                    continue
                done = self.place_rest(
                    legs, staff_ok, order, [*placed, _Placed(staff_id, room_id, leg.need, start)]
                )
                if done is not None:
                    return done
        return None

    def day_slots(self, shop_day: ShopDay) -> Iterator[list[_Placed]]:
        search = self.search
        if shop_day.closed:
            return
        if search.weekdays and shop_day.day.weekday() not in search.weekdays:
            return
        base = shop_day.day.toordinal() * MINUTES_PER_DAY
        legs = [self.leg_day(need, base) for need in search.legs]
        therapists = [
            t
            for t in shop_day.therapists
            if search.staff_id is None or t.staff_id == search.staff_id
        ]
        staff_ok = [
            {t.staff_id: self.staff_ok(shop_day, t, leg.need, base) for t in therapists}
            for leg in legs
        ]
        order = [t.staff_id for t in therapists]
        first = legs[0]
        earliest = search.from_minute
        if search.not_before is not None:
            if search.not_before.date() > shop_day.day:
                return
            if search.not_before.date() == shop_day.day:
                nb = search.not_before
                earliest = max(
                    earliest, nb.hour * 60 + nb.minute + (1 if nb.second or nb.microsecond else 0)
                )
        least_total = sum(need.duration_minutes for need in search.legs)
        window: Spans = [
            (max(0, earliest), min(MINUTES_PER_DAY, search.to_minute - least_total + 1))
        ]
        common = intersected(
            intersected(intersected(window, first.client_ok), first.equipment_ok), first.any_room
        )
        step = max(1, search.step_minutes)

        def starts(rank: int, staff_id: int) -> Iterator[tuple[int, int, int]]:
            for a, b in intersected(staff_ok[0][staff_id], common):
                for t in range(-(-a // step) * step, b, step):
                    yield t, rank, staff_id

        for t, _rank, staff_id in merge(*(starts(r, s) for r, s in enumerate(order))):
            for room_id, spans in first.rooms if first.need.needs_room else [(None, _ALL)]:
                if room_id is not None and not _contains(spans, t):
                    continue
                done = self.place_rest(
                    legs, staff_ok, order, [_Placed(staff_id, room_id, first.need, t)]
                )
                if done is not None and done[-1].end <= search.to_minute:
                    yield done
                    break
                # Only the first room that fits counts for a one-leg booking (like choose_room);
                # for a sequence another room may let the later legs fit.
                if len(legs) == 1:
                    break


def find_slots(facts: SlotFacts, search: SlotSearch, limit: int = 10) -> tuple[Slot, ...]:
    """The first `limit` slots in time order (then therapist order): one per start and first
    therapist, with the rooms and later therapists chosen as the booking rules would accept."""
    if not search.legs or limit <= 0:
        return ()
    engine = _Search(facts, search)
    found: list[Slot] = []
    for shop_day in sorted(facts.days, key=lambda d: d.day):
        for placed in engine.day_slots(shop_day):
            found.append(_slot(facts.zone, shop_day.day, placed))
            if len(found) >= limit:
                return tuple(found)
    return tuple(found)


def _moment(zone: tzinfo, day: date, minute: int) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone) + timedelta(minutes=minute)


def _slot(zone: tzinfo, day: date, placed: list[_Placed]) -> Slot:
    return Slot(
        tuple(
            SlotLeg(
                service_id=p.need.service_id,
                staff_id=p.staff_id,
                room_id=p.room_id,
                starts=_moment(zone, day, p.start),
                ends=_moment(zone, day, p.end),
                held_until=_moment(zone, day, p.held),
            )
            for p in placed
        )
    )
