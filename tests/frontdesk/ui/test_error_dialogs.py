"""An unexpected error's dialog and log line name its type and a reference, never client data."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.models import Sale
from frontdesk.services import checkout as checkout_module
from frontdesk.services.auth import SignedIn
from frontdesk.ui import errors as errors_module
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop

CLIENT_DATA = ("Anna", "Smith", "+447700900123", "Nut oil")


@pytest.mark.expect_log("frontdesk.ui.errors", logging.ERROR, match="^Unexpected ValueError")
def test_an_unexpected_error_shows_its_type_and_reference_but_no_client_data(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dialogs: list[str] = []

    def critical(_parent: object, _title: str, text: str) -> None:
        dialogs.append(text)

    def broken_receipt(sale: Sale, *_args: object) -> None:
        """A bug whose messages carry the client's data (read from the database, so the
        traceback's source lines do not hold it), chained."""
        client = sale.customer
        assert client is not None
        try:
            raise KeyError(client.phone)
        except KeyError as inner:
            allergy = client.allergies[0].substance
            raise ValueError(
                f"no room for {client.first_name} {client.last_name}: {allergy}"
            ) from inner

    monkeypatch.setattr(errors_module.QMessageBox, "critical", critical)
    monkeypatch.setattr(checkout_module, "build_receipt", broken_receipt)
    caplog.set_level(logging.DEBUG)
    window = make_window(make_services(), sign_in(shop.receptionist_id))
    window.start_checkout(shop.morning_appt_id)
    qtbot.mouseClick(window.checkout.complete_button, Qt.MouseButton.LeftButton)

    assert len(dialogs) == 1
    (text,) = dialogs
    assert "ValueError" in text
    found = re.search(r"reference ([0-9a-f]{8})", text)
    assert found is not None, text
    for secret in CLIENT_DATA:
        assert secret not in text
    logged = "\n".join(caplog.handler.format(r) for r in caplog.records)
    assert found.group(1) in logged
    assert "ValueError" in logged
    assert "KeyError" in logged  # the whole chain, as types and frames
    assert "broken_receipt" in logged
    for secret in CLIENT_DATA:
        assert secret not in logged
