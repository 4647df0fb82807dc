"""Free text as it may be stored: lengths counted in characters, no control or invisible characters.

Every free-text field goes through here before it is saved, so SQLite (which enforces nothing)
and PostgreSQL (which refuses NUL and over-long values with a driver error) behave the same, and
a refusal is a message beside the field instead of a database error.

Messages never quote the refused text: it may be a client's private data.
"""

from __future__ import annotations

import unicodedata

from frontdesk.domain.errors import ValidationError

#: Zero-width characters: invisible, so two names that look the same would differ. The joiners
#: (U+200C, U+200D) are refused in names and e-mail only: emoji and some scripts need them.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
JOINERS = frozenset("\u200c\u200d")
#: Embedding, override and isolate controls: they reorder how the following text is displayed.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Refused in every field.
INVISIBLE = DIRECTION_CONTROLS | (ZERO_WIDTH - JOINERS)
#: Whitespace a multi-line field keeps.
LINE_BREAKS = frozenset("\n\t")


def _category(ch: str) -> str:
    return unicodedata.category(ch)


def check_characters(text: str, field: str, label: str, *, strict: bool, multiline: bool) -> None:
    """ValidationError when `text` holds a character no field should store.

    Everywhere: control characters (NUL, escape, ...; tabs and line breaks only in multi-line
    fields), lone surrogates, direction overrides and zero-width spaces. `strict` fields (names,
    e-mail) refuse every invisible formatting character, zero-width joiners and marks included.
    """
    for ch in text:
        category = _category(ch)
        if category == "Cc" and not (multiline and ch in LINE_BREAKS):
            raise ValidationError(
                field,
                "{label} contains a control character. Retype it without pasting.",
                label=label,
            )
        if category == "Cs":
            raise ValidationError(
                field, "{label} contains a broken character. Retype it.", label=label
            )
        if ch in INVISIBLE or (strict and category == "Cf"):
            raise ValidationError(
                field,
                "{label} contains an invisible character (zero-width or text-direction). "
                "Retype it without pasting.",
                label=label,
            )


def check_length(text: str, field: str, label: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise ValidationError(
            field, "{label} is at most {max_chars} characters.", label=label, max_chars=max_chars
        )


def clean_line(
    raw: str,
    field: str,
    label: str,
    max_chars: int,
    *,
    required: str | None = None,
    strict: bool = False,
) -> str:
    """A single-line value as stored: runs of whitespace become one space, ends trimmed.

    `required` is the message for an empty value; without it an empty value is allowed.
    """
    typed = raw.replace("\r", " ").replace("\n", " ").replace("\t", " ")  # pasted lines: spaces
    check_characters(typed, field, label, strict=strict, multiline=False)
    value = " ".join(raw.split())
    if required is not None and not value:
        raise ValidationError(field, required)
    check_length(value, field, label, max_chars)
    return value


def clean_block(raw: str, field: str, label: str, max_chars: int) -> str:
    """A multi-line value (notes) as stored: line breaks kept, ends trimmed, CR LF made LF."""
    value = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    check_characters(value, field, label, strict=False, multiline=True)
    check_length(value, field, label, max_chars)
    return value


def visible_text(raw: str) -> str:
    """`raw` without control, invisible and direction characters: a safe search query."""
    return "".join(
        ch
        for ch in raw
        if _category(ch) not in ("Cc", "Cf", "Cs") or ch in LINE_BREAKS or ch == "\r"
    )
