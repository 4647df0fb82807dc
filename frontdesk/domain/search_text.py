"""The forms clients are stored and searched in: folded names, pinyin initials, phone digits.

Everything a search compares is folded the same way on both sides, the stored keys
(`client_search_keys`, called wherever a client is saved, by the migration's backfill and by
the demo and benchmark builders) and the text typed (`fold`, `phone_query`):

- names: case-folded, accents dropped ("Zoë" -> "zoe", "Семён" -> "семен"), spaces collapsed,
  as written and family name first (Chinese names are written family name first, no space);
- Chinese names also by the first letters of their pinyin, family name first ("wf" for 王芳);
- phones: the digits of the E.164 form (any fragment matches) and the national significant
  number (so "8 916 123-45-67" typed in Russia and "+7 916 123 45 67" find the same client);
- e-mail: case-folded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

#: Column widths (db/models/customers.py): a key never outgrows its column.
NAME_KEY_MAX = 161
INITIALS_MAX = 80
EMAIL_MAX = 200
PHONE_MAX = 20


def _is_cjk(ch: str) -> bool:
    return (
        "\u3400" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
    )


def has_cjk(text: str) -> bool:
    return any(_is_cjk(ch) for ch in text)


def fold(text: str) -> str:
    """Case-folded text without accents and with single spaces: "  Zoë  ÅSE " -> "zoe ase".

    Compatibility forms are unified (full-width letters, ligatures), combining marks dropped
    (so Cyrillic ё matches е and й matches и, as people type them either way)."""
    # Unicode's compatibility caseless form (D146): a compatibility letter may only get its
    # case once decomposed ("𝕬" -> "A" -> "a"), so case is folded again after NFKD.
    once = unicodedata.normalize("NFKD", unicodedata.normalize("NFD", text).casefold())
    decomposed = unicodedata.normalize("NFKD", once.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", bare).split())


def search_keys(first_name: str, last_name: str) -> tuple[str, str]:
    """The two indexed forms of a name: as written, and family name first.

    Chinese names are written family name first without a space ("王芳"); others "Anna Smith".
    Both orders are indexed so a prefix of either name finds the client."""
    first, last = fold(first_name), fold(last_name)
    if has_cjk(first + last):
        keys = (last + first, first + last)
    else:
        keys = (" ".join(p for p in (first, last) if p), " ".join(p for p in (last, first) if p))
    return keys[0][:NAME_KEY_MAX], keys[1][:NAME_KEY_MAX]


def _initials(text: str) -> str:
    # pypinyin loads its dictionaries on import (about half a second): only a Chinese name
    # needs them, so a shop that never saves one never pays for it, and start-up never does.
    from pypinyin import Style, lazy_pinyin

    return "".join(
        syllable[0]
        for syllable in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
        if syllable and syllable[0].isascii() and syllable[0].isalpha()
    ).lower()


def pinyin_initials(first_name: str, last_name: str) -> str:
    """Pinyin initials of a Chinese name, family name first then given name first:
    "wf fw" for 王芳 (family 王, given 芳); "" for a name without Chinese characters.

    Family name first is how the name is said and typed: that form is a prefix of the indexed
    column. The second form is kept for a full-text match."""
    if not has_cjk(first_name + last_name):
        return ""
    family, given = _initials(last_name), _initials(first_name)
    forms = [family + given]
    if given and family:
        forms.append(given + family)
    return " ".join(forms)[:INITIALS_MAX]


def phone_digits(phone: str | None) -> str:
    """Only the digits of a phone number (stored E.164), the form fragments are matched in."""
    return "".join(ch for ch in phone or "" if ch.isdigit())[:PHONE_MAX]


def phone_national(phone: str | None, region: str) -> str:
    """The national significant number ("9161234567" for +7 916 123-45-67); "" for none.

    A number that phonenumbers cannot read keeps its digits."""
    if not phone:
        return ""
    try:
        parsed = phonenumbers.parse(phone, region or None)
    except phonenumbers.NumberParseException:
        return phone_digits(phone)
    return str(phonenumbers.national_significant_number(parsed))[:PHONE_MAX]


def fold_email(email: str | None) -> str:
    return (email or "").strip().casefold()[:EMAIL_MAX]


@dataclass(frozen=True)
class ClientSearchKeys:
    """Every stored search column of a client (set them all whenever a client is saved)."""

    search_name: str
    search_name_rev: str
    search_initials: str
    email_folded: str
    phone_digits: str
    phone_national: str

    def as_columns(self) -> dict[str, str]:
        return {
            "search_name": self.search_name,
            "search_name_rev": self.search_name_rev,
            "search_initials": self.search_initials,
            "email_folded": self.email_folded,
            "phone_digits": self.phone_digits,
            "phone_national": self.phone_national,
        }


def client_search_keys(
    first_name: str, last_name: str, phone: str | None, email: str | None, region: str
) -> ClientSearchKeys:
    """The search keys of a client from its fields; `region` is the shop's phone region."""
    name, rev = search_keys(first_name, last_name)
    return ClientSearchKeys(
        search_name=name,
        search_name_rev=rev,
        search_initials=pinyin_initials(first_name, last_name),
        email_folded=fold_email(email),
        phone_digits=phone_digits(phone),
        phone_national=phone_national(phone, region),
    )


# -- what was typed --------------------------------------------------------------------------

_PHONE_TYPING = re.compile(r"\+?[0-9][0-9 ()./-]*")


@dataclass(frozen=True)
class PhoneQuery:
    """A phone number or fragment as typed: the digit strings that may be found in a stored
    number's digits (`fragments`), and the national number when the whole number was typed."""

    fragments: tuple[str, ...]
    national: str | None


def phone_query(typed: str, region: str) -> PhoneQuery | None:
    """Digits, spaces, dashes, brackets and a leading + read as a phone number or fragment;
    None for anything else. "89161234567" in Russia: national "9161234567"; "8 916 123" in
    Russia: the fragments "8916123" and "916123" (the trunk prefix 8 is not stored)."""
    text = typed.strip()
    if not _PHONE_TYPING.fullmatch(text):
        return None
    digits = phone_digits(text) if len(text) <= 40 else ""
    if not digits:
        return None
    national: str | None = None
    try:
        parsed = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        national = str(phonenumbers.national_significant_number(parsed))
    fragments = [digits]
    if text.startswith("+"):
        pass  # typed with its country code: the E.164 digits hold it as typed
    else:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
        trunk = meta.national_prefix if meta is not None else None
        if trunk and digits.startswith(trunk) and len(digits) > len(trunk):
            fragments.append(digits[len(trunk) :])
    if national and national not in fragments:
        fragments.append(national)
    return PhoneQuery(tuple(dict.fromkeys(fragments)), national)


_CARD_TYPING = re.compile(r"([A-Za-z]{0,4})[- ]?([0-9]{4,32})")


def card_forms(typed: str, prefixes: list[str]) -> list[str]:
    """The card numbers `typed` can mean, given the prefixes the shop's cards use ("FD-", ""):
    itself upper-cased, and its digits behind every prefix whose letters it carries, or behind
    every prefix when typed as digits alone ("1922812" -> "FD-1922812"; "fd1922812" ->
    "FD-1922812"). Empty when it cannot be a card number."""
    code = typed.strip().upper()
    match = _CARD_TYPING.fullmatch(code)
    if match is None:
        return []
    letters, digits = match.groups()
    forms = [code]
    for prefix in prefixes:
        if not letters or prefix.rstrip("- ") == letters:
            forms.append(prefix + digits)
    return list(dict.fromkeys(forms))
