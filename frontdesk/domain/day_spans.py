"""Times of day typed as spans ("09:00-13:00, 14:00-18:00", "9-18"): read and written back the
same way for the shop's opening hours and for staff hours and breaks."""

from __future__ import annotations

import re
from collections.abc import Iterable

from frontdesk.domain.errors import ValidationError

_SPAN_TEXT = re.compile(
    r"\s*(\d{1,2})(?:[:.](\d{2}))?\s*[-\u2013\u2014~\uff5e\u2212]\s*(\d{1,2})(?:[:.](\d{2}))?\s*"
)


def _minute(hour: str, minute: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return h * 60 + m


def read_spans(
    text: str, field: str, *, not_a_span: str, outside_day: str
) -> list[tuple[int, int]]:
    """The (start, end) minutes typed in `text`, in the order typed ("" = none), separated by
    commas or semicolons (full-width ones too). ValidationError at `field` with `not_a_span`
    for text that is not a span, `outside_day` for a time past 24:00."""
    spans: list[tuple[int, int]] = []
    for typed in re.split(r"[,;\uff0c\uff1b]", text):
        if not typed.strip():
            continue
        match = _SPAN_TEXT.fullmatch(typed)
        if match is None:
            raise ValidationError(field, not_a_span)
        start = _minute(match.group(1), match.group(2))
        end = _minute(match.group(3), match.group(4))
        if start is None or end is None:
            raise ValidationError(field, outside_day)
        spans.append((start, end))
    return spans


def clock(minute: int) -> str:
    """Minutes from midnight as the spans are typed: "09:30"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def write_spans(spans: Iterable[tuple[int, int]]) -> str:
    """Spans as `read_spans` reads them: "09:00-13:00, 14:00-18:00"."""
    return ", ".join(f"{clock(start)}-{clock(end)}" for start, end in spans)
