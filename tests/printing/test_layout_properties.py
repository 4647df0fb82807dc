"""Property tests: whatever the text, no printed line is wider than the paper."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from printing.escpos_layout import PrinterProfile, render_receipt
from printing.receipt import Receipt, ReceiptLine
from printing.text_fit import TextFitter
from tests.printing.escpos_bytes import parse

# Weighted towards what a salon really prints, but anything Unicode can appear.
_realistic = st.sampled_from(["Massage", "Маникюр", "足部按摩", "€85.00", "¥1,200", " ", "·"])
_text = st.lists(st.one_of(st.text(), _realistic), max_size=8).map(" ".join)
_profiles = st.builds(
    PrinterProfile, columns=st.sampled_from([16, 32, 42, 48]), chinese=st.booleans()
)
_settings = settings(max_examples=150, deadline=None, database=None)


@_settings
@given(
    profile=_profiles,
    shop_name=_text,
    items=st.lists(
        st.builds(ReceiptLine, _text, st.integers(-3, 10_000), _text, _text), max_size=4
    ),
    totals=st.lists(st.tuples(_text, _text), max_size=3),
    open_drawer=st.booleans(),
)
def test_receipt_lines_never_exceed_the_columns(
    profile: PrinterProfile,
    shop_name: str,
    items: list[ReceiptLine],
    totals: list[tuple[str, str]],
    open_drawer: bool,
) -> None:
    receipt = Receipt(
        shop_name=shop_name,
        shop_lines=(shop_name,),
        number="R-000001",
        issued_at="23/11/2026 10:00",
        cashier=shop_name,
        customer=shop_name or None,
        lines=tuple(items),
        totals=tuple(totals),
        payments=tuple(totals),
        footer=(shop_name,),
        open_drawer=open_drawer,
    )

    printout = parse(render_receipt(receipt, profile))

    assert all(line.columns <= profile.columns for line in printout.lines)
    assert (b"\x1bp\x00\x32\x32" in printout.commands) == open_drawer


def _fitter(chinese: bool) -> TextFitter:
    return TextFitter(lambda char: char in "äöüéЖж€", chinese=chinese)


@_settings
@given(text=_text, width=st.integers(16, 60), chinese=st.booleans(), suffix=_text)
def test_wrapped_pieces_fit_and_keep_every_word(
    text: str, width: int, chinese: bool, suffix: str
) -> None:
    fitter = _fitter(chinese)
    clean = fitter.clean(text)
    suffix = fitter.clean(suffix)[: width // 4]

    pieces = fitter.wrap(clean, width, first_suffix=suffix, indent="  ")

    assert fitter.width(f"{pieces[0]} {suffix}" if suffix else pieces[0]) <= width
    assert all(fitter.width("  " + piece) <= width for piece in pieces[1:])
    assert "".join(pieces).replace(" ", "") == clean.replace(" ", "")
