"""Two clients with the same name must look different in quick add's duplicates and in the
merge dialog's results; quick add has no blank gap where an empty error line would be."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.models import Appointment
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.clients import ClientForm
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.clients.merge_dialog import MergeDialog
from frontdesk.ui.clients.quick_add import QuickAddDialog
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop

pytestmark = pytest.mark.gui


def test_namesakes_are_told_apart_by_their_last_visit(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    services.clients.save(ClientForm(first_name="Anna", last_name="Smith"), owner)
    with database.write() as s:
        visit = s.get(Appointment, shop.morning_appt_id)
        assert visit is not None
        visit.status = AppointmentStatus.COMPLETED.value
    window = make_window(services, owner)
    dialog = QuickAddDialog(window.desk, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.general_error.isVisible()  # no empty line taking room
    type_text(dialog.edits["first_name"], "Anna")
    type_text(dialog.edits["last_name"], "Smith")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    lines = sorted(dialog.same_list.item(r).text() for r in range(dialog.same_list.count()))
    assert lines == [
        "Anna Smith  07700 900123 · FD-0000001 · last visit 23 Nov 2026",
        "Anna Smith  no visits yet",
    ]
    assert not dialog.general_error.isVisible()
    # The notice follows the form closely (it was ~60 px below an empty error line).
    form_bottom = dialog.edits["email"].geometry().bottom()
    assert dialog.same_label.geometry().top() - form_bottom < 20
    dialog.layout().activate()  # the open button has its new text
    dialog.grab().save("/tmp/polish-quickadd-en.png")

    merge = MergeDialog(window.desk, shop.boris_id, "Борис Иванов", window)
    qtbot.addWidget(merge)
    merge.show()
    type_text(merge.search_edit, "Anna Smith")
    qtbot.waitUntil(lambda: merge.results.count() == 2)
    texts = sorted(merge.results.item(r).text() for r in range(2))
    assert texts[0].endswith("last visit 23 Nov 2026")
    assert texts[1].endswith("no visits yet")
    merge.grab().save("/tmp/polish-merge-en.png")
