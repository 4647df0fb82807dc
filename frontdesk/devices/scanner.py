"""Barcode scanners: a small Protocol, the serial implementation, a fake and a null scanner.

A scanner calls ``on_scan`` with a :class:`ScanResult` for every code (or unreadable scan). The
serial scanner calls it from its own reader thread; the ui marshals it to the GUI thread.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import serial

from frontdesk.devices.code_framer import CodeFramer, ScanResult

__all__ = [
    "CodeFramer",
    "FakeScanner",
    "NullScanner",
    "ScanResult",
    "Scanner",
    "ScannerUnavailable",
    "SerialScanner",
    "open_scanner",
]

log = logging.getLogger(__name__)

#: How long stop() waits for the reader thread; a read wakes within read_timeout, or at once
#: where pyserial can cancel it.
_JOIN_TIMEOUT = 1.0


class ScannerUnavailable(Exception):
    """The scanner could not be opened; the message says which port and why, in plain words."""


@runtime_checkable
class Scanner(Protocol):
    """Something that delivers scans to a callback between start() and stop()."""

    def start(self, on_scan: Callable[[ScanResult], None]) -> None:
        """Begin delivering scans to ``on_scan``; raise ScannerUnavailable if that is impossible."""
        ...

    def stop(self) -> None:
        """Stop delivering scans and release the device. Safe to call more than once."""
        ...

    def describe(self) -> str:
        """A short description for settings and status messages."""
        ...


class SerialScanner:
    """A scanner on a serial port (``/dev/ttyUSB0``, ``COM3``) or a pyserial URL (``loop://``).

    start() opens the port and reads it on a daemon thread, which calls ``on_scan`` itself.
    If the device goes away, ``on_scan`` gets one error result and the thread ends.
    """

    def __init__(self, port: str, baudrate: int = 9600, *, read_timeout: float = 0.2) -> None:
        self._port_name = port
        self._baudrate = baudrate
        self._read_timeout = read_timeout
        self._lock = threading.Lock()
        self._serial: serial.Serial | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def port(self) -> str:
        """The device path or URL this scanner reads."""
        return self._port_name

    @property
    def serial_port(self) -> serial.Serial:
        """The open pyserial object (for tests, e.g. writing into ``loop://``)."""
        if self._serial is None:
            raise RuntimeError(f"The scanner on {self._port_name} is not started")
        return self._serial

    @property
    def is_running(self) -> bool:
        """True while the reader thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def describe(self) -> str:
        return f"Serial scanner on {self._port_name} ({self._baudrate} baud)"

    def start(self, on_scan: Callable[[ScanResult], None]) -> None:
        with self._lock:
            if self.is_running:
                raise RuntimeError(f"The scanner on {self._port_name} is already started")
            port = self._open()
            stopping = threading.Event()
            thread = threading.Thread(
                target=self._read_until_stopped,
                args=(port, on_scan, stopping),
                name=f"scanner {self._port_name}",
                daemon=True,
            )
            self._serial, self._thread, self._stopping = port, thread, stopping
            thread.start()

    def stop(self) -> None:
        with self._lock:
            port, thread = self._serial, self._thread
            if port is None or thread is None:
                return
            self._stopping.set()
            _cancel_read(port)
            if thread is not threading.current_thread():
                thread.join(_JOIN_TIMEOUT)
                if thread.is_alive():
                    # Stuck inside on_scan: the thread closes the port itself when that returns;
                    # closing it here would race its read.
                    log.warning(
                        "Scanner thread for %s did not stop within %.1f s",
                        self._port_name,
                        _JOIN_TIMEOUT,
                    )
            self._serial = None
            self._thread = None

    def _open(self) -> serial.Serial:
        try:
            return serial.serial_for_url(
                self._port_name,
                baudrate=self._baudrate,
                timeout=self._read_timeout,
                exclusive=True,
            )
        except ValueError as exc:
            raise ScannerUnavailable(
                f"Cannot open the scanner on {self._port_name}: the port setting is not valid "
                f"({exc})."
            ) from exc
        except (serial.SerialException, OSError) as exc:
            raise ScannerUnavailable(
                f"Cannot open the scanner on {self._port_name}: {_why_open_failed(exc)}"
            ) from exc

    def _read_until_stopped(
        self,
        port: serial.Serial,
        on_scan: Callable[[ScanResult], None],
        stopping: threading.Event,
    ) -> None:
        framer = CodeFramer()
        try:
            while not stopping.is_set():
                try:
                    data = port.read(port.in_waiting or 1)
                except (serial.SerialException, OSError) as exc:
                    if not stopping.is_set():
                        self._deliver(
                            on_scan,
                            ScanResult(
                                code=None,
                                error=f"Scanner on {self._port_name} was disconnected: {exc}",
                            ),
                        )
                    return
                for result in framer.feed(data):
                    if stopping.is_set():
                        return
                    self._deliver(on_scan, result)
        finally:
            port.close()

    def _deliver(self, on_scan: Callable[[ScanResult], None], result: ScanResult) -> None:
        # A failing callback is a bug in the caller: log it with context, keep the scanner alive.
        try:
            on_scan(result)
        except Exception:
            log.exception("on_scan failed for %r from the scanner on %s", result, self._port_name)


class FakeScanner:
    """An in-memory scanner for tests and demos: scan() delivers at once, on the caller's thread.

    Like a real scanner, it delivers nothing while it is not started.
    """

    def __init__(self, description: str = "Fake scanner") -> None:
        self._description = description
        self._on_scan: Callable[[ScanResult], None] | None = None

    @property
    def started(self) -> bool:
        """True between start() and stop()."""
        return self._on_scan is not None

    def start(self, on_scan: Callable[[ScanResult], None]) -> None:
        self._on_scan = on_scan

    def stop(self) -> None:
        self._on_scan = None

    def describe(self) -> str:
        return self._description

    def scan(self, code: str) -> None:
        """Deliver ``code`` as a successful scan."""
        self.deliver(ScanResult(code=code))

    def fail(self, error: str) -> None:
        """Deliver an error result, as for an unreadable scan or a disconnect."""
        self.deliver(ScanResult(code=None, error=error))

    def deliver(self, result: ScanResult) -> None:
        """Deliver ``result`` as it is."""
        if self._on_scan is not None:
            self._on_scan(result)


class NullScanner:
    """No scanner configured: nothing to open, nothing ever scanned."""

    def start(self, on_scan: Callable[[ScanResult], None]) -> None:
        pass

    def stop(self) -> None:
        pass

    def describe(self) -> str:
        return "No scanner configured"


def open_scanner(port: str | None, baudrate: int) -> Scanner:
    """The scanner the settings ask for; the port is opened by start(), not here."""
    if port is None or not port.strip():
        return NullScanner()
    return SerialScanner(port.strip(), baudrate)


def _cancel_read(port: serial.Serial) -> None:
    # Wakes a blocked read at once where pyserial supports it; otherwise the read ends within
    # read_timeout anyway.
    cancel = getattr(port, "cancel_read", None)
    if cancel is None:
        return
    try:
        cancel()
    except (serial.SerialException, OSError, NotImplementedError):
        log.debug("cancel_read not possible on %r", port, exc_info=True)


def _why_open_failed(exc: serial.SerialException | OSError) -> str:
    code = exc.errno
    if code == errno.ENOENT:
        return "there is no such device. Check the cable and the port name in Settings."
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied. On Linux, add this user to the 'dialout' group and log in again."
    if code in (errno.EBUSY, errno.EAGAIN, errno.EWOULDBLOCK):
        return "the port is in use by another program (or another FrontDesk window)."
    return f"{exc}."
