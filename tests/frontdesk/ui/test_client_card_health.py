"""Recording health data on the card's Health tab, driving the real widgets on a real SQLite
file: a listed allergen in the window's language reaches the alert band; the same allergen twice
is refused at its field; without consent the form offers to record it and keeps what was typed;
removing asks first; a patch test in the future is refused at its date; roles without
EDIT_HEALTH see no form; a card read again keeps unsaved contact edits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import Allergy, AuditEntry, PatchTest
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.clients.area import ClientsArea
from frontdesk.ui.clients.card_health import HealthSection
from frontdesk.ui.clients.card_view import ClientCardView
from frontdesk.ui.translations import use_language
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_client_card import card_area
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop
from tools import translations as tool

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed .ts compiled into a folder of their own."""
    folder = tmp_path_factory.mktemp("qm")
    tool.build(folder)
    return folder


@pytest.fixture
def russian(qapp: QApplication, built: Path) -> Iterator[None]:
    assert use_language(qapp, "ru", "ru_RU", folder=built)
    yield
    use_language(qapp, "en", "en_GB")


def choose(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def fill_entry(section: HealthSection, substance: str, severity: str, notes: str = "") -> None:
    section.entry_form.substance.setEditText(substance)  # typing shows the filtered list: see below
    choose(section.entry_form.severity, severity)
    section.entry_form.notes.setText(notes)


def entry_count(database: UnitOfWork, customer_id: int) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).where(Allergy.customer_id == customer_id)) or 0)


def open_card(area: ClientsArea, query: str) -> HealthSection:
    type_text(area.search_edit, query)
    view = area.card_view
    assert view.health_tab is not None
    view.tabs.setCurrentWidget(view.health_tab)
    return view.health


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_a_listed_allergen_typed_in_russian_reaches_the_alert_band(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    russian: None,
) -> None:
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    services.client_health.set_consent(shop.boris_id, True, therapist)
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "бор")
        assert not area.card_view.alert.isVisible()
        assert health.entry_form.isVisible()
        # The list speaks Russian; typing filters it (any part of the name).
        assert health.entry_form.substance.findText("Латекс") > 0
        type_text(health.entry_form.substance_edit, "тек")
        completer = health.entry_form.substance.completer()
        assert completer is not None
        assert completer.popup().isVisible()
        shown = [
            completer.completionModel().index(row, 0).data()
            for row in range(completer.completionCount())
        ]
        assert shown == ["Латекс"]
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
        assert health.entry_form.substance.currentText() == "Латекс"
        assert health.shown_errors() == {}  # Enter in the list chose; it did not add yet
        choose(health.entry_form.severity, "severe")
        health.entry_form.notes.setText("перчатки без латекса")
        qtbot.keyClick(health.entry_form.notes, Qt.Key.Key_Return)  # Enter adds

        assert health.shown_errors() == {}
        assert area.card_view.alert.isVisible()
        assert "Латекс" in area.card_view.allergy_label.text()
        assert health.entries.item(0, 1).text() == "Латекс"
        assert health.entry_form.substance.currentText() == ""  # the form is ready for the next one
        # A listed contraindication chosen from the list makes the entry one.
        type_text(health.entry_form.substance_edit, "берем")
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
        assert health.entry_form.substance.currentText() == "Беременность"
        assert health.entry_form.kind.currentData() == "contraindication"
        (entry,) = services.client_health.health(shop.boris_id, therapist).entries
        assert (entry.code, entry.severity) == ("latex", "severe")
        assert entry.notes == "перчатки без латекса"


def test_the_same_allergen_twice_is_refused_at_its_field(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    services.client_health.set_consent(shop.anna_id, True, therapist)
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "ann")
        assert health.entries.rowCount() == 1  # Nut oil, recorded before
        fill_entry(health, "NUT  OIL", "mild")
        health.entry_form.add_button.click()
        assert health.shown_errors() == {"substance": "This is already recorded for this client."}
        assert health.entry_form.substance.hasFocus()
        assert health.entry_form.substance.currentText() == "NUT  OIL"  # kept to correct
        assert entry_count(database, shop.anna_id) == 1

        # Every bad field at once, nothing saved.
        fill_entry(health, "", "")
        health.entry_form.add_button.click()
        assert set(health.shown_errors()) == {"substance", "severity"}
        assert entry_count(database, shop.anna_id) == 1


@pytest.mark.parametrize("substance", ["Latex", "Something rare"])
def test_without_consent_the_form_offers_to_record_it_and_adds(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    caplog: pytest.LogCaptureFixture,
    substance: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "бор")
        fill_entry(health, substance, "moderate", "Told us on the phone")
        health.entry_form.add_button.click()

        offer = health.entry_form.consent
        assert offer.isVisible()
        assert offer.message.text().startswith("Борис Иванов has not agreed that we keep health")
        assert offer.agree_button.hasFocus()
        assert entry_count(database, shop.boris_id) == 0
        assert health.entry_form.substance.currentText() == substance  # what was typed stays
        assert health.entry_form.notes.text() == "Told us on the phone"

        offer.agree_button.click()
        assert not offer.isVisible()
        record = services.client_health.health(shop.boris_id, therapist)
        assert record.consent
        assert [e.substance for e in record.entries] == [substance]
        assert area.card_view.contact.health_consent.isChecked()  # the card read again
        assert substance in area.card_view.allergy_label.text()
        with database.read() as s:
            audit = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == shop.boris_id)).all()
        assert [a.action for a in audit] == ["health.consent_given", "health.allergy_added"]
        assert all(a.staff_id == shop.therapist_id for a in audit)
        assert not [a for a in audit if substance.lower() in (a.detail or "").lower()]
    assert substance not in caplog.text
    assert "Told us" not in caplog.text


def test_not_now_keeps_the_typing_and_adds_nothing(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "бор")
        fill_entry(health, "Henna", "mild")
        health.entry_form.add_button.click()
        assert health.entry_form.consent.isVisible()
        qtbot.keyClick(health.entry_form.consent.agree_button, Qt.Key.Key_Escape)
        assert not health.entry_form.consent.isVisible()
        assert health.entry_form.substance.currentText() == "Henna"
        assert not services.client_health.health(shop.boris_id, therapist).consent
        assert entry_count(database, shop.boris_id) == 0


def test_removing_an_entry_asks_first(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    services.client_health.set_consent(shop.anna_id, True, therapist)
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "ann")
        asked: list[tuple[str, str]] = []
        answers = [False, True]

        def confirm(question: str, what: str) -> bool:
            asked.append((question, what))
            return answers.pop(0)

        monkeypatch.setattr(health, "confirm", confirm)
        assert not health.remove_entry_button.isEnabled()  # nothing chosen yet
        health.entries.setFocus()
        health.entries.selectRow(0)
        assert health.remove_entry_button.isEnabled()
        qtbot.keyClick(health.entries, Qt.Key.Key_Delete)  # "No": it stays
        assert entry_count(database, shop.anna_id) == 1
        health.remove_entry_button.click()  # "Yes"
        assert asked == [("Remove this allergy from Anna Smith's card?", "Nut oil")] * 2
        assert entry_count(database, shop.anna_id) == 0
        assert health.entries_empty.isVisible()
        assert not area.card_view.alert.isVisible()
        with database.read() as s:
            actions = s.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == shop.anna_id)
            ).all()
        assert "health.allergy_removed" in actions


def test_a_patch_test_in_the_future_is_refused_at_its_date(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    services.client_health.set_consent(shop.anna_id, True, therapist)
    today = clock.now().date()
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "ann")
        assert health.tests_empty.text() == "No patch tests recorded"
        health.patch_form.tested_on.setDate(QDate(today + timedelta(days=3)))
        health.patch_form.product.setText("Brow tint, dark brown")
        health.patch_form.result.setText("No reaction")
        qtbot.keyClick(health.patch_form.result, Qt.Key.Key_Return)
        assert health.shown_errors() == {"tested_on": "A patch test cannot be dated in the future."}
        assert health.patch_form.tested_on.hasFocus()
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(PatchTest)) == 0

        health.patch_form.tested_on.setDate(QDate(today - timedelta(days=2)))
        health.patch_form.add_button.click()
        assert health.shown_errors() == {}
        assert health.tests.rowCount() == 1
        assert health.tests.item(0, 0).text() == "21 Nov 2026"
        assert health.tests.item(0, 1).text() == "Brow tint, dark brown"
        assert health.patch_form.product.text() == ""

        monkeypatch.setattr(health, "confirm", lambda question, what: True)
        health.tests.selectRow(0)
        health.remove_test_button.click()
        assert health.tests_empty.isVisible()
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(PatchTest)) == 0


@pytest.mark.parametrize(
    ("who", "form"), [("receptionist_id", False), ("therapist_id", True), ("owner_id", True)]
)
def test_only_roles_that_record_health_data_see_the_form(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    who: str,
    form: bool,
) -> None:
    services = make_services()
    user = sign_in(getattr(shop, who))
    with card_area(qtbot, services, user) as area:
        health = open_card(area, "ann")
        assert health.entries.isVisible()  # every role here may see health data
        assert health.entries.item(0, 1).text() == "Nut oil"
        assert health.entry_form.isVisible() is form
        assert health.patch_form.isVisible() is form
        assert health.remove_entry_button.isVisible() is form


def test_ctrl_shift_h_goes_to_the_form_and_tab_walks_it(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    with card_area(qtbot, services, therapist) as area:
        type_text(area.search_edit, "ann")
        view = area.card_view
        view.tabs.setCurrentIndex(0)
        assert area.search_edit.hasFocus()  # straight from the search
        qtbot.keyClick(
            area.search_edit,
            Qt.Key.Key_H,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        health = view.health
        assert view.tabs.currentWidget() is view.health_tab
        assert health.entry_form.kind.hasFocus()
        walked = []
        for _ in range(4):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            walked.append(QApplication.focusWidget())
        assert walked == [
            health.entry_form.substance,
            health.entry_form.severity,
            health.entry_form.notes,
            health.entry_form.add_button,
        ]
        assert "Ctrl+Shift+H" in health.entry_form.title.text()
        # Alt+letter takes the keyboard to a field.
        qtbot.keyClick(health.entry_form.kind, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
        assert health.entry_form.substance.hasFocus()
        qtbot.keyClick(health.entry_form.kind, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
        assert health.patch_form.tested_on.hasFocus()


def test_a_new_client_card_starts_with_empty_forms(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """Never another client's typed allergy on this card."""
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "ann")
        fill_entry(health, "Latex", "severe")
        area.search_edit.clear()
        health = open_card(area, "бор")
        assert area.card_view.name_label.text() == "Борис Иванов"
        assert health.entry_form.substance.currentText() == ""
        assert health.entry_form.severity.currentData() == ""


def test_a_health_change_keeps_unsaved_contact_edits(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    services.client_health.set_consent(shop.anna_id, True, owner)
    with card_area(qtbot, services, owner) as area:
        type_text(area.search_edit, "ann")
        view = area.card_view
        view.contact.fields.edits["email"].setText("anna@example.com")
        view.preferences.music.setText("Rain")
        view.tabs.setCurrentWidget(view.health_tab)
        fill_entry(view.health, "Lanolin", "mild")
        view.health.entry_form.add_button.click()

        assert view.health.entries.rowCount() == 2  # the card was read again
        assert view.tabs.currentWidget() is view.health_tab
        assert view.contact.fields.edits["email"].text() == "anna@example.com"
        assert view.preferences.music.text() == "Rain"
        assert view.contact.health_consent.isChecked()
        view.contact.fields.edits["first_name"].setText("  Anna   Maria ")
        view.save_button.click()
        card = services.clients.card(shop.anna_id, owner)
        assert card.form.email == "anna@example.com"
        assert card.structured.music == "Rain"
        # After a Save the card shows what was stored, not what was typed.
        assert card.form.first_name == "Anna Maria"
        assert view.contact.fields.edits["first_name"].text() == "Anna Maria"


def test_the_calendar_marks_the_allergy_once_it_is_recorded(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """Through the change bus alone: the card does not tell the calendar."""
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    services.client_health.set_consent(shop.wang_id, True, therapist)
    window = make_window(services, therapist)

    def wang_marked() -> bool:
        schedule = window.calendar.schedule
        assert schedule is not None
        (appt,) = [a for a in schedule.appointments if a.id == shop.afternoon_appt_id]
        return appt.has_allergies

    assert not wang_marked()
    window.open_client(shop.wang_id)
    health = window.clients.card_view.health
    fill_entry(health, "Essential oils", "moderate")
    health.entry_form.add_button.click()
    assert health.shown_errors() == {}
    assert health.entries.rowCount() == 1
    window.tabs.setCurrentWidget(window.calendar)  # a hidden tab catches up when shown
    assert wang_marked()


def test_a_refused_save_keeps_its_typing_through_a_health_change(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    services.client_health.set_consent(shop.anna_id, True, owner)
    with card_area(qtbot, services, owner) as area:
        type_text(area.search_edit, "ann")
        view = area.card_view
        phone = view.contact.fields.edits["phone"]
        phone.setText("12")
        view.save_button.click()
        assert view.shown_errors() == {"phone": "That is not a phone number."}
        view.tabs.setCurrentWidget(view.health_tab)
        fill_entry(view.health, "Soy", "mild")
        view.health.entry_form.add_button.click()
        assert view.health.entries.rowCount() == 2
        assert phone.text() == "12"  # still there to correct
        assert view.shown_errors() == {"phone": "That is not a phone number."}


def test_locked_health_data_says_so_on_the_tab_and_offers_no_form(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """Without the key nothing can be sealed: no form, and never 'not shown to your role'."""
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    card = replace(services.clients.card(shop.anna_id, therapist), health=None, health_locked=True)
    view = ClientCardView(therapist.can)
    qtbot.addWidget(view)
    view.show()
    view.show_card(card, services.shop.info().formats)
    assert view.health_tab is not None
    view.tabs.setCurrentWidget(view.health_tab)
    health = view.health
    assert health.hidden_label.isVisible()
    assert "health data key" in health.hidden_label.text()
    assert not health.entry_form.isVisible()
    assert not health.patch_form.isVisible()
    assert not health.entries.isVisible()


def test_a_patch_test_without_consent_is_offered_the_consent_too(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    clock: FixedClock,
) -> None:
    services = make_services()
    therapist = sign_in(shop.therapist_id)
    with card_area(qtbot, services, therapist) as area:
        health = open_card(area, "бор")
        form = health.patch_form
        form.tested_on.setDate(QDate(clock.now().date()))
        form.product.setText("Lash glue")
        form.result.setText("Redness after 24 h")
        form.add_button.click()
        assert form.consent.isVisible()
        assert not health.entry_form.consent.isVisible()  # beside the form that asked
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(PatchTest)) == 0
        form.consent.agree_button.click()
        record = services.client_health.health(shop.boris_id, therapist)
        assert record.consent
        assert [(t.product, t.result) for t in record.patch_tests] == [
            ("Lash glue", "Redness after 24 h")
        ]
        assert health.tests.rowCount() == 1
