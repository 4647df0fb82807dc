import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from db.models import Customer, ShopProfile, Staff
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.money import Money
from frontdesk.domain.roles import Permission
from frontdesk.services.auth import AuthService, NotPermitted
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.reports import MethodTotal, ReportService, TherapistTotal
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import PIN, SeededShop
from tests.system_parts import require_cjk_font, require_cyrillic_font

DAY = date(2026, 11, 23)


def test_end_of_day_totals_by_method_and_therapist(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, tmp_path: Path
) -> None:
    auth = AuthService(database, clock)
    desk = auth.sign_in(shop.receptionist_id, PIN)
    owner = auth.sign_in(shop.owner_id, PIN)
    checkout = CheckoutService(database, clock)
    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    clock.instant += timedelta(hours=5)
    checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, desk)
    reports = ReportService(database, clock)
    report = reports.day_report(DAY, owner)
    assert dict(report.summary)["Sales"] == "2"
    assert dict(report.summary)["Gross takings"] == "£145.00"
    assert dict(report.summary)["Cash expected in drawer"] == "£85.00"
    assert report.by_payment_method == (("Card", 1, "£60.00"), ("Cash", 1, "£85.00"))
    assert report.by_therapist == (("Tom Therapist", 1, "£85.00"), ("Uma Therapist", 1, "£60.00"))
    assert [row[0] for row in report.sales] == ["R-000001", "R-000002"]
    assert report.sales[0][1] == "10:00"
    path = reports.write_day_report(DAY, tmp_path / "eod.pdf", owner)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    for expected in ("£145.00", "Tom Therapist", "Uma Therapist", "R-000002"):
        assert expected in text
    # The next day is empty, and says so.
    empty = reports.day_report(DAY + timedelta(days=1), owner)
    assert empty.sales == ()
    assert dict(empty.summary)["Gross takings"] == "£0.00"


def test_end_of_day_pdf_prints_chinese_client_names(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, tmp_path: Path
) -> None:
    require_cjk_font()
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    owner = AuthService(database, clock).sign_in(shop.owner_id, PIN)
    CheckoutService(database, clock).complete_sale(
        shop.afternoon_appt_id, PaymentMethod.CARD, None, desk
    )

    path = ReportService(database, clock).write_day_report(DAY, tmp_path / "eod.pdf", owner)

    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "王芳" in text


def test_money_reports_need_the_right_role(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    with pytest.raises(NotPermitted) as refused:
        ReportService(database, clock).day_report(DAY, desk)
    assert refused.value.params["permission"] is Permission.VIEW_MONEY_REPORTS


def test_day_figures_are_values_not_text(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    auth = AuthService(database, clock)
    desk = auth.sign_in(shop.receptionist_id, PIN)
    owner = auth.sign_in(shop.owner_id, PIN)
    checkout = CheckoutService(database, clock)
    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, desk)
    reports = ReportService(database, clock)

    figures = reports.day_figures(DAY, owner)

    assert figures.sales == 2
    assert figures.gross == Money(14500, "GBP")
    assert figures.average == Money(7250, "GBP")
    assert figures.cash_expected == Money(8500, "GBP")
    assert figures.by_method == (
        MethodTotal(PaymentMethod.CARD, 1, Money(6000, "GBP")),
        MethodTotal(PaymentMethod.CASH, 1, Money(8500, "GBP")),
    )
    assert figures.by_therapist == (
        TherapistTotal("Tom Therapist", 1, Money(8500, "GBP")),
        TherapistTotal("Uma Therapist", 1, Money(6000, "GBP")),
    )
    both = reports.end_of_day(DAY, owner)
    assert both.figures == figures
    assert dict(both.report.summary)["Sales"] == "2"
    empty = reports.day_figures(DAY + timedelta(days=1), owner)
    assert (empty.sales, empty.gross, empty.average) == (0, Money(0, "GBP"), Money(0, "GBP"))
    assert empty.by_method == empty.by_therapist == ()


def pdf_text(path: Path) -> str:
    """The PDF read back the way a person would copy it out (poppler's pdftotext)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    done = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


LOCAL_SHOPS = {
    "zh_CN": (
        "CNY",
        "柳树水疗",
        ("王芳", "李娜", "张伟", "刘洋"),
        (
            "日结报表 — 2026年11月23日星期一",
            "汇总",
            "销售笔数",
            "营业额",
            "其中税额",
            "客单价",
            "钱箱应有现金",
            "按支付方式",
            "支付方式",
            "按技师",
            "技师",
            "销售明细",
            "单号",
            "现金",
            "银行卡",
            "第 1 页，共 1 页",
        ),
    ),
    "ru_RU": (
        "RUB",
        "Ива",
        ("Ольга Орлова", "Рита Ресепшн", "Тимур Мастеров", "Ульяна Мастерова"),
        (
            "Отчёт за день — понедельник, 23 ноября 2026 г.",
            "Итоги",
            "Выручка",
            "в т.ч. НДС",
            "Средний чек",
            "Наличных в кассе должно быть",
            "По способам оплаты",
            "По мастерам",
            "Мастер",
            "Продажи",
            "№ чека",
            "Наличные",
            "Карта",
            "Страница 1 из 1",
        ),
    ),
}


@pytest.mark.parametrize("locale", list(LOCAL_SHOPS))
def test_end_of_day_pdf_speaks_the_shop_language(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, tmp_path: Path, locale: str
) -> None:
    currency, shop_name, staff_names, expected = LOCAL_SHOPS[locale]
    require_cjk_font() if locale.startswith("zh") else require_cyrillic_font()
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale=locale, currency=currency, name=shop_name))
        staff = s.scalars(select(Staff).order_by(Staff.id)).all()
        for member, name in zip(staff, staff_names, strict=True):
            member.display_name = name
        for number, customer in enumerate(s.scalars(select(Customer)).all()):
            customer.first_name, customer.last_name = staff_names[number % 4].split()[0], ""
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    owner = AuthService(database, clock).sign_in(shop.owner_id, PIN)
    checkout = CheckoutService(database, clock)
    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, None, desk)
    checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, desk)

    path = ReportService(database, clock).write_day_report(DAY, tmp_path / "eod.pdf", owner)

    text = pdf_text(path)
    for words in expected:
        assert words in text
    # Not one English word: only the receipt numbers' "R" is Latin.
    assert re.findall(r"[A-Za-z]{2,}", text) == []
