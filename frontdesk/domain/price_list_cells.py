"""A price list's cells as values: amounts, rates, minutes, counts and tags, as other systems
write them (and back, as our export writes them)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money import minor_digits, parse_money, parse_rate
from frontdesk.domain.text import clean_line

MAX_TAG = 60
MAX_MINUTES = 1440
MAX_COUNT = 1_000_000
#: The field name of a tag's error (label: "-- price list" in ui/error_text.py).
F_TAG = "price_list_tag"


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
