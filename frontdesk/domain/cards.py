"""Loyalty card numbers as printed on the card and as a scanner sends them."""

from __future__ import annotations

import re

from frontdesk.domain.errors import ValidationError

CARD_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{3,31}")


def normalize_card_number(raw: str) -> str:
    """Upper-case, trimmed card number; raises ValidationError for anything a card cannot carry."""
    code = raw.strip().upper()
    if not CARD_PATTERN.fullmatch(code):
        raise ValidationError(
            "card_number",
            "This is not a loyalty card number (4-32 letters, digits or dashes).",
        )
    return code


def looks_like_card_number(text: str) -> bool:
    """True for input that can only be a card number (a prefix plus digits, e.g. 'FD-0001234')."""
    code = text.strip().upper()
    return bool(re.fullmatch(r"[A-Z]{1,4}-?[0-9]{4,}", code))
