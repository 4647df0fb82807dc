"""Fit text to a receipt printer: replace what it cannot print, measure columns and wrap.

A printer prints one byte per column from its code pages. Chinese printers also have a
Chinese mode in which every non-ASCII character is a double-byte GB18030 character that
takes two columns. A line that holds any wide (East Asian) character is printed in that mode.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

_SPACES = frozenset("\t\n\r\v\f\u00a0\u2028\u2029")


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
    """Encode a Chinese-mode line: ASCII as is, other characters as double-byte GB18030."""
    out = bytearray()
    for char in text:
        if ord(char) < 128:
            out.append(ord(char))
        else:
            out += gb_double_byte(char) or b"?"
    return bytes(out)


class TextFitter:
    """Cleans, measures and wraps text for one printer.

    ``can_encode`` says whether the printer's code pages hold a character; ``chinese`` says
    whether the printer has a Chinese mode.
    """

    def __init__(self, can_encode: Callable[[str], bool], *, chinese: bool) -> None:
        self._can_encode = can_encode
        self.chinese = chinese

    def clean(self, text: str) -> str:
        """Printable text: controls and combining marks dropped, unprintable characters '?'."""
        out: list[str] = []
        for char in unicodedata.normalize("NFC", text):
            category = unicodedata.category(char)
            if char in _SPACES or (category[0] == "Z" and not (self.chinese and is_wide(char))):
                out.append(" ")
            elif category[0] == "C" or category in ("Mn", "Me"):
                continue
            elif ord(char) < 128 or self._printable(char):
                out.append(char)
            else:
                out.append("?")
        return "".join(out)

    def _printable(self, char: str) -> bool:
        if is_wide(char):
            return self.chinese and gb_double_byte(char) is not None
        if self._can_encode(char):
            return True
        return self.chinese and gb_double_byte(char) is not None

    def is_wide_line(self, text: str) -> bool:
        """True when the line must be printed in Chinese mode."""
        return self.chinese and any(is_wide(char) for char in text)

    def width(self, text: str, wide_mode: bool | None = None) -> int:
        """Columns that cleaned text takes, in the line's own mode unless one is given."""
        if wide_mode is None:
            wide_mode = self.is_wide_line(text)
        if not wide_mode:
            return len(text)
        return sum(1 if ord(char) < 128 else 2 for char in text)

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
