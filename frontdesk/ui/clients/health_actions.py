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
from frontdesk.ui.clients.card_health import HealthSection
from frontdesk.ui.clients.card_health_forms import EntryRequest, HealthForm, PatchTestRequest
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

    # -- adding ------------------------------------------------------------------------------

    def add_entry(self, request: EntryRequest, consent: bool) -> None:
        """Record an allergy or contraindication (`consent`: record the client's consent
        first, in the same runner step)."""
        health, user, section = self._health, self._user, self._section
        form = section.entry_form

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

        self._desk.runner.run(
            work,
            doing=self.tr("recording an allergy or contraindication"),
            on_done=lambda _id: self._added(form, request.customer_id),
            on_known_error=lambda error: self._refused(form, request.customer_id, error),
            on_finished=form.finished,
            parent=section,
        )

    def add_patch_test(self, request: PatchTestRequest, consent: bool) -> None:
        health, user, section = self._health, self._user, self._section
        form = section.patch_form

        def work() -> int:
            if consent:
                health.set_consent(request.customer_id, True, user)
            return health.add_patch_test(
                request.customer_id, request.tested_on, request.product, request.result, user
            )

        self._desk.runner.run(
            work,
            doing=self.tr("recording a patch test"),
            on_done=lambda _id: self._added(form, request.customer_id),
            on_known_error=lambda error: self._refused(form, request.customer_id, error),
            on_finished=form.finished,
            parent=section,
        )

    def _added(self, form: HealthForm, customer_id: int) -> None:
        if self._still_shown(customer_id):
            form.added()

    def _refused(self, form: HealthForm, customer_id: int, error: BaseException) -> bool:
        """A known refusal beside the form that asked; True when shown there."""
        if not self._still_shown(customer_id):
            return False  # a message box then: the form now shows another client
        if isinstance(error, ConsentNeeded):
            self._section.offer_consent(form)
        elif isinstance(error, FormErrors):
            form.show_errors(field_texts(error, self._desk.formats()))
        else:
            form.show_message(known_message(error, self._desk.formats()) or "")
        return True

    # -- removing ----------------------------------------------------------------------------

    def remove_entry(self, entry_id: int) -> None:
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
