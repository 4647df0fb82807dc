"""Split ESC/POS bytes into commands and printed lines, for assertions in tests."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from escpos.image import EscposImage

from printing.escpos_layout import PrinterProfile, code_pages, fitter_for, render_receipt
from printing.raster_text import DOTS_PER_COLUMN, line_font, picture_of_line
from printing.receipt import Receipt
from printing.receipt_layout import PrintLine, layout_receipt

ESC, FS, GS = 0x1B, 0x1C, 0x1D
#: Argument bytes of each command the renderer may send; anything else is a test failure.
_ARGUMENTS = {
    b"\x1b@": 0,
    b"\x1bt": 1,
    b"\x1bE": 1,
    b"\x1ba": 1,
    b"\x1b!": 1,
    b"\x1bd": 1,
    b"\x1bp": 3,
    b"\x1d!": 1,
    b"\x1c&": 0,
    b"\x1c.": 0,
}


@dataclass(frozen=True)
class PrintedLine:
    """The bytes of one printed line and whether any of it was in double width."""

    raw: bytes
    double_width: bool
    picture_dots: int = 0  # the width of a picture line (GS v 0), in dots

    @property
    def columns(self) -> int:
        if self.picture_dots:
            return self.picture_dots // 12
        return len(self.raw) * (2 if self.double_width else 1)


@dataclass(frozen=True)
class Printout:
    commands: list[bytes]
    lines: list[PrintedLine]


def parse(data: bytes) -> Printout:
    """Commands and lines of a job; raises AssertionError on a command the parser does not know."""
    commands: list[bytes] = []
    lines: list[PrintedLine] = []
    current = bytearray()
    double = line_double = False
    i = 0
    while i < len(data):
        byte = data[i]
        if byte in (ESC, FS, GS):
            key = data[i : i + 2]
            if key == b"\x1dv":  # GS v 0 m xL xH yL yH, then the raster data
                width_bytes = data[i + 4] + 256 * data[i + 5]
                end = i + 8 + width_bytes * (data[i + 6] + 256 * data[i + 7])
                commands.append(data[i : i + 8])
                lines.append(PrintedLine(b"", False, width_bytes * 8))
                i = end
                continue
            if key == b"\x1dV":  # GS V m, or GS V m n for m 65/66
                count = 1 if data[i + 2] in (0, 1, 48, 49) else 2
            else:
                assert key in _ARGUMENTS, f"unexpected command {key!r} at {i}: {data[i : i + 8]!r}"
                count = _ARGUMENTS[key]
            command = data[i : i + 2 + count]
            commands.append(command)
            if key == b"\x1b!":
                double = bool(command[2] & 0x20)
                line_double = line_double or (double and bool(current))
            i += 2 + count
            continue
        if byte == 0x0A:
            lines.append(PrintedLine(bytes(current), line_double))
            current.clear()
            line_double = False
        else:
            assert byte >= 0x20, f"control byte {byte:#04x} at {i}"
            if not current:
                line_double = double
            line_double = line_double or double
            current.append(byte)
        i += 1
    if current:
        lines.append(PrintedLine(bytes(current), line_double))
    return Printout(commands, lines)


#: python-escpos code page names -> Python codecs, for the pages the renderer uses.
_CODECS = {"CP437": "cp437", "CP1252": "cp1252", "CP866": "cp866", "CP858": "cp858"}


@dataclass(frozen=True)
class DecodedLine:
    """One printed line as a person reads it; a picture line has its raster data instead."""

    text: str
    columns: int
    picture: bytes | None = None
    picture_width: int = 0


def decode(data: bytes, code_pages: dict[int, str]) -> list[DecodedLine]:
    """The lines a printer would print, decoded the way it decodes them.

    Text bytes go through the code page last chosen with ``ESC t n`` (``code_pages`` maps n
    to its python-escpos name), in Chinese mode (``FS &`` ... ``FS .``) through GB18030 two
    bytes at a time; a ``GS v 0`` raster image is a line of its own. Anything the parser does
    not know fails the test.
    """
    lines: list[DecodedLine] = []
    text: list[str] = []
    columns = 0
    codec = "cp437"  # ESC @ selects page 0
    chinese = False
    i = 0
    while i < len(data):
        byte = data[i]
        key = data[i : i + 2]
        if key == b"\x1dv":
            assert data[i + 2] == 0x30, f"unexpected raster mode at {i}"
            width_bytes = data[i + 4] + 256 * data[i + 5]
            height = data[i + 6] + 256 * data[i + 7]
            end = i + 8 + width_bytes * height
            assert not text, "a picture in the middle of a text line"
            lines.append(DecodedLine("", 0, data[i + 8 : end], width_bytes * 8))
            i = end
        elif key == b"\x1dV":
            i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
        elif byte in (ESC, FS, GS):
            assert key in _ARGUMENTS, f"unexpected command {key!r} at {i}: {data[i : i + 8]!r}"
            if key == b"\x1bt":
                name = code_pages.get(data[i + 2])
                assert name in _CODECS, f"code page {data[i + 2]} is not one the printer has"
                codec = _CODECS[name]
            elif key == b"\x1b@":
                codec, chinese = "cp437", False
            elif key in (b"\x1c&", b"\x1c."):
                chinese = key == b"\x1c&"
            i += 2 + _ARGUMENTS[key]
        elif byte == 0x0A:
            lines.append(DecodedLine("".join(text), columns))
            text.clear()
            columns = 0
            i += 1
        elif chinese and byte >= 0x80:
            text.append(data[i : i + 2].decode("gb18030"))
            assert len(text[-1]) == 1, f"not a double-byte GB character at {i}"
            columns += 2
            i += 2
        else:
            assert byte >= 0x20, f"control byte {byte:#04x} at {i}"
            text.append(bytes([byte]).decode(codec))
            columns += 1
            i += 1
    if text:
        lines.append(DecodedLine("".join(text), columns))
    return lines


def _picture(line: PrintLine, profile: PrinterProfile) -> bytes:
    fitter, font = fitter_for(profile), line_font()
    assert font is not None
    cells = [(char, fitter.width(char)) for char in line.text]
    image = picture_of_line(
        cells, profile.columns, font, align=line.align, bold=line.bold, double=line.double
    )
    raster: bytes = EscposImage(image).to_raster_format()
    return raster


def read_back(receipt: Receipt, profile: PrinterProfile) -> list[DecodedLine]:
    """The receipt's printed lines as text, pictures replaced by the line they show."""
    decoded = decode(render_receipt(receipt, profile), code_pages(profile))
    fitter = fitter_for(profile)
    laid_out = layout_receipt(receipt, fitter, profile.columns)
    expected = [line for line in laid_out if fitter.needs_picture(line.text)]
    pictures = [index for index, line in enumerate(decoded) if line.picture is not None]
    assert len(pictures) == len(expected)
    for index, line in zip(pictures, expected, strict=True):
        assert decoded[index].picture == _picture(line, profile), line.text
        assert decoded[index].picture_width == profile.columns * DOTS_PER_COLUMN
        decoded[index] = dataclasses.replace(
            decoded[index], text=line.text, columns=fitter.width(line.text)
        )
    return decoded
