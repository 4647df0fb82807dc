"""The status actions of an appointment and the cancel dialog, driven as the desk would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from db.models import Appointment, ShopProfile
from frontdesk.bootstrap import AppServices
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.services.auth import SignedIn
from frontdesk.services.calendar import AppointmentView
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.status_actions import (
    STATUS_KEYS,
    CancelDialog,
    change_status,
    status_actions,
)
from frontdesk.ui.desk import Desk, open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.conftest import NOW
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

pytestmark = pytest.mark.gui
S = AppointmentStatus

MakeDesk = Callable[[SignedIn], tuple[Desk, QWidget]]


@pytest.fixture
def services(make_services: MakeServices) -> AppServices:
    return make_services()


@pytest.fixture
def make_desk(qtbot: QtBot, services: AppServices) -> Iterator[MakeDesk]:
    desks: list[Desk] = []

    def make(user: SignedIn) -> tuple[Desk, QWidget]:
        owner = QWidget()
        qtbot.addWidget(owner)
        owner.show()
        desk = open_desk(
            services, user, owner, AppEvents(owner), io=ImmediateExecutor(), db=ImmediateExecutor()
        )
        desks.append(desk)
        return desk, owner

    yield make
    for desk in desks:
        desk.detach()


def _view(services: AppServices, user: SignedIn, appt_id: int) -> AppointmentView:
    day = services.shop.today()
    (appt,) = [a for a in services.calendar.day(day, user).appointments if a.id == appt_id]
    return appt


def _status(database: UnitOfWork, appt_id: int) -> str:
    with database.read() as s:
        row = s.get(Appointment, appt_id)
        assert row is not None
        return row.status


def test_actions_are_the_allowed_steps_this_role_may_take_with_their_keys(
    make_desk: MakeDesk,
    services: AppServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    desk_user = sign_in(shop.receptionist_id)
    desk, owner = make_desk(desk_user)
    appt = _view(services, desk_user, shop.morning_appt_id)
    actions = status_actions(desk, appt, owner)
    assert [a.text() for a in actions] == [
        "Confirmed by the client",
        "Arrived",
        "No-show",
        "Cancel appointment…",
    ]
    # The calendar finds the cancel step by its key (Delete), as the grid's Delete does.
    assert actions[-1].shortcut() == QKeySequence("Delete")
    arrived = actions[1]
    assert arrived.shortcut().toString() == STATUS_KEYS[S.CHECKED_IN] == "Ctrl+Shift+A"
    assert "Ctrl+Shift+A" in arrived.toolTip()
    arrived.trigger()
    assert _status(database, shop.morning_appt_id) == S.CHECKED_IN.value

    appt = _view(services, desk_user, shop.morning_appt_id)
    assert [a.text() for a in status_actions(desk, appt, owner)] == [
        "Start service",
        "Cancel appointment…",
    ]

    # A therapist serves but does not confirm, cancel or mark no-shows.
    therapist = sign_in(shop.therapist_id)
    tdesk, towner = make_desk(therapist)
    afternoon = _view(services, therapist, shop.afternoon_appt_id)
    assert [a.text() for a in status_actions(tdesk, afternoon, towner)] == ["Arrived"]


def test_cancel_dialog_needs_a_reason_and_says_it_is_late_before_cancelling(
    qtbot: QtBot,
    make_desk: MakeDesk,
    services: AppServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    user = sign_in(shop.receptionist_id)
    desk, owner = make_desk(user)
    appt = _view(services, user, shop.morning_appt_id)  # 10:00 today, it is 10:00 now
    dialog = CancelDialog(desk, appt, owner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Anna Smith · Deep Tissue Massage" in dialog.findChild(QWidget, "cancelWhat").text()
    assert dialog.late_label.isVisible()
    assert dialog.late_label.text().startswith("Late cancellation: within 24 hours of the start.")
    assert not dialog.confirm_button.isEnabled()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason: nothing happens
    assert dialog.isVisible()
    assert _status(database, appt.id) == S.BOOKED.value

    with qtbot.waitSignal(dialog.cancelled) as cancelled:
        qtbot.keyClicks(dialog.reason, "Client is ill")
        assert dialog.confirm_button.isEnabled()
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert cancelled.args == [True]
    assert not dialog.isVisible()
    assert _status(database, appt.id) == S.CANCELLED.value


def test_cancel_in_good_time_and_a_bad_reason_shown_at_the_field(
    qtbot: QtBot,
    make_desk: MakeDesk,
    services: AppServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    clock: FixedClock,
) -> None:
    with database.write() as s:
        s.execute(update(ShopProfile).values(late_cancel_hours=3))
    clock.instant = NOW + timedelta(minutes=30)  # 10:30; the afternoon visit is at 14:00
    user = sign_in(shop.receptionist_id)
    desk, owner = make_desk(user)
    appt = _view(services, user, shop.afternoon_appt_id)
    change_status(desk, appt, S.CANCELLED, owner)
    dialog = owner.findChild(CancelDialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.late_label.text() == "In good time: not a late cancellation."
    dialog.reason.setText("Ill\x1b")  # a pasted control character
    dialog.confirm_button.click()
    assert dialog.error_label.isVisible()
    assert "control character" in dialog.error_label.text()
    assert dialog.isVisible()
    assert _status(database, appt.id) == S.BOOKED.value
    dialog.reason.setText("Holiday")
    assert not dialog.error_label.isVisible()
    dialog.confirm_button.click()
    assert _status(database, appt.id) == S.CANCELLED.value
    with database.read() as s:
        row = s.get(Appointment, appt.id)
        assert row is not None
        assert (row.late_cancel, row.cancel_reason) == (False, "Holiday")


def test_the_calendar_can_bind_the_same_keys(
    qtbot: QtBot,
    make_desk: MakeDesk,
    services: AppServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    from frontdesk.ui.calendar.status_actions import bind_status_keys

    user = sign_in(shop.receptionist_id)
    desk, owner = make_desk(user)
    owner.activateWindow()
    qtbot.waitUntil(owner.isActiveWindow)
    owner.setFocus()
    chosen: list[AppointmentView] = [_view(services, user, shop.morning_appt_id)]
    bind_status_keys(desk, owner, lambda: chosen[0])
    qtbot.keyClick(
        owner, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert _status(database, shop.morning_appt_id) == S.BOOKED.value  # not arrived: no start
    qtbot.keyClick(
        owner, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert _status(database, shop.morning_appt_id) == S.CHECKED_IN.value
