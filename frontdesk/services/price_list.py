"""Moving a menu in and out: a price list file of services and products, previewed, imported
all or nothing, and exported so that the export imports unchanged.

Reading the file is frontdesk/domain/price_list.py; writing goes through the catalogue's and the
products' own use cases (their rules, their audit entries), all inside one unit of work: a row
refused by any rule leaves the whole import unsaved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from babel.numbers import get_decimal_symbol

from frontdesk.domain.catalogue import ServiceDraft, check_service
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.price_list import (
    AUTO,
    NO_ROWS,
    NOTHING_IMPORTED,
    PriceColumn,
    PriceListError,
    ProductRow,
    ReadRows,
    RowError,
    ServiceRow,
    decode,
    guess_mapping,
    read_rows,
    read_table,
    write_csv,
)
from frontdesk.domain.products import ProductDraft, validate_product
from frontdesk.domain.roles import Permission
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.catalogue import CatalogueService
from frontdesk.services.clock import Clock
from frontdesk.services.products import ProductService
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: How many of the file's rows a preview shows as they will be read.
SAMPLE_ROWS = 8
#: Which file column a draft's field came from, to name it beside a row's error.
_SERVICE_FIELDS = {
    "category": PriceColumn.CATEGORY,
    "name": PriceColumn.NAME,
    "duration": PriceColumn.DURATION,
    "duration_minutes": PriceColumn.DURATION,
    "buffer": PriceColumn.BUFFER,
    "buffer_minutes": PriceColumn.BUFFER,
    "price": PriceColumn.PRICE,
    "service_price": PriceColumn.PRICE,
    "tax_rate": PriceColumn.TAX,
    "service_tax_rate": PriceColumn.TAX,
    "room_kind": PriceColumn.ROOM_KIND,
    "capacity": PriceColumn.CAPACITY,
    "capacity_used": PriceColumn.CAPACITY,
    "ingredients": PriceColumn.INGREDIENTS,
    "contraindications": PriceColumn.CONTRAINDICATIONS,
}
_PRODUCT_FIELDS = {
    "sku": PriceColumn.SKU,
    "name": PriceColumn.NAME,
    "barcode": PriceColumn.BARCODE,
    "price": PriceColumn.PRICE,
    "tax_rate": PriceColumn.TAX,
    "low_stock_level": PriceColumn.LOW_STOCK,
    "ingredients": PriceColumn.INGREDIENTS,
    "contraindications": PriceColumn.CONTRAINDICATIONS,
    "stock": PriceColumn.STOCK,
    "change": PriceColumn.STOCK,
}


class ImportRefused(DomainError):
    """Nothing was imported: rows have errors (each in `errors`)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(NOTHING_IMPORTED, n=len(errors))
        self.errors = tuple(errors)


@dataclass(frozen=True)
class Preview:
    """A file as it will be read: its encoding, columns, first rows, what it would add and
    update, and every row error (nothing is written by a preview)."""

    encoding: str
    tried: tuple[str, ...]
    delimiter: str
    headers: tuple[str, ...]
    mapping: tuple[PriceColumn | None, ...]
    sample: tuple[tuple[int, tuple[str, ...]], ...]
    rows: int
    services_new: int
    services_updated: int
    products_new: int
    products_updated: int
    errors: tuple[RowError, ...]
    #: Rows that match a stored record exactly: importing leaves them alone.
    unchanged: int = 0

    @property
    def importable(self) -> bool:
        return (
            not self.errors
            and (
                self.services_new
                + self.services_updated
                + self.products_new
                + self.products_updated
            )
            > 0
        )


@dataclass(frozen=True)
class ImportSummary:
    services_added: int = 0
    services_updated: int = 0
    products_added: int = 0
    products_updated: int = 0
    stock_counted: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Plan:
    """Each row as the draft it will save and the record it updates (None: a new one)."""

    services: tuple[tuple[ServiceRow, ServiceDraft, int | None], ...]
    products: tuple[tuple[ProductRow, ProductDraft, int | None], ...]
    errors: tuple[RowError, ...]
    #: Rows that change nothing stored (not in `services` or `products`).
    unchanged: int = 0


class PriceListService:
    """Preview, import and export of price list files (see the module doc)."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService,
        catalogue: CatalogueService | None = None,
        products: ProductService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._catalogue = catalogue or CatalogueService(uow, clock, shop)
        self._products = products or ProductService(uow, clock, shop)

    @reads
    def preview(
        self,
        data: bytes,
        viewer: SignedIn,
        *,
        encoding: str = AUTO,
        mapping: Sequence[PriceColumn | None] | None = None,
        default_category: str = "",
    ) -> Preview:
        """How `data` reads with `encoding` and `mapping` (guessed from the header when None);
        PriceListError when the file as a whole cannot be read."""
        viewer.require(Permission.MANAGE_CATALOGUE)
        decoded = decode(data, encoding)
        table = read_table(decoded.text)
        chosen = tuple(mapping) if mapping is not None else guess_mapping(table.headers)
        if len(chosen) != len(table.headers):
            chosen = guess_mapping(table.headers)
        read = read_rows(table, chosen, self._shop.info().currency)
        plan = self._plan(viewer, read, chosen, table.headers, default_category)
        return Preview(
            encoding=decoded.encoding,
            tried=decoded.tried,
            delimiter=table.delimiter,
            headers=table.headers,
            mapping=chosen,
            sample=table.rows[:SAMPLE_ROWS],
            rows=len(table.rows),
            services_new=sum(1 for _r, _d, sid in plan.services if sid is None),
            services_updated=sum(1 for _r, _d, sid in plan.services if sid is not None),
            products_new=sum(1 for _r, _d, pid in plan.products if pid is None),
            products_updated=sum(1 for _r, _d, pid in plan.products if pid is not None),
            errors=plan.errors,
            unchanged=plan.unchanged,
        )

    @writes
    def import_rows(
        self,
        data: bytes,
        by: SignedIn,
        *,
        encoding: str = AUTO,
        mapping: Sequence[PriceColumn | None] | None = None,
        default_category: str = "",
    ) -> ImportSummary:
        """Add and update every row of the file, all or nothing: ImportRefused (nothing saved)
        when any row has an error, here or in the catalogue's and products' own rules.
        Services are matched by category and name, products by SKU: a re-import updates."""
        by.require(Permission.MANAGE_CATALOGUE)
        decoded = decode(data, encoding)
        table = read_table(decoded.text)
        chosen = tuple(mapping) if mapping is not None else guess_mapping(table.headers)
        read = read_rows(table, chosen, self._shop.info().currency)
        plan = self._plan(by, read, chosen, table.headers, default_category)
        if plan.errors:
            raise ImportRefused(plan.errors)
        if not plan.services and not plan.products and not plan.unchanged:
            raise PriceListError(NO_ROWS)
        if any(row.stock is not None for row, _d, _p in plan.products):
            by.require(Permission.ADJUST_STOCK)
        errors: list[RowError] = []
        counts = {"sa": 0, "su": 0, "pa": 0, "pu": 0, "st": 0}
        headers = table.headers
        for service_row, service_draft, service_id in plan.services:
            try:
                self._catalogue.save_service(service_draft, by, service_id)
                if service_id is not None:
                    self._catalogue.set_archived(service_id, False, by)
            except DomainError as error:
                errors.extend(
                    _row_errors(service_row.line, error, _SERVICE_FIELDS, chosen, headers)
                )
                continue
            counts["sa" if service_id is None else "su"] += 1
        for product_row, product_draft, product_id in plan.products:
            try:
                saved = self._products.save_product(product_draft, by, product_id)
                if product_id is not None:
                    self._products.set_product_active(product_id, True, by)
                if product_row.stock is not None:
                    on_hand = self._products.product(saved, by).product.stock
                    if on_hand != product_row.stock:
                        self._products.count_stock(saved, product_row.stock, "", by)
                        counts["st"] += 1
            except DomainError as error:
                errors.extend(
                    _row_errors(product_row.line, error, _PRODUCT_FIELDS, chosen, headers)
                )
                continue
            counts["pa" if product_id is None else "pu"] += 1
        if errors:
            raise ImportRefused(errors)
        summary = ImportSummary(
            counts["sa"], counts["su"], counts["pa"], counts["pu"], counts["st"], plan.unchanged
        )
        with self._uow.write() as session:
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="price_list.imported",
                entity="price_list",
                detail=(
                    f"services +{summary.services_added} ~{summary.services_updated}; "
                    f"products +{summary.products_added} ~{summary.products_updated}; "
                    f"encoding {decoded.encoding}"
                ),
            )
        return summary

    @reads
    def export(self, by: SignedIn, *, language: str | None = None) -> bytes:
        """Every active service (at today's price) and product as a price list file: UTF-8
        with a BOM, headers in `language` (the shop's by default), read back by the import."""
        by.require(Permission.MANAGE_CATALOGUE)
        shop = self._shop.info()
        services = [
            ServiceRow(
                line=0,
                category=s.category,
                name=s.name,
                price_minor=s.price_minor,
                duration_minutes=s.duration_minutes,
                buffer_minutes=s.buffer_minutes,
                tax_rate_bp=s.tax_rate_bp,
                room_kind=s.room_kind or "",
                capacity_used=s.capacity_used,
                ingredients=s.ingredients,
                contraindications=s.contraindications,
            )
            for s in self._catalogue.services(by)
        ]
        products = [
            ProductRow(
                line=0,
                sku=p.sku,
                name=p.name,
                price_minor=p.price.minor,
                tax_rate_bp=p.tax_rate_bp,
                barcode=p.barcode or "",
                stock=p.stock,
                low_stock_level=p.low_stock_level,
                ingredients=p.ingredients,
                contraindications=p.contraindications,
            )
            for p in self._products.products(by)
        ]
        return write_csv(
            services,
            products,
            shop.currency,
            language=language or shop.locale,
            decimal_mark=str(get_decimal_symbol(shop.locale)),
        )

    # -- rows to drafts ------------------------------------------------------------------------

    def _plan(
        self,
        viewer: SignedIn,
        read: ReadRows,
        mapping: Sequence[PriceColumn | None],
        headers: Sequence[str],
        default_category: str,
    ) -> _Plan:
        errors = list(read.errors)
        services: list[tuple[ServiceRow, ServiceDraft, int | None]] = []
        products: list[tuple[ProductRow, ProductDraft, int | None]] = []
        default_tax: int | None = None
        unchanged = 0
        for row in read.services:
            category = row.category or default_category
            service_id = self._catalogue.find_service(category, row.name)
            stored_active = False
            if service_id is not None:
                stored = self._catalogue.service(viewer, service_id)
                base, stored_active = stored.draft(), stored.active
            else:
                if default_tax is None:
                    default_tax = self._catalogue.default_tax_rate()
                base = ServiceDraft(
                    category=category,
                    name=row.name,
                    duration_minutes=row.duration_minutes,
                    buffer_minutes=0,
                    price_minor=row.price_minor,
                    tax_rate_bp=default_tax,
                )
            draft = _service_draft(base, row, category)
            try:
                clean = check_service(draft)
            except DomainError as error:
                errors.extend(_row_errors(row.line, error, _SERVICE_FIELDS, mapping, headers))
                continue
            if stored_active and clean == base:
                unchanged += 1
                continue
            services.append((row, draft, service_id))
        for item in read.products:
            product_id = self._products.find_by_sku(item.sku)
            stored_product = None
            if product_id is not None:
                stored_product = self._products.product(product_id, viewer).product
                current = stored_product.draft()
            else:
                if default_tax is None:
                    default_tax = self._catalogue.default_tax_rate()
                current = ProductDraft(item.sku, item.name, item.price_minor, default_tax)
            product = _product_draft(current, item)
            try:
                clean_product = validate_product(product)
            except DomainError as error:
                errors.extend(_row_errors(item.line, error, _PRODUCT_FIELDS, mapping, headers))
                continue
            if product.barcode:
                owner = self._products.find_by_barcode(product.barcode)
                if owner is not None and owner != product_id:
                    errors.append(
                        RowError(
                            item.line,
                            _header(PriceColumn.BARCODE, mapping, headers),
                            DomainError(
                                "Another product already has barcode {barcode}.",
                                barcode=product.barcode,
                            ),
                        )
                    )
                    continue
            if (
                stored_product is not None
                and stored_product.active
                and clean_product == current
                and item.stock in (None, stored_product.stock)
            ):
                unchanged += 1
                continue
            products.append((item, product, product_id))
        errors.sort(key=lambda e: e.line)
        return _Plan(tuple(services), tuple(products), tuple(errors), unchanged)


def _service_draft(base: ServiceDraft, row: ServiceRow, category: str) -> ServiceDraft:
    """The stored service (or a new one) with what the row says put over it."""

    def given(value: object, kept: object) -> object:
        return kept if value is None else value

    return replace(
        base,
        category=category,
        name=row.name,
        duration_minutes=row.duration_minutes,
        price_minor=row.price_minor,
        buffer_minutes=int(str(given(row.buffer_minutes, base.buffer_minutes))),
        tax_rate_bp=int(str(given(row.tax_rate_bp, base.tax_rate_bp))),
        room_kind=base.room_kind if row.room_kind is None else (row.room_kind or None),
        capacity_used=int(str(given(row.capacity_used, base.capacity_used))),
        ingredients=base.ingredients if row.ingredients is None else row.ingredients,
        contraindications=(
            base.contraindications if row.contraindications is None else row.contraindications
        ),
    )


def _product_draft(base: ProductDraft, row: ProductRow) -> ProductDraft:
    return replace(
        base,
        sku=row.sku,
        name=row.name,
        price_minor=row.price_minor,
        tax_rate_bp=base.tax_rate_bp if row.tax_rate_bp is None else row.tax_rate_bp,
        barcode=base.barcode if row.barcode is None else (row.barcode or None),
        low_stock_level=(
            base.low_stock_level if row.low_stock_level is None else row.low_stock_level
        ),
        ingredients=base.ingredients if row.ingredients is None else row.ingredients,
        contraindications=(
            base.contraindications if row.contraindications is None else row.contraindications
        ),
    )


def _header(
    column: PriceColumn | None, mapping: Sequence[PriceColumn | None], headers: Sequence[str]
) -> str:
    if column is None or column not in mapping:
        return ""
    return headers[list(mapping).index(column)]


def _row_errors(
    line: int,
    error: DomainError,
    fields: dict[str, PriceColumn],
    mapping: Sequence[PriceColumn | None],
    headers: Sequence[str],
) -> list[RowError]:
    """A rule's refusal of one row as row errors, each at the file column its field came from."""
    if isinstance(error, FormErrors):
        return [
            RowError(line, _header(fields.get(name), mapping, headers), each)
            for name, each in error.errors.items()
        ]
    field = getattr(error, "field", None)
    column = fields.get(field) if isinstance(field, str) else None
    return [RowError(line, _header(column, mapping, headers), error)]
