"""Retail products: the catalogue of things the shop sells over the counter, and their stock.

Stock on hand changes only through an adjustment that says why (a delivery, a count, damage, a
return, a correction), each one a `StockMovement` with the count after it. Two terminals may
adjust the same product at once: the change is one `UPDATE ... SET stock = stock + n WHERE
stock + n >= 0 RETURNING stock` (a count locks the row first), so no update is lost and stock
never goes below zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.models import Product, ProductTag, Staff, StockMovement
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.money import Money
from frontdesk.domain.products import (
    ProductDraft,
    StockReason,
    check_adjustment,
    check_counted,
    running_low,
    validate_product,
)
from frontdesk.domain.roles import Permission
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: Movements shown with a product (the newest first).
MOVEMENTS_SHOWN = 100

INGREDIENT = "ingredient"
CONTRAINDICATION = "contraindication"


@dataclass(frozen=True)
class ProductView:
    """A product as lists, the till and exports see it."""

    id: int
    sku: str
    name: str
    barcode: str | None
    price: Money
    tax_rate_bp: int
    stock: int
    low_stock_level: int
    active: bool
    ingredients: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()

    @property
    def running_low(self) -> bool:
        return running_low(self.stock, self.low_stock_level)

    def draft(self) -> ProductDraft:
        """The product as a draft to edit and save again."""
        return ProductDraft(
            sku=self.sku,
            name=self.name,
            price_minor=self.price.minor,
            tax_rate_bp=self.tax_rate_bp,
            barcode=self.barcode,
            low_stock_level=self.low_stock_level,
            ingredients=self.ingredients,
            contraindications=self.contraindications,
        )


@dataclass(frozen=True)
class StockMovementView:
    """One change of stock: when (UTC), by how much, the count after it, why, and who."""

    at: datetime
    change: int
    stock_after: int
    reason: StockReason
    note: str
    by: str


@dataclass(frozen=True)
class ProductDetail:
    product: ProductView
    #: The newest first, at most MOVEMENTS_SHOWN.
    movements: tuple[StockMovementView, ...]


@dataclass(frozen=True)
class StockChange:
    """What an adjustment did."""

    product_id: int
    change: int
    stock_after: int


class ProductService:
    """Products: list, create and edit (MANAGE_CATALOGUE), and stock (ADJUST_STOCK)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    # -- reading ------------------------------------------------------------------------------

    @reads
    def products(self, viewer: SignedIn, include_archived: bool = False) -> list[ProductView]:
        """Every product by name (active ones only unless `include_archived`)."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        currency = self._shop.info().currency
        with self._uow.read() as session:
            query = select(Product).order_by(func.lower(Product.name), Product.id)
            if not include_archived:
                query = query.where(Product.active.is_(True))
            products = session.scalars(query).all()
            tags = _tags(session, [p.id for p in products])
            return [_view(p, currency, tags.get(p.id, {})) for p in products]

    @reads
    def product(self, product_id: int, viewer: SignedIn) -> ProductDetail:
        """One product with its latest stock movements."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        currency = self._shop.info().currency
        with self._uow.read() as session:
            product = session.get(Product, product_id)
            if product is None:
                raise DomainError("That product no longer exists.")
            tags = _tags(session, [product_id])
            rows = session.execute(
                select(StockMovement, Staff.display_name)
                .outerjoin(Staff, Staff.id == StockMovement.staff_id)
                .where(StockMovement.product_id == product_id)
                .order_by(StockMovement.at.desc(), StockMovement.id.desc())
                .limit(MOVEMENTS_SHOWN)
            ).all()
            movements = tuple(
                StockMovementView(
                    at=m.at,
                    change=m.change,
                    stock_after=m.stock_after,
                    reason=StockReason(m.reason),
                    note=m.note,
                    by=name or "",
                )
                for m, name in rows
            )
            return ProductDetail(_view(product, currency, tags.get(product_id, {})), movements)

    @reads
    def find_by_sku(self, sku: str) -> int | None:
        """The product with this SKU (ignoring case; archived ones too), or None."""
        with self._uow.read() as session:
            return session.scalar(
                select(Product.id).where(func.lower(Product.sku) == sku.strip().lower())
            )

    @reads
    def find_by_barcode(self, barcode: str) -> int | None:
        """The product with this barcode (archived ones too), or None."""
        code = barcode.strip()
        if not code:
            return None
        with self._uow.read() as session:
            return session.scalar(select(Product.id).where(Product.barcode == code))

    # -- changing products ------------------------------------------------------------------

    @writes
    def save_product(self, draft: ProductDraft, by: SignedIn, product_id: int | None = None) -> int:
        """Create (product_id None) or update a product; FormErrors changes nothing.

        A SKU or barcode another product has (an archived one too) is refused, naming it."""
        by.require(Permission.MANAGE_CATALOGUE)
        now = self._clock.now()
        with self._uow.write() as session:
            valid = _checked(session, draft, product_id)
            if product_id is None:
                product = Product(stock=0, active=True)
                session.add(product)
                changed = ["created"]
            else:
                found = session.get(Product, product_id)
                if found is None:
                    raise DomainError("That product no longer exists.")
                product = found
                changed = _changed_fields(product, valid)
            product.sku = valid.sku
            product.name = valid.name
            product.barcode = valid.barcode
            product.price_minor = valid.price_minor
            product.tax_rate_bp = valid.tax_rate_bp
            product.low_stock_level = valid.low_stock_level
            session.flush()
            if _replace_tags(session, product.id, valid):
                changed.append("tags")
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                action="product.created" if product_id is None else "product.updated",
                entity="product",
                entity_id=product.id,
                detail=" ".join(changed),
            )
            return product.id

    @writes
    def set_product_active(self, product_id: int, active: bool, by: SignedIn) -> None:
        """Archive (False) or restore (True) a product; past sales keep pointing to it."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            product = session.get(Product, product_id)
            if product is None:
                raise DomainError("That product no longer exists.")
            if product.active == active:
                return
            product.active = active
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="product.restored" if active else "product.archived",
                entity="product",
                entity_id=product_id,
            )

    # -- stock ---------------------------------------------------------------------------------

    @writes
    def adjust_stock(
        self, product_id: int, change: int, reason: StockReason, note: str, by: SignedIn
    ) -> StockChange:
        """Add (change > 0) or remove items, saying why; refused when it would go below zero."""
        by.require(Permission.ADJUST_STOCK)
        reason, note = check_adjustment(change, reason, note)
        with self._uow.write() as session:
            try:
                stock_after = change_stock(session, product_id, change)
            except TooFewInStock as short:
                raise FormErrors(
                    {
                        "change": ValidationError(
                            "change",
                            "Only {on_hand} on hand: stock cannot go below zero.",
                            on_hand=short.on_hand,
                        )
                    }
                ) from None
            self._moved(session, product_id, change, stock_after, reason, note, by)
            return StockChange(product_id, change, stock_after)

    @writes
    def count_stock(self, product_id: int, counted: int, note: str, by: SignedIn) -> StockChange:
        """A stock-take: stock on hand becomes `counted`; the movement records the difference."""
        by.require(Permission.ADJUST_STOCK)
        note = check_counted(counted, note)
        with self._uow.write() as session:
            # Locked until commit: an adjustment at another terminal waits, then adds to the count.
            before = session.scalar(
                select(Product.stock).where(Product.id == product_id).with_for_update()
            )
            if before is None:
                raise DomainError("That product no longer exists.")
            session.execute(update(Product).where(Product.id == product_id).values(stock=counted))
            change = counted - before
            self._moved(session, product_id, change, counted, StockReason.COUNT, note, by)
            return StockChange(product_id, change, counted)

    def _moved(
        self,
        session: Session,
        product_id: int,
        change: int,
        stock_after: int,
        reason: StockReason,
        note: str,
        by: SignedIn,
    ) -> None:
        now = self._clock.now()
        session.add(
            StockMovement(
                product_id=product_id,
                at=now,
                staff_id=by.staff_id,
                change=change,
                stock_after=stock_after,
                reason=reason.value,
                note=note,
            )
        )
        record(
            session,
            at=now,
            staff_id=by.staff_id,
            action="stock.adjusted",
            entity="product",
            entity_id=product_id,
            detail=f"{reason.value} {change:+d} = {stock_after}",
        )


class TooFewInStock(Exception):
    """`change_stock` refused: taking that many would leave less than nothing on hand. The
    caller says so in its own words (an adjustment, a sale's line)."""

    def __init__(self, product_id: int, on_hand: int) -> None:
        super().__init__(product_id, on_hand)
        self.product_id = product_id
        self.on_hand = on_hand


def change_stock(session: Session, product_id: int, change: int) -> int:
    """Add `change` (negative: take off) to the product's stock on hand, or refuse, in the
    caller's transaction; returns the stock after it.

    One guarded ``UPDATE ... SET stock = stock + n WHERE stock + n >= 0 RETURNING stock``: two
    terminals taking the last item at once cannot both have it (on PostgreSQL the second waits
    for the first's row lock, then finds too few). Raises TooFewInStock (with what is on hand)
    or DomainError when the product is gone. The caller writes the StockMovement."""
    stock_after = session.scalar(
        update(Product)
        .where(Product.id == product_id, Product.stock + change >= 0)
        .values(stock=Product.stock + change)
        .returning(Product.stock)
    )
    if stock_after is None:
        on_hand = session.scalar(select(Product.stock).where(Product.id == product_id))
        if on_hand is None:
            raise DomainError("That product no longer exists.")
        raise TooFewInStock(product_id, int(on_hand))
    return int(stock_after)


def _view(product: Product, currency: str, tags: dict[str, tuple[str, ...]]) -> ProductView:
    return ProductView(
        id=product.id,
        sku=product.sku,
        name=product.name,
        barcode=product.barcode,
        price=Money(product.price_minor, currency),
        tax_rate_bp=product.tax_rate_bp,
        stock=product.stock,
        low_stock_level=product.low_stock_level,
        active=product.active,
        ingredients=tags.get(INGREDIENT, ()),
        contraindications=tags.get(CONTRAINDICATION, ()),
    )


def _tags(session: Session, product_ids: list[int]) -> dict[int, dict[str, tuple[str, ...]]]:
    """Tags by product and kind, in the order they were added."""
    if not product_ids:
        return {}
    query = select(ProductTag).order_by(ProductTag.id)
    if len(product_ids) < 500:  # else read them all: cheaper than a huge IN list
        query = query.where(ProductTag.product_id.in_(product_ids))
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for tag in session.scalars(query):
        found[tag.product_id][tag.kind].append(tag.tag)
    return {pid: {k: tuple(v) for k, v in kinds.items()} for pid, kinds in found.items()}


def _checked(session: Session, draft: ProductDraft, product_id: int | None) -> ProductDraft:
    """The draft as it may be stored, or FormErrors naming every bad field (a SKU or barcode
    another product has, archived ones too, among them)."""
    errors: dict[str, DomainError] = {}
    valid: ProductDraft | None = None
    try:
        valid = validate_product(draft)
    except FormErrors as refused:
        errors.update(refused.errors)
    checks = []
    sku, barcode = draft.sku.strip(), (draft.barcode or "").strip()
    if "sku" not in errors:
        checks.append(("sku", func.lower(Product.sku) == sku.lower()))
    if barcode and "barcode" not in errors:
        checks.append(("barcode", Product.barcode == barcode))
    for field, condition in checks:
        query = select(Product.name, Product.active).where(condition)
        if product_id is not None:
            query = query.where(Product.id != product_id)
        other = session.execute(query.limit(1)).first()
        if other is None:
            continue
        if field == "sku":
            text = (
                words("The product “{other}” already has this SKU.")
                if other.active
                else words(
                    "The archived product “{other}” already has this SKU: restore it instead."
                )
            )
        else:
            text = (
                words("The product “{other}” already has this barcode.")
                if other.active
                else words("The archived product “{other}” already has this barcode.")
            )
        errors[field] = ValidationError(field, text, other=other.name)
    if errors or valid is None:
        raise FormErrors(errors)
    return valid


def _changed_fields(product: Product, draft: ProductDraft) -> list[str]:
    """Which fields an edit changes (for the audit log: names only, never values)."""
    fields = {
        "sku": (product.sku, draft.sku),
        "name": (product.name, draft.name),
        "barcode": (product.barcode, draft.barcode),
        "price": (product.price_minor, draft.price_minor),
        "tax_rate": (product.tax_rate_bp, draft.tax_rate_bp),
        "low_stock_level": (product.low_stock_level, draft.low_stock_level),
    }
    return [name for name, (old, new) in fields.items() if old != new]


def _replace_tags(session: Session, product_id: int, draft: ProductDraft) -> bool:
    """Make the product's tags those of the draft; True when they changed."""
    wanted = [(INGREDIENT, t) for t in draft.ingredients] + [
        (CONTRAINDICATION, t) for t in draft.contraindications
    ]
    current = [
        (t.kind, t.tag)
        for t in session.scalars(
            select(ProductTag).where(ProductTag.product_id == product_id).order_by(ProductTag.id)
        )
    ]
    if current == wanted:
        return False
    session.execute(delete(ProductTag).where(ProductTag.product_id == product_id))
    session.add_all(ProductTag(product_id=product_id, kind=k, tag=t) for k, t in wanted)
    session.flush()
    return True
