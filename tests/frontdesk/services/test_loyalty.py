"""Loyalty: earning with a sale (on the receipt), adjustments, the scheme, races on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, LoyaltyEntry, Sale
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.errors import FormErrors
from frontdesk.domain.loyalty import Tier, TierDraft
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.loyalty import LoyaltyService, earn_for_sale, reverse_for_sale
from frontdesk.services.receipts import ReceiptService
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from printing.escpos_layout import PrinterProfile, render_receipt
from tests.seed import PIN, SeededShop


def _signed(db: UnitOfWork, clock: FixedClock, staff_id: int) -> SignedIn:
    return AuthService(db, clock).sign_in(staff_id, PIN)


def _loyalty(db: UnitOfWork, clock: FixedClock) -> LoyaltyService:
    return LoyaltyService(db, clock, ShopService(db, clock))


def _sales(db: UnitOfWork, shop: SeededShop, clock: FixedClock, amounts: list[int]) -> list[int]:
    with db.write() as s:
        sales = [
            Sale(
                receipt_number=f"T-{i:06d}",
                customer_id=shop.anna_id,
                cashier_id=shop.receptionist_id,
                created_at=clock.now() - timedelta(days=30),
                currency="GBP",
                total_minor=amount,
                tax_minor=0,
            )
            for i, amount in enumerate(amounts)
        ]
        s.add_all(sales)
        s.flush()
        return [sale.id for sale in sales]


def test_a_sale_earns_points_that_the_receipt_shows_and_a_reprint_repeats(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    desk = _signed(backend_db, clock, backend_shop.receptionist_id)
    owner = _signed(backend_db, clock, backend_shop.owner_id)
    loyalty = _loyalty(backend_db, clock)
    loyalty.save_tiers(2, [TierDraft("Gold", 0, 150)], owner)
    sale = CheckoutService(backend_db, clock).complete_sale(
        backend_shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    # £85.00 x 2 points per pound x 150% (Gold from the first penny)
    assert ("Points earned", "255") in sale.receipt.payments
    assert ("Points balance", "255") in sale.receipt.payments
    printed = render_receipt(sale.receipt, PrinterProfile())
    assert b"Points earned" in printed
    assert b"255" in printed
    copy = ReceiptService(backend_db, clock).receipt_for(sale.receipt_number)
    assert ("Points earned", "255") in copy.payments
    history = loyalty.history(backend_shop.anna_id, desk)
    assert history.standing.points == 255
    assert history.standing.tier_name == "Gold"
    assert history.standing.lifetime_spend_minor == 8500
    assert [(e.points, e.reason, e.receipt_number) for e in history.entries] == [
        (255, "earned", sale.receipt_number)
    ]


def test_no_points_when_the_scheme_is_off(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    owner = _signed(database, clock, shop.owner_id)
    desk = _signed(database, clock, shop.receptionist_id)
    _loyalty(database, clock).save_tiers(0, [], owner)
    sale = CheckoutService(database, clock).complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    assert not any(label.startswith("Points") for label, _ in sale.receipt.payments)
    with database.read() as s:
        assert s.scalar(select(func.count(LoyaltyEntry.id))) == 0


def test_the_receipt_shows_points_in_the_shops_language(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    from db.models import ShopProfile

    with database.write() as s:
        profile = s.scalars(select(ShopProfile)).one()
        profile.locale = "ru_RU"
    desk = _signed(database, clock, shop.receptionist_id)
    sale = CheckoutService(database, clock).complete_sale(
        shop.morning_appt_id, PaymentMethod.CARD, None, desk
    )
    assert ("Начислено баллов", "85") in sale.receipt.payments


def test_tier_percent_applies_from_the_spend_before_the_sale(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    owner = _signed(database, clock, shop.owner_id)
    loyalty = _loyalty(database, clock)
    loyalty.save_tiers(1, [TierDraft("Silver", 10_000, 200)], owner)
    first, second = _sales(database, shop, clock, [10_000, 5_050])
    with database.write() as s:
        assert earn_for_sale(s, first, clock.now()) == 100  # not Silver yet
        assert earn_for_sale(s, second, clock.now()) == 100  # Silver: 50 x 200%
        assert earn_for_sale(s, second, clock.now()) == 0  # never twice
    assert loyalty.history(shop.anna_id, owner).standing.tier_name == "Silver"


def test_adjust_needs_a_reason_and_never_overdraws_and_is_audited(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    owner = _signed(backend_db, clock, backend_shop.owner_id)
    desk = _signed(backend_db, clock, backend_shop.receptionist_id)
    loyalty = _loyalty(backend_db, clock)
    with pytest.raises(NotPermitted):
        loyalty.adjust(backend_shop.anna_id, 10, "goodwill", desk)
    with pytest.raises(FormErrors) as caught:
        loyalty.adjust(backend_shop.anna_id, -1, "  ", owner)
    assert set(caught.value.errors) == {"reason", "points"}
    assert loyalty.adjust(backend_shop.anna_id, 50, "Birthday gift", owner) == 50
    assert loyalty.adjust(backend_shop.anna_id, -20, "Redeemed a scrub", owner) == 30
    with pytest.raises(FormErrors):
        loyalty.adjust(backend_shop.anna_id, -31, "too much", owner)
    history = loyalty.history(backend_shop.anna_id, owner)
    assert history.standing.points == 30
    assert [e.note for e in history.entries] == ["Redeemed a scrub", "Birthday gift"]
    with backend_db.read() as s:
        details = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "loyalty.adjusted")
        ).all()
    assert sorted(details) == ["+50 points", "-20 points"]  # never the reason's words


def test_therapists_see_the_tier_but_neither_points_nor_spend(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    """Points are earned per currency unit: a balance or a ledger tells the spend."""
    therapist = _signed(database, clock, shop.therapist_id)
    owner = _signed(database, clock, shop.owner_id)
    loyalty = _loyalty(database, clock)
    loyalty.save_tiers(1, [TierDraft("Silver", 0, 120)], owner)
    loyalty.adjust(shop.anna_id, 40, "Welcome", owner)
    history = loyalty.history(shop.anna_id, therapist)
    assert history.points_hidden
    assert history.entries == ()
    standing = history.standing
    assert (standing.points, standing.tier_name, standing.lifetime_spend_minor) == (
        0,
        "Silver",
        None,
    )
    assert loyalty.history(shop.anna_id, owner).standing.points == 40


def test_scheme_saved_replaces_tiers_and_bad_input_changes_nothing(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    owner = _signed(database, clock, shop.owner_id)
    desk = _signed(database, clock, shop.receptionist_id)
    loyalty = _loyalty(database, clock)
    loyalty.save_tiers(3, [TierDraft("Gold", 200, 150), TierDraft("Silver", 100, 120)], owner)
    with pytest.raises(FormErrors):
        loyalty.save_tiers(-1, [TierDraft("", 0, 100)], owner)
    with pytest.raises(NotPermitted):
        loyalty.save_tiers(1, [], desk)
    scheme = loyalty.tiers(owner)
    assert scheme.points_per_unit == 3
    assert scheme.tiers == (Tier("Silver", 100, 120), Tier("Gold", 200, 150))
    loyalty.save_tiers(3, [TierDraft("Gold", 300, 150)], owner)
    assert loyalty.tiers(owner).tiers == (Tier("Gold", 300, 150),)


def test_a_refund_takes_back_at_most_the_balance(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    owner = _signed(database, clock, shop.owner_id)
    loyalty = _loyalty(database, clock)
    (sale_id,) = _sales(database, shop, clock, [10_000])
    with database.write() as s:
        earn_for_sale(s, sale_id, clock.now())
    loyalty.adjust(shop.anna_id, -60, "Redeemed", owner)
    with database.write() as s:
        assert reverse_for_sale(s, sale_id, clock.now()) == -40
        assert reverse_for_sale(s, sale_id, clock.now()) == 0
    assert loyalty.history(shop.anna_id, owner).standing.points == 0


@pytest.mark.postgres
def test_concurrent_earning_and_spending_on_postgresql_loses_nothing(
    pg_engine: object, clock: FixedClock
) -> None:
    from db.migrate import upgrade_to_head
    from tests.conftest import NOW
    from tests.seed import seed_small_shop

    upgrade_to_head(pg_engine)  # type: ignore[arg-type]
    db = UnitOfWork(pg_engine)  # type: ignore[arg-type]
    shop = seed_small_shop(db, NOW)
    owner = _signed(db, clock, shop.owner_id)
    loyalty = _loyalty(db, clock)
    sale_ids = _sales(db, shop, clock, [1000] * 8)
    loyalty.adjust(shop.anna_id, 50, "Opening balance", owner)
    barrier = threading.Barrier(len(sale_ids) + 4)
    errors: list[BaseException] = []
    refused: list[int] = []

    def earn(sale_id: int) -> None:
        barrier.wait(timeout=30)
        try:
            db.run(lambda: _earn(db, sale_id, clock))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def spend() -> None:
        barrier.wait(timeout=30)
        try:
            loyalty.adjust(shop.anna_id, -20, "Redeemed", owner)
        except FormErrors:
            refused.append(1)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=earn, args=(i,)) for i in sale_ids]
    threads += [threading.Thread(target=spend) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    with db.read() as s:
        earned = s.scalar(
            select(func.count(LoyaltyEntry.id)).where(LoyaltyEntry.reason == "earned")
        )
        total = s.scalar(select(func.sum(LoyaltyEntry.points)))
    assert earned == 8
    spent = 20 * (4 - len(refused))
    assert total == 50 + 80 - spent >= 0
    assert loyalty.history(shop.anna_id, owner).standing.points == total


def _earn(db: UnitOfWork, sale_id: int, clock: FixedClock) -> int:
    with db.write() as s:
        return earn_for_sale(s, sale_id, clock.now())
