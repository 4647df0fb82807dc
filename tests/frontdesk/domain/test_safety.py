"""The safety gate's matching rule: codes, folded text, Cyrillic and Chinese tags."""

from __future__ import annotations

import pytest

from frontdesk.domain.safety import HealthFlag, ItemTag, find_matches, matches


def coded(code: str, kind: str = "allergy") -> HealthFlag:
    return HealthFlag(kind, code, "")


def free(text: str, kind: str = "allergy") -> HealthFlag:
    return HealthFlag(kind, "", text)


def ingredient(tag: str) -> ItemTag:
    return ItemTag("ingredient", tag)


@pytest.mark.parametrize(
    "tag",
    ["nuts", "NUTS", "sweet almond oil", "Shea Butter", "macadamia", "坚果油", "масло ши", "орехи"],
)
def test_a_listed_allergen_matches_its_code_its_parts_and_its_other_names(tag: str) -> None:
    assert matches(coded("nuts"), ingredient(tag))


@pytest.mark.parametrize("tag", ["lavender", "jojoba", "глина", "薰衣草", "", "  "])
def test_a_listed_allergen_leaves_other_tags_alone(tag: str) -> None:
    assert not matches(coded("nuts"), ingredient(tag))


def test_codes_with_underscores_match_the_tag_typed_with_spaces() -> None:
    assert matches(coded("essential_oils"), ingredient("Essential oils"))
    assert matches(coded("essential_oils"), ingredient("精油"))
    assert matches(coded("pregnancy", "contraindication"), ItemTag("contraindication", "孕期"))


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Орехи", "масло грецких орехов"),  # Cyrillic endings
        ("ореховое масло", "ореховое масло холодного отжима"),
        ("Crème à l'arnica", "creme a l'arnica"),  # accents folded
        ("arnica", "Arnica montana extract"),
        ("芒果", "芒果精华"),  # Chinese: containment, no spaces
        ("夏威夷坚果油", "坚果"),  # either way round
        ("ＬＡＴＥＸ", "latex gloves"),  # full width folded
    ],
)
def test_free_text_matches_folded_either_way(text: str, tag: str) -> None:
    assert matches(free(text), ingredient(tag))


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("latex", "later"),
        ("глицерин", "глина"),
        ("果", "芒果精华"),  # one Chinese character is too little to go on
        ("парабены", "парафин"),
        ("", "nuts"),
    ],
)
def test_free_text_does_not_match_lookalikes(text: str, tag: str) -> None:
    assert not matches(free(text), ingredient(tag))


def test_find_matches_pairs_every_flag_with_every_tag_it_matches() -> None:
    flags = (coded("nuts"), free("лаванда"), coded("pregnancy", "contraindication"))
    tags = (
        ingredient("almond oil"),
        ingredient("Лаванда"),
        ItemTag("contraindication", "pregnancy"),
        ingredient("water"),
    )
    found = find_matches(flags, tags)
    assert [(f.text or f.code, t.tag) for f, t in found] == [
        ("nuts", "almond oil"),
        ("лаванда", "Лаванда"),
        ("pregnancy", "pregnancy"),
    ]
