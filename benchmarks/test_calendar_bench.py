"""The calendar on a busy spa's year (benchmarks/calendar_db.py: 30 therapists x 25
appointments a day), each target beside the raw SQL it rests on, measured in the same run:

- the day view: read (CalendarService.day) and built and painted (30 columns x 25 blocks),
  beside the raw SELECT of the day's rows;
- switching days in the real CalendarArea (the next day read on the database worker, shown,
  painted), beside the raw SELECT of that day;
- the week view of one therapist, beside the raw SELECT of the week's rows;
- the next free slot: the first ten (found on the first day) and a search of all 60 days
  that finds nothing (an hour's massage fits in no one's day), beside the raw SELECT of the
  live appointments of one day and of the 60 days;
- booking one appointment with every check, beside a raw INSERT of the same row.

Nothing asserts a time; the summary prints median / p95 and the ratio to the floor.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from pytest_benchmark.fixture import BenchmarkFixture
from pytestqt.qtbot import QtBot

from benchmarks.calendar_db import (
    CLOSES,
    FIRST_THERAPIST,
    LONG_MASSAGE,
    SERVICES,
    ZONE_NAME,
)
from benchmarks.conftest import RESULTS, record
from benchmarks.test_search_bench import cpu_time_of, record_cpu
from db.engine import make_engine
from frontdesk.bootstrap import AppServices, build_services
from frontdesk.devices.scanner import FakeScanner
from frontdesk.domain.appointments import LIVE_STATUS_VALUES
from frontdesk.domain.roles import Role
from frontdesk.services.auth import SignedIn
from frontdesk.services.booking import BookingDraft, BookingRequest, LegRequest
from frontdesk.services.free_slots import SlotQuery
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.settings import Settings
from frontdesk.ui.calendar.area import CalendarArea
from frontdesk.ui.calendar.grid_layout import shown, staff_columns, week_columns
from frontdesk.ui.calendar.time_grid import TimeGrid
from frontdesk.ui.desk import Desk, open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor, ThreadPoolExecutor

ZONE = ZoneInfo(ZONE_NAME)
DESK = SignedIn(3, "Rita Reception", Role.RECEPTIONIST)
#: The day views and the booking use a day this far before the last day built (in the future).
DAY_BEFORE_END = 120
SLOT_DAYS = 60
WARMUP = 2
#: The window's size: a receptionist's full-HD screen.
SCREEN = (1920, 1080)
#: A 25-minute massage with 5 minutes' cleanup: fits the free half hour at the end of a day.
SHORT_MASSAGE = 1
FREE_MINUTE = CLOSES - 30


@dataclass(frozen=True)
class Calendar:
    path: Path
    first_day: date
    last_day: date

    @property
    def day(self) -> date:
        return self.last_day - timedelta(days=DAY_BEFORE_END)


@pytest.fixture(scope="session")
def calendar_db() -> Calendar:
    raw = os.environ.get("FRONTDESK_BENCH_CALENDAR_DB", "")
    if not raw or not Path(raw).exists():
        pytest.skip("set FRONTDESK_BENCH_CALENDAR_DB to the calendar benchmark's database")
    with sqlite3.connect(raw) as connection:
        first, last = connection.execute(
            "SELECT min(starts_at), max(starts_at) FROM appointments"
        ).fetchone()
    connection.close()

    def local_day(stored: str) -> date:
        return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(ZONE).date()

    return Calendar(Path(raw), local_day(first), local_day(last))


@pytest.fixture(scope="module")
def uow(calendar_db: Calendar) -> Iterator[UnitOfWork]:
    engine = make_engine(f"sqlite:///{calendar_db.path}")
    yield UnitOfWork(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def raw(calendar_db: Calendar) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(calendar_db.path, isolation_level=None)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def services(uow: UnitOfWork, tmp_path_factory: pytest.TempPathFactory) -> AppServices:
    return build_services(
        Settings(printer_kind="none"),
        uow,
        scanner=FakeScanner(),
        spool_dir=tmp_path_factory.mktemp("spool"),
    )


def measure(
    benchmark: BenchmarkFixture,
    name: str,
    work: Callable[[], Any],
    *,
    rounds: int = 30,
    setup: Callable[[], Any] | None = None,
) -> Any:
    """Run `work` `rounds` times (after two warm-up rounds), record its wall-clock time as
    `name` and its processor time (every thread of this process) as `name` + " cpu": the
    machine may be busy with other work, which inflates the first far more than the second."""
    cpu: list[float] = []
    result: list[Any] = []
    timed = cpu_time_of(lambda: result.append(work()), cpu)
    benchmark.pedantic(timed, setup=setup, rounds=rounds, iterations=1, warmup_rounds=WARMUP)
    pair, side = name.rsplit(":", 1)
    record(name, benchmark)
    record_cpu(f"{pair} cpu:{side}", cpu[WARMUP:])
    return result[-1]


def _stored(instant: datetime) -> str:
    """A UTC instant as the database stores it."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _bounds(first: date, days: int = 1) -> tuple[str, str]:
    start = datetime.combine(first, time.min, ZONE)
    end = datetime.combine(first + timedelta(days=days), time.min, ZONE)
    return _stored(start), _stored(end)


#: The rows of the day view: every fact a block shows (client, service and its category's
#: colour, room, therapist, times, status, price, allergy, paid, first visit, notes, booking,
#: series, late cancellation, places, cleanup), for the day's appointments.
DAY_SQL = """
SELECT a.id, a.staff_id, a.customer_id, c.first_name, c.last_name, s.name, r.name,
       a.starts_at, a.ends_at, a.status, a.price_minor, a.room_id, a.service_id, k.color,
       s.buffer_minutes, s.capacity_used, st.display_name, a.booking_id, a.series_id,
       a.late_cancel, a.notes,
       EXISTS (SELECT 1 FROM allergies x WHERE x.customer_id = a.customer_id),
       EXISTS (SELECT 1 FROM sale_lines l WHERE l.appointment_id = a.id),
       NOT EXISTS (SELECT 1 FROM appointments e WHERE e.customer_id = a.customer_id
                   AND e.status = 'completed' AND e.starts_at < a.starts_at)
FROM appointments a
JOIN customers c ON c.id = a.customer_id
JOIN services s ON s.id = a.service_id
JOIN service_categories k ON k.id = s.category_id
JOIN staff st ON st.id = a.staff_id
LEFT JOIN rooms r ON r.id = a.room_id
WHERE a.starts_at >= ? AND a.starts_at < ? {and_staff}
ORDER BY a.starts_at
"""
COLUMNS_SQL = (
    "SELECT s.id, s.display_name, s.color, h.start_minute, h.end_minute FROM staff s "
    "LEFT JOIN working_hours h ON h.staff_id = s.id AND h.weekday = ? "
    "WHERE s.active AND s.role = 'therapist' ORDER BY s.display_name"
)
_LIVE = ", ".join(f"'{status}'" for status in LIVE_STATUS_VALUES)
#: What a free-slot search must at least look at: the live appointments of its days.
BUSY_SQL = f"""
SELECT a.staff_id, a.room_id, a.customer_id, a.starts_at, a.ends_at, s.buffer_minutes
FROM appointments a JOIN services s ON s.id = a.service_id
WHERE a.status IN ({_LIVE}) AND a.starts_at >= ? AND a.starts_at < ?
"""


def raw_day(raw: sqlite3.Connection, day: date, staff_id: int | None = None) -> list[Any]:
    if staff_id is None:
        rows = raw.execute(DAY_SQL.format(and_staff=""), _bounds(day)).fetchall()
    else:
        rows = raw.execute(
            DAY_SQL.format(and_staff="AND a.staff_id = ?"), (*_bounds(day), staff_id)
        ).fetchall()
    return rows + raw.execute(COLUMNS_SQL, (day.weekday(),)).fetchall()


# -- the day view ---------------------------------------------------------------------------


def test_day_read(
    benchmark: BenchmarkFixture, services: AppServices, calendar_db: Calendar
) -> None:
    schedule = measure(
        benchmark, "day view read:target", lambda: services.calendar.day(calendar_db.day, DESK)
    )
    assert len(schedule.appointments) == 750
    assert len(schedule.therapists) == 30


def test_day_read_floor(
    benchmark: BenchmarkFixture, raw: sqlite3.Connection, calendar_db: Calendar
) -> None:
    rows = measure(benchmark, "day view read:floor", lambda: raw_day(raw, calendar_db.day))
    assert len(rows) == 750 + 30
    for pair in ("day view built+painted", "day switch"):
        for suffix in ("", " cpu"):
            RESULTS[f"{pair}{suffix}:floor"] = RESULTS[f"day view read{suffix}:floor"]


@pytest.fixture(scope="module")
def desk(services: AppServices) -> Iterator[tuple[Desk, ThreadPoolExecutor]]:
    """The real desk on the benchmark's database, with the real database worker thread."""
    QApplication.instance() or QApplication([])
    owner = QWidget()
    worker = ThreadPoolExecutor(owner, threads=1)
    desk = open_desk(services, DESK, owner, AppEvents(owner), io=ImmediateExecutor(), db=worker)
    yield desk, worker
    worker.wait()
    desk.detach()
    owner.deleteLater()


def _surface(widget: QWidget) -> QWidget:
    """Where a grid paints its blocks: a scroll area's viewport, or the widget itself."""
    return widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget


def _grid(qtbot: QtBot) -> TimeGrid:
    grid = TimeGrid()
    grid.resize(*SCREEN)
    grid.show()
    qtbot.waitExposed(grid)
    return grid


def test_day_built_and_painted(
    benchmark: BenchmarkFixture,
    qtbot: QtBot,
    desk: tuple[Desk, ThreadPoolExecutor],
    calendar_db: Calendar,
) -> None:
    """CalendarService.day, then the time grid built from it (30 columns x 25 blocks) and
    painted."""
    the_desk, _worker = desk
    formats = the_desk.formats()
    calendar = the_desk.services.calendar
    grid = _grid(qtbot)

    def build_and_paint() -> None:
        schedule = calendar.day(calendar_db.day, DESK)
        grid.show_columns(staff_columns(schedule), schedule.appointments, formats)
        grid.viewport().repaint()

    measure(benchmark, "day view built+painted:target", build_and_paint)
    assert grid.column_count() == 30
    assert len(grid.blocks) == 750 - _cancelled(the_desk, calendar_db.day)
    grid.close()
    grid.deleteLater()


def _cancelled(desk: Desk, day: date) -> int:
    schedule = desk.services.calendar.day(day, DESK)
    return sum(1 for a in schedule.appointments if not shown(a))


# -- switching days in the real calendar area -----------------------------------------------


class Painted(QObject):
    """Ends `loop` at the first paint of the area's grid after the day `wanted` arrived."""

    def __init__(self, area: CalendarArea, wanted: date, loop: QEventLoop) -> None:
        super().__init__()
        self.done = False
        self._area, self._wanted, self._loop = area, wanted, loop
        self._watched: list[QWidget] = []
        for widget in (area, *area.findChildren(QAbstractScrollArea)):
            surface = _surface(widget)
            surface.installEventFilter(self)
            self._watched.append(surface)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            not self.done
            and event.type() == QEvent.Type.Paint
            and watched is not self._area
            and self._area.schedule is not None
            and self._area.schedule.day == self._wanted
        ):
            self.done = True
            QTimer.singleShot(0, self._loop.quit)  # after this paint has been drawn
        return False

    def remove(self) -> None:
        for surface in self._watched:
            surface.removeEventFilter(self)


@pytest.fixture(scope="module")
def area(desk: tuple[Desk, ThreadPoolExecutor], calendar_db: Calendar) -> Iterator[CalendarArea]:
    the_desk, worker = desk
    area = CalendarArea(the_desk)
    area.resize(*SCREEN)
    area.show()
    yield area
    area.close()
    worker.wait()
    area.deleteLater()


def test_day_switch(
    benchmark: BenchmarkFixture, qtbot: QtBot, area: CalendarArea, calendar_db: Calendar
) -> None:
    """Next day (the toolbar's button, Alt+Right) to that day's grid painted, day after day."""
    the_day = calendar_db.day - timedelta(days=45)
    area.show_day(the_day)
    qtbot.waitExposed(area)
    qtbot.waitUntil(lambda: area.schedule is not None and area.schedule.day == the_day)

    def settle() -> None:
        qtbot.waitUntil(lambda: not area._loading)

    def next_day() -> None:
        wanted = area.day + timedelta(days=1)
        loop = QEventLoop()
        painted = Painted(area, wanted, loop)
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        timeout.start(5000)
        area.next_button.click()
        if not painted.done:
            loop.exec()
        timeout.stop()
        painted.remove()
        assert painted.done, "the next day was not painted within 5 s"

    measure(benchmark, "day switch:target", next_day, rounds=40, setup=settle)
    assert area.schedule is not None
    assert len(area.schedule.appointments) == 750


# -- the week view ----------------------------------------------------------------------------

WEEK_STAFF = FIRST_THERAPIST + 7


def test_week_view(
    benchmark: BenchmarkFixture, services: AppServices, calendar_db: Calendar
) -> None:
    """One therapist's week (7 columns x 25 blocks): CalendarService.week."""
    first = calendar_db.day - timedelta(days=calendar_db.day.weekday())
    week = measure(
        benchmark,
        "week view read:target",
        lambda: services.calendar.week(first, DESK, staff_id=WEEK_STAFF),
    )
    assert sum(len(day.appointments) for day in week.days) == 7 * 25


def test_week_view_built_and_painted(
    benchmark: BenchmarkFixture,
    qtbot: QtBot,
    desk: tuple[Desk, ThreadPoolExecutor],
    calendar_db: Calendar,
) -> None:
    """CalendarService.week, then the time grid of its 7 days built and painted."""
    the_desk, _worker = desk
    formats = the_desk.formats()
    calendar = the_desk.services.calendar
    first = calendar_db.day - timedelta(days=calendar_db.day.weekday())
    grid = _grid(qtbot)

    def build_and_paint() -> None:
        week = calendar.week(first, DESK, staff_id=WEEK_STAFF)
        appointments = [a for day in week.days for a in day.appointments]
        grid.show_columns(week_columns(week.days, staff_id=WEEK_STAFF), appointments, formats)
        grid.viewport().repaint()

    measure(benchmark, "week view built+painted:target", build_and_paint)
    assert grid.column_count() == 7
    grid.close()
    grid.deleteLater()


def test_week_view_floor(
    benchmark: BenchmarkFixture, raw: sqlite3.Connection, calendar_db: Calendar
) -> None:
    first = calendar_db.day - timedelta(days=calendar_db.day.weekday())

    def week() -> list[Any]:
        rows = raw.execute(
            DAY_SQL.format(and_staff="AND a.staff_id = ?"), (*_bounds(first, 7), WEEK_STAFF)
        ).fetchall()
        return rows + raw.execute(COLUMNS_SQL, (first.weekday(),)).fetchall()

    assert len(measure(benchmark, "week view read:floor", week)) == 7 * 25 + 30
    for suffix in ("", " cpu"):
        RESULTS[f"week view built+painted{suffix}:floor"] = RESULTS[f"week view read{suffix}:floor"]


# -- the next free slot -----------------------------------------------------------------------


def _find(services: AppServices, service_id: int, first: date) -> Callable[[], Any]:
    query = SlotQuery(service_ids=(service_id,), from_day=first, days=SLOT_DAYS)
    return lambda: services.free_slots.find(query, DESK, limit=10)


def test_free_slot_first_ten(
    benchmark: BenchmarkFixture, services: AppServices, calendar_db: Calendar
) -> None:
    """The next ten slots for a 25-minute massage: the free half hour at the end of the day."""
    find = _find(services, SHORT_MASSAGE, calendar_db.day)
    found = measure(benchmark, "free slot: first ten:target", find, rounds=10)
    assert len(found) == 10
    assert all(slot.starts.date() == calendar_db.day for slot in found)


def test_free_slot_first_ten_floor(
    benchmark: BenchmarkFixture, raw: sqlite3.Connection, calendar_db: Calendar
) -> None:
    rows = measure(
        benchmark,
        "free slot: first ten:floor",
        lambda: raw.execute(BUSY_SQL, _bounds(calendar_db.day)).fetchall(),
    )
    assert len(rows) > 600


def test_free_slot_none_in_60_days(
    benchmark: BenchmarkFixture, services: AppServices, calendar_db: Calendar
) -> None:
    """An hour's massage fits nowhere: the whole 60 days searched, nothing found."""
    first = calendar_db.day - timedelta(days=SLOT_DAYS)
    find = _find(services, LONG_MASSAGE, first)
    assert SERVICES[LONG_MASSAGE - 1][2] == 60
    found = measure(benchmark, "free slot: 60 days, none:target", find, rounds=10)
    assert found == ()


def test_free_slot_none_in_60_days_floor(
    benchmark: BenchmarkFixture, raw: sqlite3.Connection, calendar_db: Calendar
) -> None:
    first = calendar_db.day - timedelta(days=SLOT_DAYS)
    rows = measure(
        benchmark,
        "free slot: 60 days, none:floor",
        lambda: raw.execute(BUSY_SQL, _bounds(first, SLOT_DAYS)).fetchall(),
        rounds=10,
    )
    assert len(rows) > 60 * 600


# -- booking one appointment ------------------------------------------------------------------

BOOK_STAFF = FIRST_THERAPIST + 11
BOOK_CLIENT = 4242


def _free_time(calendar_db: Calendar) -> datetime:
    """20:30 on the benchmark's day: every therapist's free half hour."""
    return datetime.combine(calendar_db.day, time(FREE_MINUTE // 60, FREE_MINUTE % 60), ZONE)


def _forget(raw: sqlite3.Connection, calendar_db: Calendar) -> None:
    """Take the booking a round made out again (with its booking row and audit entries): the
    database is reused."""
    starts = _stored(_free_time(calendar_db))
    found = raw.execute(
        "SELECT id, booking_id FROM appointments WHERE customer_id = ? AND starts_at = ?",
        (BOOK_CLIENT, starts),
    ).fetchall()
    if not found:
        return
    ids = [row[0] for row in found]
    bookings = [row[1] for row in found if row[1] is not None]
    marks = ",".join("?" * len(ids))
    raw.execute("BEGIN IMMEDIATE")
    raw.execute(
        f"DELETE FROM audit_log WHERE entity = 'appointment' AND entity_id IN ({marks})", ids
    )
    raw.execute(f"DELETE FROM appointment_resources WHERE appointment_id IN ({marks})", ids)
    raw.execute(f"DELETE FROM appointments WHERE id IN ({marks})", ids)
    if bookings:
        raw.execute(f"DELETE FROM bookings WHERE id IN ({','.join('?' * len(bookings))})", bookings)
    raw.execute("COMMIT")


def test_booking(
    benchmark: BenchmarkFixture,
    services: AppServices,
    raw: sqlite3.Connection,
    calendar_db: Calendar,
) -> None:
    """BookingService.book with all its checks, on a day of 750 appointments."""
    draft = BookingDraft(BOOK_CLIENT, SHORT_MASSAGE, BOOK_STAFF, _free_time(calendar_db))
    _forget(raw, calendar_db)
    booked = measure(
        benchmark,
        "booking one appointment:target",
        lambda: services.booking.book(draft, DESK),
        rounds=40,
        setup=lambda: _forget(raw, calendar_db),
    )
    assert booked
    _forget(raw, calendar_db)


def _request(calendar_db: Calendar, staff_id: int | None) -> BookingRequest:
    leg = LegRequest(SHORT_MASSAGE, staff_id=staff_id)
    return BookingRequest((BOOK_CLIENT,), _free_time(calendar_db), (leg,))


def test_booking_anyone_qualified(
    benchmark: BenchmarkFixture,
    services: AppServices,
    raw: sqlite3.Connection,
    calendar_db: Calendar,
) -> None:
    """BookingService.book_request with "anyone qualified": the engine tries the 30 therapists
    (each full until 20:30) and their rooms."""
    request = _request(calendar_db, None)
    _forget(raw, calendar_db)
    booked = measure(
        benchmark,
        "booking anyone qualified:target",
        lambda: services.booking.book_request(request, DESK),
        rounds=40,
        setup=lambda: _forget(raw, calendar_db),
    )
    assert len(booked) == 1
    _forget(raw, calendar_db)


def test_booking_preview(
    benchmark: BenchmarkFixture, services: AppServices, calendar_db: Calendar
) -> None:
    """BookingService.preview, which the dialog asks as the desk types: a named therapist at a
    time that is taken (the problem found and named)."""
    busy = _request(calendar_db, BOOK_STAFF)
    taken = BookingRequest(busy.client_ids, busy.starts - timedelta(hours=3), busy.legs)
    plan = measure(
        benchmark, "booking preview:target", lambda: services.booking.preview(taken, DESK)
    )
    assert not plan.ok


def test_booking_preview_floor(
    benchmark: BenchmarkFixture, raw: sqlite3.Connection, calendar_db: Calendar
) -> None:
    """The live appointments of the day the preview checks against."""
    rows = measure(
        benchmark,
        "booking preview:floor",
        lambda: raw.execute(BUSY_SQL, _bounds(calendar_db.day)).fetchall(),
    )
    assert len(rows) > 600


INSERT_SQL = (
    "INSERT INTO appointments (customer_id, staff_id, room_id, service_id, starts_at, ends_at, "
    "status, price_minor, notes, created_at, cancel_reason, late_cancel) "
    "VALUES (?, ?, ?, ?, ?, ?, 'booked', ?, '', ?, '', 0)"
)


def test_booking_floor(
    benchmark: BenchmarkFixture, raw: sqlite3.Connection, calendar_db: Calendar
) -> None:
    """The raw INSERT of the same row, in its own transaction (committed, as a booking is)."""
    starts = _free_time(calendar_db)
    minutes = SERVICES[SHORT_MASSAGE - 1][2]
    row = (
        BOOK_CLIENT,
        BOOK_STAFF,
        BOOK_STAFF - FIRST_THERAPIST + 1,
        SHORT_MASSAGE,
        _stored(starts),
        _stored(starts + timedelta(minutes=minutes)),
        SERVICES[SHORT_MASSAGE - 1][4],
        _stored(datetime.now(UTC)),
    )

    def insert() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(INSERT_SQL, row)
        raw.execute("COMMIT")

    _forget(raw, calendar_db)
    measure(
        benchmark,
        "booking one appointment:floor",
        insert,
        rounds=40,
        setup=lambda: _forget(raw, calendar_db),
    )
    _forget(raw, calendar_db)
    for suffix in ("", " cpu"):
        floor = RESULTS[f"booking one appointment{suffix}:floor"]
        RESULTS[f"booking anyone qualified{suffix}:floor"] = floor
