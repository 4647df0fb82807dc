"""The guided start's first two steps on a new database: the shop, then the owner; every bad
field shown beside it on its own step, nothing saved until both are good."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from frontdesk.domain.roles import Role
from frontdesk.ui.app import ShopStarter
from frontdesk.ui.firstrun.new_shop import NewShopDialog
from tests.frontdesk.ui.conftest import MakeServices


def _dialog(qtbot: QtBot, make_services: MakeServices) -> tuple[NewShopDialog, object]:
    services = make_services()
    assert services.auth.needs_first_owner()
    dialog = NewShopDialog(ShopStarter(lambda: services))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, services


def _choose_locale(dialog: NewShopDialog, code: str) -> None:
    dialog.locale_combo.setCurrentIndex(dialog.locale_combo.findData(code))


def test_a_new_shop_and_its_owner_through_both_steps(
    qtbot: QtBot, make_services: MakeServices
) -> None:
    dialog, services = _dialog(qtbot, make_services)
    assert dialog.pages.currentIndex() == 0
    assert dialog.step_label.text() == "Step 1 of 6"
    # step 1 refuses an empty name and an unknown currency, beside each field
    dialog.currency_combo.setEditText("")
    qtbot.keyClicks(dialog.currency_combo.lineEdit(), "XQZ")
    qtbot.keyClicks(dialog.tax_edit, "120")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    shown = dialog.shop_form.shown_errors()
    assert shown["name"] == "Enter the shop's name."
    assert "currency" in shown
    assert shown["default_tax_rate"] == "A rate cannot be over 100 %."
    dialog.tax_edit.clear()
    qtbot.keyClicks(dialog.tax_edit, "20")
    assert dialog.pages.currentIndex() == 0
    qtbot.keyClicks(dialog.name_edit, "Willow Spa")
    _choose_locale(dialog, "en_GB")
    assert dialog.currency_combo.currentText() == "XQZ"  # typed by the person: kept
    dialog.currency_combo.setEditText("")
    qtbot.keyClicks(dialog.currency_combo.lineEdit(), "gbp")
    dialog.zone_combo.setEditText("")
    qtbot.keyClicks(dialog.zone_combo.lineEdit(), "Europe/London")
    qtbot.keyClicks(dialog.phone_edit, "020 7946 0000")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter: the default button
    assert dialog.shop_form.shown_errors() == {}
    assert dialog.pages.currentIndex() == 1
    assert dialog.heading.text() == "The owner"
    assert services.auth.needs_first_owner()  # nothing saved yet
    # step 2: PINs that differ
    owner = dialog.owner_form.edits
    qtbot.keyClicks(owner["owner_name"], "Mira Owner")
    qtbot.keyClicks(owner["pin"], "4321")
    qtbot.keyClicks(owner["pin_again"], "4322")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.owner_form.shown_errors() == {"pin_again": "The two PINs are not the same."}
    assert dialog.signed_in is None
    assert services.auth.needs_first_owner()
    owner["pin_again"].clear()
    qtbot.keyClicks(owner["pin_again"], "4321")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == NewShopDialog.DialogCode.Accepted
    assert dialog.signed_in is not None
    assert dialog.signed_in.role is Role.OWNER
    shop = services.shop.info()
    assert (shop.name, shop.currency, shop.timezone, shop.phone) == (
        "Willow Spa",
        "GBP",
        "Europe/London",
        "020 7946 0000",
    )
    assert shop.default_tax_rate_bp == 2000  # the starter menu's services start with it
    assert services.first_run.steps_done() == {"shop", "owner"}


def test_the_language_sets_the_usual_currency_and_zone_until_the_person_types_them(
    qtbot: QtBot, make_services: MakeServices
) -> None:
    dialog, _services = _dialog(qtbot, make_services)
    chosen: list[str] = []
    dialog._on_language = chosen.append
    _choose_locale(dialog, "zh_CN")
    assert (dialog.currency_combo.currentText(), dialog.zone_combo.currentText()) == (
        "CNY",
        "Asia/Shanghai",
    )
    _choose_locale(dialog, "ru_RU")
    assert (dialog.currency_combo.currentText(), dialog.zone_combo.currentText()) == (
        "RUB",
        "Europe/Moscow",
    )
    assert chosen == ["zh_CN", "ru_RU"]


def test_a_bad_shop_field_found_at_the_end_takes_the_person_back_to_it(
    qtbot: QtBot, make_services: MakeServices
) -> None:
    dialog, services = _dialog(qtbot, make_services)
    qtbot.keyClicks(dialog.name_edit, "Willow Spa")
    _choose_locale(dialog, "en_GB")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1
    dialog.name_edit.clear()  # (changed behind the step, as a stale check would see it)
    owner = dialog.owner_form.edits
    qtbot.keyClicks(owner["owner_name"], "Mira")
    qtbot.keyClicks(owner["pin"], "12")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 0
    assert dialog.shop_form.shown_errors() == {"name": "Enter the shop's name."}
    assert dialog.owner_form.shown_errors() == {"pin": "A PIN is 4 to 8 digits."}
    assert services.auth.needs_first_owner()
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == NewShopDialog.DialogCode.Rejected


def test_on_a_new_database_the_first_window_shows_before_the_heavy_modules_load(
    db_path: Path,
) -> None:
    """In a fresh process, as launched on an empty database: when the new-shop window is on
    screen, none of the database layer, PIN hashing, babel or the main window is loaded."""
    probe = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

HEAVY = ("sqlalchemy", "alembic", "mako", "escpos", "PIL", "argon2", "reportlab", "babel",
         "phonenumbers", "serial", "frontdesk.bootstrap", "frontdesk.ui.main_window",
         "frontdesk.services.first_run")
app = QApplication(sys.argv[:1])


class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and isinstance(obj, QWindow) and obj.isExposed():
            names = [w.__class__.__name__ for w in app.topLevelWidgets() if w.windowHandle() is obj]
            loaded = {h for h in HEAVY for m in sys.modules if m == h or m.startswith(h + ".")}
            print(names[0], sorted(loaded))
            sys.stdout.flush()
            import os
            os._exit(0)
        return False


probe = Probe()
app.installEventFilter(probe)
from frontdesk.cli import main
main(["--db", sys.argv[1]])
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", probe, str(db_path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    ).stdout
    assert out.split(maxsplit=1) == ["NewShopDialog", "[]\n"]


@pytest.mark.parametrize("first_look", [True, False], ids=["first-look", "full-start-first"])
def test_the_program_on_a_new_database_opens_signed_in_with_the_guided_start(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_look: bool
) -> None:
    """As launched: the new-shop window, then the main window signed in as the new owner with
    the guided start's third step over it; also where only the full start can tell what to
    show (PostgreSQL)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from frontdesk.ui import app as app_module
    from frontdesk.ui.firstrun.guided_start import GuidedStart

    seen: list[str] = []

    def fill(widget: object) -> None:
        assert isinstance(widget, NewShopDialog)
        seen.append("NewShopDialog")
        widget.name_edit.setText("Birch House")
        widget.locale_combo.setCurrentIndex(widget.locale_combo.findData("en_GB"))
        widget.next()
        qtbot.waitUntil(lambda: widget.pages.currentIndex() == 1, timeout=20_000)
        for field, text in (("owner_name", "Mira"), ("pin", "2468"), ("pin_again", "2468")):
            widget.owner_form.edits[field].setText(text)
        widget.next()

    def poll_modal() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, NewShopDialog):
            fill(widget)
        else:
            QTimer.singleShot(10, poll_modal)

    from frontdesk.ui.firstrun import guided_start as guided_start_module

    # The guide as the program opens it, over its main window: held here rather than found by
    # walking QApplication.allWidgets(), whose stale wrappers (a widget deleted, another made
    # at its address) crashed the process now and then.
    opened: list[GuidedStart] = []
    real_open = guided_start_module.open_guided_start

    def open_and_hold(*args: Any, **kwargs: Any) -> GuidedStart:
        guide = real_open(*args, **kwargs)
        opened.append(guide)
        return guide

    monkeypatch.setattr(guided_start_module, "open_guided_start", open_and_hold)

    def poll_window() -> None:
        if opened and opened[0].isVisible() and opened[0].stack.count():
            guide = opened[0]
            window = guide.parentWidget()
            assert window is not None
            seen.append(window.windowTitle())
            seen.append(guide.current_key)
            guide.reject()
            window.close()
            return
        QTimer.singleShot(10, poll_window)

    QTimer.singleShot(0, poll_modal)
    QTimer.singleShot(0, poll_window)
    critical: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: critical.append(str(args)))
    if not first_look:
        monkeypatch.setattr(app_module, "starting_point", lambda _url: None)
    code = app_module.run_app(str(tmp_path / "new.sqlite3"), ask=lambda *_a: True)
    assert critical == []
    assert code == 0
    assert seen == ["NewShopDialog", "FrontDesk — Birch House", "staff"]
