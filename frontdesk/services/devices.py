"""This terminal's receipt printer and scanner: check a form, try it, save it, use it at once.

The back office's devices page hands over what its form holds (:class:`DeviceForm`, as typed).
The tests (a test print, a drawer kick, a scan) use the form's values before anything is saved;
`save` writes the settings file (every other setting kept) and puts the new printer and scanner
to work without a restart. The settings in use come from the file, then ``FRONTDESK_*``
environment variables, then command-line options: `current` says which of the page's settings
are overridden, and by what.

The test page is printed in the shop's language (like a receipt), not the window's.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal, cast

import serial

from frontdesk.devices.code_framer import CodeFramer
from frontdesk.devices.scanner import (
    Scanner,
    ScannerCondition,
    SwitchableScanner,
    explain_open_failure,
    open_scanner,
)
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import clean_line
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.receipt_printer import ReceiptPrinter
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, writes
from frontdesk.settings import (
    PRINTER_KINDS,
    Settings,
    SettingsError,
    language_for,
    load_settings,
    overridden_settings,
    save_settings,
    settings_path,
)
from printing.connections import (
    PrinterConfig,
    PrinterConnection,
    PrinterKind,
    PrinterUnavailable,
    open_connection,
)
from printing.escpos_layout import (
    DEFAULT_ESCPOS_PROFILE,
    PrinterProfile,
    render_drawer_kick,
    render_note,
)

#: Paper width in mm -> characters per line.
PAPER_COLUMNS = {58: 32, 80: 48}
#: The baud rates offered for serial printers and scanners (others may be typed).
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
#: How long a scan test waits for a code.
SCAN_TEST_SECONDS = 15.0
#: The settings the devices page writes for each printer kind (the others are kept as they are).
KIND_SETTINGS: dict[str, tuple[str, ...]] = {
    "none": (),
    "network": ("printer_host", "printer_port"),
    "serial": ("printer_device", "printer_baudrate"),
    "usb": ("printer_usb_vendor", "printer_usb_product"),
    "file": ("printer_path",),
}
#: Every setting the devices page shows.
PAGE_SETTINGS = (
    "printer_kind",
    "printer_host",
    "printer_port",
    "printer_device",
    "printer_baudrate",
    "printer_usb_vendor",
    "printer_usb_product",
    "printer_path",
    "printer_columns",
    "printer_profile",
    "printer_chinese",
    "printer_two_way",
    "scanner_port",
    "scanner_baudrate",
)


def printer_config(settings: Settings) -> PrinterConfig:
    """Where the receipt printer is, from the settings."""
    return PrinterConfig(
        kind=cast(PrinterKind, settings.printer_kind),  # checked by load_settings
        host=settings.printer_host,
        port=settings.printer_port,
        device=settings.printer_device,
        baudrate=settings.printer_baudrate,
        usb_vendor=settings.printer_usb_vendor,
        usb_product=settings.printer_usb_product,
        path=settings.printer_path,
        two_way=settings.printer_two_way,
    )


def printer_profile(settings: Settings) -> PrinterProfile:
    """The receipt printer's paper width, python-escpos profile and Chinese font setting."""
    return PrinterProfile(
        columns=settings.printer_columns,
        escpos_profile=settings.printer_profile,
        chinese=settings.printer_chinese,
    )


@dataclass(frozen=True)
class DeviceForm:
    """The devices page's form as typed (numbers are still text)."""

    printer_kind: str = "none"
    printer_host: str = ""
    printer_port: str = "9100"
    printer_device: str = ""
    printer_baudrate: str = "9600"
    printer_usb_vendor: str = ""
    printer_usb_product: str = ""
    printer_path: str = ""
    paper_mm: int = 80
    printer_profile: str = DEFAULT_ESCPOS_PROFILE
    printer_chinese: bool = False
    printer_two_way: bool = True
    scanner_port: str = ""
    scanner_baudrate: str = "9600"

    @classmethod
    def of(cls, settings: Settings) -> DeviceForm:
        """The form filled from `settings`."""

        def usb_id(value: int) -> str:
            return f"0x{value:04x}" if value else ""

        return cls(
            printer_kind=settings.printer_kind,
            printer_host=settings.printer_host,
            printer_port=str(settings.printer_port),
            printer_device=settings.printer_device,
            printer_baudrate=str(settings.printer_baudrate),
            printer_usb_vendor=usb_id(settings.printer_usb_vendor),
            printer_usb_product=usb_id(settings.printer_usb_product),
            printer_path=settings.printer_path,
            paper_mm=58 if settings.printer_columns <= PAPER_COLUMNS[58] else 80,
            printer_profile=settings.printer_profile,
            printer_chinese=settings.printer_chinese,
            printer_two_way=settings.printer_two_way,
            scanner_port=settings.scanner_port,
            scanner_baudrate=str(settings.scanner_baudrate),
        )


@dataclass(frozen=True)
class Override:
    """A setting whose value in use is not the file's: `source` is the environment variable's
    name or "command line"; `in_use` the value in use, as text."""

    source: str
    in_use: str


@dataclass(frozen=True)
class DeviceSettings:
    """What the page shows: the file's settings in the form, and which are overridden (by
    page field name: ``paper_mm`` for ``printer_columns``)."""

    form: DeviceForm
    overridden: Mapping[str, Override]
    path: str


@dataclass(frozen=True)
class ProfileChoice:
    """A printer profile python-escpos knows: its key (the setting) and its model name."""

    key: str
    name: str
    vendor: str


@dataclass(frozen=True)
class DeviceCheck:
    """How a test print or drawer kick went: ``problem`` is a printing.connections problem
    code ("unreachable", "paper_out", ...) and ``reason`` the system's few words about it."""

    ok: bool
    delivery: str = ""  # printed (the printer confirmed) or sent (a one-way printer)
    problem: str = ""
    reason: str = ""
    delivered: bool = False


ScanOutcome = Literal["code", "nothing", "cannot_open", "cancelled", "unreadable"]


@dataclass(frozen=True)
class ScanTest:
    """How a scan test ended. ``reason`` says why the port could not be opened (one of the
    scanner's reasons: "permission denied", "in use by another program", "not a serial
    port", "not a valid port setting", "no such device", or the system's words)."""

    outcome: ScanOutcome
    code: str = ""
    reason: str = ""


@dataclass(frozen=True)
class _TestWords:
    title: str
    works: str
    script: str  # a line in the shop's own script


#: The test page's words by the shop's language (like receipt_words, not the window's).
TEST_PAGE_WORDS = {
    "en": _TestWords(
        "Printer test", "The printer works.", "The quick brown fox jumps over the lazy dog"
    ),
    "ru": _TestWords(
        "Проверка принтера", "Принтер работает.", "Съешь же ещё этих мягких французских булок"
    ),
    "zh_CN": _TestWords("打印测试", "打印机工作正常。", "欢迎光临，谢谢惠顾！"),
}


def _whole_number(
    text: str, field: str, low: int, high: int, errors: dict[str, DomainError]
) -> int:
    try:
        value = int(text.strip(), 0)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors[field] = ValidationError(
            field,
            "{label} must be a whole number from {low} to {high}.",
            label=field,
            low=low,
            high=high,
        )
        return 0
    return value


def _line(text: str, field: str, errors: dict[str, DomainError], required: str | None) -> str:
    try:
        return clean_line(text, field, field, 200, required=required)
    except ValidationError as error:
        errors[field] = error
        return ""


def profile_choices() -> list[ProfileChoice]:
    """Every printer profile python-escpos knows, by vendor and name (loads its list once)."""
    from escpos.capabilities import CAPABILITIES

    choices = [
        ProfileChoice(key, str(data.get("name", key)), str(data.get("vendor", "")))
        for key, data in CAPABILITIES["profiles"].items()
    ]
    return sorted(choices, key=lambda c: (c.key != "default", c.vendor.lower(), c.name.lower()))


def _known_profile(key: str) -> bool:
    if key == DEFAULT_ESCPOS_PROFILE:
        return True
    return any(choice.key == key for choice in profile_choices())


def form_settings(
    form: DeviceForm, *, printer: bool = True, scanner: bool = True
) -> dict[str, Any]:
    """The settings `form` asks for; FormErrors naming every bad field at once.

    Only the chosen printer kind's address fields are checked and returned.
    """
    errors: dict[str, DomainError] = {}
    values: dict[str, Any] = {}
    if printer:
        kind = form.printer_kind
        if kind not in PRINTER_KINDS:
            errors["printer_kind"] = ValidationError(
                "printer_kind", "Choose how the receipt printer is connected."
            )
        values["printer_kind"] = kind
        if kind == "network":
            values["printer_host"] = _line(
                form.printer_host,
                "printer_host",
                errors,
                words("Enter the printer's network name or IP address."),
            )
            if " " in values["printer_host"] and "printer_host" not in errors:
                errors["printer_host"] = ValidationError(
                    "printer_host", "A network name or IP address has no spaces."
                )
            values["printer_port"] = _whole_number(
                form.printer_port, "printer_port", 1, 65535, errors
            )
        elif kind == "serial":
            values["printer_device"] = _line(
                form.printer_device,
                "printer_device",
                errors,
                words("Enter the printer's serial port, e.g. /dev/ttyUSB0 or COM3."),
            )
            values["printer_baudrate"] = _whole_number(
                form.printer_baudrate, "printer_baudrate", 50, 4_000_000, errors
            )
        elif kind == "usb":
            values["printer_usb_vendor"] = _whole_number(
                form.printer_usb_vendor, "printer_usb_vendor", 1, 0xFFFF, errors
            )
            values["printer_usb_product"] = _whole_number(
                form.printer_usb_product, "printer_usb_product", 1, 0xFFFF, errors
            )
        elif kind == "file":
            values["printer_path"] = _line(
                form.printer_path,
                "printer_path",
                errors,
                words("Enter the file or device the receipts are written to."),
            )
        if form.paper_mm not in PAPER_COLUMNS:
            errors["paper_mm"] = ValidationError("paper_mm", "Choose 58 mm or 80 mm paper.")
        else:
            values["printer_columns"] = PAPER_COLUMNS[form.paper_mm]
        profile = form.printer_profile.strip()
        if not _known_profile(profile):
            errors["printer_profile"] = ValidationError(
                "printer_profile", "Choose a printer model from the list."
            )
        values["printer_profile"] = profile
        values["printer_chinese"] = bool(form.printer_chinese)
        values["printer_two_way"] = bool(form.printer_two_way)
    if scanner:
        port = _line(form.scanner_port, "scanner_port", errors, None)
        if " " in port and "scanner_port" not in errors:
            errors["scanner_port"] = ValidationError(
                "scanner_port", "A port name has no spaces, e.g. /dev/ttyACM0 or COM4."
            )
        values["scanner_port"] = port
        values["scanner_baudrate"] = _whole_number(
            form.scanner_baudrate, "scanner_baudrate", 50, 4_000_000, errors
        )
    if errors:
        raise FormErrors(errors)
    return values


def _form_printer(form: DeviceForm) -> tuple[PrinterConfig, PrinterProfile]:
    values = form_settings(form, scanner=False)
    if values["printer_kind"] == "none":
        raise ValidationError("printer_kind", "Choose how the receipt printer is connected.")
    settings = replace(Settings(), **values)
    return printer_config(settings), printer_profile(settings)


def serial_ports() -> list[str]:
    """The serial ports this computer has now (USB scanners and printers included)."""
    from serial.tools import list_ports

    return sorted(port.device for port in list_ports.comports())


class DeviceSetup:
    """Set up this terminal's printer and scanner: try, save, apply (see the module doc)."""

    def __init__(
        self,
        settings: Settings,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService,
        *,
        printer: ReceiptPrinter | None = None,
        scanner: SwitchableScanner | None = None,
        on_printer_changed: Callable[[bool], None] = lambda _enabled: None,
        path: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._settings = settings
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._printer = printer
        self._scanner = scanner
        self._on_printer_changed = on_printer_changed
        self._path = path
        self._environ = os.environ if environ is None else environ
        self._lock = threading.Lock()  # one save at a time

    @property
    def path(self) -> Path:
        return self._path or settings_path()

    @property
    def in_use(self) -> Settings:
        """The settings the program uses now (after the last save)."""
        return self._settings

    # ------------------------------------------------------------------ reading
    def current(self, viewer: SignedIn) -> DeviceSettings:
        """The file's device settings for the form, and which ones something overrides."""
        viewer.require(Permission.MANAGE_DEVICES)
        try:
            from_file = load_settings(self.path, {})
        except SettingsError:
            from_file = self._settings  # a broken file: start from what is in use
        sources = overridden_settings(self._settings, self.path, self._environ)
        overridden: dict[str, Override] = {}
        for name in PAGE_SETTINGS:
            if name in sources:
                field = "paper_mm" if name == "printer_columns" else name
                shown = DeviceForm.of(self._settings)
                value = getattr(shown, field)
                overridden[field] = Override(sources[name], str(value))
        return DeviceSettings(DeviceForm.of(from_file), overridden, str(self.path))

    # ------------------------------------------------------------------ tests
    def test_print(self, viewer: SignedIn, form: DeviceForm) -> DeviceCheck:
        """Print a short test page on the printer the form describes (not saved yet)."""
        viewer.require(Permission.MANAGE_DEVICES)
        config, profile = _form_printer(form)
        data = render_note(*self._test_words(), profile)
        return _send(config, data, needs_paper=True)

    def _test_words(self) -> tuple[str, list[str]]:
        from babel.dates import format_datetime

        shop = self._shop.info()
        words = TEST_PAGE_WORDS.get(language_for("", shop.locale), TEST_PAGE_WORDS["en"])
        when = format_datetime(
            self._clock.now().astimezone(shop.zone), "medium", locale=shop.locale
        )
        return words.title, [shop.name, when, "", words.script, "", words.works]

    def drawer_test(self, viewer: SignedIn, form: DeviceForm) -> DeviceCheck:
        """Kick the cash drawer now, on its own, through the printer the form describes."""
        viewer.require(Permission.MANAGE_DEVICES)
        config, _profile = _form_printer(form)
        return _send(config, render_drawer_kick(), needs_paper=False)

    def scan_test(
        self,
        viewer: SignedIn,
        form: DeviceForm,
        *,
        cancel: threading.Event | None = None,
        seconds: float = SCAN_TEST_SECONDS,
    ) -> ScanTest:
        """Open the form's scanner port and wait up to `seconds` for one code (blocking: run
        it off the GUI thread; set `cancel` to stop early). The program's own scanner is
        paused meanwhile when it reads the same port, and resumed after."""
        viewer.require(Permission.MANAGE_DEVICES)
        values = form_settings(form, printer=False)
        port, baudrate = values["scanner_port"], values["scanner_baudrate"]
        if not port:
            raise ValidationError("scanner_port", "Enter the scanner's port to test it.")
        cancel = cancel or threading.Event()
        if self._scanner is not None and _same_port(self._scanner.current, port):
            with self._scanner.paused():
                return _read_one_code(port, baudrate, cancel, seconds)
        return _read_one_code(port, baudrate, cancel, seconds)

    # ------------------------------------------------------------------ saving
    @writes
    def save(self, viewer: SignedIn, form: DeviceForm) -> DeviceSettings:
        """Write the form's settings to the settings file and use them from now on.

        Bad values are refused at their fields and the file is left as it was. A setting an
        environment variable or command-line option overrides is written all the same; the
        override stays in use while it is there.
        """
        viewer.require(Permission.MANAGE_DEVICES)
        values = form_settings(form)
        with self._lock:
            before = self._file_values()
            # Read before writing: afterwards the new file would look like an override.
            sources = overridden_settings(self._settings, self.path, self._environ)
            try:
                save_settings(values, self.path)
            except SettingsError as error:
                raise DomainError(
                    "The settings file could not be written: {reason}", reason=str(error)
                ) from None
            except OSError as error:
                raise DomainError(
                    "The settings file could not be written: {reason}",
                    reason=error.strerror or type(error).__name__,
                ) from None
            changed = sorted(name for name, value in values.items() if before.get(name) != value)
            self._apply(sources)
        with self._uow.write() as session:
            record(
                session,
                at=self._clock.now(),
                action="devices.save",
                staff_id=viewer.staff_id,
                entity="settings",
                detail=", ".join(changed),
            )
        return self.current(viewer)

    def _file_values(self) -> dict[str, Any]:
        try:
            return dict(vars(load_settings(self.path, {})))
        except SettingsError:
            return {}

    def _apply(self, sources: Mapping[str, str]) -> None:
        """Use the saved file (under the environment's and the command line's overrides)."""
        before = self._settings
        from_start = {
            name: getattr(before, name)
            for name, source in sources.items()
            if not source.startswith("FRONTDESK_")
        }
        after = replace(load_settings(self.path, self._environ), **from_start)
        self._settings = after
        if self._printer is not None and _printer_settings(after) != _printer_settings(before):
            config, profile = printer_config(after), printer_profile(after)
            enabled = after.printer_kind != "none"
            self._printer.reconfigure(lambda: open_connection(config), profile, enabled=enabled)
            self._on_printer_changed(enabled)
        if self._scanner is not None and (after.scanner_port, after.scanner_baudrate) != (
            before.scanner_port,
            before.scanner_baudrate,
        ):
            self._scanner.switch(open_scanner(after.scanner_port or None, after.scanner_baudrate))


def _printer_settings(settings: Settings) -> tuple[object, ...]:
    return tuple(
        getattr(settings, spec.name)
        for spec in fields(Settings)
        if spec.name.startswith("printer_")
    )


def _send(config: PrinterConfig, data: bytes, *, needs_paper: bool) -> DeviceCheck:
    try:
        connection: PrinterConnection = open_connection(config)
        delivery = connection.send(data, needs_paper=needs_paper)
    except PrinterUnavailable as exc:
        return DeviceCheck(False, problem=exc.code, reason=str(exc), delivered=exc.delivered)
    return DeviceCheck(True, delivery=delivery)


def _same_port(scanner: Scanner, port: str) -> bool:
    own = getattr(scanner, "port", None)
    if not isinstance(own, str) or not own:
        return False
    return own == port or os.path.realpath(own) == os.path.realpath(port)


def _read_one_code(port: str, baudrate: int, cancel: threading.Event, seconds: float) -> ScanTest:
    try:
        device = serial.serial_for_url(port, baudrate=baudrate, timeout=0.1, exclusive=True)
    except ValueError as exc:
        del exc
        return ScanTest("cannot_open", reason="not a valid port setting")
    except (serial.SerialException, OSError) as exc:
        state = explain_open_failure(port, exc)
        if state.condition is ScannerCondition.WAITING:
            return ScanTest("cannot_open", reason="no such device")
        return ScanTest("cannot_open", reason=state.reason)
    framer = CodeFramer()
    deadline = time.monotonic() + seconds
    try:
        while not cancel.is_set():
            if time.monotonic() >= deadline:
                return ScanTest("nothing")
            try:
                data = device.read(device.in_waiting or 1)
            except (serial.SerialException, OSError):
                return ScanTest("cannot_open", reason="the device went away")
            for result in framer.feed(data):
                if result.code is not None:
                    return ScanTest("code", code=result.code)
                return ScanTest("unreadable")
        return ScanTest("cancelled")
    finally:
        device.close()
