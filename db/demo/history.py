"""Appointment rows, and for every completed one a paid sale: lines, payment, receipt number."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from db.demo.schedule import COMPLETED, Visit
from db.demo.writer import Codec, Row
from db.models.counters import format_receipt_number

PRODUCT_SHARE = 0.2
CASH_SHARE = 0.35


def tax_included(gross_minor: int, rate_bp: int) -> int:
    """Tax inside a tax-inclusive amount, rounded half up: gross * rate / (10000 + rate)."""
    if rate_bp <= 0 or gross_minor <= 0:
        return 0
    denominator = 10_000 + rate_bp
    return (2 * gross_minor * rate_bp + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Shelf:
    """What the sales need to know about the shop."""

    currency: str
    tax_rate_bp: int
    banknotes_minor: tuple[int, ...]
    service_names: dict[int, str]
    products: list[tuple[int, str, int]]  # id, name, price
    cashier_ids: list[int]


@dataclass
class HistoryRows:
    appointments: list[Row] = field(default_factory=list)
    sales: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    payments: list[Row] = field(default_factory=list)


def appointment_rows(visits: list[Visit], codec: Codec) -> list[Row]:
    """Appointments with ids 1.. in the visits' (time) order."""
    return [
        {
            "id": number,
            "customer_id": visit.customer_id,
            "staff_id": visit.staff_id,
            "room_id": visit.room_id,
            "service_id": visit.treatment.id,
            "starts_at": codec.instant(visit.starts_at),
            "ends_at": codec.instant(visit.ends_at),
            "status": visit.status,
            "price_minor": visit.treatment.price_minor,
            "notes": visit.note,
        }
        for number, visit in enumerate(visits, start=1)
    ]


def sale_rows(visits: list[Visit], shelf: Shelf, codec: Codec, seed: int) -> HistoryRows:
    """One sale per completed visit, receipt numbers 1.. in the order the sales happened."""
    rng = random.Random(f"{seed}:sales")
    rate = shelf.tax_rate_bp
    rows = HistoryRows()
    completed = sorted(
        (
            (visit.ends_at, visit.starts_at, visit.staff_id, appointment_id, visit)
            for appointment_id, visit in enumerate(visits, start=1)
            if visit.status == COMPLETED
        ),
        key=lambda item: item[:3],
    )
    for sale_id, (ends_at, _start, _staff, appointment_id, visit) in enumerate(completed, 1):
        price = visit.treatment.price_minor
        lines: list[dict[str, Any]] = [
            {
                "sale_id": sale_id,
                "appointment_id": appointment_id,
                "service_id": visit.treatment.id,
                "product_id": None,
                "staff_id": visit.staff_id,
                "description": shelf.service_names[visit.treatment.id],
                "quantity": 1,
                "unit_price_minor": price,
                "tax_rate_bp": rate,
                "total_minor": price,
                "tax_minor": tax_included(price, rate),
            }
        ]
        if rng.random() < PRODUCT_SHARE:
            product_id, name, unit = rng.choice(shelf.products)
            quantity = 2 if rng.random() < 0.12 else 1
            lines.append(
                {
                    "sale_id": sale_id,
                    "appointment_id": None,
                    "service_id": None,
                    "product_id": product_id,
                    "staff_id": None,
                    "description": name,
                    "quantity": quantity,
                    "unit_price_minor": unit,
                    "tax_rate_bp": rate,
                    "total_minor": unit * quantity,
                    "tax_minor": tax_included(unit * quantity, rate),
                }
            )
        for line in lines:
            line["id"] = len(rows.lines) + 1
            rows.lines.append(line)
        total = sum(int(line["total_minor"]) for line in lines)
        rows.sales.append(
            {
                "id": sale_id,
                "receipt_number": format_receipt_number(sale_id),
                "customer_id": visit.customer_id,
                "cashier_id": rng.choice(shelf.cashier_ids),
                "created_at": codec.instant(ends_at),
                "currency": shelf.currency,
                "total_minor": total,
                # one tax rate throughout: the tax of the rate's gross, as at the till
                "tax_minor": tax_included(total, rate),
            }
        )
        rows.payments.append(_payment(rng, sale_id, total, shelf.banknotes_minor))
    return rows


def _payment(rng: random.Random, sale_id: int, total: int, notes: tuple[int, ...]) -> Row:
    method, tendered = "card", total
    if rng.random() < CASH_SHARE:
        method = "cash"
        if rng.random() < 0.75:
            note = rng.choice(notes)
            tendered = -(-total // note) * note
    return {
        "id": sale_id,
        "sale_id": sale_id,
        "method": method,
        "amount_minor": total,
        "tendered_minor": tendered,
        "change_minor": tendered - total,
    }
