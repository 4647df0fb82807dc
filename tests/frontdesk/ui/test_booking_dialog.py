"""Booking through the dialog with the real BookingService: the first booking through the window
(New appointment, Ctrl+B; refusals beside the leg, the block in the calendar, checkout with F9
and the receipt on a network printer), services in sequence, a group in a couples room, anyone
qualified, a clash beside its leg, a manager booking past it with a reason, a receptionist not."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import (
    Appointment,
    AuditEntry,
    Booking,
    Room,
    Service,
    ServiceCategory,
    Staff,
    WorkingHours,
)
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.booking_dialog import BookingDialog
from frontdesk.ui.calendar.override_prompt import OverridePrompt
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.conftest import NOW
from tests.fakes import fake_network_printer
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.keyrings import MemoryKeyring
from tests.seed import SeededShop

TODAY = date(2026, 11, 23)  # a Monday; Tom has Anna 10:00-11:00 (+15 min cleanup)
MakeDialog = Callable[..., BookingDialog]


def _choose(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def _settled(qtbot: QtBot, dialog: BookingDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.preview_soon())


@pytest.fixture
def spa(database: UnitOfWork, shop: SeededShop) -> int:
    """Uma works Mondays too; a couples suite (two places) and a couples massage: its id."""
    with database.write() as s:
        uma = s.get(Staff, shop.therapist2_id)
        assert uma is not None
        uma.hours.append(WorkingHours(weekday=0, start_minute=9 * 60, end_minute=18 * 60))
        s.add(Room(name="Couples Suite", kind="couples", capacity=2))
        category = s.scalars(select(ServiceCategory)).first()
        couples = Service(
            category=category,
            name="Couples Massage",
            duration_minutes=60,
            buffer_minutes=15,
            price_minor=9000,
            tax_rate_bp=2000,
            room_kind="couples",
            capacity_used=1,
        )
        s.add(couples)
        s.flush()
        return couples.id


@pytest.fixture
def make_dialog(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> MakeDialog:
    def make(user_id: int | None = None, **kwargs: object) -> BookingDialog:
        owner = QWidget()
        qtbot.addWidget(owner)
        user = sign_in(user_id or shop.receptionist_id)
        desk = open_desk(make_services(), user, owner, AppEvents(owner), io=ImmediateExecutor())
        kwargs.setdefault("now", lambda: NOW)
        dialog = BookingDialog(desk, TODAY, parent=owner, **kwargs)  # type: ignore[arg-type]
        dialog.show()
        return dialog

    return make


def _booked(database: UnitOfWork, ids: tuple[int, ...]) -> list[tuple[str, str, str | None]]:
    """(service, therapist, room) of each appointment, in id order."""
    with database.read() as s:
        rows = []
        for appt_id in ids:
            appt = s.get(Appointment, appt_id)
            assert appt is not None
            rows.append((appt.service.name, appt.staff.display_name, appt.room and appt.room.name))
        return rows


def test_book_then_check_out_and_print(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with fake_network_printer() as printer:
        services = make_services(printer_port=printer.port)
        window = make_window(services, sign_in(shop.receptionist_id))
        calendar = window.calendar
        assert "2 appointments" in calendar.title.text()
        assert "Ctrl+B" in calendar.book_button.toolTip()
        calendar.grid.setFocus()
        qtbot.keyClick(calendar.grid, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        dialog = calendar.booking_dialog
        assert isinstance(dialog, BookingDialog)
        leg = dialog.leg(0)
        qtbot.waitUntil(lambda: leg.service.count() == 2)
        qtbot.keyClicks(dialog.clients.search, "+44 7700")
        qtbot.waitUntil(lambda: dialog.clients.matches.count() == 1)
        qtbot.keyClick(dialog.clients.search, Qt.Key.Key_Return)  # takes the match, books nothing
        assert dialog.isVisible()
        assert dialog.clients.client_ids() == (shop.anna_id,)
        _choose(leg.service, "Deep Tissue Massage")
        _choose(leg.staff, "Uma Therapist")
        dialog.time_edit.setTime(QTime(14, 0))
        _settled(qtbot, dialog)
        assert dialog.preview.text() == "Total £85.00 · ends at 15:00"

        # Uma is off on Mondays: said beside the leg, before and after Book.
        assert leg.problem.text() == "The therapist does not work on that day."
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        assert leg.problem.text() == "The therapist does not work on that day."
        assert dialog.fields.shown_errors() == {}  # said once, beside the leg
        assert not dialog.override_button.isVisible()  # a receptionist may not book past it
        # Tom has Anna at 10:00-11:00 (+15 minutes' cleanup): the appointment is named.
        _choose(leg.staff, "Tom Therapist")
        dialog.time_edit.setTime(QTime(11, 0))
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
        assert "10:00-11:00 Deep Tissue Massage" in leg.problem.text()
        assert dialog.isVisible()

        dialog.time_edit.setTime(QTime(14, 0))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.booked_id is not None)
        assert not dialog.isVisible()
        booked = dialog.booked_id
        assert booked is not None

        # The calendar heard the booking on the bus: the new block is there.
        qtbot.waitUntil(lambda: "3 appointments" in calendar.title.text())
        assert calendar.select_appointment(booked)
        block = calendar.grid.selected_block()
        assert block is not None
        assert "Anna Smith" in block.text()

        # Check out with F9 and print the receipt.
        # The offscreen platform has no window manager to give the window back its focus.
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(calendar.grid, Qt.Key.Key_F9)
        checkout = window.checkout
        assert window.tabs.currentWidget() is checkout
        assert "£85.00" in checkout.total_label.text()
        qtbot.keyClick(checkout, Qt.Key.Key_F9)
        jobs = printer.wait_for_jobs(1)
        receipt = next(job for job in jobs if b"Deep Tissue Massage" in job)
        assert b"Willow Test Spa" in receipt
        assert b"Anna Smith" in receipt
        assert "Sale R-000001 complete: £85.00." in checkout.result_label.text()
    with database.read() as s:
        paid = s.get(Appointment, booked)
        assert paid is not None
        assert paid.price_minor == 8500


def test_double_click_on_an_empty_cell_prefills_therapist_and_time(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    calendar = window.calendar
    grid = calendar.grid
    point = grid.point_at(0, 15 * 60 + 35)  # inside the 15:30 quarter of Tom's column
    slot = grid.slot_at(point)
    assert slot is not None
    assert (grid.columns[slot.column].staff_id, slot.minute) == (shop.therapist_id, 15 * 60 + 30)
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    dialog = calendar.booking_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.leg(0).staff.count() >= 3)
    assert dialog.leg(0).staff.currentData() == shop.therapist_id
    assert dialog.time_edit.time() == QTime(15, 30)
    dialog.grab().save("/tmp/booking-dialog-en.png")
    dialog.reject()
    QApplication.processEvents()


def test_two_services_in_sequence(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop, database: UnitOfWork
) -> None:
    dialog = make_dialog()
    dialog.add_client(shop.anna_id, "Anna Smith")
    _choose(dialog.leg(0).service, "Deep Tissue Massage")
    _choose(dialog.leg(0).staff, "Tom Therapist")
    dialog.legs.add_leg()
    _choose(dialog.leg(1).service, "Hot Stone Facial")
    _choose(dialog.leg(1).staff, "Tom Therapist")
    dialog.time_edit.setTime(QTime(14, 0))
    qtbot.keyClicks(dialog.note, "Firm pressure, birthday")
    _settled(qtbot, dialog)
    # Tom's 15 minutes' cleanup comes between his two legs.
    assert dialog.leg(0).plan.text() == "14:00–15:00 · Tom Therapist · £85.00"
    assert dialog.leg(1).plan.text() == "15:15–16:00 · Tom Therapist · £60.00"
    assert dialog.preview.text() == "Total £145.00 · ends at 16:00"
    dialog.submit()
    assert _booked(database, dialog.booked_ids) == [
        ("Deep Tissue Massage", "Tom Therapist", None),
        ("Hot Stone Facial", "Tom Therapist", None),
    ]
    with database.read() as s:
        kinds = {
            s.get(Booking, s.get(Appointment, i).booking_id).kind  # type: ignore[union-attr]
            for i in dialog.booked_ids
        }
    assert kinds == {"sequence"}
    with database.read() as s:
        notes = {s.get(Appointment, i).notes for i in dialog.booked_ids}  # type: ignore[union-attr]
    assert notes == {"Firm pressure, birthday"}


def test_a_group_of_two_in_the_couples_room(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop, spa: int, database: UnitOfWork
) -> None:
    dialog = make_dialog(service_ids=(spa,))
    dialog.add_client(shop.anna_id, "Anna Smith")
    dialog.add_client(shop.boris_id, "Борис Иванов")
    dialog.time_edit.setTime(QTime(14, 0))
    _settled(qtbot, dialog)
    # Uma has 王芳 at 14:00: one therapist for two guests is not enough.
    assert "no therapist free" in dialog.leg(0).plan.text()
    assert dialog.leg(0).problem.isVisible()
    dialog.time_edit.setTime(QTime(16, 0))
    _settled(qtbot, dialog)
    lines = dialog.leg(0).plan.text().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("Anna Smith: 16:00–17:00 · ")
    assert lines[1].startswith("Борис Иванов: 16:00–17:00 · ")
    assert all("Couples Suite" in line for line in lines), lines
    assert dialog.leg(0).problem.isHidden()
    assert dialog.preview.text() == "Total £180.00 · ends at 17:00"
    dialog.submit()
    booked = _booked(database, dialog.booked_ids)
    assert [room for _s, _t, room in booked] == ["Couples Suite", "Couples Suite"]
    assert {therapist for _s, therapist, _r in booked} == {"Tom Therapist", "Uma Therapist"}


def test_anyone_qualified_picks_a_free_therapist(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop, spa: int, database: UnitOfWork
) -> None:
    dialog = make_dialog(client_id=shop.boris_id, minute=10 * 60)
    _choose(dialog.leg(0).service, "Deep Tissue Massage")
    assert dialog.leg(0).staff.currentText() == "Anyone qualified"
    _settled(qtbot, dialog)
    # Tom has Anna at 10:00: Uma (who works Mondays here) takes Boris.
    assert dialog.leg(0).plan.text() == "10:00–11:00 · Uma Therapist · £85.00"
    dialog.submit()
    assert _booked(database, dialog.booked_ids) == [("Deep Tissue Massage", "Uma Therapist", None)]


def test_a_clash_shows_beside_its_leg_and_a_manager_books_past_it(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop, database: UnitOfWork
) -> None:
    dialog = make_dialog(shop.owner_id, staff_id=shop.therapist_id, minute=16 * 60)
    dialog.add_client(shop.boris_id, "Борис Иванов")
    dialog.legs.add_leg(staff_id=shop.therapist_id)
    _choose(dialog.leg(1).service, "Hot Stone Facial")
    dialog.time_edit.setTime(QTime(10, 30))
    _settled(qtbot, dialog)
    assert dialog.leg(0).problem.isVisible()
    assert "10:00-11:00 Deep Tissue Massage" in dialog.leg(0).problem.text()
    assert dialog.leg(1).problem.isHidden()  # 11:30 is free again for Tom
    dialog.submit()
    assert dialog.booked_ids == ()
    assert dialog.override_button.isVisible()
    assert "10:00-11:00 Deep Tissue Massage" in dialog.leg(0).problem.text()

    def answer() -> None:
        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, OverridePrompt)
        assert "10:00-11:00 Deep Tissue Massage" in prompt.message.text()
        qtbot.keyClicks(prompt.reason, "Boris is a regular; Tom agreed")
        qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    qtbot.keyClick(dialog.override_button, Qt.Key.Key_Return)
    assert len(dialog.booked_ids) == 2
    with database.read() as s:
        overrides = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "appointment.override")
        ).all()
        assert [(e.entity_id, e.staff_id) for e in overrides] == [
            (dialog.booked_ids[0], shop.owner_id)
        ]
        assert "Boris is a regular; Tom agreed" in overrides[0].detail


def test_a_receptionist_cannot_book_past_a_clash(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop, database: UnitOfWork
) -> None:
    dialog = make_dialog(shop.receptionist_id, staff_id=shop.therapist_id, minute=10 * 60 + 30)
    dialog.add_client(shop.boris_id, "Борис Иванов")
    dialog.submit()
    assert "10:00-11:00 Deep Tissue Massage" in dialog.leg(0).problem.text()
    assert not dialog.override_button.isVisible()
    dialog.book_anyway()  # not offered, and does nothing if reached anyway
    assert dialog.booked_ids == ()
    with database.read() as s:
        assert len(s.scalars(select(Appointment)).all()) == 2
    assert not isinstance(QApplication.activeModalWidget(), QMessageBox)


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR)
def test_the_dialog_says_when_allergies_could_not_be_checked(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    memory_keyring: MemoryKeyring,
    database: UnitOfWork,
) -> None:
    """This computer has no health data key: Anna's allergy (sealed on the first start) cannot
    be read, and the dialog says so plainly instead of passing in silence; it books all the
    same. Wang, with nothing on file, gets no notice."""
    make_services()
    memory_keyring.passwords.clear()
    services = make_services()
    assert not services.vault.ready
    owner = QWidget()
    qtbot.addWidget(owner)
    desk = open_desk(
        services, sign_in(shop.receptionist_id), owner, AppEvents(owner), io=ImmediateExecutor()
    )

    def dialog_for(client_id: int, name: str) -> BookingDialog:
        dialog = BookingDialog(
            desk, TODAY, parent=owner, staff_id=shop.therapist_id, minute=13 * 60, now=lambda: NOW
        )
        dialog.show()
        dialog.add_client(client_id, name)
        _settled(qtbot, dialog)
        return dialog

    wang = dialog_for(shop.wang_id, "王芳")
    assert wang.plan is not None
    assert not wang.gate_notice.isVisible()
    wang.reject()
    dialog = dialog_for(shop.anna_id, "Anna Smith")
    assert dialog.gate_notice.isVisible()
    assert dialog.gate_notice.text() == (
        "Allergies could not be checked: the health data key is missing on this computer "
        "(Back office, Health data key)."
    )
    dialog.grab().save("/tmp/gate-booking-unchecked.png")
    dialog.submit()
    assert len(dialog.booked_ids) == 1
