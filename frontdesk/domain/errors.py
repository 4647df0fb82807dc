"""Known errors: things that go wrong in normal use, shown to the user in their own language.

A known error carries a text template in plain English (its code: the window looks it up in the
translations, as Qt looks up any other string) and the parameters to fill in; `message` (and
`str(error)`) is the English sentence. Known errors are shown, never logged (ui/errors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime


def words(text: str) -> str:
    """Mark a template kept in a constant as translatable (tools/error_catalog.py finds it; a
    template written in an error's constructor call is found without a mark)."""
    return text


def fill(text: str, params: Mapping[str, object]) -> str:
    """`text` with its {name} placeholders filled and `%n` (Qt's plural count) as `params["n"]`;
    a template without parameters as it is."""
    if not params:
        return text
    if "n" in params:
        text = text.replace("%n", str(params["n"]))
    # A time is named by its clock time (the window writes it in the reader's locale instead).
    shown = {k: v.strftime("%H:%M") if isinstance(v, datetime) else v for k, v in params.items()}
    return text.format(**shown)


class DomainError(Exception):
    """A known, recoverable error: a template (its code) and the values it names."""

    def __init__(self, text: str, /, **params: object) -> None:
        super().__init__(fill(text, params))
        self.text = text
        self.params: dict[str, object] = params

    @property
    def message(self) -> str:
        return fill(self.text, self.params)


class Notice(DomainError):
    """Something to tell the user in their language that is not a failure (never raised):
    a setting that does not suit the shop, for instance."""


class ValidationError(DomainError):
    """Input that breaks a rule; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, text: str, /, **params: object) -> None:
        super().__init__(text, **params)
        self.field = field


class RuleBroken(ValidationError):
    """A calendar rule a booking, move or resize breaks that a manager may book past with a
    reason (the therapist busy or off, a room or equipment full, outside opening hours, not
    qualified, the client booked elsewhere). Impossible input stays a plain ValidationError."""

    overridable = True


class FormErrors(DomainError):
    """Several field errors from one form, reported together so the user can fix them at once."""

    def __init__(self, errors: Mapping[str, DomainError]) -> None:
        super().__init__("; ".join(e.text for e in errors.values()))
        self.errors: dict[str, DomainError] = dict(errors)

    @property
    def message(self) -> str:
        return "; ".join(e.message for e in self.errors.values())
