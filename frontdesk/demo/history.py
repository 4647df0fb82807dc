"""Appointment rows, and for every completed one a paid sale: lines, payment, receipt number."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from db.models.counters import format_receipt_number
from frontdesk.demo.booking import Visit
from frontdesk.demo.clientele import Clientele
from frontdesk.demo.schedule import HistoryPlan, Scheduler
from frontdesk.demo.writer import Codec
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.checkout import LineDraft, PaymentMethod, sale_totals

PRODUCT_SHARE = 0.2
CASH_SHARE = 0.35


@dataclass(frozen=True)
class Shelf:
    """What the sales need to know about the shop."""

    currency: str
    tax_rate_bp: int
    banknotes_minor: tuple[int, ...]
    service_names: dict[int, str]
    products: list[tuple[int, str, int]]  # id, name, price
    cashier_ids: list[int]


Values = tuple[Any, ...]


@dataclass
class HistoryRows:
    """Rows as tuples, in the column order of `frontdesk.demo.columns`."""

    sales: list[Values] = field(default_factory=list)
    lines: list[Values] = field(default_factory=list)
    payments: list[Values] = field(default_factory=list)


class Instants:
    """Stored forms of naive UTC instants, each made once: visits share a few per day."""

    def __init__(self, codec: Codec) -> None:
        self._codec = codec
        self._stored: dict[datetime, Any] = {}

    def __call__(self, instant: datetime) -> Any:
        stored = self._stored.get(instant)
        if stored is None:
            stored = self._stored[instant] = self._codec.instant(instant)
        return stored


def book_visits(
    scheduler: Scheduler, plan: HistoryPlan, clientele: Clientele, offsets: list[int], codec: Codec
) -> tuple[list[Visit], list[Values]]:
    """The whole appointment book and its rows."""
    visits = scheduler.book(plan, clientele, offsets)
    return visits, appointment_rows(visits, codec)


def appointment_rows(visits: list[Visit], codec: Codec) -> list[Values]:
    """Appointments with ids 1.. in the visits' (time) order."""
    stored = Instants(codec)
    return [
        (
            number,
            visit.customer_id,
            visit.staff_id,
            visit.room_id,
            visit.treatment.id,
            stored(visit.starts_at),
            stored(visit.ends_at),
            visit.status.value,
            visit.treatment.price_minor,
            visit.note,
        )
        for number, visit in enumerate(visits, start=1)
    ]


def _completed_in_sale_order(visits: list[Visit]) -> Iterator[tuple[int, Visit]]:
    """(appointment id, visit) of the completed visits by end, start and therapist. Visits come
    day by day, and none crosses midnight: sorting each day's is sorting them all."""
    by_end_start_staff = itemgetter(0, 1, 2)
    day: list[tuple[datetime, datetime, int, int, Visit]] = []
    for appointment_id, visit in enumerate(visits, start=1):
        if day and visit.day != day[0][4].day:
            day.sort(key=by_end_start_staff)
            yield from ((item[3], item[4]) for item in day)
            day = []
        if visit.status is AppointmentStatus.COMPLETED:
            day.append((visit.ends_at, visit.starts_at, visit.staff_id, appointment_id, visit))
    day.sort(key=by_end_start_staff)
    yield from ((item[3], item[4]) for item in day)


def sale_rows(visits: list[Visit], shelf: Shelf, codec: Codec, seed: int) -> HistoryRows:
    """One sale per completed visit, receipt numbers 1.. in the order the sales happened."""
    rng = random.Random(f"{seed}:sales")
    draw, choice = rng.random, rng.choice
    rate = shelf.tax_rate_bp
    priced = _Priced(rate)
    stored = Instants(codec)
    rows = HistoryRows()
    lines, currency, names = rows.lines, shelf.currency, shelf.service_names
    for sale_id, (appointment_id, visit) in enumerate(_completed_in_sale_order(visits), 1):
        treatment = visit.treatment
        price = treatment.price_minor
        product: tuple[int, str, int] | None = None
        quantity = 0
        if draw() < PRODUCT_SHARE:
            product = choice(shelf.products)
            quantity = 2 if draw() < 0.12 else 1
        sale = priced[(price, product[2] if product else 0, quantity)]
        lines.append(
            (
                len(lines) + 1,
                sale_id,
                appointment_id,
                treatment.id,
                None,
                visit.staff_id,
                names[treatment.id],
                1,
                price,
                rate,
                *sale.lines[0],
            )
        )
        if product is not None:
            product_id, name, unit = product
            lines.append(
                (
                    len(lines) + 1,
                    sale_id,
                    None,
                    None,
                    product_id,
                    None,
                    name,
                    quantity,
                    unit,
                    rate,
                    *sale.lines[1],
                )
            )
        rows.sales.append(
            (
                sale_id,
                format_receipt_number(sale_id),
                visit.customer_id,
                choice(shelf.cashier_ids),
                stored(visit.ends_at),
                currency,
                sale.total_minor,
                sale.tax_minor,
            )
        )
        rows.payments.append(_payment(rng, sale_id, sale.total_minor, shelf.banknotes_minor))
    return rows


@dataclass(frozen=True)
class _Sale:
    lines: tuple[tuple[int, int], ...]  # (total, tax) of each line
    total_minor: int
    tax_minor: int


class _Priced(dict[tuple[int, int, int], _Sale]):
    """The domain's totals of a sale of a treatment at one price and maybe a product (unit
    price, quantity; quantity 0 for none), each worked out once: sales repeat a few hundred
    such baskets."""

    def __init__(self, rate_bp: int) -> None:
        super().__init__()
        self.rate_bp = rate_bp

    def __missing__(self, basket: tuple[int, int, int]) -> _Sale:
        price, unit, quantity = basket
        drafts = [LineDraft("", 1, price, self.rate_bp)]
        if quantity:
            drafts.append(LineDraft("", quantity, unit, self.rate_bp))
        totals = sale_totals(drafts)
        sale = self[basket] = _Sale(
            tuple((line.total_minor, line.tax_minor) for line in drafts),
            totals.total_minor,
            totals.tax_minor,
        )
        return sale


def _payment(rng: random.Random, sale_id: int, total: int, notes: tuple[int, ...]) -> Values:
    method, tendered = PaymentMethod.CARD, total
    if rng.random() < CASH_SHARE:
        method = PaymentMethod.CASH
        if rng.random() < 0.75:
            note = rng.choice(notes)
            tendered = -(-total // note) * note
    return sale_id, sale_id, method.value, total, tendered, tendered - total
