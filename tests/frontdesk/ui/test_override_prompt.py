"""Booking past a rule: a manager gives a reason (required); a receptionist only sees the
refusal; an error that is no calendar rule is never overridable."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.domain.errors import RuleBroken, ValidationError
from frontdesk.services.auth import SignedIn
from frontdesk.ui.calendar.override_prompt import OverridePrompt, ask_override
from frontdesk.ui.desk import Desk, open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

CLASH = RuleBroken("staff", "The therapist is busy then.")


def _desk(qtbot: QtBot, make_services: MakeServices, user: SignedIn) -> tuple[Desk, QWidget]:
    owner = QWidget()
    qtbot.addWidget(owner)
    desk = open_desk(make_services(), user, owner, AppEvents(owner), io=ImmediateExecutor())
    return desk, owner


def _when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Act on the modal `kind` once its event loop runs (exec() blocks the test otherwise)."""

    def attempt() -> None:
        shown = QApplication.activeModalWidget()
        if isinstance(shown, kind):
            act(shown)
        else:
            QTimer.singleShot(10, attempt)

    QTimer.singleShot(0, attempt)


def test_a_manager_gives_a_reason(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    desk, owner = _desk(qtbot, make_services, sign_in(shop.owner_id))
    seen: list[tuple[str, bool]] = []

    def answer(prompt: QWidget) -> None:
        assert isinstance(prompt, OverridePrompt)
        seen.append((prompt.message.text(), prompt.confirm_button.isEnabled()))
        qtbot.keyClicks(prompt.reason, "  client agreed  ")
        seen.append(("", prompt.confirm_button.isEnabled()))
        qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)

    _when_shown(OverridePrompt, answer)
    assert ask_override(owner, desk, CLASH) == "client agreed"
    assert seen == [("The therapist is busy then.", False), ("", True)]


def test_cancelled_or_blank_is_no_override(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    desk, owner = _desk(qtbot, make_services, sign_in(shop.owner_id))

    def blank_then_cancel(prompt: QWidget) -> None:
        assert isinstance(prompt, OverridePrompt)
        qtbot.keyClicks(prompt.reason, "   ")
        qtbot.keyClick(prompt.reason, Qt.Key.Key_Return)  # no reason: stays open
        assert prompt.isVisible()
        prompt.reject()

    _when_shown(OverridePrompt, blank_then_cancel)
    assert ask_override(owner, desk, CLASH, confirm="Move anyway") is None


def test_a_receptionist_only_sees_the_refusal(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    desk, owner = _desk(qtbot, make_services, sign_in(shop.receptionist_id))
    shown: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    _when_shown(QMessageBox, read)
    assert ask_override(owner, desk, CLASH) is None
    assert shown == ["The therapist is busy then."]


def test_a_plain_validation_error_is_never_overridable(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    desk, owner = _desk(qtbot, make_services, sign_in(shop.owner_id))
    shown: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    _when_shown(QMessageBox, read)
    error = ValidationError("starts", "Choose a date and a time.")
    assert ask_override(owner, desk, error) is None
    assert shown == ["Choose a date and a time."]
