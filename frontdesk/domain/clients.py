"""Rules for a client's record: what a valid name, phone, e-mail and birthday are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers

from frontdesk.domain.cards import normalize_card_number
from frontdesk.domain.errors import FormErrors, ValidationError

EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class ClientForm:
    """What the client form submits, as typed."""

    first_name: str
    last_name: str
    phone: str = ""
    email: str = ""
    birthday: str = ""  # ISO yyyy-mm-dd or empty
    card_number: str = ""
    marketing_consent: bool = False


@dataclass(frozen=True)
class ValidClient:
    """A client record that passed every rule, normalised for storage."""

    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    birthday: date | None
    card_number: str | None
    marketing_consent: bool


def normalize_phone(raw: str, region: str) -> str:
    """E.164 form of a phone number typed in the shop's region; ValidationError when impossible."""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError("phone", f"“{raw}” is not a phone number.") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError("phone", f"“{raw}” is not a phone number.")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def validate_client(form: ClientForm, region: str, today: date) -> ValidClient:
    """Check every field; raise FormErrors naming each bad field, so nothing partial is saved."""
    errors: dict[str, str] = {}
    first = " ".join(form.first_name.split())
    last = " ".join(form.last_name.split())
    if not first:
        errors["first_name"] = "Enter the client's first name."
    if len(first) > 80:
        errors["first_name"] = "A first name is at most 80 characters."
    if len(last) > 80:
        errors["last_name"] = "A last name is at most 80 characters."
    phone: str | None = None
    if form.phone.strip():
        try:
            phone = normalize_phone(form.phone, region)
        except ValidationError as exc:
            errors["phone"] = exc.message
    email = form.email.strip() or None
    if email is not None and not EMAIL_PATTERN.fullmatch(email):
        errors["email"] = f"“{email}” is not an e-mail address."
    birthday: date | None = None
    if form.birthday.strip():
        try:
            birthday = date.fromisoformat(form.birthday.strip())
        except ValueError:
            errors["birthday"] = f"“{form.birthday.strip()}” is not a date (use YYYY-MM-DD)."
        else:
            if birthday > today:
                errors["birthday"] = "A birthday cannot be in the future."
            elif birthday.year < today.year - 120:
                errors["birthday"] = "That birthday is more than 120 years ago."
    card: str | None = None
    if form.card_number.strip():
        try:
            card = normalize_card_number(form.card_number)
        except ValidationError as exc:
            errors["card_number"] = exc.message
    if errors:
        raise FormErrors(errors)
    return ValidClient(first, last, phone, email, birthday, card, form.marketing_consent)


@lru_cache(maxsize=8192)
def format_phone(e164: str | None, region: str) -> str:
    """A stored E.164 number as people write it: national form at home, international abroad.

    Cached: parsing costs ~0.1 ms a number, and search-as-you-type shows the same rows again.
    """
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    home = parsed.country_code == phonenumbers.country_code_for_region(region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else (phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )
    return str(phonenumbers.format_number(parsed, style))
