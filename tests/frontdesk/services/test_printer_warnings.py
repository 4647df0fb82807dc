"""The printer warning reads as one plain instruction whatever is missing."""

from __future__ import annotations

import pytest

from frontdesk.services import receipts
from frontdesk.services.shop import ShopInfo
from printing.escpos_layout import PAPER_80MM, PrintingGaps

CHINESE_SHOP = ShopInfo(
    name="莲花水疗",
    address="",
    phone="",
    tax_id="",
    currency="CNY",
    locale="zh_CN",
    timezone="Asia/Shanghai",
    phone_region="CN",
    receipt_footer="",
)


@pytest.mark.parametrize("font_here", [True, False])
def test_the_chinese_warning_is_one_well_formed_instruction(
    monkeypatch: pytest.MonkeyPatch, font_here: bool
) -> None:
    gaps = PrintingGaps("合计", "") if font_here else PrintingGaps("", "合计")
    monkeypatch.setattr(receipts, "printing_gaps", lambda _profile, _text: gaps)

    (notice,) = receipts.printer_warnings(PAPER_80MM, CHINESE_SHOP)
    warning = notice.message

    assert "printer_chinese = true" in warning
    assert " or Set " not in warning  # a sentence does not restart in its middle
    if not font_here:
        assert "fonts-wqy-microhei" in warning
