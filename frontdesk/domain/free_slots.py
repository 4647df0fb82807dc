"""The next free slots for one or several services in sequence: a pure search over plain facts.

It agrees with the booking rules (frontdesk/domain/booking.py) by construction: every slot is
planned by the booking engine's own `plan_booking` (the legs after the first placed exactly as
a booking of them would be), and no acceptable earlier start on the step grid is skipped
(tests/frontdesk/domain/test_free_slots.py checks this against a brute force). It is fast
because it does not ask the rules about every start: per day and therapist it first works out
the *intervals of acceptable starts* for the first service (working and opening hours, minus
breaks, minus the therapist's held appointments, minus the client's, where a room and the
equipment have places moment by moment) and walks the step grid only inside them; the engine
then confirms each candidate.

Minutes are wall-clock minutes from local midnight, like working and opening hours. On the days
around a daylight-saving change, where wall-clock minutes and real minutes part, the intervals
are not trusted: every start on the grid goes to the engine.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from heapq import merge
from itertools import pairwise

from frontdesk.domain.booking import (
    Busy,
    DayOf,
    EquipmentFree,
    LegNeed,
    LegPlan,
    StaffDay,
    plan_booking,
)

MINUTES_PER_DAY = 24 * 60
#: A span list: sorted, disjoint, half-open [start, end) minutes.
Spans = list[tuple[int, int]]
_ALL: Spans = [(-4 * MINUTES_PER_DAY, 8 * MINUTES_PER_DAY)]


# -- the facts and the question -------------------------------------------------------------------


@dataclass(frozen=True)
class SlotFacts:
    """Everything the search reads, for a range of days."""

    zone: tzinfo
    days: tuple[date, ...]
    #: (therapist id, service id, day) -> the therapist's and the shop's day.
    day_of: DayOf
    #: Live appointments near the range, shop-local times.
    busy: tuple[Busy, ...] = ()
    #: Active equipment and how many of each the shop has.
    equipment: tuple[EquipmentFree, ...] = ()


@dataclass(frozen=True)
class SlotSearch:
    """The services in order, as the booking engine takes them: each leg names the therapists
    to try (one when named, everyone qualified in the shop's order for "anyone") and the rooms
    (one when chosen)."""

    legs: tuple[LegNeed, ...]
    #: Weekdays (0 = Monday) that suit; empty for any.
    weekdays: frozenset[int] = frozenset()
    #: The booking starts at or after `from_minute` and is over (without the cleanup) by
    #: `to_minute`, local minutes from midnight.
    from_minute: int = 0
    to_minute: int = MINUTES_PER_DAY
    step_minutes: int = 5
    #: Nothing earlier than this (now), or None.
    not_before: datetime | None = None


@dataclass(frozen=True)
class Slot:
    """A booking that would be accepted: its legs as the engine plans them."""

    legs: tuple[LegPlan, ...]

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


def _wall(moment: datetime) -> int:
    """Wall-clock minutes since day 1 (what working hours are counted in)."""
    return moment.toordinal() * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def _peak_ok(rows: Iterable[tuple[int, int, int]], length: int, free: int) -> Spans:
    """Starts t where, at every moment of [t, t + length), the (start, end, units) rows hold
    at most `free` units."""
    return starts_fitting(subtracted(_ALL, _over_limit(rows, free)), length)


def _moment(zone: tzinfo, day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)


class _Search:
    def __init__(self, facts: SlotFacts, search: SlotSearch) -> None:
        self.facts = facts
        self.search = search
        # By the local day they start on: a search usually reads a day or two of a long range.
        self.by_day: dict[date, list[Busy]] = defaultdict(list)
        for other in facts.busy:
            self.by_day[other.starts.date()].append(other)
        self.client_id = search.legs[0].client_id

    def near(self, day: date) -> list[Busy]:
        """Live appointments that may be in the way of a booking on `day`."""
        lo = _moment(self.facts.zone, day, 0).astimezone(UTC)
        # Nothing with its cleanup runs longer than a day (schedule_facts reads that far).
        before = [
            other
            for other in self.by_day.get(day - timedelta(days=1), ())
            if other.instants[2] > lo
        ]
        return [*before, *self.by_day.get(day, ()), *self.by_day.get(day + timedelta(days=1), ())]

    def steady(self, day: date) -> bool:
        """Whether wall-clock and real minutes agree from the day before to the day after."""
        zone = self.facts.zone
        offsets = {
            datetime.combine(day + timedelta(days=n), time(), tzinfo=zone).utcoffset()
            for n in (-1, 0, 1, 2)
        }
        return len(offsets) == 1

    def leg_starts(self, need: LegNeed, day: date, others: Sequence[Busy]) -> dict[int, Spans]:
        """Per therapist of a leg: the starts its rules allow (a superset of what the engine
        accepts only where the booking's other legs or a second need of one resource
        interfere)."""
        base = day.toordinal() * MINUTES_PER_DAY
        length = need.duration_minutes + need.buffer_minutes
        rows = [
            (b, start - base, end + b.buffer_minutes - base, end - base)
            for b in others
            # A steady day: the cleanup ends `buffer` wall-clock minutes after the end.
            for start, end in ((_wall(b.starts), _wall(b.ends)),)
        ]
        # Each therapist's own free starts first: where none has any (a full day), the room,
        # equipment and client are never looked at.
        by_staff: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for b, s, h, _e in rows:
            by_staff[b.staff_id].append((s, h))
        fitting: dict[int, Spans] = {}
        for staff_id in need.staff_ids:
            staff_day = self.facts.day_of(staff_id, need.service_id, day)
            free = _free_time(staff_day)
            if not free:
                continue
            free = subtracted(free, merged(by_staff.get(staff_id, ())))
            fitting[staff_id] = starts_fitting(free, length)
        if not any(fitting.values()):
            return fitting
        common = self.common_starts(need, rows, length)
        return {staff_id: intersected(spans, common) for staff_id, spans in fitting.items()}

    def common_starts(
        self, need: LegNeed, rows: Sequence[tuple[Busy, int, int, int]], length: int
    ) -> Spans:
        """The starts the client, a room and the equipment allow (whoever the therapist)."""
        client_ok = subtracted(
            _ALL,
            merged(
                (start - need.duration_minutes + 1, end)
                for b, start, _held, end in rows
                if b.client_id == self.client_id
            ),
        )
        room_ok: Spans = _ALL
        if need.needs_room:
            by_room: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
            for b, s, h, _e in rows:
                if b.room_id is not None:
                    by_room[b.room_id].append((s, h, b.places))
            room_ok = merged(
                span
                for room in need.rooms
                if room.capacity >= need.places
                for span in _peak_ok(
                    by_room.get(room.room_id, ()), length, room.capacity - need.places
                )
            )
        equipment_ok: Spans = _ALL
        if need.equipment:
            by_resource: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
            for b, s, h, _e in rows:
                for r, q in b.resources:
                    by_resource[r].append((s, h, q))
        for item in need.equipment:
            candidates = [
                e
                for e in self.facts.equipment
                if e.resource_id == item.resource_id
                or (item.kind and _kind(e.kind) == _kind(item.kind))
            ]
            equipment_ok = intersected(
                equipment_ok,
                merged(
                    span
                    for e in candidates
                    if e.quantity >= item.quantity
                    for span in _peak_ok(
                        by_resource.get(e.resource_id, ()), length, e.quantity - item.quantity
                    )
                ),
            )
        return intersected(intersected(client_ok, room_ok), equipment_ok)

    def later_legs_fit(self, day: date, others: Sequence[Busy]) -> Spans:
        """First-leg starts from which every later leg could start somewhere it is allowed:
        a leg starts when the one before ends, or when its cleanup does."""
        fits: Spans = _ALL
        offsets = {0}
        legs = self.search.legs
        for previous, need in pairwise(legs):
            offsets = {
                o + previous.duration_minutes + extra
                for o in offsets
                for extra in {0, previous.buffer_minutes}
            }
            allowed = merged(
                span for spans in self.leg_starts(need, day, others).values() for span in spans
            )
            fits = intersected(fits, merged((a - o, b - o) for o in offsets for a, b in allowed))
        return fits

    def candidates(self, day: date, others: Sequence[Busy]) -> Iterator[tuple[int, int]]:
        """(start minute, first therapist) in time order, then the therapists' order."""
        search = self.search
        earliest = max(0, search.from_minute)
        if search.not_before is not None:
            now = search.not_before.astimezone(self.facts.zone)
            if now.date() > day:
                return
            if now.date() == day:
                late = 1 if now.second or now.microsecond else 0
                earliest = max(earliest, now.hour * 60 + now.minute + late)
        shortest = sum(leg.duration_minutes for leg in search.legs)
        window: Spans = [(earliest, min(MINUTES_PER_DAY, search.to_minute - shortest + 1))]
        if self.steady(day):
            allowed = self.leg_starts(search.legs[0], day, others)
            window = intersected(window, self.later_legs_fit(day, others))
        else:
            need = search.legs[0]
            allowed = {
                s: _free_time(self.facts.day_of(s, need.service_id, day)) for s in need.staff_ids
            }
        step = max(1, search.step_minutes)

        def starts(rank: int, staff_id: int) -> Iterator[tuple[int, int, int]]:
            for a, b in intersected(allowed.get(staff_id, []), window):
                for minute in range(-(-a // step) * step, b, step):
                    yield minute, rank, staff_id

        order = search.legs[0].staff_ids
        for minute, _rank, staff_id in merge(*(starts(r, s) for r, s in enumerate(order))):
            yield minute, staff_id

    def day_slots(self, day: date) -> Iterator[Slot]:
        search = self.search
        if search.weekdays and day.weekday() not in search.weekdays:
            return
        others = self.near(day)
        first, *rest = search.legs
        latest = _moment(self.facts.zone, day, 0)
        # The engine only looks at what overlaps the booking's held time (at most every leg
        # with its cleanup): hand it just those, each candidate.
        reach = timedelta(
            minutes=sum(
                max(leg.duration_minutes, 0) + max(leg.buffer_minutes, 0) for leg in search.legs
            )
        )
        by_start: list[Busy] = []
        begins: list[datetime] = []
        for minute, staff_id in self.candidates(day, others):
            starts = _moment(self.facts.zone, day, minute)
            if not _exists(starts):
                continue  # skipped by a clock change (01:30 on a spring-forward night)
            if not begins and others:
                by_start = sorted(others, key=lambda b: b.instants[0])
                begins = [b.instants[0] for b in by_start]
            lo = starts.astimezone(UTC)
            hi = lo + reach
            plans = plan_booking(
                [[replace(first, staff_ids=(staff_id,)), *rest]],
                starts,
                self.facts.day_of,
                [b for b in by_start[: bisect_left(begins, hi)] if b.instants[2] > lo],
                self.facts.equipment,
            )
            if any(p.problem is not None for p in plans):
                continue
            ends = plans[-1].ends
            if _wall(ends) - _wall(latest) > search.to_minute:
                continue
            yield Slot(tuple(plans))


def _exists(moment: datetime) -> bool:
    """Whether the wall-clock time happens at all (not skipped by a clock change)."""
    wall = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return wall.replace(tzinfo=None) == moment.replace(tzinfo=None)


def _kind(text: str) -> str:
    return " ".join(text.split()).casefold()


def _free_time(day: StaffDay) -> Spans:
    """The therapist's working time inside the shop's opening, without breaks (nothing on a
    closed day, an absence, or a service they do not do)."""
    if day.closed_day or day.absent or day.qualified is False:
        return []
    free = merged(day.working)
    if day.opening is not None:
        free = intersected(free, merged(day.opening))
    return subtracted(free, merged(day.breaks))


def find_slots(facts: SlotFacts, search: SlotSearch, limit: int = 10) -> tuple[Slot, ...]:
    """The first `limit` slots in time order (then the first therapist's order): one per start
    and first therapist, the later legs, rooms and equipment as the engine would plan them."""
    if not search.legs or limit <= 0:
        return ()
    engine = _Search(facts, search)
    found: list[Slot] = []
    for day in sorted(facts.days):
        for slot in engine.day_slots(day):
            found.append(slot)
            if len(found) >= limit:
                return tuple(found)
    return tuple(found)
