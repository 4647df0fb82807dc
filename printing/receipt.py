"""Plain input types for a printed receipt; every amount is already formatted by the caller."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReceiptLine:
    """One sold item: description on the left, formatted line total on the right."""

    description: str
    quantity: int
    amount: str
    detail: str = ""


@dataclass(frozen=True)
class ReceiptLabels:
    """The few fixed words printed on a receipt, so the caller can translate them."""

    number: str = "Receipt"
    cashier: str = "Cashier"
    customer: str = "Client"
    copy: str = "COPY"


@dataclass(frozen=True)
class Receipt:
    """Everything printed on one receipt, in printing order."""

    shop_name: str
    shop_lines: tuple[str, ...]
    number: str
    issued_at: str
    cashier: str
    customer: str | None
    lines: tuple[ReceiptLine, ...]
    totals: tuple[tuple[str, str], ...]
    payments: tuple[tuple[str, str], ...]
    footer: tuple[str, ...] = ()
    #: The shop's own lines under its name and address (a greeting, a licence number).
    header: tuple[str, ...] = ()
    #: The shop's logo, a small one-bit PNG printed above its name (printing/logo.py).
    logo_png: bytes | None = None
    open_drawer: bool = False
    labels: ReceiptLabels = field(default_factory=ReceiptLabels)
    #: A reprint: marked with ``labels.copy`` under the shop's name and at the end.
    copy: bool = False
