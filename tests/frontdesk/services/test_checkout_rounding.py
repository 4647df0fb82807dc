"""The shop's rounding at checkout: its own line on the quote and the receipt, money whole."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select, update

from db.models import Appointment, Payment, Sale, SaleLine
from frontdesk.domain.checkout import LineDraft, PaymentMethod, payable, sale_totals, tender
from frontdesk.domain.money import Money
from frontdesk.domain.opening import ROUNDING_MODES, RoundingRule
from frontdesk.domain.roles import Role
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.receipts import ReceiptService
from frontdesk.services.reports import ReportService
from frontdesk.services.shop import ShopService
from frontdesk.services.shop_setup import ShopSetupService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, SeededShop

OWNER = SignedIn(staff_id=None, name="Owner", role=Role.OWNER)


def _round(database: UnitOfWork, clock: FixedClock, **rule: object) -> ShopService:
    shop = ShopService(database, clock)
    setup = ShopSetupService(database, clock, shop)
    setup.save(dataclasses.replace(setup.draft(), **rule), OWNER)  # type: ignore[arg-type]
    return shop


def _price(database: UnitOfWork, appointment_id: int, minor: int) -> None:
    with database.write() as session:
        session.execute(
            update(Appointment).where(Appointment.id == appointment_id).values(price_minor=minor)
        )


def test_cash_is_rounded_on_the_quote_the_sale_and_the_receipt(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    info = _round(database, clock, rounding_step="0.10", rounding_mode="half_up")
    _price(database, shop.morning_appt_id, 8512)
    checkout = CheckoutService(database, clock, info)
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)

    quote = checkout.quote(shop.morning_appt_id)
    assert quote.total == Money(8512, "GBP")
    assert quote.rounding(PaymentMethod.CASH) == Money(-2, "GBP")
    assert quote.due(PaymentMethod.CASH) == Money(8510, "GBP")
    assert quote.due(PaymentMethod.CARD) == Money(8512, "GBP")  # cash only

    sale = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    assert sale.total == Money(8510, "GBP")
    assert sale.change == Money(1490, "GBP")
    assert sale.rounding_minor == -2
    assert sale.receipt.totals[:2] == (("Rounding", "-£0.02"), ("Total", "£85.10"))
    with database.read() as session:
        stored = session.scalars(select(Sale)).one()
        assert stored.total_minor == 8510
        assert session.scalars(select(SaleLine.total_minor)).one() == 8512  # price kept
        payment = session.scalars(select(Payment)).one()
        assert (payment.amount_minor, payment.tendered_minor, payment.change_minor) == (
            8510,
            10000,
            1490,
        )
    reprint = ReceiptService(database, clock, info).receipt_for(stored.receipt_number)
    assert reprint.totals[:2] == sale.receipt.totals[:2]


def test_a_card_is_rounded_when_the_shop_rounds_every_payment(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    info = _round(database, clock, rounding_step="1", rounding_mode="up", rounding_cash_only=False)
    _price(database, shop.morning_appt_id, 8501)
    checkout = CheckoutService(database, clock, info)
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    assert checkout.quote(shop.morning_appt_id).due(PaymentMethod.CARD) == Money(8600, "GBP")
    sale = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    assert sale.total == Money(8600, "GBP")


def test_no_rounding_line_where_the_shop_does_not_round(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    _price(database, shop.morning_appt_id, 8512)
    checkout = CheckoutService(database, clock, ShopService(database, clock))
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    sale = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, None, desk)
    assert sale.total == Money(8512, "GBP")
    assert [label for label, _ in sale.receipt.totals] == ["Total", "incl. tax 20%"]


@given(
    prices=st.lists(st.integers(0, 10**7), min_size=1, max_size=5),
    step=st.sampled_from([1, 5, 10, 50, 100, 500, 1000]),
    mode=st.sampled_from(ROUNDING_MODES),
    cash_only=st.booleans(),
    method=st.sampled_from(list(PaymentMethod)),
)
def test_what_is_paid_is_the_lines_and_the_rounding(
    prices: list[int], step: int, mode: str, cash_only: bool, method: PaymentMethod
) -> None:
    totals = sale_totals([LineDraft("x", 1, price, 2000) for price in prices])
    due, rounding = payable(totals, method, RoundingRule(step, mode, cash_only))
    assert due == totals.total_minor + rounding
    assert due >= 0
    assert abs(rounding) < step
    if cash_only and method is PaymentMethod.CARD:
        assert rounding == 0
    else:
        assert due % step == 0
    paid = tender(method, due, None)
    assert paid.amount_minor == due
    assert paid.change_minor == 0


def test_the_receipt_and_the_day_report_carry_the_logo_and_the_rounded_cash(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, tmp_path: Path
) -> None:
    logo = ShopSetupService.logo(_png())
    info = _round(
        database, clock, rounding_step="0.10", logo_png=logo, receipt_header="Open daily\n9-21"
    )
    _price(database, shop.morning_appt_id, 8517)
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    owner = AuthService(database, clock).sign_in(shop.owner_id, PIN)
    sale = CheckoutService(database, clock, info).complete_sale(
        shop.morning_appt_id, PaymentMethod.CASH, None, desk
    )
    assert sale.receipt.header == ("Open daily", "9-21")
    assert sale.receipt.logo_png == logo
    reports = ReportService(database, clock, info)
    report = reports.day_report(NOW.date(), owner)
    assert dict(report.summary)["Cash expected in drawer"] == "£85.20"
    assert report.logo_png == logo
    path = reports.write_day_report(NOW.date(), tmp_path / "eod.pdf", owner)
    assert len(PdfReader(path).pages[0].images) == 1


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (500, 100), (0, 0, 0)).save(out, format="PNG")
    return out.getvalue()
