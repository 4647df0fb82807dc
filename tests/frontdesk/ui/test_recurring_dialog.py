"""Repeat an appointment from the window: Check lists each date with OK or what is in its way,
bad settings are refused beside their field, Book books only after the check (the clashing
dates only when the user ticks Skip), all by keyboard."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import Appointment, AppointmentSeries, SafetyOverride, Service, ServiceTag
from frontdesk.bootstrap import AppServices
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.override_prompt import OverridePrompt
from frontdesk.ui.calendar.recurring_dialog import RecurringDialog
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.keyrings import MemoryKeyring
from tests.seed import SeededShop

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)

MakeDialog = Callable[..., RecurringDialog]


@pytest.fixture
def make_dialog(qtbot: QtBot) -> MakeDialog:
    def make(services: AppServices, user: SignedIn, appointment_id: int) -> RecurringDialog:
        owner = QWidget()
        qtbot.addWidget(owner)
        desk = open_desk(services, user, owner, AppEvents(owner), io=ImmediateExecutor())
        dialog = RecurringDialog(desk, appointment_id, owner)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog

    return make


def _block_tom(database: UnitOfWork, shop: SeededShop, day: date) -> None:
    starts = datetime(day.year, day.month, day.day, 10, 30, tzinfo=LONDON)
    with database.write() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Hot Stone Facial")).one()
        s.add(
            Appointment(
                customer_id=shop.boris_id,
                staff_id=shop.therapist_id,
                service_id=deep,
                starts_at=starts.astimezone(UTC),
                ends_at=(starts + timedelta(minutes=45)).astimezone(UTC),
                price_minor=6000,
            )
        )


def test_check_then_book_skipping_the_clash_by_keyboard(
    qtbot: QtBot,
    make_services: MakeServices,
    make_dialog: MakeDialog,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    _block_tom(database, shop, MONDAY + timedelta(weeks=2))
    services = make_services()
    dialog = make_dialog(services, sign_in(shop.receptionist_id), shop.morning_appt_id)
    qtbot.waitUntil(lambda: dialog.source is not None)
    assert "Anna Smith: Deep Tissue Massage with Tom Therapist" in dialog.heading.text()
    assert "10:00" in dialog.heading.text()
    assert not dialog.book_button.isEnabled()
    assert "F5" in dialog.check_button.toolTip()

    dialog.count_spin.setValue(4)
    qtbot.keyClick(dialog, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.results.count() == 3)
    rows = [dialog.results.item(i).text() for i in range(3)]
    assert rows[0].endswith("10:00–11:00 · OK")
    assert "30 Nov 2026" in rows[0]
    assert "The therapist already has an appointment then: 10:30-11:15 Hot Stone Facial." in rows[1]
    assert rows[2].endswith("· OK")
    assert dialog.summary.text() == "2 dates free · 1 date clash"
    # A clash and no tick: nothing can be booked yet.
    assert not dialog.book_button.isEnabled()
    dialog.skip_box.setFocus()
    qtbot.keyClick(dialog.skip_box, Qt.Key.Key_Space)
    assert dialog.book_button.isEnabled()
    assert dialog.book_button.text() == "Book 2"

    # Changing a setting forgets the check.
    dialog.every_spin.setValue(2)
    assert dialog.results.count() == 0
    assert not dialog.book_button.isEnabled()
    dialog.every_spin.setValue(1)
    qtbot.keyClick(dialog, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.results.count() == 3)
    assert dialog.skip_box.isChecked()

    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(dialog.created_ids) == 2)
    assert not dialog.isVisible()
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(AppointmentSeries)) == 1
        in_series = s.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.series_id.isnot(None))
        )
        assert in_series == 3


def test_bad_settings_are_shown_beside_their_field(
    qtbot: QtBot,
    make_services: MakeServices,
    make_dialog: MakeDialog,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    dialog = make_dialog(make_services(), sign_in(shop.receptionist_id), shop.morning_appt_id)
    qtbot.waitUntil(lambda: dialog.source is not None)
    qtbot.mouseClick(dialog.until_radio, Qt.MouseButton.LeftButton)
    assert dialog.until_edit.isEnabled()
    assert not dialog.count_spin.isEnabled()
    dialog.until_edit.setDate(QDate(2026, 11, 25))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.fields.shown_errors() == {
        "repeat_until": "The last day comes before the second appointment."
    }
    assert dialog.results.count() == 0
    assert not dialog.book_button.isEnabled()
    dialog.until_edit.setDate(QDate(2026, 12, 14))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.results.count() == 3)
    assert dialog.fields.shown_errors() == {}
    assert dialog.book_button.text() == "Book 3"
    dialog.grab().save("/tmp/repeat-dialog.png")


def test_a_cancelled_appointment_cannot_repeat(
    qtbot: QtBot,
    make_services: MakeServices,
    make_dialog: MakeDialog,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        appt = s.get(Appointment, shop.afternoon_appt_id)
        assert appt is not None
        appt.status = "cancelled"
    dialog = make_dialog(make_services(), sign_in(shop.receptionist_id), shop.afternoon_appt_id)
    qtbot.waitUntil(dialog.banner.isVisible)
    assert dialog.banner.text() == "Only a booked appointment can be repeated."
    assert not dialog.check_button.isEnabled()


def _tag_deep_tissue(database: UnitOfWork) -> None:
    """Anna (allergic to nut oil) has the Deep Tissue Massage at 10:00 on Monday."""
    with database.write() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
        s.add(ServiceTag(service_id=deep, kind="ingredient", tag="nut oil blend"))


def test_a_repeat_that_meets_the_safety_gate_asks_the_reason_once(
    qtbot: QtBot,
    make_services: MakeServices,
    make_dialog: MakeDialog,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    """Before: the repeat was refused with the gate's stop and nothing let the desk go on.
    Now the dialog says so up front, Book asks the reason once, and every repeat carries it."""
    _tag_deep_tissue(database)
    dialog = make_dialog(make_services(), sign_in(shop.receptionist_id), shop.morning_appt_id)
    qtbot.waitUntil(lambda: dialog.source is not None)
    assert dialog.safety_notice.isVisible()
    assert "“nut oil blend”" in dialog.safety_notice.text()
    assert not dialog.gate_notice.isVisible()
    dialog.count_spin.setValue(3)
    qtbot.keyClick(dialog, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.results.count() == 2)
    dialog.grab().save("/tmp/gate-repeat-safety.png")

    # Cancelling the prompt books nothing.
    def cancel() -> None:
        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, OverridePrompt)
        prompt.reject()

    QTimer.singleShot(0, cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.created_ids == ()
    assert dialog.isVisible()
    assert dialog.book_button.isEnabled()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)

    def answer() -> None:
        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, OverridePrompt)
        assert "nut oil blend" in prompt.message.text()
        qtbot.keyClicks(prompt.reason, "Grapeseed oil on her visits")
        qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(dialog.created_ids) == 2)
    with database.read() as s:
        overrides = s.scalars(select(SafetyOverride).order_by(SafetyOverride.id)).all()
        assert [(o.appointment_id, o.reason) for o in overrides] == [
            (i, "Grapeseed oil on her visits") for i in dialog.created_ids
        ]


def test_a_safety_stop_met_only_when_booking_asks_the_reason_then(
    qtbot: QtBot,
    make_services: MakeServices,
    make_dialog: MakeDialog,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    """The tag was added after the dialog opened: the stop comes from Book, which asks."""
    dialog = make_dialog(make_services(), sign_in(shop.receptionist_id), shop.morning_appt_id)
    qtbot.waitUntil(lambda: dialog.source is not None)
    assert not dialog.safety_notice.isVisible()
    dialog.count_spin.setValue(2)
    qtbot.keyClick(dialog, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.results.count() == 1)
    _tag_deep_tissue(database)

    def answer() -> None:
        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, OverridePrompt)
        qtbot.keyClicks(prompt.reason, "Checked with Anna")
        qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(dialog.created_ids) == 1)
    with database.read() as s:
        (override,) = s.scalars(select(SafetyOverride)).all()
        assert override.appointment_id == dialog.created_ids[0]


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR)
def test_a_repeat_says_when_allergies_could_not_be_checked(
    qtbot: QtBot,
    make_services: MakeServices,
    make_dialog: MakeDialog,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    memory_keyring: MemoryKeyring,
) -> None:
    _tag_deep_tissue(database)
    make_services()  # the first start here made the key and sealed Anna's allergy
    memory_keyring.passwords.clear()  # another computer: the key is not here
    services = make_services()
    assert not services.vault.ready
    dialog = make_dialog(services, sign_in(shop.receptionist_id), shop.morning_appt_id)
    qtbot.waitUntil(lambda: dialog.source is not None)
    assert dialog.gate_notice.isVisible()
    assert dialog.gate_notice.text() == (
        "Allergies could not be checked: the health data key is missing on this computer "
        "(Back office, Health data key)."
    )
    assert not dialog.safety_notice.isVisible()
    dialog.count_spin.setValue(2)
    qtbot.keyClick(dialog, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.results.count() == 1)
    dialog.grab().save("/tmp/gate-repeat-unchecked.png")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(dialog.created_ids) == 1)  # it does not stop the booking
