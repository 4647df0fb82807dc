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


#: Families of the 14 fonts every PDF reader has (PDF 1.7, 9.6.2.2); others must be embedded.
STANDARD_FONTS = {"Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats"}


def _read(pdf: bytes) -> tuple[str, dict[str, bool]]:
    """The PDF's text, and for each font its pages use whether the font file is in the PDF."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    embedded = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            parts = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
            files = [
                part["/FontDescriptor"].get_object().keys() & {"/FontFile2", "/FontFile3"}
                for part in parts
                if "/FontDescriptor" in part
            ]
            embedded[str(font["/BaseFont"]).lstrip("/")] = any(files)
    return "\n".join(page.extract_text() for page in reader.pages), embedded


def _missing_elsewhere(embedded: dict[str, bool]) -> list[str]:
    """Fonts a reader on another computer may not have."""
    return [
        name
        for name, inside in embedded.items()
        if not inside and name.split("-")[0] not in STANDARD_FONTS
    ]


def test_nothing_found_falls_back_to_helvetica_and_reports_still_come_out(tmp_path: Path) -> None:
    choice = find_font([tmp_path], use_fontconfig=False)

    text, embedded = _read(render_day_report(_report("Emma Smith"), choice))

    assert choice == HELVETICA
    assert "Emma Smith" in text
    assert "€85.00" in text
    assert _missing_elsewhere(embedded) == []  # a built-in PDF font: every reader has it


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

    text, embedded = _read(render_day_report(_report("王芳")))

    assert "王芳" in text
    assert any(embedded.values())
    assert _missing_elsewhere(embedded) == []
    assert report_font() is report_font()  # searched and registered once per process
