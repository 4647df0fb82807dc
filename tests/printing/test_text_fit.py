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
    assert fitter.width("按摩 Ж") == 7  # Chinese mode: every non-ASCII character is double
    assert fitter.width("Ж€") == 2  # no Han: code page line, one column each
    assert encode_wide_line("按摩 A") == "按摩 A".encode("gb18030")


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
