"""The products of a sale: one line per product, quantities added up and kept in bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.checkout import MAX_QUANTITY, basket
from frontdesk.domain.errors import ValidationError


def test_the_same_product_twice_is_one_line_in_the_order_first_given() -> None:
    assert basket([(7, 1), (3, 2), (7, 4)]) == ((7, 5), (3, 2))
    assert basket([]) == ()


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1])
def test_a_quantity_out_of_bounds_is_refused_at_its_line(quantity: int) -> None:
    with pytest.raises(ValidationError) as refused:
        basket([(1, 1), (9, quantity)])
    assert refused.value.field == "product:9"
    assert refused.value.params == {"most": MAX_QUANTITY}


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 50)), max_size=12))
def test_a_basket_keeps_every_item_and_names_each_product_once(
    items: list[tuple[int, int]],
) -> None:
    merged = basket(items)
    assert [p for p, _ in merged] == list(dict.fromkeys(p for p, _ in items))
    assert sum(q for _, q in merged) == sum(q for _, q in items)
