"""The allergen list and health entry rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import FormErrors
from frontdesk.domain.health import (
    ALLERGENS,
    KINDS,
    entry_key,
    validate_entry,
    validate_patch_test,
)
from frontdesk.ui.labels import allergen_label, health_kind_label


def test_the_list_covers_common_salon_allergens_and_contraindications() -> None:
    codes = {a.code for a in ALLERGENS}
    assert {"nuts", "lanolin", "fragrance", "ppd", "latex", "essential_oils"} <= codes
    assert {"pregnancy", "high_blood_pressure", "recent_surgery"} <= codes
    assert len(codes) == len(ALLERGENS)
    assert {a.kind for a in ALLERGENS} == set(KINDS)


def test_every_listed_code_and_kind_has_a_label() -> None:
    for a in ALLERGENS:
        assert allergen_label(a.code) == a.name
    assert health_kind_label("contraindication") == "Contraindication"
    assert allergen_label("not-listed") == "not-listed"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Latex", "latex"),
        ("  PPD hair   dye ", "ppd"),
        ("ppd", "ppd"),
        ("Crème", "creme"),
        ("ＬＡＴＥＸ", "latex"),  # full-width typing
        ("Орехи", "орехи"),
    ],
)
def test_entries_for_the_same_allergen_share_a_key(typed: str, key: str) -> None:
    assert entry_key(typed) == key


@given(st.sampled_from([a.code for a in ALLERGENS]), st.sampled_from(["", " ", "  "]))
def test_a_listed_allergen_twice_is_refused_however_typed(code: str, pad: str) -> None:
    name = next(a.name for a in ALLERGENS if a.code == code)
    with pytest.raises(FormErrors) as caught:
        validate_entry("allergy", pad + name.upper() + pad, "mild", "", existing=(code,))
    assert set(caught.value.errors) == {"substance"}


def test_a_listed_allergen_is_stored_by_its_code() -> None:
    assert validate_entry("allergy", "Essential oils", "mild", " x ").substance == "essential_oils"
    assert validate_entry("allergy", "Tea tree", "mild", "").substance == "Tea tree"


def test_a_patch_test_in_the_future_or_blank_is_refused_at_every_field() -> None:
    with pytest.raises(FormErrors) as caught:
        validate_patch_test(None, " ", "", date(2026, 1, 1))
    assert set(caught.value.errors) == {"tested_on", "product", "result"}
    with pytest.raises(FormErrors):
        validate_patch_test(date(2026, 1, 2), "Dye", "clear", date(2026, 1, 1))
    assert validate_patch_test(date(2026, 1, 1), "Dye", "clear", date(2026, 1, 1)).product == "Dye"
