"""A price list as a CSV file: reading its bytes, its columns and its rows; writing one back.

Pure rules, no database: a file is decoded (UTF-8 strictly first, else GB18030 or
Windows-1251, whichever reads as plausible Chinese or Russian), its header matched to the
fields we know (synonyms in English, Chinese and Russian), and every row read into a plain
`ServiceRow` or `ProductRow`, or into `RowError`s naming the row, the column and what is wrong.
`write_csv` writes rows back with headers `read_table` reads, so an export imports unchanged.

A value left empty, or a column the file does not have, is None in a row: "keep what is stored"
on an update, the usual default on a new record.

Bytes to text and text to cells: price_list_file.py; one cell to a value: price_list_cells.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from frontdesk.domain.errors import DomainError, ValidationError, words
from frontdesk.domain.price_list_cells import (
    format_amount,
    format_rate,
    join_tags,
    parse_count,
    parse_minutes,
    parse_price,
    parse_tags,
    parse_tax,
)
from frontdesk.domain.price_list_file import (
    AUTO,
    ENCODINGS,
    MAX_FILE_BYTES,
    HeaderWords,
    PriceListError,
    RowError,
    Table,
    decode,
    encoding_name,
    read_table,
)
from frontdesk.domain.text import clean_line

__all__ = [
    "AUTO",
    "ENCODINGS",
    "MAX_FILE_BYTES",
    "PriceListError",
    "RowError",
    "Table",
    "decode",
    "encoding_name",
    "format_amount",
    "format_rate",
    "read_table",
]


# Column lengths of db/models/catalog.py, in characters.
MAX_NAME = 120
MAX_CATEGORY = 80
MAX_SKU = 40
MAX_BARCODE = 40
MAX_ROOM_KIND = 40

#: Field names of this module's errors (labels: "-- price list" in ui/error_text.py).
F_NAME = "price_list_name"
F_CATEGORY = "price_list_category"
F_SKU = "price_list_sku"
F_BARCODE = "price_list_barcode"
F_ROOM_KIND = "price_list_room_kind"


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

NO_ROWS = words("The file has a header but no rows.")
FILE_UNREADABLE = words("{file} cannot be read.")
FILE_UNWRITABLE = words("{file} cannot be written.")
NOTHING_IMPORTED = words(
    "Nothing was imported: the file has %n error(s). Correct them and import again."
)
TWICE_MAPPED = words("Two columns are read as {column}: “{first}” and “{second}”.")


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
class ReadRows:
    """Every row of a file read with one mapping: services, products and what is wrong."""

    services: tuple[ServiceRow, ...] = ()
    products: tuple[ProductRow, ...] = ()
    errors: tuple[RowError, ...] = field(default=())


_HEADERS: HeaderWords[PriceColumn] = HeaderWords(SYNONYMS)


def guess_column(header: str) -> PriceColumn | None:
    """The field a header names (case, spaces, underscores and a bracketed unit ignored)."""
    return _HEADERS.guess(header)


def guess_mapping(headers: Sequence[str]) -> tuple[PriceColumn | None, ...]:
    """Each header's field; a field already taken by an earlier column is not guessed twice."""
    return _HEADERS.mapping(headers)


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
        read(
            PriceColumn.ROOM_KIND,
            lambda t: clean_line(t, F_ROOM_KIND, "The room kind", MAX_ROOM_KIND),
        )
        read(PriceColumn.CAPACITY, lambda t: parse_count(t, field="capacity", least=1))
    else:
        required(PriceColumn.SKU, words("Enter the product's SKU."))
        read(PriceColumn.SKU, lambda t: clean_line(t, F_SKU, "The SKU", MAX_SKU, strict=True))
        read(
            PriceColumn.BARCODE,
            lambda t: clean_line(t, F_BARCODE, "The barcode", MAX_BARCODE, strict=True),
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
