"""Starter menus: every kind in every language, priced sensibly in the shop's currency."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.money import minor_digits
from frontdesk.domain.starter_menus import (
    EURO_RATES,
    ShopKind,
    menu_language,
    starter_menu,
)

LOCALES = {"en": "en_GB", "zh_CN": "zh_CN", "ru": "ru_RU"}
HAN = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.mark.parametrize("kind", list(ShopKind))
@pytest.mark.parametrize("language", list(LOCALES))
def test_each_menu_is_complete_and_in_its_language(kind: ShopKind, language: str) -> None:
    menu = starter_menu(kind, LOCALES[language], "EUR")
    assert menu.language == language
    assert 2 <= len(menu.categories) <= 4
    assert 6 <= len(menu.services) <= 10
    assert {s.category for s in menu.services} == set(menu.categories)
    assert len({(s.category, s.name) for s in menu.services}) == len(menu.services)
    assert len({r.name for r in menu.rooms}) == len(menu.rooms) >= 2
    room_kinds = {r.kind: r.capacity for r in menu.rooms}
    for service in menu.services:
        assert 10 <= service.duration_minutes <= 240
        assert 0 <= service.buffer_minutes <= 30
        assert service.price_minor > 0
        # every service has a room it fits in
        assert service.room_kind in room_kinds
        assert 1 <= service.capacity_used <= room_kinds[service.room_kind]
        for tag in service.ingredients + service.contraindications:
            assert tag == tag.strip().lower()
    texts = [s.name for s in menu.services] + [r.name for r in menu.rooms] + list(menu.categories)
    for text in texts:
        if language == "zh_CN":
            assert HAN.search(text), text
        elif language == "ru":
            assert CYRILLIC.search(text), text
        else:
            assert text.isascii(), text
    assert [s.sort_order for s in menu.services] == sorted(s.sort_order for s in menu.services)


def test_the_bathhouse_sauna_holds_six_and_a_session_takes_one_place() -> None:
    menu = starter_menu(ShopKind.BATHHOUSE, "en_GB", "GBP")
    sauna = next(r for r in menu.rooms if r.kind == "sauna")
    assert sauna.capacity == 6
    session = next(s for s in menu.services if s.name.startswith("Sauna, 2 hours"))
    assert (session.room_kind, session.capacity_used) == ("sauna", 1)
    private = next(s for s in menu.services if s.name.startswith("Private sauna"))
    assert private.capacity_used == 6


def test_natural_tags_are_there() -> None:
    menu = starter_menu(ShopKind.MASSAGE, "en_US", "USD")
    by_name = {s.name: s for s in menu.services}
    assert "nut oils" in by_name["Aromatherapy massage, 60 min"].ingredients
    assert "pregnancy" in by_name["Hot stone massage, 75 min"].contraindications
    couples = by_name["Couples massage, 60 min"]
    assert (couples.room_kind, couples.capacity_used) == ("couples", 2)
    ru = starter_menu(ShopKind.MASSAGE, "ru_RU", "RUB")
    assert "беременность" in ru.services[6].contraindications


@pytest.mark.parametrize(
    ("currency", "low", "high"),
    [("EUR", 50, 90), ("GBP", 40, 80), ("USD", 55, 100), ("CNY", 200, 600), ("RUB", 2500, 6000)],
)
def test_an_hour_of_massage_costs_what_it_costs_there(currency: str, low: int, high: int) -> None:
    menu = starter_menu(ShopKind.MASSAGE, "en_GB", currency)
    hour = menu.services[0]
    assert hour.duration_minutes == 60
    assert low * 100 <= hour.price_minor <= high * 100


def test_other_currencies_are_scaled_from_the_euro_in_their_own_minor_units() -> None:
    eur = starter_menu(ShopKind.HAIR, "en_GB", "EUR").services[0].price_minor  # 55.00
    jpy = starter_menu(ShopKind.HAIR, "en_GB", "JPY").services[0].price_minor
    assert minor_digits("JPY") == 0
    assert jpy == 8800  # 55 x 160, two significant figures, no minor units
    chf = starter_menu(ShopKind.HAIR, "en_GB", "chf").services[0].price_minor
    assert chf == 5200  # 52.25 -> 52, in centimes
    unknown = starter_menu(ShopKind.HAIR, "en_GB", "XYZ").services[0].price_minor
    assert unknown == eur  # no rate known: the euro figure


@given(
    kind=st.sampled_from(list(ShopKind)),
    currency=st.sampled_from(sorted(EURO_RATES)),
)
def test_scaled_prices_are_positive_and_round(kind: ShopKind, currency: str) -> None:
    for service in starter_menu(kind, "en_GB", currency).services:
        units = service.price_minor // 10 ** minor_digits(currency)
        assert units > 0
        assert service.price_minor % 10 ** minor_digits(currency) == 0
        digits = str(units).rstrip("0")
        assert len(digits) <= 2  # two significant figures


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("zh_CN", "zh_CN"),
        ("zh_TW", "zh_CN"),
        ("ru_RU", "ru"),
        ("ru", "ru"),
        ("en_GB", "en"),
        ("de_DE", "en"),
        ("", "en"),
        ("zh-Hans-CN", "zh_CN"),
    ],
)
def test_menu_language(locale: str, language: str) -> None:
    assert menu_language(locale) == language
