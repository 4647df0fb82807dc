"""The room board on screen: tiles in words and colour, check-in / start / finish from a tile,
minutes running with the clock, Enter opens the appointment, and the empty shop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from db.models import Appointment, Room
from frontdesk.bootstrap import AppServices
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.room_board import REFRESH_MS, BoardTileWidget, RoomBoardView
from frontdesk.ui.desk import Desk, open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.conftest import NOW
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

pytestmark = pytest.mark.gui

MakeBoard = Callable[[SignedIn], RoomBoardView]


@pytest.fixture
def services(make_services: MakeServices) -> AppServices:
    return make_services()


@pytest.fixture
def make_board(qtbot: QtBot, services: AppServices) -> Iterator[MakeBoard]:
    desks: list[Desk] = []

    def make(user: SignedIn) -> RoomBoardView:
        owner = QWidget()
        qtbot.addWidget(owner)
        desk = open_desk(
            services, user, owner, AppEvents(owner), io=ImmediateExecutor(), db=ImmediateExecutor()
        )
        desks.append(desk)
        view = RoomBoardView(desk, owner)
        owner.resize(900, 500)
        view.resize(owner.size())
        owner.show()
        qtbot.waitExposed(view)
        return view

    yield make
    for desk in desks:
        desk.detach()


def _garden(view: RoomBoardView) -> BoardTileWidget:
    tile = view.tile_for("Garden Room")
    assert tile is not None
    return tile


def _texts(tile: BoardTileWidget) -> tuple[str, str, str]:
    return tile.state_label.text(), tile.who_label.text(), tile.when_label.text()


def _status(database: UnitOfWork, appt_id: int) -> str:
    with database.read() as s:
        row = s.get(Appointment, appt_id)
        assert row is not None
        return row.status


def test_a_visit_from_the_board_check_in_start_finish_with_the_minutes_running(
    make_board: MakeBoard,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    clock: FixedClock,
    database: UnitOfWork,
) -> None:
    clock.instant = NOW - timedelta(minutes=20)
    view = make_board(sign_in(shop.receptionist_id))
    assert view.timer.isActive()
    assert view.timer.interval() == REFRESH_MS
    assert view.clock_label.text() == "At 09:40"
    state, who, when = _texts(_garden(view))
    assert state == "Booked"
    assert who == "Anna Smith · Deep Tissue Massage\nwith Tom Therapist"
    assert when == "Due at 10:00, in 20 min"
    button = _garden(view).step_button
    assert button is not None
    assert button.text() == "Check in"
    assert "Ctrl+Shift+A" in button.toolTip()

    button.click()
    assert _status(database, shop.morning_appt_id) == AppointmentStatus.CHECKED_IN.value
    tile = _garden(view)  # the bus rebuilt the board
    assert tile.state_label.text() == "Client waiting"
    assert tile.step_button is not None
    assert tile.step_button.text() == "Start"

    clock.instant = NOW
    tile.step_button.click()
    assert _texts(_garden(view))[0] == "In service"
    assert _texts(_garden(view))[2] == "60 min left"

    # The clock moves on; the minute timer reads the board again.
    clock.instant = NOW + timedelta(minutes=25)
    view.timer.timeout.emit()
    assert _texts(_garden(view))[2] == "35 min left"
    assert view.clock_label.text() == "At 10:25"

    finish = _garden(view).step_button
    assert finish is not None
    assert finish.text() == "Finish"
    clock.instant = NOW + timedelta(minutes=55)
    finish.click()
    assert _status(database, shop.morning_appt_id) == AppointmentStatus.COMPLETED.value
    state, _who, when = _texts(_garden(view))
    assert (state, when) == ("Cleaning", "Ready in 15 min")
    assert _garden(view).step_button is None

    clock.instant = NOW + timedelta(minutes=71)
    view.timer.timeout.emit()
    assert _texts(_garden(view)) == ("Free", "", "Next at 14:00")


def test_enter_on_a_tile_opens_its_appointment(
    qtbot: QtBot,
    make_board: MakeBoard,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    view = make_board(sign_in(shop.therapist_id))
    tile = _garden(view)
    tile.setFocus()
    with qtbot.waitSignal(view.open_appointment) as opened:
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert opened.args == [shop.morning_appt_id]
    assert tile.step_button is not None  # therapists check clients in too
    assert tile.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert tile.step_button.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_a_change_at_another_desk_and_the_empty_shop(
    make_board: MakeBoard,
    services: AppServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    user = sign_in(shop.receptionist_id)
    view = make_board(user)
    assert _texts(_garden(view))[0] == "Booked"
    services.statuses.cancel(shop.morning_appt_id, "Ill", user)
    assert _texts(_garden(view)) == ("Free", "", "Next at 14:00")
    with database.write() as s:
        s.execute(update(Room).values(active=False))
    assert view.stack.currentWidget() is view.empty_label
    assert "No rooms or equipment" in view.empty_label.text()
    assert view.tiles == []
