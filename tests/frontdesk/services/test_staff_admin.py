"""The back office's staff use cases: people, PINs, weeks, absences and archiving."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.first_look import look
from db.models import Appointment, AuditEntry, Staff, WorkingHours
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Role
from frontdesk.domain.staff_rules import AbsenceDraft
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.calendar import CalendarService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.staff_admin import HasFutureAppointments, StaffAdminService, StaffDraft
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import SeededShop

MONDAY = NOW.date()  # NOW is a Monday


def _service(database: UnitOfWork, clock: FixedClock) -> StaffAdminService:
    return StaffAdminService(database, clock, ShopService(database, clock))


def _owner(shop: SeededShop) -> SignedIn:
    return SignedIn(shop.owner_id, "Olivia Owner", Role.OWNER)


def _actions(database: UnitOfWork) -> list[str]:
    with database.read() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_new_therapist_works_the_hours_set_and_signs_in_only_once_given_a_pin(
    backend_db: UnitOfWork, clock: FixedClock, backend_shop: SeededShop
) -> None:
    staff = _service(backend_db, clock)
    auth = AuthService(backend_db, clock)
    draft = StaffDraft(
        "Nina Novak",
        Role.THERAPIST,
        "#AA3366",
        hours=((0, 9 * 60, 13 * 60), (0, 14 * 60, 19 * 60), (2, 10 * 60, 16 * 60)),
        breaks=((0, 11 * 60, 11 * 60 + 15),),
        commissions=((1, 1250),),
    )
    nina = staff.save(draft, _owner(backend_shop))
    record = staff.get(nina, _owner(backend_shop))
    assert record.draft.hours == draft.hours
    assert record.draft.color == "#aa3366"
    assert not record.has_pin
    assert nina not in {c.id for c in auth.staff_for_sign_in()}
    with pytest.raises(DomainError, match="no PIN yet"):
        auth.sign_in(nina, "")

    column = next(
        t
        for t in CalendarService(backend_db, clock).day(MONDAY, _owner(backend_shop)).therapists
        if t.id == nina
    )
    assert column.hours == ((540, 780), (840, 1140))
    assert column.breaks == ((660, 675),)

    staff.set_pin(nina, "24680", "24680", _owner(backend_shop))
    assert auth.sign_in(nina, "24680").name == "Nina Novak"
    assert _actions(backend_db)[:2] == ["staff.created", "staff.pin_set"]


def test_bad_input_names_every_field_and_saves_nothing(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    staff = _service(database, clock)
    with database.read() as s:
        before = s.scalar(select(func.count(Staff.id)))
    with pytest.raises(FormErrors) as refused:
        staff.save(
            StaffDraft(
                "  ",
                hours=((0, 540, 800), (0, 780, 1000)),
                breaks=((1, 600, 660),),
                commissions=((1, 10_050),),
            ),
            _owner(shop),
        )
    assert set(refused.value.errors) == {"name", "hours_0", "breaks_1", "commission_1"}
    with pytest.raises(FormErrors) as too_long:
        staff.save(StaffDraft("N" * 81), _owner(shop))
    assert set(too_long.value.errors) == {"name"}
    with database.read() as s:
        assert s.scalar(select(func.count(Staff.id))) == before
    assert _actions(database) == []


def test_editing_replaces_the_week_and_keeps_one_row_per_span(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    staff = _service(database, clock)
    staff.save(
        StaffDraft("Tom Therapist", hours=((1, 600, 900),), qualified_service_ids=(1,)),
        _owner(shop),
        shop.therapist_id,
    )
    record = staff.get(shop.therapist_id, _owner(shop))
    assert record.draft.hours == ((1, 600, 900),)
    assert record.draft.qualified_service_ids == (1,)
    with database.read() as s:
        assert s.scalar(select(func.count()).where(WorkingHours.staff_id == shop.therapist_id)) == 1


def test_a_pin_must_be_4_to_8_digits_and_typed_twice_alike(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    staff = _service(database, clock)
    for pin, again, field in (("12", "12", "pin"), ("1234", "4321", "pin_again")):
        with pytest.raises(FormErrors) as refused:
            staff.set_pin(shop.therapist_id, pin, again, _owner(shop))
        assert set(refused.value.errors) == {field}
    assert _actions(database) == []


def test_a_manager_runs_staff_but_may_not_touch_an_owner(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    staff = _service(database, clock)
    manager_id = staff.save(StaffDraft("Mia Manager", Role.MANAGER), _owner(shop))
    manager = SignedIn(manager_id, "Mia Manager", Role.MANAGER)
    new = staff.save(StaffDraft("Paul", Role.THERAPIST), manager)
    staff.set_pin(new, "1111", "1111", manager)
    with pytest.raises(NotPermitted):
        staff.save(StaffDraft("Second Owner", Role.OWNER), manager)
    with pytest.raises(NotPermitted):
        staff.save(StaffDraft("Olivia Renamed", Role.OWNER), manager, shop.owner_id)
    with pytest.raises(NotPermitted):
        staff.save(StaffDraft("Paul", Role.OWNER), manager, new)  # no promoting to owner
    with pytest.raises(NotPermitted):
        staff.set_pin(shop.owner_id, "9999", "9999", manager)
    with pytest.raises(NotPermitted):
        staff.set_active(shop.owner_id, False, manager)
    with pytest.raises(NotPermitted):
        AuthService(database, clock).set_pin(shop.owner_id, "9999", "9999", manager)
    receptionist = SignedIn(shop.receptionist_id, "Rita", Role.RECEPTIONIST)
    with pytest.raises(NotPermitted):
        staff.save(StaffDraft("Eve"), receptionist)


def test_archiving_with_appointments_ahead_is_refused_with_their_list(
    backend_db: UnitOfWork, clock: FixedClock, backend_shop: SeededShop
) -> None:
    staff = _service(backend_db, clock)
    owner = _owner(backend_shop)
    # Uma has 王芳's facial at 14:00 today (local: Europe/London, NOW is 10:00 UTC).
    with pytest.raises(HasFutureAppointments) as refused:
        staff.set_active(backend_shop.therapist2_id, False, owner)
    (ahead,) = refused.value.appointments
    assert ahead.client_name == "王芳" or "芳" in ahead.client_name
    assert ahead.service_name == "Hot Stone Facial"
    assert (ahead.starts.hour, ahead.starts.minute) == (14, 0)
    assert "Uma Therapist still has appointments ahead" in refused.value.message
    assert staff.get(backend_shop.therapist2_id, owner).active

    with backend_db.write() as s:
        s.get(Appointment, backend_shop.afternoon_appt_id).status = "cancelled"  # type: ignore[union-attr]
    staff.set_active(backend_shop.therapist2_id, False, owner)
    assert not staff.get(backend_shop.therapist2_id, owner).active
    assert backend_shop.therapist2_id not in {
        c.id for c in AuthService(backend_db, clock).staff_for_sign_in()
    }
    staff.set_active(backend_shop.therapist2_id, True, owner)
    assert _actions(backend_db)[-2:] == ["staff.archived", "staff.restored"]


def test_past_appointments_do_not_block_archiving(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    staff = _service(database, clock)
    clock.instant = NOW + timedelta(days=1)
    staff.set_active(shop.therapist2_id, False, _owner(shop))
    assert not staff.get(shop.therapist2_id, _owner(shop)).active


def test_the_last_owner_and_oneself_cannot_be_archived(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    staff = _service(database, clock)
    with pytest.raises(DomainError, match="yourself"):
        staff.set_active(shop.owner_id, False, _owner(shop))
    with pytest.raises(DomainError, match="at least one active owner"):
        staff.save(StaffDraft("Olivia Owner", Role.MANAGER), _owner(shop), shop.owner_id)


def test_an_absence_takes_the_therapist_off_the_calendar_for_those_days(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    staff = _service(database, clock)
    calendar = CalendarService(database, clock)
    owner = _owner(shop)

    def tom(day: date) -> tuple[tuple[int, int], ...]:
        return next(
            t for t in calendar.day(day, owner).therapists if t.id == shop.therapist_id
        ).hours

    next_monday = MONDAY + timedelta(days=7)
    assert tom(next_monday) == ((540, 1080),)
    absence = staff.add_absence(
        shop.therapist_id, AbsenceDraft(next_monday, next_monday, "sick", "flu"), owner
    )
    assert tom(next_monday) == ()
    assert tom(MONDAY) == ((540, 1080),)
    assert staff.get(shop.therapist_id, owner).absences[0].note == "flu"
    with pytest.raises(FormErrors) as refused:
        staff.add_absence(shop.therapist_id, AbsenceDraft(next_monday, MONDAY, "holiday"), owner)
    assert set(refused.value.errors) == {"absence_last"}
    staff.remove_absence(absence, owner)
    assert tom(next_monday) == ((540, 1080),)
    assert _actions(database) == ["staff.absence_added", "staff.absence_removed"]


def test_service_choices_group_active_services_by_category(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    (massage,) = _service(database, clock).service_choices(_owner(shop))
    assert massage.name == "Massage"
    assert [s.name for s in massage.services] == ["Deep Tissue Massage", "Hot Stone Facial"]


def test_a_person_without_a_pin_is_not_offered_by_either_sign_in_list(
    database: UnitOfWork, db_path: Path, clock: FixedClock, shop: SeededShop
) -> None:
    nina = _service(database, clock).save(StaffDraft("Nina Novak"), _owner(shop))
    seen = look(db_path)  # the first window's quick read, before the program has loaded
    assert seen is not None
    offered = {row.id for row in seen.staff}
    assert shop.therapist_id in offered
    assert nina not in offered
    assert nina not in {c.id for c in AuthService(database, clock).staff_for_sign_in()}
