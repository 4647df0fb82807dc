"""The calendar benchmark's database, built small: every calendar rule holds in it (so the
benchmarks time real checks on consistent data), its times are right across a DST change, and
the app reads and books on it; on SQLite and, when a server is set up, on PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from benchmarks.calendar_db import (
    CLOSES,
    FACIAL,
    FIRST_THERAPIST,
    OPENS,
    SERVICES,
    STEAMERS,
    ZONE_NAME,
    Layout,
    build_calendar,
)
from db.engine import make_engine
from db.models import Appointment, AppointmentResource, SaleLine, Service
from frontdesk.domain.appointments import LIVE_STATUS_VALUES
from frontdesk.domain.errors import DomainError
from frontdesk.domain.roles import Role
from frontdesk.services.auth import SignedIn
from frontdesk.services.booking import BookingDraft, BookingService
from frontdesk.services.calendar import CalendarService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork

LONDON = ZoneInfo(ZONE_NAME)
#: Built around the spring change: the days run 2026-03-27 .. 2026-03-31.
TODAY = date(2026, 3, 29)
SMALL = Layout(therapists=4, per_day=25, days_back=2, days_ahead=2, customers=101)
DESK = SignedIn(3, "Rita Reception", Role.RECEPTIONIST)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'calendar.sqlite3'}", create=True)
        yield made
        made.dispose()
    else:
        pg: Engine = request.getfixturevalue("pg_engine")
        yield pg


@pytest.fixture
def built(engine: Engine) -> UnitOfWork:
    summary = build_calendar(engine, layout=SMALL, today=TODAY)
    assert summary.appointments == 4 * 25 * 5
    assert (summary.first_day, summary.last_day) == (date(2026, 3, 27), date(2026, 3, 31))
    return UnitOfWork(engine)


def _local(instant: datetime) -> datetime:
    return (instant if instant.tzinfo else instant.replace(tzinfo=UTC)).astimezone(LONDON)


def test_every_rule_holds_in_the_built_calendar(built: UnitOfWork) -> None:
    with built.read() as session:
        buffers = dict(session.execute(select(Service.id, Service.buffer_minutes)).tuples().all())
        rows = session.execute(
            select(
                Appointment.id,
                Appointment.staff_id,
                Appointment.customer_id,
                Appointment.room_id,
                Appointment.service_id,
                Appointment.starts_at,
                Appointment.ends_at,
            ).where(Appointment.status.in_(LIVE_STATUS_VALUES))
        ).all()
        steamed = set(session.scalars(select(AppointmentResource.appointment_id)))
        paid = session.scalar(select(func.count()).select_from(SaleLine))
        completed = session.scalar(select(func.count()).where(Appointment.status == "completed"))
    assert rows
    assert paid == completed  # every completed appointment was paid
    held = defaultdict(list)  # (who, id) -> [(start, held until)]
    for _id, staff, client, room, service, starts, ends in rows:
        until = ends + timedelta(minutes=buffers[service])
        held[("staff", staff)].append((starts, until))
        held[("client", client)].append((starts, ends))
        if room is not None:
            held[("room", room)].append((starts, until))
            assert room == staff - FIRST_THERAPIST + 1  # therapist t works in room t
        local_start, local_until = _local(starts), _local(until)
        assert local_start.hour * 60 + local_start.minute >= OPENS
        assert local_until.hour * 60 + local_until.minute <= CLOSES
    for spans in held.values():  # no one and nothing in two places; rooms hold one
        spans.sort()
        for (_a_start, a_end), (b_start, _b_end) in pairwise(spans):
            assert a_end <= b_start
    facials = [(r[5], r[6]) for r in rows if r[4] == FACIAL]
    assert {r[0] for r in rows if r[4] == FACIAL} <= steamed
    for starts, ends in facials:
        at_once = sum(1 for s, e in facials if s < ends and starts < e)
        assert at_once <= STEAMERS


def test_local_times_stay_on_the_half_hour_across_the_clock_change(built: UnitOfWork) -> None:
    calendar = CalendarService(built, FixedClock(datetime(2026, 3, 29, 12, tzinfo=UTC)))
    for day in (date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)):
        schedule = calendar.day(day, DESK)
        assert len(schedule.appointments) == 4 * 25
        starts = sorted({a.starts.strftime("%H:%M") for a in schedule.appointments})
        assert starts[0] == "08:00"
        assert starts[-1] == "20:00"
        assert len(starts) == 25
        assert all(a.starts.date() == day for a in schedule.appointments)


def test_the_last_half_hour_is_free_to_book(built: UnitOfWork) -> None:
    clock = FixedClock(datetime(2026, 3, 29, 12, tzinfo=UTC))
    booking = BookingService(built, clock, ShopService(built, clock))
    massage = 1
    assert SERVICES[massage - 1][2] + SERVICES[massage - 1][3] == 30
    staff = FIRST_THERAPIST + 2
    late = datetime(2026, 3, 30, 20, 30, tzinfo=LONDON)
    appointment_id = booking.book(BookingDraft(50, massage, staff, late), DESK)
    assert appointment_id > 4 * 25 * 5
    with pytest.raises(DomainError):  # the day is full before then
        booking.book(BookingDraft(51, massage, staff, late - timedelta(hours=1)), DESK)
