"""The main window only composes: four areas, a status bar, menus; one place wires signals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QToolButton

from frontdesk.bootstrap import AppServices
from frontdesk.devices.scanner import ScanResult
from frontdesk.domain.errors import DomainError
from frontdesk.domain.roles import Permission
from frontdesk.services.auth import SignedIn
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.ui.calendar.area import CalendarArea
from frontdesk.ui.checkout.area import CheckoutArea
from frontdesk.ui.clients.area import ClientsArea
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.reports.area import ReportsArea, open_with_system_viewer
from frontdesk.ui.widgets.printer_status import PrinterStatus
from frontdesk.ui.widgets.reprint_dialog import ReprintDialog, copy_queued_message
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.widgets.scanner_status import ScannerStatus
from frontdesk.ui.window_place import WindowPlace
from frontdesk.ui.workers import Executor

SHORTCUTS = """<table>
<tr><td><b>Ctrl+1 … Ctrl+4</b></td><td>Calendar, Clients, Checkout, Reports</td></tr>
<tr><td><b>Ctrl+F</b></td><td>Find a client</td></tr>
<tr><td><b>Ctrl+N</b></td><td>New client (in Clients)</td></tr>
<tr><td><b>Alt+Left / Alt+Right / Alt+Home</b></td><td>Previous / next day / today</td></tr>
<tr><td><b>Enter</b></td><td>Open the selected appointment's client</td></tr>
<tr><td><b>F9</b></td><td>Check out the selected appointment / complete the sale</td></tr>
<tr><td><b>Ctrl+P</b></td><td>Create the end-of-day PDF (in Reports)</td></tr>
<tr><td><b>Ctrl+L</b></td><td>Sign out</td></tr></table>"""


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
        self.setWindowTitle(f"FrontDesk — {shop_name}")
        self._start_message = ""
        self._init_status_bar()
        self._init_areas(reports_dir, opener)
        self._init_menus()
        self._connect_signals()
        self._show_printer_warnings()
        self.place = place or WindowPlace()
        self._fitted = False
        self.place.restore(self)  # fits the screen's free area, as it was left last time

    def _init_status_bar(self) -> None:
        self.user_label = QLabel(f"Signed in: {self.user.name} ({self.user.role.label})")
        self.user_label.setObjectName("signedInUser")
        self.printer_status = PrinterStatus(self.desk)
        self.scanner_status = ScannerStatus(self._scanner)
        # A button: the warning is longer than the bar is wide; a click shows all of it.
        self.printer_warning = QToolButton()
        self.printer_warning.setText("⚠ Receipt printer settings")
        self.printer_warning.setObjectName("printerWarning")
        self.printer_warning.setAutoRaise(True)
        self.printer_warning.setStyleSheet("QToolButton { color: #b3261e; }")
        self.printer_warning.clicked.connect(self.show_printer_warning)
        self.printer_warning.hide()
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        bar.addPermanentWidget(self.printer_warning)
        bar.addPermanentWidget(self.scanner_status)
        bar.addPermanentWidget(self.printer_status)

    def _init_areas(self, reports_dir: Path, opener: Callable[[Path], None]) -> None:
        self.calendar = CalendarArea(self.desk)
        self.clients = ClientsArea(self.desk)
        self.checkout = CheckoutArea(self.desk)
        self.reports = ReportsArea(self.desk, reports_dir, opener)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("areas")
        self.tabs.addTab(self.calendar, "Calendar")
        self.tabs.addTab(self.clients, "Clients")
        self.tabs.addTab(self.checkout, "Checkout")
        self.tabs.addTab(self.reports, "Reports")
        for index, permission, why in (
            (2, Permission.CHECKOUT, "Checkout is for the front desk."),
            (3, Permission.VIEW_MONEY_REPORTS, "Money reports are for owners and managers."),
        ):
            if not self.user.can(permission):
                self.tabs.setTabEnabled(index, False)
                self.tabs.setTabToolTip(index, why)
        self.setCentralWidget(self.tabs)

    def _init_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.reprint_action = QAction("&Reprint receipt…", self)
        self.reprint_action.setObjectName("reprintReceipt")
        if not self.user.can(Permission.REPRINT_RECEIPTS):
            self.reprint_action.setEnabled(False)
            self.reprint_action.setToolTip("Reprints are for the front desk and managers.")
        elif not self.services.printer.enabled:
            self.reprint_action.setEnabled(False)
            self.reprint_action.setToolTip("No receipt printer is set up (printer_kind).")
        file_menu.addAction(self.reprint_action)
        file_menu.addSeparator()
        self.sign_out_action = QAction("Sign &out", self, shortcut=QKeySequence("Ctrl+L"))
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        file_menu.addAction(self.sign_out_action)
        file_menu.addAction(quit_action)
        quit_action.triggered.connect(self.close)
        go_menu = self.menuBar().addMenu("&Go")
        for index, name in enumerate(("Calendar", "Clients", "Checkout", "Reports")):
            action = QAction(name, self, shortcut=QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _c=False, i=index: self.show_area(i))
            go_menu.addAction(action)
        find = QAction("&Find client", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self.find_client)
        go_menu.addSeparator()
        go_menu.addAction(find)
        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(
            lambda: QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS)
        )
        help_menu.addAction(keys)

    def _connect_signals(self) -> None:
        self.sign_out_action.triggered.connect(self._sign_out)
        self.bus.changed.connect(self._relay_to_unconverted_areas)
        self.reprint_action.triggered.connect(self.open_reprint_dialog)
        self.events.open_client.connect(self.open_client)
        self.events.checkout_requested.connect(self.start_checkout)
        self._scanner.scanned.connect(self.on_scan)

    def _relay_to_unconverted_areas(self, changes: Changes) -> None:
        """TEMPORARY (issue 6 merge): areas still listening to AppEvents.changed hear the bus's
        changes (checkout no longer emits it). Delete with AppEvents.changed."""
        for kind in (ChangeKind.APPOINTMENTS, ChangeKind.CLIENTS, ChangeKind.SALES):
            if changes.touches(kind):
                self.events.changed.emit(kind.value)

    def show_area(self, index: int) -> None:
        if self.tabs.isTabEnabled(index):
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
        """A loyalty card opens its client's card at once; a bad scan only says so."""
        if result.error is not None or result.code is None:
            message = result.error or "The scan could not be read."
            self.statusBar().showMessage(message, 8000)
            self.clients.show_notice(message, error=True)
            return
        try:
            client = self.services.clients.find_by_card(result.code)
        except DomainError as exc:
            self.statusBar().showMessage(exc.message, 8000)
            self.tabs.setCurrentWidget(self.clients)
            self.clients.show_notice(exc.message, error=True)
            return
        self.open_client(client.id)
        self.statusBar().showMessage(f"Card {result.code}: {client.name}", 5000)

    def _show_printer_warnings(self) -> None:
        """Say at start when the printer settings lack what the shop's language needs."""
        if not self.services.printer.enabled:
            return
        warnings = self.services.receipts.printer_warnings(self.services.printer.profile)
        if warnings:
            text = " ".join(w[0].upper() + w[1:] for w in warnings)
            self.printer_warning.setToolTip(text)
            self.printer_warning.show()
            # Shown once the window is: Qt hides "Signed in: …" for a message only when it is
            # visible as the message arrives; before that the two were drawn over each other.
            self._start_message = text

    def show_printer_warning(self) -> None:
        """The whole start-up printer warning, in a box that can be read and copied."""
        self.printer_warning_box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Receipt printer settings",
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
            answer = QMessageBox.question(
                self,
                "Receipts waiting",
                (
                    "1 receipt has not printed yet. It stays queued and prints"
                    if waiting == 1
                    else f"{waiting} receipts have not printed yet. They stay queued and print"
                )
                + " next time. Quit anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.place.save(self)
        self.desk.detach()
        event.accept()
