"""The booking dialog's form against a stand-in BookingService: what it asks for (legs in
order, every client, the reason), what it shows (each leg's plan and problem beside it, the
total, only the newest preview), bad input at the field, walk-ins, scans, prefill, keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import Customer
from frontdesk.domain.errors import RuleBroken
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.booking_dialog import BookingDialog
from frontdesk.ui.calendar.override_prompt import OverridePrompt
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.widgets.scan_target import deliver_scan
from frontdesk.ui.workers import Executor, ImmediateExecutor
from tests.conftest import NOW
from tests.fakes import HeldExecutor
from tests.frontdesk.ui.booking_fakes import FakeBooking, with_fake_booking
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

TODAY = date(2026, 11, 23)
MakeDialog = Callable[..., tuple[BookingDialog, FakeBooking]]


@pytest.fixture
def make_dialog(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> MakeDialog:
    def make(
        staff_id: int | None = None, *, db: Executor | None = None, **kwargs: object
    ) -> tuple[BookingDialog, FakeBooking]:
        services, fake = with_fake_booking(make_services())
        owner = QWidget()
        qtbot.addWidget(owner)
        user = sign_in(staff_id or shop.receptionist_id)
        desk = open_desk(services, user, owner, AppEvents(owner), io=ImmediateExecutor(), db=db)
        kwargs.setdefault("now", lambda: NOW)
        dialog = BookingDialog(desk, TODAY, parent=owner, **kwargs)  # type: ignore[arg-type]
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog, fake

    return make


def _choose(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def _take_client(qtbot: QtBot, dialog: BookingDialog, typed: str) -> None:
    search = dialog.clients.search
    search.setFocus()
    qtbot.keyClicks(search, typed)
    qtbot.keyClick(search, Qt.Key.Key_Return)


def _settled(qtbot: QtBot, dialog: BookingDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.preview_soon())


def test_two_services_in_sequence_book_in_order(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    dialog, fake = make_dialog()
    _take_client(qtbot, dialog, "Anna")
    assert dialog.clients.client_ids()  # Enter took the match...
    assert dialog.isVisible()  # ...and booked nothing
    assert dialog.leg(0).service.hasFocus()  # on to the services
    _choose(dialog.leg(0).service, "Deep Tissue Massage")
    qtbot.mouseClick(dialog.legs.add_button, Qt.MouseButton.LeftButton)
    _choose(dialog.leg(1).service, "Hot Stone Facial")
    dialog.time_edit.setTime(QTime(14, 0))
    _settled(qtbot, dialog)
    assert dialog.leg(0).plan.text() == "14:00–15:00 · Tom Therapist · £85.00"
    assert dialog.leg(1).plan.text() == "15:00–15:45 · Tom Therapist · £60.00"
    assert dialog.preview.text() == "Total £145.00 · ends at 15:45"
    assert len(fake.previews) == 1  # debounced: one question for the settled form

    # Alt+Down moves the massage after the facial.
    dialog.leg(0).service.setFocus()
    qtbot.keyClick(dialog.leg(0).service, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [row.service.currentText() for row in dialog.legs.rows] == [
        "Hot Stone Facial",
        "Deep Tissue Massage",
    ]
    qtbot.keyClick(dialog.leg(1).service, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.booked_ids == (100, 101)
    (asked,) = fake.booked
    assert [leg.service_id for leg in asked.legs] == [
        dialog.choices.services[1].id,  # type: ignore[union-attr]
        dialog.choices.services[0].id,  # type: ignore[union-attr]
    ]
    assert asked.starts == datetime(2026, 11, 23, 14, 0, tzinfo=asked.starts.tzinfo)
    assert not dialog.isVisible()


def test_a_group_each_gets_every_service(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    dialog, fake = make_dialog()
    _take_client(qtbot, dialog, "Anna")
    dialog.add_client(shop.boris_id, "Борис Иванов")
    _choose(dialog.leg(0).service, "Hot Stone Facial")
    dialog.time_edit.setTime(QTime(15, 0))
    _settled(qtbot, dialog)
    assert dialog.leg(0).plan.text().splitlines() == [
        "Anna Smith: 15:00–15:45 · Tom Therapist · £60.00",
        "Борис Иванов: 15:00–15:45 · Tom Therapist · £60.00",
    ]
    assert fake.previews[-1].client_ids == (shop.anna_id, shop.boris_id)
    # Delete takes the highlighted client off again.
    dialog.clients.chosen.setFocus()
    dialog.clients.chosen.setCurrentRow(1)
    qtbot.keyClick(dialog.clients.chosen, Qt.Key.Key_Delete)
    assert dialog.clients.client_ids() == (shop.anna_id,)


def test_a_problem_shows_beside_its_leg(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    dialog, fake = make_dialog()
    fake.problems[(shop.anna_id, 1)] = RuleBroken("staff", "The therapist is busy then.")
    _take_client(qtbot, dialog, "Anna")
    dialog.legs.add_leg()
    _settled(qtbot, dialog)
    assert dialog.leg(0).problem.isHidden()
    assert not dialog.leg(1).problem.isHidden()
    assert dialog.leg(1).problem.text() == "The therapist is busy then."


def test_only_the_newest_preview_is_shown(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    held = HeldExecutor()
    dialog, _fake = make_dialog(db=held)
    held.run_all()  # the choices
    dialog.add_client(shop.anna_id, "Anna Smith")
    dialog.time_edit.setTime(QTime(11, 0))
    dialog.refresh_preview()
    dialog.time_edit.setTime(QTime(12, 0))
    dialog.refresh_preview()
    older, newer = held.jobs
    held.jobs[:] = [newer, older]  # the newer answers first, the older late
    held.run_all()
    assert dialog.leg(0).plan.text().startswith("12:00–")


def test_bad_input_is_said_at_the_field_and_nothing_is_asked(
    qtbot: QtBot, make_dialog: MakeDialog
) -> None:
    dialog, fake = make_dialog()
    dialog.time_edit.setTime(QTime(9, 0))  # before NOW (10:00 UTC): a warning, not a refusal
    assert dialog.past_warning.isVisible()
    dialog.leg(0).service.setCurrentIndex(-1)
    qtbot.keyClick(dialog.book_button, Qt.Key.Key_Return)
    assert dialog.fields.shown_errors() == {
        "client": "Choose a client, or add a walk-in.",
        "service": "Choose at least one service.",
    }
    assert fake.booked == []
    assert dialog.isVisible()


def test_a_manager_books_past_a_rule_with_a_reason(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    dialog, fake = make_dialog(shop.owner_id)
    fake.refusals.append(RuleBroken("staff", "The therapist is busy then."))
    dialog.add_client(shop.anna_id, "Anna Smith")
    dialog.submit()
    assert dialog.fields.shown_errors() == {"service": "The therapist is busy then."}
    assert dialog.override_button.isVisible()

    def answer() -> None:
        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, OverridePrompt)
        qtbot.keyClicks(prompt.reason, "Regular, agreed to wait")
        qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.override_button, Qt.MouseButton.LeftButton)
    assert [r.override_reason for r in fake.booked] == ["", "Regular, agreed to wait"]
    assert dialog.booked_ids


def test_a_receptionist_is_not_offered_to_book_past_a_rule(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    dialog, fake = make_dialog(shop.receptionist_id)
    fake.refusals.append(RuleBroken("starts", "The shop is closed then."))
    dialog.add_client(shop.anna_id, "Anna Smith")
    dialog.submit()
    assert dialog.fields.shown_errors() == {"starts": "The shop is closed then."}
    assert not dialog.override_button.isVisible()
    assert dialog.isVisible()


def test_a_walk_in_is_saved_as_a_client_and_added(
    qtbot: QtBot, make_dialog: MakeDialog, database: UnitOfWork
) -> None:
    dialog, _fake = make_dialog()
    with database.read() as s:
        before = s.scalar(select(func.count(Customer.id)))
    qtbot.keyClicks(dialog.clients.search, "Mia")
    assert dialog.clients.nobody.text() == "No client found: add a walk-in (Ctrl+N)."
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    picker = dialog.clients
    qtbot.waitUntil(picker.walk_in.isVisible)  # a button's shortcut clicks it animated
    assert picker.first_name.hasFocus()
    # A bad phone: said beside it, nothing saved.
    assert picker.first_name.text() == "Mia"  # what was searched for
    qtbot.keyClicks(picker.phone, "12")
    qtbot.keyClick(picker.phone, Qt.Key.Key_Return)
    assert list(picker.walk_in_fields.shown_errors()) == ["phone"]
    assert picker.client_ids() == ()
    picker.phone.setText("07700 900456")
    qtbot.keyClick(picker.phone, Qt.Key.Key_Return)
    assert list(picker.names().values()) == ["Mia"]
    assert not picker.walk_in.isVisible()
    assert picker.nobody.isHidden()
    with database.read() as s:
        assert s.scalar(select(func.count(Customer.id))) == before + 1


def test_a_scanned_card_chooses_its_client(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    dialog, _fake = make_dialog()
    dialog.clients.search.setFocus()
    deliver_scan(dialog.clients.search, "FD-0000002")
    assert dialog.clients.client_ids() == (shop.boris_id,)
    assert dialog.clients.search.text() == ""


def test_prefilled_from_a_free_slot(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    starts = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    dialog, fake = make_dialog(
        staff_id=None,
        client_id=shop.boris_id,
        service_ids=(2, 1),
        starts=starts,
    )
    assert dialog.clients.client_ids() == (shop.boris_id,)
    assert [row.service.currentData() for row in dialog.legs.rows] == [2, 1]
    assert dialog.time_edit.time() == QTime(16, 30)  # London is UTC in November
    _settled(qtbot, dialog)
    assert fake.previews[-1].starts == starts


def test_a_dragged_range_prefills_therapist_and_a_service_that_fits(
    qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop
) -> None:
    dialog, _fake = make_dialog(minute=11 * 60, duration_minutes=45)
    dialog2, _ = make_dialog(
        minute=11 * 60, duration_minutes=45, **{"staff_id": None}
    )  # "anyone" stays anyone
    assert dialog.leg(0).service.currentText() == "Hot Stone Facial"
    assert dialog2.leg(0).staff.currentText() == "Anyone qualified"


def test_an_archived_therapist_or_unknown_service_is_said_at_the_field(
    qtbot: QtBot, make_dialog: MakeDialog
) -> None:
    dialog, fake = make_dialog(service_ids=(999,))
    assert dialog.fields.shown_errors() == {
        "service": "A service or therapist asked for is archived or unknown: choose another."
    }
    assert fake.booked == []


def test_tab_goes_top_to_bottom(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    dialog, _fake = make_dialog()
    dialog.legs.add_leg()
    dialog.legs.move_leg(dialog.leg(1), -1)
    order: list[QWidget] = []
    widget: QWidget = dialog.clients.search
    while (widget := widget.nextInFocusChain()) is not dialog.clients.search:
        order.append(widget)
    position = {id(w): i for i, w in reversed(list(enumerate(order)))}
    chain = [
        dialog.leg(0).service,
        dialog.leg(0).staff,
        dialog.leg(1).service,
        dialog.legs.add_button,
        dialog.date_edit,
        dialog.time_edit,
        dialog.book_button,
    ]
    positions = [position[id(w)] for w in chain]
    assert positions == sorted(positions)
    assert "Ctrl+Enter" in dialog.book_button.toolTip()
    assert "Ctrl+N" in dialog.clients.walk_in_button.toolTip()
    assert "Alt+Up" in dialog.leg(0).up.toolTip()


def test_fits_800_by_600(qtbot: QtBot, make_dialog: MakeDialog, shop: SeededShop) -> None:
    dialog, _fake = make_dialog(shop.owner_id)
    dialog.add_client(shop.anna_id, "Anna Smith")
    dialog.add_client(shop.boris_id, "Борис Иванов")
    dialog.legs.add_leg()
    dialog.legs.add_leg()
    _settled(qtbot, dialog)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 800
    assert hint.height() <= 600
    dialog.resize(800, 600)
    qtbot.waitUntil(lambda: dialog.width() == 800)
    QApplication.processEvents()
    dialog.grab().save("/tmp/dialog-form-en.png")


def test_the_time_steps_by_the_calendars_step(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    dialog, _fake = make_dialog(minute=10 * 60 + 7, step_minutes=15)
    edit = dialog.time_edit
    assert "15" in edit.toolTip()
    edit.setFocus()
    edit.setCurrentSection(edit.Section.MinuteSection)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.time() == QTime(10, 15)  # onto the grid first
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.time() == QTime(10, 30)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.time() == QTime(9, 45)
