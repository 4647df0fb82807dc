"""The card's contact and preference sections: read-only fields look read-only, the consent
tooltip names who may change it, older free preferences sit beside their label."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from db.models import Preference
from frontdesk.domain.roles import PERMISSIONS, Permission
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from tests.frontdesk.ui.conftest import MakeServices
from tests.frontdesk.ui.test_client_card import card_area
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop

pytestmark = pytest.mark.gui


def _background(edit: QLineEdit) -> QColor:
    image = edit.grab().toImage()
    return image.pixelColor(edit.width() - 6, edit.height() // 2)


def test_a_therapist_sees_greyed_fields_and_the_truth_about_who_may_change_consent(
    qtbot: QtBot,
    database: UnitOfWork,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    with database.write() as s:
        s.add(Preference(customer_id=shop.anna_id, topic="focus", value="neck"))
    services = make_services()
    shades = {}
    for who in (shop.receptionist_id, shop.therapist_id):
        with card_area(qtbot, services, sign_in(who)) as area:
            type_text(area.search_edit, "ann")
            view = area.card_view
            edit = view.contact.fields.edits["first_name"]
            assert edit.text() == "Anna"
            shades[who] = (edit.isReadOnly(), _background(edit).lightness())
            if who == shop.receptionist_id:
                tip = view.contact.health_consent.toolTip()
                assert tip == "Only an owner, a manager or a therapist may change this consent."
                may = [r.value for r, p in PERMISSIONS.items() if Permission.EDIT_HEALTH in p]
                assert may == ["owner", "manager", "therapist"]
            others = view.preferences.others
            assert others.text() == "focus: neck"
            assert others.alignment() & Qt.AlignmentFlag.AlignTop
            role = "desk" if who == shop.receptionist_id else "therapist"
            area.grab().save(f"/tmp/polish-card-contact-{role}-en.png")
    (desk_ro, desk_shade), (ther_ro, ther_shade) = (
        shades[shop.receptionist_id],
        shades[shop.therapist_id],
    )
    assert not desk_ro
    assert ther_ro
    assert ther_shade < desk_shade  # greyed, not the white of a field to type in
