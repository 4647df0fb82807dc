"""Render receipts, test pages and drawer kicks to ESC/POS bytes with python-escpos.

The python-escpos profile is chosen deliberately: its paper width is set from the column
count (12 dots a column, 8 dots a millimetre) and only well-known code pages are used
(CP437, WPC1252, PC866, PC858) of those the profile really has, so Cyrillic goes out as CP866
and the euro sign works; python-escpos's magic encoder picks among them per character.
On a printer with a Chinese font, Han characters go out in Chinese mode (``FS &`` ... ``FS .``)
as double-byte GB18030. A line with a character that no code page and no Chinese font has is
printed as a picture drawn with a font found on this computer (:mod:`printing.raster_text`);
only when there is no such font does a character print as '?' (see :func:`printing_gaps`).
"""

from __future__ import annotations

import copy
import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# python-escpos and Pillow (printing.raster_text) are imported on first use: a start of the
# program builds a PrinterProfile but prints nothing yet.
from printing.receipt import Receipt
from printing.receipt_layout import LineBuilder, PrintLine, layout_receipt
from printing.text_fit import TextFitter, encode_wide_line

log = logging.getLogger(__name__)

#: Code pages we rely on, by python-escpos name; their numbers come from the printer profile.
CODE_PAGES = ("CP437", "CP1252", "CP866", "CP858")
ENTER_CHINESE = b"\x1c&"
LEAVE_CHINESE = b"\x1c."
#: GS ! 0x11 / 0x00: ESC ! does not enlarge Chinese characters in Chinese mode, GS ! does.
CHINESE_DOUBLE = b"\x1d!\x11"
CHINESE_NORMAL = b"\x1d!\x00"
#: python-escpos image modes, best first, by the profile feature that says the printer has it.
IMAGE_MODES = (("bitImageRaster", "bitImageRaster"), ("graphics", "graphics"))
MIN_COLUMNS = 16
DOTS_PER_COLUMN = 12
DOTS_PER_MM = 8


#: The python-escpos profile used unless the settings name another one.
DEFAULT_ESCPOS_PROFILE = "TM-T20II"


@dataclass(frozen=True)
class PrinterProfile:
    """What the layout needs to know about a receipt printer.

    58 mm paper has 32 columns, 80 mm paper 48. ``escpos_profile`` names a python-escpos
    profile for its code page numbers and cutter; ``chinese`` enables Chinese mode.
    """

    columns: int = 48
    escpos_profile: str = DEFAULT_ESCPOS_PROFILE
    chinese: bool = False

    def __post_init__(self) -> None:
        if self.columns < MIN_COLUMNS:
            raise ValueError(f"A receipt needs at least {MIN_COLUMNS} columns, not {self.columns}")
        if self.escpos_profile == DEFAULT_ESCPOS_PROFILE:
            return  # known good (tested); loading python-escpos's profiles takes half a second
        from escpos.capabilities import get_profile_class

        try:
            get_profile_class(self.escpos_profile)
        except KeyError:
            raise ValueError(f"Unknown python-escpos profile {self.escpos_profile!r}") from None


PAPER_58MM = PrinterProfile(columns=32)
PAPER_80MM = PrinterProfile(columns=48)


@functools.lru_cache(maxsize=16)
def _escpos_profile_data(profile: PrinterProfile) -> dict[str, Any]:
    from escpos.capabilities import get_profile_class

    data: dict[str, Any] = copy.deepcopy(get_profile_class(profile.escpos_profile).profile_data)
    numbers: dict[str, str] = {"CP437": "0"}  # page 0 is PC437 on every ESC/POS printer
    for number, name in sorted(data.get("codePages", {}).items(), key=lambda item: int(item[0])):
        numbers.setdefault(name, number)  # the lowest, standard number when listed twice
    data["codePages"] = {numbers[name]: name for name in CODE_PAGES if name in numbers}
    pixels = profile.columns * DOTS_PER_COLUMN
    data["media"] = {
        **data.get("media", {}),
        "width": {"mm": pixels // DOTS_PER_MM, "pixels": pixels},
    }
    data.setdefault("fonts", {}).setdefault("0", {"name": "Font A"})["columns"] = profile.columns
    return data


def code_pages(profile: PrinterProfile) -> dict[int, str]:
    """The code pages the renderer may select with ``ESC t n``: n -> python-escpos name."""
    pages = _escpos_profile_data(profile)["codePages"]
    return {int(number): str(name) for number, name in pages.items()}


@functools.lru_cache(maxsize=16)
def _escpos_profile_class(profile: PrinterProfile) -> Any:
    from escpos.capabilities import Profile

    return type("FrontDeskProfile", (Profile,), {"profile_data": _escpos_profile_data(profile)})


def _new_printer(profile: PrinterProfile) -> Any:
    from escpos.printer import Dummy

    features = _escpos_profile_data(profile).get("features", {})
    escpos_profile = _escpos_profile_class(profile)(columns=profile.columns, features=features)
    return Dummy(profile=escpos_profile)


def _image_mode(profile: PrinterProfile) -> str | None:
    features = _escpos_profile_data(profile).get("features", {})
    for feature, mode in IMAGE_MODES:
        if features.get(feature, False):
            return mode
    return None


def _can_draw(profile: PrinterProfile) -> Callable[[str], bool]:
    """Whether a picture of a character can be printed; the font is looked for only on need."""
    if _image_mode(profile) is None:
        return lambda _char: False

    def can_draw(char: str) -> bool:
        from printing.raster_text import line_font

        font = line_font()
        return font is not None and font.covers(char)

    return can_draw


@functools.lru_cache(maxsize=16)
def fitter_for(profile: PrinterProfile) -> TextFitter:
    """How one printer prints text: its code pages, Chinese font and picture fallback."""
    from escpos.magicencode import Encoder

    encoder = Encoder(dict.fromkeys(_escpos_profile_data(profile)["codePages"].values(), 0))
    pages = list(encoder.codepages)

    def can_encode(char: str) -> bool:
        return any(encoder.can_encode(page, char) for page in pages)

    return TextFitter(can_encode, chinese=profile.chinese, can_draw=_can_draw(profile))


@dataclass(frozen=True)
class PrintingGaps:
    """Characters of a text that a printer cannot print as text.

    ``pictured`` print as pictures (slower, and only while this computer has the font);
    ``missing`` print as '?'.
    """

    pictured: str
    missing: str


def printing_gaps(profile: PrinterProfile, text: str) -> PrintingGaps:
    """Which characters of ``text`` the printer lacks; for warnings in settings."""
    fitter = fitter_for(profile)
    pictured: dict[str, None] = {}
    missing: dict[str, None] = {}
    for char in text:
        printed = fitter.clean(char)
        if printed == "?" and char != "?":
            missing[char] = None
        elif fitter.needs_picture(printed):
            pictured[char] = None
    return PrintingGaps("".join(pictured), "".join(missing))


class _Writer:
    """Sends laid-out lines to a python-escpos printer, changing styles only when needed."""

    def __init__(self, printer: Any, profile: PrinterProfile) -> None:
        self.printer = printer
        self.profile = profile
        self.fitter = fitter_for(profile)
        self.current: PrintLine | None = None

    def write(self, lines: list[PrintLine]) -> None:
        for line in lines:
            if self.fitter.needs_picture(line.text):
                self._picture(line)
                continue
            self._set_style(line)
            runs = list(self.fitter.runs(line.text))
            chinese_double = line.double and any(chinese for chinese, _run in runs)
            if chinese_double:  # GS ! enlarges both kinds of character for the whole line
                self.printer._raw(CHINESE_DOUBLE)
            for chinese, run in runs:
                if chinese:
                    self.printer._raw(ENTER_CHINESE + encode_wide_line(run) + LEAVE_CHINESE)
                else:
                    self.printer.text(run)
            self.printer.text("\n")
            if chinese_double:
                self.printer._raw(CHINESE_NORMAL)
                self.current = None  # GS ! 0 also reset the ESC ! size: send the style again

    def _picture(self, line: PrintLine) -> None:
        from printing.raster_text import line_font, picture_of_line

        font = line_font()
        assert font is not None  # the fitter draws only with a font
        cells = [(char, self.fitter.width(char)) for char in line.text]
        picture = picture_of_line(
            cells,
            self.profile.columns,
            font,
            align=line.align,
            bold=line.bold,
            double=line.double,
        )
        self.printer.image(picture, impl=_image_mode(self.profile))

    def reset(self) -> None:
        """Back to normal, left-aligned text (printers keep styles between jobs)."""
        self._set_style(PrintLine(""))

    def _set_style(self, line: PrintLine) -> None:
        """Send only what changed; a size change (ESC !) also resets bold, so resend it."""
        current = self.current
        style: dict[str, Any] = {}
        if current is None or current.double != line.double:
            style.update(double_width=line.double, double_height=line.double)
            style.update(normal_textsize=not line.double, bold=line.bold)
        if current is None or current.bold != line.bold:
            style["bold"] = line.bold
        if current is None or current.align != line.align:
            style["align"] = line.align
        if style:
            self.printer.set(**style)
        self.current = line


def _logo_picture(logo_png: bytes, profile: PrinterProfile) -> Any:
    """The logo centred on a white strip as wide as the paper's printable dots, or None when
    it cannot be read (a logo never stops a receipt)."""
    from PIL import Image

    from printing.logo import LogoError, logo_image

    try:
        logo = logo_image(logo_png).convert("1")
    except LogoError:
        log.warning("The shop's logo cannot be read; the receipt is printed without it")
        return None
    width = profile.columns * DOTS_PER_COLUMN
    if logo.width > width:
        logo.thumbnail((width, logo.height))
    strip = Image.new("1", (width, logo.height), 1)
    strip.paste(logo, ((width - logo.width) // 2, 0))
    return strip


def _render(
    profile: PrinterProfile,
    lines: list[PrintLine],
    *,
    open_drawer: bool,
    logo_png: bytes | None = None,
) -> bytes:
    printer = _new_printer(profile)
    printer.hw("INIT")
    if profile.chinese:  # many Chinese printers start in Chinese mode; code pages need it off
        printer._raw(LEAVE_CHINESE)
    mode = _image_mode(profile)
    if logo_png is not None and mode is not None:
        picture = _logo_picture(logo_png, profile)
        if picture is not None:
            printer.image(picture, impl=mode)
    writer = _Writer(printer, profile)
    writer.write(lines)
    writer.reset()
    printer.cut()
    if open_drawer:
        printer.cashdraw(2)
    output: bytes = printer.output
    return output


def render_receipt(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """ESC/POS bytes for a receipt: init, text, feed and cut, then the drawer kick if asked."""
    lines = layout_receipt(receipt, fitter_for(profile), profile.columns)
    return _render(profile, lines, open_drawer=receipt.open_drawer, logo_png=receipt.logo_png)


def render_test_page(profile: PrinterProfile) -> bytes:
    """A page that shows the column width, styles and the characters the printer can print."""
    out = LineBuilder(fitter_for(profile), profile.columns)
    out.centred("Printer test", double=True)
    out.centred("FrontDesk")
    out.blank()
    out.text("".join(str(n % 10) for n in range(1, profile.columns + 1)))
    out.row(f"{profile.columns} columns", profile.escpos_profile)
    out.row("Left", "Right")
    out.row("Bold line", "€12.50", bold=True)
    out.text("Euro € · Cyrillic Привет · Latin äöü ñ é")
    if profile.chinese:
        out.text("中文：你好，谢谢")
    out.separator()
    return _render(profile, out.lines, open_drawer=False)


def render_note(title: str, lines: Sequence[str], profile: PrinterProfile) -> bytes:
    """A short page: `title` in double size, then each line centred (a test print's words,
    written by the caller in the shop's language)."""
    out = LineBuilder(fitter_for(profile), profile.columns)
    out.centred(title, double=True)
    out.blank()
    for line in lines:
        out.centred(line)
    return _render(profile, out.lines, open_drawer=False)


def render_drawer_kick() -> bytes:
    """The bytes that open a cash drawer on pin 2, and nothing else."""
    from escpos.printer import Dummy

    printer = Dummy()
    printer.cashdraw(2)
    output: bytes = printer.output
    return output
