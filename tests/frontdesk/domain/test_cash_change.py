"""Change due at the till: one rule, the sale's own (`tender`), whoever asks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.checkout import PaymentMethod, cash_ceiling, cash_change, tender
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money import Money


def gbp(minor: int) -> Money:
    return Money(minor, "GBP")


def test_change_is_none_until_enough_is_handed_over() -> None:
    assert cash_change(gbp(8500), gbp(5000)) is None
    assert cash_change(gbp(8500), gbp(8500)) == gbp(0)
    assert cash_change(gbp(8500), gbp(10000)) == gbp(1500)


def test_an_absurd_amount_is_refused_as_the_sale_would_refuse_it() -> None:
    with pytest.raises(ValidationError):
        cash_change(gbp(8500), gbp(2_000_000))


def test_amounts_in_two_currencies_are_not_compared() -> None:
    with pytest.raises(ValueError, match="cannot mix"):
        cash_change(gbp(100), Money(100, "RUB"))


@given(due=st.integers(0, 10**7), over=st.integers(0, 10**8))
def test_the_screen_and_the_sale_agree_on_the_change(due: int, over: int) -> None:
    received = due + over
    if received > cash_ceiling(due, "GBP"):
        with pytest.raises(ValidationError):
            cash_change(gbp(due), gbp(received))
        return
    change = cash_change(gbp(due), gbp(received))
    assert change == gbp(tender(PaymentMethod.CASH, due, received, currency="GBP").change_minor)
