"""Regenerate the README's screenshots: a demo spa, real widgets, offscreen rendering.

Usage: QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUT_DIR] [--language LANG]
  --language en (default), zh_CN or ru: a demo spa of that country, the window in its language;
  --language pseudo: every string ~40% longer in accented letters, and every label or button
  whose text no longer fits is listed (clipped text to fix before translators find it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from db.engine import make_engine
from frontdesk.bootstrap import AppServices, build_services
from frontdesk.demo import DEMO_PIN, build_demo
from frontdesk.devices.scanner import NullScanner
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.roles import Role
from frontdesk.services.auth import SignedIn, StaffChoice
from frontdesk.services.clients import ClientSummary
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.settings import Settings
from frontdesk.ui.app import ShopStarter
from frontdesk.ui.backoffice.records_page import RecordsPage
from frontdesk.ui.calendar.grid_layout import ColumnKind
from frontdesk.ui.firstrun.guided_start import open_guided_start
from frontdesk.ui.firstrun.new_shop import NewShopDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.signin.dialog import SignInDialog
from frontdesk.ui.translations import TRANSLATIONS_DIR, use_language
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.window_place import WindowPlace
from frontdesk.ui.workers import ImmediateExecutor

#: The demo spa's country for each window language (pseudo stretches English).
DEMO_LOCALES = {"en": "en", "zh_CN": "zh", "ru": "ru", "pseudo": "en"}
ROOT = Path(__file__).resolve().parents[1]


def clipped(widget: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more width than they were given."""
    found = []
    for child in widget.findChildren(QWidget):
        if not child.isVisible() or not isinstance(child, QLabel | QAbstractButton):
            continue
        if not child.text() or (isinstance(child, QLabel) and child.wordWrap()):
            continue  # icon-only buttons and wrapping labels cannot clip a line
        needed, given = child.sizeHint().width(), child.width()
        if needed > given:
            name = child.objectName() or type(child).__name__
            found.append(f"{name} “{child.text()}” needs {needed}px, has {given}px")
    return found


def client_with_allergies(services: AppServices) -> ClientSummary:
    """A regular client whose card shows the allergy warning and a visit history, in a demo of
    any country."""
    for term in ("a", "а", "王", "李", "张", "刘", "陈"):  # Latin a, Cyrillic а, common surnames
        for client in services.clients.search(term, limit=400):
            if client.has_allergies and client.last_visit is not None:
                return client
    raise SystemExit("The demo has no client with allergies to show.")


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()  # let layouts settle before grabbing (no timing involved)
    widget.grab().save(str(path))
    print(f"wrote {path}")
    for problem in clipped(widget):
        print(f"  clipped: {problem}")


def back_office(window: MainWindow, out_dir: Path) -> None:
    """The back office's pages, each with its first record open."""
    window.show_area(4)
    area = window.back_office
    for key in ("shop", "staff", "services", "rooms", "products", "devices"):
        page = area.show_section(key)
        if isinstance(page, RecordsPage) and page.rows():
            page.select(page.rows()[0].id)
        else:
            for child in page.findChildren(RecordsPage):  # a page of tabs (rooms, equipment)
                if child.rows():
                    child.select(child.rows()[0].id)
        save(window, out_dir / f"back-office-{key.replace('_', '-')}.png")


def calendar_views(window: MainWindow, services: AppServices, out_dir: Path) -> None:
    """The calendar's other views and dialogs, on the demo's busy today."""
    area = window.calendar
    area.columns_combo.setCurrentIndex(area.columns_combo.findData(ColumnKind.ROOM))
    save(window, out_dir / "calendar-rooms.png")
    area.columns_combo.setCurrentIndex(area.columns_combo.findData(ColumnKind.STAFF))
    for mode in ("week", "month", "board"):
        area.show_mode(mode)
        save(window, out_dir / f"calendar-{mode}.png")
    area.show_mode("day")
    area.show_waitlist(True)
    save(window, out_dir / "calendar-waitlist.png")
    area.show_waitlist(False)
    choices = services.booking.choices(window.desk.user, services.shop.today())
    wanted = tuple(s.id for s in choices.services[:2])
    area.find_free_slot()
    finder = area.find_dialog
    assert finder is not None
    for service_id in wanted:  # two services in a row, as the booking below
        finder.service_combo.setCurrentIndex(finder.service_combo.findData(service_id))
        finder.add_service()
    finder.search()
    save(finder, out_dir / "find-free-slot.png")
    finder.reject()
    first = finder.slots[0].starts if finder.slots else None
    area.new_appointment(
        starts=first, client_id=client_with_allergies(services).id, service_ids=wanted
    )
    dialog = area.booking_dialog
    assert dialog is not None
    dialog.resize(900, 720)
    dialog.refresh_preview()  # now, not after the typing pause the dialog waits for
    save(dialog, out_dir / "booking-dialog.png")
    dialog.reject()


def speak(app: QApplication, language: str, shop_locale: str, work: Path) -> None:
    """The window in `language`; the pseudo-locale is built for this run only."""
    folder = TRANSLATIONS_DIR
    if language == "pseudo":
        folder = work / "translations"
        script = ROOT / "tools" / "translations.py"
        subprocess.run([sys.executable, str(script), "pseudo", str(folder)], check=True)
    if not use_language(app, language, shop_locale, folder=folder) and language != "en":
        raise SystemExit(f"No {language} translation: run `python tools/translations.py build`.")


def _isolate(work: Path) -> None:
    """Leave the user's own settings, config folder and keyring alone: the shots read default
    settings, and the throwaway database's health key lives in this process only (the null
    keyring keeps nothing, so no key of a deleted database is left behind)."""
    import keyring
    from keyring.backends.null import Keyring as NullKeyring

    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(work / var.lower())
    keyring.set_keyring(NullKeyring())


def main(out_dir: Path, language: str = "en") -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="frontdesk-shots-"))
    _isolate(work)
    engine = make_engine(f"sqlite:///{work / 'demo.sqlite3'}", create=True)
    build_demo(engine, customers=600, locale=DEMO_LOCALES[language], seed=7, today=date.today())
    database = UnitOfWork(engine)
    services = build_services(Settings(), database, scanner=NullScanner(), spool_dir=work / "spool")
    speak(app, language, services.shop.info().locale, work)
    shop = services.shop.info().name
    dialog = SignInDialog(services.auth, shop)
    dialog.resize(420, 520)
    dialog.show()
    save(dialog, out_dir / "sign-in.png")
    staff = services.auth.staff_for_sign_in()
    owner = next(s for s in staff if s.role is Role.OWNER)
    user = services.auth.sign_in(owner.id, DEMO_PIN)
    bridge = ScannerBridge(services.scanner)
    window = open_window(services, user, bridge, work, "window.ini")
    save(window, out_dir / "calendar.png")
    calendar_views(window, services, out_dir)
    with_allergy = client_with_allergies(services)
    window.find_client()
    window.clients.search_edit.setText(with_allergy.name.split()[0][:3])
    window.clients.run_search()
    for row in range(window.clients.results.rowCount()):
        if window.clients.results.client_at(row).id == with_allergy.id:
            window.clients.results_view.setCurrentIndex(window.clients.results.index(row, 0))
    window.open_client(with_allergy.id)
    save(window, out_dir / "client-card.png")
    card = window.clients.card_view
    card.tabs.setCurrentIndex(2)  # Health: allergies, contraindications, patch tests
    save(window, out_dir / "client-card-health.png")
    card.tabs.setCurrentIndex(0)
    schedule = services.calendar.day(services.shop.today(), user)
    morning = [a for a in schedule.appointments if a.payable]
    for appt, method in zip(morning[:6], [PaymentMethod.CARD, PaymentMethod.CASH] * 3, strict=True):
        services.checkout.complete_sale(appt.id, method, None, user)
    window.start_checkout(morning[6].id)
    window.checkout.cash_radio.click()
    window.checkout.received_edit.setText("200")
    save(window, out_dir / "checkout.png")
    products = window.checkout.products
    for product in [p for p in services.products.products(user) if p.stock > 3][:2]:
        products.search.setText(product.sku)
        products.take_match()
    # enough cash for the bill in each demo's currency (pounds, yuan, roubles)
    window.checkout.received_edit.setText({"en": "300", "zh_CN": "3000"}.get(language, "10000"))
    save(window, out_dir / "checkout-products.png")
    window.show_area(3)
    window.reports.create_report()
    save(window, out_dir / "reports.png")
    back_office(window, out_dir)
    my_day(services, staff, work, out_dir)
    guide = open_guided_start(window.desk, window, at="services")
    guide.resize(1150, 760)
    save(guide, out_dir / "guided-start.png")
    guide.close()
    new_shop = NewShopDialog(ShopStarter(lambda: services))
    new_shop.locale_combo.setCurrentIndex(
        new_shop.locale_combo.findData(services.shop.info().locale)
    )
    new_shop.name_edit.setText(shop)
    new_shop.tax_edit.setText("20")
    new_shop.show()
    save(new_shop, out_dir / "new-shop.png")
    new_shop.close()
    window.close()
    app.quit()
    return 0


def open_window(
    services: AppServices, user: SignedIn, bridge: ScannerBridge, work: Path, place: str
) -> MainWindow:
    """The signed-in window as large as the pictures, not the user's own remembered place."""
    window = MainWindow(
        services,
        user,
        ImmediateExecutor(),
        bridge,
        services.shop.info().name,
        work / "reports",
        opener=lambda _p: None,
        place=WindowPlace(work / place, available=lambda: QRect(0, 0, 1400, 900)),
    )
    window.resize(1360, 860)
    window.show()
    return window


def my_day(services: AppServices, staff: Sequence[StaffChoice], work: Path, out_dir: Path) -> None:
    """A therapist's own window: My day, with the most clients still to come today."""
    therapists = [s for s in staff if s.role is Role.THERAPIST]
    signed = [services.auth.sign_in(t.id, DEMO_PIN) for t in therapists]
    therapist = max(signed, key=lambda t: len(services.therapist_day.my_day(t)))
    window = open_window(
        services, therapist, ScannerBridge(services.scanner), work, "window-therapist.ini"
    )
    save(window, out_dir / "my-day.png")
    window.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Regenerate the README's screenshots.")
    parser.add_argument("out_dir", nargs="?", type=Path, default=Path("resources/screenshots"))
    parser.add_argument("--language", choices=tuple(DEMO_LOCALES), default="en")
    options = parser.parse_args()
    raise SystemExit(main(options.out_dir, options.language))
