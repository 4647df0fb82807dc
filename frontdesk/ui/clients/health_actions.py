"""The card's health half at work: what the Health tab asks (add or remove an allergy,
contraindication or patch test; record consent and add) run on the operation runner.

A bad field keeps its message beside it, a missing consent turns into the offer on the form,
anything else known is said under the form. Nothing is refreshed by hand: the unit of work
announces the client's change and the card, its alert band, the list and the calendar follow.

Consent and add are ONE runner step calling two services in turn (two units of work): the
client's agreement is true whether or not the entry then passes (say someone else recorded the
same allergen meanwhile: the message is at the field and the consent stays recorded), and one
step leaves no moment between the two in which the card could move to another client.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from frontdesk.domain.errors import FormErrors
from frontdesk.services.client_health import ConsentNeeded
from frontdesk.ui.clients.card_health import EntryRequest, HealthSection, PatchTestRequest
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import field_texts
from frontdesk.ui.errors import known_message


class HealthActions(QObject):
    """Connects a HealthSection's requests to ClientHealthService through the runner."""

    def __init__(self, desk: Desk, section: HealthSection, parent: QObject) -> None:
        super().__init__(parent)
        self._desk = desk
        self._health = desk.services.client_health
        self._user = desk.user
        self._section = section
        self._owner = parent
        section.entry_add_requested.connect(self.add_entry)
        section.entry_remove_requested.connect(self.remove_entry)
        section.patch_test_add_requested.connect(self.add_patch_test)
        section.patch_test_remove_requested.connect(self.remove_patch_test)
        section.consent_and_add_requested.connect(self.consent_and_add)

    # -- adding ------------------------------------------------------------------------------

    def add_entry(self, request: EntryRequest) -> None:
        self._run_entry(request, consent=False)

    def add_patch_test(self, request: PatchTestRequest) -> None:
        self._run_patch_test(request, consent=False)

    def consent_and_add(self, request: EntryRequest | PatchTestRequest) -> None:
        if isinstance(request, EntryRequest):
            self._run_entry(request, consent=True)
        else:
            self._run_patch_test(request, consent=True)

    def _run_entry(self, request: EntryRequest, *, consent: bool) -> None:
        health, user, section = self._health, self._user, self._section

        def work() -> int:
            if consent:
                health.set_consent(request.customer_id, True, user)
            return health.add_entry(
                request.customer_id,
                request.kind,
                request.substance,
                request.severity,
                request.notes,
                user,
            )

        def done(_id: int) -> None:
            if self._still_shown(request.customer_id):
                section.entry_added()

        def refused(error: BaseException) -> bool:
            if not self._still_shown(request.customer_id):
                return False  # said in a message box: the form now shows another client
            if isinstance(error, ConsentNeeded):
                section.offer_consent(request)
            elif isinstance(error, FormErrors):
                section.show_entry_errors(field_texts(error, self._desk.formats()))
            else:
                section.show_entry_message(known_message(error, self._desk.formats()) or "")
            return True

        self._desk.runner.run(
            work,
            doing=self.tr("recording an allergy or contraindication"),
            on_done=done,
            on_known_error=refused,
            on_finished=section.entry_finished,
            parent=section,
        )

    def _run_patch_test(self, request: PatchTestRequest, *, consent: bool) -> None:
        health, user, section = self._health, self._user, self._section

        def work() -> int:
            if consent:
                health.set_consent(request.customer_id, True, user)
            return health.add_patch_test(
                request.customer_id, request.tested_on, request.product, request.result, user
            )

        def done(_id: int) -> None:
            if self._still_shown(request.customer_id):
                section.patch_test_added()

        def refused(error: BaseException) -> bool:
            if not self._still_shown(request.customer_id):
                return False
            if isinstance(error, ConsentNeeded):
                section.offer_consent(request)
            elif isinstance(error, FormErrors):
                section.show_patch_errors(field_texts(error, self._desk.formats()))
            else:
                section.show_patch_message(known_message(error, self._desk.formats()) or "")
            return True

        self._desk.runner.run(
            work,
            doing=self.tr("recording a patch test"),
            on_done=done,
            on_known_error=refused,
            on_finished=section.patch_test_finished,
            parent=section,
        )

    # -- removing ----------------------------------------------------------------------------

    def remove_entry(self, entry_id: int, _kind: str) -> None:
        health, user = self._health, self._user
        self._desk.runner.run(
            lambda: health.remove_entry(entry_id, user),
            doing=self.tr("removing an allergy or contraindication"),
            parent=self._section,
        )

    def remove_patch_test(self, test_id: int) -> None:
        health, user = self._health, self._user
        self._desk.runner.run(
            lambda: health.remove_patch_test(test_id, user),
            doing=self.tr("removing a patch test"),
            parent=self._section,
        )

    def _still_shown(self, customer_id: int) -> bool:
        card = self._section.card
        return card is not None and card.id == customer_id
