"""The composition root: settings -> engine -> services -> devices -> main window.

Nothing is built at import time; `build_services` wires the whole program for one database.
"""

from __future__ import annotations

import logging
import re
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
from printing.printer_lock import PrinterLock

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
        two_way=settings.printer_two_way,
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

    profile = PrinterProfile(
        columns=settings.printer_columns,
        escpos_profile=settings.printer_profile,
        chinese=settings.printer_chinese,
    )
    printing_here = settings.printer_kind != "none"
    station = settings.resolved_station_name()
    lock_dir = spool_dir or settings.resolved_spool_dir()
    printer = ReceiptPrinter(
        database,
        clock,
        connect,
        profile,
        station=station,
        lock=PrinterLock(lock_dir / f"printer-{_file_safe(station)}.lock"),
        enabled=printing_here,
    )
    return AppServices(
        settings=settings,
        shop=ShopService(database, clock),
        auth=AuthService(database, clock),
        calendar=CalendarService(database, clock),
        clients=ClientService(database, clock),
        checkout=CheckoutService(database, clock, print_station=station if printing_here else None),
        receipts=ReceiptService(database),
        reports=ReportService(database, clock),
        printer=printer,
        scanner=scanner or open_scanner(settings.scanner_port or None, settings.scanner_baudrate),
    )


def _file_safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "station"
