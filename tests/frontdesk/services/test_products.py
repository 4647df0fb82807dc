"""Retail products and their stock: the rules a back office and an import rely on."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, StockMovement
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.products import ProductDraft, StockReason
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.products import ProductService
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop


def _service(database: UnitOfWork, clock: FixedClock) -> ProductService:
    return ProductService(database, clock, ShopService(database, clock))


@pytest.fixture
def owner(shop: SeededShop) -> SignedIn:
    return SignedIn(shop.owner_id, "Olivia Owner", Role.OWNER)


@pytest.fixture
def products(database: UnitOfWork, clock: FixedClock) -> ProductService:
    return _service(database, clock)


OIL = ProductDraft(
    sku="OIL-50",
    name="Lavender Massage Oil 50 ml",
    price_minor=1850,
    tax_rate_bp=2000,
    barcode="5012345678900",
    low_stock_level=3,
    ingredients=("lavender oil", "almond oil"),
    contraindications=("pregnancy",),
)


def _audits(database: UnitOfWork, action: str) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).where(AuditEntry.action == action)) or 0)


def test_a_product_is_saved_with_its_tags_and_found_by_sku_and_barcode(
    products: ProductService, owner: SignedIn, database: UnitOfWork
) -> None:
    pid = products.save_product(OIL, owner)

    [view] = products.products(owner)
    assert view.id == pid
    assert (view.sku, view.name, view.price.minor, view.price.currency) == (
        "OIL-50",
        "Lavender Massage Oil 50 ml",
        1850,
        "GBP",
    )
    assert view.ingredients == ("lavender oil", "almond oil")
    assert view.contraindications == ("pregnancy",)
    assert view.stock == 0
    assert view.running_low  # 0 on hand, level 3
    assert products.find_by_sku("oil-50") == pid
    assert products.find_by_sku("nope") is None
    assert products.find_by_barcode("5012345678900") == pid
    assert _audits(database, "product.created") == 1


def test_editing_replaces_tags_and_keeps_stock(products: ProductService, owner: SignedIn) -> None:
    pid = products.save_product(OIL, owner)
    products.adjust_stock(pid, 5, StockReason.DELIVERY, "", owner)
    edited = ProductDraft(
        sku="OIL-50",
        name="Lavender Oil",
        price_minor=1900,
        tax_rate_bp=2000,
        ingredients=("Lavender oil", "LAVENDER OIL ", "jojoba"),
    )
    assert products.save_product(edited, owner, pid) == pid

    detail = products.product(pid, owner)
    assert detail.product.name == "Lavender Oil"
    assert detail.product.barcode is None
    assert detail.product.ingredients == ("Lavender oil", "jojoba")  # repeats once
    assert detail.product.contraindications == ()
    assert detail.product.stock == 5


def test_every_bad_field_is_named_at_once_and_nothing_is_saved(
    products: ProductService, owner: SignedIn
) -> None:
    bad = ProductDraft(
        sku="  ",
        name="",
        price_minor=-1,
        tax_rate_bp=10_001,
        barcode="12 34",
        low_stock_level=-2,
    )
    with pytest.raises(FormErrors) as caught:
        products.save_product(bad, owner)
    assert set(caught.value.errors) == {
        "sku",
        "name",
        "price",
        "tax_rate",
        "barcode",
        "low_stock_level",
    }
    assert "over 100" in caught.value.errors["tax_rate"].message
    assert products.products(owner, include_archived=True) == []


def test_a_duplicate_sku_or_barcode_is_refused_naming_the_other_even_archived(
    products: ProductService, owner: SignedIn
) -> None:
    first = products.save_product(OIL, owner)
    products.set_product_active(first, False, owner)
    copy = ProductDraft("oil-50", "Another oil", 1000, 2000, barcode="5012345678900")
    with pytest.raises(FormErrors) as caught:
        products.save_product(copy, owner)
    errors = caught.value.errors
    assert set(errors) == {"sku", "barcode"}
    assert "Lavender Massage Oil 50 ml" in errors["sku"].message
    assert "archived" in errors["sku"].message
    assert [p.name for p in products.products(owner, include_archived=True)] == [OIL.name]
    # its own SKU and barcode are no duplicate
    products.save_product(OIL, owner, first)


def test_archive_and_restore(
    products: ProductService, owner: SignedIn, database: UnitOfWork
) -> None:
    pid = products.save_product(OIL, owner)
    products.set_product_active(pid, False, owner)
    assert products.products(owner) == []
    assert [p.active for p in products.products(owner, include_archived=True)] == [False]
    products.set_product_active(pid, True, owner)
    assert [p.id for p in products.products(owner)] == [pid]
    assert _audits(database, "product.archived") == 1
    assert _audits(database, "product.restored") == 1


def test_stock_changes_only_with_a_reason_and_keeps_a_history(
    products: ProductService, owner: SignedIn, shop: SeededShop, database: UnitOfWork
) -> None:
    pid = products.save_product(OIL, owner)
    assert products.adjust_stock(pid, 12, StockReason.DELIVERY, "Order 55", owner).stock_after == 12
    assert products.adjust_stock(pid, -2, StockReason.DAMAGE, "Leaked", owner).stock_after == 10
    assert products.adjust_stock(pid, 1, StockReason.RETURN, "", owner).stock_after == 11
    counted = products.count_stock(pid, 9, "Stock-take", owner)
    assert (counted.change, counted.stock_after) == (-2, 9)

    detail = products.product(pid, owner)
    assert detail.product.stock == 9
    assert [(m.reason, m.change, m.stock_after) for m in detail.movements] == [
        (StockReason.COUNT, -2, 9),
        (StockReason.RETURN, 1, 11),
        (StockReason.DAMAGE, -2, 10),
        (StockReason.DELIVERY, 12, 12),
    ]
    assert detail.movements[-1].note == "Order 55"
    assert detail.movements[0].by == "Olivia Owner"
    assert _audits(database, "stock.adjusted") == 4


@pytest.mark.parametrize(
    ("change", "reason", "note", "field"),
    [
        (0, StockReason.DELIVERY, "", "change"),
        (-3, StockReason.DELIVERY, "", "change"),
        (3, StockReason.DAMAGE, "", "change"),
        (2, StockReason.CORRECTION, "", "stock_note"),
        (2, StockReason.COUNT, "", "reason"),
        (2, StockReason.DELIVERY, "x" * 201, "stock_note"),
    ],
)
def test_an_adjustment_that_contradicts_its_reason_is_refused(
    products: ProductService,
    owner: SignedIn,
    change: int,
    reason: StockReason,
    note: str,
    field: str,
) -> None:
    pid = products.save_product(OIL, owner)
    with pytest.raises(FormErrors) as caught:
        products.adjust_stock(pid, change, reason, note, owner)
    assert field in caught.value.errors
    assert products.product(pid, owner).movements == ()


def test_stock_never_goes_below_zero(
    products: ProductService, owner: SignedIn, database: UnitOfWork
) -> None:
    pid = products.save_product(OIL, owner)
    products.adjust_stock(pid, 2, StockReason.DELIVERY, "", owner)
    with pytest.raises(FormErrors) as caught:
        products.adjust_stock(pid, -3, StockReason.DAMAGE, "", owner)
    assert "Only 2 on hand" in caught.value.errors["change"].message
    with pytest.raises(FormErrors):
        products.count_stock(pid, -1, "", owner)
    assert products.product(pid, owner).product.stock == 2
    with database.read() as s:
        assert s.scalar(select(func.count(StockMovement.id))) == 1


def test_who_may_do_what(products: ProductService, owner: SignedIn, shop: SeededShop) -> None:
    pid = products.save_product(OIL, owner)
    desk = SignedIn(shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)
    manager = SignedIn(None, "Max Manager", Role.MANAGER)
    with pytest.raises(NotPermitted):
        products.save_product(OIL, desk, pid)
    with pytest.raises(NotPermitted):
        products.adjust_stock(pid, 1, StockReason.DELIVERY, "", desk)
    with pytest.raises(NotPermitted):
        products.products(desk)
    products.adjust_stock(pid, 1, StockReason.DELIVERY, "", manager)
    products.save_product(OIL, manager, pid)


def test_a_missing_product_says_so(products: ProductService, owner: SignedIn) -> None:
    with pytest.raises(DomainError, match="no longer exists"):
        products.adjust_stock(999, 1, StockReason.DELIVERY, "", owner)
    with pytest.raises(DomainError, match="no longer exists"):
        products.count_stock(999, 1, "", owner)
    with pytest.raises(DomainError, match="no longer exists"):
        products.save_product(OIL, owner, 999)


TERMINALS = 6
ADJUSTMENTS = 5


def test_terminals_adjusting_at_once_lose_no_update(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    """Six terminals, each on its own connection, add and remove at the same moment; a count
    runs among them. Every movement's stock_after chains exactly, and the total adds up."""
    products = _service(backend_db, clock)
    owner = SignedIn(backend_shop.owner_id, "Olivia Owner", Role.OWNER)
    pid = products.save_product(OIL, owner)
    products.adjust_stock(pid, 100, StockReason.DELIVERY, "", owner)
    barrier = threading.Barrier(TERMINALS)
    errors: list[BaseException] = []

    def terminal(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(ADJUSTMENTS):
                if i % 2:
                    products.adjust_stock(pid, 3, StockReason.DELIVERY, "", owner)
                else:
                    products.adjust_stock(pid, -1, StockReason.DAMAGE, "", owner)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=terminal, args=(i,)) for i in range(TERMINALS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert errors == []

    expected = 100 + (TERMINALS // 2) * ADJUSTMENTS * 3 - (TERMINALS // 2) * ADJUSTMENTS
    assert products.product(pid, owner).product.stock == expected
    with backend_db.read() as s:
        moves = s.scalars(
            select(StockMovement).where(StockMovement.product_id == pid).order_by(StockMovement.id)
        ).all()
    # Each movement's count follows from the one before: no update was lost or applied twice.
    assert len(moves) == 1 + TERMINALS * ADJUSTMENTS
    assert sum(m.change for m in moves) == expected
    # (ids follow the order the row lock was taken in, so each starts where the last ended)
    for before, after in itertools.pairwise(moves):
        assert after.stock_after - after.change == before.stock_after


def test_removals_racing_for_the_last_items_never_go_below_zero(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    products = _service(backend_db, clock)
    owner = SignedIn(backend_shop.owner_id, "Olivia Owner", Role.OWNER)
    pid = products.save_product(OIL, owner)
    products.adjust_stock(pid, 3, StockReason.DELIVERY, "", owner)
    barrier = threading.Barrier(TERMINALS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def terminal(_i: int) -> None:
        barrier.wait(timeout=30)
        try:
            products.adjust_stock(pid, -1, StockReason.DAMAGE, "", owner)
            result = "removed"
        except FormErrors:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=terminal, args=(i,)) for i in range(TERMINALS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["refused"] * 3 + ["removed"] * 3
    assert products.product(pid, owner).product.stock == 0


def test_a_count_among_adjustments_keeps_every_movement_chained(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    """A stock-take at one terminal while others deliver and remove: the count locks the row,
    so each movement starts from the count the one before left, and the stock is the last."""
    products = _service(backend_db, clock)
    owner = SignedIn(backend_shop.owner_id, "Olivia Owner", Role.OWNER)
    pid = products.save_product(OIL, owner)
    products.adjust_stock(pid, 50, StockReason.DELIVERY, "", owner)
    barrier = threading.Barrier(TERMINALS)
    errors: list[BaseException] = []

    def terminal(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for round_ in range(ADJUSTMENTS):
                if i == 0:
                    products.count_stock(pid, 40 + round_, "stock-take", owner)
                elif i % 2:
                    products.adjust_stock(pid, 2, StockReason.DELIVERY, "", owner)
                else:
                    products.adjust_stock(pid, -1, StockReason.DAMAGE, "", owner)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=terminal, args=(i,)) for i in range(TERMINALS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert errors == []
    with backend_db.read() as s:
        moves = s.scalars(
            select(StockMovement).where(StockMovement.product_id == pid).order_by(StockMovement.id)
        ).all()
    assert len(moves) == 1 + TERMINALS * ADJUSTMENTS
    for before, after in itertools.pairwise(moves):
        assert after.stock_after - after.change == before.stock_after
    assert products.product(pid, owner).product.stock == moves[-1].stock_after
