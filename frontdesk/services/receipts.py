"""Receipts as plain printing data, built from a stored sale, in the shop's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, object_session

from db.engine import make_engine, resolve_url, sqlite_path
from db.errors import DatabaseProblem
from db.models import PrintJobKind, Sale, Staff
from db.models.counters import format_receipt_number
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.errors import DomainError, Notice
from frontdesk.domain.money import percent_label
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock, SystemClock
from frontdesk.services.loyalty import sale_points
from frontdesk.services.print_jobs import add_print_job
from frontdesk.services.receipt_words import language_of, receipt_words
from frontdesk.services.shop import ShopInfo, ShopService, load_shop
from frontdesk.services.unit_of_work import UnitOfWork, writes
from printing.escpos_layout import PrinterProfile, printing_gaps
from printing.receipt import Receipt, ReceiptLabels, ReceiptLine

_DIGITS = re.compile(r"\d{1,9}")


def build_receipt(sale: Sale, shop: ShopInfo, cashier_name: str) -> Receipt:
    """The receipt of `sale` in the shop's currency, language, locale and time zone."""
    words = receipt_words(shop.locale)
    tax_by_rate: dict[int, int] = {}
    for line in sale.lines:
        tax_by_rate[line.tax_rate_bp] = tax_by_rate.get(line.tax_rate_bp, 0) + line.tax_minor
    totals: list[tuple[str, str]] = []
    rounding = sale.total_minor - sum(line.total_minor for line in sale.lines)
    if rounding:  # the shop's rounding, taken with the sale (the lines keep their prices)
        totals.append((words.rounding, shop.money(rounding)))
    totals.append((words.total, shop.money(sale.total_minor)))
    totals += [
        (f"{words.incl_tax} {percent_label(rate)}", shop.money(tax))
        for rate, tax in sorted(tax_by_rate.items())
        if rate > 0
    ]
    payments: list[tuple[str, str]] = []
    for payment in sale.payments:
        method = PaymentMethod(payment.method)
        payments.append((words.payment(method), shop.money(payment.tendered_minor)))
        if payment.change_minor:
            payments.append((words.change, shop.money(payment.change_minor)))
    session = object_session(sale)
    points = sale_points(session, sale.id) if session is not None else None
    if points is not None:  # as on the first print, a reprint included
        payments.append((words.points_earned, str(points.earned)))
        payments.append((words.points_balance, str(points.balance)))
    customer = sale.customer
    return Receipt(
        shop_name=shop.name,
        shop_lines=tuple(
            part for part in (*shop.address.splitlines(), shop.phone, shop.tax_id) if part
        ),
        number=sale.receipt_number,
        issued_at=shop.date_time(sale.created_at),
        cashier=cashier_name,
        customer=display_name(customer.first_name, customer.last_name) if customer else None,
        lines=tuple(
            ReceiptLine(
                description=line.description,
                quantity=line.quantity,
                amount=shop.money(line.total_minor),
                # who did a service; a product sold beside it names nobody
                detail=line.staff.display_name if line.staff and line.service_id else "",
            )
            for line in sale.lines
        ),
        totals=tuple(totals),
        payments=tuple(payments),
        footer=tuple(shop.receipt_footer.splitlines()),
        header=tuple(shop.receipt_header.splitlines()),
        logo_png=shop.logo_png,
        open_drawer=any(p.method == PaymentMethod.CASH.value for p in sale.payments),
        labels=ReceiptLabels(
            number=words.receipt,
            cashier=words.cashier,
            customer=words.client,
            copy=words.copy,
        ),
    )


def receipt_number(text: str) -> str:
    """A receipt number as typed ('r-000123', ' R-000123 ', '123') as it is stored."""
    cleaned = text.strip().upper()
    if _DIGITS.fullmatch(cleaned):
        return format_receipt_number(int(cleaned))
    return cleaned


class ReceiptService:
    """Receipts of stored sales, for reprinting."""

    def __init__(
        self, uow: UnitOfWork, clock: Clock | None = None, shop: ShopService | None = None
    ) -> None:
        self._uow = uow
        self._clock = clock or SystemClock()
        self._shop = shop or ShopService(uow, self._clock)

    def receipt_for(self, receipt_number_text: str) -> Receipt:
        """The receipt of a stored sale as it was first printed, without the drawer kick."""
        with self._uow.read() as session:
            return _stored_receipt(session, receipt_number_text, self._shop.info())[1]

    def reprint(
        self, receipt_number_text: str, who: SignedIn, send: Callable[[Receipt], object]
    ) -> Receipt:
        """Send a copy of a stored receipt, marked COPY in the shop's language, and log it.

        The copy never opens the drawer. The audit entry (who, which sale; no client data) is
        written once ``send`` has taken the copy; if it raises, nothing is logged.
        """
        who.require(Permission.REPRINT_RECEIPTS)
        with self._uow.read() as session:
            sale_id, receipt = _stored_receipt(session, receipt_number_text, self._shop.info())
        copy = replace(receipt, copy=True)
        send(copy)
        with self._uow.write() as session:
            _log_reprint(session, sale_id, copy.number, who, self._clock.now())
        return copy

    @writes
    def queue_reprint(self, receipt_number_text: str, who: SignedIn, station: str) -> Receipt:
        """Queue a COPY of a stored receipt for `station`'s printer and log it, in one
        transaction: the job and its audit entry (who, which sale; no client data) commit
        together or not at all. Returns the copy as it will print."""
        who.require(Permission.REPRINT_RECEIPTS)
        now = self._clock.now()
        with self._uow.write() as session:
            sale_id, receipt = _stored_receipt(session, receipt_number_text, self._shop.info())
            add_print_job(
                session, sale_id=sale_id, kind=PrintJobKind.REPRINT, station=station, now=now
            )
            _log_reprint(session, sale_id, receipt.number, who, now)
        return replace(receipt, copy=True)

    def printer_warnings(self, profile: PrinterProfile) -> list[Notice]:
        """What the printer settings lack for this shop's language (see printer_warnings)."""
        return printer_warnings(profile, self._shop.info())


def _stored_receipt(
    session: Session, receipt_number_text: str, shop: ShopInfo
) -> tuple[int, Receipt]:
    """The sale id and receipt of a stored sale, as first printed but never kicking the drawer."""
    number = receipt_number(receipt_number_text)
    sale = session.scalars(select(Sale).where(Sale.receipt_number == number)).first()
    if sale is None:
        raise DomainError("There is no sale with receipt number {number}.", number=number)
    cashier = session.get(Staff, sale.cashier_id)
    name = cashier.display_name if cashier else ""
    # A reprint never kicks the cash drawer open again.
    return sale.id, replace(build_receipt(sale, shop, name), open_drawer=False)


def _log_reprint(session: Session, sale_id: int, number: str, who: SignedIn, now: datetime) -> None:
    """The audit entry of a reprint: who and which sale, never client data."""
    record(
        session,
        at=now,
        action="receipt.reprinted",
        staff_id=who.staff_id,
        entity="sale",
        entity_id=sale_id,
        detail=number if who.staff_id is not None else f"{number} by {who.name}",
    )


def printer_warnings(profile: PrinterProfile, shop: ShopInfo | None) -> list[Notice]:
    """What the receipt printer's settings lack for the shop's language (notices the window
    and the command line write in their reader's language).

    Checked on the receipt's own words, a date and an amount in the shop's locale and
    currency; names typed into the shop are not known in advance and are not checked.
    """
    if shop is None:
        return []
    words = receipt_words(shop.locale)
    texts = [str(getattr(words, name)) for name in words.__dataclass_fields__]
    sample = " ".join([*texts, shop.money(123456), shop.long_date(date(2026, 11, 23))])
    gaps = printing_gaps(profile, sample)
    if language_of(shop.locale) == "zh" and not profile.chinese:
        if gaps.missing:
            return [
                Notice(
                    "The shop's receipts are in Chinese but printer_chinese is off, and this "
                    "computer has no font with Chinese to draw it: Chinese text prints as '?'. "
                    "Install one (e.g. fonts-wqy-microhei), or set printer_chinese = true if "
                    "the printer has a Chinese font."
                )
            ]
        return [
            Notice(
                "The shop's receipts are in Chinese but printer_chinese is off, so Chinese "
                "text prints as pictures, which is slower. Set printer_chinese = true if the "
                "printer has a Chinese font."
            )
        ]
    if gaps.missing:
        return [
            Notice(
                "The receipt printer ({profile}) cannot print {characters} of the shop's "
                "language: they print as '?'.",
                profile=profile.escpos_profile,
                characters=" ".join(gaps.missing),
            )
        ]
    if gaps.pictured:
        return [
            Notice(
                "The receipt printer ({profile}) has no code page for {characters}: they "
                "print as pictures, which is slower.",
                profile=profile.escpos_profile,
                characters=" ".join(gaps.pictured),
            )
        ]
    return []


def existing_shop(database_url: str | None) -> ShopInfo | None:
    """The shop of an existing database, read without creating or migrating anything;
    None when there is none or it cannot be read (settings listings must not fail on it)."""
    try:
        url = resolve_url(database_url)
        path = sqlite_path(url)
        if path is not None and not path.is_file():
            return None
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                return load_shop(session)
        finally:
            engine.dispose()
    except (SQLAlchemyError, DatabaseProblem, OSError, ValueError):
        return None
