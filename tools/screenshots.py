"""Regenerate the README's screenshots: a demo spa, real widgets, offscreen rendering.

Usage: QT_QPA_PLATFORM=offscreen python tools/screenshots.py resources/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from db.engine import make_engine
from frontdesk.bootstrap import build_services
from frontdesk.demo import DEMO_PIN, build_demo
from frontdesk.devices.scanner import NullScanner
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.roles import Role
from frontdesk.services.database import Database
from frontdesk.settings import Settings
from frontdesk.ui.events import SALES
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.signin.dialog import SignInDialog
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.window_place import WindowPlace
from frontdesk.ui.workers import ImmediateExecutor


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()  # let layouts settle before grabbing (no timing involved)
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="frontdesk-shots-"))
    engine = make_engine(f"sqlite:///{work / 'demo.sqlite3'}", create=True)
    build_demo(engine, customers=600, locale="en", seed=7, today=date.today())
    database = Database(engine)
    services = build_services(Settings(), database, scanner=NullScanner(), spool_dir=work / "spool")
    shop = services.shop.info().name
    dialog = SignInDialog(services.auth, shop)
    dialog.resize(420, 520)
    dialog.show()
    save(dialog, out_dir / "sign-in.png")
    staff = services.auth.staff_for_sign_in()
    owner = next(s for s in staff if s.role is Role.OWNER)
    user = services.auth.sign_in(owner.id, DEMO_PIN)
    bridge = ScannerBridge(services.scanner)
    window = MainWindow(
        services,
        user,
        ImmediateExecutor(),
        bridge,
        shop,
        work / "reports",
        opener=lambda _p: None,
        # Not the user's own remembered window, and a screen as large as the pictures.
        place=WindowPlace(work / "window.ini", available=lambda: QRect(0, 0, 1400, 900)),
    )
    window.resize(1360, 860)
    window.show()
    save(window, out_dir / "calendar.png")
    clients = services.clients.search("a", limit=400)
    with_allergy = next(c for c in clients if c.has_allergies)
    window.find_client()
    window.clients.search_edit.setText(with_allergy.name.split()[0][:3])
    window.clients.run_search()
    for row in range(window.clients.results.rowCount()):
        if window.clients.results.client_at(row).id == with_allergy.id:
            window.clients.results_view.setCurrentIndex(window.clients.results.index(row, 0))
    window.open_client(with_allergy.id)
    save(window, out_dir / "client-card.png")
    schedule = services.calendar.day(services.calendar.today(), user)
    morning = [a for a in schedule.appointments if not a.paid]
    for appt, method in zip(morning[:6], [PaymentMethod.CARD, PaymentMethod.CASH] * 3, strict=True):
        services.checkout.complete_sale(appt.id, method, None, user)
    window.events.changed.emit(SALES)
    window.start_checkout(morning[6].id)
    window.checkout.cash_radio.click()
    window.checkout.received_edit.setText("200")
    save(window, out_dir / "checkout.png")
    window.show_area(3)
    window.reports.create_report()
    save(window, out_dir / "reports.png")
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots")))
