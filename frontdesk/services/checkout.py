"""Turning an appointment into a sale: lines, payment, receipt number, all in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, object_session

from db.models import (
    Appointment,
    Counter,
    Customer,
    Payment,
    PrintJobKind,
    Product,
    SafetyOverride,
    Sale,
    SaleLine,
    Service,
    StockMovement,
)
from db.models.counters import RECEIPT_COUNTER, format_receipt_number
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.checkout import (
    LineDraft,
    PaymentMethod,
    basket,
    payable,
    sale_totals,
    tender,
)
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.money import Money
from frontdesk.domain.names import display_name
from frontdesk.domain.products import StockReason
from frontdesk.domain.roles import Permission
from frontdesk.domain.shop_time import day_bounds_utc
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.catalogue import service_price_on
from frontdesk.services.client_search import note_visit
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.loyalty import earn_for_sale
from frontdesk.services.print_jobs import add_print_job
from frontdesk.services.products import TooFewInStock, change_stock
from frontdesk.services.receipts import build_receipt
from frontdesk.services.safety_gate import (
    SafetyMatch,
    cannot_check,
    check,
    record_override,
    stop_unless_reason,
)
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes
from printing.receipt import Receipt

#: Products found by one search at the till.
PRODUCT_SEARCH_LIMIT = 20

#: (product_id, quantity) pairs to sell.
Basket = Iterable[tuple[int, int]]

TOO_FEW = words("Only {on_hand} of {product} on hand.")
ARCHIVED = words("{product} is archived: it is no longer sold.")


class AlreadyPaid(DomainError):
    """The appointment has been checked out already."""


@dataclass(frozen=True)
class WaitingVisit:
    """An appointment of the day that may still be paid, for the checkout's waiting list."""

    appointment_id: int
    customer_name: str
    service_name: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC
    price: Money


@dataclass(frozen=True)
class QuoteLine:
    """One thing to pay for: the service (who did it, how long) or a product (how many, and
    how many are on hand), and what it costs."""

    description: str
    therapist: str
    duration_minutes: int
    amount: Money
    product_id: int | None = None  # None: the appointment's service
    quantity: int = 1
    unit_price: Money | None = None
    on_hand: int | None = None  # a product's stock when quoted

    @property
    def short(self) -> bool:
        """A product line asking for more than was on hand when quoted."""
        return self.on_hand is not None and self.quantity > self.on_hand


@dataclass(frozen=True)
class SellableProduct:
    """A product the till can sell, as the checkout's product search shows it."""

    id: int
    name: str
    sku: str
    barcode: str | None
    price: Money
    stock: int


@dataclass(frozen=True)
class CheckoutQuote:
    """What the client will pay for an appointment, before anything is written."""

    appointment_id: int | None  # None: products sold without an appointment
    customer_name: str  # "" for a walk-in nobody named
    lines: tuple[QuoteLine, ...]
    total: Money
    tax: Money  # of which tax (prices include it)
    #: What the shop's rounding adds to the total (negative: takes off) paying in cash / by
    #: card; zero where the shop does not round.
    cash_rounding_minor: int = 0
    card_rounding_minor: int = 0
    #: The safety gate's matches for the client and the service (severe first).
    safety: tuple[SafetyMatch, ...] = ()
    #: Whether someone already gave a reason to go ahead (when booking) for every match: no
    #: second stop. A product matching too still asks.
    safety_cleared: bool = False
    #: The client has allergies on file the gate could not read (no health data key here):
    #: said plainly, the sale goes on.
    safety_unchecked: bool = False
    customer_id: int | None = None

    @property
    def products(self) -> tuple[tuple[int, int], ...]:
        """The product lines as (product_id, quantity)."""
        return tuple(
            (line.product_id, line.quantity) for line in self.lines if line.product_id is not None
        )

    @property
    def needs_safety_reason(self) -> bool:
        return bool(self.safety) and not self.safety_cleared

    def rounding(self, method: PaymentMethod) -> Money:
        minor = (
            self.cash_rounding_minor if method is PaymentMethod.CASH else self.card_rounding_minor
        )
        return Money(minor, self.total.currency)

    def due(self, method: PaymentMethod) -> Money:
        """What is paid by `method`: the total and its rounding."""
        return self.total + self.rounding(method)


@dataclass(frozen=True)
class CompletedSale:
    sale_id: int
    receipt_number: str
    method: PaymentMethod
    total: Money
    change: Money
    #: The printed receipt, in the shop's language (the receipt builder is an edge).
    receipt: Receipt
    #: The receipt's print job, committed with the sale; None when no printer is set up.
    print_job_id: int | None = None
    #: The rounding in `total` (zero where none).
    rounding_minor: int = 0


class CheckoutService:
    """Use cases of the Checkout area.

    ``print_station`` names the station whose printer prints the receipts of sales made here;
    each sale's print job is stored in the sale's own transaction. None: no printer here.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService | None = None,
        *,
        print_station: str | None = None,
        vault: HealthVault | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)
        self.print_station = print_station
        #: The health data the safety gate reads (None: no gate, as in older tests).
        self._vault = vault

    @reads
    def waiting(self, viewer: SignedIn) -> tuple[WaitingVisit, ...]:
        """Today's appointments (in the shop's day) not paid yet and not cancelled or missed,
        in time order."""
        viewer.require(Permission.CHECKOUT)
        shop = self._shop.info()
        start, end = day_bounds_utc(shop.today(self._clock.now()), shop.zone)
        paid = exists().where(SaleLine.appointment_id == Appointment.id)
        unpayable = [s.value for s in AppointmentStatus if not s.payable]
        with self._uow.read() as session:
            rows = session.execute(
                select(
                    Appointment.id,
                    Customer.first_name,
                    Customer.last_name,
                    Service.name,
                    Appointment.starts_at,
                    Appointment.ends_at,
                    Appointment.price_minor,
                )
                .join(Customer, Customer.id == Appointment.customer_id)
                .join(Service, Service.id == Appointment.service_id)
                .where(
                    Appointment.starts_at >= start,
                    Appointment.starts_at < end,
                    Appointment.status.not_in(unpayable),
                    ~paid,
                )
                .order_by(Appointment.starts_at, Appointment.id)
            ).tuples()
            return tuple(
                WaitingVisit(
                    appt_id,
                    display_name(first, last),
                    service,
                    starts,
                    ends,
                    shop.amount(price),
                )
                for appt_id, first, last, service, starts, ends, price in rows
            )

    @reads
    def sellable(self, viewer: SignedIn, text: str = "") -> tuple[SellableProduct, ...]:
        """Active products for the till's search: a barcode or SKU typed or scanned whole
        first, then names containing the text (any case, any script), by name; all when `text`
        is empty. At most PRODUCT_SEARCH_LIMIT.

        A shop sells hundreds of products, not millions: they are read whole and matched here,
        where case folding knows every script (SQLite's lower() folds ASCII only)."""
        viewer.require(Permission.CHECKOUT)
        wanted = " ".join(text.split())
        folded = wanted.casefold()
        shop = self._shop.info()
        with self._uow.read() as session:
            rows = session.execute(
                select(
                    Product.id,
                    Product.name,
                    Product.sku,
                    Product.barcode,
                    Product.price_minor,
                    Product.stock,
                ).where(Product.active.is_(True))
            ).tuples()
            found = []
            for product_id, name, sku, barcode, price, stock in rows:
                code = bool(wanted) and (barcode == wanted or sku.casefold() == folded)
                if code or folded in name.casefold():
                    found.append(
                        (
                            (not code, name.casefold(), product_id),
                            SellableProduct(
                                product_id, name, sku, barcode, shop.amount(price), stock
                            ),
                        )
                    )
        found.sort(key=lambda item: item[0])
        return tuple(product for _, product in found[:PRODUCT_SEARCH_LIMIT])

    @reads
    def quote(self, appointment_id: int, products: Basket = ()) -> CheckoutQuote:
        """What paying for the appointment (and `products` beside it) comes to."""
        wanted = basket(products)
        with self._uow.read() as session:
            appt, service = self._payable(session, appointment_id)
            line = self._line(appt, service)
            shown = QuoteLine(
                line.description,
                appt.staff.display_name,
                service.duration_minutes,
                self._shop.info().amount(line.total_minor),
            )
            return self._quote(session, appt.customer, appt, [(line, shown)], wanted)

    @reads
    def quote_products(self, customer_id: int | None, products: Basket) -> CheckoutQuote:
        """What selling `products` without an appointment comes to, to a client (the safety
        gate and points apply) or to a walk-in nobody named (customer_id None)."""
        wanted = basket(products)
        if not wanted:
            raise DomainError("Add a product to sell.")
        with self._uow.read() as session:
            customer = _customer(session, customer_id)
            return self._quote(session, customer, None, [], wanted)

    def _quote(
        self,
        session: Session,
        customer: Customer | None,
        appt: Appointment | None,
        service_lines: list[tuple[LineDraft, QuoteLine]],
        wanted: Sequence[tuple[int, int]],
    ) -> CheckoutQuote:
        shop = self._shop.info()
        sold = _sellable_products(session, wanted)
        drafts = [draft for draft, _ in service_lines]
        shown = [line for _, line in service_lines]
        for product, quantity in sold:
            draft = _product_line(product, quantity)
            drafts.append(draft)
            shown.append(
                QuoteLine(
                    draft.description,
                    "",
                    0,
                    shop.amount(draft.total_minor),
                    product_id=product.id,
                    quantity=quantity,
                    unit_price=shop.amount(product.price_minor),
                    on_hand=product.stock,
                )
            )
        totals = sale_totals(drafts)
        customer_id = customer.id if customer is not None else None
        found, pending = self._gate(session, customer_id, appt, [product.id for product, _ in sold])
        return CheckoutQuote(
            appointment_id=appt.id if appt is not None else None,
            customer_name=(
                display_name(customer.first_name, customer.last_name) if customer else ""
            ),
            lines=tuple(shown),
            total=shop.amount(totals.total_minor),
            tax=shop.amount(totals.tax_minor),
            cash_rounding_minor=payable(totals, PaymentMethod.CASH, shop.rounding)[1],
            card_rounding_minor=payable(totals, PaymentMethod.CARD, shop.rounding)[1],
            safety=found,
            safety_cleared=bool(found) and not pending,
            safety_unchecked=customer_id is not None
            and cannot_check(session, self._vault, [customer_id]),
            customer_id=customer_id,
        )

    def _gate(
        self,
        session: Session,
        customer_id: int | None,
        appt: Appointment | None,
        product_ids: Sequence[int],
    ) -> tuple[tuple[SafetyMatch, ...], tuple[SafetyMatch, ...]]:
        """(every match of the client against the service and the products, the matches still
        needing a reason): a reason given when booking clears the service's matches, not the
        products' (nobody asked about those)."""
        if customer_id is None:
            return (), ()
        service_ids = [appt.service_id] if appt is not None else []
        found = check(session, self._vault, [customer_id], service_ids, product_ids)
        if found and appt is not None and _overridden(session, appt.id):
            return found, tuple(m for m in found if m.item_kind != "service")
        return found, found

    @writes
    def complete_sale(
        self,
        appointment_id: int,
        method: PaymentMethod,
        tendered_minor: int | None,
        cashier: SignedIn,
        *,
        safety_reason: str = "",
        products: Basket = (),
    ) -> CompletedSale:
        """Write the sale, its lines, its payment, the stock taken off, the next receipt number
        and the audit entry together; any failure leaves the database exactly as it was. A
        service or product matching the client's allergy or contraindication (the safety gate)
        is refused with SafetyStop unless a reason was given when booking (for the service) or
        is given now (`safety_reason`, recorded once for the sale). A product with too few on
        hand is refused at its line (FormErrors, field ``product:<id>``)."""
        cashier.require(Permission.CHECKOUT)
        if cashier.staff_id is None:
            raise DomainError("Sign in to take payments.")
        wanted = basket(products)
        with self._uow.write() as session:
            appt, service = self._payable(session, appointment_id, lock=True)
            line = self._line(appt, service)
            sale = self._sell(
                session,
                cashier,
                method,
                tendered_minor,
                appt.customer_id,
                appt,
                [(line, service.id)],
                wanted,
                safety_reason,
            )
            appt.status = AppointmentStatus.COMPLETED.value
            note_visit(session, appt.customer_id, appt.starts_at)  # search: recent visitors first
            return sale

    @writes
    def complete_product_sale(
        self,
        customer_id: int | None,
        products: Basket,
        method: PaymentMethod,
        tendered_minor: int | None,
        cashier: SignedIn,
        *,
        safety_reason: str = "",
    ) -> CompletedSale:
        """Sell products without an appointment (a walk-in at the desk), to a client or to
        nobody named (customer_id None), as complete_sale does: stock, gate, points, receipt."""
        cashier.require(Permission.CHECKOUT)
        if cashier.staff_id is None:
            raise DomainError("Sign in to take payments.")
        wanted = basket(products)
        if not wanted:
            raise DomainError("Add a product to sell.")
        with self._uow.write() as session:
            customer = _customer(session, customer_id)
            sale = self._sell(
                session,
                cashier,
                method,
                tendered_minor,
                customer_id,
                None,
                [],
                wanted,
                safety_reason,
            )
            if customer is not None:
                note_visit(session, customer.id, self._clock.now())  # they came in: recent
            return sale

    def _sell(
        self,
        session: Session,
        cashier: SignedIn,
        method: PaymentMethod,
        tendered_minor: int | None,
        customer_id: int | None,
        appt: Appointment | None,
        service_lines: list[tuple[LineDraft, int]],
        wanted: Sequence[tuple[int, int]],
        safety_reason: str,
    ) -> CompletedSale:
        """The sale itself, in the caller's unit of work (the appointment already locked)."""
        assert cashier.staff_id is not None
        now = self._clock.now()
        shop = self._shop.info()
        sold = _sellable_products(session, wanted)
        _, pending = self._gate(session, customer_id, appt, [p.id for p, _ in sold])
        reason = stop_unless_reason(pending, safety_reason)
        drafts = [draft for draft, _ in service_lines]
        drafts += [_product_line(product, quantity) for product, quantity in sold]
        totals = sale_totals(drafts)
        due, rounding = payable(totals, method, shop.rounding)
        payment = tender(method, due, tendered_minor, currency=shop.currency, locale=shop.locale)
        stock_after = _take_off_stock(session, sold)
        number = format_receipt_number(self._next_receipt_value(session))
        sale = Sale(
            receipt_number=number,
            customer_id=customer_id,
            cashier_id=cashier.staff_id,
            created_at=now,
            currency=shop.currency,
            total_minor=due,  # what was taken: the lines and the rounding
            tax_minor=totals.tax_minor,
        )
        staff_id = appt.staff_id if appt is not None else None
        appointment_id = appt.id if appt is not None else None
        for draft, service_id in service_lines:
            sale.lines.append(
                _sale_line(draft, staff_id, service_id=service_id, appointment_id=appointment_id)
            )
        for product, quantity in sold:
            sale.lines.append(
                _sale_line(_product_line(product, quantity), staff_id, product_id=product.id)
            )
            session.add(
                StockMovement(
                    product_id=product.id,
                    at=now,
                    staff_id=cashier.staff_id,
                    change=-quantity,
                    stock_after=stock_after[product.id],
                    reason=StockReason.SALE.value,
                    note=number,
                )
            )
        sale.payments.append(
            Payment(
                method=payment.method.value,
                amount_minor=payment.amount_minor,
                tendered_minor=payment.tendered_minor,
                change_minor=payment.change_minor,
            )
        )
        session.add(sale)
        session.flush()
        record(
            session,
            at=now,
            staff_id=cashier.staff_id,
            action="sale.completed",
            entity="sale",
            entity_id=sale.id,
            detail=f"{number} {payment.method.value}" + (f" products {len(sold)}" if sold else ""),
        )
        if pending:
            record_override(
                session,
                at=now,
                staff_id=cashier.staff_id,
                found=pending,
                reason=reason,
                appointment_id=appt.id if appt is not None else None,
                sale_id=sale.id,
            )
        earn_for_sale(session, sale.id, now)  # the client's points commit with the sale
        job_id = self._queue_receipt(session, sale.id, now)
        receipt = build_receipt(sale, shop, cashier.name)
        return CompletedSale(
            sale_id=sale.id,
            receipt_number=number,
            method=payment.method,
            total=shop.amount(due),
            change=shop.amount(payment.change_minor),
            receipt=receipt,
            print_job_id=job_id,
            rounding_minor=rounding,
        )

    def _queue_receipt(self, session: Session, sale_id: int, now: datetime) -> int | None:
        """The sale's print job, in the sale's transaction: no committed receipt is lost."""
        if self.print_station is None:
            return None
        return add_print_job(
            session, sale_id=sale_id, kind=PrintJobKind.RECEIPT, station=self.print_station, now=now
        )

    @staticmethod
    def _payable(
        session: Session, appointment_id: int, *, lock: bool = False
    ) -> tuple[Appointment, Service]:
        """The appointment and its service, if it may be paid now.

        `lock` (when paying) holds the appointment row until the sale commits: a second terminal
        paying it at the same moment waits here, then sees the first sale and gets AlreadyPaid.
        (SQLite has no row locks; its BEGIN IMMEDIATE already lets one writer in at a time.)
        """
        appt = session.get(Appointment, appointment_id, with_for_update=lock)
        if appt is None:
            raise DomainError("That appointment no longer exists.")
        if not AppointmentStatus(appt.status).payable:
            raise DomainError("A cancelled or missed appointment cannot be checked out.")
        paid = session.scalar(select(SaleLine.sale_id).where(SaleLine.appointment_id == appt.id))
        if paid is not None:
            raise AlreadyPaid("This appointment has already been paid.")
        return appt, appt.service

    def _line(self, appt: Appointment, service: Service) -> LineDraft:
        """The booked price (bookings keep theirs) with the tax rate in force on the day of
        the sale (a dated price may have changed it)."""
        session = object_session(appt)
        assert session is not None  # loaded in the caller's unit of work
        rate = service_price_on(session, service.id, self._shop.today()).tax_rate_bp
        return LineDraft(service.name, 1, appt.price_minor, rate)

    @staticmethod
    def _next_receipt_value(session: Session) -> int:
        """Advance the gap-free counter inside the sale's own transaction.

        The row is created race-free on first use (INSERT ... ON CONFLICT DO NOTHING); the
        UPDATE then locks it until the sale commits, so numbers are never shared or skipped.
        """
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(Counter)
            .values(name=RECEIPT_COUNTER, value=0)
            .on_conflict_do_nothing(index_elements=[Counter.name])
        )
        advanced = session.execute(
            update(Counter)
            .where(Counter.name == RECEIPT_COUNTER)
            .values(value=Counter.value + 1)
            .returning(Counter.value)
        ).scalar_one()
        return int(advanced)


def _overridden(session: Session, appointment_id: int) -> bool:
    """Whether a reason to go past the safety gate was given for this appointment."""
    return (
        session.scalar(
            select(SafetyOverride.id).where(SafetyOverride.appointment_id == appointment_id)
        )
        is not None
    )


def _customer(session: Session, customer_id: int | None) -> Customer | None:
    if customer_id is None:
        return None
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise DomainError("That client no longer exists.")
    return customer


def _sellable_products(
    session: Session, wanted: Sequence[tuple[int, int]]
) -> list[tuple[Product, int]]:
    """The products of the basket with their quantities, in the basket's order; a product
    gone or archived is refused at its line (every such line at once)."""
    if not wanted:
        return []
    ids = [product_id for product_id, _ in wanted]
    found = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    errors: dict[str, DomainError] = {}
    for product_id in ids:
        field = f"product:{product_id}"
        product = found.get(product_id)
        if product is None:
            errors[field] = ValidationError(field, "That product no longer exists.")
        elif not product.active:
            errors[field] = ValidationError(field, ARCHIVED, product=product.name)
    if errors:
        raise FormErrors(errors)
    return [(found[product_id], quantity) for product_id, quantity in wanted]


def _product_line(product: Product, quantity: int) -> LineDraft:
    """A product's line: its name, the price and tax rate it has now."""
    return LineDraft(product.name, quantity, product.price_minor, product.tax_rate_bp)


def _take_off_stock(session: Session, sold: Sequence[tuple[Product, int]]) -> dict[int, int]:
    """Take every product's quantity off stock (in product id order, so two sales of the same
    products lock them in the same order), or refuse naming every line with too few."""
    after: dict[int, int] = {}
    errors: dict[str, DomainError] = {}
    for product, quantity in sorted(sold, key=lambda item: item[0].id):
        try:
            after[product.id] = change_stock(session, product.id, -quantity)
        except TooFewInStock as short:
            field = f"product:{product.id}"
            errors[field] = ValidationError(
                field, TOO_FEW, on_hand=short.on_hand, product=product.name
            )
    if errors:
        raise FormErrors(errors)
    return after


def _sale_line(
    draft: LineDraft,
    staff_id: int | None,
    *,
    service_id: int | None = None,
    product_id: int | None = None,
    appointment_id: int | None = None,
) -> SaleLine:
    return SaleLine(
        appointment_id=appointment_id,
        service_id=service_id,
        product_id=product_id,
        staff_id=staff_id,
        description=draft.description,
        quantity=draft.quantity,
        unit_price_minor=draft.unit_price_minor,
        tax_rate_bp=draft.tax_rate_bp,
        total_minor=draft.total_minor,
        tax_minor=draft.tax_minor,
    )
