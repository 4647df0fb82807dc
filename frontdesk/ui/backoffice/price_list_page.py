"""The back office's price list page: the CSV import panel (frontdesk/ui/widgets/
csv_import_panel.py) with the price list's parts: services and products, the menu's columns, a
default category for services whose row names none, and the export in the window's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from frontdesk.domain.price_list import EXPORT_COLUMNS, PriceColumn
from frontdesk.domain.roles import Permission
from frontdesk.services.price_list import ImportSummary, Preview
from frontdesk.ui.desk import Desk
from frontdesk.ui.labels import label
from frontdesk.ui.widgets.csv_import_panel import CsvNames, CsvPanelHost, CsvTexts

Columns = tuple[PriceColumn | None, ...]
NAMES = CsvNames(
    prefix="priceList", open="openPriceList", export="exportPriceList", import_="importPriceList"
)


class PriceListPage(CsvPanelHost, QWidget):
    """Import (with a column mapping preview and per-row errors) and export of the price list."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        texts = CsvTexts(
            open_button=self.tr("Open a price list…"),
            open_tip=self.tr("Choose a CSV file of services and products ({key})"),
            hint=self.tr(
                "Columns it reads: type (service or product), category, name, price, duration, "
                "buffer, tax, room kind, capacity, SKU, barcode, stock, low stock, ingredients "
                "and contraindications. Services need a name, price and duration; products a "
                "name, price and SKU. Importing the same file again updates instead of adding "
                "twice."
            ),
            export_button=self.tr("Export the price list…"),
            export_tip=self.tr("Write every service and product to a CSV file ({key})"),
            save_name=self.tr("price-list.csv"),
            import_tip=self.tr("Add and update every row of the file, all or nothing ({key})"),
        )
        self.hold_panel(desk, NAMES, texts, Permission.MANAGE_CATALOGUE)

    def default_category(self) -> str:
        """The category of services whose row names none."""
        return self.tr("Services")

    # -- the panel's parts (CsvScreen) ---------------------------------------------------------

    def column_choices(self) -> Sequence[tuple[PriceColumn, str]]:
        return [(field, label(field)) for field in EXPORT_COLUMNS]

    def preview_work(self, encoding: str, mapping: Columns | None) -> Callable[[bytes], Preview]:
        services, user, category = self.desk.services, self.desk.user, self.default_category()
        return lambda data: services.price_list.preview(
            data, user, encoding=encoding, mapping=mapping, default_category=category
        )

    def import_work(self, encoding: str, mapping: Columns) -> Callable[[bytes], ImportSummary]:
        services, user, category = self.desk.services, self.desk.user, self.default_category()
        return lambda data: services.price_list.import_rows(
            data, user, encoding=encoding, mapping=mapping, default_category=category
        )

    def export_work(self) -> Callable[[], bytes]:
        services, user, language = self.desk.services, self.desk.user, self.desk.language or None
        return lambda: services.price_list.export(user, language=language)

    def preview_counts(self, preview: Preview) -> Sequence[tuple[str, int]]:
        return (
            (self.tr("%n service(s) to add", "", preview.services_new), preview.services_new),
            (
                self.tr("%n service(s) to update", "", preview.services_updated),
                preview.services_updated,
            ),
            (self.tr("%n product(s) to add", "", preview.products_new), preview.products_new),
            (
                self.tr("%n product(s) to update", "", preview.products_updated),
                preview.products_updated,
            ),
            (self.tr("%n unchanged", "", preview.unchanged), preview.unchanged),
        )

    def import_counts(self, summary: ImportSummary) -> Sequence[tuple[str, int]]:
        return (
            (self.tr("%n service(s) added", "", summary.services_added), summary.services_added),
            (
                self.tr("%n service(s) updated", "", summary.services_updated),
                summary.services_updated,
            ),
            (self.tr("%n product(s) added", "", summary.products_added), summary.products_added),
            (
                self.tr("%n product(s) updated", "", summary.products_updated),
                summary.products_updated,
            ),
            (self.tr("%n unchanged", "", summary.unchanged), summary.unchanged),
        )

    def exported_text(self, path: Path) -> str:
        return self.tr("The price list was written to {file}.").format(file=str(path))
