"""Whatever sequence of book / move / resize / cancel the rules accept, the calendar stays
sound: no room over its places, no equipment over its quantity, no therapist in two places
(cleanup buffers included; one attendant may take several clients of one group booking at the
same times in the same room), no client in two places."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from frontdesk.domain.booking import (
    Busy,
    EquipmentFree,
    EquipmentNeed,
    LegNeed,
    RoomFree,
    StaffDay,
    Wanted,
    add_minutes,
    place,
    plan_booking,
)
from frontdesk.domain.errors import DomainError

MONDAY = datetime(2026, 11, 23)
DAY = StaffDay(working=((8 * 60, 20 * 60),))
ROOMS = (RoomFree(1, 2), RoomFree(2, 1), RoomFree(3, 4))
EQUIPMENT = (EquipmentFree(1, 2, "steamer"), EquipmentFree(2, 1, "steamer"), EquipmentFree(3, 1))
#: (service id, minutes, buffer, needs a room, places, equipment)
SERVICES = {
    1: (60, 15, True, 1, ()),
    2: (45, 10, True, 2, (EquipmentNeed(1, 1, "steamer"),)),
    3: (30, 0, False, 1, (EquipmentNeed(3, 1),)),
    4: (90, 5, True, 1, ()),
}


def day_of(_staff: int, _service: int, _day: date) -> StaffDay:
    return DAY


def need(client: int, service: int, staff: int | None) -> LegNeed:
    minutes, buffer, room, places, equipment = SERVICES[service]
    return LegNeed(
        client_id=client,
        service_id=service,
        service_name=f"S{service}",
        duration_minutes=minutes,
        buffer_minutes=buffer,
        needs_room=room,
        places=places,
        equipment=equipment,
        staff_ids=(staff,) if staff else (1, 2, 3),
        staff_named=staff is not None,
        rooms=ROOMS if room else (),
    )


def overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> bool:
    return a0 < b1 and b0 < a1


class Calendar(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.booked: dict[int, Busy] = {}
        self.next_id = 1

    def _wanted(self, b: Busy, starts: datetime, minutes: int, staff: int) -> Wanted:
        _m, buffer, room, places, equipment = SERVICES[b.service_id or 1]
        return Wanted(
            staff_id=staff,
            client_id=b.client_id,
            starts=starts,
            duration_minutes=minutes,
            buffer_minutes=buffer,
            needs_room=room,
            places=places,
            equipment=equipment,
            appointment_id=b.appointment_id,
            booking_id=b.booking_id,
            service_id=b.service_id,
        )

    @rule(
        clients=st.lists(st.integers(1, 5), min_size=1, max_size=3, unique=True),
        services=st.lists(st.integers(1, 4), min_size=1, max_size=2),
        staff=st.one_of(st.none(), st.integers(1, 3)),
        quarter=st.integers(0, 44),
    )
    def book(
        self, clients: list[int], services: list[int], staff: int | None, quarter: int
    ) -> None:
        starts = MONDAY.replace(hour=8) + timedelta(minutes=15 * quarter)
        needs = [[need(c, s, staff) for s in services] for c in clients]
        plans = plan_booking(
            needs, starts, day_of, list(self.booked.values()), EQUIPMENT, group=len(clients) > 1
        )
        if any(p.problem is not None for p in plans):
            return  # all or nothing
        booking_id = self.next_id
        for plan in plans:
            assert plan.staff_id is not None
            self.next_id += 1
            self.booked[self.next_id] = Busy(
                self.next_id,
                plan.staff_id,
                plan.need.client_id,
                plan.room_id,
                plan.starts,
                plan.ends,
                plan.need.buffer_minutes,
                plan.need.places,
                plan.need.service_name,
                plan.resources,
                booking_id,
                plan.need.service_id,
            )

    def _relocate(self, pick: int, starts: datetime, minutes: int, staff: int) -> None:
        if not self.booked:
            return
        b = sorted(self.booked.values(), key=lambda x: x.appointment_id)[pick % len(self.booked)]
        wanted = self._wanted(b, starts, minutes, staff)
        try:
            placed = place(
                wanted,
                DAY,
                list(self.booked.values()),
                ROOMS if wanted.needs_room else (),
                EQUIPMENT,
                prefer_rooms=[b.room_id] if b.room_id else [],
            )
        except DomainError:
            return
        self.booked[b.appointment_id] = replace(
            b,
            staff_id=staff,
            starts=starts,
            ends=wanted.ends,
            room_id=placed.room_id,
            resources=placed.resources,
        )

    @rule(pick=st.integers(0, 50), quarter=st.integers(0, 44), staff=st.integers(1, 3))
    def move(self, pick: int, quarter: int, staff: int) -> None:
        if not self.booked:
            return
        b = sorted(self.booked.values(), key=lambda x: x.appointment_id)[pick % len(self.booked)]
        minutes = int((b.ends - b.starts).total_seconds() // 60)
        starts = MONDAY.replace(hour=8) + timedelta(minutes=15 * quarter)
        self._relocate(pick, starts, minutes, staff)

    @rule(pick=st.integers(0, 50), minutes=st.integers(5, 180))
    def resize(self, pick: int, minutes: int) -> None:
        if not self.booked:
            return
        b = sorted(self.booked.values(), key=lambda x: x.appointment_id)[pick % len(self.booked)]
        self._relocate(pick, b.starts, minutes, b.staff_id)

    @rule(pick=st.integers(0, 50))
    def cancel(self, pick: int) -> None:
        if self.booked:
            ids = sorted(self.booked)
            del self.booked[ids[pick % len(ids)]]

    @invariant()
    def nobody_and_nothing_in_two_places(self) -> None:
        items = list(self.booked.values())
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.client_id == b.client_id:
                    assert not overlap(a.starts, a.ends, b.starts, b.ends)
                if a.staff_id == b.staff_id and overlap(
                    a.starts, a.held_until, b.starts, b.held_until
                ):
                    # Only one attendant for one group, together in one room.
                    assert a.booking_id == b.booking_id
                    assert a.room_id is not None
                    assert a.room_id == b.room_id
                    assert (a.starts, a.ends, a.service_id) == (b.starts, b.ends, b.service_id)

    @invariant()
    def rooms_and_equipment_within_capacity(self) -> None:
        items = list(self.booked.values())
        moments = {b.starts for b in items}
        for moment in moments:
            now = [b for b in items if b.starts <= moment < b.held_until]
            for room in ROOMS:
                assert sum(b.places for b in now if b.room_id == room.room_id) <= room.capacity
            for item in EQUIPMENT:
                held = sum(q for b in now for r, q in b.resources if r == item.resource_id)
                assert held <= item.quantity

    @invariant()
    def inside_the_working_day(self) -> None:
        for b in self.booked.values():
            assert b.starts >= MONDAY.replace(hour=8)
            assert add_minutes(b.ends, b.buffer_minutes) <= MONDAY.replace(hour=20)


Calendar.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],  # a shared, busy machine
)
test_calendar_stays_sound = Calendar.TestCase
