"""The staff rules: a week's spans and breaks, absences, commissions and a new PIN."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.staff_rules import (
    AbsenceDraft,
    check_absence,
    check_commissions,
    check_new_pin,
    check_week,
    format_spans,
    parse_spans,
)


def test_spans_are_read_as_people_write_them() -> None:
    assert parse_spans("09:00-13:00, 14:00-18:00", "hours_0") == ((540, 780), (840, 1080))
    assert parse_spans("14-18; 9.30–13", "hours_0") == ((570, 780), (840, 1080))
    assert parse_spans("  ", "hours_0") == ()
    assert parse_spans("18:00-24:00", "hours_0") == ((1080, 1440),)


@pytest.mark.parametrize("text", ["9", "nine-five", "25:00-26:00", "09:70-10:00", "10-09"])
def test_bad_spans_are_refused_at_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_spans(text, "hours_3")
    assert refused.value.field == "hours_3"


@given(
    st.lists(
        st.tuples(st.integers(0, 1439), st.integers(1, 1440)).filter(lambda s: s[0] < s[1]),
        max_size=4,
    )
)
def test_spans_written_read_back_the_same(spans: list[tuple[int, int]]) -> None:
    ordered = tuple(sorted(spans))
    assert parse_spans(format_spans(ordered), "hours_0") == ordered


def test_a_sound_week_passes_and_touching_spans_are_fine() -> None:
    check_week(((0, 540, 780), (0, 780, 1080), (2, 600, 1200)), ((0, 720, 780),))


def test_every_bad_day_is_named_at_once() -> None:
    with pytest.raises(FormErrors) as refused:
        check_week(
            ((0, 540, 780), (0, 700, 1080), (1, 540, 1080), (3, 600, 700)),
            ((1, 1000, 1100), (2, 700, 720), (3, 610, 640), (3, 630, 650)),
        )
    errors = refused.value.errors
    assert set(errors) == {"hours_0", "breaks_1", "breaks_2", "breaks_3"}
    assert errors["hours_0"].text == "Two working spans on this day overlap."
    assert errors["breaks_1"].text == "A break must lie inside the working hours."
    assert errors["breaks_2"].text == "A break needs working hours on its day."
    assert errors["breaks_3"].text == "Two breaks on this day overlap."


def test_a_break_cannot_bridge_two_spans() -> None:
    with pytest.raises(FormErrors) as refused:
        check_week(((0, 540, 780), (0, 840, 1080)), ((0, 760, 850),))
    assert set(refused.value.errors) == {"breaks_0"}


def test_commission_over_100_percent_is_refused_per_category() -> None:
    assert check_commissions(((1, 1500), (2, 10_000))) == {1: 1500, 2: 10_000}
    with pytest.raises(FormErrors) as refused:
        check_commissions(((1, 10_001), (2, -1), (3, 0)))
    assert set(refused.value.errors) == {"commission_1", "commission_2"}


def test_absence_days_run_forward() -> None:
    check_absence(AbsenceDraft(date(2026, 12, 1), date(2026, 12, 1), "sick"))
    with pytest.raises(ValidationError) as refused:
        check_absence(AbsenceDraft(date(2026, 12, 2), date(2026, 12, 1), "holiday"))
    assert refused.value.field == "absence_last"
    with pytest.raises(ValidationError):
        check_absence(AbsenceDraft(date(2026, 12, 1), date(2026, 12, 1), "party"))


@pytest.mark.parametrize(
    ("pin", "again", "field"),
    [
        ("123", "123", "pin"),
        ("123456789", "123456789", "pin"),
        ("12a4", "12a4", "pin"),
        ("1234", "1235", "pin_again"),
    ],
)
def test_a_new_pin_is_4_to_8_digits_typed_twice(pin: str, again: str, field: str) -> None:
    with pytest.raises(FormErrors) as refused:
        check_new_pin(pin, again)
    assert set(refused.value.errors) == {field}
    assert check_new_pin("12345678", "12345678") == "12345678"
