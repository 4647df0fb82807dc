"""Find, at run time, a TrueType font for PDF reports that covers Chinese and Cyrillic.

Order: fontconfig's answer for Chinese (when ``fc-match`` exists), then well-known font files
in the usual Linux, Windows and macOS font directories; a font is taken only if it loads
and really has the characters. Next best is a Latin + Cyrillic font (DejaVu Sans and the
like). When nothing is found, reports use Helvetica and :attr:`FontChoice.covers_cjk` and
:attr:`FontChoice.covers_cyrillic` are False so the caller can say so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGISTERED_NAME = "FrontDeskSans"
_CJK_PROBE = "中文汉字"
_CYRILLIC_PROBE = "ЖжЯя"
_FONT_SUFFIXES = (".ttf", ".ttc")

#: TrueType fonts with Chinese and Cyrillic, best first (Noto CJK is CFF-based: reportlab
#: cannot embed it).
CJK_FONT_FILES = (
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "msyh.ttc",
    "msyh.ttf",
    "simhei.ttf",
    "simsun.ttc",
    "Arial Unicode.ttf",
    "DroidSansFallbackFull.ttf",
)
#: Latin + Cyrillic fonts, best first.
CYRILLIC_FONT_FILES = (
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "NotoSans-Regular.ttf",
    "FreeSans.ttf",
    "arial.ttf",
    "Arial.ttf",
    "segoeui.ttf",
)


@dataclass(frozen=True)
class FontChoice:
    """The font reports use: a reportlab font name, its file (None for Helvetica), coverage."""

    name: str
    path: Path | None
    covers_cjk: bool
    covers_cyrillic: bool


HELVETICA = FontChoice("Helvetica", None, covers_cjk=False, covers_cyrillic=False)


def font_dirs() -> list[Path]:
    """The usual font directories of Linux, Windows and macOS that exist here."""
    home = Path.home()
    candidates = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
        Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
        Path(os.environ.get("LOCALAPPDATA", str(home))) / "Microsoft/Windows/Fonts",
        Path("/System/Library/Fonts"),
        Path("/Library/Fonts"),
        home / "Library/Fonts",
    ]
    return [path for path in candidates if path.is_dir()]


def _fontconfig_files(pattern: str) -> list[Path]:
    """What ``fc-match`` proposes for a pattern; nothing when fontconfig is missing."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    try:
        result = subprocess.run(
            [fc_match, "-f", "%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(result.stdout.strip())] if result.returncode == 0 and result.stdout else []


def _files_named(names: Sequence[str], dirs: Iterable[Path]) -> list[Path]:
    """Files with these names (any case) under ``dirs``, in the order of ``names``."""
    wanted = {name.lower(): rank for rank, name in enumerate(names)}
    found: list[tuple[int, Path]] = []
    for directory in dirs:
        for root, _subdirs, files in os.walk(directory):
            found.extend(
                (wanted[file.lower()], Path(root) / file)
                for file in files
                if file.lower() in wanted
            )
    return [path for _rank, path in sorted(found)]


def _load(path: Path) -> Any | None:
    """The font as a reportlab ``TTFont``, or None if reportlab cannot embed it."""
    if path.suffix.lower() not in _FONT_SUFFIXES or not path.is_file():
        return None
    try:
        return TTFont(REGISTERED_NAME, str(path), subfontIndex=0)
    except Exception:  # any broken or unsupported font file just is not a candidate
        return None


def _covers(font: Any, text: str) -> bool:
    glyphs = font.face.charToGlyph
    return all(ord(char) in glyphs for char in text)


def _find(search_dirs: Sequence[Path] | None, use_fontconfig: bool) -> tuple[FontChoice, Any]:
    dirs = font_dirs() if search_dirs is None else list(search_dirs)
    fontconfig: list[Path] = []
    if use_fontconfig:
        for pattern in (":lang=zh", "sans-serif:lang=zh-cn"):
            fontconfig += _fontconfig_files(pattern)
    cjk = [*fontconfig, *_files_named(CJK_FONT_FILES, dirs)]
    for path in dict.fromkeys(cjk):
        font = _load(path)
        if font is not None and _covers(font, _CJK_PROBE + _CYRILLIC_PROBE):
            return FontChoice(REGISTERED_NAME, path, True, True), font
    cyrillic = [*fontconfig, *_files_named(CYRILLIC_FONT_FILES, dirs)]
    if use_fontconfig:
        cyrillic += _fontconfig_files(":lang=ru")
    for path in dict.fromkeys(cyrillic):
        font = _load(path)
        if font is not None and _covers(font, _CYRILLIC_PROBE):
            return FontChoice(REGISTERED_NAME, path, False, True), font
    return HELVETICA, None


def find_font(
    search_dirs: Sequence[Path] | None = None, *, use_fontconfig: bool = True
) -> FontChoice:
    """The best font on this machine, without registering it.

    ``search_dirs`` replaces the usual font directories (for tests).
    """
    return _find(search_dirs, use_fontconfig)[0]


_lock = threading.Lock()
_registered: FontChoice | None = None


def report_font() -> FontChoice:
    """The font for PDF reports, found and registered with reportlab once per process."""
    global _registered  # noqa: PLW0603  # one registration per process is the point
    with _lock:
        if _registered is None:
            choice, font = _find(None, use_fontconfig=True)
            if font is not None:
                pdfmetrics.registerFont(font)
            _registered = choice
        return _registered


_glyphs_lock = threading.Lock()
_glyphs: tuple[FontChoice, frozenset[int]] | None = None


def find_font_glyphs() -> tuple[FontChoice, frozenset[int]]:
    """The best font on this machine and the code points it has glyphs for, once per process.

    Receipts draw the characters a printer lacks with it (see :mod:`printing.raster_text`).
    """
    global _glyphs  # noqa: PLW0603  # one font search per process
    with _glyphs_lock:
        if _glyphs is None:
            choice, font = _find(None, use_fontconfig=True)
            codepoints = frozenset(font.face.charToGlyph) if font is not None else frozenset()
            _glyphs = (choice, codepoints)
        return _glyphs
