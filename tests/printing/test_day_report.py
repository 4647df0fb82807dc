"""The end-of-day PDF, read back with pypdf."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pypdf
import pytest

from printing import atomic
from printing.day_report import render_day_report, write_day_report
from printing.day_report_data import DayReport, DayReportLabels
from printing.fonts import HELVETICA
from tests.printing.pdf_fonts import fonts_a_reader_may_lack
from tests.system_parts import require_cjk_font, require_cyrillic_font

CLIENTS = ("Иванова Мария", "王芳", "Emma <Smith> & Co")
THERAPISTS = ("Anna", "Ольга", "李娜")


@pytest.fixture
def report() -> DayReport:
    sales = tuple(
        (
            f"R-{n:06d}",
            f"{9 + n % 9:02d}:{n % 60:02d}",
            CLIENTS[n % 3],
            THERAPISTS[n % 3],
            "Card",
            f"€{n * 7}.00",
        )
        for n in range(1, 43)
    )
    return DayReport(
        shop_name="Lotus Spa",
        title="End of day — Monday 23 November 2026",
        generated_at="Generated 23/11/2026 21:05",
        summary=(("Sales", "42"), ("Gross takings", "€3,120.00"), ("Refunds", "€0.00")),
        by_payment_method=(("Cash", 10, "€800.00"), ("Card", 32, "€2,320.00")),
        by_therapist=(
            ("Anna", 14, "€1,000.00"),
            ("李娜", 14, "€1,400.00"),
            ("Ольга", 14, "€720.00"),
        ),
        sales=sales,
    )


def _text(path_or_bytes: Path | bytes) -> tuple[str, int]:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_report_has_totals_breakdowns_and_page_numbers(tmp_path: Path, report: DayReport) -> None:
    path = tmp_path / "day.pdf"

    write_day_report(report, path)

    text, pages = _text(path)
    assert path.read_bytes().startswith(b"%PDF")
    for expected in ("Lotus Spa", "End of day — Monday 23 November 2026", "€3,120.00"):
        assert expected in text
    for expected in ("Cash", "€2,320.00", "Anna", "€1,000.00", "R-000042", "€294.00"):
        assert expected in text
    assert "Emma <Smith> & Co" in text  # markup characters are text, not tags
    assert pages >= 2
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text


def test_chinese_and_russian_names_are_embedded_and_readable(
    tmp_path: Path, report: DayReport
) -> None:
    require_cjk_font()
    path = tmp_path / "day.pdf"

    write_day_report(report, path)

    text, _pages = _text(path)
    for name in ("王芳", "李娜", "Иванова Мария", "Ольга"):
        assert name in text
    assert fonts_a_reader_may_lack(path.read_bytes()) == []  # readable on any computer


def test_a_day_without_sales_says_so(tmp_path: Path, report: DayReport) -> None:
    empty = dataclasses.replace(
        report,
        summary=(("Sales", "0"), ("Gross takings", "€0.00")),
        by_payment_method=(),
        by_therapist=(),
        sales=(),
    )
    path = tmp_path / "empty.pdf"

    write_day_report(empty, path)

    text, pages = _text(path)
    assert "No sales were recorded on this day." in text
    assert "Page 1 of 1" in text
    assert pages == 1
    assert "By therapist" not in text


def test_labels_and_headers_can_be_translated(report: DayReport) -> None:
    require_cyrillic_font()
    labels = DayReportLabels(summary="Итоги", sales="Продажи", page="Стр. {page} из {pages}")
    header = ("№", "Время", "Клиент", "Мастер", "Оплата", "Сумма")

    text, pages = _text(
        render_day_report(dataclasses.replace(report, labels=labels, sales_header=header))
    )

    assert "Итоги" in text
    assert "Продажи" in text
    assert "Сумма" in text
    assert f"Стр. 1 из {pages}" in text


def test_without_any_unicode_font_the_report_still_renders(report: DayReport) -> None:
    text, _pages = _text(render_day_report(report, HELVETICA))

    assert "€3,120.00" in text
    assert "Anna" in text


def test_writing_replaces_the_old_file_in_one_step(
    tmp_path: Path, report: DayReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "day.pdf"
    path.write_bytes(b"old report")

    def crash(*_args: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        write_day_report(report, path)

    assert path.read_bytes() == b"old report"
    assert list(tmp_path.iterdir()) == [path]
