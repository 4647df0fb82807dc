"""Starting the GUI: settings, database, sign-in, main window; plain messages for known failures."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from platformdirs import user_documents_dir
from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from db.backup import BackupKind
from db.errors import DatabaseMissing, DatabaseProblem
from frontdesk.bootstrap import AppServices, build_services, open_database
from frontdesk.domain.errors import DomainError
from frontdesk.settings import Settings, configure_logging, load_settings
from frontdesk.ui.errors import show_error
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.questions import Asker, ask_yes_no
from frontdesk.ui.signin.dialog import SignInDialog
from frontdesk.ui.signin.first_owner import FirstOwnerDialog
from frontdesk.ui.translations import use_shop_language
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.workers import ThreadPoolExecutor

log = logging.getLogger(__name__)
T = TypeVar("T")


def reports_folder() -> Path:
    return Path(user_documents_dir()) / "FrontDesk reports"


class FrontDeskApp:
    """Owns the sign-in / main-window cycle for one database."""

    def __init__(self, services: AppServices, shop_name: str) -> None:
        self.services = services
        self.shop_name = shop_name
        self.executor = ThreadPoolExecutor()
        self.scanner = ScannerBridge(services.scanner)
        self.window: MainWindow | None = None

    def sign_in(self) -> bool:
        """Show sign-in; open the main window for whoever signs in. False when they quit."""
        dialog: SignInDialog | FirstOwnerDialog
        if self.services.auth.needs_first_owner():
            dialog = FirstOwnerDialog(self.services.auth)
        else:
            dialog = SignInDialog(self.services.auth, self.shop_name)
        if not dialog.exec() or dialog.signed_in is None:
            return False
        self.window = MainWindow(
            self.services,
            dialog.signed_in,
            self.executor,
            self.scanner,
            self.shop_name,
            reports_folder(),
        )
        self.window.signed_out.connect(self._on_signed_out)
        self.window.show()
        if self.services.printer.enabled:
            # Ask the printer how it is, print what is left from last time and list receipts
            # a crash may have cut off.
            self.window.printer_status.flush()
        return True

    def _on_signed_out(self) -> None:
        window = self.window
        if window is not None:
            window.hide()
            window.deleteLater()
        self.window = None
        if not self.sign_in():
            QApplication.quit()


def _report_unexpected(kind: type[BaseException], error: BaseException, tb: object) -> None:
    """A bug reached the event loop: log it with its traceback and say so honestly."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    del tb  # show_error logs the error with its own traceback
    show_error(QApplication.activeWindow(), error, "handling that")


class _Finished(QObject):
    finished = Signal()


def off_gui_thread(work: Callable[[], T], label: str) -> T:
    """Run slow start-up work (the integrity check of a big database can take seconds) in a
    thread; the window system stays responsive and a busy note shows if it takes a while."""
    results: list[T] = []
    errors: list[BaseException] = []
    done = _Finished()
    loop = QEventLoop()
    done.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def run() -> None:
        try:
            results.append(work())
        except BaseException as exc:  # handed back to the GUI thread, raised there
            errors.append(exc)
        finally:
            done.finished.emit()

    note = QProgressDialog(label, "", 0, 0)
    note.setWindowTitle("FrontDesk")
    note.setCancelButton(None)
    note.setMinimumDuration(400)
    thread = threading.Thread(target=run, name="frontdesk-open", daemon=True)
    thread.start()
    loop.exec()
    thread.join()
    note.reset()
    note.deleteLater()
    if errors:
        raise errors[0]
    return results[0]


def _open(settings: Settings, ask: Asker) -> AppServices | None:
    """The services on the chosen database; None when the person chose not to create it."""
    url = settings.database_url or None
    try:
        database = off_gui_thread(
            lambda: open_database(url, settings=settings), "Checking the database…"
        )
    except DatabaseMissing as missing:
        if not ask(None, "FrontDesk", f"Create a new database at {missing.path}?"):
            return None
        database = off_gui_thread(
            lambda: open_database(url, create=True, settings=settings), "Creating the database…"
        )
    return build_services(settings, database)


def _backup_at_quit(services: AppServices) -> None:
    """Back up as the program quits; a failure is logged in plain words and never blocks."""
    copy = services.backups.take_quietly(BackupKind.QUIT)
    if copy is not None:
        log.info("Backup at quit: %s", copy)


def run_app(database_url: str | None, *, ask: Asker | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("FrontDesk")
    app.setOrganizationName("FrontDesk")
    try:
        settings = load_settings(database_url=database_url)
        configure_logging(settings)
        services = _open(settings, ask or ask_yes_no)
        if services is None:
            return 0
        shop = services.shop.info()
        shop_name = shop.name
        use_shop_language(app, settings.language, shop.locale)
    except (DatabaseProblem, DomainError) as exc:
        QMessageBox.critical(None, "FrontDesk cannot start", exc.message)
        return 1
    sys.excepthook = _report_unexpected
    front_desk = FrontDeskApp(services, shop_name)
    front_desk.scanner.start()
    code = 0
    try:
        if front_desk.sign_in():
            code = int(app.exec())
    finally:
        front_desk.scanner.stop()
        front_desk.executor.wait()
        _backup_at_quit(services)
        services.close()
    return code
