"""The back office's retail products: what the shop sells over the counter, and its stock.

A searchable list (running-low products in bold, with a "Running low" switch) beside the chosen
product's form: SKU, name, barcode (a scan fills it while it has the focus), price, tax rate,
ingredient and contraindication tags, the low-stock level, and its stock box (products_stock.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QCheckBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from frontdesk.domain.catalogue import amount_for_form, rate_for_form
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.money import parse_money, parse_rate
from frontdesk.domain.products import (
    CONTRAINDICATIONS,
    INGREDIENTS,
    MAX_STOCK,
    ProductDraft,
    split_tags,
    validate_product,
)
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.products import ProductDetail, ProductView
from frontdesk.ui.backoffice.products_stock import StockBox
from frontdesk.ui.backoffice.records_page import RecordRow, RecordsPage
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.scan_target import mark_takes_scans


class ProductsPage(RecordsPage):
    """Retail products: list, form, archive; stock changes in the form's stock box."""

    kinds = (ChangeKind.PRODUCTS, ChangeKind.SHOP)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.low_only_box = QCheckBox(self.tr("Running low only"))
        self.low_only_box.setObjectName("runningLowOnly")
        self.low_only_box.setToolTip(
            self.tr("List only the products at or below their low-stock level")
        )
        self.low_only_box.toggled.connect(self.show_flagged_only)
        self.add_list_filter(self.low_only_box)

    # -- hooks -------------------------------------------------------------------------------

    def texts(self) -> dict[str, str]:
        return {
            "search": self.tr("Search by name, SKU or barcode"),
            "new": self.tr("New product"),
            "empty": self.tr(
                "No products yet. Add what you sell over the counter with New product (Ctrl+N)."
            ),
            "none_chosen": self.tr(
                "Choose a product on the left, or add one with New product (Ctrl+N)."
            ),
            "archived": self.tr(
                "This product is archived: it is no longer sold. Restore it to sell it again."
            ),
        }

    def may_edit(self) -> bool:
        return self.desk.user.can(Permission.MANAGE_CATALOGUE)

    def list_work(self) -> Callable[[], Sequence[RecordRow]]:
        products, user, formats = self.desk.services.products, self.desk.user, self.desk.formats()

        def work() -> list[RecordRow]:
            return [self._row(p, formats.money) for p in products.products(user, True)]

        return work

    def _row(self, product: ProductView, money: Callable[..., str]) -> RecordRow:
        on_hand = self.tr("%n on hand", "", product.stock)
        detail = f"{product.sku} · {money(product.price)} · {on_hand}"
        low = product.active and product.running_low
        if low:
            detail = self.tr("Running low") + " · " + detail
        return RecordRow(
            id=product.id,
            title=product.name,
            detail=detail,
            archived=not product.active,
            search_text=f"{product.barcode or ''} {' '.join(product.ingredients)}",
            flagged=low,
        )

    def build_form(self) -> QWidget:
        form = QWidget()
        fields = self.fields
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = fields.add_field("name", self.tr("Name"))
        self.name_edit.setMaxLength(120)
        self.sku_edit = fields.add_field("sku", self.tr("SKU"))
        self.sku_edit.setMaxLength(40)
        self.sku_edit.setToolTip(self.tr("Your own code for the product: letters and digits"))
        self.barcode_edit = fields.add_field("barcode", self.tr("Barcode"))
        self.barcode_edit.setMaxLength(40)
        self.barcode_edit.setPlaceholderText(self.tr("Scan it or type it (optional)"))
        mark_takes_scans(self.barcode_edit)
        self.price_edit = fields.add_field("price", self.tr("Price (tax included)"))
        self.tax_edit = fields.add_field("tax_rate", self.tr("Tax rate (%)"))
        self.low_spin = QSpinBox()
        self.low_spin.setRange(0, MAX_STOCK)
        self.low_spin.setToolTip(
            self.tr("The product is shown as running low at this many on hand or fewer")
        )
        fields.add_widget("low_stock_level", self.tr("Running low at"), self.low_spin)
        self.ingredients_edit = fields.add_field(INGREDIENTS, self.tr("Ingredients"))
        self.contraindications_edit = fields.add_field(
            CONTRAINDICATIONS, self.tr("Contraindications")
        )
        for edit in (self.ingredients_edit, self.contraindications_edit):
            edit.setPlaceholderText(self.tr("Separated by commas"))
        self.contraindications_edit.setToolTip(
            self.tr("The client card warns when a client has one of these")
        )
        self.stock_box = StockBox(self.desk)
        self.stock_box.changed.connect(lambda _detail: self.refresh())
        column = QVBoxLayout(form)
        column.addLayout(fields)
        column.addWidget(self.stock_box)
        column.addStretch(1)
        return form

    def load_work(self, record_id: int) -> Callable[[], object]:
        products, user = self.desk.services.products, self.desk.user
        return lambda: products.product(record_id, user)

    def show_record(self, record: object | None) -> None:
        locale = self.desk.formats().locale
        if record is None:
            for edit in self.fields.edits.values():
                edit.clear()
            # a new product starts at the shop's default tax rate, as a new service does
            default_tax = self.desk.services.shop.info().default_tax_rate_bp
            if default_tax:
                self.tax_edit.setText(rate_for_form(default_tax, locale))
            self.low_spin.setValue(0)
            self.stock_box.show_detail(None)
            return
        assert isinstance(record, ProductDetail)
        product = record.product
        self.name_edit.setText(product.name)
        self.sku_edit.setText(product.sku)
        self.barcode_edit.setText(product.barcode or "")
        self.price_edit.setText(
            amount_for_form(product.price.minor, product.price.currency, locale)
        )
        self.tax_edit.setText(rate_for_form(product.tax_rate_bp, locale))
        self.low_spin.setValue(product.low_stock_level)
        self.ingredients_edit.setText(", ".join(product.ingredients))
        self.contraindications_edit.setText(", ".join(product.contraindications))
        self.stock_box.show_detail(record)

    def save_work(self) -> Callable[[], int]:
        draft = self._draft()
        products, user, product_id = self.desk.services.products, self.desk.user, self.current_id
        return lambda: products.save_product(draft, user, product_id)

    def _draft(self) -> ProductDraft:
        """The form as a draft; FormErrors naming every field the form itself sees is wrong."""
        locale = self.desk.formats().locale
        currency = self.desk.services.shop.info().currency
        errors: dict[str, DomainError] = {}
        price = tax = 0
        try:
            price = parse_money(self.price_edit.text(), currency, locale, field="price").minor
        except ValidationError as error:
            errors["price"] = error
        try:
            tax = parse_rate(self.tax_edit.text(), locale, field="tax_rate")
        except ValidationError as error:
            errors["tax_rate"] = error
        draft = ProductDraft(
            sku=self.sku_edit.text(),
            name=self.name_edit.text(),
            price_minor=price,
            tax_rate_bp=tax,
            barcode=self.barcode_edit.text() or None,
            low_stock_level=self.low_spin.value(),
            ingredients=split_tags(self.ingredients_edit.text()),
            contraindications=split_tags(self.contraindications_edit.text()),
        )
        try:
            validate_product(draft)
        except FormErrors as refused:
            errors = {**refused.errors, **errors}
        if errors:
            raise FormErrors(errors)
        return draft

    def archive_work(self, record_id: int, archived: bool) -> Callable[[], object]:
        products, user = self.desk.services.products, self.desk.user
        return lambda: products.set_product_active(record_id, not archived, user)

    # -- stock changed elsewhere -------------------------------------------------------------

    def refresh(self, changes: Changes | None = None) -> None:
        super().refresh(changes)
        product_id = self.stock_box.product_id if hasattr(self, "stock_box") else None
        if (
            changes is not None
            and product_id is not None
            and product_id == self.current_id
            and changes.touches_id(ChangeKind.PRODUCTS, product_id)
        ):
            self._read_stock(product_id)

    def _read_stock(self, product_id: int) -> None:
        products, user = self.desk.services.products, self.desk.user
        self.desk.runner.run(
            lambda: products.product(product_id, user),
            doing=self.tr("reading the stock"),
            on_done=self._stock_read,
        )

    def _stock_read(self, detail: ProductDetail) -> None:
        if detail.product.id == self.current_id:
            self.stock_box.show_detail(detail)
