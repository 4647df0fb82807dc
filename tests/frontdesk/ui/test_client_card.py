"""The client card at the desk: a receptionist sees spend and the alert band and acknowledges
it; a therapist sees no money figure anywhere on the card; contact and preferences are edited
in place, a bad phone keeps its message at the field and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import AuditEntry, Preference
from frontdesk.bootstrap import AppServices
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.clients.area import ClientsArea
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop

pytestmark = pytest.mark.gui


@contextmanager
def card_area(qtbot: QtBot, services: AppServices, user: SignedIn) -> Iterator[ClientsArea]:
    owner = QWidget()
    qtbot.addWidget(owner)
    desk = open_desk(
        services, user, owner, AppEvents(owner), io=ImmediateExecutor(), db=ImmediateExecutor()
    )
    area = ClientsArea(desk)
    qtbot.addWidget(area)
    area.resize(1024, 700)
    area.show()
    area.activateWindow()  # shortcuts (Ctrl+S, Ctrl+K) go to the active window
    qtbot.waitExposed(area)
    qtbot.waitUntil(area.isActiveWindow)
    try:
        yield area
    finally:
        desk.detach()


def visible_texts(root: QWidget) -> list[str]:
    """Every text a person can see on the card: labels, buttons, fields and table cells."""
    texts: list[str] = []
    for child in root.findChildren(QWidget):
        if not child.isVisibleTo(root):
            continue
        if isinstance(child, QLabel | QAbstractButton | QLineEdit):
            texts.append(child.text())
        elif isinstance(child, QTableWidget):
            for row in range(child.rowCount()):
                for column in range(child.columnCount()):
                    item = child.item(row, column)
                    if item is not None and not child.isColumnHidden(column):
                        texts.append(item.text())
    return texts


def test_a_receptionist_sees_spend_and_the_alert_and_acknowledges_it(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, user)
    with card_area(qtbot, services, user) as area:
        type_text(area.search_edit, "ann")
        view = area.card_view
        assert view.alert.isVisible()
        assert view.alert.headline.text() == "⚠ ALLERGIES"
        assert "Nut oil — severe: Use grapeseed" in view.allergy_label.text()
        assert view.alert.acknowledge_button.isVisible()
        assert view.header.values["spent"].text() == "£85.00"
        assert view.header.values["visits"].text() == "1"
        assert view.history.item(0, 4).text() == "£85.00"

        # Acknowledge by keyboard: the band stays, saying who read it and when.
        view.contact.fields.edits["email"].setFocus()
        qtbot.keyClick(
            view.contact.fields.edits["email"], Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier
        )
        assert view.alert.isVisible()
        assert not view.alert.acknowledge_button.isVisible()
        assert view.alert.acknowledged.text() == "Acknowledged at 10:00 by Rita Reception."
        with database.read() as s:
            (entry,) = s.scalars(
                select(AuditEntry).where(AuditEntry.action == "health.alert_acknowledged")
            ).all()
        assert entry.staff_id == shop.receptionist_id
        assert entry.detail == ""  # never the allergy


def test_a_therapist_sees_no_money_figure_anywhere_on_the_card(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    desk = sign_in(shop.receptionist_id)
    services.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    therapist = sign_in(shop.therapist_id)
    with card_area(qtbot, services, therapist) as area:
        type_text(area.search_edit, "ann")
        view = area.card_view
        assert view.alert.isVisible()  # the therapist needs the allergy most
        assert view.history.rowCount() == 1
        for index in range(view.tabs.count()):
            view.tabs.setCurrentIndex(index)
            texts = visible_texts(view)
            assert not [t for t in texts if "£" in t or "85.00" in t or "85,00" in t]
        assert not view.header.values["spent"].isVisibleTo(view)
        assert view.history.isColumnHidden(4)
        assert not view.save_button.isVisibleTo(view)  # therapists do not edit contact details


def test_a_bad_phone_is_shown_at_its_field_and_nothing_is_saved(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    with card_area(qtbot, services, user) as area:
        type_text(area.search_edit, "бор")
        view = area.card_view
        assert view.name_label.text() == "Борис Иванов"
        view.tabs.setCurrentIndex(1)
        prefs = view.preferences
        prefs.pressure.setCurrentIndex(prefs.pressure.findData("deep"))
        prefs.music.setText("Tibetan bowls")
        view.tabs.setCurrentIndex(0)
        phone = view.contact.fields.edits["phone"]
        phone.setText("12")
        qtbot.keyClick(phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert view.shown_errors() == {"phone": "That is not a phone number."}
        assert view.tabs.currentIndex() == 0
        assert phone.hasFocus()
        with database.read() as s:
            topics = s.scalars(
                select(Preference.topic).where(Preference.customer_id == shop.boris_id)
            ).all()
        assert topics == []  # the preferences waited for the phone: nothing half-saved
        assert services.clients.card(shop.boris_id, user).form.phone == "+7 916 123-45-67"

        phone.setText("+7 916 765-43-21")
        view.save_button.click()
        assert view.shown_errors() == {}
        assert view.saved_label.text() == "Saved."
        card = services.clients.card(shop.boris_id, user)
        assert card.structured.pressure == "deep"
        assert card.structured.music == "Tibetan bowls"
        assert card.form.phone == "+7 916 765-43-21"
        assert view.contact.fields.edits["phone"].text() == "+7 916 765-43-21"  # read back


def test_marketing_consent_needs_its_channel_and_tags_come_and_go(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    with card_area(qtbot, services, user) as area:
        type_text(area.search_edit, "ann")
        view = area.card_view
        view.contact.marketing.setChecked(True)
        view.save_button.click()
        assert set(view.shown_errors()) == {"marketing_channel"}
        view.contact.channel.setCurrentIndex(view.contact.channel.findData("in_person"))
        view.save_button.click()
        assert view.shown_errors() == {}
        assert view.contact.marketing_date.text() == "23 Nov 2026"

        qtbot.keyClicks(view.header.tag_edit, "VIP")
        qtbot.keyClick(view.header.tag_edit, Qt.Key.Key_Return)
        assert [b.text() for b in view.header.tag_buttons] == ["VIP ×"]
        assert view.header.tag_edit.text() == ""
        view.header.tag_buttons[0].click()
        assert view.header.tag_buttons == []


def test_withdrawing_health_consent_asks_first(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    with card_area(qtbot, services, owner) as area:
        type_text(area.search_edit, "ann")
        view = area.card_view
        view.contact.health_consent.setChecked(True)
        view.save_button.click()
        assert services.clients.card(shop.anna_id, owner).health_consent
        answers = [False, True]
        monkeypatch.setattr(view, "confirm_withdrawal", lambda: answers.pop(0))
        view.contact.health_consent.setChecked(False)
        view.save_button.click()  # "No": nothing changes
        card = services.clients.card(shop.anna_id, owner)
        assert card.health_consent
        assert card.alerts
        view.save_button.click()  # "Yes": the health data goes with the consent
        card = services.clients.card(shop.anna_id, owner)
        assert not card.health_consent
        assert card.alerts == ()
        assert not view.alert.isVisible()
        assert view.no_alerts.text() == "No allergies recorded"


def test_locked_health_data_is_loud_never_no_allergies(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    from dataclasses import replace

    from frontdesk.ui.clients.card_view import ClientCardView

    services = make_services()
    user = sign_in(shop.receptionist_id)
    card = replace(services.clients.card(shop.anna_id, user), health=None, health_locked=True)
    view = ClientCardView(user.can)
    qtbot.addWidget(view)
    view.show()
    view.show_card(card, services.shop.info().formats)
    assert view.alert.isVisible()
    assert view.alert.headline.text() == "⚠ HEALTH DATA LOCKED"
    assert not view.alert.acknowledge_button.isVisible()
    assert not view.no_alerts.isVisible()
