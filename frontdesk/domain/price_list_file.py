"""A price list file's bytes as text, and its text as a table of cells.

The text is decoded strictly as UTF-8 first (with or without a BOM); otherwise as GB18030 or
Windows-1251, whichever reads as plausible Chinese or Russian: both decode almost any bytes, so
the choice is made by how much of the result is everyday Chinese characters or Cyrillic letters
in their usual case pattern (mojibake mixes cases and rare characters). When neither is
plausible, the file is refused, naming the encodings tried.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from frontdesk.domain.errors import DomainError, words

MAX_FILE_BYTES = 5 * 1024 * 1024
#: The encodings a price list may come in; "auto" tries them in this order.
ENCODINGS = ("utf-8", "gb18030", "cp1251")
AUTO = "auto"
#: Below this share of plausible characters, a decoding is taken for mojibake.
PLAUSIBLE = 0.8

EMPTY_FILE = words("The file is empty.")
TOO_LARGE = words("The file is {size} MB; a price list may be at most 5 MB.")
NOT_DECODED = words(
    "The file's text is not in any encoding FrontDesk reads (tried {tried}). "
    "Save it as CSV UTF-8 and open it again."
)
NOT_IN_ENCODING = words("The file is not in {encoding}. Choose another encoding.")
NO_HEADER = words("The file has no header row naming its columns.")
TOO_LARGE_FILE = words("The file is {size} MB; at most {max} MB can be read.")

K = TypeVar("K")


class PriceListError(DomainError):
    """The file as a whole cannot be read (empty, too large, unreadable text)."""


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read in and the encodings tried."""

    text: str
    encoding: str
    tried: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A decoded file split into its header and data rows (each row keeps its file line)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    delimiter: str


# -- bytes to text ---------------------------------------------------------------------------


def check_size(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> None:
    if len(data) > max_bytes:
        size = f"{len(data) / 1024 / 1024:.1f}"
        if max_bytes == MAX_FILE_BYTES:
            raise PriceListError(TOO_LARGE, size=size)
        raise PriceListError(TOO_LARGE_FILE, size=size, max=max_bytes // 1024 // 1024)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise PriceListError(EMPTY_FILE)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _common_han(ch: str) -> bool:
    """In GB2312's first level: the characters everyday Chinese is written with."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def _chinese_score(text: str) -> float:
    """How much of the non-ASCII text is plausible Chinese (1.0: all of it)."""
    points = 0.0
    total = 0
    for ch in text:
        if ord(ch) < 128:
            continue
        total += 1
        if _is_han(ch):
            points += 1.0 if _common_han(ch) else 0.5
        elif "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "·—“”‘’…":
            points += 1.0
    return points / total if total else 1.0


_CYRILLIC_LOWER = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_CYRILLIC_UPPER = frozenset("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


def _russian_score(text: str) -> float:
    """How much of the non-ASCII text is plausible Russian: Cyrillic letters, capitals only
    where a word starts or the whole word is capitals (mojibake mixes cases at random)."""
    points = 0
    total = 0
    previous = " "
    for ch in text:
        if ord(ch) >= 128:
            total += 1
            if (
                ch in _CYRILLIC_LOWER
                or ch in "«»№—–"
                or (ch in _CYRILLIC_UPPER and previous not in _CYRILLIC_LOWER)
            ):
                points += 1
        previous = ch
    return points / total if total else 1.0


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _score(text: str, encoding: str) -> float:
    if _CONTROL.search(text):  # NULs of UTF-16, a binary file: no text file has them
        return 0.0
    return _chinese_score(text) if encoding == "gb18030" else _russian_score(text)


def decode(data: bytes, encoding: str = AUTO, *, max_bytes: int = MAX_FILE_BYTES) -> Decoded:
    """The file's text. `encoding` "auto": UTF-8 (with or without BOM) when it decodes strictly,
    else GB18030 or Windows-1251, whichever reads as plausible text; PriceListError when the
    file is empty, too large or reads as mojibake in every encoding tried."""
    check_size(data, max_bytes)
    if encoding != AUTO:
        codec = "utf-8-sig" if encoding == "utf-8" else encoding
        try:
            return Decoded(data.decode(codec), encoding, (encoding,))
        except UnicodeDecodeError:
            raise PriceListError(NOT_IN_ENCODING, encoding=encoding_name(encoding)) from None
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8", ("utf-8",))
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for candidate in ENCODINGS[1:]:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        score = _score(text, candidate)
        if best is None or score > best[0]:
            best = (score, candidate, text)
    if best is None or best[0] < PLAUSIBLE:
        tried = ", ".join(encoding_name(e) for e in ENCODINGS)
        raise PriceListError(NOT_DECODED, tried=tried)
    return Decoded(best[2], best[1], ENCODINGS)


def encoding_name(encoding: str) -> str:
    """How people know an encoding: 'UTF-8', 'GB18030', 'Windows-1251'."""
    return {"utf-8": "UTF-8", "gb18030": "GB18030", "cp1251": "Windows-1251"}.get(
        encoding, encoding
    )


# -- text to a table -------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of , ; and tab outside quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(text: str) -> Table:
    """The header and the rows of CSV text (blank rows skipped, each row keeps its line)."""
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    headers: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = tuple(cell.strip() for cell in cells)
                continue
            rows.append((reader.line_num, tuple(cells)))
    except csv.Error:
        raise PriceListError(NO_HEADER) from None
    if headers is None:
        raise PriceListError(EMPTY_FILE)
    return Table(headers, tuple(rows), delimiter)


# -- headers to fields -----------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """What is wrong where: `line` is the file's line (the header is 1; 0 for the whole file),
    `column` the file's header text ("" when no one column is at fault)."""

    line: int
    column: str
    error: DomainError


def header_key(text: str) -> str:
    """A header as compared with synonyms: case, spaces, underscores, a bracketed unit ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    folded = re.sub(r"\(.*?\)|\[.*?\]|（.*?）", " ", folded)  # "Price (£)", "时长（分钟）"
    folded = re.sub(r"[_\-./:,;]+", " ", folded)
    return " ".join(folded.split()).strip(" ,;%")


class HeaderWords(Generic[K]):
    """Which field each header names, from synonyms per field and language."""

    def __init__(self, synonyms: Mapping[K, Mapping[str, Sequence[str]]]) -> None:
        self._by_word: dict[str, K] = {
            header_key(word): column
            for column, languages in synonyms.items()
            for words_ in languages.values()
            for word in words_
        }
        self._longest_first = sorted(self._by_word, key=len, reverse=True)

    def guess(self, header: str) -> K | None:
        """The field a header names ("Price, ₽" and "Цена руб" too: a known word first)."""
        key = header_key(header)
        if key in self._by_word:
            return self._by_word[key]
        for word in self._longest_first:
            if len(word) >= 2 and key.startswith(word + " "):
                return self._by_word[word]
        return None

    def mapping(self, headers: Sequence[str]) -> tuple[K | None, ...]:
        """Each header's field; a field already taken by an earlier column is not guessed
        twice."""
        taken: set[K] = set()
        chosen: list[K | None] = []
        for header in headers:
            column = self.guess(header)
            if column in taken:
                column = None
            if column is not None:
                taken.add(column)
            chosen.append(column)
        return tuple(chosen)
