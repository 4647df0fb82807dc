"""The shop's header lines and logo on a printed receipt, read back from the ESC/POS bytes."""

from __future__ import annotations

import dataclasses
import io
import logging

import pytest
from escpos.image import EscposImage
from PIL import Image

from printing.escpos_layout import PAPER_58MM, PAPER_80MM, PrinterProfile, render_receipt
from printing.logo import prepare_logo
from printing.receipt import Receipt
from tests.printing.escpos_bytes import parse

GS_V0 = b"\x1dv0"


def _logo() -> bytes:
    picture = Image.new("RGB", (900, 300), (255, 255, 255))
    for x in range(0, 900, 2):
        for y in range(100, 200):
            picture.putpixel((x, y), (0, 0, 0))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return prepare_logo(out.getvalue())


@pytest.mark.parametrize("profile", [PAPER_58MM, PAPER_80MM], ids=["58mm", "80mm"])
def test_the_logo_is_printed_first_centred_and_the_header_under_the_shop(
    receipt: Receipt, profile: PrinterProfile
) -> None:
    logo = _logo()
    with_both = dataclasses.replace(receipt, header=("Open every day", "Licence 42"), logo_png=logo)
    data = render_receipt(with_both, profile)
    printout = parse(data)

    first = printout.lines[0]
    assert first.picture_dots == profile.columns * 12  # a strip as wide as the paper
    start = data.index(GS_V0)
    width_bytes = data[start + 4] + 256 * data[start + 5]
    height = data[start + 6] + 256 * data[start + 7]
    stored = Image.open(io.BytesIO(logo))
    assert height == stored.height
    raster = data[start + 8 : start + 8 + width_bytes * height]
    strip = Image.new("1", (profile.columns * 12, stored.height), 1)
    strip.paste(stored, ((strip.width - stored.width) // 2, 0))
    assert raster == EscposImage(strip).to_raster_format()
    assert any(b < 255 for b in raster)  # something black

    texts = [line.raw.decode("cp437").strip() for line in printout.lines if line.raw]
    assert texts.index("Open every day") > texts.index("Lotus Spa")
    assert texts.index("Licence 42") == texts.index("Open every day") + 1
    assert texts.index("Licence 42") < next(i for i, t in enumerate(texts) if "R-000123" in t)


def test_no_logo_no_picture(receipt: Receipt) -> None:
    assert parse(render_receipt(receipt, PAPER_80MM)).lines[0].picture_dots == 0


@pytest.mark.expect_log("printing.escpos_layout", logging.WARNING)
def test_a_broken_logo_never_stops_the_receipt(receipt: Receipt) -> None:
    data = render_receipt(dataclasses.replace(receipt, logo_png=b"\x89PNG broken"), PAPER_80MM)
    assert parse(data).lines[0].picture_dots == 0
    assert b"Lotus Spa" in data
