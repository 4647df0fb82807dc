"""Finding a font for PDF reports at run time, with a fallback that never crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from printing.fonts import HELVETICA, REGISTERED_NAME, find_font, font_dirs, report_font


def _installed(name: str) -> Path:
    for directory in font_dirs():
        for root, _dirs, files in os.walk(directory):
            if name in files:
                return Path(root) / name
    pytest.skip(f"{name} is not installed on this machine")


def test_nothing_found_falls_back_to_helvetica(tmp_path: Path) -> None:
    assert find_font([tmp_path], use_fontconfig=False) == HELVETICA
    assert not HELVETICA.covers_cjk
    assert not HELVETICA.covers_cyrillic


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


def test_report_font_is_registered_once() -> None:
    first = report_font()

    assert report_font() is first
    if first.path is not None:
        assert first.name == REGISTERED_NAME
        assert pdfmetrics.getFont(REGISTERED_NAME) is not None
