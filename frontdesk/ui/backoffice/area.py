"""The back office: the owner's and manager's set-up of the shop, one page per subject.

A list of sections on the left, the chosen page on the right. Each page is built the first time
it is shown; only the sections the signed-in role may use are listed (domain/roles.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.roles import Permission
from frontdesk.ui.desk import Desk

# Each page's builder imports its page only when first shown (the guided start builds its
# steps with the same functions).


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    permission: Permission
    build: Callable[[Desk], QWidget]


def shop_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.shop_page import ShopPage

    return ShopPage(desk)


def staff_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.staff_page import StaffPage

    return StaffPage(desk)


def services_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.services_page import ServicesPage

    return ServicesPage(desk)


def rooms_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.rooms_page import RoomsPage

    return RoomsPage(desk)


def products_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.products_page import ProductsPage

    return ProductsPage(desk)


def price_list_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.price_list_page import PriceListPage

    return PriceListPage(desk)


def devices_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.devices_page import DevicesPage

    return DevicesPage(desk)


def health_key_page(desk: Desk) -> QWidget:
    from frontdesk.ui.backoffice.health_key_page import HealthKeyPage

    return HealthKeyPage(desk)


def sections() -> tuple[Section, ...]:
    """Every section, in the order a new shop sets them up."""

    return (
        Section(
            "shop",
            QCoreApplication.translate("BackOfficeArea", "The shop"),
            Permission.MANAGE_SHOP,
            shop_page,
        ),
        Section(
            "staff",
            QCoreApplication.translate("BackOfficeArea", "Staff"),
            Permission.MANAGE_STAFF,
            staff_page,
        ),
        Section(
            "services",
            QCoreApplication.translate("BackOfficeArea", "Services"),
            Permission.MANAGE_CATALOGUE,
            services_page,
        ),
        Section(
            "rooms",
            QCoreApplication.translate("BackOfficeArea", "Rooms and equipment"),
            Permission.MANAGE_CATALOGUE,
            rooms_page,
        ),
        Section(
            "products",
            QCoreApplication.translate("BackOfficeArea", "Retail products"),
            Permission.MANAGE_CATALOGUE,
            products_page,
        ),
        Section(
            "price_list",
            QCoreApplication.translate("BackOfficeArea", "Price list import"),
            Permission.MANAGE_CATALOGUE,
            price_list_page,
        ),
        Section(
            "devices",
            QCoreApplication.translate("BackOfficeArea", "Printer and scanner"),
            Permission.MANAGE_DEVICES,
            devices_page,
        ),
        Section(
            "health_key",
            QCoreApplication.translate("BackOfficeArea", "Health data key"),
            Permission.MANAGE_HEALTH_KEY,
            health_key_page,
        ),
    )


class BackOfficeArea(QWidget):
    """Sections on the left, the chosen one's page on the right."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.sections = tuple(s for s in sections() if desk.user.can(s.permission))
        self.pages: dict[str, QWidget] = {}
        self.section_list = QListWidget()
        self.section_list.setObjectName("backOfficeSections")
        for section in self.sections:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.section_list.addItem(item)
        self.section_list.setMaximumWidth(240)
        self.guided_start_button = QPushButton(self.tr("Guided start…"))
        self.guided_start_button.setObjectName("guidedStart")
        self.guided_start_button.setToolTip(
            self.tr("Walk through setting up the shop again, step by step.")
        )
        self.guided_start_button.setVisible(desk.user.can(Permission.MANAGE_SHOP))
        self.stack = QStackedWidget()
        left = QVBoxLayout()
        left.addWidget(self.section_list, 1)
        left.addWidget(self.guided_start_button)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addWidget(self.stack, 1)
        self.section_list.currentRowChanged.connect(self._show_row)
        self.guided_start_button.clicked.connect(self.open_guided_start)
        if self.sections:
            self.section_list.setCurrentRow(0)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.show_section(self.sections[row].key)

    def show_section(self, key: str) -> QWidget:
        """Show (building it first if need be) the page of section `key`."""
        section = next(s for s in self.sections if s.key == key)
        page = self.pages.get(key)
        if page is None:
            page = self.pages[key] = section.build(self.desk)
            page.setObjectName(f"backOffice_{key}")
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        row = self.sections.index(section)
        if self.section_list.currentRow() != row:
            self.section_list.setCurrentRow(row)
        return page

    def open_guided_start(self) -> None:
        from frontdesk.ui.firstrun.guided_start import open_guided_start

        open_guided_start(self.desk, self)
