"""The appointment book: two years of history, a busy today and the next two weeks.

Each therapist's working day is first filled end to end with treatments (start times on the
quarter hour, cleanup buffers respected, a lunch break), so a therapist can never be double
booked. Slots are then thinned to the demand the client base makes, given a room that is
free for the whole treatment and its cleanup, and given to a client who exists by then and is
not elsewhere at that time.

The eight therapists hold about 25,000 past visits. A client base that wants more gets former
staff for the past only (`frontdesk.demo.former`): teams like the present one, each with rooms of
its own, who see every client once soon after they join, then the regulars.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil
from operator import attrgetter
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from frontdesk.demo.booking import (
    REGULAR_EVERY,
    Busy,
    Shift,
    Slot,
    Team,
    Treatment,
    Visit,
    free_room,
    pick_client,
    status,
)
from frontdesk.demo.catalogue import Catalogue
from frontdesk.demo.days import FUTURE_DAYS, HISTORY_DAYS, Clock, history_bounds, local_midnight_utc

if TYPE_CHECKING:
    from frontdesk.demo.former import FormerBook

VISITS_PER_CLIENT = 6.0
#: The share of the present team's packed past slots that may become visits.
MAX_HISTORY_FILL = 0.8
#: Past visits a big demo stops at, former staff included: what fits in its time budget...
HISTORY_VISIT_BUDGET = 1_150_000
#: ...but never fewer than this many per client, so that each can have a first visit.
MIN_VISITS_PER_CLIENT = 1.1
#: The share of a former team's packed slots that become visits while newcomers wait.
FORMER_YIELD = 0.9
TODAY_FILL = 0.92


@dataclass(frozen=True)
class HistoryPlan:
    """How the past is staffed: the present team's fill, and former teams with theirs."""

    home_fill: float
    former_teams: int
    former_fill: float


def _ceil_quarter(minute: int) -> int:
    return -(-minute // 15) * 15


class Scheduler:
    """Books the present team (its own random stream, so the present never depends on the
    former teams) and hands each past day over to the former teams, if any, afterwards."""

    def __init__(
        self,
        catalogue: Catalogue,
        treatments: list[Treatment],
        team: Team,
        seed: int,
        today: date,
        zone: ZoneInfo,
    ) -> None:
        self.catalogue = catalogue
        self.treatments = treatments
        self.cum_weights: list[float] = []
        total = 0.0
        for treatment in treatments:
            total += treatment.weight
            self.cum_weights.append(total)
        self._team = team
        self._fits: dict[int, list[int]] = {}  # treatments that fit in so many minutes
        self._rng = random.Random(f"{seed}:schedule")
        self.today, self.zone = today, zone
        days = range(-HISTORY_DAYS, FUTURE_DAYS + 1)
        self._packed = {d: self._pack_day((today + timedelta(days=d)).weekday()) for d in days}
        self.history_slots = sum(len(self._packed[d]) for d in days if d < 0)

    def plan(self, customers: int) -> HistoryPlan:
        """The visits wanted, up to the budget: the present team's share, and beyond its
        capacity enough former teams (each packs about as many slots) for the rest. Former
        teams see each newcomer once whatever their fill, which thins only the other slots."""
        budget = max(HISTORY_VISIT_BUDGET, customers * MIN_VISITS_PER_CLIENT)
        wanted = min(customers * VISITS_PER_CLIENT, budget)
        slots = max(1, self.history_slots)
        home = MAX_HISTORY_FILL * slots
        if wanted <= home:
            return HistoryPlan(min(MAX_HISTORY_FILL, wanted / slots), 0, 0.0)
        teams = ceil((wanted - home) / (FORMER_YIELD * slots))
        others = max(0.0, wanted - home - customers)
        fill = min(MAX_HISTORY_FILL, others / max(1, teams * slots - customers))
        return HistoryPlan(MAX_HISTORY_FILL, teams, fill)

    def book(
        self,
        plan: HistoryPlan,
        offsets: list[int],
        women: bytearray,
        former: FormerBook | None = None,
    ) -> list[Visit]:
        """Visits in time order; `offsets` are the clients' join times (seconds after origin),
        `women` 1 for each client who is a woman (by id - 1)."""
        rng = self._rng
        origin = history_bounds(self.today, self.zone)[0]
        visits: list[Visit] = []
        for d in range(-HISTORY_DAYS, FUTURE_DAYS + 1):
            clock = Clock(local_midnight_utc(self.today + timedelta(days=d), self.zone))
            morning = int((clock.at(0) - origin).total_seconds())
            if d < 0:
                fill = plan.home_fill
                # only clients who had joined by that morning
                known = bisect_left(offsets, morning)
            else:
                fill = TODAY_FILL if d == 0 else max(0.12, 0.75 - 0.05 * d)
                known = len(offsets)
            busy: Busy = defaultdict(list)
            day: list[Visit] = []
            if known:
                kept = [slot for slot in self._packed[d] if rng.random() < fill]
                kept.sort(key=lambda slot: (slot[1], slot[0]))
                self._place(d, clock, kept, known, women, busy, day)
            if former is not None and d < 0:
                former.place_day(d, clock, morning, known, busy, day)
                day.sort(key=attrgetter("start_minute", "staff_id"))
            visits.extend(day)
        return visits

    def _pack_day(self, weekday: int) -> list[Slot]:
        """(staff id, start minute, end minute, treatment index) filling every shift."""
        slots: list[Slot] = []
        for shift in self._team.shifts:
            if weekday in shift.weekdays:
                slots.extend(self.pack_shift(self._rng, shift))
        return slots

    def pack_shift(self, rng: random.Random, shift: Shift) -> list[Slot]:
        treatments, cum_weights = self.treatments, self.cum_weights
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
            slots.append((shift.staff_id, minute, minute + treatment.minutes, index))
            minute = _ceil_quarter(minute + treatment.minutes + treatment.buffer)
            # rng.choice((0, 0, 0, 15)), drawn as it draws: three random bits below 4
            pick = bits(3)
            while pick >= 4:
                pick = bits(3)
            if pick == 3:
                minute += 15

    def _place(
        self,
        day: int,
        clock: Clock,
        slots: list[Slot],
        known: int,
        women: bytearray,
        busy: Busy,
        visits: list[Visit],
    ) -> None:
        rng, team, notes = self._rng, self._team, self.catalogue.appointment_notes
        in_room: dict[int, list[int]] = defaultdict(list)
        regulars = (known + REGULAR_EVERY - 1) // REGULAR_EVERY
        for staff_id, start, end, index in slots:
            treatment = self.treatments[index]
            room_id = free_room(team, in_room, treatment, start)
            if room_id is None:
                continue
            customer = pick_client(rng, known, regulars, treatment, start, end, women, busy)
            if customer < 0:
                continue
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
                    status(rng, day, start),
                    note,
                )
            )
