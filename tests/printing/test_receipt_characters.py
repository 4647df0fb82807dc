"""Every character of an English, Russian or Chinese receipt prints: decoded from the bytes.

The bytes are decoded the way a printer decodes them (code page by code page, GB18030 in
Chinese mode); a line sent as a picture is matched against a fresh drawing of the line it
should show, so the whole receipt can be read back as text.
"""

from __future__ import annotations

import dataclasses

import pytest

from printing.escpos_layout import (
    PAPER_58MM,
    PAPER_80MM,
    PrinterProfile,
    fitter_for,
    printing_gaps,
)
from printing.raster_text import DOTS_PER_COLUMN, line_font, picture_of_line
from printing.receipt import Receipt, ReceiptLabels, ReceiptLine
from tests.printing.escpos_bytes import read_back

ENGLISH = Receipt(
    shop_name="Willow Spa",
    shop_lines=("1 High Street, London", "VAT GB123456789"),
    number="R-000007",
    issued_at="23 Nov 2026, 10:00",
    cashier="Rita Reception",
    customer="Zoë Smith",
    lines=(ReceiptLine("Deep Tissue Massage", 1, "£85.00", "Tom Therapist · 60 min"),),
    totals=(("Total", "£85.00"), ("incl. tax 20%", "£14.17")),
    payments=(("Cash", "£100.00"), ("Change", "£15.00")),
    footer=("Thank you!",),
)
RUSSIAN = Receipt(
    shop_name="Лотос",
    shop_lines=("Москва, ул. Тверская, 1",),
    number="R-000008",
    issued_at="23 нояб. 2026 г., 13:00",
    cashier="Ольга",
    customer="Иванова Мария",
    lines=(ReceiptLine("Массаж спины", 1, "3 500,00\u00a0₽", "Анна · 60 мин"),),
    totals=(("Итого", "3 500,00\u00a0₽"), ("в т.ч. НДС 20%", "583,33\u00a0₽")),
    payments=(("Наличные", "5 000,00\u00a0₽"), ("Сдача", "1 500,00\u00a0₽")),
    footer=("Спасибо!",),
    labels=ReceiptLabels(number="Чек", cashier="Кассир", customer="Клиент"),
)
CHINESE = Receipt(
    shop_name="莲花水疗",
    shop_lines=("北京市朝阳区建国路1号",),
    number="R-000009",
    issued_at="2026年11月23日 18:00",
    cashier="王芳",
    customer="李娜",
    lines=(
        ReceiptLine("足部按摩", 1, "¥298.00", "张伟 · 60 分钟"),
        ReceiptLine("精油 SPA", 2, "¥1,280.00"),
    ),
    totals=(("合计", "¥1,578.00"), ("其中税额 6%", "¥89.32")),
    payments=(("现金", "¥1,600.00"), ("找零", "¥22.00")),
    footer=("谢谢惠顾！",),
    labels=ReceiptLabels(number="单号", cashier="收银员", customer="顾客"),
)
CHINESE_PRINTER_80 = PrinterProfile(columns=48, chinese=True)
CHINESE_PRINTER_58 = PrinterProfile(columns=32, chinese=True)


def _needs_font(profile: PrinterProfile, receipt: Receipt) -> None:
    font = line_font()
    if not profile.chinese and receipt is CHINESE and (font is None or not font.covers("莲")):
        pytest.skip("no font with Chinese on this machine (apt-get install fonts-wqy-microhei)")


CASES = [
    pytest.param(ENGLISH, PAPER_80MM, ["£85.00", "Zoë Smith", "·", "Change"], id="en"),
    pytest.param(ENGLISH, PAPER_58MM, ["£15.00", "Zoë", "Thank you!"], id="en-58mm"),
    pytest.param(
        RUSSIAN,
        PAPER_80MM,
        ["3 500,00 руб.", "Итого", "в т.ч. НДС 20%", "Наличные", "Сдача", "Кассир", "Ольга"],
        id="ru",
    ),
    pytest.param(
        CHINESE,
        CHINESE_PRINTER_80,
        ["￥1,578.00", "合计", "收银员", "王芳", "找零", "莲花水疗", "谢谢惠顾！", "张伟 · 60"],
        id="zh-chinese-printer",
    ),
    pytest.param(CHINESE, CHINESE_PRINTER_58, ["￥22.00", "其中税额 6%"], id="zh-58mm"),
    pytest.param(
        CHINESE,
        PAPER_80MM,
        ["¥1,578.00", "合计", "收银员", "王芳", "找零", "莲花水疗", "谢谢惠顾！"],
        id="zh-printer-without-chinese",
    ),
]


@pytest.mark.parametrize(("receipt", "profile", "words"), CASES)
def test_every_character_prints(
    receipt: Receipt, profile: PrinterProfile, words: list[str]
) -> None:
    _needs_font(profile, receipt)

    lines = read_back(receipt, profile)

    text = "\n".join(line.text for line in lines)
    assert "?" not in text
    for word in words:
        assert word in text
    assert all(line.columns <= profile.columns for line in lines)


@pytest.mark.parametrize("profile", [CHINESE_PRINTER_80, CHINESE_PRINTER_58, PAPER_80MM])
def test_chinese_rows_fill_exactly_the_paper_width(profile: PrinterProfile) -> None:
    _needs_font(profile, CHINESE)

    lines = read_back(CHINESE, profile)

    rows = [line for line in lines if "¥" in line.text or "￥" in line.text]
    assert len(rows) == 6
    assert [line.columns for line in rows] == [profile.columns] * len(rows)
    assert all(line.text.rstrip() == line.text for line in rows)  # the amount ends the line


def test_picture_lines_have_ink_in_every_character_cell() -> None:
    font = line_font()
    if font is None or not font.covers("收"):
        pytest.skip("no font with Chinese on this machine (apt-get install fonts-wqy-microhei)")
    text = "收银员 王芳"
    fitter = fitter_for(PAPER_80MM)
    cells = [(char, fitter.width(char)) for char in text]

    image = picture_of_line(cells, 48, font).convert("L")

    x = 0
    for char, width in cells:
        box = image.crop((x, 0, x + width * DOTS_PER_COLUMN, image.height))
        assert (box.getextrema()[0] == 0) == (char != " "), char
        x += width * DOTS_PER_COLUMN


def test_rouble_sign_prints_as_the_code_when_the_printer_has_no_cyrillic() -> None:
    latin_only = PrinterProfile(columns=32, escpos_profile="TM-U220")  # PC437, no pictures
    receipt = dataclasses.replace(ENGLISH, totals=(("Total", "3 500,00 ₽"),))

    lines = read_back(receipt, latin_only)

    assert "3 500,00 RUB" in "\n".join(line.text for line in lines)


def test_gaps_name_what_a_printer_cannot_print_as_text() -> None:
    font = line_font()
    if font is None or not font.covers("中"):
        pytest.skip("no font with Chinese on this machine (apt-get install fonts-wqy-microhei)")

    assert printing_gaps(PAPER_80MM, "合计 ¥ ₽ Итого €") == printing_gaps(PAPER_80MM, "合计")
    assert printing_gaps(PAPER_80MM, "合计").pictured == "合计"
    assert printing_gaps(CHINESE_PRINTER_80, "合计 ¥ ₽ Итого €").pictured == ""
    assert printing_gaps(PAPER_80MM, "\U0001f9d6").missing == "\U0001f9d6"
