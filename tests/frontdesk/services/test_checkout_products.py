"""Selling retail products at checkout: beside a service or on their own (a walk-in), taken off
stock in the sale's own transaction, through the safety gate, on the receipt and in the day's
report."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from db.models import (
    AuditEntry,
    Counter,
    LoyaltyEntry,
    Product,
    ProductTag,
    SafetyOverride,
    Sale,
    SaleLine,
    ShopProfile,
    StockMovement,
)
from frontdesk.domain.checkout import MAX_QUANTITY, PaymentMethod
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.money import Money
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault, open_vault
from frontdesk.services.reports import ReportService
from frontdesk.services.safety_gate import SafetyStop
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from printing.receipt_layout import layout_receipt
from printing.text_fit import TextFitter
from tests.seed import PIN, SeededShop

DAY = date(2026, 11, 23)


def _product(
    database: UnitOfWork,
    name: str,
    price: int,
    *,
    stock: int = 10,
    tax_bp: int = 2000,
    sku: str | None = None,
    barcode: str | None = None,
    active: bool = True,
) -> int:
    with database.write() as s:
        product = Product(
            sku=sku or name.upper().replace(" ", "-")[:20],
            name=name,
            barcode=barcode,
            price_minor=price,
            tax_rate_bp=tax_bp,
            stock=stock,
            active=active,
            low_stock_level=0,
        )
        s.add(product)
        s.flush()
        return product.id


def _stock(database: UnitOfWork, product_id: int) -> int:
    with database.read() as s:
        return int(s.scalar(select(Product.stock).where(Product.id == product_id)) or 0)


def _count(database: UnitOfWork, column: Any) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count(column))) or 0)


def _counter(database: UnitOfWork) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.coalesce(func.max(Counter.value), 0))) or 0)


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.receptionist_id, PIN)


@pytest.fixture
def vault(database: UnitOfWork, shop: SeededShop) -> HealthVault:
    return open_vault(None, database)


@pytest.fixture
def checkout(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> CheckoutService:
    return CheckoutService(database, clock, vault=vault)


@pytest.fixture
def oil(database: UnitOfWork, shop: SeededShop) -> int:
    return _product(database, "Argan Oil", 2400, stock=5, sku="OIL-1", barcode="5012345678900")


@pytest.fixture
def cream(database: UnitOfWork, shop: SeededShop) -> int:
    return _product(database, "Hand Cream", 850, stock=3, tax_bp=500, sku="CRM-1")


def test_a_service_and_two_products_are_sold_together(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    oil: int,
    cream: int,
) -> None:
    quote = checkout.quote(shop.morning_appt_id, products=((oil, 2), (cream, 1)))
    assert [(line.description, line.quantity, line.amount) for line in quote.lines] == [
        ("Deep Tissue Massage", 1, Money(8500, "GBP")),
        ("Argan Oil", 2, Money(4800, "GBP")),
        ("Hand Cream", 1, Money(850, "GBP")),
    ]
    assert quote.lines[1].unit_price == Money(2400, "GBP")
    assert quote.lines[1].on_hand == 5
    assert quote.products == ((oil, 2), (cream, 1))
    # 20% on 85.00 + 48.00 = 133.00 -> 22.17; 5% on 8.50 -> 0.40
    assert (quote.total, quote.tax) == (Money(14150, "GBP"), Money(2257, "GBP"))

    sale = checkout.complete_sale(
        shop.morning_appt_id, PaymentMethod.CASH, 15000, desk, products=((oil, 2), (cream, 1))
    )
    assert (sale.total, sale.change) == (Money(14150, "GBP"), Money(850, "GBP"))
    assert (_stock(database, oil), _stock(database, cream)) == (3, 2)
    with database.read() as s:
        moves = s.execute(
            select(
                StockMovement.product_id,
                StockMovement.change,
                StockMovement.stock_after,
                StockMovement.reason,
                StockMovement.note,
            ).order_by(StockMovement.product_id)
        ).all()
        lines = s.execute(
            select(
                SaleLine.product_id,
                SaleLine.service_id,
                SaleLine.staff_id,
                SaleLine.quantity,
                SaleLine.total_minor,
                SaleLine.tax_minor,
            ).order_by(SaleLine.id)
        ).all()
        stored = s.get(Sale, sale.sale_id)
        assert stored is not None
        assert (stored.total_minor, stored.tax_minor) == (14150, 2257)
    assert [tuple(m) for m in moves] == [
        (oil, -2, 3, "sale", sale.receipt_number),
        (cream, -1, 2, "sale", sale.receipt_number),
    ]
    # product lines carry the appointment's therapist; they are not services
    assert [tuple(line) for line in lines] == [
        (None, lines[0].service_id, shop.therapist_id, 1, 8500, 1417),
        (oil, None, shop.therapist_id, 2, 4800, 800),
        (cream, None, shop.therapist_id, 1, 850, 40),
    ]
    receipt = sale.receipt
    assert [(r.description, r.quantity, r.amount, r.detail) for r in receipt.lines] == [
        ("Deep Tissue Massage", 1, "£85.00", "Tom Therapist"),
        ("Argan Oil", 2, "£48.00", ""),
        ("Hand Cream", 1, "£8.50", ""),
    ]
    assert ("incl. tax 5%", "£0.40") in receipt.totals
    assert ("incl. tax 20%", "£22.17") in receipt.totals
    printed = "\n".join(
        line.text
        for line in layout_receipt(receipt, TextFitter(lambda _c: True, chinese=False), 42)
    )
    assert "2 x Argan Oil" in printed
    assert "1 x Hand Cream" not in printed


def test_too_few_on_hand_refuses_the_sale_and_changes_nothing(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    oil: int,
    cream: int,
) -> None:
    quote = checkout.quote(shop.morning_appt_id, products=((oil, 1), (cream, 4)))
    assert [line.short for line in quote.lines] == [False, False, True]
    with pytest.raises(FormErrors) as refused:
        checkout.complete_sale(
            shop.morning_appt_id, PaymentMethod.CARD, None, desk, products=((oil, 1), (cream, 4))
        )
    error = refused.value.errors[f"product:{cream}"]
    assert isinstance(error, ValidationError)
    assert error.text == "Only {on_hand} of {product} on hand."
    assert error.params == {"on_hand": 3, "product": "Hand Cream"}
    assert list(refused.value.errors) == [f"product:{cream}"]  # the oil was there
    assert (_stock(database, oil), _stock(database, cream)) == (5, 3)
    assert _count(database, Sale.id) == 0
    assert _count(database, StockMovement.id) == 0
    assert _counter(database) == 0  # no receipt number used
    sale = checkout.complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk, products=((cream, 3),)
    )
    assert sale.receipt_number == "R-000001"
    assert _stock(database, cream) == 0


def test_an_archived_product_is_refused_at_its_line(
    checkout: CheckoutService, desk: SignedIn, shop: SeededShop, database: UnitOfWork
) -> None:
    old = _product(database, "Old Balm", 500, active=False)
    with pytest.raises(FormErrors) as refused:
        checkout.quote(shop.morning_appt_id, products=((old, 1),))
    assert refused.value.errors[f"product:{old}"].params == {"product": "Old Balm"}
    with pytest.raises(FormErrors):
        checkout.complete_product_sale(None, ((old, 1),), PaymentMethod.CARD, None, desk)
    assert _count(database, Sale.id) == 0
    assert all(p.id != old for p in checkout.sellable(desk, "balm"))


def test_quantities_are_added_up_and_kept_in_bounds(
    checkout: CheckoutService, shop: SeededShop, oil: int
) -> None:
    quote = checkout.quote_products(None, ((oil, 1), (oil, 2)))
    assert quote.products == ((oil, 3),)
    for bad in (0, -1, MAX_QUANTITY + 1):
        with pytest.raises(ValidationError):
            checkout.quote_products(None, ((oil, bad),))
    with pytest.raises(DomainError):
        checkout.quote_products(None, ())


def test_a_walk_in_buys_a_product_without_an_appointment(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    oil: int,
) -> None:
    quote = checkout.quote_products(None, ((oil, 1),))
    assert (quote.appointment_id, quote.customer_id, quote.customer_name) == (None, None, "")
    sale = checkout.complete_product_sale(None, ((oil, 1),), PaymentMethod.CASH, 2500, desk)
    assert (sale.total, sale.change) == (Money(2400, "GBP"), Money(100, "GBP"))
    assert sale.receipt.customer is None
    assert _stock(database, oil) == 4
    with database.read() as s:
        stored = s.get(Sale, sale.sale_id)
        assert stored is not None
        assert stored.customer_id is None
        assert [line.staff_id for line in stored.lines] == [None]
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "sale.completed"))
    assert detail == f"{sale.receipt_number} cash products 1"
    assert _count(database, LoyaltyEntry.id) == 0
    # the appointments are still waiting
    assert len(checkout.waiting(desk)) == 2


def test_a_client_buying_products_earns_points(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    oil: int,
) -> None:
    with database.write() as s:
        s.execute(update(ShopProfile).values(points_per_unit=1))
    quote = checkout.quote_products(shop.wang_id, ((oil, 2),))
    assert (quote.customer_id, quote.customer_name) == (shop.wang_id, "王芳")
    sale = checkout.complete_product_sale(shop.wang_id, ((oil, 2),), PaymentMethod.CARD, None, desk)
    assert sale.receipt.customer == "王芳"
    with database.read() as s:
        points = s.scalar(select(LoyaltyEntry.points).where(LoyaltyEntry.sale_id == sale.sale_id))
    assert points == 48


def test_the_gate_stops_a_product_tagged_with_the_clients_allergen(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    oil: int,
    cream: int,
) -> None:
    # Anna is severely allergic to nut oil; the massage is not tagged, the oil is.
    with database.write() as s:
        s.add(ProductTag(product_id=oil, kind="ingredient", tag="nut oil"))
    quote = checkout.quote(shop.morning_appt_id, products=((cream, 1), (oil, 1)))
    assert [(m.item_kind, m.item_name, m.tag) for m in quote.safety] == [
        ("product", "Argan Oil", "nut oil")
    ]
    assert quote.needs_safety_reason
    with pytest.raises(SafetyStop) as stopped:
        checkout.complete_sale(
            shop.morning_appt_id, PaymentMethod.CARD, None, desk, products=((oil, 1),)
        )
    assert stopped.value.params == {"item": "Argan Oil", "tag": "nut oil"}
    assert (_count(database, Sale.id), _stock(database, oil)) == (0, 5)
    # the same product alone, to the same client at the desk, stops too
    with pytest.raises(SafetyStop):
        checkout.complete_product_sale(shop.anna_id, ((oil, 1),), PaymentMethod.CARD, None, desk)
    sale = checkout.complete_sale(
        shop.morning_appt_id,
        PaymentMethod.CARD,
        None,
        desk,
        products=((oil, 1), (cream, 1)),
        safety_reason="For her husband",
    )
    with database.read() as s:
        overrides = s.execute(
            select(SafetyOverride.appointment_id, SafetyOverride.sale_id, SafetyOverride.reason)
        ).all()
    assert [tuple(o) for o in overrides] == [
        (shop.morning_appt_id, sale.sale_id, "For her husband")
    ]
    # a walk-in nobody named is not checked
    assert checkout.quote_products(None, ((oil, 1),)).safety == ()


def test_a_reason_given_when_booking_clears_the_service_not_a_product(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    clock: FixedClock,
    oil: int,
) -> None:
    with database.write() as s:
        s.add(ProductTag(product_id=oil, kind="ingredient", tag="nut oil"))
        s.add(
            SafetyOverride(
                at=clock.now(),
                staff_id=shop.receptionist_id,
                customer_id=shop.anna_id,
                appointment_id=shop.morning_appt_id,
                reason="Checked at booking",
            )
        )
    assert not checkout.quote(shop.morning_appt_id).needs_safety_reason
    quote = checkout.quote(shop.morning_appt_id, products=((oil, 1),))
    assert quote.needs_safety_reason
    with pytest.raises(SafetyStop):
        checkout.complete_sale(
            shop.morning_appt_id, PaymentMethod.CARD, None, desk, products=((oil, 1),)
        )


def test_a_missing_health_key_says_the_sale_is_unchecked(
    database: UnitOfWork, clock: FixedClock, desk: SignedIn, shop: SeededShop, oil: int
) -> None:
    blind = CheckoutService(database, clock, vault=HealthVault(None))
    assert blind.quote(shop.morning_appt_id, products=((oil, 1),)).safety_unchecked  # Anna
    assert blind.quote_products(shop.anna_id, ((oil, 1),)).safety_unchecked
    assert not blind.quote(shop.afternoon_appt_id).safety_unchecked  # nothing on file
    assert not blind.quote_products(None, ((oil, 1),)).safety_unchecked
    # it does not stop the sale
    blind.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk, products=((oil, 1),))


def test_the_till_finds_products_by_name_sku_or_barcode(
    checkout: CheckoutService, desk: SignedIn, database: UnitOfWork, oil: int, cream: int
) -> None:
    balm = _product(database, "Бальзам для губ", 700, sku="BLM-1")
    assert [p.name for p in checkout.sellable(desk)] == [
        "Argan Oil",
        "Hand Cream",
        "Бальзам для губ",
    ]
    assert [p.id for p in checkout.sellable(desk, "5012345678900")] == [oil]
    assert [p.id for p in checkout.sellable(desk, "crm-1")] == [cream]
    assert [p.id for p in checkout.sellable(desk, "  cream ")] == [cream]
    assert [p.id for p in checkout.sellable(desk, "бальзам")] == [balm]
    found = checkout.sellable(desk, "argan")[0]
    assert (found.price, found.stock) == (Money(2400, "GBP"), 5)


def test_the_day_report_counts_product_sales_and_keeps_them_out_of_therapists_figures(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    clock: FixedClock,
    oil: int,
) -> None:
    checkout.complete_sale(
        shop.morning_appt_id, PaymentMethod.CASH, None, desk, products=((oil, 2),)
    )
    checkout.complete_product_sale(None, ((oil, 1),), PaymentMethod.CARD, None, desk)
    owner = AuthService(database, clock).sign_in(shop.owner_id, PIN)
    figures = ReportService(database, clock).day_figures(DAY, owner)
    assert figures.sales == 2
    assert figures.gross == Money(8500 + 4800 + 2400, "GBP")
    assert figures.cash_expected == Money(8500 + 4800, "GBP")
    assert [(t.name, t.services, t.amount) for t in figures.by_therapist] == [
        ("Tom Therapist", 1, Money(8500, "GBP"))
    ]
    report = ReportService(database, clock).day_report(DAY, owner)
    assert [(row[0], row[3]) for row in report.sales] == [
        ("R-000001", "Tom Therapist"),
        ("R-000002", "—"),
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    stocks=st.lists(st.integers(0, 4), min_size=3, max_size=3),
    picks=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 5)), min_size=1, max_size=4),
    step=st.sampled_from([1, 5, 10, 50]),
    method=st.sampled_from(list(PaymentMethod)),
)
def test_random_baskets_total_their_lines_and_never_oversell(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    stocks: list[int],
    picks: list[tuple[int, int]],
    step: int,
    method: PaymentMethod,
) -> None:
    checkout = CheckoutService(database, clock, ShopService(database, clock))
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    with database.write() as s:
        s.execute(update(ShopProfile).values(rounding_step_minor=step))
        ids = list(s.scalars(select(Product.id).order_by(Product.id)))
    while len(ids) < 3:
        ids.append(
            _product(database, f"Item {len(ids)}", 199 + 333 * len(ids), tax_bp=500 * len(ids))
        )
    with database.write() as s:
        for product_id, stock in zip(ids, stocks, strict=True):
            s.execute(update(Product).where(Product.id == product_id).values(stock=stock))
    basket = [(ids[i], quantity) for i, quantity in picks]
    wanted: dict[int, int] = {}
    for product_id, quantity in basket:
        wanted[product_id] = wanted.get(product_id, 0) + quantity
    before = {product_id: _stock(database, product_id) for product_id in ids}
    sales_before = _count(database, Sale.id)
    enough = all(before[p] >= q for p, q in wanted.items())
    if not enough:
        with pytest.raises(FormErrors) as refused:
            checkout.complete_product_sale(None, basket, method, None, desk)
        short = {f"product:{p}" for p, q in wanted.items() if q > before[p]}
        assert set(refused.value.errors) == short
        assert {p: _stock(database, p) for p in ids} == before
        assert _count(database, Sale.id) == sales_before
        return
    sale = checkout.complete_product_sale(None, basket, method, None, desk)
    with database.read() as s:
        stored = s.get(Sale, sale.sale_id)
        assert stored is not None
        lines = sum(line.total_minor for line in stored.lines)
        assert stored.total_minor == lines + sale.rounding_minor
    assert abs(sale.rounding_minor) < step
    for product_id in ids:
        after = _stock(database, product_id)
        assert after == before[product_id] - wanted.get(product_id, 0)
        assert after >= 0


def test_two_terminals_selling_the_last_one_only_one_wins(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    last = _product(backend_db, "Last Candle", 1200, stock=1)
    desk = AuthService(backend_db, clock).sign_in(backend_shop.receptionist_id, PIN)
    terminals = [CheckoutService(backend_db, clock) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def sell(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            result: object = terminals[i].complete_product_sale(
                None, ((last, 1),), PaymentMethod.CARD, None, desk
            )
        except FormErrors as exc:
            result = exc
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sell, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    refused = [o for o in outcomes if isinstance(o, FormErrors)]
    assert len(outcomes) == 2
    assert len(refused) == 1
    assert refused[0].errors[f"product:{last}"].params == {"on_hand": 0, "product": "Last Candle"}
    assert _stock(backend_db, last) == 0
    assert _count(backend_db, Sale.id) == 1
    assert _count(backend_db, StockMovement.id) == 1
    assert _counter(backend_db) == 1
