"""The search keys and what is typed are folded alike: accents, Cyrillic ё, Chinese by pinyin
initials, phones in every form, cards with and without their prefix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.search_text import (
    card_forms,
    client_search_keys,
    fold,
    phone_national,
    phone_query,
    pinyin_initials,
    search_keys,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Zoe", "Zoë"),
        ("zoe", "ZOË"),
        ("jose maria", "José  María"),
        ("francois", "François"),
        ("семен", "Семён"),
        ("СЕМЁН", "семен"),
        ("strasse", "Straße"),  # case folding, as people type it
        ("ａｎｎａ", "Anna"),  # full-width letters from a Chinese keyboard
    ],
)
def test_names_fold_alike(typed: str, stored: str) -> None:
    assert fold(typed) == fold(stored)


def test_chinese_names_keep_their_characters_and_both_orders() -> None:
    assert search_keys("芳", "王") == ("王芳", "芳王")
    assert search_keys("Anna", "Smith") == ("anna smith", "smith anna")
    assert search_keys("Anna", "") == ("anna", "anna")


def test_pinyin_initials_family_name_first() -> None:
    assert pinyin_initials("芳", "王") == "wf fw"
    assert pinyin_initials("小明", "王") == "wxm xmw"
    assert pinyin_initials("Anna", "Smith") == ""
    assert pinyin_initials("芳", "") == "f"


def test_client_keys_from_every_field() -> None:
    keys = client_search_keys("Семён", "Иванов", "+79161234567", " Semen@Mail.RU ", "RU")
    assert keys.search_name == "семен иванов"
    assert keys.search_name_rev == "иванов семен"
    assert keys.search_initials == ""
    assert keys.email_folded == "semen@mail.ru"
    assert keys.phone_digits == "79161234567"
    assert keys.phone_national == "9161234567"
    empty = client_search_keys("Anna", "", None, None, "GB")
    assert (empty.phone_digits, empty.phone_national, empty.email_folded) == ("", "", "")


@pytest.mark.parametrize(
    ("phone", "region", "national"),
    [
        ("+79161234567", "RU", "9161234567"),
        ("+447700900123", "GB", "7700900123"),
        ("+8613800138000", "CN", "13800138000"),
        ("+8613800138000", "GB", "13800138000"),  # a foreign client's number
    ],
)
def test_phone_national(phone: str, region: str, national: str) -> None:
    assert phone_national(phone, region) == national


@pytest.mark.parametrize(
    "typed", ["+7 916 123-45-67", "89161234567", "8 (916) 123-45-67", "+79161234567"]
)
def test_a_whole_russian_number_in_any_form_is_one_national_number(typed: str) -> None:
    query = phone_query(typed, "RU")
    assert query is not None
    assert query.national == "9161234567"
    assert "9161234567" in query.fragments or any("9161234567" in f for f in query.fragments)


def test_phone_fragments() -> None:
    assert phone_query("916 123", "RU") == phone_query("916-123", "RU")
    fragment = phone_query("916 123", "RU")
    assert fragment is not None
    assert fragment.fragments == ("916123",)
    assert fragment.national is None
    trunk = phone_query("8 916 12", "RU")  # the trunk prefix 8 is not stored: also without it
    assert trunk is not None
    assert trunk.fragments == ("891612", "91612")
    uk = phone_query("07700 900", "GB")
    assert uk is not None
    assert "7700900" in uk.fragments
    for not_a_phone in ("anna", "FD-0000001", "", "  ", "12a", "+"):
        assert phone_query(not_a_phone, "RU") is None


def test_card_with_and_without_its_prefix() -> None:
    prefixes = ["", "AB", "FD-"]
    assert card_forms("FD-0000001", prefixes) == ["FD-0000001"]
    assert card_forms("fd0000001", prefixes) == ["FD0000001", "FD-0000001"]
    assert card_forms("0000001", prefixes) == ["0000001", "AB0000001", "FD-0000001"]
    assert card_forms("anna", prefixes) == []
    assert card_forms("FD-12", prefixes) == []


@pytest.mark.parametrize(("typed", "folded"), [("𝕬𝖓𝖓𝖆", "anna"), ("Ａｎｎａ", "anna"), ("ǅ", "dz")])
def test_styled_and_full_width_letters_fold_to_plain_lower_case(typed: str, folded: str) -> None:
    """Names pasted in styled letters (a profile's fancy font) are found by plain typing."""
    assert fold(typed) == folded
    assert fold(folded) == folded


@given(st.text(max_size=200), st.text(max_size=200))
def test_keys_fit_their_columns(first: str, last: str) -> None:
    keys = client_search_keys(first, last, None, first, "GB")
    assert len(keys.search_name) <= 161
    assert len(keys.search_name_rev) <= 161
    assert len(keys.search_initials) <= 80
    assert len(keys.email_folded) <= 200
    assert fold(fold(first)) == fold(first)


def test_start_up_does_not_load_the_pinyin_dictionaries() -> None:
    """pypinyin reads its dictionaries on import (about half a second of every start): only
    keying a Chinese name loads it."""
    script = (
        "import sys; import frontdesk.bootstrap; loaded = 'pypinyin' in sys.modules; "
        "from frontdesk.domain.search_text import pinyin_initials; "
        "print(loaded, pinyin_initials('芳', '王'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["False", "wf", "fw"]
