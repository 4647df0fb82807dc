"""The waitlist through the service: who waits for what, refused input at its field, expired
entries dropping out, and a cancellation showing the waiting client the freed time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from db.models import Appointment, AuditEntry, Service, WaitlistEntry
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.services.waitlist import WaitlistDraft, WaitlistService
from tests.seed import SeededShop

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)  # today; Tom works Mondays 09:00-18:00
NEXT_MONDAY = MONDAY + timedelta(weeks=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _waitlist(db: UnitOfWork, clock: FixedClock) -> WaitlistService:
    return WaitlistService(db, clock, ShopService(db, clock))


def _deep(db: UnitOfWork) -> int:
    with db.read() as s:
        return int(s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one())


@pytest.fixture
def desk(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)


def _block_tom(db: UnitOfWork, shop: SeededShop, starts: datetime) -> int:
    with db.write() as s:
        appt = Appointment(
            customer_id=shop.wang_id,
            staff_id=shop.therapist_id,
            service_id=_deep(db),
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(minutes=60)).astimezone(UTC),
            price_minor=8500,
        )
        s.add(appt)
        s.flush()
        return appt.id


def test_a_cancellation_shows_the_waiting_client_the_freed_time(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    blocking = _block_tom(backend_db, backend_shop, at(NEXT_MONDAY, 9, 30))
    waitlist = _waitlist(backend_db, clock)
    entry_id = waitlist.add(
        WaitlistDraft(
            client_id=backend_shop.boris_id,
            service_id=_deep(backend_db),
            staff_id=backend_shop.therapist_id,
            first_day=NEXT_MONDAY,
            last_day=NEXT_MONDAY + timedelta(days=3),
            from_minute=10 * 60,
            to_minute=10 * 60 + 30,
            note="Prefers mornings",
        ),
        desk,
    )
    (entry,) = waitlist.entries(desk)
    assert (entry.id, entry.client_name, entry.service_name, entry.staff_name) == (
        entry_id,
        "Борис Иванов",
        "Deep Tissue Massage",
        "Tom Therapist",
    )
    assert entry.note == "Prefers mornings"
    assert entry.matches == ()  # Tom is busy (and cleaning up) until 10:45

    with backend_db.write() as s:
        s.execute(update(Appointment).where(Appointment.id == blocking).values(status="cancelled"))
    (entry,) = waitlist.entries(desk)
    assert [m.starts for m in entry.matches] == [at(NEXT_MONDAY, 10, 0)]
    (leg,) = entry.matches[0].legs
    assert (leg.staff_name, leg.client_id, leg.ends) == (
        "Tom Therapist",
        backend_shop.boris_id,
        at(NEXT_MONDAY, 11, 0),
    )


def test_anyone_weekdays_and_only_from_now_on(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    waitlist = _waitlist(backend_db, clock)
    deep = _deep(backend_db)
    # Today from 10:00 (now): Tom has Anna until 11:00 and cleans up until 11:15.
    waitlist.add(
        WaitlistDraft(backend_shop.wang_id, deep, MONDAY, MONDAY + timedelta(weeks=2)), desk
    )
    # Tuesdays only: nobody works Tuesdays.
    waitlist.add(
        WaitlistDraft(
            backend_shop.anna_id,
            deep,
            MONDAY,
            MONDAY + timedelta(weeks=2),
            weekdays=frozenset({1}),
        ),
        desk,
    )
    anyone, tuesdays = waitlist.entries(desk)
    assert anyone.staff_name == ""
    # The first free start of each day and therapist (Tom; Uma works no day at all).
    assert [m.starts for m in anyone.matches] == [at(MONDAY, 11, 15), at(NEXT_MONDAY, 9, 0)]
    assert {m.legs[0].staff_name for m in anyone.matches} == {"Tom Therapist"}
    assert tuesdays.weekdays == frozenset({1})
    assert tuesdays.matches == ()
    assert waitlist.entries(desk, matches_per_entry=0)[0].matches == ()


def test_bad_input_is_refused_at_every_field_and_nothing_is_saved(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    waitlist = _waitlist(backend_db, clock)
    with pytest.raises(FormErrors) as refused:
        waitlist.add(
            WaitlistDraft(
                client_id=None,
                service_id=None,
                first_day=MONDAY,
                last_day=MONDAY - timedelta(days=1),
                from_minute=12 * 60,
                to_minute=9 * 60,
                note="x" * 201,
            ),
            desk,
        )
    assert set(refused.value.errors) == {
        "client",
        "service",
        "waitlist_last_day",
        "waitlist_to",
        "waitlist_note",
    }
    with pytest.raises(FormErrors) as past:
        waitlist.add(
            WaitlistDraft(
                backend_shop.anna_id,
                _deep(backend_db),
                MONDAY - timedelta(days=9),
                MONDAY - timedelta(days=2),
                staff_id=999_999,
            ),
            desk,
        )
    assert {k: e.message for k, e in past.value.errors.items()} == {
        "waitlist_last_day": "The last day has already passed.",
        "staff": "That therapist is archived or no longer exists.",
    }
    with backend_db.read() as s:
        assert s.scalars(select(WaitlistEntry)).all() == []


def test_remove_booked_and_expired_entries_drop_out(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    waitlist = _waitlist(backend_db, clock)
    deep = _deep(backend_db)
    first = waitlist.add(WaitlistDraft(backend_shop.anna_id, deep, MONDAY, MONDAY), desk)
    second = waitlist.add(WaitlistDraft(backend_shop.boris_id, deep, MONDAY, NEXT_MONDAY), desk)
    third = waitlist.add(WaitlistDraft(backend_shop.wang_id, deep, MONDAY, NEXT_MONDAY), desk)
    assert [e.id for e in waitlist.entries(desk)] == [first, second, third]

    waitlist.remove(second, desk)
    waitlist.mark_booked(third, backend_shop.morning_appt_id, desk)
    with pytest.raises(DomainError, match="no longer on the waitlist"):
        waitlist.remove(third, desk)
    assert [e.id for e in waitlist.entries(desk)] == [first]

    tomorrow = FixedClock(clock.now() + timedelta(days=1))
    assert _waitlist(backend_db, tomorrow).entries(desk) == ()
    with backend_db.read() as s:
        states = {e.id: e.state for e in s.scalars(select(WaitlistEntry))}
        assert states == {first: "waiting", second: "removed", third: "booked"}
        booked = s.get(WaitlistEntry, third)
        assert booked is not None
        assert booked.appointment_id == backend_shop.morning_appt_id
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "waitlist").order_by(AuditEntry.id)
        ).all()
        assert actions == [
            "waitlist.added",
            "waitlist.added",
            "waitlist.added",
            "waitlist.removed",
            "waitlist.booked",
        ]


def test_a_therapist_may_read_but_not_change_the_waitlist(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    therapist = SignedIn(backend_shop.therapist_id, "Tom", Role.THERAPIST)
    waitlist = _waitlist(backend_db, clock)
    assert waitlist.entries(therapist) == ()
    desk = SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)
    deep = _deep(backend_db)
    waitlist.add(WaitlistDraft(backend_shop.anna_id, deep, MONDAY, NEXT_MONDAY), desk)
    (seen,) = waitlist.entries(therapist)
    assert seen.client_name == "Anna Smith"
    assert seen.matches == ()  # finding and booking slots is the desk's
    with pytest.raises(NotPermitted):
        waitlist.add(
            WaitlistDraft(backend_shop.anna_id, _deep(backend_db), MONDAY, MONDAY), therapist
        )
