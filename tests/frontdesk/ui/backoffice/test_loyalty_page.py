"""The back office's Loyalty page: the scheme typed in, refused at the field, saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from frontdesk.domain.loyalty import Tier
from frontdesk.services.auth import SignedIn
from frontdesk.ui.backoffice.loyalty_page import LoyaltyPage
from frontdesk.ui.main_window import BACK_OFFICE, MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def _open(window: MainWindow) -> LoyaltyPage:
    window.show_area(BACK_OFFICE)
    page = window.back_office.show_section("loyalty")
    assert isinstance(page, LoyaltyPage)
    assert page.isVisible()
    return page


def test_the_owner_sets_points_and_tiers_and_bad_ones_are_refused_at_the_field(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    window = make_window(services, owner)
    page = _open(window)
    page.per_unit.setValue(2)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    silver, gold, bad = page.rows
    qtbot.keyClicks(silver.name, "Silver")
    qtbot.keyClicks(silver.spend, "500")
    silver.percent.setValue(120)
    qtbot.keyClicks(gold.name, "silver")  # the same name twice
    qtbot.keyClicks(gold.spend, "2000")
    qtbot.keyClicks(bad.name, "Bronze")
    qtbot.keyClicks(bad.spend, "12.345")  # more decimals than pounds have
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    shown = page.shown_errors()
    assert set(shown) == {"tier_2"}  # the form's own check first: the amount
    page.grab().save("/tmp/loyalty-page-error.png")
    bad.spend.setText("100")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert set(page.shown_errors()) == {"tier_1"}
    assert "same name" in page.shown_errors()["tier_1"]
    assert services.loyalty.tiers(owner).tiers == ()  # nothing half-saved

    gold.name.setText("Gold")
    gold.percent.setValue(150)
    qtbot.mouseClick(bad.remove, Qt.MouseButton.LeftButton)
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.shown_errors() == {}
    assert page.saved_label.isVisible()
    scheme = services.loyalty.tiers(owner)
    assert scheme.points_per_unit == 2
    assert scheme.tiers == (Tier("Silver", 50_000, 120), Tier("Gold", 200_000, 150))
    # Shown as the shop writes money, and saved again unchanged.
    assert [r.spend.text() for r in page.rows] == ["£500.00", "£2,000.00"]
    assert all(r.name.isVisible() for r in page.rows)
    assert gold.percent.text() == "150%"
    per_unit = page.findChild(QLabel, "points_per_unit_label")
    assert per_unit is not None
    assert per_unit.text() == "&Points per £1 paid"
    page.grab().save("/tmp/loyalty-page.png")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.shown_errors() == {}
    assert services.loyalty.tiers(owner).tiers == scheme.tiers


def test_a_receptionist_has_no_loyalty_section(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    assert "loyalty" not in [s.key for s in window.back_office.sections]
