"""python-escpos loads only when something is printed: a start builds profiles without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from printing.escpos_layout import DEFAULT_ESCPOS_PROFILE, PrinterProfile, code_pages


def test_the_default_profile_is_one_python_escpos_knows() -> None:
    # The default is not checked against python-escpos's list when a profile is built.
    from escpos.capabilities import get_profile_class

    assert get_profile_class(DEFAULT_ESCPOS_PROFILE) is not None
    assert code_pages(PrinterProfile())  # and it prints


def test_an_unknown_profile_is_still_refused() -> None:
    with pytest.raises(ValueError, match="Unknown python-escpos profile"):
        PrinterProfile(escpos_profile="No-Such-Printer")


def test_building_the_printing_side_does_not_load_python_escpos() -> None:
    probe = (
        "import sys\n"
        "from printing.connections import PrinterConfig, open_connection\n"
        "from printing.escpos_layout import PrinterProfile\n"
        "PrinterProfile(columns=32)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('escpos', 'PIL')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"
