"""A serial printer on a real pseudo-terminal pair made by socat."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from printing.connections import PrinterConfig, open_connection
from printing.escpos_layout import PAPER_58MM, render_receipt
from printing.receipt import Receipt
from tests.printing.fake_printers import StatusParser

DEADLINE_SECONDS = 10.0


@pytest.fixture
def pty_pair(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """Two linked serial devices: the app writes one, the "printer" reads the other."""
    socat = shutil.which("socat")
    if socat is None:
        pytest.skip(
            "socat is not installed (apt-get install socat), so there is no serial pty pair"
        )
    app_end, printer_end = tmp_path / "app-tty", tmp_path / "printer-tty"
    process = subprocess.Popen(
        [socat, f"pty,raw,echo=0,link={app_end}", f"pty,raw,echo=0,link={printer_end}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not (app_end.exists() and printer_end.exists()):
            assert time.monotonic() < deadline, "socat did not create the pty links in time"
            try:
                process.wait(timeout=0.05)  # waits on socat itself: fails fast if it died
            except subprocess.TimeoutExpired:
                continue
            _out, errors = process.communicate()
            pytest.fail(f"socat exited early: {errors.decode(errors='replace')}")
        yield app_end, printer_end
    finally:
        process.terminate()
        process.communicate(timeout=DEADLINE_SECONDS)


def _read_exactly(port: serial.Serial, size: int) -> bytes:
    received = b""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while len(received) < size and time.monotonic() < deadline:
        received += port.read(size - len(received))  # returns after port.timeout at most
    return received


class _SerialPrinter(threading.Thread):
    """The printer's end of the pty: records bytes and answers DLE EOT like a printer."""

    def __init__(self, port: serial.Serial) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.parser = StatusParser()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            if answers := self.parser.feed(self.port.read(4096)):
                self.port.write(answers)


def test_serial_printer_receives_exactly_the_receipt_bytes(
    pty_pair: tuple[Path, Path], receipt: Receipt
) -> None:
    app_end, printer_end = pty_pair
    data = render_receipt(receipt, PAPER_58MM)
    connection = open_connection(PrinterConfig(kind="serial", device=str(app_end), baudrate=19200))

    with serial.Serial(str(printer_end), timeout=0.05) as port:
        printer = _SerialPrinter(port)
        printer.start()
        try:
            delivery = connection.send(data)
        finally:
            printer.stop.set()
            printer.join(DEADLINE_SECONDS)

    assert delivery == "printed"  # the printer answered after taking the job
    assert printer.parser.finish() == data
    assert printer.parser.queries == [1, 4, 1]
    assert connection.describe() == f"Serial printer {app_end} at 19200 baud"


def test_one_way_serial_printer_gets_the_bytes_and_counts_as_sent(
    pty_pair: tuple[Path, Path], receipt: Receipt
) -> None:
    app_end, printer_end = pty_pair
    data = render_receipt(receipt, PAPER_58MM)
    connection = open_connection(
        PrinterConfig(kind="serial", device=str(app_end), baudrate=19200, two_way=False)
    )

    with serial.Serial(str(printer_end), timeout=0.2) as printer:
        delivery = connection.send(data)
        received = _read_exactly(printer, len(data))

    assert delivery == "sent"
    assert received == data
