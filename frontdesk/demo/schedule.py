"""The appointment book: two years of history, a busy today and the next two weeks.

Each therapist's working day is first filled end to end with treatments (start times on the
quarter hour, cleanup buffers respected, a lunch break), so a therapist can never be double
booked. Slots are then thinned to the demand the client base makes, given a room that is
free for the whole treatment and its cleanup, and given to a client who exists by then and is
not elsewhere at that time: a newcomer waiting for a first visit if there is one, else a
returning client by habit (`frontdesk.demo.clientele`).

Who works is the roster's business (`frontdesk.demo.roster`): a place on the rota is worked on
a day by whoever held it then, and not at all while it was empty.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from frontdesk.demo.booking import Busy, Rooms, Shift, Slot, Treatment, Visit, free_room, status
from frontdesk.demo.catalogue import Catalogue
from frontdesk.demo.clientele import NEVER_SHARE, VISITS_PER_CLIENT, Clientele
from frontdesk.demo.days import FUTURE_DAYS, HISTORY_DAYS, Clock, history_bounds, local_midnight_utc
from frontdesk.demo.roster import Roster

#: The share of the packed past slots a shop books at most...
MAX_HISTORY_FILL = 0.85
#: ...and the share a shop is sized for: a client base that would need more gets more staff.
COMFORTABLE_FILL = 0.6
TODAY_FILL = 0.92
#: Slots a rota of eight therapists packs in the two years of history, about: what sizes a shop.
PAST_SLOTS_PER_BLOCK = 31_000


@dataclass(frozen=True)
class HistoryPlan:
    """How full the past is, and the share of clients who ever come."""

    fill: float
    coming: float


def _ceil_quarter(minute: int) -> int:
    return -(-minute // 15) * 15


class Scheduler:
    """Packs every working day of the roster, then books it."""

    def __init__(
        self,
        catalogue: Catalogue,
        treatments: list[Treatment],
        roster: Roster,
        rooms: Rooms,
        seed: int,
        today: date,
        zone: ZoneInfo,
        now_minute: int | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.treatments = treatments
        self.cum_weights: list[float] = []
        total = 0.0
        for treatment in treatments:
            total += treatment.weight
            self.cum_weights.append(total)
        self._roster = roster
        self._rooms = rooms
        self._fits: dict[int, list[int]] = {}  # treatments that fit in so many minutes
        self._rng = random.Random(f"{seed}:schedule")
        self.today, self.zone = today, zone
        self.now_minute = now_minute  # today's statuses follow it (None: a morning)
        days = range(-HISTORY_DAYS, FUTURE_DAYS + 1)
        self._packed = {d: self._pack_day(d) for d in days}
        self.history_slots = sum(len(self._packed[d]) for d in days if d < 0)

    def plan(self, customers: int) -> HistoryPlan:
        """The past visits the clients want, as far as the packed slots allow; beyond that,
        fewer of the clients come at all."""
        wanted = customers * VISITS_PER_CLIENT
        slots = max(1, self.history_slots)
        fill = min(MAX_HISTORY_FILL, wanted / slots)
        coming = (1 - NEVER_SHARE) * min(1.0, fill * slots / wanted)
        return HistoryPlan(fill, coming)

    def book(self, plan: HistoryPlan, clientele: Clientele, offsets: list[int]) -> list[Visit]:
        """Visits in time order; `offsets` are the clients' join times (seconds after origin)."""
        rng = self._rng
        origin = history_bounds(self.today, self.zone)[0]
        visits: list[Visit] = []
        for d in range(-HISTORY_DAYS, FUTURE_DAYS + 1):
            clock = Clock(local_midnight_utc(self.today + timedelta(days=d), self.zone))
            morning = int((clock.at(0) - origin).total_seconds())
            if d < 0:
                fill = plan.fill
                known = bisect_right(offsets, morning)  # anyone at all by then?
            else:
                fill = TODAY_FILL if d == 0 else max(0.12, 0.75 - 0.05 * d)
                known = len(offsets)
            if not known:
                continue
            clientele.start_day(morning, everyone=d >= 0)
            kept = [slot for slot in self._packed[d] if rng.random() < fill]
            kept.sort(key=lambda slot: (slot[1], slot[0]))
            self._place(d, clock, kept, clientele, visits)
        return visits

    def _pack_day(self, day: int) -> list[Slot]:
        """(staff id, start minute, end minute, treatment index) filling every shift worked."""
        weekday = (self.today + timedelta(days=day)).weekday()
        slots: list[Slot] = []
        for shift in self._roster.shifts:
            if weekday in shift.weekdays:
                staff_id = self._roster.holder(shift.position, day)
                if staff_id is not None:
                    slots.extend(self._pack_shift(staff_id, shift))
        return slots

    def _pack_shift(self, staff_id: int, shift: Shift) -> list[Slot]:
        rng, treatments, cum_weights = self._rng, self.treatments, self.cum_weights
        draw, bits, total = rng.random, rng.getrandbits, cum_weights[-1]
        minute = shift.start + rng.choice((0, 0, 15, 30))
        lunch_at = (shift.start + shift.end) // 2 - 30
        had_lunch = False
        slots: list[Slot] = []
        while True:
            if not had_lunch and minute >= lunch_at:
                minute += rng.choice((30, 45, 60))
                had_lunch = True
            # what rng.choices(..., cum_weights=...) draws, without its overhead
            index = bisect_right(cum_weights, draw() * total)
            if minute + treatments[index].minutes > shift.end:
                room_left = shift.end - minute
                fits = self._fits.get(room_left)
                if fits is None:
                    fits = self._fits[room_left] = [
                        i for i, t in enumerate(treatments) if t.minutes <= room_left
                    ]
                if not fits:
                    return slots
                index = rng.choice(fits)
            treatment = treatments[index]
            slots.append((staff_id, minute, minute + treatment.minutes, index))
            minute = _ceil_quarter(minute + treatment.minutes + treatment.buffer)
            # rng.choice((0, 0, 0, 15)), drawn as it draws: three random bits below 4
            pick = bits(3)
            while pick >= 4:
                pick = bits(3)
            if pick == 3:
                minute += 15

    def _place(
        self, day: int, clock: Clock, slots: list[Slot], clientele: Clientele, visits: list[Visit]
    ) -> None:
        rng, rooms, notes = self._rng, self._rooms, self.catalogue.appointment_notes
        in_room: dict[int, list[int]] = defaultdict(list)
        busy: Busy = defaultdict(list)
        for staff_id, start, end, index in slots:
            treatment = self.treatments[index]
            customer = clientele.newcomer(treatment, start)
            room_id = free_room(rooms, in_room, treatment, start)
            if room_id is None:
                continue
            if customer < 0:
                customer = clientele.returning(rng, treatment, start, end, busy)
                if customer < 0:
                    continue
            clientele.came(customer)
            in_room[room_id].append(end + treatment.buffer)
            busy[customer].append((start, end))
            note = rng.choice(notes) if rng.random() < 0.05 else ""
            visits.append(
                Visit(
                    day,
                    start,
                    end,
                    clock.at(start),
                    clock.at(end),
                    staff_id,
                    treatment,
                    room_id,
                    customer,
                    status(rng, day, start, end, self.now_minute),
                    note,
                )
            )
