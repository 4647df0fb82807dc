import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.loyalty import (
    Tier,
    TierDraft,
    balance,
    check_change,
    points_for,
    reversal,
    tier_at,
    validate_scheme,
)

TIERS = (Tier("Silver", 50_000, 120), Tier("Gold", 200_000, 150))


def test_points_on_whole_units_only_rounded_down() -> None:
    assert points_for(8599, "GBP", 1, 100) == 85  # pence earn nothing
    assert points_for(8500, "GBP", 2, 150) == 255
    assert points_for(333, "GBP", 1, 150) == 4  # 3 x 1.5 = 4.5, rounded down
    assert points_for(1000, "JPY", 1, 100) == 1000  # no minor unit
    assert points_for(8500, "GBP", 0, 150) == 0  # the scheme switched off
    assert points_for(-8500, "GBP", 1, 100) == 0


def test_tier_reached_at_lifetime_spend() -> None:
    assert tier_at(TIERS, 49_999) is None
    assert tier_at(TIERS, 50_000) == TIERS[0]
    assert tier_at(TIERS, 10**9) == TIERS[1]


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
)
def test_earning_is_monotonic_in_the_amount(a: int, b: int, per_unit: int, percent: int) -> None:
    low, high = sorted((a, b))
    assert points_for(low, "GBP", per_unit, percent) <= points_for(high, "GBP", per_unit, percent)


@given(
    st.lists(st.tuples(st.integers(min_value=0, max_value=10**7), st.integers(0, 500)), max_size=6),
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=0, max_value=10**8),
)
def test_tiers_are_ordered(raw: list[tuple[int, int]], spend_a: int, spend_b: int) -> None:
    tiers = [Tier(f"T{i}", spend, pct) for i, (spend, pct) in enumerate(raw)]
    low, high = sorted((spend_a, spend_b))
    reached_low, reached_high = tier_at(tiers, low), tier_at(tiers, high)
    if reached_low is not None:  # spending more never drops a tier
        assert reached_high is not None
        assert reached_high.min_spend_minor >= reached_low.min_spend_minor


@given(st.lists(st.integers(min_value=-5000, max_value=5000), max_size=40))
def test_accepted_changes_keep_the_balance_the_sum_and_never_negative(changes: list[int]) -> None:
    ledger: list[int] = []
    for change in changes:
        try:
            check_change(balance(ledger), change)
        except ValidationError:
            continue
        ledger.append(change)
        assert balance(ledger) == sum(ledger) >= 0
    earned = 300
    ledger.append(earned)
    ledger.append(reversal(earned, balance(ledger) - 1000))  # spent since: take back fewer
    assert balance(ledger) >= 0


def test_a_change_below_zero_or_of_nothing_is_refused_at_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        check_change(100, -101)
    assert caught.value.field == "points"
    assert "100" in caught.value.message
    with pytest.raises(ValidationError):
        check_change(100, 0)
    check_change(100, -100)


def test_scheme_reports_every_bad_field_and_sorts_tiers() -> None:
    with pytest.raises(FormErrors) as caught:
        validate_scheme(
            -1,
            [TierDraft("", 0, 100), TierDraft("Gold", -5, 2000), TierDraft("gold", 10, 100)],
        )
    assert set(caught.value.errors) == {
        "points_per_unit",
        "tier_name_0",
        "tier_spend_1",
        "tier_percent_1",
        "tier_name_2",
    }
    tiers = validate_scheme(1, [TierDraft(" Gold ", 200, 150), TierDraft("Silver", 100, 120)])
    assert tiers == (Tier("Silver", 100, 120), Tier("Gold", 200, 150))
