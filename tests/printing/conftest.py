"""Fixtures for the printing tests: a sample receipt and fake printers on real sockets."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from printing.receipt import Receipt, ReceiptLine
from tests.printing.fake_printers import NeverReadingPrinter, RecordingPrinter


@pytest.fixture
def receipt() -> Receipt:
    return Receipt(
        shop_name="Lotus Spa",
        shop_lines=("12 High Street, London", "+44 20 7946 0000", "VAT GB123456789"),
        number="R-000123",
        issued_at="23/11/2026 10:00",
        cashier="Anna",
        customer="Иванова Мария",
        lines=(
            ReceiptLine(
                "Deep tissue massage with hot stones and aromatherapy", 1, "€85.00", "Anna · 60 min"
            ),
            ReceiptLine("Маникюр", 2, "€40.00"),
            ReceiptLine("足部按摩 foot massage", 1, "€30.00", "王芳 · 45 min"),
        ),
        totals=(("Subtotal", "€155.00"), ("incl. VAT 20%", "€25.83"), ("Total", "€155.00")),
        payments=(("Cash", "€200.00"), ("Change", "€45.00")),
        footer=("Thank you for your visit!",),
    )


@pytest.fixture
def tcp_printer() -> Iterator[RecordingPrinter]:
    """A listening fake network printer."""
    printer = RecordingPrinter()
    printer.start()
    yield printer
    printer.close()


@pytest.fixture
def switched_off_printer() -> Iterator[RecordingPrinter]:
    """A fake network printer whose port refuses connections until ``start()``."""
    printer = RecordingPrinter()
    yield printer
    printer.close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port that is bound (so nobody else takes it) but refuses connections."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def never_reading_printer() -> Iterator[NeverReadingPrinter]:
    """A "printer" that accepts the connection and never reads."""
    printer = NeverReadingPrinter()
    yield printer
    printer.close()
