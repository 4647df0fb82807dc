"""Scanners: SerialScanner over loop:// and a real socat pty pair, the fake and the null scanner."""

from __future__ import annotations

import errno
import itertools
import logging
import os
import queue
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
    ScannerCondition,
    ScannerState,
    ScanResult,
    SerialScanner,
    explain_open_failure,
    open_scanner,
    retry_delays,
)
from tests.serial_pty import TIMEOUT, PtyPair, needs_socat


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


class States:
    """Collects state changes on the scanner's thread; the test takes them with a timeout."""

    def __init__(self) -> None:
        self.states: queue.Queue[ScannerState] = queue.Queue()
        self.threads: list[threading.Thread] = []

    def __call__(self, state: ScannerState) -> None:
        self.threads.append(threading.current_thread())
        self.states.put(state)

    def next(self) -> ScannerState:
        return self.states.get(timeout=TIMEOUT)

    def nothing_more(self) -> bool:
        return self.states.empty()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until it holds, failing after TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def start_connected(scanner: SerialScanner, on_scan: Callable[[ScanResult], None]) -> serial.Serial:
    """Start ``scanner`` and wait until its port is open (it opens on the scanner's thread)."""
    states = States()
    scanner.start(on_scan, states)
    assert states.next().condition is ScannerCondition.CONNECTED
    return scanner.serial_port


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
    port = start_connected(loop_scanner, received)

    port.write(b"CARD123\r\n")

    assert received.next() == ScanResult("CARD123")


def test_on_scan_is_called_from_the_reader_thread(loop_scanner: SerialScanner) -> None:
    received = Received()
    port = start_connected(loop_scanner, received)

    port.write(b"CARD123\r")
    received.next()

    assert received.threads[0] is not threading.main_thread()
    assert received.threads[0].daemon


def test_codes_split_over_writes_and_cr_lf_split_give_each_code_once(
    loop_scanner: SerialScanner,
) -> None:
    received = Received()
    port = start_connected(loop_scanner, received)

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
    port = start_connected(scanner, Received())
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
    states = States()
    loop_scanner.start(received, states)
    assert states.next().condition is ScannerCondition.CONNECTED
    port = loop_scanner.serial_port

    loop_scanner.stop()

    assert not port.is_open
    with pytest.raises(serial.SerialException):
        port.write(b"LATE\r\n")
    assert received.nothing_more()
    assert states.nothing_more()  # stopping is not reported: the caller knows


def test_stop_from_inside_on_scan(loop_scanner: SerialScanner) -> None:
    received = Received()

    def stop_on_first_scan(result: ScanResult) -> None:
        received(result)
        loop_scanner.stop()

    start_connected(loop_scanner, stop_on_first_scan).write(b"ONE\rTWO\r")

    assert received.next() == ScanResult("ONE")
    wait_until(lambda: scanner_threads() == [], "the reader thread to end")
    assert received.nothing_more()


def test_a_scanner_can_be_started_again_after_stop(loop_scanner: SerialScanner) -> None:
    loop_scanner.start(Received())
    loop_scanner.stop()
    received = Received()

    start_connected(loop_scanner, received).write(b"AGAIN\r\n")

    assert received.next() == ScanResult("AGAIN")


def test_starting_twice_is_an_error(loop_scanner: SerialScanner) -> None:
    loop_scanner.start(Received())

    with pytest.raises(RuntimeError, match="already started"):
        loop_scanner.start(Received())


@pytest.mark.expect_log("frontdesk.devices.scanner", logging.ERROR, match="callback failed")
def test_a_failing_callback_is_logged_and_scanning_goes_on(
    loop_scanner: SerialScanner, caplog: pytest.LogCaptureFixture
) -> None:
    received = Received()

    def fail_on_bad(result: ScanResult) -> None:
        if result.code == "BAD":
            raise LookupError("no such card")
        received(result)

    port = start_connected(loop_scanner, fail_on_bad)
    with caplog.at_level(logging.ERROR, logger="frontdesk.devices.scanner"):
        port.write(b"BAD\r\nGOOD\r\n")
        assert received.next() == ScanResult("GOOD")

    [record] = caplog.records
    assert "loop://" in record.getMessage()
    assert "BAD" not in record.getMessage()  # a card number is client data: never logged
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], LookupError)


# --- state: connected, waiting for the device, error ----------------------------------------


def test_the_state_is_stopped_before_start_and_after_stop(loop_scanner: SerialScanner) -> None:
    assert loop_scanner.state == ScannerState(ScannerCondition.STOPPED, "loop://")
    loop_scanner.start(Received())

    loop_scanner.stop()

    assert loop_scanner.state == ScannerState(ScannerCondition.STOPPED, "loop://")


def test_an_open_port_is_reported_connected(loop_scanner: SerialScanner) -> None:
    states = States()

    loop_scanner.start(Received(), states)

    assert states.next() == ScannerState(ScannerCondition.CONNECTED, "loop://")
    assert loop_scanner.state.summary == "connected"
    assert states.threads[0] is not threading.main_thread()


def test_a_missing_device_at_start_is_waiting_not_a_failure(
    tmp_path: Path, scanners: list[SerialScanner]
) -> None:
    missing = str(tmp_path / "ttyACM0")
    scanner = SerialScanner(missing)
    scanners.append(scanner)
    states = States()

    scanner.start(Received(), states)  # does not raise, does not block

    state = states.next()
    assert state.condition is ScannerCondition.WAITING
    assert state.summary == f"waiting for {missing}"
    assert scanner.is_running  # still trying


def test_stop_ends_the_wait_between_retries_at_once(
    tmp_path: Path, scanners: list[SerialScanner]
) -> None:
    scanner = SerialScanner(str(tmp_path / "ttyACM0"), retry_initial=60, retry_max=60)
    scanners.append(scanner)
    states = States()
    scanner.start(Received(), states)
    assert states.next().condition is ScannerCondition.WAITING

    began = time.monotonic()
    scanner.stop()
    took = time.monotonic() - began

    assert took < 0.5
    assert not scanner.is_running
    assert scanner_threads() == []
    assert states.nothing_more()


def test_retry_delays_double_from_half_a_second_up_to_five() -> None:
    delays = retry_delays(0.5, 5.0)

    assert list(itertools.islice(delays, 8)) == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]


def test_an_invalid_port_setting_is_an_error_and_not_retried(
    scanners: list[SerialScanner],
) -> None:
    scanner = SerialScanner("nosuchprotocol://x")
    scanners.append(scanner)
    states = States()

    scanner.start(Received(), states)

    state = states.next()
    assert state.condition is ScannerCondition.ERROR
    assert state.summary == "error (not a valid port setting)"
    assert "nosuchprotocol" in state.advice
    wait_until(lambda: not scanner.is_running, "the scanner to give up")


def test_a_file_that_is_not_a_serial_port_is_an_error(
    tmp_path: Path, scanners: list[SerialScanner]
) -> None:
    not_a_port = tmp_path / "scanner.txt"
    not_a_port.write_text("")
    scanner = SerialScanner(str(not_a_port))
    scanners.append(scanner)
    states = States()

    scanner.start(Received(), states)

    state = states.next()
    assert state.summary == "error (not a serial port)"
    # The advice agrees with the summary (it said "… is not a device" of /dev/null too).
    assert state.advice.endswith(f"{not_a_port} is not a serial port.")


@pytest.mark.parametrize(
    ("error", "condition", "reason", "advice"),
    [
        (errno.ENOENT, ScannerCondition.WAITING, "", "Plug the scanner in"),
        (errno.ENODEV, ScannerCondition.WAITING, "", "Plug the scanner in"),
        (errno.ENXIO, ScannerCondition.WAITING, "", "Plug the scanner in"),
        (errno.EACCES, ScannerCondition.ERROR, "permission denied", "'dialout' group"),
        (errno.EPERM, ScannerCondition.ERROR, "permission denied", "'dialout' group"),
        (errno.EBUSY, ScannerCondition.ERROR, "in use by another program", "Close the other"),
        (errno.EAGAIN, ScannerCondition.ERROR, "in use by another program", "Close the other"),
        (errno.ENOTTY, ScannerCondition.ERROR, "not a serial port", "Check the port name"),
        (errno.EISDIR, ScannerCondition.ERROR, "not a serial port", "Check the port name"),
    ],
)
def test_open_failures_are_explained_in_plain_words(
    error: int, condition: ScannerCondition, reason: str, advice: str
) -> None:
    failure = serial.SerialException(error, f"could not open port: {os.strerror(error)}")

    state = explain_open_failure("/dev/ttyACM0", failure)

    assert state.condition is condition
    assert state.port == "/dev/ttyACM0"
    assert state.reason == reason
    assert advice in state.advice


def test_an_unknown_open_failure_keeps_the_systems_words() -> None:
    state = explain_open_failure("/dev/ttyACM0", OSError(errno.EIO, "Input/output error"))

    assert state.condition is ScannerCondition.ERROR
    assert state.summary == "error (input/output error)"


@pytest.mark.expect_log("frontdesk.devices.scanner", logging.ERROR, match="callback failed")
def test_a_failing_state_callback_is_logged_and_scanning_goes_on(
    loop_scanner: SerialScanner, caplog: pytest.LogCaptureFixture
) -> None:
    received = Received()

    def broken(state: ScannerState) -> None:
        raise LookupError("bug in the status bar")

    with caplog.at_level(logging.ERROR, logger="frontdesk.devices.scanner"):
        loop_scanner.start(received, broken)
        wait_until(lambda: bool(caplog.records), "the failure to be logged")
        loop_scanner.serial_port.write(b"GOOD\r\n")
        assert received.next() == ScanResult("GOOD")

    [record] = caplog.records
    assert "loop://" in record.getMessage()


# --- a real serial device: a socat pty pair --------------------------------------------------


@needs_socat
def test_serial_scanner_reads_a_real_serial_device(
    pty_pair: PtyPair, scanners: list[SerialScanner]
) -> None:
    scanner = SerialScanner(str(pty_pair.b), 9600)
    scanners.append(scanner)
    received = Received()
    states = States()
    scanner.start(received, states)
    assert states.next().condition is ScannerCondition.CONNECTED

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
def test_the_scanner_waits_for_its_device_and_comes_back_after_an_unplug(
    tmp_path: Path, plug: Callable[[], PtyPair], scanners: list[SerialScanner]
) -> None:
    path = str(tmp_path / "B")  # socat has not made it yet: the scanner is not plugged in
    scanner = open_scanner(path, 9600)  # exactly what the app builds from its settings
    assert isinstance(scanner, SerialScanner)
    scanners.append(scanner)
    received = Received()
    states = States()

    scanner.start(received, states)
    assert states.next() == ScannerState(ScannerCondition.WAITING, path)

    pair = plug()
    assert states.next() == ScannerState(ScannerCondition.CONNECTED, path)
    pair.send(b"CARD123\r\n")
    assert received.next() == ScanResult("CARD123")

    pair.close()  # the cable is pulled out
    assert states.next() == ScannerState(ScannerCondition.WAITING, path)

    pair = plug()
    assert states.next() == ScannerState(ScannerCondition.CONNECTED, path)
    pair.send(b"GIFT-0042\r\n")
    assert received.next() == ScanResult("GIFT-0042")

    scanner.stop()
    assert scanner_threads() == []
    assert received.nothing_more()  # an unplug is a state, not an unreadable scan
    assert states.nothing_more()


@needs_socat
def test_a_port_in_use_is_an_error_until_the_other_program_lets_go(
    pty_pair: PtyPair, scanners: list[SerialScanner]
) -> None:
    first = SerialScanner(str(pty_pair.b))
    second = SerialScanner(str(pty_pair.b), retry_initial=0.05, retry_max=0.2)
    scanners.extend([first, second])
    first_states, second_states = States(), States()
    first.start(Received(), first_states)
    assert first_states.next().condition is ScannerCondition.CONNECTED

    received = Received()
    second.start(received, second_states)
    in_use = second_states.next()
    assert in_use.summary == "error (in use by another program)"
    assert in_use.port == str(pty_pair.b)

    first.stop()
    assert second_states.next().condition is ScannerCondition.CONNECTED
    pty_pair.send(b"CARD123\r")
    assert received.next() == ScanResult("CARD123")


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


def test_fake_scanner_reports_state_changes_while_started() -> None:
    fake = FakeScanner()
    states: list[ScannerState] = []
    assert fake.state.condition is ScannerCondition.STOPPED

    fake.start(lambda _result: None, states.append)
    assert fake.state == ScannerState(ScannerCondition.CONNECTED, "fake")
    fake.unplug()
    fake.unplug()  # no change, no report
    fake.plug_in()
    fake.report(ScannerState(ScannerCondition.ERROR, "fake", reason="permission denied"))
    fake.stop()
    fake.plug_in()

    assert states == [
        ScannerState(ScannerCondition.WAITING, "fake"),
        ScannerState(ScannerCondition.CONNECTED, "fake"),
        ScannerState(ScannerCondition.ERROR, "fake", reason="permission denied"),
    ]
    assert fake.state.condition is ScannerCondition.STOPPED


def test_fake_scanner_can_start_unplugged() -> None:
    fake = FakeScanner(port="/dev/ttyACM0", plugged_in=False)
    fake.start(lambda _result: None)

    assert fake.state.summary == "waiting for /dev/ttyACM0"


def test_null_scanner_does_nothing() -> None:
    null = NullScanner()
    states: list[ScannerState] = []

    null.start(lambda result: pytest.fail(f"unexpected scan {result}"), states.append)
    null.stop()
    null.stop()

    assert null.describe() == "No scanner configured"
    assert null.state.condition is ScannerCondition.NOT_SET_UP
    assert null.state.summary == "not set up"
    assert states == []


@pytest.mark.parametrize(
    ("state", "summary"),
    [
        (ScannerState(ScannerCondition.NOT_SET_UP), "not set up"),
        (ScannerState(ScannerCondition.STOPPED, "/dev/ttyACM0"), "stopped"),
        (ScannerState(ScannerCondition.OPENING, "/dev/ttyACM0"), "opening /dev/ttyACM0"),
        (ScannerState(ScannerCondition.CONNECTED, "/dev/ttyACM0"), "connected"),
        (ScannerState(ScannerCondition.WAITING, "/dev/ttyACM0"), "waiting for /dev/ttyACM0"),
        (
            ScannerState(ScannerCondition.ERROR, "/dev/ttyACM0", reason="permission denied"),
            "error (permission denied)",
        ),
        (ScannerState(ScannerCondition.ERROR, "/dev/ttyACM0"), "error"),
    ],
)
def test_state_summaries_read_plainly(state: ScannerState, summary: str) -> None:
    assert state.summary == summary


@pytest.mark.parametrize("port", [None, "", "   "])
def test_open_scanner_without_a_port_gives_the_null_scanner(port: str | None) -> None:
    assert isinstance(open_scanner(port, 9600), NullScanner)


def test_open_scanner_with_a_port_gives_a_serial_scanner_not_yet_open() -> None:
    scanner = open_scanner("/dev/ttyUSB0", 19200)

    assert isinstance(scanner, SerialScanner)
    assert scanner.port == "/dev/ttyUSB0"
    assert not scanner.is_running
    assert scanner.describe() == "Serial scanner on /dev/ttyUSB0 (19200 baud)"


def _read_serial(scanner: Scanner, codes: list[str]) -> None:
    assert isinstance(scanner, SerialScanner)
    scanner.serial_port.write(b"".join(code.encode() + b"\r\n" for code in codes))


def _read_fake(scanner: Scanner, codes: list[str]) -> None:
    assert isinstance(scanner, FakeScanner)
    for code in codes:
        scanner.scan(code)


#: Each scanner the window can be given, and how a test makes its device read codes.
SCANNER_KINDS = {
    "serial": (lambda: SerialScanner("loop://"), _read_serial),
    "fake": (FakeScanner, _read_fake),
}


@pytest.mark.parametrize("kind", SCANNER_KINDS)
def test_every_scanner_keeps_the_promises_the_window_relies_on(kind: str) -> None:
    """The fake that GUI tests use behaves like the real scanner: stop() is safe before start
    and twice, works from inside a scan, and nothing arrives once it has returned."""
    make, read = SCANNER_KINDS[kind]
    scanner: Scanner = make()
    received = Received()

    def stop_at_two(result: ScanResult) -> None:
        received(result)
        if result.code == "TWO":
            scanner.stop()

    scanner.stop()  # the window can close before the scanner ever started
    assert scanner.state.condition is ScannerCondition.STOPPED
    try:
        scanner.start(stop_at_two)
        wait_until(lambda: scanner.state.condition is ScannerCondition.CONNECTED, "connected")
        read(scanner, ["ONE", "TWO", "THREE"])

        assert received.next() == ScanResult("ONE")
        assert received.next() == ScanResult("TWO")
        wait_until(lambda: scanner.state.condition is ScannerCondition.STOPPED, "stopped")
        wait_until(lambda: scanner_threads() == [], "the reader thread to end")
        assert received.nothing_more()
    finally:
        scanner.stop()
        scanner.stop()
    assert scanner.state.condition is ScannerCondition.STOPPED
