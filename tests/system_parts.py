"""Optional system packages some tests need: each missing one skips its tests with the reason.

`tools/check-system-libs.sh test` names the same packages with the line that installs them.
"""

from __future__ import annotations

import shutil

import pytest

from printing.fonts import report_font


def require_cjk_font() -> None:
    """Skip unless a TrueType font with Chinese is installed (PDFs fall back to boxes)."""
    if not report_font().covers_cjk:
        pytest.skip(
            "no TrueType font with Chinese on this machine (apt-get install fonts-wqy-microhei)"
        )


def require_cyrillic_font() -> None:
    """Skip unless a TrueType font with Cyrillic is installed."""
    if not report_font().covers_cyrillic:
        pytest.skip(
            "no TrueType font with Cyrillic on this machine "
            "(apt-get install fonts-dejavu-core fonts-wqy-microhei)"
        )


def require_socat() -> str:
    """The socat executable, which makes real serial pty pairs; skip when it is missing."""
    socat = shutil.which("socat")
    if socat is None:
        pytest.skip("socat is not installed (apt-get install socat): it makes serial pty pairs")
    return socat
