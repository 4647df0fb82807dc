"""Connections to receipt printers (network, serial, USB, device file) built on python-escpos.

Every connection opens the printer for one job and closes it again, so a printer that was
switched off and on again just works. Every failure becomes :class:`PrinterUnavailable`
with a message a cashier can read and a short ``code``.

A two-way connection asks the printer for its real-time status (ESC/POS ``DLE EOT n``)
before a job, and again after it: a job counts as printed only once the printer has answered
after taking it. A socket that accepts but never reads would otherwise swallow a whole receipt
into the kernel's buffers. One-way connections (a device file, a cable without a return line)
can only say a job was *sent*.
"""

from __future__ import annotations

import errno
import functools
import socket
import threading
from dataclasses import dataclass
from typing import Any, Literal, Protocol

# python-escpos (with Pillow, qrcode, barcode and YAML behind it) is imported when a printer is
# opened, not when the program starts: most of a start never prints.

PrinterKind = Literal["none", "network", "serial", "usb", "file"]
#: What became of a job: the printer answered after taking it, or it went down a one-way line.
Delivery = Literal["printed", "sent"]
#: Why a printer cannot be used now.
ProblemCode = Literal[
    "not_set_up", "unreachable", "offline", "paper_out", "cover_open", "not_responding"
]

DLE_EOT = b"\x10\x04"
STATUS_PRINTER = 1  # DLE EOT 1: bit 3 set = offline
STATUS_OFFLINE_CAUSE = 2  # DLE EOT 2: bit 2 cover open, bit 5 stopped for paper end, bit 6 error
STATUS_PAPER = 4  # DLE EOT 4: bits 5 and 6 = paper end (bits 2 and 3 = near end)
_OFFLINE = 0x08
_COVER_OPEN = 0x04
_PAPER_STOP = 0x20
_ERROR = 0x40
_PAPER_END = 0x60


class PrinterUnavailable(Exception):
    """The printer cannot be used now; ``str(exc)`` says why in plain words.

    ``code`` names the cause for the program; ``delivered`` is True when the job's bytes went
    out before the problem showed (it may be on paper).
    """

    def __init__(
        self, message: str, code: ProblemCode = "unreachable", *, delivered: bool = False
    ) -> None:
        super().__init__(message)
        self.code: ProblemCode = code
        self.delivered = delivered


@dataclass(frozen=True)
class PrinterConfig:
    """Where the receipt printer is; only the fields of the chosen ``kind`` matter."""

    kind: PrinterKind
    host: str = ""
    port: int = 9100
    device: str = ""
    baudrate: int = 9600
    usb_vendor: int = 0
    usb_product: int = 0
    path: str = ""
    timeout: float = 5.0
    #: The printer answers DLE EOT status queries (false for one-way cables).
    two_way: bool = True
    #: How long to wait for a status answer before saying "not responding".
    status_timeout: float = 3.0


class PrinterConnection(Protocol):
    """Something that takes finished ESC/POS bytes to a printer."""

    def send(self, data: bytes, *, needs_paper: bool = True) -> Delivery:
        """Send one whole job; raise :class:`PrinterUnavailable` when it cannot.

        ``needs_paper=False`` (a drawer kick) sends even when the paper is out.
        """

    def check(self) -> Delivery:
        """Ask the printer whether it could print now; raises like ``send``.

        Returns "printed" when the printer answered, "sent" when it cannot answer.
        """

    def describe(self) -> str:
        """A short human description such as "Network printer 10.0.0.7:9100"."""


_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "the connection was reset",
    errno.EPIPE: "the printer closed the connection",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
    errno.EHOSTDOWN: "host is down",
    errno.ENOENT: "no such device",
    errno.ENODEV: "device not present",
    errno.ENXIO: "device not present",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EBUSY: "the device is busy",
    errno.EIO: "input/output error",
}


def plain_reason(exc: BaseException, timeout: float) -> str:
    """The cause of a failure in a few plain words, looking through wrapped exceptions."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ == "NoBackendError":
            return "the libusb system library is not installed"
        if isinstance(seen, socket.gaierror):
            return "the printer's name could not be found"
        if isinstance(seen, TimeoutError) or type(seen).__name__ == "SerialTimeoutException":
            return f"no answer within {timeout:g} s"
        if isinstance(seen, OSError) and seen.errno in _REASONS:
            return _REASONS[seen.errno]
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__


class _EscposConnection:
    """Opens a python-escpos printer for each job, writes the bytes raw and closes it."""

    def __init__(self, config: PrinterConfig) -> None:
        self.config = config

    def _printer(self) -> Any:
        raise NotImplementedError

    def _unavailable(self, reason: str) -> str:
        raise NotImplementedError

    def _after_open(self, printer: Any) -> None:
        """Hook to adjust the opened device."""

    def _read_status(self, printer: Any, query: int) -> int | None:
        """Send ``DLE EOT query`` and return the answer byte, or None when none came in time."""
        printer._raw(DLE_EOT + bytes([query]))
        return self._read_byte(printer)

    def _read_byte(self, printer: Any) -> int | None:
        return None

    @property
    def two_way(self) -> bool:
        return self.config.two_way

    def _problem(self, printer: Any, *, needs_paper: bool) -> tuple[ProblemCode, str] | None:
        """None when the printer answers that it can print; else the problem and its words."""
        status = self._read_status(printer, STATUS_PRINTER)
        if status is None:
            return "not_responding", self._not_responding()
        if status & _OFFLINE:
            cause = self._read_status(printer, STATUS_OFFLINE_CAUSE) or 0
            if cause & _COVER_OPEN:
                return "cover_open", "The printer cover is open"
            if cause & _PAPER_STOP:
                if needs_paper:
                    return "paper_out", "The printer is out of paper"
            else:
                return "offline", "The printer is offline" + (
                    " (it reports an error)" if cause & _ERROR else ""
                )
        if needs_paper:
            paper = self._read_status(printer, STATUS_PAPER)
            if paper is None:
                return "not_responding", self._not_responding()
            if paper & _PAPER_END == _PAPER_END:
                return "paper_out", "The printer is out of paper"
        return None

    def _not_responding(self) -> str:
        return f"{self.describe()} is not responding (no status answer within " + (
            f"{self.config.status_timeout:g} s)"
        )

    def describe(self) -> str:
        raise NotImplementedError

    def check(self) -> Delivery:
        """Open the printer and ask whether it could print now."""
        return self._run(None, needs_paper=True)

    def send(self, data: bytes, *, needs_paper: bool = True) -> Delivery:
        """Send one job; any failure becomes :class:`PrinterUnavailable`."""
        return self._run(data, needs_paper=needs_paper)

    def _run(self, data: bytes | None, *, needs_paper: bool) -> Delivery:
        from escpos.exceptions import Error as EscposError

        delivered = False
        try:
            printer = self._printer()
            try:
                printer.open()
                self._after_open(printer)
                if self.two_way:
                    problem = self._problem(printer, needs_paper=needs_paper)
                    if problem is not None:
                        raise PrinterUnavailable(problem[1], problem[0])
                if data is not None:
                    printer._raw(data)
                    delivered = True
                if not self.two_way:
                    return "sent"
                if data is not None and self._read_status(printer, STATUS_PRINTER) is None:
                    raise PrinterUnavailable(
                        self._not_responding(), "not_responding", delivered=True
                    )
                return "printed"
            finally:
                printer.close()
        except PrinterUnavailable as exc:
            if delivered and not exc.delivered:  # the job went out before the problem showed
                raise PrinterUnavailable(str(exc), exc.code, delivered=True) from exc
            raise
        except (EscposError, OSError, ValueError, RuntimeError, AssertionError) as exc:
            reason = plain_reason(exc, self.config.timeout)
            raise PrinterUnavailable(self._unavailable(reason), delivered=delivered) from exc


@functools.cache
def _network_class() -> type[Any]:
    """python-escpos ``Network`` that closes its socket when the connection fails."""
    from escpos.printer import Network

    class _Network(Network):  # type: ignore[misc]  # python-escpos is untyped
        def open(self, raise_not_found: bool = True) -> None:
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)

    return _Network


class NetworkConnection(_EscposConnection):
    """A printer on the network, usually raw TCP on port 9100."""

    def _read_byte(self, printer: Any) -> int | None:
        sock: socket.socket = printer.device
        sock.settimeout(self.config.status_timeout)
        try:
            answer = sock.recv(1)
        except TimeoutError:
            return None
        finally:
            sock.settimeout(self.config.timeout)
        if not answer:
            raise PrinterUnavailable(self._unavailable("the printer closed the connection"))
        return answer[0]

    def _printer(self) -> Any:
        return _network_class()(self.config.host, self.config.port, timeout=self.config.timeout)

    def _unavailable(self, reason: str) -> str:
        return f"Printer at {self.config.host}:{self.config.port} is not answering ({reason})"

    def describe(self) -> str:
        """e.g. "Network printer 10.0.0.7:9100"."""
        return f"Network printer {self.config.host}:{self.config.port}"


class SerialConnection(_EscposConnection):
    """A printer on a serial port (COM3, /dev/ttyUSB0)."""

    def _printer(self) -> Any:
        from escpos.printer import Serial

        config = self.config
        return Serial(config.device, baudrate=config.baudrate, timeout=config.timeout)

    def _after_open(self, printer: Any) -> None:
        printer.device.write_timeout = self.config.timeout  # a busy printer must not hang us
        printer.device.timeout = self.config.status_timeout
        printer.device.reset_input_buffer()  # stale answers from an earlier job

    def _read_byte(self, printer: Any) -> int | None:
        answer = printer.device.read(1)
        return answer[0] if answer else None

    def _unavailable(self, reason: str) -> str:
        return f"Printer on serial port {self.config.device} is not available ({reason})"

    def describe(self) -> str:
        """e.g. "Serial printer /dev/ttyUSB0 at 9600 baud"."""
        return f"Serial printer {self.config.device} at {self.config.baudrate} baud"


class UsbConnection(_EscposConnection):
    """A printer that speaks USB directly (needs pyusb and libusb)."""

    def _printer(self) -> Any:
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrinterUnavailable(
                self._unavailable("the pyusb library is not installed; install the 'usb' extra")
            )
        config = self.config
        timeout_ms = int(config.timeout * 1000)
        return Usb(config.usb_vendor, config.usb_product, timeout=timeout_ms)

    def _read_byte(self, printer: Any) -> int | None:
        try:
            answer = printer._read()
        except Exception:  # pyusb raises its own USBTimeoutError when nothing came
            return None
        return int(answer[0]) if answer else None

    def _unavailable(self, reason: str) -> str:
        return f"{self.describe()} is not available ({reason})"

    def describe(self) -> str:
        """e.g. "USB printer 04b8:0202"."""
        return f"USB printer {self.config.usb_vendor:04x}:{self.config.usb_product:04x}"


class FileConnection(_EscposConnection):
    """A printer device file such as /dev/usb/lp0 (each job overwrites a plain file).

    A file cannot answer a status query, so its jobs are only ever "sent".
    """

    @property
    def two_way(self) -> bool:
        return False

    def _printer(self) -> Any:
        from escpos.printer import File

        return File(self.config.path)

    def _unavailable(self, reason: str) -> str:
        return f"Printer device {self.config.path} cannot be written ({reason})"

    def describe(self) -> str:
        """e.g. "Printer device /dev/usb/lp0"."""
        return f"Printer device {self.config.path}"


def open_connection(config: PrinterConfig) -> PrinterConnection:
    """The connection for a configuration; no I/O happens until ``send``.

    Raises :class:`PrinterUnavailable` when no printer is set up or the settings are incomplete.
    """
    if config.kind == "none":
        raise PrinterUnavailable("No receipt printer is set up", "not_set_up")
    if config.kind == "network":
        _require(config.host, "No printer address is set up")
        return NetworkConnection(config)
    if config.kind == "serial":
        _require(config.device, "No serial port is set up for the printer")
        return SerialConnection(config)
    if config.kind == "usb":
        _require(config.usb_vendor and config.usb_product, "The USB printer ids are not set up")
        return UsbConnection(config)
    if config.kind == "file":
        _require(config.path, "No printer device file is set up")
        return FileConnection(config)
    raise PrinterUnavailable(f"Unknown printer connection {config.kind!r}")


def _require(value: object, message: str) -> None:
    if not value:
        raise PrinterUnavailable(message, "not_set_up")


class MemoryConnection:
    """A fake printer that records what it is sent; tell it to fail to test error paths."""

    def __init__(self, *, failure: str | None = None, fail_after: int | None = None) -> None:
        self.sent: list[bytes] = []
        self.failure = failure
        self.fail_after = fail_after
        self._lock = threading.Lock()

    def fail(self, message: str = "Printer is offline") -> None:
        """Make every following send raise :class:`PrinterUnavailable` with ``message``."""
        self.failure = message

    def recover(self) -> None:
        """Accept sends again."""
        self.failure = None
        self.fail_after = None

    def send(self, data: bytes, *, needs_paper: bool = True) -> Delivery:
        """Record ``data``, or raise when told to fail."""
        with self._lock:
            if self.fail_after is not None and len(self.sent) >= self.fail_after:
                self.failure = self.failure or "Printer is offline"
            if self.failure is not None:
                raise PrinterUnavailable(self.failure, "offline")
            self.sent.append(bytes(data))
        return "printed"

    def check(self) -> Delivery:
        """Raise when told to fail."""
        if self.failure is not None:
            raise PrinterUnavailable(self.failure, "offline")
        return "printed"

    @property
    def data(self) -> bytes:
        """Everything received, joined."""
        with self._lock:
            return b"".join(self.sent)

    def describe(self) -> str:
        """Always "Test printer (memory)"."""
        return "Test printer (memory)"
