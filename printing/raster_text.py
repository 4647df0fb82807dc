"""Pictures of receipt lines, for characters the printer has no glyph for.

A line that holds such a character (Chinese on a printer without a Chinese font, say) is
drawn with a TrueType font found on this computer (see :mod:`printing.fonts`) and printed as
a raster image. Each character is drawn into its own cells, 12 dots a column as the printer's
own font A, so a picture line lines up exactly with the text lines around it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from printing.fonts import find_font_glyphs

DOTS_PER_COLUMN = 12
LINE_DOTS = 30  # the printer's default line spacing (1/6 inch at 180 dpi, about 3.75 mm)
GLYPH_DOTS = 24  # font A is 12 x 24 dots
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class LineFont:
    """A font file and the characters it has glyphs for."""

    path: Path
    codepoints: frozenset[int]

    def covers(self, char: str) -> bool:
        return ord(char) in self.codepoints

    @functools.lru_cache(maxsize=4)  # noqa: B019  # a handful of sizes, fonts live for the process
    def face(self, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.path), size=size, index=0)


@functools.lru_cache(maxsize=1)
def line_font() -> LineFont | None:
    """The font for picture lines, found once per process; None when this computer has none."""
    choice, codepoints = find_font_glyphs()
    if choice.path is None:
        return None
    return LineFont(choice.path, frozenset(codepoints))


def _fitted_face(font: LineFont, height: int) -> tuple[ImageFont.FreeTypeFont, int]:
    """The largest size whose ascent + descent fits ``height`` dots, and its ascent."""
    face = font.face(height)
    ascent, descent = face.getmetrics()
    if ascent + descent > height:
        face = font.face(max(1, height * height // (ascent + descent)))
        ascent, descent = face.getmetrics()
    return face, ascent


def picture_of_line(
    cells: list[tuple[str, int]],
    columns: int,
    font: LineFont,
    *,
    align: Align = "left",
    bold: bool = False,
    double: bool = False,
) -> Image.Image:
    """A black-on-white, full paper width picture of one line.

    ``cells`` are the line's characters with the columns each takes; ``double`` draws every
    cell twice as wide and high, like the printer's double size.
    """
    scale = 2 if double else 1
    cell, height = DOTS_PER_COLUMN * scale, LINE_DOTS * scale
    glyph_height = GLYPH_DOTS * scale
    top = (height - glyph_height) // 2
    face, ascent = _fitted_face(font, glyph_height)
    image = Image.new("L", (columns * DOTS_PER_COLUMN, height), 255)
    used = sum(width for _char, width in cells) * cell
    x = {"left": 0, "center": (image.width - used) // 2, "right": image.width - used}[align]
    x = max(0, x)
    for char, width in cells:
        box = cell * width
        if char != " ":
            advance = max(1, math.ceil(face.getlength(char)))
            tile = Image.new("L", (advance, height), 255)
            ImageDraw.Draw(tile).text(
                (0, top + ascent),
                char,
                font=face,
                fill=0,
                anchor="ls",
                stroke_width=scale if bold else 0,
                stroke_fill=0,
            )
            if tile.width > box:
                tile = tile.resize((box, height), Image.Resampling.LANCZOS)
            image.paste(tile, (x + (box - tile.width) // 2, 0))
        x += box
    return image.point(lambda value: 255 if value >= 128 else 0).convert(
        "1", dither=Image.Dither.NONE
    )
