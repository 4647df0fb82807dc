"""Dates in the window's pickers are written like every other date of the shop."""

from __future__ import annotations

from collections.abc import Callable

from frontdesk.services.auth import SignedIn
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def test_the_report_day_is_written_like_every_other_date(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """The end-of-day picker wrote 2026-11-23 beside the calendar's 23 Nov 2026."""
    window = make_window(make_services(), sign_in(shop.owner_id))

    assert window.reports.date_edit.date() == window.calendar.date_edit.date()
    assert window.reports.date_edit.text() == window.calendar.date_edit.text()
