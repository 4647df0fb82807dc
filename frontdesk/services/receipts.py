"""Receipts as plain printing data, built from a stored sale."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from db.models import Sale, Staff
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.errors import DomainError
from frontdesk.domain.money import percent_label
from frontdesk.domain.names import display_name
from frontdesk.services.database import Database
from frontdesk.services.shop import ShopInfo, load_shop
from printing.receipt import Receipt, ReceiptLine


def build_receipt(sale: Sale, shop: ShopInfo, cashier_name: str) -> Receipt:
    """The receipt of `sale` in the shop's currency, locale and time zone."""
    tax_by_rate: dict[int, int] = {}
    for line in sale.lines:
        tax_by_rate[line.tax_rate_bp] = tax_by_rate.get(line.tax_rate_bp, 0) + line.tax_minor
    totals = [("Total", shop.money(sale.total_minor))]
    totals += [
        (f"incl. tax {percent_label(rate)}", shop.money(tax))
        for rate, tax in sorted(tax_by_rate.items())
        if rate > 0
    ]
    payments: list[tuple[str, str]] = []
    for payment in sale.payments:
        method = PaymentMethod(payment.method)
        payments.append((method.label, shop.money(payment.tendered_minor)))
        if payment.change_minor:
            payments.append(("Change", shop.money(payment.change_minor)))
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
                detail=line.staff.display_name if line.staff else "",
            )
            for line in sale.lines
        ),
        totals=tuple(totals),
        payments=tuple(payments),
        footer=tuple(shop.receipt_footer.splitlines()),
        open_drawer=any(p.method == PaymentMethod.CASH.value for p in sale.payments),
    )


class ReceiptService:
    """Receipts of stored sales, for reprinting."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def receipt_for(self, receipt_number: str) -> Receipt:
        """The receipt of a stored sale, for a reprint."""
        with self._db.read() as session:
            sale = session.scalars(
                select(Sale).where(Sale.receipt_number == receipt_number)
            ).first()
            if sale is None:
                raise DomainError(f"There is no sale with receipt number {receipt_number}.")
            cashier = session.get(Staff, sale.cashier_id)
            name = cashier.display_name if cashier else ""
            # A reprint never kicks the cash drawer open again.
            return replace(build_receipt(sale, load_shop(session), name), open_drawer=False)
