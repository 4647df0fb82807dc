"""Dates with times as each language writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.formats import Formats

AT = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_GB", "1 Dec 2026, 10:30"),
        ("ru_RU", "1 дек. 2026 г., 10:30"),
        ("zh_CN", "2026年12月1日 10:30"),  # no English comma between date and time
    ],
)
def test_date_and_time_are_joined_as_the_language_joins_them(locale: str, expected: str) -> None:
    shown = Formats(locale, ZoneInfo("UTC")).date_time(AT)
    assert " ".join(shown.replace("\u202f", " ").split()) == expected
