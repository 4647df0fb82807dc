"""Scanners: SerialScanner over loop:// and a real socat pty pair, the fake and the null scanner."""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial

from frontdesk.devices.scanner import (
    FakeScanner,
    NullScanner,
    Scanner,
    ScannerUnavailable,
    ScanResult,
    SerialScanner,
    open_scanner,
)

#: Generous: only a failing test ever waits this long.
TIMEOUT = 5.0


class Received:
    """Collects scans on the scanner's thread; the test takes them with a timeout."""

    def __init__(self) -> None:
        self.results: queue.Queue[ScanResult] = queue.Queue()
        self.threads: list[threading.Thread] = []

    def __call__(self, result: ScanResult) -> None:
        self.threads.append(threading.current_thread())
        self.results.put(result)

    def next(self) -> ScanResult:
        return self.results.get(timeout=TIMEOUT)

    def nothing_more(self) -> bool:
        return self.results.empty()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until it holds, failing after TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def scanner_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("scanner ")]


@pytest.fixture
def scanners() -> Iterator[list[SerialScanner]]:
    """Scanners made by a test; all stopped afterwards, even when the test fails."""
    made: list[SerialScanner] = []
    yield made
    for scanner in made:
        scanner.stop()


@pytest.fixture
def loop_scanner(scanners: list[SerialScanner]) -> SerialScanner:
    scanner = SerialScanner("loop://")
    scanners.append(scanner)
    return scanner


# --- loop:// ---------------------------------------------------------------------------------


def test_a_code_written_to_the_port_reaches_on_scan(loop_scanner: SerialScanner) -> None:
    received = Received()
    loop_scanner.start(received)

    loop_scanner.serial_port.write(b"CARD123\r\n")

    assert received.next() == ScanResult("CARD123")


def test_on_scan_is_called_from_the_reader_thread(loop_scanner: SerialScanner) -> None:
    received = Received()
    loop_scanner.start(received)

    loop_scanner.serial_port.write(b"CARD123\r")
    received.next()

    assert received.threads[0] is not threading.main_thread()
    assert received.threads[0].daemon


def test_codes_split_over_writes_and_cr_lf_split_give_each_code_once(
    loop_scanner: SerialScanner,
) -> None:
    received = Received()
    loop_scanner.start(received)
    port = loop_scanner.serial_port

    for chunk in (b"CA", b"RD1", b"23\r", b"\nGIFT", b"-0042\n", b"\x00\x07\r\n", b"LAST\r\n"):
        port.write(chunk)

    assert received.next() == ScanResult("CARD123")
    assert received.next() == ScanResult("GIFT-0042")
    noise = received.next()
    assert noise.code is None
    assert noise.error is not None
    assert noise.error.startswith("Unreadable scan")
    assert received.next() == ScanResult("LAST")
    assert received.nothing_more()


def test_stop_ends_the_thread_and_closes_the_port(scanners: list[SerialScanner]) -> None:
    # A read timeout far longer than stop() waits: stop() must cancel the blocked read.
    scanner = SerialScanner("loop://", read_timeout=60)
    scanners.append(scanner)
    scanner.start(Received())
    port = scanner.serial_port
    assert scanner.is_running
    assert len(scanner_threads()) == 1

    scanner.stop()

    assert not scanner.is_running
    assert scanner_threads() == []
    assert not port.is_open
    with pytest.raises(RuntimeError, match="not started"):
        _ = scanner.serial_port


def test_stop_is_idempotent_and_safe_before_start(loop_scanner: SerialScanner) -> None:
    loop_scanner.stop()
    loop_scanner.start(Received())

    loop_scanner.stop()
    loop_scanner.stop()

    assert not loop_scanner.is_running


def test_nothing_is_delivered_after_stop(loop_scanner: SerialScanner) -> None:
    received = Received()
    loop_scanner.start(received)
    port = loop_scanner.serial_port

    loop_scanner.stop()

    assert not port.is_open
    with pytest.raises(serial.SerialException):
        port.write(b"LATE\r\n")
    assert received.nothing_more()


def test_stop_from_inside_on_scan(loop_scanner: SerialScanner) -> None:
    received = Received()

    def stop_on_first_scan(result: ScanResult) -> None:
        received(result)
        loop_scanner.stop()

    loop_scanner.start(stop_on_first_scan)
    loop_scanner.serial_port.write(b"ONE\rTWO\r")

    assert received.next() == ScanResult("ONE")
    wait_until(lambda: scanner_threads() == [], "the reader thread to end")
    assert received.nothing_more()


def test_a_scanner_can_be_started_again_after_stop(loop_scanner: SerialScanner) -> None:
    loop_scanner.start(Received())
    loop_scanner.stop()
    received = Received()

    loop_scanner.start(received)
    loop_scanner.serial_port.write(b"AGAIN\r\n")

    assert received.next() == ScanResult("AGAIN")


def test_starting_twice_is_an_error(loop_scanner: SerialScanner) -> None:
    loop_scanner.start(Received())

    with pytest.raises(RuntimeError, match="already started"):
        loop_scanner.start(Received())


def test_a_failing_callback_is_logged_and_scanning_goes_on(
    loop_scanner: SerialScanner, caplog: pytest.LogCaptureFixture
) -> None:
    received = Received()

    def fail_on_bad(result: ScanResult) -> None:
        if result.code == "BAD":
            raise LookupError("no such card")
        received(result)

    loop_scanner.start(fail_on_bad)
    with caplog.at_level(logging.ERROR, logger="frontdesk.devices.scanner"):
        loop_scanner.serial_port.write(b"BAD\r\nGOOD\r\n")
        assert received.next() == ScanResult("GOOD")

    [record] = caplog.records
    assert "loop://" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], LookupError)


# --- opening failures ------------------------------------------------------------------------


def test_opening_a_missing_device_raises_scanner_unavailable(
    tmp_path: Path, scanners: list[SerialScanner]
) -> None:
    missing = str(tmp_path / "ttyUSB9")
    scanner = SerialScanner(missing)
    scanners.append(scanner)

    with pytest.raises(ScannerUnavailable, match="no such device") as raised:
        scanner.start(Received())

    assert missing in str(raised.value)
    assert not scanner.is_running
    scanner.stop()


def test_an_invalid_port_setting_raises_scanner_unavailable(
    scanners: list[SerialScanner],
) -> None:
    scanner = SerialScanner("nosuchprotocol://x")
    scanners.append(scanner)

    with pytest.raises(ScannerUnavailable, match="nosuchprotocol://x"):
        scanner.start(Received())


# --- a real serial device: a socat pty pair --------------------------------------------------


class PtyPair:
    """Two linked pseudo-terminals: what is written to ``a`` can be read from ``b``."""

    def __init__(self, directory: Path) -> None:
        self.a = directory / "A"
        self.b = directory / "B"
        self._log_path = directory / "socat.log"
        with self._log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    "socat",
                    "-d",
                    "-d",
                    f"pty,raw,echo=0,link={self.a}",
                    f"pty,raw,echo=0,link={self.b}",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + TIMEOUT
        while not (self.a.exists() and self.b.exists()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                pytest.fail(f"socat did not create the pty pair:\n{self.log()}")
            time.sleep(0.01)

    def log(self) -> str:
        return self._log_path.read_text(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=TIMEOUT)


needs_socat = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("socat") is None,
    reason="socat is not installed (apt install socat): it makes the pty pair these tests use",
)


@pytest.fixture
def pty_pair(tmp_path: Path) -> Iterator[PtyPair]:
    pair = PtyPair(tmp_path)
    yield pair
    pair.close()


@needs_socat
def test_serial_scanner_reads_a_real_serial_device(
    pty_pair: PtyPair, scanners: list[SerialScanner]
) -> None:
    scanner = SerialScanner(str(pty_pair.b), 9600)
    scanners.append(scanner)
    received = Received()
    scanner.start(received)

    with serial.Serial(str(pty_pair.a), 9600, timeout=1) as device:
        device.write(b"CARD123\r\n")
        device.flush()
        device.write(b"GIFT-")
        device.flush()
        device.write(b"0042\r")
        device.flush()
        device.write(b"\n")
        device.flush()
        assert received.next() == ScanResult("CARD123")
        assert received.next() == ScanResult("GIFT-0042")

    scanner.stop()
    assert scanner_threads() == []
    assert received.nothing_more()


@needs_socat
def test_a_device_that_goes_away_reports_a_disconnect_and_the_thread_ends(
    pty_pair: PtyPair, scanners: list[SerialScanner]
) -> None:
    path = str(pty_pair.b)
    scanner = SerialScanner(path)
    scanners.append(scanner)
    received = Received()
    scanner.start(received)

    pty_pair.close()  # like unplugging the USB cable

    result = received.next()
    assert result.code is None
    assert result.error is not None
    assert result.error.startswith(f"Scanner on {path} was disconnected: ")
    wait_until(lambda: not scanner.is_running, "the reader thread to end")
    assert received.nothing_more()
    scanner.stop()


@needs_socat
def test_a_port_already_in_use_is_unavailable(
    pty_pair: PtyPair, scanners: list[SerialScanner]
) -> None:
    first = SerialScanner(str(pty_pair.b))
    second = SerialScanner(str(pty_pair.b))
    scanners.extend([first, second])
    first.start(Received())

    with pytest.raises(ScannerUnavailable, match="in use") as raised:
        second.start(Received())

    assert str(pty_pair.b) in str(raised.value)


# --- the fake, the null scanner, choosing one ------------------------------------------------


def test_fake_scanner_delivers_synchronously_while_started() -> None:
    fake = FakeScanner()
    received: list[ScanResult] = []
    fake.scan("IGNORED")
    assert not fake.started

    fake.start(received.append)
    fake.scan("ABC")
    fake.fail("Scanner was disconnected")
    assert fake.started
    fake.stop()
    fake.scan("AFTER")

    assert received == [ScanResult("ABC"), ScanResult(None, "Scanner was disconnected")]
    assert not fake.started


def test_null_scanner_does_nothing() -> None:
    null = NullScanner()

    null.start(lambda result: pytest.fail(f"unexpected scan {result}"))
    null.stop()
    null.stop()

    assert null.describe() == "No scanner configured"


@pytest.mark.parametrize("port", [None, "", "   "])
def test_open_scanner_without_a_port_gives_the_null_scanner(port: str | None) -> None:
    assert isinstance(open_scanner(port, 9600), NullScanner)


def test_open_scanner_with_a_port_gives_a_serial_scanner_not_yet_open() -> None:
    scanner = open_scanner("/dev/ttyUSB0", 19200)

    assert isinstance(scanner, SerialScanner)
    assert scanner.port == "/dev/ttyUSB0"
    assert not scanner.is_running
    assert scanner.describe() == "Serial scanner on /dev/ttyUSB0 (19200 baud)"


@pytest.mark.parametrize(
    "scanner",
    [SerialScanner("loop://"), FakeScanner(), NullScanner()],
    ids=lambda scanner: type(scanner).__name__,
)
def test_every_scanner_implements_the_protocol(scanner: object) -> None:
    assert isinstance(scanner, Scanner)
