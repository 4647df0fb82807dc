"""The client's points dialog: balance and history for all, a change by hand with a reason for
managers and owners, refused at the field below zero."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from frontdesk.domain.loyalty import TierDraft
from frontdesk.services.auth import SignedIn
from frontdesk.ui.clients.points_dialog import PointsDialog
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def test_an_owner_adds_and_takes_off_points_with_a_reason(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.owner_id))
    dialog = PointsDialog(window.desk, shop.anna_id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.balance_label.text() == "0 points"
    assert dialog.empty_label.isVisible()

    dialog.points_spin.setValue(-5)  # no reason, and below zero: both said at their fields
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert set(dialog.fields.shown_errors()) == {"points", "reason"}

    dialog.points_spin.setValue(120)
    qtbot.keyClicks(dialog.reason_edit, "Birthday gift")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.fields.shown_errors() == {}
    assert dialog.balance_label.text() == "120 points"
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "+120"
    assert dialog.table.item(0, 2).text() == "Adjusted: Birthday gift"
    assert dialog.table.item(0, 3).text() == "Olivia Owner"
    assert dialog.reason_edit.text() == ""
    assert dialog.isVisible()
    dialog.grab().save("/tmp/loyalty-points-dialog.png")


def test_a_receptionist_sees_the_points_but_cannot_change_them(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    dialog = PointsDialog(window.desk, shop.anna_id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.balance_label.text() == "0 points"
    assert not dialog.adjust_box.isVisible()


def test_a_large_balance_is_written_as_the_language_writes_numbers(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """15700 points read as "15,700 points" in English and "15 700" in Russian, on the card's
    header and in the dialog (a long balance was a bare run of digits)."""
    window = make_window(make_services(), sign_in(shop.owner_id))
    dialog = PointsDialog(window.desk, shop.anna_id, window)
    qtbot.addWidget(dialog)
    before = QLocale()
    try:
        for locale, expected in (("en_GB", "15,700 points"), ("ru_RU", "15\u00a0700 points")):
            QLocale.setDefault(QLocale(locale))
            dialog.points_spin.setValue(15700 if locale == "en_GB" else 0)
            if locale == "en_GB":
                dialog.reason_edit.setText("Moved from the old system")
                qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
            else:
                dialog.show_history(dialog.history)
            assert dialog.balance_label.text() == expected
        window.open_client(shop.anna_id)
        assert "15\u00a0700 points" in window.clients.card_view.header.standing_label.text()
    finally:
        QLocale.setDefault(before)


def test_the_ledger_groups_digits_and_keeps_the_sign(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    owner = sign_in(shop.owner_id)
    services = make_services()
    services.loyalty.adjust(shop.anna_id, 15700, "Moved from the old system", owner)
    services.loyalty.adjust(shop.anna_id, -1200, "Redeemed for a scrub", owner)
    window = make_window(services, owner)
    before = QLocale()
    try:
        for locale, expected in (
            ("en_GB", ["-1,200", "+15,700"]),
            ("ru_RU", ["-1\u00a0200", "+15\u00a0700"]),
        ):
            QLocale.setDefault(QLocale(locale))
            dialog = PointsDialog(window.desk, shop.anna_id, window)
            qtbot.addWidget(dialog)
            assert [dialog.table.item(r, 1).text() for r in range(2)] == expected
    finally:
        QLocale.setDefault(before)


def test_a_therapist_sees_the_tier_but_not_the_points_that_tell_the_spend(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    owner = sign_in(shop.owner_id)
    services = make_services()
    services.loyalty.save_tiers(1, [TierDraft("Silver", 0, 120)], owner)
    services.loyalty.adjust(shop.anna_id, 15700, "Moved from the old system", owner)
    window = make_window(services, sign_in(shop.therapist_id))
    dialog = PointsDialog(window.desk, shop.anna_id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.balance_label.text() == "Tier: Silver"
    assert not dialog.table.isVisible()
    assert not dialog.adjust_box.isVisible()
    assert "15" not in dialog.balance_label.text() + dialog.tier_label.text()
    dialog.grab().save("/tmp/polish-points-therapist-en.png")
    window.open_client(shop.anna_id)
    header = window.clients.card_view.header
    assert header.standing_label.text() == "Silver"
    # The front desk still sees both.
    desk = make_window(services, sign_in(shop.receptionist_id))
    desk.open_client(shop.anna_id)
    assert desk.clients.card_view.header.standing_label.text().startswith("Silver · 15")


def test_a_therapist_is_not_offered_the_points(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    """Points are earned per currency unit, so they tell the spend: the card's Loyalty points…
    button (and its Ctrl+Shift+L) is not there for a therapist; the desk has it."""
    for staff_id, offered in ((shop.therapist_id, False), (shop.receptionist_id, True)):
        window = make_window(make_services(), sign_in(staff_id))
        window.open_client(shop.anna_id)
        assert window.clients.points_button.isVisibleTo(window) is offered
        window.close()
