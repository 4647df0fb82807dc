"""Cold start to the signed-in main window beside a bare PySide6 window, in fresh processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.conftest import record

BARE_WINDOW = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.processEvents()
"""

FRONTDESK_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication
from frontdesk.bootstrap import build_services, open_database
from frontdesk.settings import Settings
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.workers import ThreadPoolExecutor
from frontdesk.domain.roles import Role
app = QApplication([])
services = build_services(Settings(), open_database(sys.argv[1]))
desk = next(s for s in services.auth.staff_for_sign_in() if s.role is Role.RECEPTIONIST)
user = services.auth.sign_in(desk.id, "1234")
window = MainWindow(services, user, ThreadPoolExecutor(), ScannerBridge(services.scanner),
                    services.shop.info().name, __import__("pathlib").Path("/tmp"))
window.show()
app.processEvents()
services.close()  # a clean close, as at quit, so the next start may skip the full check
"""


def _run(script: str, *args: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-c", script, *args], check=True, env=env)


def test_cold_start_signed_in_window(benchmark: BenchmarkFixture, bench_db: Path) -> None:
    benchmark.pedantic(  # type: ignore[no-untyped-call]
        _run,
        args=(FRONTDESK_WINDOW, str(bench_db)),
        rounds=7,
        warmup_rounds=1,
    )
    record("cold start to main window:target", benchmark)


def test_cold_start_bare_qt_window_floor(benchmark: BenchmarkFixture) -> None:
    benchmark.pedantic(_run, args=(BARE_WINDOW,), rounds=7, warmup_rounds=1)  # type: ignore[no-untyped-call]
    record("cold start to main window:floor", benchmark)
