"""Starting the GUI: settings, database, sign-in, main window; plain messages for known failures."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from platformdirs import user_documents_dir
from PySide6.QtWidgets import QApplication, QMessageBox

from db.errors import DatabaseProblem
from frontdesk.bootstrap import AppServices, build_services, open_database
from frontdesk.domain.errors import DomainError
from frontdesk.settings import configure_logging, load_settings
from frontdesk.ui.errors import show_error
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.signin.dialog import SignInDialog
from frontdesk.ui.signin.first_owner import FirstOwnerDialog
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.workers import ThreadPoolExecutor

log = logging.getLogger(__name__)


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


def run_app(database_url: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("FrontDesk")
    app.setOrganizationName("FrontDesk")
    try:
        settings = load_settings(database_url=database_url)
        configure_logging(settings)
        services = build_services(settings, open_database(settings.database_url or None))
        shop_name = services.shop.info().name
    except (DatabaseProblem, DomainError) as exc:
        QMessageBox.critical(None, "FrontDesk cannot start", exc.message)
        return 1
    sys.excepthook = _report_unexpected
    front_desk = FrontDeskApp(services, shop_name)
    front_desk.scanner.start()
    if not front_desk.sign_in():
        front_desk.scanner.stop()
        return 0
    code = app.exec()
    front_desk.scanner.stop()
    front_desk.executor.wait()
    return int(code)
