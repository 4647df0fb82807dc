"""Barcode scanners: a small Protocol, the serial implementation, a fake and a null scanner.

A scanner calls ``on_scan`` with a :class:`ScanResult` for every code (or unreadable scan), and
``on_state`` with a :class:`ScannerState` whenever it connects, loses its device or cannot open
it. The serial scanner calls both from its own thread; the ui marshals them to the GUI thread.

The serial scanner never gives up on a device that is missing, unplugged or busy: its thread
retries opening the port with a bounded backoff (0.5 s doubling up to 5 s), and says meanwhile
that it is waiting for the device, or why it cannot open it.
"""

from __future__ import annotations

import enum
import errno
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, runtime_checkable

import serial

from frontdesk.devices.code_framer import DEFAULT_IDLE_RESET, CodeFramer, ScanResult

__all__ = [
    "CodeFramer",
    "FakeScanner",
    "NullScanner",
    "ScanResult",
    "Scanner",
    "ScannerCondition",
    "ScannerState",
    "SerialScanner",
    "SwitchableScanner",
    "explain_open_failure",
    "open_scanner",
    "retry_delays",
]

log = logging.getLogger(__name__)

_T = TypeVar("_T")

#: How long stop() waits for the scanner's thread; a read wakes at once where pyserial can cancel
#: it (else within read_timeout), and the wait between retries wakes at once.
_JOIN_TIMEOUT = 1.0
#: The backoff between attempts to open a missing or busy port.
RETRY_INITIAL = 0.5
RETRY_MAX = 5.0

_WAITING_ADVICE = (
    "Plug the scanner in, or check the scanner_port setting. "
    "FrontDesk connects by itself as soon as the device appears."
)


class ScannerCondition(enum.Enum):
    NOT_SET_UP = "not set up"
    STOPPED = "stopped"
    OPENING = "opening"
    CONNECTED = "connected"
    WAITING = "waiting"
    ERROR = "error"


@dataclass(frozen=True)
class ScannerState:
    """Where a scanner stands, in plain words: ``summary`` for a status bar, ``advice`` for help.

    ``reason`` says briefly why an ERROR happened ("permission denied"). ``advice`` (what to do
    about it) is left out of comparisons: it is derived, and a state change is a change of the
    rest.
    """

    condition: ScannerCondition
    port: str = ""
    reason: str = ""
    advice: str = field(default="", compare=False)

    @property
    def summary(self) -> str:
        if self.condition is ScannerCondition.OPENING:
            return f"opening {self.port}"
        if self.condition is ScannerCondition.WAITING:
            return f"waiting for {self.port}"
        if self.condition is ScannerCondition.ERROR and self.reason:
            return f"error ({self.reason})"
        return str(self.condition.value)


OnScan = Callable[[ScanResult], None]
OnState = Callable[[ScannerState], None]


@runtime_checkable
class Scanner(Protocol):
    """Something that delivers scans (and its state) to callbacks between start() and stop()."""

    @property
    def state(self) -> ScannerState:
        """The current state; safe to read from any thread."""
        ...

    def start(self, on_scan: OnScan, on_state: OnState | None = None) -> None:
        """Begin delivering scans to ``on_scan`` and state changes to ``on_state``.

        Never blocks on the device and never fails because the device is missing: that is a
        state (waiting), reported to ``on_state``.
        """
        ...

    def stop(self) -> None:
        """Stop delivering and release the device. Safe to call more than once, and from inside
        a callback; no callback runs once it has returned (unless one is stuck)."""
        ...

    def describe(self) -> str:
        """A short description for settings and status messages."""
        ...


def retry_delays(initial: float = RETRY_INITIAL, maximum: float = RETRY_MAX) -> Iterator[float]:
    """The waits between attempts to open a port: ``initial``, doubling, capped at ``maximum``."""
    delay = initial
    while True:
        yield delay
        delay = min(delay * 2, maximum)


class _Run:
    """One start()..stop() of a serial scanner: its thread, its callbacks, its open port."""

    def __init__(self, on_scan: OnScan, on_state: OnState | None) -> None:
        self.on_scan = on_scan
        self.on_state = on_state
        self.stopping = threading.Event()
        #: Held while a callback runs, so that stop() can promise none runs after it returns.
        self.delivering = threading.RLock()
        #: Guards ``port``: the thread opens and closes it, stop() cancels its read.
        self.port_lock = threading.Lock()
        self.port: serial.Serial | None = None
        self.thread: threading.Thread | None = None

    def stop(self, port_name: str) -> None:
        thread = self.thread
        if thread is threading.current_thread():
            # Called from inside a callback: the thread ends once that callback returns.
            self.stopping.set()
            self._cancel_read()
            return
        acquired = self.delivering.acquire(timeout=_JOIN_TIMEOUT)
        try:
            self.stopping.set()
        finally:
            if acquired:
                self.delivering.release()
        self._cancel_read()
        if thread is None:
            return
        thread.join(_JOIN_TIMEOUT)
        if thread.is_alive():
            # Stuck inside a callback: the thread closes the port itself when that returns.
            log.warning(
                "Scanner thread for %s did not stop within %.1f s", port_name, _JOIN_TIMEOUT
            )

    def _cancel_read(self) -> None:
        with self.port_lock:
            if self.port is not None:
                _cancel_read(self.port)


class SerialScanner:
    """A scanner on a serial port (``/dev/ttyACM0``, ``COM3``) or a pyserial URL (``loop://``).

    start() only starts a daemon thread; the thread opens the port, reads it and calls the
    callbacks itself. When the port is missing, busy or goes away (the cable is pulled), it
    reports so and tries again after ``retry_initial`` seconds, doubling up to ``retry_max``,
    until the device is back or stop() is called. Only a port setting that can never work (not
    a device path or pyserial URL) ends the thread, as an error.
    """

    def __init__(
        self,
        port: str,
        baudrate: int = 9600,
        *,
        read_timeout: float = 0.2,
        retry_initial: float = RETRY_INITIAL,
        retry_max: float = RETRY_MAX,
        idle_reset: float | None = DEFAULT_IDLE_RESET,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < retry_initial <= retry_max:
            raise ValueError(
                f"Need 0 < retry_initial <= retry_max, not {retry_initial} and {retry_max}"
            )
        self._port_name = port
        self._baudrate = baudrate
        self._read_timeout = read_timeout
        self._retry_initial = retry_initial
        self._retry_max = retry_max
        self._idle_reset = idle_reset
        self._clock = clock
        self._lock = threading.Lock()  # guards _run and _state
        self._run: _Run | None = None
        self._state = ScannerState(ScannerCondition.STOPPED, port)

    @property
    def port(self) -> str:
        """The device path or URL this scanner reads."""
        return self._port_name

    @property
    def state(self) -> ScannerState:
        with self._lock:
            return self._state

    @property
    def serial_port(self) -> serial.Serial:
        """The open pyserial object (for tests, e.g. writing into ``loop://``)."""
        run = self._run
        if run is None:
            raise RuntimeError(f"The scanner on {self._port_name} is not started")
        port = run.port
        if port is None:
            raise RuntimeError(f"The scanner on {self._port_name} is not connected")
        return port

    @property
    def is_running(self) -> bool:
        """True while the scanner's thread is alive (connected, or waiting to connect)."""
        run = self._run
        return run is not None and run.thread is not None and run.thread.is_alive()

    def describe(self) -> str:
        return f"Serial scanner on {self._port_name} ({self._baudrate} baud)"

    def start(self, on_scan: OnScan, on_state: OnState | None = None) -> None:
        with self._lock:
            if self.is_running:
                raise RuntimeError(f"The scanner on {self._port_name} is already started")
            run = _Run(on_scan, on_state)
            run.thread = threading.Thread(
                target=self._keep_connected,
                args=(run,),
                name=f"scanner {self._port_name}",
                daemon=True,
            )
            self._run = run
            self._state = ScannerState(ScannerCondition.OPENING, self._port_name)
            run.thread.start()

    def stop(self) -> None:
        with self._lock:
            run, self._run = self._run, None
            if run is None:
                return
            self._state = ScannerState(ScannerCondition.STOPPED, self._port_name)
        run.stop(self._port_name)

    # --- the scanner's thread -----------------------------------------------------------------

    def _keep_connected(self, run: _Run) -> None:
        delays = retry_delays(self._retry_initial, self._retry_max)
        while not run.stopping.is_set():
            try:
                port = self._open()
            except ValueError as exc:
                self._report(run, _invalid_setting(self._port_name, exc))
                return
            except (serial.SerialException, OSError) as exc:
                self._report(run, explain_open_failure(self._port_name, exc))
                if run.stopping.wait(next(delays)):
                    return
                continue
            with run.port_lock:
                if run.stopping.is_set():
                    port.close()
                    return
                run.port = port
            self._report(run, ScannerState(ScannerCondition.CONNECTED, self._port_name))
            connected_at = time.monotonic()
            try:
                read_something = self._read_until_gone(run, port)
            finally:
                with run.port_lock:
                    run.port = None
                    port.close()
            if run.stopping.is_set():
                return
            self._report(
                run,
                ScannerState(ScannerCondition.WAITING, self._port_name, advice=_WAITING_ADVICE),
            )
            # A connection that worked starts the backoff afresh; one that fails at once (a
            # device that opens but cannot be read) keeps backing off instead of spinning.
            if read_something or time.monotonic() - connected_at > self._retry_max:
                delays = retry_delays(self._retry_initial, self._retry_max)
            if run.stopping.wait(next(delays)):
                return

    def _open(self) -> serial.Serial:
        return serial.serial_for_url(
            self._port_name,
            baudrate=self._baudrate,
            timeout=self._read_timeout,
            exclusive=True,
        )

    def _read_until_gone(self, run: _Run, port: serial.Serial) -> bool:
        """Read and deliver scans until stop() or the device goes away; True if bytes came."""
        framer = CodeFramer(idle_reset=self._idle_reset, clock=self._clock)
        read_something = False
        while not run.stopping.is_set():
            try:
                data = port.read(port.in_waiting or 1)
            except (serial.SerialException, OSError) as exc:
                if not run.stopping.is_set():
                    log.info("Scanner on %s went away: %s", self._port_name, exc)
                return read_something
            read_something = read_something or bool(data)
            for result in framer.feed(data):
                if not self._deliver(run, run.on_scan, result):
                    return read_something
        return read_something

    def _report(self, run: _Run, state: ScannerState) -> None:
        with self._lock:
            if self._run is not run or self._state == state:
                return
            self._state = state
        log.info("Scanner on %s: %s", self._port_name, state.summary)
        if run.on_state is not None:
            self._deliver(run, run.on_state, state)

    def _deliver(self, run: _Run, callback: Callable[[_T], None], value: _T) -> bool:
        """Call ``callback`` unless stopping; False once stopping. A failing callback is a bug in
        the caller: it is logged with context, and the scanner goes on."""
        with run.delivering:
            if run.stopping.is_set():
                return False
            try:
                callback(value)
            except Exception:
                # The value may be a client's card number: its type is enough to find the bug.
                log.exception(
                    "Scanner callback failed for a %s from %s",
                    type(value).__name__,
                    self._port_name,
                )
        return not run.stopping.is_set()


class FakeScanner:
    """An in-memory scanner for tests and demos: everything is delivered at once, on the
    caller's thread. Like a real scanner, it delivers nothing while it is not started.

    plug_in() / unplug() / report() drive its state the way a real device's comings and goings
    drive a serial scanner's.
    """

    def __init__(
        self, description: str = "Fake scanner", *, port: str = "fake", plugged_in: bool = True
    ) -> None:
        self._description = description
        self._port = port
        self._plugged_in = plugged_in
        self._on_scan: OnScan | None = None
        self._on_state: OnState | None = None
        self._state = ScannerState(ScannerCondition.STOPPED, port)

    @property
    def started(self) -> bool:
        """True between start() and stop()."""
        return self._on_scan is not None

    @property
    def state(self) -> ScannerState:
        return self._state

    def start(self, on_scan: OnScan, on_state: OnState | None = None) -> None:
        self._on_scan, self._on_state = on_scan, on_state
        self._state = self._plugged_state()

    def stop(self) -> None:
        self._on_scan = self._on_state = None
        self._state = ScannerState(ScannerCondition.STOPPED, self._port)

    def describe(self) -> str:
        return self._description

    def scan(self, code: str) -> None:
        """Deliver ``code`` as a successful scan."""
        self.deliver(ScanResult(code=code))

    def fail(self, error: str) -> None:
        """Deliver an error result, as for an unreadable scan."""
        self.deliver(ScanResult(code=None, error=error))

    def deliver(self, result: ScanResult) -> None:
        """Deliver ``result`` as it is."""
        if self._on_scan is not None:
            self._on_scan(result)

    def plug_in(self) -> None:
        """The device appears: connected."""
        self._plugged_in = True
        self.report(self._plugged_state())

    def unplug(self) -> None:
        """The device goes away: waiting for it."""
        self._plugged_in = False
        self.report(self._plugged_state())

    def report(self, state: ScannerState) -> None:
        """Take on ``state`` and report it, if started and it is a change."""
        if not self.started or state == self._state:
            return
        self._state = state
        if self._on_state is not None:
            self._on_state(state)

    def _plugged_state(self) -> ScannerState:
        if self._plugged_in:
            return ScannerState(ScannerCondition.CONNECTED, self._port)
        return ScannerState(ScannerCondition.WAITING, self._port, advice=_WAITING_ADVICE)


class NullScanner:
    """No scanner configured: nothing to open, nothing ever scanned."""

    @property
    def state(self) -> ScannerState:
        return ScannerState(
            ScannerCondition.NOT_SET_UP,
            advice="Set scanner_port in settings.toml to use a serial barcode scanner.",
        )

    def start(self, on_scan: OnScan, on_state: OnState | None = None) -> None:
        pass

    def stop(self) -> None:
        pass

    def describe(self) -> str:
        return "No scanner configured"


class SwitchableScanner:
    """The program's scanner, which can be replaced (new settings) or paused (a scan test
    reads the port itself) while the program runs; whoever started it keeps receiving.

    Only the scanner in place now delivers: a late scan or state from the one replaced is
    dropped. Each switch, pause and resume reports the state of the scanner then in place.
    """

    def __init__(self, scanner: Scanner) -> None:
        self._current = scanner
        # Guards the fields below and orders state reports; re-entrant, so that a receiver
        # may switch or stop the scanner from inside a report.
        self._lock = threading.RLock()
        self._on_scan: OnScan | None = None
        self._on_state: OnState | None = None
        self._paused = 0

    @property
    def current(self) -> Scanner:
        """The scanner in place now."""
        return self._current

    @property
    def state(self) -> ScannerState:
        return self._current.state

    def describe(self) -> str:
        return self._current.describe()

    def start(self, on_scan: OnScan, on_state: OnState | None = None) -> None:
        with self._lock:
            self._on_scan, self._on_state = on_scan, on_state
            scanner, paused = self._current, self._paused > 0
        if not paused:
            self._start(scanner)

    def stop(self) -> None:
        with self._lock:
            self._on_scan = self._on_state = None
            scanner = self._current
        scanner.stop()

    def switch(self, scanner: Scanner) -> None:
        """Close the scanner in place and put `scanner` in its place (started if this was)."""
        with self._lock:
            old, self._current = self._current, scanner
            running = self._on_scan is not None and self._paused == 0
        old.stop()
        if running:
            self._start(scanner)
        self._report_current(scanner)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Release the device while the block runs (nothing is delivered meanwhile), then
        open it again."""
        with self._lock:
            self._paused += 1
            scanner, first = self._current, self._paused == 1
            running = self._on_scan is not None
        if first and running:
            scanner.stop()
            self._report_current(scanner)
        try:
            yield
        finally:
            with self._lock:
                self._paused -= 1
                scanner = self._current
                resume = self._paused == 0 and self._on_scan is not None
            if resume:
                self._start(scanner)
                self._report_current(scanner)

    def _start(self, scanner: Scanner) -> None:
        scanner.start(
            lambda result: self._forward_scan(scanner, result),
            lambda state: self._forward_state(scanner, state),
        )

    def _forward_scan(self, source: Scanner, result: ScanResult) -> None:
        with self._lock:
            on_scan = self._on_scan if source is self._current and not self._paused else None
        if on_scan is not None:
            on_scan(result)

    def _forward_state(self, source: Scanner, state: ScannerState) -> None:
        # Under the lock: a report read at a switch and the new scanner's own reports
        # reach the receiver in the order they happened.
        with self._lock:
            if source is self._current and self._on_state is not None:
                self._on_state(state)

    def _report_current(self, scanner: Scanner) -> None:
        with self._lock:
            if scanner is self._current and self._on_state is not None:
                self._on_state(scanner.state)


def open_scanner(port: str | None, baudrate: int) -> Scanner:
    """The scanner the settings ask for; the port is opened by start()'s thread, not here."""
    if port is None or not port.strip():
        return NullScanner()
    return SerialScanner(port.strip(), baudrate)


def explain_open_failure(port: str, exc: BaseException) -> ScannerState:
    """What a failure to open ``port`` means for the person at the desk.

    A device that is not there (yet, or any more) is WAITING; anything else is an ERROR with a
    short reason and what to do. Both are retried.
    """
    code = _errno_of(exc)
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return ScannerState(ScannerCondition.WAITING, port, advice=_WAITING_ADVICE)
    if code in (errno.EACCES, errno.EPERM):
        return ScannerState(
            ScannerCondition.ERROR,
            port,
            reason="permission denied",
            advice="On Linux, add this user to the 'dialout' group and log in again.",
        )
    if code in (errno.EBUSY, errno.EAGAIN, errno.EWOULDBLOCK):
        return ScannerState(
            ScannerCondition.ERROR,
            port,
            reason="in use by another program",
            advice=(
                "Close the other program that uses the scanner (or another FrontDesk window); "
                "FrontDesk keeps trying."
            ),
        )
    if code in (errno.ENOTTY, errno.EISDIR):
        return ScannerState(
            ScannerCondition.ERROR,
            port,
            reason="not a serial port",
            advice=f"Check the port name in the scanner_port setting: {port} is not a serial port.",
        )
    return ScannerState(
        ScannerCondition.ERROR,
        port,
        reason=_plain_reason(exc, code),
        advice="FrontDesk keeps trying. Check the cable and the scanner_port setting.",
    )


def _invalid_setting(port: str, exc: ValueError) -> ScannerState:
    return ScannerState(
        ScannerCondition.ERROR,
        port,
        reason="not a valid port setting",
        advice=(
            f"Check the scanner_port setting: {port!r} is neither a device path nor a pyserial "
            f"URL ({exc})."
        ),
    )


def _errno_of(exc: BaseException) -> int | None:
    """The OS error number behind ``exc``, wherever pyserial put it (it wraps termios errors in
    a SerialException whose errno is empty)."""
    seen: BaseException | None = exc
    while seen is not None:
        number = getattr(seen, "errno", None)
        if isinstance(number, int):
            return number
        if seen.args and isinstance(seen.args[0], int):
            return seen.args[0]
        seen = seen.__cause__ or seen.__context__
    return None


def _plain_reason(exc: BaseException, code: int | None) -> str:
    words = getattr(exc, "strerror", None)
    if not isinstance(words, str) or not words:
        words = os.strerror(code) if code is not None else str(exc) or type(exc).__name__
    words = words.strip().rstrip(".")
    if len(words) > 60:
        words = words[:59] + "…"
    return words[:1].lower() + words[1:]


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
