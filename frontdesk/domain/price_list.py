"""A price list as a CSV file: reading its bytes, its columns and its rows; writing one back.

Pure rules, no database: a file is decoded (UTF-8 strictly first, else GB18030 or
Windows-1251, whichever reads as plausible Chinese or Russian), its header matched to the
fields we know (synonyms in English, Chinese and Russian), and every row read into a plain
`ServiceRow` or `ProductRow`, or into `RowError`s naming the row, the column and what is wrong.
`write_csv` writes rows back with headers `read_table` reads, so an export imports unchanged.

A value left empty, or a column the file does not have, is None in a row: "keep what is stored"
on an update, the usual default on a new record.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from frontdesk.domain.errors import DomainError, ValidationError, words
from frontdesk.domain.money import minor_digits, parse_money, parse_rate
from frontdesk.domain.text import clean_line

MAX_FILE_BYTES = 5 * 1024 * 1024
#: The encodings a price list may come in; "auto" tries them in this order.
ENCODINGS = ("utf-8", "gb18030", "cp1251")
AUTO = "auto"
#: Below this share of plausible characters, a decoding is taken for mojibake.
PLAUSIBLE = 0.8

# PriceColumn lengths of db/models/catalog.py, in characters.
MAX_NAME = 120
MAX_CATEGORY = 80
MAX_SKU = 40
MAX_BARCODE = 40
MAX_ROOM_KIND = 40
MAX_TAG = 60
MAX_MINUTES = 1440
MAX_COUNT = 1_000_000

#: Field names of this module's errors (labels: "-- price list" in ui/error_text.py).
F_NAME = "price_list_name"
F_CATEGORY = "price_list_category"
F_SKU = "price_list_sku"
F_BARCODE = "price_list_barcode"
F_ROOM_KIND = "price_list_room_kind"
F_TAG = "price_list_tag"


class PriceColumn(StrEnum):
    """A field a file column can be read as."""

    TYPE = "type"
    CATEGORY = "category"
    NAME = "name"
    SKU = "sku"
    BARCODE = "barcode"
    PRICE = "price"
    TAX = "tax"
    DURATION = "duration"
    BUFFER = "buffer"
    ROOM_KIND = "room_kind"
    CAPACITY = "capacity"
    INGREDIENTS = "ingredients"
    CONTRAINDICATIONS = "contraindications"
    STOCK = "stock"
    LOW_STOCK = "low_stock"


#: Header words per column: English, Chinese, Russian (the first of each is what export writes).
SYNONYMS: dict[PriceColumn, dict[str, tuple[str, ...]]] = {
    PriceColumn.TYPE: {
        "en": ("type", "kind", "item type"),
        "zh": ("类型", "类别类型", "种类"),
        "ru": ("тип", "вид"),
    },
    PriceColumn.CATEGORY: {
        "en": ("category", "group", "section"),
        "zh": ("类别", "分类", "类目"),
        "ru": ("категория", "группа", "раздел"),
    },
    PriceColumn.NAME: {
        "en": ("name", "title", "service", "product", "item"),
        "zh": ("名称", "名字", "项目", "品名"),
        "ru": ("название", "наименование", "имя"),
    },
    PriceColumn.SKU: {
        "en": ("sku", "article", "code", "item code"),
        "zh": ("货号", "编号", "商品编码"),
        "ru": ("артикул", "код"),
    },
    PriceColumn.BARCODE: {
        "en": ("barcode", "ean", "upc", "gtin"),
        "zh": ("条码", "条形码"),
        "ru": ("штрихкод", "штрих-код", "штрих код"),
    },
    PriceColumn.PRICE: {
        "en": ("price", "amount", "cost"),
        "zh": ("价格", "售价", "单价", "价钱"),
        "ru": ("цена", "стоимость"),
    },
    PriceColumn.TAX: {
        "en": ("tax", "tax rate", "vat", "tax %"),
        "zh": ("税率", "税"),
        "ru": ("ндс", "налог", "ставка ндс"),
    },
    PriceColumn.DURATION: {
        "en": ("duration", "minutes", "length", "time"),
        "zh": ("时长", "时间", "分钟"),
        "ru": ("длительность", "продолжительность", "минут", "время"),
    },
    PriceColumn.BUFFER: {
        "en": ("buffer", "cleanup", "processing"),
        "zh": ("缓冲", "整理时间", "间隔"),
        "ru": ("буфер", "уборка", "перерыв"),
    },
    PriceColumn.ROOM_KIND: {
        "en": ("room kind", "room", "room type"),
        "zh": ("房间类型", "房间"),
        "ru": ("тип комнаты", "комната", "кабинет"),
    },
    PriceColumn.CAPACITY: {
        "en": ("capacity", "places", "capacity used"),
        "zh": ("容量", "占用人数", "人数"),
        "ru": ("вместимость", "мест", "места"),
    },
    PriceColumn.INGREDIENTS: {
        "en": ("ingredients", "ingredient", "contains"),
        "zh": ("成分", "配料"),
        "ru": ("состав", "ингредиенты"),
    },
    PriceColumn.CONTRAINDICATIONS: {
        "en": ("contraindications", "contraindication", "not for"),
        "zh": ("禁忌", "禁忌症"),
        "ru": ("противопоказания", "противопоказание"),
    },
    PriceColumn.STOCK: {
        "en": ("stock", "on hand", "quantity", "qty"),
        "zh": ("库存", "数量"),
        "ru": ("остаток", "количество", "склад"),
    },
    PriceColumn.LOW_STOCK: {
        "en": ("low stock", "low stock level", "reorder level", "minimum"),
        "zh": ("低库存", "库存下限", "最低库存"),
        "ru": ("минимальный остаток", "мин. остаток", "минимум"),
    },
}

#: The words a `type` cell may say.
SERVICE_WORDS = frozenset({"service", "services", "服务", "服务项目", "услуга", "услуги"})
PRODUCT_WORDS = frozenset(
    {"product", "products", "retail", "产品", "商品", "товар", "товары", "продукт", "продукция"}
)

#: The columns export writes, in this order.
EXPORT_COLUMNS = (
    PriceColumn.TYPE,
    PriceColumn.CATEGORY,
    PriceColumn.NAME,
    PriceColumn.SKU,
    PriceColumn.BARCODE,
    PriceColumn.PRICE,
    PriceColumn.TAX,
    PriceColumn.DURATION,
    PriceColumn.BUFFER,
    PriceColumn.ROOM_KIND,
    PriceColumn.CAPACITY,
    PriceColumn.INGREDIENTS,
    PriceColumn.CONTRAINDICATIONS,
    PriceColumn.STOCK,
    PriceColumn.LOW_STOCK,
)

EMPTY_FILE = words("The file is empty.")
TOO_LARGE = words("The file is {size} MB; a price list may be at most 5 MB.")
NOT_DECODED = words(
    "The file's text is not in any encoding FrontDesk reads (tried {tried}). "
    "Save it as CSV UTF-8 and open it again."
)
NOT_IN_ENCODING = words("The file is not in {encoding}. Choose another encoding.")
NO_ROWS = words("The file has a header but no rows.")
NO_HEADER = words("The file has no header row naming its columns.")
FILE_UNREADABLE = words("{file} cannot be read.")
FILE_UNWRITABLE = words("{file} cannot be written.")
NOTHING_IMPORTED = words(
    "Nothing was imported: the file has %n error(s). Correct them and import again."
)
TWICE_MAPPED = words("Two columns are read as {column}: “{first}” and “{second}”.")


class PriceListError(DomainError):
    """The file as a whole cannot be read (empty, too large, unreadable text)."""


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read in and the encodings tried."""

    text: str
    encoding: str
    tried: tuple[str, ...]


@dataclass(frozen=True)
class ServiceRow:
    """One service as a file row says it; None: the file does not say (keep / default)."""

    line: int
    category: str | None
    name: str
    price_minor: int
    duration_minutes: int
    buffer_minutes: int | None = None
    tax_rate_bp: int | None = None
    room_kind: str | None = None
    capacity_used: int | None = None
    ingredients: tuple[str, ...] | None = None
    contraindications: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ProductRow:
    """One product as a file row says it; None: the file does not say (keep / default)."""

    line: int
    sku: str
    name: str
    price_minor: int
    tax_rate_bp: int | None = None
    barcode: str | None = None
    stock: int | None = None
    low_stock_level: int | None = None
    ingredients: tuple[str, ...] | None = None
    contraindications: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RowError:
    """What is wrong where: `line` is the file's line (the header is 1; 0 for the whole file),
    `column` the file's header text ("" when no one column is at fault)."""

    line: int
    column: str
    error: DomainError


@dataclass(frozen=True)
class Table:
    """A decoded file split into its header and data rows (each row keeps its file line)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    delimiter: str


@dataclass(frozen=True)
class ReadRows:
    """Every row of a file read with one mapping: services, products and what is wrong."""

    services: tuple[ServiceRow, ...] = ()
    products: tuple[ProductRow, ...] = ()
    errors: tuple[RowError, ...] = field(default=())


# -- bytes to text ---------------------------------------------------------------------------


def check_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise PriceListError(TOO_LARGE, size=f"{len(data) / 1024 / 1024:.1f}")
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


def _score(text: str, encoding: str) -> float:
    return _chinese_score(text) if encoding == "gb18030" else _russian_score(text)


def decode(data: bytes, encoding: str = AUTO) -> Decoded:
    """The file's text. `encoding` "auto": UTF-8 (with or without BOM) when it decodes strictly,
    else GB18030 or Windows-1251, whichever reads as plausible text; PriceListError when the
    file is empty, too large or reads as mojibake in every encoding tried."""
    check_size(data)
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


def _header_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    folded = re.sub(r"\(.*?\)|\[.*?\]|（.*?）", " ", folded)  # "Price (£)", "时长（分钟）"
    folded = re.sub(r"[_\-./:,;]+", " ", folded)
    return " ".join(folded.split()).strip(" ,;%")


_BY_WORD: dict[str, PriceColumn] = {
    _header_key(word): column
    for column, languages in SYNONYMS.items()
    for synonyms in languages.values()
    for word in synonyms
}


def guess_column(header: str) -> PriceColumn | None:
    """The field a header names (case, spaces, underscores and a bracketed unit ignored)."""
    key = _header_key(header)
    if key in _BY_WORD:
        return _BY_WORD[key]
    for word in sorted(_BY_WORD, key=len, reverse=True):  # "Price, ₽" / "Цена руб"
        if len(word) >= 2 and key.startswith(word + " "):
            return _BY_WORD[word]
    return None


def guess_mapping(headers: Sequence[str]) -> tuple[PriceColumn | None, ...]:
    """Each header's field; a field already taken by an earlier column is not guessed twice."""
    taken: set[PriceColumn] = set()
    mapping: list[PriceColumn | None] = []
    for header in headers:
        column = guess_column(header)
        if column in taken:
            column = None
        if column is not None:
            taken.add(column)
        mapping.append(column)
    return tuple(mapping)


# -- cells to values -------------------------------------------------------------------------


def canonical_amount(text: str, currency: str) -> str:
    """An amount as any price list writes it ('1 234,50', '1,234.50', '1234.5', '£85')
    rewritten as '1234.50' for parse_money: of '.' and ',' the last one is the decimal mark
    when both appear; a lone mark is decimal unless it is followed by exactly three digits
    in a currency with fewer minor digits (then it groups thousands)."""
    cleaned = re.sub(r"[\s\u00a0\u202f\u2009'’]", "", text)
    marks = [ch for ch in cleaned if ch in ".,"]
    if not marks:
        return cleaned
    if len(set(marks)) == 2:
        decimal = marks[-1]
        group = "," if decimal == "." else "."
        whole, _, fraction = cleaned.rpartition(decimal)
        return whole.replace(group, "") + "." + fraction
    mark = marks[0]
    parts = cleaned.split(mark)
    grouped = all(len(p) == 3 for p in parts[1:]) and minor_digits(currency) < 3
    if len(parts) > 2 or grouped:
        return cleaned.replace(mark, "") if grouped else cleaned  # "1.2.3" stays refused
    return cleaned.replace(mark, ".")


def parse_price(text: str, currency: str, *, field: str = "price") -> int:
    """A price cell in minor units; ValidationError for anything else (negative included)."""
    shown = text.strip()[:40]
    if shown.startswith("-"):
        raise ValidationError(field, "A price cannot be negative.")
    try:
        return parse_money(canonical_amount(text, currency), currency, "en", field=field).minor
    except ValidationError as error:
        if error.params.get("text") is not None:
            raise ValidationError(field, error.text, **{**error.params, "text": shown}) from None
        raise


def parse_tax(text: str, *, field: str = "tax_rate") -> int:
    """A tax rate cell ('20', '20%', '5,5') in basis points."""
    return parse_rate(text.replace(",", "."), "en", field=field)


_MINUTES = re.compile(r"(\d{1,4})\s*(?:min|mins|minutes|мин|минут|分钟|分)?\.?", re.IGNORECASE)
_HOURS = re.compile(r"(\d{1,2}):([0-5]\d)")


def parse_minutes(text: str, *, field: str, allow_zero: bool) -> int:
    """Minutes as '60', '60 min', '60 мин', '60分钟' or 'h:mm'."""
    cleaned = text.strip()
    hours = _HOURS.fullmatch(cleaned)
    match = _MINUTES.fullmatch(cleaned)
    if hours:
        value = int(hours.group(1)) * 60 + int(hours.group(2))
    elif match:
        value = int(match.group(1))
    else:
        raise ValidationError(field, "“{text}” is not a number of minutes.", text=cleaned[:20])
    if value > MAX_MINUTES:
        raise ValidationError(field, "At most {max} minutes (a day).", max=MAX_MINUTES)
    if value < (0 if allow_zero else 1):
        raise ValidationError(field, "Enter at least 1 minute.")
    return value


def parse_count(text: str, *, field: str, least: int) -> int:
    """A whole number of at least `least` (stock, capacity)."""
    cleaned = re.sub(r"[\s\u00a0]", "", text)
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise ValidationError(field, "This cannot be negative.")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValidationError(field, "“{text}” is not a whole number.", text=text.strip()[:20])
    value = int(cleaned)
    if value < least:
        raise ValidationError(field, "Enter at least {least}.", least=least)
    if value > MAX_COUNT:
        raise ValidationError(field, "“{text}” is too large.", text=text.strip()[:20])
    return value


_TAG_SPLIT = re.compile(r"[,;，；、|]")


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags separated by commas (also ; 、 ， |): trimmed, each once (ignoring case), in order."""
    tags: dict[str, str] = {}
    for part in _TAG_SPLIT.split(text):
        tag = clean_line(part, F_TAG, "The tag", MAX_TAG)
        if tag:
            tags.setdefault(tag.casefold(), tag)
    return tuple(tags.values())


def join_tags(tags: Sequence[str]) -> str:
    return ", ".join(tags)


# -- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """Which file column (index) holds each field."""

    columns: dict[PriceColumn, int]
    headers: tuple[str, ...]

    @classmethod
    def of(cls, headers: Sequence[str], mapping: Sequence[PriceColumn | None]) -> Mapping:
        columns: dict[PriceColumn, int] = {}
        for index, column in enumerate(mapping):
            if column is None:
                continue
            if column in columns:
                raise MappingProblem(
                    TWICE_MAPPED,
                    column=column,
                    first=headers[columns[column]],
                    second=headers[index],
                )
            columns[column] = index
        return cls(columns, tuple(headers))

    def header(self, column: PriceColumn) -> str:
        return self.headers[self.columns[column]] if column in self.columns else ""


class MappingProblem(DomainError):
    """Two file columns were chosen for one field."""


def _kind(cells: dict[PriceColumn, str]) -> str | None:
    said = cells.get(PriceColumn.TYPE, "").strip().casefold()
    if said in SERVICE_WORDS:
        return "service"
    if said in PRODUCT_WORDS:
        return "product"
    if said:
        return None
    return "product" if cells.get(PriceColumn.SKU, "").strip() else "service"


def read_rows(
    table: Table,
    mapping: Sequence[PriceColumn | None],
    currency: str,
) -> ReadRows:
    """Every data row of `table` read with `mapping`: services, products and row errors
    (a missing column is one error at line 0; a duplicate SKU or barcode names both lines)."""
    try:
        chosen = Mapping.of(table.headers, mapping)
    except MappingProblem as problem:
        return ReadRows(errors=(RowError(0, "", problem),))
    services: list[ServiceRow] = []
    products: list[ProductRow] = []
    errors: list[RowError] = []
    missing = [c for c in (PriceColumn.NAME, PriceColumn.PRICE) if c not in chosen.columns]
    for column in missing:
        errors.append(_missing(column, "every row"))
    if not table.rows:
        errors.append(RowError(0, "", PriceListError(NO_ROWS)))
    if missing:
        return ReadRows(errors=tuple(errors))
    needs_duration = needs_sku = False
    for line, raw in table.rows:
        cells = {
            column: raw[index] if index < len(raw) else ""
            for column, index in chosen.columns.items()
        }
        kind = _kind(cells)
        if kind is None:
            errors.append(
                RowError(
                    line,
                    chosen.header(PriceColumn.TYPE),
                    ValidationError(
                        "type",
                        "“{text}” is neither a service nor a product.",
                        text=cells[PriceColumn.TYPE].strip()[:40],
                    ),
                )
            )
            continue
        if kind == "service" and PriceColumn.DURATION not in chosen.columns:
            needs_duration = True
            continue
        if kind == "product" and PriceColumn.SKU not in chosen.columns:
            needs_sku = True
            continue
        row_errors: list[RowError] = []
        row = _read_row(kind, line, cells, chosen, currency, row_errors)
        errors.extend(row_errors)
        if row_errors or row is None:
            continue
        if isinstance(row, ServiceRow):
            services.append(row)
        else:
            products.append(row)
    if needs_duration:
        errors.insert(0, _missing(PriceColumn.DURATION, "services"))
    if needs_sku:
        errors.insert(0, _missing(PriceColumn.SKU, "products"))
    errors.extend(_duplicates(products, chosen, services))
    return ReadRows(tuple(services), tuple(products), tuple(errors))


def _missing(column: PriceColumn, what: str) -> RowError:
    if what == "services":
        text = words("The file has no {column} column; services need one.")
    elif what == "products":
        text = words("The file has no {column} column; products need one.")
    else:
        text = words("The file has no {column} column; every row needs one.")
    return RowError(0, "", ValidationError(column.value, text, column=column))


def _read_row(
    kind: str,
    line: int,
    cells: dict[PriceColumn, str],
    chosen: Mapping,
    currency: str,
    errors: list[RowError],
) -> ServiceRow | ProductRow | None:
    values: dict[PriceColumn, object] = {}

    def read(column: PriceColumn, parse: object) -> None:
        raw = cells.get(column)
        if raw is None or not raw.strip():
            return
        try:
            values[column] = parse(raw)  # type: ignore[operator]
        except DomainError as error:
            errors.append(RowError(line, chosen.header(column), error))

    def required(column: PriceColumn, text: str) -> None:
        if not cells.get(column, "").strip():
            errors.append(
                RowError(line, chosen.header(column), ValidationError(column.value, text))
            )

    required(PriceColumn.NAME, words("Enter a name."))
    required(PriceColumn.PRICE, words("Enter a price."))
    read(PriceColumn.NAME, lambda t: clean_line(t, F_NAME, "The name", MAX_NAME))
    read(PriceColumn.PRICE, lambda t: parse_price(t, currency))
    read(PriceColumn.TAX, parse_tax)
    read(PriceColumn.INGREDIENTS, parse_tags)
    read(PriceColumn.CONTRAINDICATIONS, parse_tags)
    if kind == "service":
        required(PriceColumn.DURATION, words("Enter the duration in minutes."))
        read(
            PriceColumn.CATEGORY, lambda t: clean_line(t, F_CATEGORY, "The category", MAX_CATEGORY)
        )
        read(PriceColumn.DURATION, lambda t: parse_minutes(t, field="duration", allow_zero=False))
        read(PriceColumn.BUFFER, lambda t: parse_minutes(t, field="buffer", allow_zero=True))
        read(PriceColumn.ROOM_KIND, lambda t: clean_line(t, F_ROOM_KIND, "The room kind", 40))
        read(PriceColumn.CAPACITY, lambda t: parse_count(t, field="capacity", least=1))
    else:
        required(PriceColumn.SKU, words("Enter the product's SKU."))
        read(PriceColumn.SKU, lambda t: clean_line(t, F_SKU, "The SKU", MAX_SKU, strict=True))
        read(
            PriceColumn.BARCODE, lambda t: clean_line(t, F_BARCODE, "The barcode", 40, strict=True)
        )
        read(PriceColumn.STOCK, lambda t: parse_count(t, field="stock", least=0))
        read(PriceColumn.LOW_STOCK, lambda t: parse_count(t, field="low_stock_level", least=0))
    if errors:
        return None

    def text(column: PriceColumn) -> str | None:
        value = values.get(column)
        return str(value) if value is not None else None

    def number(column: PriceColumn) -> int | None:
        value = values.get(column)
        return int(str(value)) if value is not None else None

    def tags(column: PriceColumn) -> tuple[str, ...] | None:
        value = values.get(column)
        if value is None:
            return () if column in chosen.columns else None
        return tuple(str(t) for t in value)  # type: ignore[attr-defined]

    if kind == "service":
        return ServiceRow(
            line=line,
            category=text(PriceColumn.CATEGORY),
            name=str(values[PriceColumn.NAME]),
            price_minor=int(str(values[PriceColumn.PRICE])),
            duration_minutes=int(str(values[PriceColumn.DURATION])),
            buffer_minutes=number(PriceColumn.BUFFER),
            tax_rate_bp=number(PriceColumn.TAX),
            room_kind=text(PriceColumn.ROOM_KIND)
            if PriceColumn.ROOM_KIND not in chosen.columns or PriceColumn.ROOM_KIND in values
            else "",
            capacity_used=number(PriceColumn.CAPACITY),
            ingredients=tags(PriceColumn.INGREDIENTS),
            contraindications=tags(PriceColumn.CONTRAINDICATIONS),
        )
    return ProductRow(
        line=line,
        sku=str(values[PriceColumn.SKU]),
        name=str(values[PriceColumn.NAME]),
        price_minor=int(str(values[PriceColumn.PRICE])),
        tax_rate_bp=number(PriceColumn.TAX),
        barcode=text(PriceColumn.BARCODE)
        if PriceColumn.BARCODE not in chosen.columns or PriceColumn.BARCODE in values
        else "",
        stock=number(PriceColumn.STOCK),
        low_stock_level=number(PriceColumn.LOW_STOCK),
        ingredients=tags(PriceColumn.INGREDIENTS),
        contraindications=tags(PriceColumn.CONTRAINDICATIONS),
    )


def _duplicates(
    products: Sequence[ProductRow], chosen: Mapping, services: Sequence[ServiceRow]
) -> list[RowError]:
    """A SKU or barcode given twice in the file, and a service named twice in one category."""
    errors: list[RowError] = []
    seen_sku: dict[str, int] = {}
    seen_barcode: dict[str, int] = {}
    for row in products:
        key = row.sku.casefold()
        if key in seen_sku:
            errors.append(
                RowError(
                    row.line,
                    chosen.header(PriceColumn.SKU),
                    ValidationError(
                        F_SKU,
                        "SKU {sku} is also on line {other}.",
                        sku=row.sku,
                        other=seen_sku[key],
                    ),
                )
            )
        else:
            seen_sku[key] = row.line
        if row.barcode:
            if row.barcode in seen_barcode:
                errors.append(
                    RowError(
                        row.line,
                        chosen.header(PriceColumn.BARCODE),
                        ValidationError(
                            F_BARCODE,
                            "Barcode {barcode} is also on line {other}.",
                            barcode=row.barcode,
                            other=seen_barcode[row.barcode],
                        ),
                    )
                )
            else:
                seen_barcode[row.barcode] = row.line
    seen_service: dict[tuple[str, str], int] = {}
    for service in services:
        service_key = ((service.category or "").casefold(), service.name.casefold())
        if service_key in seen_service:
            errors.append(
                RowError(
                    service.line,
                    chosen.header(PriceColumn.NAME),
                    ValidationError(
                        F_NAME,
                        "This service is also on line {other}, in the same category.",
                        other=seen_service[service_key],
                    ),
                )
            )
        else:
            seen_service[service_key] = service.line
    return errors


# -- writing ---------------------------------------------------------------------------------


def export_headers(language: str) -> tuple[str, ...]:
    """The header export writes in `language` (en, zh or ru): each column's first synonym."""
    lang = language.split("_", maxsplit=1)[0]
    if lang not in ("en", "zh", "ru"):
        lang = "en"
    return tuple(SYNONYMS[c][lang][0] for c in EXPORT_COLUMNS)


def format_amount(minor: int, currency: str, decimal_mark: str = ".") -> str:
    """Minor units as a plain number ('1234.50'), no grouping, in the given decimal mark."""
    digits = minor_digits(currency)
    if not digits:
        return str(minor)
    whole, fraction = divmod(minor, 10**digits)
    return f"{whole}{decimal_mark}{fraction:0{digits}d}"


def format_rate(rate_bp: int, decimal_mark: str = ".") -> str:
    whole, fraction = divmod(rate_bp, 100)
    return str(whole) if not fraction else f"{whole}{decimal_mark}{fraction:02d}".rstrip("0")


def write_csv(
    services: Sequence[ServiceRow],
    products: Sequence[ProductRow],
    currency: str,
    *,
    language: str = "en",
    decimal_mark: str = ".",
) -> bytes:
    """A price list file: UTF-8 with a BOM (Excel reads it right), the headers `read_table`
    and `guess_mapping` read, ';' between cells where ',' is the decimal mark (as Excel
    expects in those languages). Service rows first, then products."""
    delimiter = ";" if decimal_mark == "," else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(export_headers(language))
    service_word, product_word = {"zh": ("服务", "商品"), "ru": ("услуга", "товар")}.get(
        language.split("_", maxsplit=1)[0], ("service", "product")
    )

    def opt(value: int | None) -> str:
        return "" if value is None else str(value)

    def rate(value: int | None) -> str:
        return "" if value is None else format_rate(value, decimal_mark)

    for s in services:
        writer.writerow(
            [
                service_word,
                s.category or "",
                s.name,
                "",
                "",
                format_amount(s.price_minor, currency, decimal_mark),
                rate(s.tax_rate_bp),
                str(s.duration_minutes),
                opt(s.buffer_minutes),
                s.room_kind or "",
                opt(s.capacity_used),
                join_tags(s.ingredients or ()),
                join_tags(s.contraindications or ()),
                "",
                "",
            ]
        )
    for p in products:
        writer.writerow(
            [
                product_word,
                "",
                p.name,
                p.sku,
                p.barcode or "",
                format_amount(p.price_minor, currency, decimal_mark),
                rate(p.tax_rate_bp),
                "",
                "",
                "",
                "",
                join_tags(p.ingredients or ()),
                join_tags(p.contraindications or ()),
                opt(p.stock),
                opt(p.low_stock_level),
            ]
        )
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
