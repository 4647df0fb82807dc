"""Free-text rules: whatever is accepted fits its column and holds no invisible characters."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.clients import ClientForm, validate_client
from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.search_text import search_keys
from frontdesk.domain.text import INVISIBLE, clean_block, clean_line, visible_text

TODAY = date(2026, 11, 23)
names = st.text(st.characters(codec="utf-8"), max_size=120) | st.sampled_from(
    ["ß" * 80, "ﬃ" * 60, "İ" * 80, "王" * 80, "Anna", "  José  María ", "O\u2019Neil"]
)


@given(first=names, last=names)
def test_an_accepted_name_fits_its_columns_and_the_search_index(first: str, last: str) -> None:
    try:
        valid = validate_client(ClientForm(first, last), "GB", TODAY)
    except FormErrors as exc:
        refused = set(exc.errors)
    else:
        refused = set()
    assert refused <= {"first_name", "last_name"}
    if refused:
        return
    for value in (valid.first_name, valid.last_name):
        assert len(value) <= 80
        assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in value)
    assert all(len(key) <= 161 for key in search_keys(valid.first_name, valid.last_name))


@given(st.text(st.characters(codec="utf-8"), max_size=300))
def test_clean_line_and_block_keep_only_what_may_be_stored(raw: str) -> None:
    for clean, kwargs in ((clean_line, {}), (clean_block, {})):
        try:
            value = clean(raw, "f", "The field", 200, **kwargs)
        except ValidationError:
            continue
        assert len(value) <= 200
        assert not set(value) & INVISIBLE
        assert all(unicodedata.category(ch) != "Cc" or ch in "\n\t" for ch in value)
    assert not set(visible_text(raw)) & INVISIBLE


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a\x00b", "control character"),
        ("a\u202eb", "invisible character"),
        ("a\u200bb", "invisible character"),
        ("x" * 201, "at most 200 characters"),
    ],
)
def test_messages_name_the_problem_not_the_text(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        clean_line(raw, "f", "The field", 200)
    assert raw not in info.value.message
    assert info.value.field == "f"


def test_line_breaks_are_spaces_in_a_line_and_kept_in_notes() -> None:
    assert clean_line(" Anna\tMaria\r\nSmith ", "f", "The field", 80) == "Anna Maria Smith"
    assert clean_block("Gloves:\r\n\tnitrile only \n", "f", "The notes", 80) == (
        "Gloves:\n\tnitrile only"
    )
    assert clean_line("👩\u200d⚕️ lavender", "f", "The field", 80) == "👩\u200d⚕️ lavender"
    with pytest.raises(ValidationError):
        clean_line("José\u200d", "f", "The name", 80, strict=True)
