"""Starting the window on a database it cannot use gives one plain dialog and exit code 1."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.ui import app as app_module
from tests.damage import damage
from tests.seed import SeededShop


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def critical(_parent: object, _title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(app_module.QMessageBox, "critical", critical)
    return shown


def test_not_a_database(qtbot: QtBot, tmp_path: Path, dialogs: list[str]) -> None:
    garbage = tmp_path / "sales.xlsx"
    garbage.write_bytes(b"PK\x03\x04 a spreadsheet, not a database" * 100)
    assert app_module.run_app(str(garbage)) == 1
    assert len(dialogs) == 1
    assert "not a FrontDesk database" in dialogs[0]


def test_database_on_a_network_share(qtbot: QtBot, dialogs: list[str]) -> None:
    assert app_module.run_app("sqlite://///fileserver/spa/frontdesk.sqlite3") == 1
    assert "network share" in dialogs[0]


def test_broken_settings_file(qtbot: QtBot, tmp_path: Path, dialogs: list[str]) -> None:
    from frontdesk.settings import settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("printer_port = 0\n")
    assert app_module.run_app(str(tmp_path / "ok.sqlite3")) == 1
    assert "printer_port must be between 1 and 65535" in dialogs[0]


# --- issue 5: a missing named database is asked about; backups at quit -------------------


def _when_modal(act: Callable[[QWidget], None], seen: list[str]) -> None:
    """Run `act` on the next modal window as soon as it shows (the event loop is inside it)."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or isinstance(widget, QProgressDialog):  # the busy note: not asked
            QTimer.singleShot(10, poll)
            return
        seen.append(type(widget).__name__)
        act(widget)

    QTimer.singleShot(0, poll)


def _click(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
    """Answer the create-database question; anything else is closed (the test then fails on
    what it saw rather than waiting for ever on a window nobody closes)."""

    def act(widget: QWidget) -> None:
        if isinstance(widget, QMessageBox) and "Create a new database at" in widget.text():
            widget.button(button).click()
        else:
            _reject(widget)

    return act


def _reject(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


def test_missing_database_answered_no_quits_and_creates_nothing(
    qtbot: QtBot, tmp_path: Path, dialogs: list[str]
) -> None:
    db = tmp_path / "typo" / "frontdesk.sqlite3"
    seen: list[str] = []
    _when_modal(_click(QMessageBox.StandardButton.No), seen)
    assert app_module.run_app(str(db)) == 0
    assert seen == ["QMessageBox"]
    assert not db.parent.exists()
    assert dialogs == []


def test_missing_database_answered_yes_creates_it_and_sets_up_a_shop(
    qtbot: QtBot, tmp_path: Path, dialogs: list[str]
) -> None:
    db = tmp_path / "new-shop" / "frontdesk.sqlite3"
    seen: list[str] = []

    def yes_then_leave(widget: QWidget) -> None:
        _click(QMessageBox.StandardButton.Yes)(widget)
        _when_modal(_reject, seen)  # the new shop's first-owner set-up: close it

    _when_modal(yes_then_leave, seen)
    assert app_module.run_app(str(db)) == 0
    assert seen == ["QMessageBox", "FirstOwnerDialog"]
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700
    assert dialogs == []


def test_the_asker_is_injectable(qtbot: QtBot, tmp_path: Path) -> None:
    asked: list[str] = []

    def no(_parent: object, _title: str, question: str) -> bool:
        asked.append(question)
        return False

    db = tmp_path / "x.sqlite3"
    assert app_module.run_app(str(db), ask=no) == 0
    assert asked == [f"Create a new database at {db}?"]


def test_quitting_takes_an_owner_only_backup(
    qtbot: QtBot, db_path: Path, shop: SeededShop, dialogs: list[str]
) -> None:
    seen: list[str] = []
    _when_modal(_reject, seen)  # sign-in: the person closes it, the program quits
    assert app_module.run_app(str(db_path)) == 0
    assert seen == ["SignInDialog"]
    folder = db_path.parent / "backups"
    backups = list(folder.glob("frontdesk-*-quit.sqlite3"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT name FROM shop_profile").fetchone() == ("Willow Test Spa",)


@pytest.mark.expect_log("frontdesk.services.backups", logging.ERROR)
def test_a_failed_backup_at_quit_is_logged_and_does_not_stop_quitting(
    qtbot: QtBot,
    db_path: Path,
    shop: SeededShop,
    tmp_path: Path,
    dialogs: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    plain = tmp_path / "a-file"
    plain.write_text("not a folder")
    from frontdesk.settings import settings_path

    settings = settings_path()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f'backup_dir = "{plain / "backups"}"\n')
    seen: list[str] = []
    _when_modal(_reject, seen)
    with caplog.at_level(logging.ERROR):
        assert app_module.run_app(str(db_path)) == 0
    assert "Automatic backup (quit) failed" in caplog.text
    assert dialogs == []


@pytest.mark.expect_log("db.engine", match="failed its integrity check")
def test_a_damaged_database_is_refused_naming_the_latest_backup(
    qtbot: QtBot, db_path: Path, shop: SeededShop, dialogs: list[str]
) -> None:
    from db.backup import BackupKind, backup_database

    copy = backup_database(db_path, kind=BackupKind.MANUAL)
    damage(db_path)
    assert app_module.run_app(str(db_path)) == 1
    assert len(dialogs) == 1
    assert "is damaged" in dialogs[0]
    assert str(copy) in dialogs[0]


def test_the_database_is_opened_and_checked_off_the_gui_thread(
    qtbot: QtBot, db_path: Path, shop: SeededShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = app_module.open_database
    threads: list[str] = []

    def recording_open(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module, "open_database", recording_open)
    seen: list[str] = []
    _when_modal(_reject, seen)
    assert app_module.run_app(str(db_path)) == 0
    assert threads == ["frontdesk-open"]
    assert seen == ["SignInDialog"]
