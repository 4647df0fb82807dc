"""GUI fixtures: the real services on a seeded SQLite file, fake devices, synchronous workers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from frontdesk.bootstrap import AppServices, build_services
from frontdesk.devices.scanner import FakeScanner
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.settings import Settings
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.workers import ImmediateExecutor
from tests.seed import PIN, SeededShop

MakeServices = Callable[..., AppServices]
MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_services(database: UnitOfWork, clock: FixedClock, tmp_path: Path) -> MakeServices:
    def make(printer_port: int | None = None, scanner: FakeScanner | None = None) -> AppServices:
        settings = Settings(
            printer_kind="network" if printer_port else "none",
            printer_host="127.0.0.1",
            printer_port=printer_port or 9100,
        )
        return build_services(
            settings,
            database,
            clock=clock,
            scanner=scanner or FakeScanner(),
            spool_dir=tmp_path / "spool",
        )

    return make


@pytest.fixture
def opened_pdfs() -> list[Path]:
    return []


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path, opened_pdfs: list[Path]) -> MakeWindow:
    def make(services: AppServices, user: SignedIn) -> MainWindow:
        bridge = ScannerBridge(services.scanner)
        bridge.start()
        window = MainWindow(
            services,
            user,
            ImmediateExecutor(),
            bridge,
            "Willow Test Spa",
            tmp_path / "reports",
            opener=opened_pdfs.append,
        )
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return make


@pytest.fixture
def sign_in(make_services: MakeServices, shop: SeededShop) -> Callable[[int], SignedIn]:
    def sign(staff_id: int) -> SignedIn:
        return make_services().auth.sign_in(staff_id, PIN)

    return sign
