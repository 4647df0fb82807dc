"""A new, empty database: the owner is created first, with every field checked."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from frontdesk.domain.errors import DomainError
from frontdesk.domain.roles import Role
from frontdesk.ui.signin.first_owner import FirstOwnerDialog
from tests.frontdesk.ui.conftest import MakeServices


def test_first_owner_is_created_once(qtbot: QtBot, make_services: MakeServices) -> None:
    services = make_services()
    assert services.auth.needs_first_owner()
    dialog = FirstOwnerDialog(services.auth)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.edits["pin"], "12")
    dialog.submit()
    assert dialog.errors["name"].text() == "Enter the owner's name."
    assert dialog.errors["pin"].text() == "A PIN is 4 to 8 digits."
    assert services.auth.needs_first_owner()
    qtbot.keyClicks(dialog.edits["name"], "Mira Owner")
    dialog.edits["pin"].clear()
    qtbot.keyClicks(dialog.edits["pin"], "4321")
    qtbot.keyClicks(dialog.edits["pin_again"], "4322")
    dialog.submit()
    assert dialog.errors["pin_again"].text() == "The two PINs are not the same."
    assert dialog.errors["name"].isHidden()
    dialog.edits["pin_again"].clear()
    qtbot.keyClicks(dialog.edits["pin_again"], "4321")
    dialog.submit()
    assert dialog.signed_in is not None
    assert dialog.signed_in.role is Role.OWNER
    assert not services.auth.needs_first_owner()
    assert services.auth.sign_in(dialog.signed_in.staff_id or 0, "4321").name == "Mira Owner"
    with pytest.raises(DomainError, match="already has staff"):
        services.auth.create_first_owner("Someone Else", "1111", "1111")
