"""The back office's printer and scanner page: this computer's receipt printer and scanner.

One form: the printer (how it is connected, only that kind's address fields, paper width,
python-escpos profile, Chinese font, two-way status) with a test print and a drawer test, and
the scanner port with a scan test. The tests use the form as it is, before saving; Save writes
the settings file and the program uses the new devices at once. A setting that an environment
variable or a command-line option overrides says so beside its field.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.services.auth import SignedIn
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.devices import (
    BAUD_RATES,
    KIND_SETTINGS,
    SCAN_TEST_SECONDS,
    DeviceCheck,
    DeviceForm,
    DeviceSettings,
    Override,
    ScanTest,
    form_settings,
    profile_choices,
    serial_ports,
)
from frontdesk.settings import COMMAND_LINE
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.errors import show_error
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.workers import Executor

_KINDS = ("none", "network", "serial", "usb", "file")
_ADDRESS_FIELDS = tuple(name for kind in _KINDS for name in KIND_SETTINGS[kind])


def _placeholder(combo: QComboBox, text: str) -> None:
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText(text)


class DevicesPage(QWidget):
    """This computer's printer and scanner: try them, save them, use them without a restart."""

    #: Emitted after the settings were saved and put to use.
    saved = Signal()
    #: Emitted when a test print, drawer test or scan test has ended (tests wait on it).
    test_ended = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.devices = desk.services.devices
        #: Where the scan test waits for its code (a thread of the device worker's pool).
        self.scan_executor: Executor = desk.io
        self._cancel_scan: threading.Event | None = None
        self._seconds_left = 0
        self.notes: dict[str, QLabel] = {}
        self._build()
        self._connect()
        self.load()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        title = QLabel(self.tr("Printer and scanner"))
        title.setStyleSheet(style.TITLE)
        self.where_label = QLabel()
        self.where_label.setObjectName("settingsFile")
        self.where_label.setWordWrap(True)
        self.where_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner = QLabel()
        self.banner.setObjectName("formProblem")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.hide()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedMessage")
        self.saved_label.setWordWrap(True)
        self.saved_label.setStyleSheet(style.SUCCESS_BANNER)
        self.saved_label.hide()

        self.fields = FieldForm()
        self.scanner_fields = FieldForm()
        printer_box = QGroupBox(self.tr("Receipt printer"))
        printer_column = QVBoxLayout(printer_box)
        printer_column.addLayout(self.fields)
        printer_column.addLayout(self._printer_tests())
        scanner_box = QGroupBox(self.tr("Barcode and card scanner"))
        scanner_column = QVBoxLayout(scanner_box)
        scanner_column.addLayout(self.scanner_fields)
        scanner_column.addLayout(self._scanner_test())
        self._printer_fields()
        self._scanner_fields()

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(title)
        column.addWidget(self.where_label)
        column.addWidget(printer_box)
        column.addWidget(scanner_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveDevices")
        self.save_button.setDefault(True)
        save_keys = QKeySequence(QKeySequence.StandardKey.Save).toString()
        self.save_button.setToolTip(
            self.tr("Save to the settings file and use at once ({keys})").format(keys=save_keys)
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    def _with_note(self, form: FieldForm, name: str, label: str, widget: QWidget) -> None:
        """Add `widget` as field `name`, with a line beneath it for an override."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        note = QLabel()
        note.setObjectName(f"{name}_override")
        note.setWordWrap(True)
        note.setStyleSheet("QLabel { color: #8a5a00; }")
        note.hide()
        column.addWidget(note)
        box.setFocusProxy(widget)
        self.notes[name] = note
        form.add_widget(name, label, box)
        widget.setObjectName(f"{name}_input")

    def _printer_fields(self) -> None:
        self.kind = QComboBox()
        kind_names = {
            "none": self.tr("No receipt printer"),
            "network": self.tr("Network (Ethernet or Wi-Fi)"),
            "serial": self.tr("Serial port (RS-232 or USB serial)"),
            "usb": self.tr("USB (direct)"),
            "file": self.tr("File or device node"),
        }
        for kind in _KINDS:
            self.kind.addItem(kind_names[kind], kind)
        self._with_note(self.fields, "printer_kind", self.tr("Connection"), self.kind)
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("e.g. 192.168.1.50 or printer.local"))
        self._with_note(self.fields, "printer_host", self.tr("Address"), self.host)
        self.port = QLineEdit()
        self.port.setPlaceholderText("9100")
        self._with_note(self.fields, "printer_port", self.tr("TCP port"), self.port)
        self.device = self._ports_combo()
        self._with_note(self.fields, "printer_device", self.tr("Serial port"), self.device)
        self.printer_baud = self._baud_combo()
        self._with_note(self.fields, "printer_baudrate", self.tr("Baud rate"), self.printer_baud)
        self.usb_vendor = QLineEdit()
        self.usb_vendor.setPlaceholderText("0x04b8")
        self._with_note(
            self.fields, "printer_usb_vendor", self.tr("USB vendor id"), self.usb_vendor
        )
        self.usb_product = QLineEdit()
        self.usb_product.setPlaceholderText("0x0e15")
        self._with_note(
            self.fields, "printer_usb_product", self.tr("USB product id"), self.usb_product
        )
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("e.g. /dev/usb/lp0"))
        self._with_note(self.fields, "printer_path", self.tr("File or device"), self.path)
        self.paper = QComboBox()
        self.paper.addItem(self.tr("80 mm (48 characters a line)"), 80)
        self.paper.addItem(self.tr("58 mm (32 characters a line)"), 58)
        self._with_note(self.fields, "paper_mm", self.tr("Paper width"), self.paper)
        self.profile = QComboBox()
        self.profile.setEditable(True)
        self.profile.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for choice in profile_choices():
            vendor = f"{choice.vendor} " if choice.vendor else ""
            self.profile.addItem(f"{vendor}{choice.name} ({choice.key})", choice.key)
        completer = QCompleter(self.profile.model(), self.profile)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.profile.setCompleter(completer)
        _placeholder(self.profile, self.tr("Type to search the printer models"))
        self.profile.setToolTip(
            self.tr("The printer model as python-escpos knows it: its code pages and cutter.")
        )
        self._with_note(self.fields, "printer_profile", self.tr("Printer model"), self.profile)
        self.chinese = QCheckBox(self.tr("The printer has a Chinese font (GB18030)"))
        self._with_note(self.fields, "printer_chinese", self.tr("Chinese"), self.chinese)
        self.two_way = QCheckBox(self.tr("The printer answers status questions (paper, cover)"))
        self.two_way.setToolTip(
            self.tr("Turn this off for one-way cables: receipts are then sent without a check.")
        )
        self._with_note(self.fields, "printer_two_way", self.tr("Status"), self.two_way)

    def _printer_tests(self) -> QHBoxLayout:
        self.test_print_button = QPushButton(self.tr("Test print"))
        self.test_print_button.setObjectName("testPrint")
        self.test_print_button.setToolTip(
            self.tr("Print a short test page with the settings above, before saving (Alt+T)")
        )
        self.test_print_button.setShortcut(QKeySequence("Alt+T"))
        self.drawer_button = QPushButton(self.tr("Drawer test"))
        self.drawer_button.setObjectName("drawerTest")
        self.drawer_button.setToolTip(
            self.tr("Open the cash drawer now through the printer above (Alt+D)")
        )
        self.drawer_button.setShortcut(QKeySequence("Alt+D"))
        self.printer_result = QLabel()
        self.printer_result.setObjectName("printerTestResult")
        self.printer_result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.test_print_button)
        row.addWidget(self.drawer_button)
        row.addWidget(self.printer_result, 1)
        return row

    def _scanner_fields(self) -> None:
        self.scanner_port = self._ports_combo()
        _placeholder(self.scanner_port, self.tr("None: no serial scanner"))
        self._with_note(self.scanner_fields, "scanner_port", self.tr("Port"), self.scanner_port)
        self.scanner_baud = self._baud_combo()
        self._with_note(
            self.scanner_fields, "scanner_baudrate", self.tr("Baud rate"), self.scanner_baud
        )

    def _scanner_test(self) -> QHBoxLayout:
        self.scan_button = QPushButton(self.tr("Scan test"))
        self.scan_button.setObjectName("scanTest")
        self.scan_button.setToolTip(
            self.tr("Wait up to {seconds} s for one scan on the port above (Alt+S)").format(
                seconds=int(SCAN_TEST_SECONDS)
            )
        )
        self.scan_button.setShortcut(QKeySequence("Alt+S"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelScanTest")
        self.cancel_button.setToolTip(self.tr("Stop waiting for a scan (Esc)"))
        self.cancel_button.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_button.hide()
        self.scan_result = QLabel()
        self.scan_result.setObjectName("scanTestResult")
        self.scan_result.setWordWrap(True)
        self.scan_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        row = QHBoxLayout()
        row.addWidget(self.scan_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.scan_result, 1)
        return row

    def _ports_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for port in serial_ports():
            combo.addItem(port)
        combo.setCurrentIndex(-1)
        return combo

    def _baud_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for rate in BAUD_RATES:
            combo.addItem(str(rate))
        return combo

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(self._show_kind_fields)
        self.save_button.clicked.connect(self.save)
        self.test_print_button.clicked.connect(self.test_print)
        self.drawer_button.clicked.connect(self.drawer_test)
        self.scan_button.clicked.connect(self.scan_test)
        self.cancel_button.clicked.connect(self.cancel_scan_test)
        self.countdown.timeout.connect(self._tick)

    # ------------------------------------------------------------------ the form
    def load(self) -> None:
        """Fill the form from the settings file (and say what overrides it)."""
        self.show_settings(self.devices.current(self.desk.user))

    def show_settings(self, shown: DeviceSettings) -> None:
        form = shown.form
        self.where_label.setText(
            self.tr(
                "These settings belong to this computer. They are saved in {path}; other "
                "computers keep their own."
            ).format(path=shown.path)
        )
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.printer_kind)))
        self.host.setText(form.printer_host)
        self.port.setText(form.printer_port)
        self.device.setEditText(form.printer_device)
        self.printer_baud.setEditText(form.printer_baudrate)
        self.usb_vendor.setText(form.printer_usb_vendor)
        self.usb_product.setText(form.printer_usb_product)
        self.path.setText(form.printer_path)
        self.paper.setCurrentIndex(max(0, self.paper.findData(form.paper_mm)))
        found = self.profile.findData(form.printer_profile)
        if found >= 0:
            self.profile.setCurrentIndex(found)
        else:
            self.profile.setEditText(form.printer_profile)
        self.chinese.setChecked(form.printer_chinese)
        self.two_way.setChecked(form.printer_two_way)
        self.scanner_port.setEditText(form.scanner_port)
        self.scanner_baud.setEditText(form.scanner_baudrate)
        for name, note in self.notes.items():
            override = shown.overridden.get(name)
            note.setVisible(override is not None)
            note.setText(self._override_text(override) if override else "")
        self._show_kind_fields()

    def _override_text(self, override: Override) -> str:
        if override.source == COMMAND_LINE:
            text = self.tr("A command-line option overrides this: {value} is in use.")
        else:
            text = self.tr("The environment variable {variable} overrides this: {value} is in use.")
        return (
            text.format(variable=override.source, value=override.in_use or '""')
            + " "
            + self.tr("Saving still writes the file.")
        )

    def _show_kind_fields(self) -> None:
        kind = str(self.kind.currentData())
        for name in _ADDRESS_FIELDS:
            self._set_row_visible(self.fields, name, name in KIND_SETTINGS.get(kind, ()))
        printing = kind != "none"
        for name in ("paper_mm", "printer_profile", "printer_chinese", "printer_two_way"):
            self._set_row_visible(self.fields, name, printing)
        self.test_print_button.setEnabled(printing)
        self.drawer_button.setEnabled(printing)

    @staticmethod
    def _set_row_visible(form: FieldForm, name: str, visible: bool) -> None:
        form.setRowVisible(form.widgets[name], visible)
        form.setRowVisible(form.errors[name], visible)
        form.errors[name].hide()  # showing the row shows its (empty) error label too

    def form(self) -> DeviceForm:
        """The form as typed now."""
        profile_text = self.profile.currentText().strip()
        index = self.profile.findText(profile_text, Qt.MatchFlag.MatchFixedString)
        profile = str(self.profile.itemData(index)) if index >= 0 else profile_text
        return DeviceForm(
            printer_kind=str(self.kind.currentData()),
            printer_host=self.host.text(),
            printer_port=self.port.text(),
            printer_device=self.device.currentText(),
            printer_baudrate=self.printer_baud.currentText(),
            printer_usb_vendor=self.usb_vendor.text(),
            printer_usb_product=self.usb_product.text(),
            printer_path=self.path.text(),
            paper_mm=int(self.paper.currentData()),
            printer_profile=profile,
            printer_chinese=self.chinese.isChecked(),
            printer_two_way=self.two_way.isChecked(),
            scanner_port=self.scanner_port.currentText(),
            scanner_baudrate=self.scanner_baud.currentText(),
        )

    def _clear_messages(self) -> None:
        self.fields.clear_errors()
        self.scanner_fields.clear_errors()
        self.banner.hide()
        self.saved_label.hide()

    def show_problem(self, error: DomainError) -> None:
        """Each field's message beside it, the rest above the form."""
        formats = self.desk.formats()
        if isinstance(error, FormErrors):
            messages = field_texts(error, formats)
        elif isinstance(error, ValidationError):
            messages = {error.field: error_text(error, formats)}
        else:
            messages = {"": error_text(error, formats)}
        printer = {k: v for k, v in messages.items() if k in self.fields.widgets}
        rest = {k: v for k, v in messages.items() if k not in self.fields.widgets}
        unplaced = self.scanner_fields.show_errors(rest)
        self.fields.show_errors(printer)  # second: the first bad field of the page gets focus
        self.banner.setText(" ".join(unplaced))
        self.banner.setVisible(bool(unplaced))

    # ------------------------------------------------------------------ saving
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self._clear_messages()
        form = self.form()
        try:
            form_settings(form)
        except FormErrors as error:
            self.show_problem(error)
            return
        devices, user = self.devices, self.desk.user
        self.save_button.setEnabled(False)
        self.desk.runner.run(
            lambda: devices.save(user, form),
            doing=self.tr("saving the printer and scanner settings"),
            on_done=self._saved,
            on_known_error=self._refused,
            on_finished=lambda: self.save_button.setEnabled(self._cancel_scan is None),
            parent=self.window(),
        )

    def _saved(self, shown: DeviceSettings) -> None:
        self.show_settings(shown)
        self.saved_label.setText(self.tr("Saved. The new settings are in use now."))
        self.saved_label.show()
        printer = self.desk.services.printer
        bus = self.desk.bus

        def tell_status_bar(_result: object = None) -> None:
            bus.publish(Changes({ChangeKind.PRINT_JOBS: None}))

        if printer.enabled:  # ask the new printer how it is, for the status bar
            self.desk.io.submit(printer.check, tell_status_bar, lambda _error: tell_status_bar())
        else:
            tell_status_bar()
        self.saved.emit()

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, DomainError):
            self.show_problem(error)
            return True
        return False

    # ------------------------------------------------------------------ printer tests
    def test_print(self) -> None:
        self._printer_test(self.devices.test_print, self.tr("Printing a test page…"), drawer=False)

    def drawer_test(self) -> None:
        self._printer_test(self.devices.drawer_test, self.tr("Opening the drawer…"), drawer=True)

    def _printer_test(
        self, test: Callable[[SignedIn, DeviceForm], DeviceCheck], doing: str, *, drawer: bool
    ) -> None:
        self._clear_messages()
        form = self.form()
        try:
            form_settings(form, scanner=False)
        except FormErrors as error:
            self.show_problem(error)
            return
        user = self.desk.user
        self.test_print_button.setEnabled(False)
        self.drawer_button.setEnabled(False)
        self.printer_result.setStyleSheet("")
        self.printer_result.setText(doing)
        self.desk.io.submit(
            lambda: test(user, form),
            lambda check: self._printer_tested(check, drawer=drawer),
            self._printer_test_failed,
        )

    def _printer_tested(self, check: DeviceCheck, *, drawer: bool) -> None:
        self._show_kind_fields()
        if check.ok:
            if drawer:
                text = self.tr("The drawer kick was sent. Did the drawer open?")
            elif check.delivery == "printed":
                text = self.tr("The printer took the test page. Is it on paper and readable?")
            else:
                text = self.tr(
                    "The test page was sent; this printer cannot confirm it. Is it on paper?"
                )
            self.printer_result.setStyleSheet("QLabel { color: #1d7a35; }")
        else:
            text = self.problem_words(check)
            self.printer_result.setStyleSheet(style.ERROR_TEXT)
        self.printer_result.setText(text)
        self.test_ended.emit()

    def problem_words(self, check: DeviceCheck) -> str:
        """Why a printer test did not work, in the window's language."""
        words = {
            "not_set_up": self.tr("The printer's address is not complete."),
            "unreachable": self.tr("The printer could not be reached ({reason})."),
            "offline": self.tr("The printer is offline."),
            "paper_out": self.tr("The printer is out of paper."),
            "cover_open": self.tr("The printer's cover is open."),
            "not_responding": self.tr("The printer does not answer ({reason})."),
        }
        text = words.get(check.problem, self.tr("The printer could not be used ({reason})."))
        if check.delivered:
            text += " " + self.tr("Something may have printed.")
        return text.format(reason=check.reason)

    def _printer_test_failed(self, error: BaseException) -> None:
        self._show_kind_fields()
        self.printer_result.setText("")
        if isinstance(error, DomainError):
            self.show_problem(error)
        else:
            show_error(self.window(), error, self.tr("testing the printer"))
        self.test_ended.emit()

    # ------------------------------------------------------------------ scan test
    def scan_test(self) -> None:
        if self._cancel_scan is not None:
            return
        self._clear_messages()
        form = self.form()
        try:
            form_settings(form, printer=False)
            if not form.scanner_port.strip():
                raise ValidationError("scanner_port", "Enter the scanner's port to test it.")
        except DomainError as error:
            self.show_problem(error)
            return
        cancel = self._cancel_scan = threading.Event()
        self._seconds_left = int(SCAN_TEST_SECONDS)
        self._show_waiting()
        self.scan_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.cancel_button.show()
        self.cancel_button.setFocus()
        self.countdown.start()
        devices, user = self.devices, self.desk.user
        self.scan_executor.submit(
            lambda: devices.scan_test(user, form, cancel=cancel),
            self._scanned,
            self._scan_failed,
        )

    def _show_waiting(self) -> None:
        self.scan_result.setStyleSheet("")
        self.scan_result.setText(self.tr("Scan a code now… %n s left", "", self._seconds_left))

    def _tick(self) -> None:
        self._seconds_left = max(0, self._seconds_left - 1)
        if self._cancel_scan is not None:
            self._show_waiting()

    def hideEvent(self, event: QHideEvent) -> None:
        self.cancel_scan_test()  # leaving the page (or signing out) ends a scan test
        super().hideEvent(event)

    def cancel_scan_test(self) -> None:
        if self._cancel_scan is not None:
            self._cancel_scan.set()

    def _scan_ended(self) -> None:
        self._cancel_scan = None
        self.countdown.stop()
        self.cancel_button.hide()
        self.scan_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.scan_button.setFocus()

    def _scanned(self, result: ScanTest) -> None:
        self._scan_ended()
        good = result.outcome == "code"
        self.scan_result.setStyleSheet("QLabel { color: #1d7a35; }" if good else style.ERROR_TEXT)
        self.scan_result.setText(self.scan_words(result))
        self.test_ended.emit()

    def scan_words(self, result: ScanTest) -> str:
        """How a scan test ended, in the window's language."""
        if result.outcome == "code":
            return self.tr("The scanner works. It read: {code}").format(code=result.code)
        if result.outcome == "nothing":
            return self.tr(
                "Nothing came within {seconds} s. Check the port and the cable, and that the "
                "scanner is set to serial (not keyboard) mode."
            ).format(seconds=int(SCAN_TEST_SECONDS))
        if result.outcome == "cancelled":
            return self.tr("Scan test stopped.")
        if result.outcome == "unreadable":
            return self.tr("Something came, but not a readable code. Check the baud rate.")
        reasons = {
            "permission denied": self.tr(
                "permission denied; on Linux, add this user to the 'dialout' group"
            ),
            "in use by another program": self.tr("in use by another program"),
            "not a serial port": self.tr("not a serial port"),
            "not a valid port setting": self.tr("not a valid port name"),
            "no such device": self.tr("there is no such port (is the scanner plugged in?)"),
            "the device went away": self.tr("the scanner was unplugged"),
        }
        reason = reasons.get(result.reason, result.reason)
        return self.tr("The port could not be opened: {reason}.").format(reason=reason)

    def _scan_failed(self, error: BaseException) -> None:
        self._scan_ended()
        self.scan_result.setText("")
        if isinstance(error, DomainError):
            self.show_problem(error)
        else:
            show_error(self.window(), error, self.tr("testing the scanner"))
        self.test_ended.emit()
