from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.cards import looks_like_card_number, normalize_card_number
from frontdesk.domain.clients import ClientForm, validate_client
from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.names import display_name
from frontdesk.domain.pins import LockoutPolicy, validate_pin
from frontdesk.domain.roles import PERMISSIONS, Permission, Role, can
from frontdesk.domain.shop_time import day_bounds_utc, overlaps, shop_zone


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", " 1234", "１２３４"])
def test_pin_must_be_4_to_8_ascii_digits(pin: str) -> None:
    with pytest.raises(ValidationError, match="4 to 8 digits"):
        validate_pin(pin)


def test_lockout_after_five_failures() -> None:
    policy = LockoutPolicy()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    failures, until = 0, None
    for _ in range(4):
        failures, until = policy.after_failure(failures, now)
        assert until is None
    failures, until = policy.after_failure(failures, now)
    assert until == now + timedelta(minutes=15)
    assert policy.is_locked(until, now + timedelta(minutes=14))
    assert not policy.is_locked(until, now + timedelta(minutes=15))


def test_role_table() -> None:
    assert not can(Role.THERAPIST, Permission.REFUND)
    assert not can(Role.THERAPIST, Permission.VIEW_MONEY_REPORTS)
    assert not can(Role.RECEPTIONIST, Permission.VIEW_MONEY_REPORTS)
    assert can(Role.OWNER, Permission.MANAGE_STAFF)
    assert can(Role.MANAGER, Permission.MANAGE_STAFF)
    assert can(Role.OWNER, Permission.MANAGE_SHOP)
    assert not can(Role.MANAGER, Permission.MANAGE_SHOP)
    assert not can(Role.RECEPTIONIST, Permission.VIEW_BACK_OFFICE)
    assert not can(Role.THERAPIST, Permission.MANAGE_CATALOGUE)
    assert set(PERMISSIONS) == set(Role)


def test_cards() -> None:
    assert normalize_card_number(" fd-0001234\r") == "FD-0001234"
    assert looks_like_card_number("FD-0001234")
    assert not looks_like_card_number("anna")
    for bad in ["", "ab", "FD 1234", "\x00\x01", "x" * 40]:
        with pytest.raises(ValidationError):
            normalize_card_number(bad)


def test_day_bounds_follow_daylight_saving() -> None:
    london = shop_zone("Europe/London")
    start, end = day_bounds_utc(date(2026, 3, 29), london)  # clocks go forward
    assert end - start == timedelta(hours=23)
    start, end = day_bounds_utc(date(2026, 7, 1), london)
    assert start == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    with pytest.raises(ValidationError):
        shop_zone("Mars/Olympus")


@given(st.integers(0, 1000), st.integers(1, 500), st.integers(0, 1000), st.integers(1, 500))
def test_overlap_is_symmetric_and_matches_minutes(a: int, alen: int, b: int, blen: int) -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    a0, a1 = t0 + timedelta(minutes=a), t0 + timedelta(minutes=a + alen)
    b0, b1 = t0 + timedelta(minutes=b), t0 + timedelta(minutes=b + blen)
    expected = bool(set(range(a, a + alen)) & set(range(b, b + blen)))
    assert overlaps(a0, a1, b0, b1) == overlaps(b0, b1, a0, a1) == expected


def test_client_validation_normalises() -> None:
    valid = validate_client(
        ClientForm(
            first_name="  Anna ",
            last_name="Smith",
            phone="07700 900123",
            email="anna@example.com",
            birthday="1990-05-17",
            card_number="fd-1234567",
        ),
        "GB",
        date(2026, 11, 23),
    )
    assert (valid.first_name, valid.phone, valid.card_number) == (
        "Anna",
        "+447700900123",
        "FD-1234567",
    )
    with pytest.raises(FormErrors) as info:
        validate_client(
            ClientForm(first_name="A", last_name="B", birthday="2026-02-30"),
            "GB",
            date(2026, 11, 23),
        )
    assert "not a date" in info.value.errors["birthday"].message


def test_display_names() -> None:
    assert display_name("Anna", "Smith") == "Anna Smith"
    assert display_name("芳", "王") == "王芳"


def test_phones_are_shown_as_people_write_them() -> None:
    from frontdesk.domain.clients import format_phone

    assert format_phone("+447700900123", "GB") == "07700 900123"
    assert format_phone("+79161234567", "GB") == "+7 916 123-45-67"
    assert format_phone(None, "GB") == ""
