"""Turning an appointment into a sale: lines, payment, receipt number, all in one transaction."""

from __future__ import annotations

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
    SafetyOverride,
    Sale,
    SaleLine,
    Service,
)
from db.models.counters import RECEIPT_COUNTER, format_receipt_number
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.checkout import LineDraft, PaymentMethod, payable, sale_totals, tender
from frontdesk.domain.errors import DomainError
from frontdesk.domain.money import Money
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.domain.shop_time import day_bounds_utc
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.catalogue import service_price_on
from frontdesk.services.client_search import note_visit
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.print_jobs import add_print_job
from frontdesk.services.receipts import build_receipt
from frontdesk.services.safety_gate import SafetyMatch, check, record_override, stop_unless_reason
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes
from printing.receipt import Receipt


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
    """One thing to pay for: the service, who did it, how long, and what it costs."""

    description: str
    therapist: str
    duration_minutes: int
    amount: Money


@dataclass(frozen=True)
class CheckoutQuote:
    """What the client will pay for an appointment, before anything is written."""

    appointment_id: int
    customer_name: str
    lines: tuple[QuoteLine, ...]
    total: Money
    tax: Money  # of which tax (prices include it)
    #: What the shop's rounding adds to the total (negative: takes off) paying in cash / by
    #: card; zero where the shop does not round.
    cash_rounding_minor: int = 0
    card_rounding_minor: int = 0
    #: The safety gate's matches for the client and the service (severe first).
    safety: tuple[SafetyMatch, ...] = ()
    #: Whether someone already gave a reason to go ahead (when booking): no second stop.
    safety_cleared: bool = False

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
    def quote(self, appointment_id: int) -> CheckoutQuote:
        with self._uow.read() as session:
            appt, service = self._payable(session, appointment_id)
            shop = self._shop.info()
            line = self._line(appt, service)
            totals = sale_totals([line])
            found = check(session, self._vault, [appt.customer_id], [service.id])
            return CheckoutQuote(
                appointment_id=appt.id,
                customer_name=display_name(appt.customer.first_name, appt.customer.last_name),
                lines=(
                    QuoteLine(
                        line.description,
                        appt.staff.display_name,
                        service.duration_minutes,
                        shop.amount(line.total_minor),
                    ),
                ),
                total=shop.amount(totals.total_minor),
                tax=shop.amount(totals.tax_minor),
                cash_rounding_minor=payable(totals, PaymentMethod.CASH, shop.rounding)[1],
                card_rounding_minor=payable(totals, PaymentMethod.CARD, shop.rounding)[1],
                safety=found,
                safety_cleared=bool(found) and _overridden(session, appt.id),
            )

    @writes
    def complete_sale(
        self,
        appointment_id: int,
        method: PaymentMethod,
        tendered_minor: int | None,
        cashier: SignedIn,
        *,
        safety_reason: str = "",
    ) -> CompletedSale:
        """Write the sale, its line, its payment, the next receipt number and the audit entry
        together; any failure leaves the database exactly as it was. A service matching the
        client's allergy or contraindication (the safety gate) is refused with SafetyStop unless
        a reason was given when booking or is given now (`safety_reason`, recorded)."""
        cashier.require(Permission.CHECKOUT)
        if cashier.staff_id is None:
            raise DomainError("Sign in to take payments.")
        now = self._clock.now()
        with self._uow.write() as session:
            appt, service = self._payable(session, appointment_id, lock=True)
            found = check(session, self._vault, [appt.customer_id], [service.id])
            if found and _overridden(session, appt.id):
                found = ()
            reason = stop_unless_reason(found, safety_reason)
            shop = self._shop.info()
            line = self._line(appt, service)
            totals = sale_totals([line])
            due, rounding = payable(totals, method, shop.rounding)
            payment = tender(
                method,
                due,
                tendered_minor,
                currency=shop.currency,
                locale=shop.locale,
            )
            number = format_receipt_number(self._next_receipt_value(session))
            sale = Sale(
                receipt_number=number,
                customer_id=appt.customer_id,
                cashier_id=cashier.staff_id,
                created_at=now,
                currency=shop.currency,
                total_minor=due,  # what was taken: the lines and the rounding
                tax_minor=totals.tax_minor,
            )
            sale.lines.append(
                SaleLine(
                    appointment_id=appt.id,
                    service_id=service.id,
                    staff_id=appt.staff_id,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price_minor=line.unit_price_minor,
                    tax_rate_bp=line.tax_rate_bp,
                    total_minor=line.total_minor,
                    tax_minor=line.tax_minor,
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
            appt.status = AppointmentStatus.COMPLETED.value
            note_visit(session, appt.customer_id, appt.starts_at)  # search: recent visitors first
            session.flush()
            record(
                session,
                at=now,
                staff_id=cashier.staff_id,
                action="sale.completed",
                entity="sale",
                entity_id=sale.id,
                detail=f"{number} {payment.method.value}",
            )
            if found:
                record_override(
                    session,
                    at=now,
                    staff_id=cashier.staff_id,
                    found=found,
                    reason=reason,
                    appointment_id=appt.id,
                    sale_id=sale.id,
                )
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
