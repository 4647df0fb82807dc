"""Receipts in the shop's language, and reprints that say COPY and are logged."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from db.models import AuditEntry, PrintJob, PrintJobKind, PrintJobState, ShopProfile
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.errors import DomainError
from frontdesk.services.auth import COMMAND_LINE, AuthService, NotPermitted, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.receipt_words import receipt_words
from frontdesk.services.receipts import ReceiptService
from frontdesk.services.unit_of_work import UnitOfWork
from printing.escpos_layout import PAPER_80MM, PrinterProfile, render_receipt
from printing.raster_text import line_font
from printing.receipt import Receipt
from tests.printing.escpos_bytes import read_back
from tests.seed import PIN, SeededShop

CHINESE_PRINTER = PrinterProfile(columns=48, chinese=True)


def _set_shop(database: UnitOfWork, locale: str, currency: str) -> None:
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale=locale, currency=currency))


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.receptionist_id, PIN)


def _two_sales(database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn) -> None:
    checkout = CheckoutService(database, clock)
    checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, desk)


def _printed(receipt: Receipt, profile: PrinterProfile) -> str:
    return "\n".join(line.text for line in read_back(receipt, profile))


LANGUAGES = [
    pytest.param(
        "en_GB",
        "GBP",
        PAPER_80MM,
        ["Receipt", "Cashier", "Client", "Total", "incl. tax 20%", "Cash", "Change", "Card"],
        id="en",
    ),
    pytest.param(
        "ru_RU",
        "RUB",
        PAPER_80MM,
        ["Чек", "Кассир", "Клиент", "Итого", "в т.ч. НДС 20%", "Наличные", "Сдача", "Карта"],
        id="ru",
    ),
    pytest.param(
        "zh_CN",
        "CNY",
        CHINESE_PRINTER,
        ["单号", "收银员", "顾客", "合计", "其中税额 20%", "现金", "找零", "银行卡"],
        id="zh",
    ),
    pytest.param(
        "zh_CN",
        "CNY",
        PAPER_80MM,
        ["单号", "收银员", "顾客", "合计", "其中税额 20%", "现金", "找零", "银行卡"],
        id="zh-printer-without-chinese",
    ),
]


@pytest.mark.parametrize(("locale", "currency", "profile", "words"), LANGUAGES)
def test_receipt_labels_are_in_the_shop_language(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
    locale: str,
    currency: str,
    profile: PrinterProfile,
    words: list[str],
) -> None:
    if not profile.chinese and locale.startswith("zh"):
        font = line_font()
        if font is None or not font.covers("收"):
            pytest.skip("no font with Chinese on this machine (apt-get install fonts-wqy-microhei)")
    _set_shop(database, locale, currency)
    _two_sales(database, clock, shop, desk)
    receipts = ReceiptService(database)

    text = "\n".join(
        _printed(receipts.receipt_for(number), profile) for number in ("R-000001", "R-000002")
    )

    assert "?" not in text
    for word in words:
        assert word in text
    if not locale.startswith("en"):
        for english in ("Receipt", "Cashier", "Client", "Total", "tax", "Cash", "Change"):
            assert english not in text


def test_unknown_languages_get_english_and_every_word_is_filled() -> None:
    assert receipt_words("fr_FR") == receipt_words("en_GB")
    assert receipt_words("zh_Hans_CN").total == "合计"
    assert receipt_words("ru").copy == "КОПИЯ"
    for locale in ("en", "zh_CN", "ru_RU"):
        words = receipt_words(locale)
        assert all(getattr(words, name).strip() for name in words.__dataclass_fields__)


@pytest.mark.parametrize(
    ("locale", "currency", "profile", "copy"),
    [
        ("en_GB", "GBP", PAPER_80MM, "COPY"),
        ("ru_RU", "RUB", PAPER_80MM, "КОПИЯ"),
        ("zh_CN", "CNY", CHINESE_PRINTER, receipt_words("zh_CN").copy),
    ],
)
def test_a_reprint_says_copy_never_opens_the_drawer_and_is_logged(
    database: UnitOfWork,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
    locale: str,
    currency: str,
    profile: PrinterProfile,
    copy: str,
) -> None:
    _set_shop(database, locale, currency)
    checkout = CheckoutService(database, clock)
    sale = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    sent: list[Receipt] = []
    receipts = ReceiptService(database, clock)

    receipts.reprint("R-000001", desk, sent.append)

    (reprint,) = sent
    assert not reprint.open_drawer
    original, again = render_receipt(sale.receipt, profile), render_receipt(reprint, profile)
    assert original != again
    assert copy not in _printed(sale.receipt, profile)
    lines = read_back(reprint, profile)
    copies = [line for line in lines if copy in line.text]
    assert len(copies) == 2  # under the shop's name in double size, and at the very end
    with database.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "receipt.reprinted")).one()
    assert (entry.staff_id, entry.entity, entry.entity_id) == (desk.staff_id, "sale", sale.sale_id)
    assert entry.detail == "R-000001"
    assert entry.at == clock.now()


def test_reprint_refusals_send_and_log_nothing(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    _two_sales(database, clock, shop, desk)
    receipts = ReceiptService(database, clock)
    sent: list[Receipt] = []
    therapist = AuthService(database, clock).sign_in(shop.therapist_id, PIN)

    with pytest.raises(DomainError, match="There is no sale with receipt number R-999999"):
        receipts.reprint("R-999999", desk, sent.append)
    with pytest.raises(NotPermitted):
        receipts.reprint("R-000001", therapist, sent.append)

    def broken_printer(_receipt: Receipt) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        receipts.reprint("R-000001", desk, broken_printer)
    assert sent == []
    with database.read() as s:
        assert (
            s.scalars(select(AuditEntry).where(AuditEntry.action == "receipt.reprinted")).all()
            == []
        )


def test_the_command_line_may_reprint_and_is_logged_without_a_staff_member(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    _two_sales(database, clock, shop, desk)
    sent: list[Receipt] = []

    ReceiptService(database, clock).reprint(" r-000002 ", COMMAND_LINE, sent.append)

    assert [receipt.number for receipt in sent] == ["R-000002"]
    assert ReceiptService(database).receipt_for("2").number == "R-000002"  # as typed at a desk
    with database.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "receipt.reprinted")).one()
    assert entry.staff_id is None
    assert entry.detail == "R-000002 by command line"


def test_a_queued_reprint_and_its_audit_entry_commit_together(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    _two_sales(database, clock, shop, desk)
    receipts = ReceiptService(database, clock)

    copy = receipts.queue_reprint("2", desk, station="till-1")

    assert (copy.number, copy.copy, copy.open_drawer) == ("R-000002", True, False)
    with database.read() as s:
        jobs = s.scalars(select(PrintJob).where(PrintJob.kind == PrintJobKind.REPRINT.value))
        [job] = jobs.all()
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "receipt.reprinted"))
    assert (job.station, job.state) == ("till-1", PrintJobState.QUEUED.value)
    assert (entry.entity_id, entry.staff_id, entry.detail) == (
        job.sale_id,
        shop.receptionist_id,
        "R-000002",
    )


def test_a_refused_queued_reprint_writes_neither_job_nor_audit_entry(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, desk: SignedIn
) -> None:
    _two_sales(database, clock, shop, desk)
    therapist = AuthService(database, clock).sign_in(shop.therapist_id, PIN)
    receipts = ReceiptService(database, clock)

    with pytest.raises(NotPermitted):
        receipts.queue_reprint("R-000001", therapist, station="till-1")
    with pytest.raises(DomainError, match="R-000099"):
        receipts.queue_reprint("R-000099", desk, station="till-1")

    with database.read() as s:
        assert s.scalars(select(PrintJob).where(PrintJob.kind == "reprint")).all() == []
        assert (
            s.scalars(select(AuditEntry).where(AuditEntry.action == "receipt.reprinted")).all()
            == []
        )
