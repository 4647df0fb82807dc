"""The month overview: each day's appointments and load in words, closed days, today; the
keyboard; the reader's first weekday; it reads on the runner and follows the bus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from db.models import Appointment, ClosedDay, Service, ShopProfile, StaffBreak
from frontdesk.bootstrap import AppServices
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.month_view import (
    CLOSED_ROLE,
    COUNT_ROLE,
    DATE_ROLE,
    TODAY_ROLE,
    MonthView,
    month_title,
)
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import Executor, ImmediateExecutor
from tests.conftest import NOW
from tests.fakes import HeldExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

TODAY = date(2026, 11, 23)  # a Monday

MakeView = Callable[..., MonthView]


@pytest.fixture
def make_view(
    qtbot: QtBot, make_services: MakeServices, sign_in: Callable[[int], SignedIn], shop: SeededShop
) -> MakeView:
    def make(
        services: AppServices | None = None, *, language: str = "", db: Executor | None = None
    ) -> MonthView:
        services = services or make_services()
        owner = QWidget()
        qtbot.addWidget(owner)
        desk = open_desk(
            services,
            sign_in(shop.receptionist_id),
            owner,
            AppEvents(owner),
            io=ImmediateExecutor(),
            db=db,
            language=language,
        )
        view = MonthView(desk)
        QVBoxLayout(owner).addWidget(view)
        owner.resize(900, 600)
        owner.show()
        owner.activateWindow()
        qtbot.waitUntil(owner.isActiveWindow)
        return view

    return make


def cell(view: MonthView, day: date) -> QModelIndex:
    index = view.model.index_of(day)
    assert index.isValid()
    return index


def test_each_day_shows_its_appointments_and_load_in_words(
    make_view: MakeView, database: UnitOfWork, shop: SeededShop, qtmodeltester: object
) -> None:
    with database.write() as s:
        s.add(StaffBreak(staff_id=shop.therapist_id, weekday=0, start_minute=720, end_minute=765))
        s.add(ClosedDay(day=date(2026, 11, 30), note="Staff training"))
    view = make_view()
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    assert view.title.text() == "November 2026"
    assert view.load is not None
    today = cell(view, TODAY)
    assert today.data(TODAY_ROLE)
    assert today.data(COUNT_ROLE) == "2 appointments"
    # Tom works 09:00-18:00 less a 45-minute break: 105 of 495 minutes booked.
    assert today.data(Qt.ItemDataRole.ToolTipRole) == (
        "Monday, 23 November 2026\nToday\n2 appointments\n"
        "21% of working time booked (1.8 h of 8.2 h)"
    )
    tuesday = cell(view, TODAY + timedelta(days=1))
    assert tuesday.data(COUNT_ROLE) == "0 appointments"
    assert not tuesday.data(TODAY_ROLE)
    assert tuesday.data(Qt.ItemDataRole.ToolTipRole).endswith("No working hours")
    closed = cell(view, date(2026, 11, 30))
    assert closed.data(COUNT_ROLE) == "0 appointments"
    assert closed.data(CLOSED_ROLE) == "Closed"
    assert today.data(CLOSED_ROLE) == ""
    assert "The shop is closed" in closed.data(Qt.ItemDataRole.ToolTipRole)
    # Days of the months around are blank and cannot be chosen.
    top_left = view.model.index(0, 0)
    assert top_left.data(DATE_ROLE) is None
    assert not top_left.flags() & Qt.ItemFlag.ItemIsSelectable
    assert view.summary.text() == "2 appointments · 5% of working time booked"


def test_the_week_starts_on_the_readers_first_weekday(
    make_view: MakeView, database: UnitOfWork
) -> None:
    view = make_view()
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers[0] == "Mon"
    assert view.model.index(0, 6).data(DATE_ROLE) == date(2026, 11, 1)  # a Sunday
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale="en_US"))
    view = make_view()
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers[:2] == ["Sun", "Mon"]
    assert view.model.index(0, 0).data(DATE_ROLE) == date(2026, 11, 1)


def test_the_keyboard_moves_days_weeks_and_months_and_enter_opens_the_day(
    qtbot: QtBot, make_view: MakeView
) -> None:
    view = make_view()
    chosen: list[date] = []
    view.day_chosen.connect(chosen.append)
    table = view.table
    table.setFocus()
    assert view.day == TODAY
    qtbot.keyClick(table, Qt.Key.Key_Right)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert view.day == date(2026, 12, 1)  # across into December
    assert view.title.text() == "December 2026"
    assert table.currentIndex().data(DATE_ROLE) == date(2026, 12, 1)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert (view.day, view.title.text()) == (date(2026, 11, 24), "November 2026")
    qtbot.keyClick(table, Qt.Key.Key_Left)
    qtbot.keyClick(table, Qt.Key.Key_PageUp)
    assert view.day == date(2026, 10, 23)
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    assert view.day == date(2026, 12, 23)
    assert view.load is not None
    assert view.load.first_day == date(2026, 12, 1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert chosen == [date(2026, 12, 23)]
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    assert view.day == TODAY
    assert "Page Up" in view.prev_button.toolTip()


def test_the_31st_moves_to_the_last_day_of_a_shorter_month(make_view: MakeView) -> None:
    view = make_view()
    view.show_month(date(2027, 1, 31))
    view.move_months(1)
    assert view.day == date(2027, 2, 28)
    view.next_button.click()
    assert view.day == date(2027, 3, 28)


def test_a_click_opens_the_day(qtbot: QtBot, make_view: MakeView) -> None:
    view = make_view()
    chosen: list[date] = []
    view.day_chosen.connect(chosen.append)
    rect = view.table.visualRect(cell(view, date(2026, 11, 12)))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == [date(2026, 11, 12)]


def test_a_booking_shows_up_at_once(
    make_view: MakeView, database: UnitOfWork, shop: SeededShop
) -> None:
    view = make_view()
    tomorrow = cell(view, TODAY + timedelta(days=1))
    assert tomorrow.data(COUNT_ROLE) == "0 appointments"
    with database.write() as s:
        service = s.scalars(select(Service).where(Service.name == "Hot Stone Facial")).one()
        s.add(
            Appointment(
                customer_id=shop.boris_id,
                staff_id=shop.therapist_id,
                service=service,
                starts_at=NOW + timedelta(days=1),
                ends_at=NOW + timedelta(days=1, minutes=45),
                price_minor=6000,
            )
        )
    assert cell(view, TODAY + timedelta(days=1)).data(COUNT_ROLE) == "1 appointment"


def test_only_the_month_asked_for_last_is_shown(make_view: MakeView) -> None:
    worker = HeldExecutor()
    view = make_view(db=worker)
    assert view.title.text() == "November 2026"  # the frame at once, before the read
    assert cell(view, TODAY).data(COUNT_ROLE) == ""
    view.next_button.click()
    view.next_button.click()
    assert view.title.text() == "January 2027"
    assert len(worker.jobs) == 1
    worker.run_next()  # November's read arrives late: dropped
    assert view.load is None
    worker.run_next()
    assert worker.jobs == []
    assert view.load is not None
    assert view.load.first_day == date(2027, 1, 1)


def test_the_month_in_chinese_and_russian(make_view: MakeView) -> None:
    assert month_title(date(2026, 11, 1), "zh_CN") == "2026年11月"
    assert month_title(date(2026, 11, 1), "ru") == "Ноябрь 2026\u202fг."
    view = make_view(language="ru")
    assert view.title.text() == "Ноябрь 2026\u202fг."
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "пн"


def test_a_new_shop_language_restarts_the_week(
    make_view: MakeView, database: UnitOfWork, shop: SeededShop
) -> None:
    view = make_view()
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "Mon"
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale="en_US"))
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "Sun"
    assert view.load is not None  # read again, in the new frame
    assert cell(view, TODAY).data(COUNT_ROLE) == "2 appointments"
