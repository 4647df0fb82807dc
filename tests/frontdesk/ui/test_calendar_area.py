"""The calendar reads its day through the runner, follows the bus (this terminal's changes and
another terminal's), and writes every value itself, in the window's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from db.engine import make_engine
from db.models import Appointment, Customer, Room, Service
from frontdesk.bootstrap import AppServices
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.formats import Formats
from frontdesk.services.auth import SignedIn
from frontdesk.services.database import StorageError
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui import errors as errors_module
from frontdesk.ui.calendar.area import CalendarArea
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import Executor, ImmediateExecutor
from tests.conftest import NOW
from tests.fakes import HeldExecutor
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop

TODAY = date(2026, 11, 23)


MakeArea = Callable[..., CalendarArea]


@pytest.fixture
def make_area(qtbot: QtBot) -> MakeArea:
    def make(
        services: AppServices, user: SignedIn, *, language: str = "", db: Executor | None = None
    ) -> CalendarArea:
        owner = QWidget()
        qtbot.addWidget(owner)
        desk = open_desk(
            services,
            user,
            owner,
            AppEvents(owner),
            io=ImmediateExecutor(),
            db=db,
            language=language,
        )
        area = CalendarArea(desk)
        area.setParent(owner)
        owner.show()
        return area

    return make


def block_texts(area: CalendarArea) -> list[str]:
    return area.grid.block_texts()


def test_another_terminals_booking_shows_up(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    db_path: Path,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.receptionist_id))
    calendar = window.calendar
    assert calendar.select_appointment(shop.morning_appt_id)
    other = UnitOfWork(make_engine(f"sqlite:///{db_path}"))  # another terminal, same file
    services.changes.start_watching()
    try:
        with other.write() as s:
            boris = s.get(Customer, shop.boris_id)
            service = s.scalars(select(Service).where(Service.name == "Hot Stone Facial")).one()
            s.add(
                Appointment(
                    customer=boris,
                    staff_id=shop.therapist_id,
                    room=s.scalars(select(Room)).one(),
                    service=service,
                    starts_at=NOW + timedelta(hours=5),
                    ends_at=NOW + timedelta(hours=5, minutes=45),
                    price_minor=6000,
                )
            )
        qtbot.waitUntil(
            lambda: any("Борис Иванов" in t for t in block_texts(calendar)), timeout=2000
        )  # within 2 s, with no restart
    finally:
        services.changes.stop_watching()
        other.engine.dispose()
    assert "3 appointments" in calendar.title.text()
    selected = calendar.grid.selected_appointment()  # what the receptionist had picked stays
    assert selected is not None
    assert selected.id == shop.morning_appt_id


def test_a_hidden_calendar_reads_the_day_once_when_shown(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    window = make_window(services, user)
    calendar = window.calendar
    reads: list[date] = []
    day = services.calendar.day
    monkeypatch.setattr(services.calendar, "day", lambda d, u: reads.append(d) or day(d, u))
    window.show_area(1)
    for appointment_id in (shop.morning_appt_id, shop.afternoon_appt_id):  # two sales elsewhere
        services.checkout.complete_sale(appointment_id, PaymentMethod.CARD, None, user)
    assert reads == []  # a hidden tab does no work for every sale
    assert calendar.follow.stale
    assert not any("Paid" in text for text in block_texts(calendar))
    window.show_area(0)
    assert reads == [TODAY]
    assert all("Paid" in text for text in block_texts(calendar))
    assert not calendar.follow.stale


def test_quick_day_changes_read_only_the_last_day_asked_for(
    make_services: MakeServices,
    make_area: MakeArea,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    worker = HeldExecutor()
    area = make_area(make_services(), sign_in(shop.receptionist_id), db=worker)
    worker.run_next()  # the first read: today
    assert "2 appointments" in area.title.text()
    for _ in range(3):
        area.next_button.click()
    assert area.date_edit.date().toPython() == TODAY + timedelta(days=3)  # at once
    assert len(worker.jobs) == 1  # one read running; the other clicks wait for it
    worker.run_next()  # tomorrow's read arrives late: dropped, the day asked for last is read
    assert "Tuesday" not in area.title.text()
    assert len(worker.jobs) == 1
    worker.run_next()
    assert worker.jobs == []
    assert area.schedule is not None
    assert area.schedule.day == TODAY + timedelta(days=3)
    assert area.title.text() == "Thursday, 26 November 2026 · 0 appointments"
    assert area.empty_label.text() == "No appointments on this day."


def test_a_failed_read_is_shown_and_the_day_asked_for_last_is_still_read(
    make_services: MakeServices,
    make_area: MakeArea,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        errors_module.QMessageBox, "warning", lambda _parent, _title, text: shown.append(text)
    )
    worker = HeldExecutor()
    area = make_area(make_services(), sign_in(shop.receptionist_id), db=worker)
    worker.run_next()
    area.next_button.click()
    area.next_button.click()  # while the first read runs
    worker.fail_next(StorageError("The database is busy."))
    assert shown == ["The database is busy."]  # a known error, in words
    assert len(worker.jobs) == 1  # and the day asked for last is read all the same
    worker.run_next()
    assert area.schedule is not None
    assert area.schedule.day == TODAY + timedelta(days=2)


def test_values_are_written_in_the_windows_language(
    make_services: MakeServices,
    make_area: MakeArea,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """An English shop's window in Chinese writes the date the Chinese way: the service hands
    over a date, not the shop's English sentence."""
    services = make_services()
    area = make_area(services, sign_in(shop.receptionist_id), language="zh_CN")
    zh = Formats("zh_CN", services.shop.info().zone)
    assert area.title.text().startswith(zh.long_date(TODAY) + " · ")
    assert "Monday" not in area.title.text()
    assert area.select_appointment(shop.morning_appt_id)
    appt = area.grid.selected_appointment()
    assert appt is not None
    block = area.grid.selected_block()
    assert block is not None
    assert block.text().startswith(f"⚠ {zh.time_range(appt.starts, appt.ends)}")


class RecordingTranslator(QTranslator):
    """Marks every string that goes through Qt's translation and remembers it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        self.asked.add((context, source))
        return f"«{source}»"

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def translator() -> Iterator[RecordingTranslator]:
    marker = RecordingTranslator()
    app = QApplication.instance()
    assert isinstance(app, QCoreApplication)
    app.installTranslator(marker)
    yield marker
    app.removeTranslator(marker)


def test_every_word_goes_through_translation(
    make_services: MakeServices,
    make_area: MakeArea,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    translator: RecordingTranslator,
) -> None:
    area = make_area(make_services(), sign_in(shop.receptionist_id))
    buttons = (area.prev_button, area.today_button, area.next_button, area.client_button)
    for widget in (*buttons, area.checkout_button):
        assert widget.text().startswith("«"), widget.text()
        assert widget.toolTip().startswith("«"), widget.toolTip()
    assert "«" in area.title.text()
    assert area.title.text().endswith("· 2 appointments»")
    assert area.grid.column_count() == 2
    headers = [area.grid.header_text(c) for c in range(2)]
    assert headers == ["Tom Therapist\n09:00–18:00", "Uma Therapist\n«Off»"]
    assert area.select_appointment(shop.morning_appt_id)
    item = area.grid.selected_block()
    assert item is not None
    assert item.text().endswith("«Booked» · Garden Room")
    assert item.toolTip().endswith("«Has allergies: check the client card»")
    area.show_day(TODAY + timedelta(days=1))
    assert area.empty_label.text() == "«No appointments on this day.»"
    assert ("Labels", "Booked") in translator.asked  # the program's one name for it


def test_off_hours_are_shaded_in_stretches(
    make_services: MakeServices,
    make_area: MakeArea,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """Tom works 09:00-18:00 and has Anna at 10:00; Uma is off but has 王芳 at 14:00. The day
    runs 08:00-21:00 in quarter hours; each off stretch is one grey stretch, and the blocks are
    drawn over them where they fall."""
    area = make_area(make_services(), sign_in(shop.receptionist_id))
    grid = area.grid
    assert grid.step == 15
    assert (grid.first_minute, grid.last_minute) == (8 * 60, 21 * 60)
    assert grid.rows() == 13 * 4
    assert grid.shaded(0) == [(8 * 60, 9 * 60, "off"), (18 * 60, 21 * 60, "off")]
    assert grid.shaded(1) == [(8 * 60, 21 * 60, "off")]
    tom = grid.block(shop.morning_appt_id)
    uma = grid.block(shop.afternoon_appt_id)
    assert tom is not None
    assert uma is not None
    assert (tom.placed.column, tom.placed.start, tom.placed.end) == (0, 10 * 60, 11 * 60)
    assert (uma.placed.column, uma.placed.start, uma.placed.end) == (1, 14 * 60, 14 * 60 + 45)
    # The block covers its rows on screen: its top and bottom are those times' lines.
    assert tom.y() == grid.y_of(10 * 60)
    assert tom.body_rect().height() == grid.y_of(11 * 60) - grid.y_of(10 * 60)


def test_the_title_is_whole_in_a_narrow_window(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """Beside the buttons the day's title lost its count to '…' at 800 pixels (in English;
    Russian and the pseudo-locale lost the date too): it has a line of its own."""
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.resize(800, 600)
    title = window.calendar.title
    qtbot.waitUntil(lambda: window.width() == 800)
    title.setText("понедельник, 23 ноября 2026 г. · 2 записи")  # as long as Russian writes it
    assert title.fontMetrics().horizontalAdvance(title.text()) <= title.contentsRect().width()


def test_english_counts_are_singular_and_plural(
    make_services: MakeServices,
    make_area: MakeArea,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        s.execute(
            update(Appointment)
            .where(Appointment.id == shop.afternoon_appt_id)
            .values(
                starts_at=NOW + timedelta(days=1, hours=4),
                ends_at=NOW + timedelta(days=1, hours=4, minutes=45),
            )
        )
    area = make_area(make_services(), sign_in(shop.receptionist_id))
    assert area.title.text() == "Monday, 23 November 2026 · 1 appointment"
    area.show_day(TODAY + timedelta(days=2))
    assert area.title.text() == "Wednesday, 25 November 2026 · 0 appointments"
