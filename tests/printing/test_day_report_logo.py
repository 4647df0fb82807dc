"""The shop's logo on the end-of-day PDF, read back with pypdf."""

from __future__ import annotations

import dataclasses
import io

import pypdf
from PIL import Image

from printing.day_report import render_day_report
from printing.day_report_data import DayReport
from printing.fonts import HELVETICA
from printing.logo import prepare_logo

REPORT = DayReport(
    shop_name="Lotus Spa",
    title="End of day — Monday 23 November 2026",
    generated_at="Generated 23/11/2026 21:05",
    summary=(("Sales", "1"), ("Gross takings", "£85.00")),
    by_payment_method=(("Cash", 1, "£85.00"),),
    by_therapist=(("Anna", 1, "£85.00"),),
    sales=(("R-000001", "10:00", "Anna Smith", "Anna", "Cash", "£85.00"),),
)


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 200), (0, 0, 0)).save(out, format="PNG")
    return prepare_logo(out.getvalue())


def _images(data: bytes) -> list[tuple[int, int]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [(image.image.width, image.image.height) for image in reader.pages[0].images]


def test_the_logo_is_drawn_on_the_first_page_beside_the_title() -> None:
    logo = _logo()
    data = render_day_report(dataclasses.replace(REPORT, logo_png=logo), HELVETICA)
    assert _images(data) == [Image.open(io.BytesIO(logo)).size]
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Lotus Spa" in text
    assert "R-000001" in text


def test_no_logo_no_picture_and_a_broken_one_is_left_out() -> None:
    assert _images(render_day_report(REPORT, HELVETICA)) == []
    broken = dataclasses.replace(REPORT, logo_png=b"\x89PNG broken")
    assert _images(render_day_report(broken, HELVETICA)) == []
