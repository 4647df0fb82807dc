"""Starting the window on a database it cannot use gives one plain dialog and exit code 1."""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.settings import Settings
from frontdesk.ui import app as app_module
from frontdesk.ui.signin.dialog import SignInDialog
from tests.damage import damage
from tests.seed import PIN, SeededShop


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
        _when_modal(_reject, seen)  # the new shop's guided start: close it

    _when_modal(yes_then_leave, seen)
    assert app_module.run_app(str(db)) == 0
    assert seen == ["QMessageBox", "NewShopDialog"]
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


# --- issue 6: the first window first, the start behind it --------------------------------


class HeldStart:
    """The real start, held on an event until the test lets it go; records its threads."""

    def __init__(self, before: Callable[[], None] = lambda: None) -> None:
        self.release = threading.Event()
        self.finished = threading.Event()
        self.threads: list[str] = []
        self.check_threads: list[str] = []
        self.signed_in: list[str] = []
        self._before = before

    def __call__(self, settings: Settings, create: bool | None) -> app_module.Started:
        self.threads.append(threading.current_thread().name)
        assert self.release.wait(timeout=30), "the test never let the start go"
        self._before()
        started = app_module.open_services(settings, create)
        self.finished.set()
        auth = started.services.auth
        recorded, signed_in = self.check_threads, self.signed_in

        class RecordingAuth:
            def __getattr__(self, name: str) -> object:
                return getattr(auth, name)

            def sign_in(self, staff_id: int, pin: str) -> object:
                recorded.append(threading.current_thread().name)
                who = auth.sign_in(staff_id, pin)
                signed_in.append(who.name)
                return who

        services = dataclasses.replace(started.services, auth=RecordingAuth())  # type: ignore[arg-type]
        return app_module.Started(services, started.shop_name)


def _quit_when_main_window_shows(seen: list[str]) -> None:
    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if type(widget).__name__ == "MainWindow" and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.close()  # File > Quit: the last window closes and the program quits
                return
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _sign_in_with(
    qtbot: QtBot, start: HeldStart, staff_id: int, pin: str, seen: list[str]
) -> Callable[[QWidget], None]:
    """Type a PIN while the start is still held, then let the start go."""

    def act(widget: QWidget) -> None:
        assert isinstance(widget, SignInDialog)
        assert widget.isVisible()
        assert not start.finished.is_set()  # the window is up before the heavy start is done
        widget.select_staff(staff_id)
        qtbot.keyClicks(widget.pin_edit, pin)
        assert widget.pin_edit.text() == pin  # typeable meanwhile
        qtbot.keyClick(widget.pin_edit, Qt.Key.Key_Return)
        assert widget.checking
        assert widget.status_label.text() == "Checking your PIN…"
        seen.append("checking")
        start.release.set()

    return act


def test_the_sign_in_window_shows_before_the_start_and_a_pin_typed_meanwhile_is_checked_after(
    qtbot: QtBot, db_path: Path, shop: SeededShop, dialogs: list[str]
) -> None:
    start = HeldStart()
    seen: list[str] = []
    _when_modal(_sign_in_with(qtbot, start, shop.receptionist_id, PIN, seen), seen)
    _quit_when_main_window_shows(seen)
    assert app_module.run_app(str(db_path), start=start) == 0
    assert seen[:2] == ["SignInDialog", "checking"]
    assert seen[2] == "FrontDesk — Willow Test Spa"  # the main window
    assert start.signed_in == ["Rita Reception"]
    assert start.threads == ["frontdesk-open"]
    assert len(start.check_threads) == 1
    assert start.check_threads[0] != threading.current_thread().name  # argon2 off the GUI
    assert dialogs == []


def test_a_wrong_pin_typed_while_starting_is_refused_once_started(
    qtbot: QtBot, db_path: Path, shop: SeededShop, dialogs: list[str]
) -> None:
    start = HeldStart()
    seen: list[str] = []

    def wrong_pin_then_quit(widget: QWidget) -> None:
        assert isinstance(widget, SignInDialog)
        _sign_in_with(qtbot, start, shop.receptionist_id, "9999", seen)(widget)
        qtbot.waitUntil(lambda: not widget.checking, timeout=10_000)
        seen.append(widget.error_label.text())
        assert widget.pin_edit.text() == ""
        assert widget.isVisible()
        widget.reject()

    _when_modal(wrong_pin_then_quit, seen)
    assert app_module.run_app(str(db_path), start=start) == 0
    assert seen[1] == "checking"
    assert seen[2].startswith("Wrong PIN. Tries left before the account locks: 4")
    assert dialogs == []


@pytest.mark.expect_log("db.engine", logging.WARNING)
def test_a_database_found_damaged_behind_the_sign_in_window_is_refused_in_plain_words(
    qtbot: QtBot, db_path: Path, shop: SeededShop, dialogs: list[str]
) -> None:
    start = HeldStart(before=lambda: damage(db_path))  # the disk fails while they type
    seen: list[str] = []
    _when_modal(_sign_in_with(qtbot, start, shop.receptionist_id, PIN, seen), seen)
    assert app_module.run_app(str(db_path), start=start) == 1
    assert seen == ["SignInDialog", "checking"]
    assert len(dialogs) == 1
    assert "is damaged" in dialogs[0]


def test_the_first_window_shows_before_the_heavy_modules_load(db_path: Path, shop: object) -> None:
    """In a fresh process, as launched: when the sign-in window is on screen, none of the
    database layer, migrations, receipt printing, PIN hashing or the main window is loaded."""
    probe = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

HEAVY = ("sqlalchemy", "alembic", "mako", "escpos", "PIL", "argon2", "reportlab", "babel",
         "phonenumbers", "serial", "frontdesk.bootstrap", "frontdesk.ui.main_window")
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
    assert out.split(maxsplit=1) == ["SignInDialog", "[]\n"]


def test_the_database_is_opened_and_checked_off_the_gui_thread(
    qtbot: QtBot, db_path: Path, shop: SeededShop
) -> None:
    start = HeldStart()
    start.release.set()
    seen: list[str] = []
    _when_modal(_reject, seen)
    assert app_module.run_app(str(db_path), start=start) == 0
    assert start.threads == ["frontdesk-open"]
    assert seen == ["SignInDialog"]


def test_when_only_the_full_start_can_tell_it_runs_first_off_the_gui_thread(
    qtbot: QtBot, db_path: Path, shop: SeededShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "starting_point", lambda _url: None)
    start = HeldStart()
    start.release.set()
    seen: list[str] = []
    _when_modal(_reject, seen)
    assert app_module.run_app(str(db_path), start=start) == 0
    assert start.threads == ["frontdesk-open"]
    assert seen == ["SignInDialog"]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["gui"],
        ["--db", "shop.sqlite3"],
        ["--db=shop.sqlite3"],
        ["gui", "--db", "a.sqlite3"],
        ["--db", "a.sqlite3", "gui"],
        ["--db", "a.sqlite3", "gui", "--db", "b.sqlite3"],
        ["--db", "postgresql+psycopg://app:pw@host/shop"],
    ],
)
def test_the_plain_window_command_line_reads_as_the_full_parser_reads_it(argv: list[str]) -> None:
    from frontdesk.cli import _plain_gui, build_parser

    quick = _plain_gui(argv)
    assert quick is not None
    full = build_parser().parse_args(argv)
    assert (quick.command or "gui", quick.db) == (full.command or "gui", full.db)


@pytest.mark.parametrize(
    "argv",
    [["demo"], ["--db"], ["--db", "--help"], ["-h"], ["gui", "gui"], ["--db="], ["--d", "x"]],
)
def test_anything_else_goes_through_the_full_parser(argv: list[str]) -> None:
    from frontdesk.cli import _plain_gui

    assert _plain_gui(argv) is None


def test_the_first_run_on_the_default_file_shows_the_owner_form_without_asking(
    qtbot: QtBot, dialogs: list[str]
) -> None:
    from db.engine import default_database_path

    asked: list[str] = []

    def ask(_parent: object, _title: str, question: str) -> bool:
        asked.append(question)
        return False

    seen: list[str] = []
    _when_modal(_reject, seen)
    assert not default_database_path().exists()
    assert app_module.run_app(None, ask=ask) == 0
    assert seen == ["NewShopDialog"]
    assert asked == []
    assert default_database_path().exists()  # created behind the form, schema and all
    with sqlite3.connect(default_database_path()) as conn:
        assert conn.execute("SELECT count(*) FROM staff").fetchone() == (0,)
    assert dialogs == []
