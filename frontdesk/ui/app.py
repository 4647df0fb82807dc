"""Starting the GUI: the first window at once, the rest of the start behind it, then the main
window; plain messages for known failures.

Only PySide6, the settings file and a plain look at the database file run before the first
window (sign-in, the guided start's first two steps on a new database, or the question whether
to create a database).
Everything else (SQLAlchemy and the models, the integrity and schema checks, python-escpos,
the scanner, the services, the main window's modules) loads on a thread started as soon as that
window has been painted, while the person picks their name and types. A PIN typed before the
start is done is checked as soon as it is; a start that fails closes the window and says why.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_documents_dir
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from db.errors import DatabaseMissing, DatabaseProblem
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.services.first_look import SignInChoice, StartingPoint, starting_point
from frontdesk.settings import Settings, configure_logging, load_settings
from frontdesk.ui.firstrun.new_shop import NewShopDialog, ShopAnswers
from frontdesk.ui.questions import Asker, ask_yes_no
from frontdesk.ui.signin.dialog import SignInDialog
from frontdesk.ui.signin.painted import FirstPaintDialog
from frontdesk.ui.translations import use_language, use_shop_language
from frontdesk.ui.workers import ThreadPoolExecutor

if TYPE_CHECKING:  # loaded by the start thread, behind the first window
    from frontdesk.bootstrap import AppServices
    from frontdesk.services.auth import SignedIn
    from frontdesk.services.shop_setup import ShopDraft
    from frontdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: The start begins when the first window is painted, or after this long if it never is.
START_ANYWAY_MS = 300


def reports_folder() -> Path:
    return Path(user_documents_dir()) / "FrontDesk reports"


@dataclass(frozen=True)
class Started:
    """What the start built: the services and the shop's name."""

    services: AppServices
    shop_name: str
    locale: str = "en_GB"


def open_services(settings: Settings, create: bool | None) -> Started:
    """The heavy part of the start: open, check and migrate the database, build the services.

    Runs on the start thread. `create` as for `open_database`.
    """
    from frontdesk.bootstrap import build_services, open_database

    database = open_database(settings.database_url or None, create=create, settings=settings)
    try:
        services = build_services(settings, database)
        shop = services.shop.info()
        return Started(services, shop.name, shop.locale)
    except BaseException:
        database.engine.dispose()
        raise


StartFunction = Callable[[Settings, "bool | None"], Started]


class StartResult:
    """What a start ended with, for whoever waits on it (concurrent.futures costs the first
    window a few milliseconds more to import)."""

    def __init__(self) -> None:
        self._ended = threading.Event()
        self._started: Started | None = None
        self._error: BaseException | None = None

    def done(self) -> bool:
        return self._ended.is_set()

    def set_result(self, started: Started) -> None:
        self._started = started
        self._ended.set()

    def set_exception(self, error: BaseException) -> None:
        self._error = error
        self._ended.set()

    def result(self) -> Started:
        """Wait for the start; what it built, or raise what it met."""
        self._ended.wait()
        if self._error is not None:
            raise self._error
        assert self._started is not None
        return self._started


class Starter(QObject):
    """Runs one start on its own thread. `on_failed` callbacks run on the GUI thread before
    `result` reports the error to anyone waiting on it."""

    _failed = Signal(object)
    _done = Signal()

    def __init__(self, run: Callable[[], Started]) -> None:
        super().__init__()
        self._run = run
        self.result = StartResult()
        self._thread: threading.Thread | None = None
        self._failure_handlers: list[Callable[[BaseException], None]] = []
        self._failed.connect(self._on_failed)

    def begin(self) -> None:
        """Start now (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="frontdesk-open", daemon=True)
            self._thread.start()

    def begin_when_painted(self, window: FirstPaintDialog) -> None:
        """Start once `window` has been painted: the first window gets the whole machine."""
        window.first_painted.connect(self._painted)
        QTimer.singleShot(START_ANYWAY_MS, self.begin)

    def on_failed(self, handler: Callable[[BaseException], None]) -> None:
        self._failure_handlers.append(handler)

    @Slot()
    def _painted(self) -> None:
        QTimer.singleShot(0, self.begin)  # after the paint reaches the screen

    def _work(self) -> None:
        try:
            started = self._run()
            # The main window's modules load now too, while the person is still typing.
            import frontdesk.ui.main_window  # noqa: F401
        except BaseException as exc:  # handed to the GUI thread, which decides what it is
            self._failed.emit(exc)
            self.result.set_exception(exc)
        else:
            self.result.set_result(started)
        self._done.emit()

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        for handler in self._failure_handlers:
            handler(error)

    def wait(self, label: str) -> Started:
        """The start's result, raising its error; the window system stays responsive while it
        runs, and a busy note shows if it takes a while."""
        self.begin()
        if not self.result.done():
            loop = QEventLoop()
            self._done.connect(loop.quit)  # emitted on the start thread: queued
            note = QProgressDialog(label, "", 0, 0)
            note.setWindowTitle("FrontDesk")
            note.setCancelButton(None)
            note.setMinimumDuration(400)
            if not self.result.done():
                loop.exec()
            note.reset()
            note.deleteLater()
        assert self._thread is not None
        self._thread.join()
        return self.result.result()


class PendingAuth:
    """The sign-in window's AuthService while the start runs: the staff list comes from the
    first look; a PIN check waits for the start, on the executor's
    thread, then asks the real service."""

    def __init__(self, staff: Sequence[SignInChoice], started: StartResult) -> None:
        self._staff = list(staff)
        self._started = started

    def staff_for_sign_in(self) -> list[SignInChoice]:
        return list(self._staff)

    def sign_in(self, staff_id: int, pin: str) -> SignedIn:
        return self._started.result().services.auth.sign_in(staff_id, pin)


class ShopStarter:
    """The guided start's first two steps as the new-shop window sees them: its answers become
    the shop service's draft (on the start thread, once the start is done)."""

    def __init__(self, services: Callable[[], AppServices]) -> None:
        self._services = services

    def _draft(self, answers: ShopAnswers) -> tuple[ShopDraft, dict[str, DomainError]]:
        """The shop service's draft of the answers, and what was typed that is not a value
        (the tax rate, read in the chosen shop's locale)."""
        from frontdesk.domain.money import parse_rate

        defaults = self._services().first_run.shop_defaults()
        given = dataclasses.asdict(answers)
        known = {f.name for f in dataclasses.fields(defaults)}
        draft = dataclasses.replace(defaults, **{k: v for k, v in given.items() if k in known})
        errors: dict[str, DomainError] = {}
        if answers.default_tax_rate.strip():
            try:
                rate = parse_rate(
                    answers.default_tax_rate, answers.locale, field="default_tax_rate"
                )
                draft = dataclasses.replace(draft, default_tax_rate_bp=rate)
            except ValidationError as error:
                errors[error.field] = error
        return draft, errors

    def check_shop(self, shop: ShopAnswers) -> None:
        draft, errors = self._draft(shop)
        try:
            self._services().first_run.check_shop(draft)
        except FormErrors as refused:
            errors = {**refused.errors, **errors}
        if errors:
            raise FormErrors(errors)

    def start_shop(self, shop: ShopAnswers, owner_name: str, pin: str, pin_again: str) -> SignedIn:
        draft, errors = self._draft(shop)
        if errors:
            raise FormErrors(errors)
        return self._services().first_run.start_shop(draft, owner_name, pin, pin_again)


class FrontDeskApp:
    """Owns the sign-in / main-window cycle for one database."""

    def __init__(self, started: Started, executor: ThreadPoolExecutor, language: str = "") -> None:
        from frontdesk.ui.widgets.scanner_bridge import ScannerBridge

        self.services = started.services
        self.shop_name = started.shop_name
        self.executor = executor
        #: The one database worker: actions run in order, off the GUI thread.
        self.db_executor = ThreadPoolExecutor(threads=1)
        self.language = language
        # Other terminals' changes reach every screen (PRAGMA data_version / NOTIFY).
        self.services.changes.start_watching()
        self.scanner = ScannerBridge(self.services.scanner)
        self.window: MainWindow | None = None

    def sign_in(self) -> bool:
        """Show sign-in (or, with nobody to sign in, the guided start); open the main window for
        whoever signs in. False when they quit."""
        auth = self.services.auth
        dialog: SignInDialog | NewShopDialog
        if auth.needs_first_owner():
            dialog = NewShopDialog(
                ShopStarter(lambda: self.services), executor=self.executor, on_language=None
            )
        else:
            dialog = SignInDialog(auth, self.shop_name, executor=self.executor)
        if not dialog.exec() or dialog.signed_in is None:
            return False
        if isinstance(dialog, NewShopDialog):
            self.shop_created()
        self.open_window(dialog.signed_in)
        if isinstance(dialog, NewShopDialog):
            self.continue_guided_start()
        return True

    def shop_created(self) -> None:
        """The guided start made the shop: speak its language and use its name from now on."""
        shop = self.services.shop.info()
        self.shop_name = shop.name
        app = QCoreApplication.instance()
        if app is not None:
            self.language = use_shop_language(app, self.services.settings.language, shop.locale)

    def continue_guided_start(self) -> None:
        """Steps 3-6 of the guided start, over the new shop's main window."""
        from frontdesk.ui.firstrun.guided_start import open_guided_start

        if self.window is not None:
            open_guided_start(self.window.desk, self.window)

    def open_window(self, who: SignedIn) -> None:
        from frontdesk.ui.main_window import MainWindow

        self.window = MainWindow(
            self.services,
            who,
            self.executor,
            self.scanner,
            self.shop_name,
            reports_folder(),
            db_executor=self.db_executor,
            language=self.language,
        )
        self.window.signed_out.connect(self._on_signed_out)
        self.window.show()
        if self.services.printer.enabled:
            # Ask the printer how it is, print what is left from last time and list receipts
            # a crash may have cut off.
            self.window.printer_status.flush()

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
    from frontdesk.ui.errors import show_error

    show_error(QApplication.activeWindow(), error, "handling that")


def _first_window(
    point: StartingPoint, starter: Starter, executor: ThreadPoolExecutor, settings: Settings
) -> SignInDialog | NewShopDialog:
    if point.has_staff:
        auth = PendingAuth(point.staff, starter.result)
        return SignInDialog(auth, point.shop_name, executor=executor)
    return NewShopDialog(
        ShopStarter(lambda: starter.result.result().services),
        executor=executor,
        on_language=None if settings.language else _speak_shop_language,
    )


def _speak_shop_language(locale: str) -> None:
    """The new shop's language, chosen on its first step: the window speaks it at once."""
    from frontdesk.settings import language_for

    app = QCoreApplication.instance()
    if app is not None:
        use_language(app, language_for("", locale), locale)


def _start_behind_first_window(
    point: StartingPoint,
    settings: Settings,
    ask: Asker,
    start: StartFunction,
    executor: ThreadPoolExecutor,
) -> tuple[Started, SignedIn | None] | None:
    """Show the first window at once and start behind it; None when the person chose not to
    create the database. Who signed in is None when they quit instead."""
    create: bool | None = None
    if not point.exists and not point.is_default:  # the default file is made without asking
        if not ask(None, "FrontDesk", _create_question(point.path)):
            return None
        create = True
    starter = Starter(lambda: start(settings, create))
    dialog = _first_window(point, starter, executor, settings)
    starter.on_failed(lambda _error: dialog.reject())
    starter.begin_when_painted(dialog)
    accepted = dialog.exec()
    started = starter.wait(
        QCoreApplication.translate("FrontDeskApp", "Starting FrontDesk…")
    )  # raises what the start met
    return started, dialog.signed_in if accepted else None


def _create_question(path: object) -> str:
    return QCoreApplication.translate("FrontDeskApp", "Create a new database at {path}?").format(
        path=path
    )


def _start_first(
    settings: Settings, ask: Asker, start: StartFunction
) -> tuple[Started, SignedIn | None] | None:
    """The start when only the full start can tell what to show: wait for it, then sign in."""
    try:
        started = Starter(lambda: start(settings, None)).wait(
            QCoreApplication.translate("FrontDeskApp", "Checking the database…")
        )
    except DatabaseMissing as missing:
        if not ask(None, "FrontDesk", _create_question(missing.path)):
            return None
        started = Starter(lambda: start(settings, True)).wait(
            QCoreApplication.translate("FrontDeskApp", "Creating the database…")
        )
    return started, None


def _backup_at_quit(services: AppServices) -> None:
    """Back up as the program quits; a failure is logged in plain words and never blocks."""
    from db.backup import BackupKind

    copy = services.backups.take_quietly(BackupKind.QUIT)
    if copy is not None:
        log.info("Backup at quit: %s", copy)


def run_app(
    database_url: str | None,
    *,
    ask: Asker | None = None,
    start: StartFunction | None = None,
) -> int:
    """Run the program on one database; the exit code. `start` replaces `open_services`."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("FrontDesk")
    app.setOrganizationName("FrontDesk")
    asker = ask or ask_yes_no
    start_function = start or open_services
    executor = ThreadPoolExecutor()
    try:
        settings = load_settings(database_url=database_url)
        configure_logging(settings)
        point = starting_point(settings.database_url or None)
        sys.excepthook = _report_unexpected
        language = ""
        if point is not None:
            language = use_shop_language(app, settings.language, point.locale)
            outcome = _start_behind_first_window(point, settings, asker, start_function, executor)
        else:
            outcome = _start_first(settings, asker, start_function)
            if outcome is not None:
                language = use_shop_language(app, settings.language, outcome[0].locale)
    except (DatabaseProblem, DomainError) as exc:
        from frontdesk.ui.error_text import error_text

        executor.wait()
        title = QCoreApplication.translate("FrontDeskApp", "FrontDesk cannot start")
        QMessageBox.critical(None, title, error_text(exc))
        return 1
    if outcome is None:
        return 0
    started, who = outcome
    front_desk = FrontDeskApp(started, executor, language)
    front_desk.scanner.start()
    code = 0
    try:
        if point is not None and who is not None:
            new_shop = not point.has_staff
            if new_shop:
                front_desk.shop_created()
            front_desk.open_window(who)
            if new_shop:
                front_desk.continue_guided_start()
            code = int(app.exec())
        elif point is None and front_desk.sign_in():
            code = int(app.exec())
    finally:
        front_desk.scanner.stop()
        front_desk.db_executor.wait()
        executor.wait()
        _backup_at_quit(started.services)
        started.services.close()
    return code
