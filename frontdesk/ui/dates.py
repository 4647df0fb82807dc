"""Dates in widgets written the way babel writes them elsewhere in the shop's locale."""

from __future__ import annotations

import re
from typing import Literal

from babel.dates import get_date_format

#: babel (CLDR) pattern letters -> Qt date-format letters, where they differ.
_RUNS = re.compile(r"'[^']*'|y+|L+|E+|c+|[A-Za-z]+")


def _convert(token: str) -> str:
    if token.startswith("'"):
        return token
    letter, size = token[0], len(token)
    if letter == "y":
        return "yy" if size == 2 else "yyyy"
    if letter == "L":
        return "M" * size
    if letter in "Ec":
        return "dddd" if size >= 4 else "ddd"
    return token


def qt_date_format(
    locale: str, length: Literal["full", "long", "medium", "short"] = "medium"
) -> str:
    """babel's date pattern for `locale` as a QDateEdit display format ('d MMM y' ->
    'd MMM yyyy'), so a date picker writes the date like the rest of the window."""
    pattern = str(get_date_format(length, locale=locale).pattern)
    return _RUNS.sub(lambda m: _convert(m.group()), pattern)
