"""The pure rules of products, stock changes and rooms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import FormErrors
from frontdesk.domain.products import (
    CONTRAINDICATIONS,
    INGREDIENTS,
    MAX_STOCK,
    STOCK_NOTE,
    ProductDraft,
    StockReason,
    check_adjustment,
    check_counted,
    running_low,
    split_tags,
    validate_product,
)
from frontdesk.domain.rooms import (
    KIND,
    EquipmentDraft,
    RoomDraft,
    same_name,
    validate_equipment,
    validate_room,
)


def test_a_product_is_tidied_as_stored() -> None:
    draft = ProductDraft(
        sku=" OIL-50 ",
        name="  Lavender   oil ",
        price_minor=1850,
        tax_rate_bp=2000,
        barcode="  ",
        ingredients=(" lavender ", "", "Lavender", "almond"),
    )
    valid = validate_product(draft)
    assert (valid.sku, valid.name, valid.barcode) == ("OIL-50", "Lavender oil", None)
    assert valid.ingredients == ("lavender", "almond")
    assert validate_product(valid) == valid


def test_every_bad_product_field_at_once() -> None:
    draft = ProductDraft(
        sku="a b",
        name="\x00",
        price_minor=-1,
        tax_rate_bp=-5,
        barcode="x" * 41,
        low_stock_level=MAX_STOCK + 1,
        ingredients=("x" * 61,),
        contraindications=("\u202e",),
    )
    with pytest.raises(FormErrors) as caught:
        validate_product(draft)
    assert set(caught.value.errors) == {
        "sku",
        "name",
        "price",
        "tax_rate",
        "barcode",
        "low_stock_level",
        INGREDIENTS,
        CONTRAINDICATIONS,
    }


def test_tags_split_on_any_comma() -> None:
    assert split_tags("lavender, 杏仁油，乳木果；nuts; ") == (
        "lavender",
        " 杏仁油",
        "乳木果",
        "nuts",
    )


@given(
    change=st.integers(-MAX_STOCK, MAX_STOCK),
    reason=st.sampled_from(
        [StockReason.DELIVERY, StockReason.RETURN, StockReason.DAMAGE, StockReason.CORRECTION]
    ),
)
def test_an_accepted_adjustment_goes_the_way_its_reason_says(
    change: int, reason: StockReason
) -> None:
    adds = reason in (StockReason.DELIVERY, StockReason.RETURN)
    fits = (
        change != 0
        and not (adds and change < 0)
        and not (reason == StockReason.DAMAGE and change > 0)
    )
    if not fits:
        with pytest.raises(FormErrors) as caught:
            check_adjustment(change, reason, "why")
        assert set(caught.value.errors) == {"change"}
        return
    assert check_adjustment(change, reason, " why ") == (reason, "why")


def test_a_correction_needs_a_note_and_a_count_is_its_own_action() -> None:
    with pytest.raises(FormErrors) as caught:
        check_adjustment(3, StockReason.CORRECTION, "  ")
    assert set(caught.value.errors) == {STOCK_NOTE}
    with pytest.raises(FormErrors) as caught:
        check_adjustment(3, StockReason.COUNT, "")
    assert set(caught.value.errors) == {"reason"}
    with pytest.raises(FormErrors) as caught:
        check_counted(-1, "x" * 201)
    assert set(caught.value.errors) == {"counted", STOCK_NOTE}
    assert check_counted(0, " counted twice ") == "counted twice"


@given(stock=st.integers(0, 1000), level=st.integers(0, 1000))
def test_running_low_means_at_or_below_the_level(stock: int, level: int) -> None:
    assert running_low(stock, level) == (stock <= level)


def test_rooms_and_equipment_rules() -> None:
    assert validate_room(RoomDraft("  Couples  Suite ", " couples ", 2)) == RoomDraft(
        "Couples Suite", "couples", 2
    )
    with pytest.raises(FormErrors) as caught:
        validate_room(RoomDraft("", "\x07", 201))
    assert set(caught.value.errors) == {"name", KIND, "capacity"}
    with pytest.raises(FormErrors) as caught:
        validate_equipment(EquipmentDraft("Kit", "", -1))
    assert set(caught.value.errors) == {"quantity"}
    assert validate_equipment(EquipmentDraft("Kit", "", 0)).quantity == 0
    assert same_name("Сауна  1", "сауна 1")
    assert not same_name("Sauna 1", "Sauna 2")
