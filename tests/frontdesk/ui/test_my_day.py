"""My day (a therapist's next clients with their briefs, writing the note) and the safety gate
at checkout, driven through the real window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import AuditEntry, SafetyOverride, Sale, Service, ServiceTag
from frontdesk.services.auth import SignedIn
from frontdesk.services.safety_gate import SafetyStop
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.booking_dialog import BookingDialog
from frontdesk.ui.calendar.override_prompt import OverridePrompt
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.main_window import MY_DAY
from frontdesk.ui.therapist.area import MyDayArea
from frontdesk.ui.workers import ImmediateExecutor
from tests.conftest import NOW
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.keyrings import MemoryKeyring
from tests.seed import SeededShop

MONEY_MARKS = ("£", "85.00", "85,00", "8500")


def _texts(widget: MyDayArea) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def test_a_therapist_starts_on_my_day_and_writes_the_note_in_a_few_keystrokes(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    services = make_services()
    tom = sign_in(shop.therapist_id)
    window = make_window(services, tom)
    assert window.tabs.currentIndex() == MY_DAY
    area = window.my_day
    (brief,) = area.cards  # Anna at 10:00, in progress now
    assert brief.brief.customer_name == "Anna Smith"
    assert brief.alerts.isVisible()
    assert "Nut oil" in brief.alerts.text()
    assert "Pressure: firm" in brief.details.text()
    # No money figure anywhere in the view.
    shown = _texts(area)
    assert not any(mark in shown for mark in MONEY_MARKS), shown
    # Focus is in the note box: type, Ctrl+Enter, done.
    assert brief.note_edit is not None
    qtbot.waitUntil(brief.note_edit.hasFocus)
    qtbot.keyClicks(brief.note_edit, "Firm pressure, tight shoulders")
    qtbot.keyClick(brief.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(area.saved_label.isVisible)
    assert area.saved_label.text() == "Note saved for Anna Smith."
    notes = services.treatment_notes.notes(shop.anna_id, tom)
    assert [(n.text, n.appointment_id) for n in notes] == [
        ("Firm pressure, tight shoulders", shop.morning_appt_id)
    ]
    # The bus brought the note back into the brief.
    qtbot.waitUntil(lambda: "tight shoulders" in area.cards[0].details.text())
    with database.read() as s:
        details = list(
            s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "note.written"))
        )
    assert details
    assert not any("shoulders" in d for d in details)


def test_my_day_says_when_nobody_is_left_and_the_counter_cannot_open_it(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))  # an owner with no appointments
    window.show_area(MY_DAY)
    assert window.tabs.currentIndex() == MY_DAY
    assert window.my_day.empty_label.isVisible()
    assert window.my_day.empty_label.text() == "No more clients today."
    desk = make_window(services, sign_in(shop.receptionist_id))
    assert not desk.tabs.isTabEnabled(MY_DAY)
    assert desk.tabs.tabToolTip(MY_DAY) == "My day is for therapists."


def test_checkout_stops_at_the_safety_gate_until_a_reason_is_given(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
        s.add(ServiceTag(service_id=deep, kind="ingredient", tag="nut oil blend"))
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.start_checkout(shop.morning_appt_id)
    checkout = window.checkout
    qtbot.waitUntil(lambda: checkout.quote is not None)
    assert checkout.safety_box.isVisible()
    assert "“nut oil blend”" in checkout.safety_label.text()
    assert "allergy" in checkout.safety_label.text()
    window.grab().save("/tmp/therapist-checkout-gate.png")
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    assert "give a reason" in checkout.error_label.text()
    assert checkout.safety_reason_edit.hasFocus()
    with database.read() as s:
        assert s.scalars(select(Sale)).first() is None
    qtbot.keyClicks(checkout.safety_reason_edit, "Grapeseed oil used instead")
    qtbot.keyClick(checkout, Qt.Key.Key_F9)
    qtbot.waitUntil(checkout.result_label.isVisible)
    with database.read() as s:
        (override,) = s.scalars(select(SafetyOverride)).all()
        assert override.reason == "Grapeseed oil used instead"
        assert override.sale_id is not None


def test_the_booking_dialog_shows_the_gate_beside_the_leg_and_books_with_a_reason(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
        s.add(ServiceTag(service_id=deep, kind="ingredient", tag="nut oil blend"))
    owner = QWidget()
    qtbot.addWidget(owner)
    desk = open_desk(
        make_services(),
        sign_in(shop.receptionist_id),
        owner,
        AppEvents(owner),
        io=ImmediateExecutor(),
    )
    dialog = BookingDialog(
        desk,
        date(2026, 11, 23),
        parent=owner,
        staff_id=shop.therapist_id,
        minute=13 * 60,
        now=lambda: NOW,
    )
    dialog.show()
    dialog.add_client(shop.anna_id, "Anna Smith")
    qtbot.waitUntil(lambda: not dialog.preview_soon())
    assert dialog.leg(0).problem.isVisible()
    assert "“nut oil blend”" in dialog.leg(0).problem.text()
    dialog.submit()
    assert dialog.booked_ids == ()
    assert isinstance(dialog.refusal, SafetyStop)
    assert dialog.override_button.isVisible()  # a receptionist may go ahead with a reason
    dialog.grab().save("/tmp/therapist-booking-gate.png")

    def answer() -> None:
        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, OverridePrompt)
        assert "nut oil blend" in prompt.message.text()
        qtbot.keyClicks(prompt.reason, "Patch test passed last week")
        qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    qtbot.keyClick(dialog.override_button, Qt.Key.Key_Return)
    assert len(dialog.booked_ids) == 1
    with database.read() as s:
        (override,) = s.scalars(select(SafetyOverride)).all()
        assert (override.appointment_id, override.reason) == (
            dialog.booked_ids[0],
            "Patch test passed last week",
        )


class _Words(QTranslator):
    """A translator for the few strings a test names (context, source) -> text."""

    def __init__(self, words: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.words = words

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return self.words.get((context, source), source)

    def isEmpty(self) -> bool:
        return False


def test_my_day_punctuation_follows_the_language(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    qapp: QApplication,
) -> None:
    """Chinese writes "压力：适中；…" and "坚果油，严重": no English colon, semicolon or
    brackets built into the brief."""
    words = _Words(
        {
            ("BriefCard", "{topic}: {value}"): "{topic}：{value}",
            ("BriefCard", "; "): "；",
            ("BriefCard", "⚠ {kind}: {what} — {severity}"): "⚠ {kind}：{what}，{severity}",
        }
    )
    qapp.installTranslator(words)
    try:
        window = make_window(make_services(), sign_in(shop.therapist_id))
        (brief,) = window.my_day.cards
    finally:
        qapp.removeTranslator(words)
    assert "Pressure：firm" in brief.details.text()
    assert brief.alerts.text().endswith("：Nut oil，severe")


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR)
def test_a_locked_vault_shows_a_red_band_and_no_note_box_to_type_in(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    memory_keyring: MemoryKeyring,
) -> None:
    make_services()  # the key is made and the allergies sealed
    memory_keyring.passwords.clear()  # another computer, without the key
    services = make_services()
    assert not services.vault.ready
    window = make_window(services, sign_in(shop.therapist_id))
    (brief,) = window.my_day.cards
    assert not brief.alerts.isVisible()
    assert brief.locked.isVisible()
    assert brief.locked.text() == (
        "⚠ Health data locked: this client's allergies cannot be shown here."
    )
    assert brief.note_edit is not None
    assert not brief.note_edit.isEnabled()
    assert not brief.save_button.isEnabled()
    assert "health data key is missing" in brief.note_error.text()
    window.grab().save("/tmp/polish-myday-locked-en.png")
