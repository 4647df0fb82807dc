"""Equipment, capacity over time, overridable rules, "anyone qualified", sequences and groups."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.booking import (
    Busy,
    EquipmentFree,
    EquipmentNeed,
    LegNeed,
    RoomFree,
    StaffDay,
    Wanted,
    add_minutes,
    check_booking,
    choose_equipment,
    choose_room,
    plan_booking,
)
from frontdesk.domain.errors import DomainError, RuleBroken, ValidationError

MONDAY = datetime(2026, 11, 23)
DAY = StaffDay(working=((9 * 60, 18 * 60),))


def at(hour: int, minute: int = 0) -> datetime:
    return MONDAY.replace(hour=hour, minute=minute)


def day_of(_staff: int, _service: int, _day: date) -> StaffDay:
    return DAY


def test_calendar_rules_are_overridable_and_impossible_times_are_not() -> None:
    with pytest.raises(RuleBroken):
        check_booking(Wanted(1, 1, at(8), 60), DAY, [], [])
    with pytest.raises(ValidationError) as caught:
        check_booking(Wanted(1, 1, at(10), 0), DAY, [], [])
    assert not isinstance(caught.value, RuleBroken)


def test_a_room_counts_places_at_each_moment_not_all_day() -> None:
    # Capacity 2: one at 10:00-10:30, one at 11:00-11:30; 10:00-11:30 still fits.
    taken = [Busy(1, 8, 8, 1, at(10), at(10, 30)), Busy(2, 9, 9, 1, at(11), at(11, 30))]
    want = Wanted(1, 1, at(10), 90, needs_room=True)
    assert choose_room(want, [RoomFree(1, 2)], taken) == 1
    with pytest.raises(RuleBroken) as caught:
        choose_room(want, [RoomFree(1, 1)], taken)
    assert caught.value.field == "room"
    assert caught.value.params["appointment_id"] == 1


def test_the_appointment_being_moved_is_not_in_its_own_way() -> None:
    own = Busy(5, 1, 1, 1, at(10), at(11), places=1)
    want = Wanted(1, 1, at(10, 30), 60, needs_room=True, appointment_id=5)
    assert check_booking(want, DAY, [own], [RoomFree(1, 1)]) == 1


def test_equipment_is_held_up_to_its_quantity_then_refused_naming_the_holder() -> None:
    machines = [EquipmentFree(1, 2, "steamer"), EquipmentFree(2, 1, "steamer")]
    need = (EquipmentNeed(1, 1, "steamer"),)
    want = Wanted(1, 1, at(10), 60, equipment=need)
    one = Busy(7, 2, 2, None, at(10), at(11), service_name="Facial", resources=((1, 1),))
    two = Busy(8, 3, 3, None, at(10), at(11), service_name="Facial", resources=((1, 1),))
    assert choose_equipment(want, machines, [one]) == ((1, 1),)
    # The named steamer is taken twice over: another of its kind is used.
    assert choose_equipment(want, machines, [one, two]) == ((2, 1),)
    three = Busy(9, 4, 4, None, at(10, 30), at(11), resources=((2, 1),))
    with pytest.raises(RuleBroken) as caught:
        choose_equipment(want, machines, [one, two, three])
    assert caught.value.field == "equipment"
    assert caught.value.params["appointment_id"] in {7, 8, 9}
    # After the cleanup, free again.
    later = Wanted(1, 1, at(11), 60, equipment=need)
    assert choose_equipment(later, machines, [one, two, three]) == ((1, 1),)
    # Chosen by hand.
    assert choose_equipment(want, machines, [], chosen=[2]) == ((2, 1),)
    with pytest.raises(RuleBroken):
        choose_equipment(Wanted(1, 1, at(10), 60, equipment=((EquipmentNeed(1, 3),))), machines, [])


def leg(client: int, staff: tuple[int, ...], **kw: object) -> LegNeed:
    values: dict[str, object] = {
        "service_id": 1,
        "service_name": "Massage",
        "duration_minutes": 60,
        "buffer_minutes": 15,
        **kw,
    }
    return LegNeed(client, staff_ids=staff, **values)  # type: ignore[arg-type]


def test_anyone_qualified_takes_the_first_free_in_order() -> None:
    taken = [Busy(1, 10, 9, None, at(10), at(11))]
    plans = plan_booking([[leg(1, (10, 11, 12), staff_named=False)]], at(10), day_of, taken)
    assert plans[0].staff_id == 11
    assert plans[0].problem is None
    none_free = plan_booking([[leg(1, (10,), staff_named=False)]], at(10), day_of, taken)
    assert isinstance(none_free[0].problem, RuleBroken)


def test_a_sequence_runs_leg_after_leg_and_the_same_therapist_cleans_up_first() -> None:
    legs = [leg(1, (10,)), leg(1, (10,), service_id=2), leg(1, (11,), service_id=3)]
    plans = plan_booking([legs], at(10), day_of, [])
    assert [p.problem for p in plans] == [None, None, None]
    assert [(p.starts, p.ends) for p in plans] == [
        (at(10), at(11)),
        (at(11, 15), at(12, 15)),  # same therapist: after the cleanup
        (at(12, 15), at(13, 15)),  # another therapist: straight on
    ]


def test_a_couples_room_takes_two_clients_with_two_therapists_and_a_third_is_refused() -> None:
    couples = (RoomFree(5, 2),)
    legs = [
        [leg(client, (10, 11), staff_named=False, needs_room=True, rooms=couples)]
        for client in (1, 2)
    ]
    plans = plan_booking(legs, at(10), day_of, [], group=True)
    assert [(p.staff_id, p.room_id, p.problem) for p in plans] == [(10, 5, None), (11, 5, None)]
    three = [*legs, [leg(3, (10, 11, 12), staff_named=False, needs_room=True, rooms=couples)]]
    plans = plan_booking(three, at(10), day_of, [], group=True)
    assert isinstance(plans[2].problem, RuleBroken)


def test_a_sauna_group_shares_one_attendant_and_room_up_to_its_capacity() -> None:
    sauna = (RoomFree(6, 6),)
    group = [[leg(c, (10,), needs_room=True, rooms=sauna)] for c in range(1, 7)]
    plans = plan_booking(group, at(10), day_of, [], group=True)
    assert all(p.problem is None and p.room_id == 6 and p.staff_id == 10 for p in plans)
    seventh = plan_booking(
        [*group, [leg(7, (10,), needs_room=True, rooms=sauna)]], at(10), day_of, [], group=True
    )
    assert isinstance(seventh[6].problem, DomainError)
    # Outside one group booking the attendant is in two places: refused.
    alone = plan_booking(
        [[leg(1, (10,), needs_room=True, rooms=sauna)]],
        at(10),
        day_of,
        [Busy(3, 10, 2, 6, at(10), at(11), service_id=1)],
    )
    assert alone[0].problem is not None
    assert alone[0].problem.params["appointment_id"] == 3


def test_lengths_are_real_minutes_across_a_clock_change() -> None:
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 3, 29, 0, 30, tzinfo=london)  # clocks go forward at 01:00
    assert add_minutes(start, 60).hour == 2
    assert add_minutes(start, 60).minute == 30
    assert add_minutes(start, 60) - start == timedelta(hours=2)  # wall-clock difference
