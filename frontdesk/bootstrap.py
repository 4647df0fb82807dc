"""The composition root: settings -> engine -> services -> devices -> main window.

Nothing is built at import time; `build_services` wires the whole program for one database.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.engine import close_engine, open_engine, resolve_url, sqlite_path
from db.migrate import upgrade_to_head
from frontdesk.devices.scanner import Scanner, SwitchableScanner, open_scanner
from frontdesk.services.appointment_status import AppointmentStatusService
from frontdesk.services.auth import AuthService
from frontdesk.services.backups import BackupService
from frontdesk.services.booking import BookingService
from frontdesk.services.calendar import CalendarService
from frontdesk.services.catalogue import CatalogueService
from frontdesk.services.change_watch import ChangeFeed
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.client_merge import ClientMergeService
from frontdesk.services.client_transfer import ClientTransferService
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import Clock, SystemClock
from frontdesk.services.devices import DeviceSetup, printer_config, printer_profile
from frontdesk.services.first_run import FirstRunService
from frontdesk.services.free_slots import FreeSlotService
from frontdesk.services.health_vault import HealthKeyService, HealthVault, open_vault
from frontdesk.services.loyalty import LoyaltyService
from frontdesk.services.price_list import PriceListService
from frontdesk.services.products import ProductService
from frontdesk.services.receipt_printer import ReceiptPrinter
from frontdesk.services.receipts import ReceiptService
from frontdesk.services.recurring import RecurringService
from frontdesk.services.reports import ReportService
from frontdesk.services.room_board import RoomBoardService
from frontdesk.services.rooms import RoomService
from frontdesk.services.shop import ShopService
from frontdesk.services.shop_setup import ShopSetupService
from frontdesk.services.staff_admin import StaffAdminService
from frontdesk.services.therapist_day import TherapistDayService
from frontdesk.services.treatment_notes import TreatmentNoteService
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.services.waitlist import WaitlistService
from frontdesk.settings import Settings
from printing.connections import PrinterConnection, open_connection
from printing.printer_lock import PrinterLock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppServices:
    """Everything the ui may use: services and devices, no sessions or engines."""

    settings: Settings
    shop: ShopService
    auth: AuthService
    calendar: CalendarService
    booking: BookingService
    clients: ClientService
    checkout: CheckoutService
    receipts: ReceiptService
    reports: ReportService
    backups: BackupService
    printer: ReceiptPrinter
    scanner: SwitchableScanner
    changes: ChangeFeed
    # The back office
    shop_setup: ShopSetupService
    staff_admin: StaffAdminService
    catalogue: CatalogueService
    rooms: RoomService
    products: ProductService
    price_list: PriceListService
    devices: DeviceSetup
    first_run: FirstRunService
    # The calendar (issue 8)
    statuses: AppointmentStatusService
    free_slots: FreeSlotService
    recurring: RecurringService
    waitlist: WaitlistService
    room_board: RoomBoardService
    # The client card (issue 9)
    vault: HealthVault
    health_key: HealthKeyService
    client_health: ClientHealthService
    treatment_notes: TreatmentNoteService
    therapist_day: TherapistDayService
    client_transfer: ClientTransferService
    client_merge: ClientMergeService
    loyalty: LoyaltyService
    closer: Callable[[], None] = lambda: None

    def close(self) -> None:
        """Close the database for good (the program is quitting)."""
        self.changes.stop_watching()
        self.closer()


def open_database(
    database_url: str | None, *, create: bool | None = None, settings: Settings | None = None
) -> UnitOfWork:
    """Engine for the chosen database, checked and migrated to this program's schema.

    A named SQLite file that does not exist is refused unless `create` is true (only the
    default file is created by itself); a damaged one is refused naming its latest backup.
    """
    url = resolve_url(database_url)
    path = sqlite_path(url)
    backups = (settings or Settings()).resolved_backup_dir(path) if path is not None else None
    engine = open_engine(url, create=create, backup_dir=backups)
    try:
        upgrade_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return UnitOfWork(engine)


def backup_service(settings: Settings, database: UnitOfWork) -> BackupService:
    """Backups of `database` into the configured folder (PostgreSQL: pg_dump, not us)."""
    db_file = sqlite_path(database.engine.url)
    folder = settings.resolved_backup_dir(db_file) if db_file is not None else None
    return BackupService(database.engine, folder, settings.backup_keep)


def build_services(
    settings: Settings,
    database: UnitOfWork,
    *,
    clock: Clock | None = None,
    scanner: Scanner | None = None,
    spool_dir: Path | None = None,
) -> AppServices:
    clock = clock or SystemClock()
    config = printer_config(settings)
    backups = backup_service(settings, database)

    def connect() -> PrinterConnection:
        return open_connection(config)

    profile = printer_profile(settings)
    printing_here = settings.printer_kind != "none"
    station = settings.resolved_station_name()
    lock_dir = spool_dir or settings.resolved_spool_dir()
    vault = open_vault(settings, database)
    shop = ShopService(database, clock)  # read once, shared: every service sees one profile
    printer = ReceiptPrinter(
        database,
        clock,
        connect,
        profile,
        station=station,
        lock=PrinterLock(lock_dir / f"printer-{_file_safe(station)}.lock"),
        enabled=printing_here,
        shop=shop,
    )
    auth = AuthService(database, clock)
    shop_setup = ShopSetupService(database, clock, shop)
    catalogue = CatalogueService(database, clock, shop)
    rooms = RoomService(database, clock, shop)
    checkout = CheckoutService(
        database, clock, shop, print_station=station if printing_here else None, vault=vault
    )

    def printer_changed(enabled: bool) -> None:
        # Sales made from now on queue their receipt for this station's printer, or none.
        checkout.print_station = station if enabled else None

    switchable = SwitchableScanner(
        scanner or open_scanner(settings.scanner_port or None, settings.scanner_baudrate)
    )
    return AppServices(
        settings=settings,
        shop=shop,
        auth=auth,
        calendar=CalendarService(database, clock, shop),
        booking=BookingService(database, clock, shop, vault=vault),
        clients=ClientService(database, clock, shop),
        checkout=checkout,
        receipts=ReceiptService(database, clock, shop),
        reports=ReportService(database, clock, shop, backups=backups),
        backups=backups,
        printer=printer,
        scanner=switchable,
        changes=ChangeFeed(database),
        shop_setup=shop_setup,
        staff_admin=StaffAdminService(database, clock, shop),
        catalogue=catalogue,
        rooms=rooms,
        products=ProductService(database, clock, shop),
        price_list=PriceListService(database, clock, shop),
        devices=DeviceSetup(
            settings,
            database,
            clock,
            shop,
            printer=printer,
            scanner=switchable,
            on_printer_changed=printer_changed,
        ),
        first_run=FirstRunService(
            database,
            clock,
            shop,
            auth=auth,
            shop_setup=shop_setup,
            catalogue=catalogue,
            rooms=rooms,
        ),
        statuses=AppointmentStatusService(database, clock, shop),
        free_slots=FreeSlotService(database, clock, shop),
        recurring=RecurringService(database, clock, shop),
        waitlist=WaitlistService(database, clock, shop),
        room_board=RoomBoardService(database, clock, shop),
        vault=vault,
        health_key=HealthKeyService(database, clock, vault),
        client_health=ClientHealthService(database, clock, shop, vault),
        treatment_notes=TreatmentNoteService(database, clock, shop, vault),
        therapist_day=TherapistDayService(database, clock, shop, vault),
        client_transfer=ClientTransferService(database, clock, shop, vault),
        client_merge=ClientMergeService(database, clock, shop, vault),
        loyalty=LoyaltyService(database, clock, shop, vault),
        closer=lambda: close_engine(database.engine),
    )


def _file_safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "station"
