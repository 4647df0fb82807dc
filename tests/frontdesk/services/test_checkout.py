from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Appointment, AuditEntry, Counter, Payment, Sale, SaleLine
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.money import Money
from frontdesk.services import checkout as checkout_module
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.checkout import AlreadyPaid, CheckoutService, QuoteLine
from frontdesk.services.clock import FixedClock
from frontdesk.services.receipts import ReceiptService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import PIN, SeededShop


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.receptionist_id, PIN)


@pytest.fixture
def checkout(database: UnitOfWork, clock: FixedClock) -> CheckoutService:
    return CheckoutService(database, clock)


def _counts(database: UnitOfWork) -> tuple[int, int, int, int]:
    with database.read() as s:
        return (
            s.scalar(select(func.count(Sale.id))) or 0,
            s.scalar(select(func.count(SaleLine.id))) or 0,
            s.scalar(select(func.count(Payment.id))) or 0,
            s.scalar(select(func.coalesce(func.max(Counter.value), 0))) or 0,
        )


def test_quote_then_cash_sale_with_change(
    checkout: CheckoutService, desk: SignedIn, shop: SeededShop, database: UnitOfWork
) -> None:
    quote = checkout.quote(shop.morning_appt_id)
    assert (quote.customer_name, quote.total, quote.tax) == (
        "Anna Smith",
        Money(8500, "GBP"),
        Money(1417, "GBP"),
    )
    assert quote.lines == (
        QuoteLine("Deep Tissue Massage", "Tom Therapist", 60, Money(8500, "GBP")),
    )
    sale = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    assert (sale.receipt_number, sale.method, sale.total, sale.change) == (
        "R-000001",
        PaymentMethod.CASH,
        Money(8500, "GBP"),
        Money(1500, "GBP"),
    )
    receipt = sale.receipt
    assert receipt.customer == "Anna Smith"
    assert receipt.open_drawer
    assert ("Change", "£15.00") in receipt.payments
    assert ("incl. tax 20%", "£14.17") in receipt.totals
    assert receipt.issued_at.startswith("23 Nov 2026")  # shown in the shop's zone
    assert _counts(database) == (1, 1, 1, 1)
    with database.read() as s:
        appt = s.get(Appointment, shop.morning_appt_id)
        assert appt is not None
        assert appt.status == "completed"
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entity == "sale")) == (
            "sale.completed"
        )


def test_receipt_numbers_are_gap_free_and_reprints_do_not_open_the_drawer(
    checkout: CheckoutService, desk: SignedIn, shop: SeededShop, database: UnitOfWork
) -> None:
    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, None, desk)
    with pytest.raises(ValidationError):  # a failed payment must not use up a number
        checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, 1, desk)
    second = checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, desk)
    assert second.receipt_number == "R-000002"
    assert not second.receipt.open_drawer
    reprint = ReceiptService(database).receipt_for("R-000001")
    assert reprint.number == "R-000001"
    assert not reprint.open_drawer
    with pytest.raises(DomainError, match="no sale with receipt number"):
        ReceiptService(database).receipt_for("R-999999")


def test_an_appointment_is_paid_once(
    checkout: CheckoutService, desk: SignedIn, shop: SeededShop
) -> None:
    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    with pytest.raises(AlreadyPaid):
        checkout.quote(shop.morning_appt_id)
    with pytest.raises(AlreadyPaid):
        checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)


def test_a_failure_mid_sale_leaves_nothing_behind(
    checkout: CheckoutService,
    desk: SignedIn,
    shop: SeededShop,
    database: UnitOfWork,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkout_module, "record", disk_full)
    with pytest.raises(OSError, match="No space left"):
        checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    assert _counts(database) == (0, 0, 0, 0)
    with database.read() as s:
        appt = s.get(Appointment, shop.morning_appt_id)
        assert appt is not None
        assert appt.status == "booked"


def test_therapists_cannot_take_payments_and_cancelled_visits_cannot_be_paid(
    checkout: CheckoutService,
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    therapist = AuthService(database, clock).sign_in(shop.therapist_id, PIN)
    with pytest.raises(NotPermitted):
        checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, therapist)
    with database.write() as s:
        appt = s.get(Appointment, shop.afternoon_appt_id)
        assert appt is not None
        appt.status = "cancelled"
    with pytest.raises(DomainError, match="cancelled"):
        checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, desk)
    with pytest.raises(DomainError, match="no longer exists"):
        checkout.quote(99999)
    assert _counts(database) == (0, 0, 0, 0)


def test_sale_time_is_stored_utc_and_reported_on_the_local_day(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    clock.instant += timedelta(hours=13, minutes=30)  # 23:30 London, still 23 Nov
    CheckoutService(database, clock).complete_sale(
        shop.afternoon_appt_id, PaymentMethod.CARD, None, desk
    )
    with database.read() as s:
        sale = s.scalars(select(Sale)).one()
        assert sale.created_at == clock.instant


def test_the_waiting_list_is_todays_unpaid_payable_visits_in_time_order(
    checkout: CheckoutService,
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    waiting = checkout.waiting(desk)
    assert [(w.appointment_id, w.customer_name, w.service_name, w.price) for w in waiting] == [
        (shop.morning_appt_id, "Anna Smith", "Deep Tissue Massage", Money(8500, "GBP")),
        (shop.afternoon_appt_id, "王芳", "Hot Stone Facial", Money(6000, "GBP")),
    ]
    assert waiting[0].starts_at == clock.instant  # an aware instant, formatted by the ui
    assert waiting[0].ends_at - waiting[0].starts_at == timedelta(minutes=60)

    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    with database.write() as s:
        appt = s.get(Appointment, shop.afternoon_appt_id)
        assert appt is not None
        appt.status = "no_show"
    assert checkout.waiting(desk) == ()

    therapist = AuthService(database, clock).sign_in(shop.therapist_id, PIN)
    with pytest.raises(NotPermitted):
        checkout.waiting(therapist)


def test_the_waiting_list_is_the_shops_day_not_the_computers(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    clock.instant += timedelta(hours=14)  # 00:00 in London on 24 Nov: a new day, nobody due
    assert CheckoutService(database, clock).waiting(desk) == ()


def test_a_sale_is_announced_once_with_its_appointment_and_print_job(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    heard: list[Changes] = []
    database.subscribe(heard.append)
    checkout = CheckoutService(database, clock, print_station="desk-1")
    with database.acting(desk.staff_id):
        sale = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    assert sale.print_job_id is not None
    [changes] = heard  # one action, one announcement: sale, appointment and job together
    assert changes.touches_id(ChangeKind.SALES, sale.sale_id)
    assert changes.touches_id(ChangeKind.APPOINTMENTS, shop.morning_appt_id)
    assert changes.touches_id(ChangeKind.PRINT_JOBS, sale.print_job_id)
    assert changes.actor_staff_id == desk.staff_id


def test_a_refused_payment_announces_nothing(
    checkout: CheckoutService, database: UnitOfWork, shop: SeededShop, desk: SignedIn
) -> None:
    heard: list[Changes] = []
    database.subscribe(heard.append)
    with pytest.raises(ValidationError):
        checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, 1, desk)
    assert heard == []
