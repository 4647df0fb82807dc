"""The composition root: settings -> engine -> services -> devices -> main window.

Nothing is built at import time; `build_services` wires the whole program for one database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from db.engine import make_engine, resolve_url
from db.migrate import upgrade_to_head
from frontdesk.devices.scanner import Scanner, open_scanner
from frontdesk.services.auth import AuthService
from frontdesk.services.calendar import CalendarService
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import Clock, SystemClock
from frontdesk.services.database import Database
from frontdesk.services.receipt_printer import ReceiptPrinter
from frontdesk.services.receipts import ReceiptService
from frontdesk.services.reports import ReportService
from frontdesk.services.shop import ShopService
from frontdesk.settings import Settings
from printing.connections import (
    PrinterConfig,
    PrinterConnection,
    PrinterKind,
    open_connection,
)
from printing.escpos_layout import PrinterProfile
from printing.print_queue import PrintQueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppServices:
    """Everything the ui may use: services and devices, no sessions or engines."""

    settings: Settings
    shop: ShopService
    auth: AuthService
    calendar: CalendarService
    clients: ClientService
    checkout: CheckoutService
    receipts: ReceiptService
    reports: ReportService
    printer: ReceiptPrinter
    scanner: Scanner


def printer_config(settings: Settings) -> PrinterConfig:
    return PrinterConfig(
        kind=cast(PrinterKind, settings.printer_kind),  # checked by load_settings
        host=settings.printer_host,
        port=settings.printer_port,
        device=settings.printer_device,
        baudrate=settings.printer_baudrate,
        usb_vendor=settings.printer_usb_vendor,
        usb_product=settings.printer_usb_product,
        path=settings.printer_path,
    )


def printer_profile(settings: Settings) -> PrinterProfile:
    """The receipt printer's paper width, python-escpos profile and Chinese font setting."""
    return PrinterProfile(
        columns=settings.printer_columns,
        escpos_profile=settings.printer_profile,
        chinese=settings.printer_chinese,
    )


def open_database(database_url: str | None) -> Database:
    """Engine for the chosen database, migrated to this program's schema."""
    url = resolve_url(database_url)
    engine = make_engine(url)
    upgrade_to_head(engine)
    return Database(engine)


def build_services(
    settings: Settings,
    database: Database,
    *,
    clock: Clock | None = None,
    scanner: Scanner | None = None,
    spool_dir: Path | None = None,
) -> AppServices:
    clock = clock or SystemClock()
    config = printer_config(settings)

    def connect() -> PrinterConnection:
        return open_connection(config)

    queue = PrintQueue(spool_dir or settings.resolved_spool_dir(), connect)
    profile = printer_profile(settings)
    return AppServices(
        settings=settings,
        shop=ShopService(database, clock),
        auth=AuthService(database, clock),
        calendar=CalendarService(database, clock),
        clients=ClientService(database, clock),
        checkout=CheckoutService(database, clock),
        receipts=ReceiptService(database, clock),
        reports=ReportService(database, clock),
        printer=ReceiptPrinter(queue, profile, enabled=settings.printer_kind != "none"),
        scanner=scanner or open_scanner(settings.scanner_port or None, settings.scanner_baudrate),
    )
