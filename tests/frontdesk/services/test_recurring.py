"""Recurring appointments through the service: a per-date report before anything is saved, then
all the repeats booked in one go with their series (or nothing), audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.models import (
    Appointment,
    AppointmentSeries,
    AuditEntry,
    Service,
    StaffAbsence,
    WorkingHours,
)
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.recurring import RecurringService
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)  # Anna's 10:00 Deep Tissue with Tom (Mondays 09:00-18:00)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _service(db: UnitOfWork, clock: FixedClock) -> RecurringService:
    return RecurringService(db, clock, ShopService(db, clock))


@pytest.fixture
def desk(backend_shop: SeededShop) -> SignedIn:
    return SignedIn(backend_shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)


def _book(db: UnitOfWork, shop: SeededShop, client_id: int, starts: datetime) -> int:
    with db.write() as s:
        deep = s.scalars(select(Service).where(Service.name == "Deep Tissue Massage")).one()
        appt = Appointment(
            customer_id=client_id,
            staff_id=shop.therapist_id,
            service_id=deep.id,
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(minutes=60)).astimezone(UTC),
            price_minor=8500,
        )
        s.add(appt)
        s.flush()
        return appt.id


def _count(db: UnitOfWork) -> tuple[int, int]:
    with db.read() as s:
        appts = s.scalar(select(func.count()).select_from(Appointment)) or 0
        series = s.scalar(select(func.count()).select_from(AppointmentSeries)) or 0
        return appts, series


def test_the_preview_reports_each_date_and_saves_nothing(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    week2 = MONDAY + timedelta(weeks=2)
    _book(backend_db, backend_shop, backend_shop.boris_id, at(week2, 10, 30))
    with backend_db.write() as s:
        s.add(
            StaffAbsence(
                staff_id=backend_shop.therapist_id,
                first_day=MONDAY + timedelta(weeks=3),
                last_day=MONDAY + timedelta(weeks=3),
                kind="holiday",
            )
        )
    before = _count(backend_db)
    found = _service(backend_db, clock).preview(
        backend_shop.morning_appt_id, 1, count=5, viewer=desk
    )
    assert [o.starts for o in found] == [at(MONDAY + timedelta(weeks=n), 10) for n in (1, 2, 3, 4)]
    assert [o.ends for o in found] == [at(MONDAY + timedelta(weeks=n), 11) for n in (1, 2, 3, 4)]
    problems = [o.problem for o in found]
    assert problems[0] is None
    assert problems[3] is None
    busy = problems[1]
    assert busy is not None
    assert busy.text == "The therapist already has an appointment then: {start}-{end} {service}."
    assert busy.params["start"] == at(week2, 10, 30)
    assert busy.params["service"] == "Deep Tissue Massage"
    away = problems[2]
    assert away is not None
    assert away.message == "The therapist is away on that day."
    assert _count(backend_db) == before


def test_create_books_every_date_in_one_series_and_audits_it(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    ids = _service(backend_db, clock).create(
        backend_shop.morning_appt_id,
        2,
        until=MONDAY + timedelta(weeks=6),
        skip_conflicts=False,
        by=desk,
    )
    assert len(ids) == 3
    with backend_db.read() as s:
        series = s.scalars(select(AppointmentSeries)).one()
        assert (series.every_weeks, series.until_day, series.occurrences) == (
            2,
            MONDAY + timedelta(weeks=6),
            None,
        )
        rows = s.scalars(
            select(Appointment)
            .where(Appointment.series_id == series.id)
            .order_by(Appointment.starts_at)
        ).all()
        assert [r.id for r in rows] == [backend_shop.morning_appt_id, *ids]
        assert [r.starts_at.astimezone(LONDON) for r in rows] == [
            at(MONDAY + timedelta(weeks=n), 10) for n in (0, 2, 4, 6)
        ]
        assert {(r.customer_id, r.staff_id, r.status) for r in rows} == {
            (backend_shop.anna_id, backend_shop.therapist_id, "booked")
        }
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "appointment.series_created")
        ).one()
        assert (audit.entity_id, audit.staff_id) == (series.id, desk.staff_id)
        assert "Anna" not in audit.detail


def test_a_clash_books_nothing_unless_the_clashing_dates_are_skipped(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    in_the_way = _book(
        backend_db, backend_shop, backend_shop.wang_id, at(MONDAY + timedelta(weeks=2), 9, 30)
    )
    service = _service(backend_db, clock)
    before = _count(backend_db)
    with pytest.raises(DomainError) as refused:
        service.create(backend_shop.morning_appt_id, 1, count=4, skip_conflicts=False, by=desk)
    assert refused.value.params["appointment_id"] == in_the_way
    assert _count(backend_db) == before

    ids = service.create(backend_shop.morning_appt_id, 1, count=4, skip_conflicts=True, by=desk)
    assert len(ids) == 2
    with backend_db.read() as s:
        starts = [
            s.get(Appointment, i).starts_at.astimezone(LONDON)  # type: ignore[union-attr]
            for i in ids
        ]
    assert starts == [at(MONDAY + timedelta(weeks=1), 10), at(MONDAY + timedelta(weeks=3), 10)]
    assert _count(backend_db) == (before[0] + 2, 1)
    with pytest.raises(DomainError, match="already repeats"):
        service.preview(backend_shop.morning_appt_id, 1, count=3, viewer=desk)


def test_ten_oclock_stays_ten_oclock_when_the_clocks_go_back(
    backend_db: UnitOfWork, backend_shop: SeededShop, desk: SignedIn
) -> None:
    clock = FixedClock(datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    first = _book(backend_db, backend_shop, backend_shop.boris_id, at(date(2026, 10, 19), 10))
    service = _service(backend_db, clock)
    found = service.preview(first, 1, count=3, viewer=desk)
    assert [(o.starts.hour, o.problem) for o in found] == [(10, None), (10, None)]
    ids = service.create(first, 1, count=3, skip_conflicts=False, by=desk)
    with backend_db.read() as s:
        stored = [s.get(Appointment, i).starts_at.astimezone(UTC) for i in ids]  # type: ignore[union-attr]
    # 10:00 BST is 09:00 UTC; after 25 October 10:00 GMT is 10:00 UTC.
    assert [t.hour for t in stored] == [10, 10]
    assert [t.astimezone(LONDON).hour for t in stored] == [10, 10]


def test_bad_rules_are_refused_at_their_fields(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, desk: SignedIn
) -> None:
    service = _service(backend_db, clock)
    with pytest.raises(FormErrors) as refused:
        service.preview(
            backend_shop.morning_appt_id, 0, until=MONDAY - timedelta(days=1), viewer=desk
        )
    assert set(refused.value.errors) == {"every_weeks", "repeat_until"}
    with pytest.raises(FormErrors) as both:
        service.create(
            backend_shop.morning_appt_id,
            1,
            until=MONDAY + timedelta(weeks=3),
            count=3,
            skip_conflicts=True,
            by=desk,
        )
    assert set(both.value.errors) == {"repeat_count"}
    assert _count(backend_db)[1] == 0


def test_a_past_date_and_a_day_off_are_reported_not_booked(
    backend_db: UnitOfWork, backend_shop: SeededShop, desk: SignedIn
) -> None:
    # Repeating last month's appointment: the dates already gone are refused, the rest free.
    clock = FixedClock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    old = _book(backend_db, backend_shop, backend_shop.boris_id, at(date(2026, 11, 9), 14))
    with backend_db.write() as s:
        s.execute(
            WorkingHours.__table__.delete().where(  # type: ignore[attr-defined]
                WorkingHours.staff_id == backend_shop.therapist_id
            )
        )
        s.add(
            WorkingHours(
                staff_id=backend_shop.therapist_id,
                weekday=0,
                start_minute=9 * 60,
                end_minute=13 * 60,
            )
        )
    found = _service(backend_db, clock).preview(old, 1, count=3, viewer=desk)
    assert [o.problem.message if o.problem else None for o in found] == [
        "That time has already passed.",
        "That time is outside the therapist's working hours.",
    ]


def test_only_the_desk_may_repeat(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    therapist = SignedIn(backend_shop.therapist_id, "Tom", Role.THERAPIST)
    with pytest.raises(NotPermitted):
        _service(backend_db, clock).preview(
            backend_shop.morning_appt_id, 1, count=3, viewer=therapist
        )


def test_ten_oclock_stays_ten_oclock_when_the_clocks_go_forward(
    backend_db: UnitOfWork, backend_shop: SeededShop, desk: SignedIn
) -> None:
    clock = FixedClock(datetime(2027, 3, 1, 8, 0, tzinfo=UTC))
    first = _book(backend_db, backend_shop, backend_shop.boris_id, at(date(2027, 3, 22), 10))
    ids = _service(backend_db, clock).create(first, 1, count=2, skip_conflicts=False, by=desk)
    with backend_db.read() as s:
        (appt,) = (s.get(Appointment, i) for i in ids)
        assert appt is not None
        # 28 March 2027: 10:00 BST is 09:00 UTC.
        assert appt.starts_at.astimezone(UTC) == datetime(2027, 3, 29, 9, 0, tzinfo=UTC)
        assert appt.ends_at.astimezone(LONDON) == at(date(2027, 3, 29), 11)
