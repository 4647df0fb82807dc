"""Cleaning, measuring and wrapping text for receipt printers."""

from __future__ import annotations

import pytest

from printing.text_fit import TextFitter, encode_wide_line


def _fitter(*, chinese: bool = False) -> TextFitter:
    return TextFitter(lambda char: char in "€éЖ", chinese=chinese)


def test_clean_replaces_what_the_printer_lacks_and_drops_controls() -> None:
    fitter = _fitter()

    assert fitter.clean("é€Ж\x1b\x07中\tA\u200b\u0301") == "é€Ж? A"


def test_chinese_printer_keeps_han_and_counts_two_columns() -> None:
    fitter = _fitter(chinese=True)

    assert fitter.clean("按摩 😀") == "按摩 ?"
    # Han in Chinese mode takes two columns; Ж comes from a code page, one column.
    assert fitter.width("按摩 Ж") == 6
    assert fitter.width("Ж€") == 2
    assert list(fitter.runs("按摩 Ж 按")) == [(True, "按摩 "), (False, "Ж "), (True, "按")]
    assert encode_wide_line("按摩 A") == "按摩 A".encode("gb18030")
    assert encode_wide_line("¥1") == b"\xa3\xa41"  # the full-width sign, not 81 30 84 36


def test_symbols_no_code_page_has_become_words_the_printer_has() -> None:
    assert _fitter().clean("100 ₽") == "100 RUB"
    assert TextFitter(lambda char: char in "руб", chinese=False).clean("100 ₽") == "100 руб."
    assert _fitter(chinese=True).clean("¥8") == "￥8"
    assert TextFitter(lambda char: False, chinese=False).clean("€8 ¥8") == "EUR8 CNY8"


def test_a_picture_only_where_no_text_form_exists() -> None:
    fitter = TextFitter(lambda char: False, chinese=False, can_draw=lambda char: True)

    assert fitter.clean("中 ₽") == "中 RUB"
    assert fitter.needs_picture("中 RUB")
    assert not fitter.needs_picture("RUB")
    assert fitter.width("中 Ж") == 4  # drawn cells: two for a wide character, one otherwise


def test_wrap_breaks_at_spaces_and_splits_words_that_are_too_long() -> None:
    fitter = _fitter()

    assert fitter.wrap("one two three four", 9) == ["one two", "three", "four"]
    assert fitter.wrap("abcdefghijkl", 5) == ["abcde", "fghij", "kl"]
    assert fitter.wrap("", 5) == [""]


def test_wrap_leaves_room_for_the_amount_on_the_first_line() -> None:
    fitter = _fitter()

    # "Hot stone €85.00" is exactly 16 columns; "massage" goes on the next line.
    assert fitter.wrap("Hot stone massage", 16, first_suffix="€85.00", indent="  ") == [
        "Hot stone",
        "massage",
    ]
    assert fitter.wrap("Hot stone massage", 15, first_suffix="€85.00") == ["Hot", "stone massage"]


@pytest.mark.parametrize("text", ["按摩按摩按摩按摩按摩", "按摩 Massage 按摩按摩"])
def test_wide_characters_are_never_split_over_the_edge(text: str) -> None:
    fitter = _fitter(chinese=True)

    pieces = fitter.wrap(text, 7)

    assert all(fitter.width(piece) <= 7 for piece in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
