"""The main window only composes: four areas, a status bar, menus; one place wires signals.

Only the area shown first (the calendar) is built with the window; the others are built the
first time they are needed (their tab shown, Ctrl+2…4, Ctrl+F, a scanned card), so signing in
does not wait for screens nobody has looked at yet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QToolButton, QWidget

from frontdesk.bootstrap import AppServices
from frontdesk.devices.scanner import ScanResult
from frontdesk.domain.errors import Notice
from frontdesk.domain.roles import Permission, Role
from frontdesk.services.auth import SignedIn
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.clients import ClientSummary
from frontdesk.ui.backoffice.area import BackOfficeArea
from frontdesk.ui.calendar.area import CalendarArea
from frontdesk.ui.checkout.area import CheckoutArea
from frontdesk.ui.clients.area import ClientsArea
from frontdesk.ui.desk import open_desk
from frontdesk.ui.error_text import error_text
from frontdesk.ui.errors import known_message
from frontdesk.ui.events import AppEvents
from frontdesk.ui.labels import label
from frontdesk.ui.reports.area import ReportsArea, open_with_system_viewer
from frontdesk.ui.therapist.area import MyDayArea
from frontdesk.ui.widgets.health_key_status import HealthKeyStatus
from frontdesk.ui.widgets.plural import english_plural
from frontdesk.ui.widgets.printer_status import PrinterStatus
from frontdesk.ui.widgets.reprint_dialog import ReprintDialog, copy_queued_message
from frontdesk.ui.widgets.scan_target import deliver_scan, scan_target
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.widgets.scanner_status import ScannerStatus
from frontdesk.ui.window_place import WindowPlace
from frontdesk.ui.workers import Executor

CALENDAR, CLIENTS, CHECKOUT, REPORTS, BACK_OFFICE, MY_DAY = range(6)

_WAITING = "%n receipt(s) have not printed yet."


class MainWindow(QMainWindow):
    signed_out = Signal()

    def __init__(
        self,
        services: AppServices,
        user: SignedIn,
        executor: Executor,
        scanner: ScannerBridge,
        shop_name: str,
        reports_dir: Path,
        opener: Callable[[Path], None] = open_with_system_viewer,
        place: WindowPlace | None = None,
        *,
        db_executor: Executor | None = None,
        language: str = "",
    ) -> None:
        super().__init__()
        self.services = services
        self.user = user
        self.events = AppEvents(self)
        self._executor = executor
        self.desk = open_desk(
            services, user, self, self.events, io=executor, db=db_executor, language=language
        )
        self.bus = self.desk.bus
        self.runner = self.desk.runner
        self._scanner = scanner
        self._reports_dir = reports_dir
        self._opener = opener
        self.setWindowTitle(self.tr("FrontDesk — {shop}").format(shop=shop_name))
        self._start_message = ""
        self._init_status_bar()
        self._init_areas()
        self._init_menus()
        self._connect_signals()
        self._show_printer_warnings()
        self.place = place or WindowPlace()
        self._fitted = False
        self.place.restore(self)  # fits the screen's free area, as it was left last time

    def area_names(self) -> tuple[str, ...]:
        return (
            self.tr("Calendar"),
            self.tr("Clients"),
            self.tr("Checkout"),
            self.tr("Reports"),
            self.tr("Back office"),
            self.tr("My day"),
        )

    def _init_status_bar(self) -> None:
        self.user_label = QLabel(
            self.tr("Signed in: {name} ({role})").format(
                name=self.user.name, role=label(self.user.role)
            )
        )
        self.user_label.setObjectName("signedInUser")
        self.printer_status = PrinterStatus(self.desk)
        self.scanner_status = ScannerStatus(self._scanner)
        # A button: the warning is longer than the bar is wide; a click shows all of it.
        self.printer_warning = QToolButton()
        self.printer_warning.setText(self.tr("⚠ Receipt printer settings"))
        self.printer_warning.setObjectName("printerWarning")
        self.printer_warning.setAutoRaise(True)
        self.printer_warning.setStyleSheet("QToolButton { color: #b3261e; }")
        self.printer_warning.clicked.connect(self.show_printer_warning)
        self.printer_warning.hide()
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        bar.addPermanentWidget(self.printer_warning)
        self.health_key_warning = HealthKeyStatus(self.desk)
        bar.addPermanentWidget(self.health_key_warning)
        bar.addPermanentWidget(self.scanner_status)
        bar.addPermanentWidget(self.printer_status)

    def _init_areas(self) -> None:
        """Four tabs; each but the calendar holds an empty page until it is first shown."""
        self._calendar: CalendarArea | None = None
        self._clients: ClientsArea | None = None
        self._checkout: CheckoutArea | None = None
        self._reports: ReportsArea | None = None
        self._back_office: BackOfficeArea | None = None
        self._my_day: MyDayArea | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("areas")
        for name in self.area_names():
            page = QWidget()
            page.setObjectName("notBuiltYet")
            self.tabs.addTab(page, name)
        for index, permission, why in (
            (CHECKOUT, Permission.CHECKOUT, self.tr("Checkout is for the front desk.")),
            (
                REPORTS,
                Permission.VIEW_MONEY_REPORTS,
                self.tr("Money reports are for owners and managers."),
            ),
            (
                BACK_OFFICE,
                Permission.VIEW_BACK_OFFICE,
                self.tr("The back office is for owners and managers."),
            ),
            (MY_DAY, Permission.WRITE_TREATMENT_NOTES, self.tr("My day is for therapists.")),
        ):
            if not self.user.can(permission):
                self.tabs.setTabEnabled(index, False)
                self.tabs.setTabToolTip(index, why)
        self._build_area = (
            lambda: self.calendar,
            lambda: self.clients,
            lambda: self.checkout,
            lambda: self.reports,
            lambda: self.back_office,
            lambda: self.my_day,
        )
        self.calendar  # noqa: B018 - the area shown first is built with the window
        if self.user.role is Role.THERAPIST:
            # A therapist starts on their own day (issue 9): the next clients and the note due.
            self.tabs.setCurrentWidget(self.my_day)
        self.setCentralWidget(self.tabs)

    @property
    def calendar(self) -> CalendarArea:
        if self._calendar is None:
            self._calendar = CalendarArea(self.desk)
            self._put_in_tab(CALENDAR, self._calendar)
        return self._calendar

    @property
    def clients(self) -> ClientsArea:
        if self._clients is None:
            self._clients = ClientsArea(self.desk)
            self._put_in_tab(CLIENTS, self._clients)
        return self._clients

    @property
    def checkout(self) -> CheckoutArea:
        if self._checkout is None:
            self._checkout = CheckoutArea(self.desk)
            self._put_in_tab(CHECKOUT, self._checkout)
        return self._checkout

    @property
    def reports(self) -> ReportsArea:
        if self._reports is None:
            self._reports = ReportsArea(self.desk, self._reports_dir, self._opener)
            self._put_in_tab(REPORTS, self._reports)
        return self._reports

    @property
    def back_office(self) -> BackOfficeArea:
        if self._back_office is None:
            self._back_office = BackOfficeArea(self.desk)
            self._put_in_tab(BACK_OFFICE, self._back_office)
        return self._back_office

    @property
    def my_day(self) -> MyDayArea:
        if self._my_day is None:
            self._my_day = MyDayArea(self.desk)
            self._put_in_tab(MY_DAY, self._my_day)
        return self._my_day

    def built_areas(self) -> list[QWidget]:
        """The areas built so far (the others are still empty pages)."""
        built = (
            self._calendar,
            self._clients,
            self._checkout,
            self._reports,
            self._back_office,
            self._my_day,
        )
        return [area for area in built if area is not None]

    def _put_in_tab(self, index: int, area: QWidget) -> None:
        """Put a newly built area in place of its empty page, keeping the tab as it was."""
        tabs = self.tabs
        current = tabs.currentIndex()
        name = tabs.tabText(index)
        enabled = tabs.isTabEnabled(index)
        tip = tabs.tabToolTip(index)
        page = tabs.widget(index)
        blocked = tabs.blockSignals(True)  # no area is built for the moment in between
        try:
            tabs.removeTab(index)
            tabs.insertTab(index, area, name)
            tabs.setTabEnabled(index, enabled)
            tabs.setTabToolTip(index, tip)
            tabs.setCurrentIndex(current)
        finally:
            tabs.blockSignals(blocked)
        if page is not None:
            page.deleteLater()

    def _on_tab_shown(self, index: int) -> None:
        if 0 <= index < len(self._build_area):
            self._build_area[index]()

    def _init_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.reprint_action = QAction(self.tr("&Reprint receipt…"), self)
        self.reprint_action.setObjectName("reprintReceipt")
        self._update_reprint_action()
        file_menu.addAction(self.reprint_action)
        file_menu.addSeparator()
        self.sign_out_action = QAction(self.tr("Sign &out"), self, shortcut=QKeySequence("Ctrl+L"))
        quit_action = QAction(
            self.tr("&Quit"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit)
        )
        file_menu.addAction(self.sign_out_action)
        file_menu.addAction(quit_action)
        quit_action.triggered.connect(self.close)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for index, name in enumerate(self.area_names()):
            action = QAction(name, self, shortcut=QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _c=False, i=index: self.show_area(i))
            go_menu.addAction(action)
        find = QAction(
            self.tr("&Find client"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Find)
        )
        find.triggered.connect(self.find_client)
        go_menu.addSeparator()
        go_menu.addAction(find)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        keys = QAction(self.tr("&Keyboard shortcuts"), self)
        keys.triggered.connect(
            lambda: QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.shortcuts())
        )
        help_menu.addAction(keys)

    def _update_reprint_action(self, changes: Changes | None = None) -> None:
        """Reprints need the role and a printer, which may be set up while the program runs
        (the devices page then announces print job changes)."""
        if changes is not None and not changes.touches(ChangeKind.PRINT_JOBS):
            return
        action = self.reprint_action
        if not self.user.can(Permission.REPRINT_RECEIPTS):
            action.setEnabled(False)
            action.setToolTip(self.tr("Reprints are for the front desk and managers."))
        elif not self.services.printer.enabled:
            action.setEnabled(False)
            action.setToolTip(self.tr("No receipt printer is set up (printer_kind)."))
        else:
            action.setEnabled(True)
            action.setToolTip("")

    def shortcuts(self) -> str:
        """The Help > Keyboard shortcuts table, in the window's language."""
        rows = (
            (
                "Ctrl+1 … Ctrl+6",
                self.tr("Calendar, Clients, Checkout, Reports, Back office, My day"),
            ),
            ("Ctrl+Enter", self.tr("Save the note (in My day)")),
            ("Ctrl+F", self.tr("Find a client")),
            ("Ctrl+N", self.tr("New client (in Clients)")),
            ("Ctrl+Shift+H", self.tr("Client card: record an allergy or contraindication")),
            ("Alt+Left / Alt+Right / Alt+Home", self.tr("Previous / next day / today")),
            ("Ctrl+B", self.tr("New appointment (in Calendar; or double-click a free slot)")),
            ("Alt+D / Alt+W / Alt+M / Alt+R", self.tr("Calendar: day / week / month / room board")),
            ("Alt+P", self.tr("Calendar: a column per therapist or per room")),
            ("Alt+L", self.tr("Calendar: show or hide the waitlist")),
            ("Alt+C", self.tr("Calendar: show or hide cancelled appointments")),
            ("Ctrl+Shift+F", self.tr("Calendar: find a free slot")),
            (
                "Ctrl+Shift+C / A / S / D / N",
                self.tr("Selected appointment: confirmed / arrived / in service / done / no-show"),
            ),
            ("Delete", self.tr("Cancel the selected appointment")),
            ("Ctrl+Z", self.tr("Calendar: undo the last move")),
            ("Ctrl+wheel / Ctrl+= / Ctrl+-", self.tr("Calendar: zoom in / out")),
            ("Arrows / Ctrl+arrows / Shift+Up/Down", self.tr("Calendar: walk / move / resize")),
            ("Enter", self.tr("Open the selected appointment's client")),
            ("F9", self.tr("Check out the selected appointment / complete the sale")),
            ("Ctrl+P", self.tr("Create the end-of-day PDF (in Reports)")),
            ("Ctrl+N / Ctrl+S", self.tr("New / save (in a Back office list)")),
            ("Ctrl+O / Ctrl+I / Ctrl+E", self.tr("Open / import / export a price list")),
            ("Ctrl+L", self.tr("Sign out")),
        )
        cells = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in rows)
        return f"<table>{cells}</table>"

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab_shown)
        self.sign_out_action.triggered.connect(self._sign_out)
        self.reprint_action.triggered.connect(self.open_reprint_dialog)
        self.bus.changed.connect(self._update_reprint_action)
        self.events.open_client.connect(self.open_client)
        self.events.checkout_requested.connect(self.start_checkout)
        self._scanner.scanned.connect(self.on_scan)

    def show_area(self, index: int) -> None:
        if self.tabs.isTabEnabled(index):
            self._on_tab_shown(index)
            self.tabs.setCurrentIndex(index)

    def find_client(self) -> None:
        self.tabs.setCurrentWidget(self.clients)
        self.clients.focus_search()

    def open_client(self, customer_id: int) -> None:
        self.tabs.setCurrentWidget(self.clients)
        self.clients.open_client(customer_id)

    def start_checkout(self, appointment_id: int) -> None:
        if not self.user.can(Permission.CHECKOUT):
            return
        self.tabs.setCurrentWidget(self.checkout)
        self.checkout.refresh()
        self.checkout.select_appointment(appointment_id)
        self.checkout.received_edit.setFocus()

    def on_scan(self, result: ScanResult) -> None:
        """A loyalty card opens its client's card; a bad scan or an unknown card only says so.
        A focused field that takes scans (a product's barcode) gets the code instead."""
        code = result.code
        target = scan_target(self)
        if target is not None:
            if result.error is not None or code is None:
                message = self.tr("The scan could not be read. Please scan again.")
                self.statusBar().showMessage(message, 8000)
            else:
                deliver_scan(target, code)
            return
        if result.error is not None or code is None:
            self._scan_problem(self.tr("The scan could not be read. Please scan again."))
            return
        clients = self.services.clients

        def opened(client: ClientSummary) -> None:
            self.open_client(client.id)
            self.statusBar().showMessage(
                self.tr("Card {code}: {name}").format(code=code, name=client.name), 5000
            )

        def refused(error: BaseException) -> bool:
            self._scan_problem(known_message(error, self.desk.formats()) or "")
            return True

        self.runner.run(
            lambda: clients.find_by_card(code),
            doing=self.tr("looking up a scanned card"),
            on_done=opened,
            on_known_error=refused,
        )

    def _scan_problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        self.tabs.setCurrentWidget(self.clients)
        self.clients.show_notice(message, error=True)

    def _show_printer_warnings(self) -> None:
        """Say at start when the printer settings lack what the shop's language needs (read on
        the database worker: the window does not wait for it)."""
        if not self.services.printer.enabled:
            return
        receipts, profile = self.services.receipts, self.services.printer.profile
        self.runner.run(
            lambda: receipts.printer_warnings(profile),
            doing=self.tr("checking the receipt printer settings"),
            on_done=self._printer_warnings_read,
        )

    def _printer_warnings_read(self, warnings: list[Notice]) -> None:
        if not warnings:
            return
        text = " ".join(error_text(w) for w in warnings)
        self.printer_warning.setToolTip(text)
        self.printer_warning.show()
        if self.isVisible():
            self.statusBar().showMessage(text, 30000)
        else:
            # Shown once the window is: Qt hides "Signed in: …" for a message only when it is
            # visible as the message arrives; before that the two were drawn over each other.
            self._start_message = text

    def show_printer_warning(self) -> None:
        """The whole start-up printer warning, in a box that can be read and copied."""
        self.printer_warning_box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Receipt printer settings"),
            self.printer_warning.toolTip(),
            QMessageBox.StandardButton.Ok,
            self,
        )
        self.printer_warning_box.open()

    def open_reprint_dialog(self) -> None:
        """File > Reprint receipt…: a copy of any stored receipt, by its number."""
        if not self.reprint_action.isEnabled():
            return
        self.reprint_dialog = ReprintDialog(self.desk, self)
        self.reprint_dialog.queued.connect(
            lambda number: self.statusBar().showMessage(copy_queued_message(number), 8000)
        )
        self.reprint_dialog.open()

    def _sign_out(self) -> None:
        self.place.save(self)
        self.desk.detach()
        self.signed_out.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.place.fit_frame(self)
        if self._start_message:
            self.statusBar().showMessage(self._start_message, 30000)
            self._start_message = ""

    def closeEvent(self, event: QCloseEvent) -> None:
        waiting = self.services.printer.status.pending if self.services.printer.enabled else 0
        if waiting:
            question = english_plural(
                self.tr("%n receipt(s) have not printed yet.", "", waiting),
                _WAITING,
                waiting,
                "1 receipt has not printed yet.",
                "%n receipts have not printed yet.",
            )
            question += " " + self.tr("They stay queued and print next time. Quit anyway?")
            answer = QMessageBox.question(self, self.tr("Receipts waiting"), question)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.place.save(self)
        self.desk.detach()
        event.accept()
