"""ESC/POS bytes of receipts: text, init, cut, drawer, code pages, Chinese mode, columns."""

from __future__ import annotations

import dataclasses

import pytest
from escpos.capabilities import CAPABILITIES

from printing.escpos_layout import (
    PAPER_58MM,
    PAPER_80MM,
    PrinterProfile,
    render_drawer_kick,
    render_receipt,
    render_test_page,
)
from printing.raster_text import line_font
from printing.receipt import Receipt, ReceiptLabels, ReceiptLine
from tests.printing.escpos_bytes import parse

INIT = b"\x1b@"
CUT = b"\x1bd\x06\x1dV\x00"  # feed six lines, full cut
DRAWER_KICK = b"\x1bp\x00\x32\x32"  # ESC p, pin 2, 100 ms on / 100 ms off
CP866 = b"\x1bt\x11"  # ESC t 17


def test_receipt_starts_with_init_and_ends_with_the_cut(receipt: Receipt) -> None:
    data = render_receipt(receipt, PAPER_80MM)

    assert data.startswith(INIT)
    assert data.endswith(CUT)
    assert DRAWER_KICK not in data


def test_receipt_holds_the_expected_text(receipt: Receipt) -> None:
    data = render_receipt(receipt, PAPER_80MM)

    for text in (b"Lotus Spa", b"12 High Street, London", b"R-000123", b"23/11/2026 10:00"):
        assert text in data
    for text in (b"Deep tissue massage", b"Subtotal", b"Total", b"Cash", b"Thank you"):
        assert text in data
    assert b"2 x " in data  # quantity of the second line


def test_drawer_kick_only_for_cash_sales(receipt: Receipt) -> None:
    cash_sale = dataclasses.replace(receipt, open_drawer=True)

    data = render_receipt(cash_sale, PAPER_80MM)

    assert data.endswith(CUT + DRAWER_KICK)
    assert data.count(b"\x1bp") == 1
    assert render_drawer_kick() == DRAWER_KICK


def test_cyrillic_goes_out_as_cp866(receipt: Receipt) -> None:
    data = render_receipt(receipt, PAPER_80MM)

    assert CP866 + "Маникюр".encode("cp866") in data
    assert "Иванова Мария".encode("cp866") in data


def test_euro_sign_goes_out_in_a_code_page_that_has_it(receipt: Receipt) -> None:
    data = render_receipt(receipt, PAPER_80MM)

    # ESC t 16 is WPC1252, where the euro sign is 0x80.
    assert b"\x1bt\x10\x8085.00" in data


def test_chinese_printer_gets_chinese_mode_and_gb18030(receipt: Receipt) -> None:
    profile = PrinterProfile(columns=48, chinese=True)

    data = render_receipt(receipt, profile)

    enter = data.index(b"\x1c&" + "足部按摩".encode("gb18030"))
    assert data.index(b"\x1c.", enter) > enter
    assert "王芳".encode("gb18030") in data
    assert CP866 + "Маникюр".encode("cp866") in data  # lines without Han keep code pages


def test_printer_without_chinese_gets_a_picture_of_the_line(receipt: Receipt) -> None:
    font = line_font()
    if font is None or not font.covers("足"):
        pytest.skip("no font with Chinese on this machine (apt-get install fonts-wqy-microhei)")

    data = render_receipt(receipt, PAPER_80MM)

    assert b"\x1c&" not in data
    assert "足".encode("gb18030") not in data
    assert b"foot massage" not in data  # the whole line is in the picture
    assert data.count(b"\x1dv0") == 2  # the item line and its detail (王芳)


def test_unprintable_text_becomes_question_marks_and_never_commands() -> None:
    hostile = Receipt(
        shop_name="Spa \U0001f9d6",
        shop_lines=("مرحبا",),
        number="R-1",
        issued_at="today",
        cashier="Anna\x1bp\x00\x19\xfa",  # would open the drawer if sent raw
        customer="Zoë\u0301 \u200b",
        lines=(ReceiptLine("Massage\r\n\x00\x07", 1, "€1"),),
        totals=(("Total", "€1"),),
        payments=(),
    )

    data = render_receipt(hostile, PAPER_58MM)

    assert b"\x1bp" not in data
    assert b"Spa ?" in data
    assert b"?????" in data
    assert parse(data).commands  # every escape byte is a known command


@pytest.mark.parametrize("profile", [PAPER_58MM, PAPER_80MM, PrinterProfile(42, chinese=True)])
def test_no_line_is_wider_than_the_paper(receipt: Receipt, profile: PrinterProfile) -> None:
    lines = parse(render_receipt(receipt, profile)).lines

    assert max(line.columns for line in lines) <= profile.columns
    assert b"-" * profile.columns in [line.raw for line in lines]


def test_long_descriptions_wrap_under_themselves_and_keep_the_amount(receipt: Receipt) -> None:
    lines = [line.raw for line in parse(render_receipt(receipt, PAPER_58MM)).lines]

    first = next(line for line in lines if line.startswith(b"Deep tissue"))
    assert first.endswith(b"85.00")
    follower = lines[lines.index(first) + 1]
    assert follower.startswith(b"  ")
    assert follower.strip()


def test_shop_name_is_centred_in_double_size_and_totals_are_bold(receipt: Receipt) -> None:
    data = render_receipt(receipt, PAPER_80MM)

    name = data.index(b"Lotus Spa")
    header = data[:name]
    assert b"\x1b!\x30" in header
    assert b"\x1ba\x01" in header
    total = data.index(b"Subtotal")
    assert data.rfind(b"\x1bE\x01", 0, total) > data.rfind(b"\x1bE\x00", 0, total)
    assert b"\x1bE\x00" in data[total:]


def test_labels_can_be_translated(receipt: Receipt) -> None:
    labels = ReceiptLabels(number="Чек", cashier="Кассир", customer="Клиент")

    data = render_receipt(dataclasses.replace(receipt, labels=labels), PAPER_80MM)

    assert "Кассир".encode("cp866") in data
    assert b"Cashier" not in data


def test_test_page_shows_the_column_ruler_and_cuts() -> None:
    for profile in (PAPER_58MM, PAPER_80MM):
        data = render_test_page(profile)
        ruler = "".join(str(n % 10) for n in range(1, profile.columns + 1)).encode()
        assert ruler + b"\n" in data
        assert data.startswith(INIT)
        assert data.endswith(CUT)
        assert max(line.columns for line in parse(data).lines) <= profile.columns


def test_chinese_test_page_has_a_chinese_line() -> None:
    data = render_test_page(PrinterProfile(columns=32, chinese=True))

    assert b"\x1c&" + "中文".encode("gb18030") in data


@pytest.mark.parametrize(
    ("columns", "name"), [(8, "TM-T20II"), (48, "No Such Printer")], ids=["narrow", "unknown"]
)
def test_bad_profiles_are_refused(columns: int, name: str) -> None:
    with pytest.raises(ValueError, match=r"columns|profile"):
        PrinterProfile(columns=columns, escpos_profile=name)


def test_every_python_escpos_profile_renders_plain_text(receipt: Receipt) -> None:
    for name in CAPABILITIES["profiles"]:
        data = render_receipt(receipt, PrinterProfile(columns=32, escpos_profile=name))
        assert b"Deep tissue" in data, name  # even profiles with no usable code page


def test_chinese_double_size_lines_use_gs_excl_which_enlarges_han() -> None:
    receipt = Receipt(
        shop_name="莲花 Spa",
        shop_lines=(),
        number="R-1",
        issued_at="2026年11月23日",
        cashier="王芳",
        customer=None,
        lines=(),
        totals=(("合计", "¥1.00"),),
        payments=(),
    )

    data = render_receipt(receipt, PrinterProfile(columns=32, chinese=True))

    assert data.startswith(b"\x1b@\x1c.")  # out of Chinese mode until a Chinese run
    name = data.index("莲花".encode("gb18030"))
    assert data.rfind(b"\x1d!\x11", 0, name) > data.rfind(b"\x1d!\x00", 0, name)
    after = data.index(b"Spa\n", name)
    assert data.index(b"\x1d!\x00", after) < data.index(b"R-1")
    assert data.rfind(b"\x1b!\x00", 0, data.index(b"R-1")) > after  # normal size sent again
