"""Finding a font for PDF reports at run time, with a fallback that never crashes."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest

from printing.day_report import render_day_report
from printing.day_report_data import DayReport
from printing.fonts import HELVETICA, find_font, font_dirs, report_font
from tests.printing.pdf_fonts import fonts_a_reader_may_lack, fonts_of
from tests.system_parts import require_cjk_font


def _installed(name: str) -> Path:
    for directory in font_dirs():
        for root, _dirs, files in os.walk(directory):
            if name in files:
                return Path(root) / name
    pytest.skip(f"{name} is not installed on this machine")


def _report(client: str) -> DayReport:
    return DayReport(
        shop_name="Lotus Spa",
        title="End of day",
        generated_at="Generated 23/11/2026 21:05",
        summary=(("Sales", "1"),),
        by_payment_method=(("Card", 1, "€85.00"),),
        by_therapist=(("Anna", 1, "€85.00"),),
        sales=(("R-000001", "10:00", client, "Anna", "Card", "€85.00"),),
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_nothing_found_falls_back_to_helvetica_and_reports_still_come_out(tmp_path: Path) -> None:
    choice = find_font([tmp_path], use_fontconfig=False)

    pdf = render_day_report(_report("Emma Smith"), choice)

    assert choice == HELVETICA
    assert "Emma Smith" in _text(pdf)
    assert "€85.00" in _text(pdf)
    assert fonts_a_reader_may_lack(pdf) == []  # a built-in PDF font: every reader has it


def test_broken_font_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "wqy-microhei.ttc").write_bytes(b"not a font")
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")

    assert find_font([tmp_path], use_fontconfig=False) == HELVETICA


def test_chinese_font_is_found_in_any_font_directory(tmp_path: Path) -> None:
    nested = tmp_path / "truetype" / "wqy"
    nested.mkdir(parents=True)
    (nested / "wqy-microhei.ttc").symlink_to(_installed("wqy-microhei.ttc"))
    (tmp_path / "DejaVuSans.ttf").symlink_to(_installed("DejaVuSans.ttf"))

    choice = find_font([tmp_path], use_fontconfig=False)

    assert choice.path == nested / "wqy-microhei.ttc"
    assert choice.covers_cjk
    assert choice.covers_cyrillic


def test_cyrillic_font_is_the_next_best(tmp_path: Path) -> None:
    (tmp_path / "DejaVuSans.ttf").symlink_to(_installed("DejaVuSans.ttf"))

    choice = find_font([tmp_path], use_fontconfig=False)

    assert choice.path == tmp_path / "DejaVuSans.ttf"
    assert choice.covers_cyrillic
    assert not choice.covers_cjk


def test_reports_carry_their_font_so_any_computer_shows_chinese_names() -> None:
    """STSong-Light (not embedded) showed blanks on a reader without Chinese fonts."""
    require_cjk_font()

    pdf = render_day_report(_report("王芳"))

    assert "王芳" in _text(pdf)
    assert any(fonts_of(pdf).values())
    assert fonts_a_reader_may_lack(pdf) == []
    assert report_font() is report_font()  # searched and registered once per process
