"""PIN format and the lock-out rule for repeated wrong PINs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from frontdesk.domain.errors import ValidationError

PIN_PATTERN = re.compile(r"[0-9]{4,8}")


def validate_pin(pin: str, field: str = "pin") -> str:
    """A PIN is 4 to 8 digits; anything else is refused before it is hashed."""
    if not PIN_PATTERN.fullmatch(pin):
        raise ValidationError(field, "A PIN is 4 to 8 digits.")
    return pin


@dataclass(frozen=True)
class LockoutPolicy:
    """After `max_failures` wrong PINs in a row the account is locked for `lock_for`."""

    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)

    def is_locked(self, locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until

    def after_failure(self, failures_before: int, now: datetime) -> tuple[int, datetime | None]:
        """The new failure count and, when it reaches the limit, the time the lock ends."""
        failures = failures_before + 1
        if failures >= self.max_failures:
            return 0, now + self.lock_for
        return failures, None
