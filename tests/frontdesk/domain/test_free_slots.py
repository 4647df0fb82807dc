"""The free-slot search agrees with the booking rules: every slot it offers is accepted by
`check_booking` (leg by leg, the earlier legs in the way), and no acceptable earlier start on
the step grid is skipped (a brute force that hands every start to the booking engine)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.domain.booking import (
    Busy,
    DayOf,
    EquipmentFree,
    EquipmentNeed,
    LegNeed,
    RoomFree,
    StaffDay,
    Wanted,
    check_booking,
    plan_booking,
)
from frontdesk.domain.free_slots import (
    Slot,
    SlotFacts,
    SlotSearch,
    find_slots,
    intersected,
    merged,
    subtracted,
)

ZONE = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)
NINE_TO_SIX = ((9 * 60, 18 * 60),)
NO_CLIENT = 0


def at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZONE)


def busy(
    appt: int,
    staff: int,
    minute: int,
    length: int,
    *,
    day: date = MONDAY,
    client: int | None = None,
    **kw: object,
) -> Busy:
    room = kw.pop("room", None)
    return Busy(
        appt,
        staff,
        100 + appt if client is None else client,
        room,  # type: ignore[arg-type]
        at(day, minute),
        at(day, minute) + timedelta(minutes=length),
        **kw,  # type: ignore[arg-type]
    )


def leg(service: int = 1, minutes: int = 60, buffer: int = 15, **kw: object) -> LegNeed:
    base: dict[str, object] = {
        "client_id": NO_CLIENT,
        "service_id": service,
        "service_name": f"service {service}",
        "duration_minutes": minutes,
        "buffer_minutes": buffer,
        "staff_ids": (1,),
        "staff_named": False,
    }
    return LegNeed(**{**base, **kw})  # type: ignore[arg-type]


def days_of(
    table: Mapping[tuple[int, date], StaffDay],
    qualified: Mapping[int, frozenset[int]] | None = None,
) -> DayOf:
    """A `day_of` over a table of (therapist, day) -> StaffDay (absent: no hours)."""

    def day_of(staff_id: int, service_id: int, day: date) -> StaffDay:
        found = table.get((staff_id, day), StaffDay(()))
        known = (qualified or {}).get(staff_id)
        return StaffDay(
            found.working,
            found.breaks,
            found.absent,
            found.opening,
            found.closed_day,
            (service_id in known) if known else None,
        )

    return day_of


def every_day(*staff: int, n: int = 1, **kw: object) -> dict[tuple[int, date], StaffDay]:
    return {
        (s, MONDAY + timedelta(days=d)): StaffDay(NINE_TO_SIX, **kw)  # type: ignore[arg-type]
        for s in staff
        for d in range(n)
    }


def facts(table: Mapping[tuple[int, date], StaffDay], **kw: object) -> SlotFacts:
    days = tuple(sorted({d for _s, d in table}))
    qualified = kw.pop("qualified", None)
    return SlotFacts(ZONE, days, days_of(table, qualified), **kw)  # type: ignore[arg-type]


def times(slots: Sequence[Slot]) -> list[tuple[str, int | None]]:
    return [(s.starts.strftime("%a %H:%M"), s.legs[0].staff_id) for s in slots]


# -- examples -----------------------------------------------------------------------------------


def test_the_first_free_hour_after_a_booked_one_and_its_cleanup() -> None:
    shop = facts(every_day(1), busy=(busy(1, 1, 9 * 60, 60, buffer_minutes=15),))
    found = find_slots(shop, SlotSearch((leg(),), step_minutes=15), limit=2)
    assert times(found) == [("Mon 10:15", 1), ("Mon 10:30", 1)]
    assert found[0].ends == at(MONDAY, 11 * 60 + 15)
    assert found[0].legs[0].held_until == at(MONDAY, 11 * 60 + 30)


def test_breaks_absences_closed_days_and_qualifications_are_honoured() -> None:
    tuesday = MONDAY + timedelta(days=1)
    wednesday = MONDAY + timedelta(days=2)
    table = {
        (1, MONDAY): StaffDay(NINE_TO_SIX, closed_day=True),
        (1, tuesday): StaffDay(NINE_TO_SIX, absent=True),
        (2, tuesday): StaffDay(NINE_TO_SIX),
        (3, tuesday): StaffDay(((9 * 60, 11 * 60 + 30),), breaks=((9 * 60, 10 * 60),)),
        (1, wednesday): StaffDay(NINE_TO_SIX),
    }
    shop = facts(table, qualified={2: frozenset({7})})
    search = SlotSearch((leg(staff_ids=(1, 2, 3)),), step_minutes=30)
    # Only Tuesday's therapist 3, after the break and done by 11:30 with the cleanup; then Wed.
    assert times(find_slots(shop, search, limit=3)) == [
        ("Tue 10:00", 3),
        ("Wed 09:00", 1),
        ("Wed 09:30", 1),
    ]


def test_opening_hours_weekdays_and_the_time_window() -> None:
    shop = facts(every_day(1, n=3, opening=((10 * 60, 16 * 60),)))
    search = SlotSearch(
        (leg(),),
        weekdays=frozenset({2}),
        from_minute=13 * 60,
        to_minute=15 * 60,
        step_minutes=30,
    )
    # Wednesday only; starting at 13:00 or later, over by 15:00 (the cleanup may run on).
    assert times(find_slots(shop, search, limit=5)) == [
        ("Wed 13:00", 1),
        ("Wed 13:30", 1),
        ("Wed 14:00", 1),
    ]


def test_nothing_before_now() -> None:
    search = SlotSearch((leg(),), step_minutes=15, not_before=at(MONDAY, 12 * 60 + 1))
    assert times(find_slots(facts(every_day(1)), search, limit=1)) == [("Mon 12:15", 1)]


def test_the_client_is_not_booked_twice() -> None:
    shop = facts(every_day(1, 2), busy=(busy(1, 2, 9 * 60, 90, client=7),))
    search = SlotSearch((leg(client_id=7, staff_ids=(1,)),), step_minutes=30)
    assert times(find_slots(shop, search, limit=1)) == [("Mon 10:30", 1)]


def test_a_room_with_places_left_and_the_first_room_that_fits() -> None:
    sauna = leg(
        2, buffer=0, needs_room=True, places=2, rooms=(RoomFree(10, 3), RoomFree(11, 6)),
        staff_ids=(1, 2),
    )  # fmt: skip
    shop = facts(
        every_day(1, 2),
        busy=(busy(1, 3, 9 * 60, 60, room=10, places=2), busy(2, 3, 9 * 60, 60, room=11, places=5)),
    )
    found = find_slots(shop, SlotSearch((sauna,), step_minutes=60), limit=3)
    assert [(times([s])[0], s.legs[0].room_id) for s in found] == [
        (("Mon 10:00", 1), 10),
        (("Mon 10:00", 2), 10),
        (("Mon 11:00", 1), 10),
    ]


def test_equipment_in_use_and_another_of_its_kind() -> None:
    facial = leg(3, 30, 0, equipment=(EquipmentNeed(50, 1, "steamer"),), staff_ids=(1, 2))
    shop = facts(
        every_day(1, 2),
        busy=(busy(1, 2, 9 * 60, 60, resources=((50, 1),)),),
        equipment=(EquipmentFree(50, 1, "steamer"),),
    )
    found = find_slots(shop, SlotSearch((facial,), step_minutes=30), 2)
    assert times(found) == [("Mon 10:00", 1), ("Mon 10:00", 2)]
    two = replace_equipment(
        shop, (EquipmentFree(50, 1, "steamer"), EquipmentFree(51, 1, "steamer"))
    )
    found = find_slots(two, SlotSearch((facial,), step_minutes=30), 1)
    assert times(found) == [("Mon 09:00", 1)]
    assert found[0].legs[0].resources == ((51, 1),)


def replace_equipment(shop: SlotFacts, equipment: tuple[EquipmentFree, ...]) -> SlotFacts:
    return SlotFacts(shop.zone, shop.days, shop.day_of, shop.busy, equipment)


def test_a_sequence_runs_back_to_back_or_waits_for_the_cleanup_with_the_same_therapist() -> None:
    first = leg(1, 60, 15, staff_ids=(1, 2))
    second = leg(2, 30, 5, staff_ids=(1, 2))
    both = facts(every_day(1, 2), qualified={1: frozenset({1}), 2: frozenset({2})})
    found = find_slots(both, SlotSearch((first, second), step_minutes=60), limit=1)
    assert [(p.staff_id, p.starts.strftime("%H:%M")) for p in found[0].legs] == [
        (1, "09:00"),
        (2, "10:00"),
    ]
    alone = facts(every_day(1))
    search = SlotSearch((leg(1, 60, 15), leg(2, 30, 5)), step_minutes=60)
    found = find_slots(alone, search, limit=1)
    assert [p.starts.strftime("%H:%M") for p in found[0].legs] == ["09:00", "10:15"]


def test_a_day_with_a_clock_change_is_searched_by_the_rules_themselves() -> None:
    spring = date(2026, 3, 29)  # London: 01:00 -> 02:00
    table = {(1, spring): StaffDay(((0, 4 * 60),))}
    shop = facts(table, busy=(busy(1, 1, 0, 30, day=spring),))
    found = find_slots(shop, SlotSearch((leg(minutes=30, buffer=0),), step_minutes=30), limit=3)
    assert [s.starts.strftime("%H:%M") for s in found] == ["00:30", "02:00", "02:30"]


def test_span_arithmetic() -> None:
    assert merged([(5, 10), (0, 5), (20, 30), (25, 26)]) == [(0, 10), (20, 30)]
    assert intersected([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    assert subtracted([(0, 10), (20, 30)], [(2, 3), (8, 22), (29, 40)]) == [
        (0, 2),
        (3, 8),
        (22, 29),
    ]


# -- against the rules --------------------------------------------------------------------------


def brute_force(shop: SlotFacts, search: SlotSearch, limit: int) -> list[Slot]:
    """Every start on the grid and every first therapist handed to the booking engine, in
    order: the slots the search must find."""
    first, *rest = search.legs
    found: list[Slot] = []
    for day in sorted(shop.days):
        if search.weekdays and day.weekday() not in search.weekdays:
            continue
        for minute in range(0, 24 * 60, search.step_minutes):
            starts = at(day, minute)
            if minute < search.from_minute or (
                search.not_before is not None and starts < search.not_before
            ):
                continue
            if starts.astimezone(ZONE).replace(tzinfo=None) != starts.replace(tzinfo=None):
                continue  # no such time that night
            for staff_id in first.staff_ids:
                plans = plan_booking(
                    [[LegNeed(**{**first.__dict__, "staff_ids": (staff_id,)}), *rest]],
                    starts,
                    shop.day_of,
                    shop.busy,
                    shop.equipment,
                )
                if any(p.problem for p in plans) or plans[-1].ends > at(day, 0) + timedelta(
                    minutes=search.to_minute
                ):
                    continue
                found.append(Slot(tuple(plans)))
                if len(found) >= limit:
                    return found
    return found


def accepted_leg_by_leg(shop: SlotFacts, search: SlotSearch, slot: Slot) -> bool:
    """Each leg passes `check_booking` with the live appointments and the earlier legs."""
    others = list(shop.busy)
    for n, (need, plan) in enumerate(zip(search.legs, slot.legs, strict=True)):
        assert plan.staff_id is not None
        wanted = Wanted(
            plan.staff_id,
            need.client_id,
            plan.starts,
            need.duration_minutes,
            need.buffer_minutes,
            need.needs_room,
            need.places,
            need.equipment,
        )
        rooms = [r for r in need.rooms if r.room_id == plan.room_id]
        day = shop.day_of(plan.staff_id, need.service_id, plan.starts.date())
        if check_booking(wanted, day, others, rooms, shop.equipment) != plan.room_id:
            return False
        others.append(
            Busy(-1 - n, plan.staff_id, need.client_id, plan.room_id, plan.starts, plan.ends,
                 need.buffer_minutes, need.places, "", plan.resources)
        )  # fmt: skip
    return True


def _spans(most: int = 2) -> st.SearchStrategy[tuple[tuple[int, int], ...]]:
    """Up to `most` spans of quarter hours, mostly in the daytime."""
    span = st.tuples(st.integers(24, 56), st.integers(1, 40)).map(
        lambda p: (p[0] * 15, min(24 * 60, (p[0] + p[1]) * 15))
    )
    return st.lists(span, min_size=1, max_size=most).map(tuple)


def _rarely(strategy: st.SearchStrategy[object], usual: object) -> st.SearchStrategy[object]:
    return st.one_of(st.just(usual), st.just(usual), st.just(usual), strategy)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[SlotFacts, SlotSearch]:
    n_days = draw(st.integers(1, 2))
    staff_ids = (1, 2, 3)[: draw(st.integers(1, 3))]
    rooms = tuple(RoomFree(10 + i, draw(st.integers(1, 3))) for i in range(draw(st.integers(0, 2))))
    table: dict[tuple[int, date], StaffDay] = {}
    for n in range(n_days):
        day = MONDAY + timedelta(days=n)
        opening = draw(_rarely(_spans(), None))
        closed = draw(_rarely(st.just(True), False))
        for s in staff_ids:
            table[(s, day)] = StaffDay(
                draw(_spans()),
                draw(_rarely(_spans(1), ())),  # type: ignore[arg-type]
                draw(_rarely(st.just(True), False)),  # type: ignore[arg-type]
                opening,  # type: ignore[arg-type]
                closed,  # type: ignore[arg-type]
            )
    qualified = {s: draw(st.frozensets(st.integers(1, 2), max_size=2)) for s in staff_ids}
    equipment: tuple[EquipmentFree, ...] = (
        EquipmentFree(50, draw(st.integers(0, 2)), "steamer"),
        EquipmentFree(51, 1),
    )
    if draw(st.booleans()):
        equipment += (EquipmentFree(52, 1, "steamer"),)
    appts = []
    for appt in range(1, draw(st.integers(0, 10)) + 1):
        appts.append(
            busy(
                appt,
                draw(st.sampled_from(staff_ids)),
                draw(st.integers(0, 24 * 60 // 5 - 1)) * 5 + draw(st.sampled_from([0, 0, 3])),
                draw(st.integers(1, 36)) * 5,
                day=MONDAY + timedelta(days=draw(st.integers(-1, n_days))),
                client=draw(st.integers(100, 102)),
                room=draw(st.sampled_from([None, *(r.room_id for r in rooms)])),
                buffer_minutes=draw(st.sampled_from([0, 10, 15])),
                places=draw(st.integers(1, 2)),
                resources=draw(st.sampled_from([(), ((50, 1),), ((51, 1),), ((52, 1),)])),
            )
        )
    client = draw(_rarely(st.integers(100, 102), NO_CLIENT))
    named_staff = draw(_rarely(st.sampled_from(staff_ids), None))
    named_room = draw(_rarely(st.sampled_from([None, *(r.room_id for r in rooms)]), None))
    legs = []
    for _ in range(draw(st.integers(1, 2))):
        needs_room = bool(rooms) and draw(st.booleans())
        legs.append(
            LegNeed(
                client_id=client,  # type: ignore[arg-type]
                service_id=draw(st.integers(1, 2)),
                service_name="",
                duration_minutes=draw(st.integers(1, 18)) * 5 + draw(st.sampled_from([0, 0, 2])),
                buffer_minutes=draw(st.sampled_from([0, 5, 15])),
                needs_room=needs_room,
                places=draw(_rarely(st.just(2), 1)) if needs_room else 1,  # type: ignore[arg-type]
                rooms=tuple(r for r in rooms if named_room in (None, r.room_id))
                if needs_room
                else (),
                equipment=draw(
                    st.sampled_from(
                        [(), (), (EquipmentNeed(50, 1, "steamer"),), (EquipmentNeed(51, 1),)]
                    )
                ),
                staff_ids=staff_ids if named_staff is None else (named_staff,),  # type: ignore[arg-type]
                staff_named=named_staff is not None,
            )
        )
    from_minute = draw(st.sampled_from([0, 0, 9 * 60, 13 * 60 + 30]))
    search = SlotSearch(
        tuple(legs),
        weekdays=draw(_rarely(st.sampled_from([frozenset({0}), frozenset({1, 2})]), frozenset())),  # type: ignore[arg-type]
        from_minute=from_minute,
        to_minute=draw(st.sampled_from([24 * 60, 24 * 60, 17 * 60, from_minute + 120])),
        step_minutes=draw(st.sampled_from([5, 15, 30, 60])),
        not_before=draw(_rarely(st.just(at(MONDAY, 11 * 60 + 7)), None)),  # type: ignore[arg-type]
    )
    shop = SlotFacts(
        ZONE,
        tuple(sorted({d for _s, d in table})),
        days_of(table, qualified),
        tuple(appts),
        equipment,
    )
    return shop, search


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([1, 3, 1000]))
def test_the_search_finds_exactly_what_the_rules_accept_in_order(
    scenario: tuple[SlotFacts, SlotSearch], limit: int
) -> None:
    shop, search = scenario
    found = find_slots(shop, search, limit)
    assert all(accepted_leg_by_leg(shop, search, slot) for slot in found)
    assert list(found) == brute_force(shop, search, limit)
