"""A client list as a CSV file: its columns, its rows read as client records, written back.

Bytes to text, text to cells and headers to fields are the price list's machinery
(price_list_file.py: encoding detection by plausibility, header synonyms): one piece of code
serves both files. This module names the client fields, their header words in English, Chinese
and Russian, and reads each row into a `ClientRow` or `RowError`s (line, column, what is wrong).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from frontdesk.domain.clients import (
    MAX_PREFERENCE,
    PREF_NOTES,
    ClientForm,
    ValidClient,
    validate_client,
)
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.health import entry_key
from frontdesk.domain.price_list_cells import parse_count
from frontdesk.domain.price_list_file import (
    AUTO,
    ENCODINGS,
    HeaderWords,
    PriceListError,
    RowError,
    Table,
    decode,
    encoding_name,
    read_table,
)
from frontdesk.domain.text import clean_block

__all__ = [
    "AUTO",
    "ENCODINGS",
    "MAX_CLIENT_FILE_BYTES",
    "ClientColumn",
    "ClientFileError",
    "ClientRow",
    "RowError",
    "Table",
    "decode",
    "encoding_name",
    "guess_mapping",
    "read_client_rows",
    "read_table",
    "write_clients_csv",
]

#: A client list of 100,000 clients with notes fits.
MAX_CLIENT_FILE_BYTES = 50 * 1024 * 1024
#: The file's notes are kept as the card's free-text preference ("Anything else"): its topic
#: and its limit (the preference's column holds 200 characters).
NOTES_TOPIC = PREF_NOTES
MAX_NOTES = MAX_PREFERENCE

ClientFileError = PriceListError

NO_NAME_COLUMN = words(
    "The file has no column for the client's name (looked for “{expected}”); "
    "its columns are: {found}."
)
TWICE_MAPPED = words("Two columns are read as {column}: “{first}” and “{second}”.")
NOT_A_BIRTHDAY = words("“{text}” is not a date (use YYYY-MM-DD or DD.MM.YYYY).")
NOT_YES_NO = words("“{text}” is neither yes nor no.")
ALLERGY_TWICE = words("“{substance}” is listed twice.")
NO_HEALTH_CONSENT = words(
    "Allergies are kept only with the client's consent: add a health consent column saying yes."
)
BAD_PREFERENCE = words("“{text}” is not a preference (write topic: value).")


class ClientColumn(StrEnum):
    """A field a client file column can be read as."""

    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    PHONE = "phone"
    EMAIL = "email"
    BIRTHDAY = "birthday"
    CARD = "card_number"
    VISITS = "visits"
    MARKETING_CONSENT = "marketing_consent"
    HEALTH_CONSENT = "health_consent"
    ALLERGIES = "allergies"
    PREFERENCES = "preferences"
    NOTES = "notes"


#: Header words per column: English, Chinese, Russian (the first English one is what export
#: writes).
SYNONYMS: dict[ClientColumn, dict[str, tuple[str, ...]]] = {
    ClientColumn.NAME: {
        "en": ("name", "full name", "client", "customer", "client name"),
        "zh": ("姓名", "客户", "客户姓名", "顾客"),
        "ru": ("фио", "имя и фамилия", "клиент", "ф.и.о."),
    },
    ClientColumn.FIRST_NAME: {
        "en": ("first name", "given name", "forename", "first"),
        "zh": ("名", "名字"),
        "ru": ("имя",),
    },
    ClientColumn.LAST_NAME: {
        "en": ("last name", "surname", "family name", "last"),
        "zh": ("姓", "姓氏"),
        "ru": ("фамилия",),
    },
    ClientColumn.PHONE: {
        "en": ("phone", "mobile", "telephone", "tel", "cell", "phone number"),
        "zh": ("电话", "手机", "手机号", "电话号码", "联系电话"),
        "ru": ("телефон", "тел", "мобильный", "номер телефона"),
    },
    ClientColumn.EMAIL: {
        "en": ("email", "e mail", "mail", "email address"),
        "zh": ("邮箱", "电子邮件", "电子邮箱"),
        "ru": ("почта", "эл почта", "электронная почта", "емейл"),
    },
    ClientColumn.BIRTHDAY: {
        "en": ("birthday", "date of birth", "dob", "birth date", "born"),
        "zh": ("生日", "出生日期"),
        "ru": ("день рождения", "дата рождения", "др"),
    },
    ClientColumn.CARD: {
        "en": ("card", "card number", "loyalty card", "member number", "card no"),
        "zh": ("卡号", "会员卡", "会员卡号", "会员号"),
        "ru": ("карта", "номер карты", "карта лояльности", "клубная карта"),
    },
    ClientColumn.VISITS: {
        "en": ("visits", "visit count", "number of visits", "past visits"),
        "zh": ("到店次数", "次数", "消费次数", "来访次数"),
        "ru": ("визиты", "визитов", "количество визитов", "посещения"),
    },
    ClientColumn.MARKETING_CONSENT: {
        "en": ("marketing consent", "marketing", "newsletter", "opt in"),
        "zh": ("营销同意", "接收推广", "订阅"),
        "ru": ("согласие на рассылку", "рассылка", "реклама"),
    },
    ClientColumn.HEALTH_CONSENT: {
        "en": ("health consent", "consent to keep health data", "health data consent"),
        "zh": ("健康信息同意", "健康同意"),
        "ru": ("согласие на медданные", "согласие на данные о здоровье", "медсогласие"),
    },
    ClientColumn.ALLERGIES: {
        "en": ("allergies", "allergy", "allergens"),
        "zh": ("过敏", "过敏原", "过敏史"),
        "ru": ("аллергии", "аллергия", "аллергены"),
    },
    ClientColumn.PREFERENCES: {
        "en": ("preferences", "preference", "likes"),
        "zh": ("偏好", "喜好"),
        "ru": ("предпочтения", "пожелания"),
    },
    ClientColumn.NOTES: {
        "en": ("notes", "note", "comment", "comments", "remarks"),
        "zh": ("备注", "说明", "留言"),
        "ru": ("заметки", "примечание", "комментарий", "примечания"),
    },
}

#: The columns export writes, in this order.
EXPORT_COLUMNS = (
    ClientColumn.FIRST_NAME,
    ClientColumn.LAST_NAME,
    ClientColumn.PHONE,
    ClientColumn.EMAIL,
    ClientColumn.BIRTHDAY,
    ClientColumn.CARD,
    ClientColumn.VISITS,
    ClientColumn.MARKETING_CONSENT,
    ClientColumn.PREFERENCES,
    ClientColumn.NOTES,
)

_HEADERS: HeaderWords[ClientColumn] = HeaderWords(SYNONYMS)
_YES = frozenset({"yes", "y", "true", "1", "x", "+", "да", "д", "是", "有", "同意", "✓"})
_NO = frozenset({"no", "n", "false", "0", "-", "нет", "н", "否", "无", "不同意", ""})
_SPLIT = re.compile(r"[,;，；、|]")
_PREFERENCE = re.compile(r"\s*([^:：=]+?)\s*[:：=]\s*(.+?)\s*$")
#: Field names of validate_client's errors, as the file's columns.
_FORM_COLUMNS = {
    "first_name": ClientColumn.FIRST_NAME,
    "last_name": ClientColumn.LAST_NAME,
    "phone": ClientColumn.PHONE,
    "email": ClientColumn.EMAIL,
    "birthday": ClientColumn.BIRTHDAY,
    "card_number": ClientColumn.CARD,
}


@dataclass(frozen=True)
class ClientRow:
    """One client as a row says it. None: the file does not say (keep what is stored)."""

    line: int
    client: ValidClient
    #: Which of the form's fields the row gave (the others keep what is stored).
    given: frozenset[str]
    visits: int | None = None
    health_consent: bool | None = None
    allergies: tuple[str, ...] = ()
    preferences: tuple[tuple[str, str], ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class ReadClients:
    rows: tuple[ClientRow, ...]
    errors: tuple[RowError, ...]


def guess_mapping(headers: Sequence[str]) -> tuple[ClientColumn | None, ...]:
    """Each header's field (synonyms in three languages); each field guessed once."""
    return _HEADERS.mapping(headers)


def parse_birthday(text: str) -> date:
    """A birthday as files write it: 1990-03-15, 15.03.1990, 15/03/1990, 1990/3/15,
    1990年3月15日; ValueError otherwise."""
    cleaned = text.strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", cleaned)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    match = re.fullmatch(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})", cleaned)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    raise ValueError(cleaned)


def parse_yes_no(text: str, column: str) -> bool:
    folded = text.strip().casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValidationError(column, NOT_YES_NO, text=text.strip()[:20])


def _split_name(full: str) -> tuple[str, str]:
    parts = full.split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def read_client_rows(
    table: Table,
    mapping: Sequence[ClientColumn | None],
    region: str,
    today: date,
) -> ReadClients:
    """Every row read as a client (validated like the client form), or its errors.
    ClientFileError when the mapping has no name column or reads two columns as one field."""
    columns: dict[ClientColumn, int] = {}
    for index, column in enumerate(mapping):
        if column is None:
            continue
        if column in columns:
            raise ClientFileError(
                TWICE_MAPPED,
                column=SYNONYMS[column]["en"][0],
                first=table.headers[columns[column]],
                second=table.headers[index],
            )
        columns[column] = index
    if ClientColumn.NAME not in columns and ClientColumn.FIRST_NAME not in columns:
        raise ClientFileError(
            NO_NAME_COLUMN,
            expected="”, “".join(
                (SYNONYMS[ClientColumn.NAME]["en"][0], SYNONYMS[ClientColumn.FIRST_NAME]["en"][0])
            ),
            found=", ".join(f"“{h}”" for h in table.headers) or "-",
        )
    rows: list[ClientRow] = []
    errors: list[RowError] = []
    for line, cells in table.rows:
        row, row_errors = _read_row(line, cells, columns, table.headers, region, today)
        errors.extend(row_errors)
        if row is not None and not row_errors:
            rows.append(row)
    return ReadClients(tuple(rows), tuple(errors))


def _read_row(
    line: int,
    cells: Sequence[str],
    columns: dict[ClientColumn, int],
    headers: Sequence[str],
    region: str,
    today: date,
) -> tuple[ClientRow | None, list[RowError]]:
    errors: list[RowError] = []

    def cell(column: ClientColumn) -> str | None:
        index = columns.get(column)
        if index is None:
            return None
        return cells[index].strip() if index < len(cells) else ""

    def header(column: ClientColumn) -> str:
        index = columns.get(column)
        return headers[index] if index is not None else ""

    def fail(column: ClientColumn, error: DomainError) -> None:
        errors.append(RowError(line, header(column), error))

    first, last = cell(ClientColumn.FIRST_NAME), cell(ClientColumn.LAST_NAME)
    name_column = ClientColumn.FIRST_NAME
    if first is None or (not first and cell(ClientColumn.NAME)):
        first, split_last = _split_name(cell(ClientColumn.NAME) or "")
        last = last if last else split_last
        name_column = ClientColumn.NAME
    birthday = cell(ClientColumn.BIRTHDAY)
    iso_birthday = ""
    if birthday:
        try:
            iso_birthday = parse_birthday(birthday).isoformat()
        except ValueError:
            fail(ClientColumn.BIRTHDAY, ValidationError("birthday", NOT_A_BIRTHDAY, text=birthday))
            iso_birthday = ""
    marketing: bool | None = None
    raw_marketing = cell(ClientColumn.MARKETING_CONSENT)
    if raw_marketing is not None:
        try:
            marketing = parse_yes_no(raw_marketing, "marketing_consent")
        except ValidationError as error:
            fail(ClientColumn.MARKETING_CONSENT, error)
    form = ClientForm(
        first_name=first or "",
        last_name=last or "",
        phone=cell(ClientColumn.PHONE) or "",
        email=cell(ClientColumn.EMAIL) or "",
        birthday=iso_birthday,
        card_number=cell(ClientColumn.CARD) or "",
        marketing_consent=bool(marketing),
    )
    client: ValidClient | None = None
    try:
        client = validate_client(form, region, today)
    except FormErrors as problems:
        for field, problem in problems.errors.items():
            column = _FORM_COLUMNS.get(field, ClientColumn.FIRST_NAME)
            if column == ClientColumn.FIRST_NAME:
                column = name_column
            if field == "birthday" and not iso_birthday:
                continue
            fail(column, problem)
    visits: int | None = None
    raw_visits = cell(ClientColumn.VISITS)
    if raw_visits:
        try:
            visits = parse_count(raw_visits, field="visits", least=0)
        except ValidationError as error:
            fail(ClientColumn.VISITS, error)
    health: bool | None = None
    raw_health = cell(ClientColumn.HEALTH_CONSENT)
    if raw_health is not None:
        try:
            health = parse_yes_no(raw_health, "health_consent")
        except ValidationError as error:
            fail(ClientColumn.HEALTH_CONSENT, error)
    allergies: list[str] = []
    seen: set[str] = set()
    for part in _SPLIT.split(cell(ClientColumn.ALLERGIES) or ""):
        substance = " ".join(part.split())
        if not substance:
            continue
        key = entry_key(substance)
        if key in seen:
            fail(
                ClientColumn.ALLERGIES,
                ValidationError("substance", ALLERGY_TWICE, substance=substance[:40]),
            )
            continue
        seen.add(key)
        allergies.append(substance)
    if allergies and health is not True:
        fail(ClientColumn.ALLERGIES, ValidationError("health_consent", NO_HEALTH_CONSENT))
    preferences: list[tuple[str, str]] = []
    for part in re.split(r"[;；\n]", cell(ClientColumn.PREFERENCES) or ""):
        if not part.strip():
            continue
        match = _PREFERENCE.fullmatch(part)
        if match is None:
            fail(
                ClientColumn.PREFERENCES,
                ValidationError("preference", BAD_PREFERENCE, text=part.strip()[:40]),
            )
            continue
        preferences.append((match.group(1), match.group(2)))
    notes: str | None = None
    raw_notes = cell(ClientColumn.NOTES)
    if raw_notes:
        try:
            notes = clean_block(raw_notes, "notes", "The notes", MAX_NOTES)
        except ValidationError as error:
            fail(ClientColumn.NOTES, error)
    if client is None or errors:
        return None, errors
    given = frozenset(
        field
        for field, column in _FORM_COLUMNS.items()
        if (column in columns and cell(column))
        or (field in ("first_name", "last_name") and ClientColumn.NAME in columns)
    ) | ({"marketing_consent"} if raw_marketing is not None else frozenset())
    return (
        ClientRow(
            line=line,
            client=client,
            given=given,
            visits=visits,
            health_consent=health,
            allergies=tuple(allergies),
            preferences=tuple(preferences),
            notes=notes,
        ),
        errors,
    )


def export_headers() -> tuple[str, ...]:
    return tuple(SYNONYMS[c]["en"][0] for c in EXPORT_COLUMNS)


def write_clients_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """Rows (in EXPORT_COLUMNS order) as CSV in UTF-8 with a BOM (spreadsheets open it)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(export_headers())
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def parse_visits(text: str) -> int:
    return parse_count(text, field="visits", least=0)


def preferences_cell(preferences: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{topic}: {value}" for topic, value in preferences)


def decode_client_file(data: bytes, encoding: str | None) -> tuple[str, str, tuple[str, ...]]:
    decoded = decode(data, encoding or AUTO, max_bytes=MAX_CLIENT_FILE_BYTES)
    return decoded.text, decoded.encoding, decoded.tried
