"""Rules of the service menu: valid drafts, typed forms, tags, and the price on a day."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.catalogue import (
    DatedPrice,
    Price,
    ServiceDraft,
    ServiceForm,
    amount_for_form,
    check_service,
    longest_opening,
    parse_tags,
    price_on,
    rate_for_form,
    read_service_form,
    scheduled_after,
)
from frontdesk.domain.errors import FormErrors, ValidationError

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
prices = st.builds(Price, st.integers(0, 10**8), st.integers(0, 10_000))
dated_prices = st.lists(
    st.builds(DatedPrice, days, st.integers(0, 10**8), st.integers(0, 10_000)),
    unique_by=lambda d: d.starts_on,
    max_size=6,
)


@given(prices, dated_prices, days)
def test_the_price_on_a_day_is_the_latest_change_not_after_it(
    base: Price, dated: list[DatedPrice], day: date
) -> None:
    started = [d for d in dated if d.starts_on <= day]
    expected = max(started).price if started else base
    assert price_on(base, dated, day) == expected
    assert price_on(base, list(reversed(dated)), day) == expected


@given(prices, dated_prices, days, days)
def test_a_change_scheduled_later_never_alters_an_earlier_day(
    base: Price, dated: list[DatedPrice], day: date, change_day: date
) -> None:
    """Scheduling a price from `change_day` leaves every day before it as it was."""
    if change_day <= day:
        return
    before = price_on(base, dated, day)
    changed = [d for d in dated if d.starts_on != change_day]
    changed.append(DatedPrice(change_day, 1, 1))
    assert price_on(base, changed, day) == before


@given(dated_prices, days)
def test_scheduled_prices_are_the_ones_after_the_day_soonest_first(
    dated: list[DatedPrice], day: date
) -> None:
    later = scheduled_after(dated, day)
    assert all(d.starts_on > day for d in later)
    assert list(later) == sorted(later)
    assert len(later) == sum(1 for d in dated if d.starts_on > day)


def test_tags_are_trimmed_lower_cased_and_kept_once() -> None:
    assert parse_tags(" Nut Oil, lavender，芝麻、NUT OIL;; ", "ingredients") == (
        "nut oil",
        "lavender",
        "芝麻",
    )
    assert parse_tags("", "ingredients") == ()


@given(st.text(max_size=200))
def test_parsed_tags_are_clean_whatever_is_typed(text: str) -> None:
    try:
        tags = parse_tags(text, "ingredients")
    except ValidationError:
        return  # control or invisible characters, or a tag too long: refused, not stored
    assert all(t and t == t.strip() and t == t.lower() and "," not in t for t in tags)
    assert len(set(tags)) == len(tags)


def test_a_form_with_every_field_wrong_names_every_field() -> None:
    form = ServiceForm(
        category="",
        name="",
        duration="sixty",
        buffer="-5",
        price="-3",
        tax_rate="120",
        capacity_used="0",
        display_order="x",
    )
    with pytest.raises(FormErrors) as refused:
        read_service_form(form, "GBP", "en_GB")
    assert set(refused.value.errors) == {
        "service_category",
        "name",
        "duration",
        "buffer",
        "service_price",
        "service_tax_rate",
        "capacity_used",
        "display_order",
    }


def test_a_good_form_becomes_a_clean_draft() -> None:
    form = ServiceForm(
        category=" Massage ",
        name="Hot  Stone",
        duration="75",
        buffer="15",
        price="1 234,50",
        tax_rate="5,5",
        room_kind="",
        ingredients="Basalt, Oil",
    )
    draft = read_service_form(form, "RUB", "ru_RU")
    assert draft == ServiceDraft(
        category="Massage",
        name="Hot Stone",
        duration_minutes=75,
        buffer_minutes=15,
        price_minor=123450,
        tax_rate_bp=550,
        room_kind=None,
        ingredients=("basalt", "oil"),
    )


@given(
    st.integers(0, 10**9),
    st.sampled_from([("GBP", "en_GB"), ("RUB", "ru_RU"), ("CNY", "zh_CN"), ("JPY", "ja_JP")]),
)
def test_an_amount_shown_in_the_form_reads_back_the_same(minor: int, shop: tuple[str, str]) -> None:
    currency, locale = shop
    form = ServiceForm("C", "N", "60", "0", amount_for_form(minor, currency, locale), "0")
    assert read_service_form(form, currency, locale).price_minor == minor


@given(st.integers(0, 10_000), st.sampled_from(["en_GB", "ru_RU", "zh_CN"]))
def test_a_rate_shown_in_the_form_reads_back_the_same(rate: int, locale: str) -> None:
    form = ServiceForm("C", "N", "60", "0", "1", rate_for_form(rate, locale))
    assert read_service_form(form, "GBP", locale).tax_rate_bp == rate


def test_check_service_bounds() -> None:
    ok = ServiceDraft("C", "N", 1440, 0, 0, 10_000)
    assert check_service(ok) == ok
    with pytest.raises(FormErrors):
        check_service(ServiceDraft("C", "N", 1441, 0, 0, 0))


def test_the_longest_opening_joins_spans_that_touch() -> None:
    assert longest_opening([]) is None
    spans = [(0, 540, 780), (0, 780, 900), (1, 600, 1200), (2, 0, 60)]
    assert longest_opening(spans) == 600
    assert longest_opening([(3, 600, 700), (3, 650, 800)]) == 200
    assert longest_opening([(4, 600, 700), (4, 701, 800)]) == 100


drafts = st.builds(
    ServiceDraft,
    category=st.text(max_size=90),
    name=st.text(max_size=130),
    duration_minutes=st.integers(-10, 2000),
    buffer_minutes=st.integers(-10, 2000),
    price_minor=st.integers(-10, 10**12),
    tax_rate_bp=st.integers(-10, 20_000),
    room_kind=st.none() | st.text(max_size=50),
    capacity_used=st.integers(-1, 1200),
    bookable=st.booleans(),
    ingredients=st.lists(st.text(max_size=70), max_size=35).map(tuple),
    contraindications=st.lists(st.text(max_size=70), max_size=5).map(tuple),
    equipment=st.lists(st.tuples(st.integers(1, 5), st.integers(-1, 3)), max_size=4).map(tuple),
    sort_order=st.integers(-5, 10),
)


@given(drafts)
def test_a_checked_draft_fits_the_database_or_every_bad_field_is_named(draft: ServiceDraft) -> None:
    try:
        clean = check_service(draft)
    except FormErrors as exc:
        refused = exc
    else:
        refused = None
    if refused is not None:
        assert refused.errors
        assert all(field == getattr(e, "field", None) for field, e in refused.errors.items())
        return
    assert 0 < len(clean.category) <= 80
    assert 0 < len(clean.name) <= 120
    assert clean.room_kind is None or 0 < len(clean.room_kind) <= 40
    assert 1 <= clean.duration_minutes <= 1440
    assert 0 <= clean.buffer_minutes <= 1440
    assert clean.price_minor >= 0
    assert 0 <= clean.tax_rate_bp <= 10_000
    assert clean.capacity_used >= 1
    for tags in (clean.ingredients, clean.contraindications):
        assert all(0 < len(t) <= 60 and t == t.lower() for t in tags)
        assert len(set(tags)) == len(tags)
    assert len({r for r, _ in clean.equipment}) == len(clean.equipment)
    assert check_service(clean) == clean
