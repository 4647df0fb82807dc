"""The end-of-day report as plain data; no reportlab here, so importing it is cheap."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DayReportLabels:
    """The fixed words of the report, so the caller can translate them."""

    summary: str = "Summary"
    by_payment_method: str = "By payment method"
    payment_columns: tuple[str, str, str] = ("Method", "Payments", "Amount")
    by_therapist: str = "By therapist"
    therapist_columns: tuple[str, str, str] = ("Therapist", "Services", "Amount")
    sales: str = "Sales"
    page: str = "Page {page} of {pages}"


@dataclass(frozen=True)
class DayReport:
    """Everything on the end-of-day report; amounts are already formatted."""

    shop_name: str
    title: str
    generated_at: str
    summary: tuple[tuple[str, str], ...]
    by_payment_method: tuple[tuple[str, int, str], ...]
    by_therapist: tuple[tuple[str, int, str], ...]
    sales: tuple[tuple[str, ...], ...]
    sales_header: tuple[str, ...] = ("No.", "Time", "Client", "Therapist", "Method", "Total")
    empty_message: str = "No sales were recorded on this day."
    labels: DayReportLabels = field(default_factory=DayReportLabels)
    #: The shop's logo (a small one-bit PNG), drawn at the top right of the first page.
    logo_png: bytes | None = None
