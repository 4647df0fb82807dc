"""Connections: bytes reach a real TCP server and a file; failures are plain PrinterUnavailable."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing.connections import (
    MemoryConnection,
    PrinterConfig,
    PrinterUnavailable,
    open_connection,
)
from printing.escpos_layout import PAPER_80MM, render_receipt
from printing.receipt import Receipt
from tests.printing.fake_printers import RecordingPrinter


def test_network_printer_receives_exactly_the_receipt_bytes(
    tcp_printer: RecordingPrinter, receipt: Receipt
) -> None:
    data = render_receipt(receipt, PAPER_80MM)
    connection = open_connection(
        PrinterConfig(kind="network", host="127.0.0.1", port=tcp_printer.port)
    )

    connection.send(data)

    assert tcp_printer.wait_for_jobs(1) == [data]
    assert connection.describe() == f"Network printer 127.0.0.1:{tcp_printer.port}"


def test_each_job_is_its_own_connection(tcp_printer: RecordingPrinter) -> None:
    connection = open_connection(
        PrinterConfig(kind="network", host="127.0.0.1", port=tcp_printer.port)
    )

    connection.send(b"first")
    connection.send(b"second")

    assert tcp_printer.wait_for_jobs(2) == [b"first", b"second"]


def test_port_not_listening_is_a_plain_message(closed_port: int) -> None:
    connection = open_connection(PrinterConfig(kind="network", host="127.0.0.1", port=closed_port))

    with pytest.raises(PrinterUnavailable) as failure:
        connection.send(b"x")

    assert str(failure.value) == (
        f"Printer at 127.0.0.1:{closed_port} is not answering (connection refused)"
    )


def test_unknown_host_name_is_a_plain_message() -> None:
    connection = open_connection(PrinterConfig(kind="network", host="printer.invalid", timeout=2))

    with pytest.raises(PrinterUnavailable, match=r"printer\.invalid:9100 is not answering"):
        connection.send(b"x")


def test_file_connection_writes_the_bytes(tmp_path: Path, receipt: Receipt) -> None:
    path = tmp_path / "lp0"
    data = render_receipt(receipt, PAPER_80MM)

    open_connection(PrinterConfig(kind="file", path=str(path))).send(data)

    assert path.read_bytes() == data


def test_missing_device_file_is_a_plain_message(tmp_path: Path) -> None:
    path = tmp_path / "no-such-dir" / "lp0"

    with pytest.raises(PrinterUnavailable) as failure:
        open_connection(PrinterConfig(kind="file", path=str(path))).send(b"x")

    assert str(failure.value) == f"Printer device {path} cannot be written (no such device)"


def test_missing_serial_port_is_a_plain_message(tmp_path: Path) -> None:
    device = str(tmp_path / "ttyUSB9")

    with pytest.raises(PrinterUnavailable) as failure:
        open_connection(PrinterConfig(kind="serial", device=device)).send(b"x")

    assert (
        str(failure.value) == f"Printer on serial port {device} is not available (no such device)"
    )


def test_usb_printer_that_cannot_be_reached_is_a_plain_message() -> None:
    connection = open_connection(PrinterConfig(kind="usb", usb_vendor=0x04B8, usb_product=0x0202))

    # Without pyusb/libusb the reason names the missing library; with them, the missing device.
    with pytest.raises(PrinterUnavailable, match=r"^USB printer 04b8:0202 is not available \("):
        connection.send(b"x")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (PrinterConfig(kind="none"), "No receipt printer is set up"),
        (PrinterConfig(kind="network"), "No printer address is set up"),
        (PrinterConfig(kind="serial"), "No serial port is set up for the printer"),
        (PrinterConfig(kind="usb", usb_vendor=0x04B8), "The USB printer ids are not set up"),
        (PrinterConfig(kind="file"), "No printer device file is set up"),
    ],
    ids=["none", "network", "serial", "usb", "file"],
)
def test_incomplete_settings_are_refused_plainly(config: PrinterConfig, message: str) -> None:
    with pytest.raises(PrinterUnavailable) as failure:
        open_connection(config)

    assert str(failure.value) == message


def test_memory_connection_records_and_fails_on_request() -> None:
    connection = MemoryConnection()
    connection.send(b"a")
    connection.fail("Paper out")

    with pytest.raises(PrinterUnavailable, match="Paper out"):
        connection.send(b"b")
    connection.recover()
    connection.send(b"c")

    assert connection.sent == [b"a", b"c"]
    assert connection.data == b"ac"


def test_memory_connection_can_fail_after_some_jobs() -> None:
    connection = MemoryConnection(fail_after=1)
    connection.send(b"a")

    with pytest.raises(PrinterUnavailable):
        connection.send(b"b")
