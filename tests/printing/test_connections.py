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
from tests.printing.fake_printers import Condition, NeverReadingPrinter, RecordingPrinter


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


def _network(port: int, **extra: float) -> PrinterConfig:
    return PrinterConfig(kind="network", host="127.0.0.1", port=port, **extra)  # type: ignore[arg-type]


def test_a_job_counts_as_printed_only_after_the_printer_answered(
    tcp_printer: RecordingPrinter,
) -> None:
    delivery = open_connection(_network(tcp_printer.port)).send(b"job")

    assert delivery == "printed"
    assert tcp_printer.wait_for_jobs(1) == [b"job"]
    assert tcp_printer.queries == [1, 4, 1]  # status before the job, and once it was taken


def test_a_printer_that_never_reads_is_not_responding_and_gets_no_job(
    never_reading_printer: NeverReadingPrinter,
) -> None:
    connection = open_connection(_network(never_reading_printer.port, status_timeout=0.3))

    with pytest.raises(PrinterUnavailable) as failure:
        connection.send(b"receipt" * 1000)

    assert never_reading_printer.connected.is_set()
    assert failure.value.code == "not_responding"
    assert failure.value.delivered is False
    assert "is not responding" in str(failure.value)


@pytest.mark.parametrize(
    ("condition", "code", "message"),
    [
        ("paper_out", "paper_out", "The printer is out of paper"),
        ("cover_open", "cover_open", "The printer cover is open"),
        ("offline", "offline", "The printer is offline (it reports an error)"),
    ],
)
def test_a_printer_that_reports_a_problem_gets_no_job(
    condition: Condition, code: str, message: str
) -> None:
    printer = RecordingPrinter(condition)
    printer.start()
    try:
        with pytest.raises(PrinterUnavailable) as failure:
            open_connection(_network(printer.port)).send(b"job")
        with pytest.raises(PrinterUnavailable):
            open_connection(_network(printer.port)).check()
    finally:
        printer.close()

    assert failure.value.code == code
    assert str(failure.value) == message
    assert printer.jobs == []


def test_a_drawer_kick_does_not_need_paper() -> None:
    printer = RecordingPrinter("paper_out")
    printer.start()
    try:
        delivery = open_connection(_network(printer.port)).send(b"\x1bp", needs_paper=False)
        assert printer.wait_for_jobs(1) == [b"\x1bp"]
    finally:
        printer.close()
    assert delivery == "printed"


def test_a_file_printer_cannot_answer_so_its_jobs_are_only_sent(tmp_path: Path) -> None:
    path = tmp_path / "lp0"
    connection = open_connection(PrinterConfig(kind="file", path=str(path)))

    assert connection.send(b"job") == "sent"
    assert connection.check() == "sent"
    assert path.read_bytes() == b""  # check() writes nothing; the file was opened afresh
