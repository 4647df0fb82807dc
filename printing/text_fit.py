"""Fit text to a receipt printer: decide how each character prints, measure columns and wrap.

Every character is sent one of four ways, decided per character (never per line):

- ASCII, one column;
- from one of the printer's code pages (Cyrillic, accents, the euro sign), one column;
- on a printer with a Chinese font, in Chinese mode as a double-byte GB18030 character, two
  columns (Han, kana and full-width forms; ``¥`` goes out as the full-width ``￥``, which every
  Chinese font has, instead of its four-byte GB18030 code that none has);
- as part of a picture of the line (a raster image drawn with a font found on this computer),
  one column, two for wide characters, so a picture line lines up with the text lines.

A character with none of these is replaced by a text form the printer has (``₽`` becomes
``руб.`` or ``RUB``) and only as a last resort by ``?``.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterator
from enum import Enum

_SPACES = frozenset("\t\n\r\v\f\u00a0\u2028\u2029")

#: Text forms of symbols that no printer code page has, best first. A raster picture of the
#: symbol would need the whole line to be a picture (slow, font-dependent), so a word the printer
#: has wins: Russian receipts wrote "руб." for decades, and the ISO code is understood anywhere.
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "\u20bd": ("руб.", "RUB"),  # ₽
    "\u00a5": ("CNY",),  # ¥ where neither a code page nor a Chinese font has it
    "\u20ac": ("EUR",),  # € on printers without WPC1252 / PC858
}

#: Characters a Chinese printer prints better as another, double-byte character.
CHINESE_FORMS = {
    "\u00a5": "\uffe5",  # ¥ -> ￥ (GB18030 A3 A4; the half-width sign is a 4-byte sequence)
}


class Glyph(Enum):
    """How one character reaches the paper."""

    ASCII = "ascii"
    CODE_PAGE = "code page"
    CHINESE = "chinese"
    PICTURE = "picture"


_TEXT_GLYPHS = (Glyph.ASCII, Glyph.CODE_PAGE, Glyph.CHINESE)


def is_wide(char: str) -> bool:
    """True for characters that take two columns (Han, kana, hangul, full-width forms)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def gb_double_byte(char: str) -> bytes | None:
    """The two-byte GB18030 code of a character, or None when a Chinese printer lacks it."""
    try:
        encoded = char.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return encoded if len(encoded) == 2 else None


def encode_wide_line(text: str) -> bytes:
    """Encode a Chinese-mode run: ASCII as is, other characters as double-byte GB18030."""
    out = bytearray()
    for char in text:
        if ord(char) < 128:
            out.append(ord(char))
        else:
            out += gb_double_byte(CHINESE_FORMS.get(char, char)) or b"?"
    return bytes(out)


class TextFitter:
    """Cleans, measures and wraps text for one printer.

    ``can_encode`` says whether the printer's code pages hold a character; ``chinese`` says
    whether the printer has a Chinese font and mode; ``can_draw`` whether a picture of the
    character can be printed (a font with the glyph was found and the printer prints images).
    """

    def __init__(
        self,
        can_encode: Callable[[str], bool],
        *,
        chinese: bool,
        can_draw: Callable[[str], bool] | None = None,
    ) -> None:
        self._can_encode = can_encode
        self._can_draw = can_draw or (lambda _char: False)
        self.chinese = chinese
        self.glyph: Callable[[str], Glyph | None] = functools.lru_cache(maxsize=4096)(self._glyph)

    def _glyph(self, char: str) -> Glyph | None:
        """How a character prints on this printer, or None when it cannot print at all."""
        if ord(char) < 128:
            return Glyph.ASCII
        chinese_form = CHINESE_FORMS.get(char, char)
        if self.chinese and is_wide(chinese_form) and gb_double_byte(chinese_form) is not None:
            return Glyph.CHINESE
        if not is_wide(char) and self._can_encode(char):
            return Glyph.CODE_PAGE
        if self.chinese and gb_double_byte(char) is not None:
            return Glyph.CHINESE
        if self._can_draw(char):
            return Glyph.PICTURE
        return None

    def clean(self, text: str) -> str:
        """Printable text: controls and combining marks dropped, symbols the printer lacks in
        a text form it has, anything else that cannot print '?'."""
        out: list[str] = []
        for char in unicodedata.normalize("NFC", text):
            category = unicodedata.category(char)
            if char in _SPACES or (category[0] == "Z" and not (self.chinese and is_wide(char))):
                out.append(" ")
            elif category[0] == "C" or category in ("Mn", "Me"):
                continue
            elif char in CHINESE_FORMS and self.glyph(char) is Glyph.CHINESE:
                out.append(CHINESE_FORMS[char])
            elif self.glyph(char) is not None and not self._better_as_text(char):
                out.append(char)
            else:
                out.append(self._substitute(char))
        return "".join(out)

    def _better_as_text(self, char: str) -> bool:
        """A picture only where no word the printer has says the same."""
        return self.glyph(char) is Glyph.PICTURE and self._printable_substitute(char) is not None

    def _printable_substitute(self, char: str) -> str | None:
        for candidate in SUBSTITUTES.get(char, ()):
            if all(self.glyph(c) in _TEXT_GLYPHS for c in candidate):
                return candidate
        return None

    def _substitute(self, char: str) -> str:
        return self._printable_substitute(char) or "?"

    def char_width(self, char: str) -> int:
        """Columns one cleaned character takes on paper."""
        glyph = self.glyph(char)
        if glyph is Glyph.CHINESE or (glyph is Glyph.PICTURE and is_wide(char)):
            return 2
        return 1

    def needs_picture(self, text: str) -> bool:
        """True when the line holds a character that only a picture of it can print."""
        return any(self.glyph(char) is Glyph.PICTURE for char in text)

    def runs(self, text: str) -> Iterator[tuple[bool, str]]:
        """Cleaned text split into (chinese_mode, run) pieces, in order."""
        start = 0
        mode: bool | None = None
        for index, char in enumerate(text):
            chinese = self.glyph(char) is Glyph.CHINESE
            if mode is None:
                mode = chinese
            elif chinese != mode and char != " ":
                yield mode, text[start:index]
                start, mode = index, chinese
        if text:
            yield bool(mode), text[start:]

    def width(self, text: str) -> int:
        """Columns that cleaned text takes on paper."""
        return sum(1 if ord(char) < 128 else self.char_width(char) for char in text)

    def wrap(self, text: str, width: int, *, first_suffix: str = "", indent: str = "") -> list[str]:
        """Split cleaned text into lines of at most ``width`` columns, at spaces when possible.

        The first line must leave room for `` " " + first_suffix`` (printed on the same line by
        the caller); later lines are measured with ``indent`` in front of them.
        """
        lines: list[str] = []

        def fits(candidate: str) -> bool:
            if not lines and first_suffix:
                return self.width(f"{candidate} {first_suffix}") <= width
            prefix = indent if lines else ""
            return self.width(prefix + candidate) <= width

        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if fits(candidate):
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            rest = word
            while not fits(rest):
                cut = self._longest_fitting_prefix(rest, fits)
                if cut == 0:
                    if lines:  # cannot happen for sane widths; never loop forever
                        cut = 1
                    else:
                        lines.append("")
                        continue
                lines.append(rest[:cut])
                rest = rest[cut:]
            current = rest
        if current or not lines:
            lines.append(current)
        return lines

    @staticmethod
    def _longest_fitting_prefix(word: str, fits: Callable[[str], bool]) -> int:
        low, high = 0, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if fits(word[:middle]):
                low = middle
            else:
                high = middle - 1
        return low
