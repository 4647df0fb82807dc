"""The back office's Health data key page, driven through the window: export to a file and a
page to print, the status bar's warning while the key is missing, restore typed from paper."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from frontdesk.services.auth import SignedIn
from frontdesk.services.health_vault import HealthVault, key_text, parse_key_text
from frontdesk.ui.backoffice.health_key_page import HealthKeyPage
from frontdesk.ui.main_window import MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.keyrings import MemoryKeyring
from tests.seed import SeededShop


def _page(qtbot: QtBot, window: MainWindow) -> HealthKeyPage:
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # the back office
    page = window.back_office.show_section("health_key")
    assert isinstance(page, HealthKeyPage)
    return page


def test_the_owner_exports_the_key_to_a_file_and_a_page(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    page = _page(qtbot, window)
    assert "keyring" in page.status_label.text()
    assert not window.health_key_warning.isVisible()
    assert page.problem_label.isHidden()
    page.grab().save("/tmp/vault-health-key-page.png")

    targets = iter([tmp_path / "key.txt", tmp_path / "key.pdf"])
    page.ask_save_path = lambda *_: next(targets)
    with qtbot.waitSignal(page.exported):
        qtbot.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert parse_key_text((tmp_path / "key.txt").read_text()) == services.vault.key()
    with qtbot.waitSignal(page.exported):
        qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    pdf = tmp_path / "key.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    assert "key.pdf" in page.result_label.text()


def test_only_the_owner_sees_the_page(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    assert all(s.key != "health_key" for s in window.back_office.sections)


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR)
def test_a_missing_key_warns_and_is_restored_typed_from_paper(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    memory_keyring: MemoryKeyring,
) -> None:
    exported = key_text(make_services().vault.key())
    memory_keyring.passwords.clear()  # another computer
    services = make_services()
    assert not services.vault.ready
    window = make_window(services, sign_in(shop.owner_id))
    assert window.health_key_warning.isVisible()
    assert "Restore" in window.health_key_warning.toolTip()
    page = _page(qtbot, window)
    assert page.problem_label.isVisible()
    assert not page.export_button.isEnabled()
    page.grab().save("/tmp/vault-health-key-locked.png")

    page.key_edit.setPlainText(key_text(HealthVault.new_key()))
    qtbot.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert "does not open" in page.key_error.text()
    assert not services.vault.ready

    page.key_edit.clear()
    page.key_edit.setFocus()
    qtbot.keyClicks(page.key_edit, exported[:30] + " " + exported[30:])
    with qtbot.waitSignal(page.restored):
        qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert services.vault.ready
    assert page.key_error.text() == ""
    assert "keyring" in page.status_label.text()
    assert not window.health_key_warning.isVisible()
    assert page.export_button.isEnabled()
