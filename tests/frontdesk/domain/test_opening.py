"""Opening hours and cash rounding."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.opening import (
    ROUNDING_MODES,
    Span,
    check_hours,
    format_spans,
    longest_opening,
    parse_spans,
    round_to_step,
    step_label,
    step_minor,
)

steps = st.sampled_from([1, 5, 10, 50, 100, 500, 1000])
amounts = st.integers(min_value=-(10**11), max_value=10**11)
modes = st.sampled_from(ROUNDING_MODES)


@given(amounts, steps, modes)
def test_a_rounded_amount_is_a_multiple_of_the_step_within_one_step(
    minor: int, step: int, mode: str
) -> None:
    rounded = round_to_step(minor, step, mode)
    assert rounded % step == 0
    assert abs(rounded - minor) < step
    assert round_to_step(rounded, step, mode) == rounded


@given(amounts, steps, modes)
def test_a_refund_rounds_as_its_sale_did(minor: int, step: int, mode: str) -> None:
    assert round_to_step(-minor, step, mode) == -round_to_step(minor, step, mode)


@given(st.integers(min_value=0, max_value=10**11), steps)
def test_each_mode_matches_decimal_rounding(minor: int, step: int) -> None:
    def by_decimal(rounding: str) -> int:
        return int((Decimal(minor) / step).quantize(Decimal(1), rounding=rounding)) * step

    assert round_to_step(minor, step, "half_up") == by_decimal(ROUND_HALF_UP)
    assert round_to_step(minor, step, "half_even") == by_decimal(ROUND_HALF_EVEN)
    assert round_to_step(minor, step, "down") <= minor <= round_to_step(minor, step, "up")


@pytest.mark.parametrize(
    ("minor", "mode", "expected"),
    [
        (1232, "half_up", 1230),
        (1233, "half_up", 1235),
        (1225, "half_even", 1220),  # 122.5 steps of 10 -> 122 (even)
        (1235, "half_even", 1240),
        (1239, "down", 1230),
        (1231, "up", 1240),
    ],
)
def test_examples(minor: int, mode: str, expected: int) -> None:
    step = 5 if mode == "half_up" else 10
    assert round_to_step(minor, step, mode) == expected


def test_steps_in_currency_units() -> None:
    assert step_minor("0", "GBP") == 1
    assert step_minor("0.05", "GBP") == 5
    assert step_minor("10", "RUB") == 1000
    assert step_minor("5", "JPY") == 5
    with pytest.raises(ValidationError):
        step_minor("0.10", "JPY")
    with pytest.raises(ValidationError):
        step_minor("0.03", "GBP")
    assert step_label(5, "GBP") == "0.05"
    assert step_label(1, "GBP") == "0"
    assert step_label(1000, "CNY") == "10"


def test_overlapping_spans_are_refused_and_touching_ones_join() -> None:
    with pytest.raises(ValidationError) as caught:
        check_hours([(1, 540, 780), (1, 720, 900)])
    assert caught.value.field == "hours_1"
    assert longest_opening([(1, 540, 780), (1, 780, 1080), (2, 0, 600)]) == 600
    assert longest_opening([(1, 540, 780), (1, 800, 1080)]) == 280
    assert longest_opening([]) == 0


@pytest.mark.parametrize(
    "span", [(0, 600, 600), (0, 700, 600), (0, -1, 600), (0, 600, 1441), (7, 0, 60)]
)
def test_spans_out_of_bounds_or_backwards_are_refused(span: tuple[int, int, int]) -> None:
    with pytest.raises(ValidationError):
        check_hours([span])


def test_a_whole_day_is_allowed() -> None:
    assert check_hours([(6, 0, 1440)])[6] == (Span(6, 0, 1440),)


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 1439), st.integers(1, 1440))))
def test_accepted_hours_never_overlap(raw: list[tuple[int, int, int]]) -> None:
    try:
        days = check_hours(raw)
    except ValidationError:
        return
    for spans in days.values():
        for before, after in itertools.pairwise(spans):
            assert before.close_minute <= after.open_minute
    assert longest_opening(raw) <= 1440


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("9-18", ((540, 1080),)),
        ("09:00-13:00, 14:00–18:30", ((540, 780), (840, 1110))),
        ("14:00-18:00; 08.30-12.00", ((510, 720), (840, 1080))),
        ("0:00-24:00", ((0, 1440),)),
    ],
)
def test_hours_as_typed(text: str, expected: tuple[tuple[int, int], ...]) -> None:
    spans = parse_spans(text, 2)
    assert tuple((s.open_minute, s.close_minute) for s in spans) == expected
    assert parse_spans(format_spans(spans), 2) == spans


@pytest.mark.parametrize("text", ["nine to five", "9-25", "10:70-12", "18-9", "9-13, 12-18"])
def test_bad_hours_as_typed_are_refused_beside_the_day(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_spans(text, 4)
    assert caught.value.field == "hours_4"
