"""One client's card: the alert band first and loud, the header, then sections in tabs
(contact and consent, preferences, health, history, upcoming, notes). Contact, consent and
preferences are edited in place and saved together (Save, Ctrl+S); a bad field shows its
message beside it and nothing is saved.

The view holds no services: it asks (signals) and the clients area runs the work."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clients import CardEdit
from frontdesk.domain.formats import Formats
from frontdesk.domain.roles import Permission
from frontdesk.services.clients import ClientCard
from frontdesk.ui import style
from frontdesk.ui.clients.card_alert import AlertBand
from frontdesk.ui.clients.card_contact import ContactSection, PreferencesSection
from frontdesk.ui.clients.card_header import CardHeader
from frontdesk.ui.clients.card_health import HealthSection
from frontdesk.ui.clients.card_records import (
    HistorySection,
    NotesSection,
    UpcomingSection,
)


def _nobody(_permission: Permission) -> bool:
    return False


# An editable field's value as typed (a combo's by its data: its items may be rebuilt).
Typed = str | bool | tuple[str, object]


def _typed(widget: QWidget) -> Typed | None:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return ("data", widget.currentData())
    return None


def _retype(widget: QWidget, value: Typed) -> None:
    if isinstance(widget, QLineEdit) and isinstance(value, str):
        widget.setText(value)
    elif isinstance(widget, QPlainTextEdit) and isinstance(value, str):
        widget.setPlainText(value)
    elif isinstance(widget, QCheckBox) and isinstance(value, bool):
        widget.setChecked(value)
    elif isinstance(widget, QComboBox) and isinstance(value, tuple):
        index = widget.findData(value[1])
        if index >= 0:
            widget.setCurrentIndex(index)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class ClientCardView(QWidget):
    save_requested = Signal(object)  # CardEdit
    tag_added = Signal(str)
    tag_removed = Signal(str)
    acknowledge_requested = Signal()

    def __init__(self, can: Callable[[Permission], bool] = _nobody) -> None:
        super().__init__()
        self.can_edit = can(Permission.EDIT_CLIENTS)
        self.card: ClientCard | None = None
        self.alert = AlertBand()
        self.alert.hide()
        self.allergy_label = self.alert.entries_label
        self.no_alerts = QLabel()
        self.no_alerts.setObjectName("noAlerts")
        self.no_alerts.setWordWrap(True)
        self.header = CardHeader(can_edit=self.can_edit)
        self.name_label = self.header.name_label
        self.attendance_label = self.header.attendance_label
        self._values = self.header.values
        self.contact = ContactSection(
            can_edit=self.can_edit, can_edit_health=can(Permission.EDIT_HEALTH)
        )
        self.preferences = PreferencesSection(can_edit=self.can_edit)
        self.can_edit_health = can(Permission.EDIT_HEALTH)
        self.health = HealthSection(can_edit=self.can_edit_health)
        self.history_section = HistorySection()
        self.history = self.history_section.history
        self.upcoming = UpcomingSection()
        self.notes = NotesSection()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("cardTabs")
        self.tabs.addTab(_scrolled(self.contact), self.tr("&Contact"))
        self.tabs.addTab(_scrolled(self.preferences), self.tr("&Preferences"))
        self.health_tab: QScrollArea | None = None
        if can(Permission.VIEW_HEALTH):
            self.health_tab = _scrolled(self.health)
            self.tabs.addTab(self.health_tab, self.tr("H&ealth"))
        self.tabs.addTab(self.history_section, self.tr("Hi&story"))
        self.tabs.addTab(self.upcoming, self.tr("&Upcoming"))
        if can(Permission.READ_TREATMENT_NOTES):
            self.tabs.addTab(self.notes, self.tr("&Notes"))
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_button.setObjectName("saveCard")
        self.save_button.setToolTip(self.tr("Save contact, consent and preferences (Ctrl+S)"))
        self.save_button.setVisible(self.can_edit)
        self.form_error = QLabel()
        self.form_error.setObjectName("cardFormError")
        self.form_error.setStyleSheet(style.ERROR_TEXT)
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("cardSaved")
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_error, 1)
        buttons.addWidget(self.saved_label)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.alert)
        layout.addWidget(self.header)
        layout.addWidget(self.no_alerts)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._loaded: dict[str, Typed] = {}  # the editable fields as the card last showed them
        self._before_save: dict[str, Typed] | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self.submit)
        self.header.tag_added.connect(self.tag_added)
        self.header.tag_removed.connect(self.tag_removed)
        self.alert.acknowledge_requested.connect(self.acknowledge_requested)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Save, self, self.submit, context=context)
        QShortcut(QKeySequence("Ctrl+K"), self, self._acknowledge_by_key, context=context)

    def go_to_health_form(self) -> None:
        """Ctrl+Shift+H (the clients area's, so it works from the search too): the Health tab,
        the keyboard in its add form."""
        if self.health_tab is None or self.card is None or not self.can_edit_health:
            return
        self.tabs.setCurrentWidget(self.health_tab)
        self.health.focus_form()
        self.health_tab.ensureWidgetVisible(self.health.entry_form)

    def _acknowledge_by_key(self) -> None:
        if self.alert.isVisible() and self.alert.acknowledge_button.isVisible():
            self.acknowledge_requested.emit()

    # -- showing -----------------------------------------------------------------------------

    def show_card(self, card: ClientCard, formats: Formats) -> None:
        """Show `card`. Read again for the same client (a change announced on the bus), what
        was typed and not yet saved stays as typed; fields not touched show the new values."""
        same_client = self.card is not None and self.card.id == card.id
        typed = self._typed_changes() if same_client else {}
        self.card = card
        self.header.show_card(card, formats)
        alerts = card.alerts
        self.alert.setVisible(bool(alerts) or card.health_locked)
        if card.health_locked:
            self.alert.show_locked(
                self.tr("⚠ HEALTH DATA LOCKED"),
                self.tr(
                    "This client's allergies cannot be shown on this computer: ask the owner "
                    "to restore the health data key (Back office, Health data key)."
                ),
            )
        elif alerts:
            self.alert.show_alerts(
                alerts, card.alert_acknowledged_at, card.alert_acknowledged_by, formats
            )
        else:
            self.allergy_label.setText("")
        if card.health_hidden:
            self.no_alerts.setText(self.tr("Health information is not shown to your role."))
        else:
            self.no_alerts.setText(self.tr("No allergies recorded"))
        self.no_alerts.setVisible(not alerts and not card.health_locked)
        self.contact.show_card(card, formats)
        self.preferences.show_card(card)
        self.health.show_card(card, formats, same_client=same_client)
        self.history_section.show_card(card, formats)
        self.upcoming.show_card(card, formats)
        self.notes.show_card(card, formats)
        self._loaded = self._snapshot()
        fields = self._editable()
        for name, value in typed.items():
            _retype(fields[name], value)
        if not typed:
            self.clear_errors()
        if not same_client:
            self.saved_label.clear()

    def _editable(self) -> dict[str, QWidget]:
        """The contact, consent and preference fields, by a name of their own."""
        fields: dict[str, QWidget] = {
            "contact.marketing": self.contact.marketing,
            "contact.health_consent": self.contact.health_consent,
        }
        fields.update({f"contact.{n}": w for n, w in self.contact.fields.widgets.items()})
        fields.update({f"preferences.{n}": w for n, w in self.preferences.fields.widgets.items()})
        return fields

    def _snapshot(self) -> dict[str, Typed]:
        values = {name: _typed(widget) for name, widget in self._editable().items()}
        return {name: value for name, value in values.items() if value is not None}

    def _typed_changes(self) -> dict[str, Typed]:
        """The fields typed into since the card was last shown (nothing for a read-only role)."""
        if not self.can_edit:
            return {}
        return {
            name: value
            for name, value in self._snapshot().items()
            if name in self._loaded and value != self._loaded[name]
        }

    # -- editing -----------------------------------------------------------------------------

    def edit(self) -> CardEdit:
        return CardEdit(
            form=self.contact.form(),
            marketing_channel=self.contact.marketing_channel(),
            preferences=self.preferences.preferences(),
            health_consent=self.contact.health_consent_change(),
        )

    def submit(self) -> None:
        """Save (Ctrl+S): withdrawing consent to keep health data asks first."""
        if self.card is None or not self.can_edit or not self.save_button.isEnabled():
            return
        edit = self.edit()
        if edit.health_consent is False and not self.confirm_withdrawal():
            return
        self.clear_errors()
        self.save_button.setEnabled(False)  # one Save at a time
        # The saved card comes back on the bus: it shows what was stored (a name without
        # its stray spaces), not what was typed; a refused Save puts this back.
        self._before_save, self._loaded = self._loaded, self._snapshot()
        self.save_requested.emit(edit)

    def confirm_withdrawal(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Withdraw health consent"),
            self.tr(
                "Without consent, every allergy, contraindication, patch test and treatment "
                "note of this client is deleted now. Withdraw consent?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save_finished(self) -> None:
        self.save_button.setEnabled(True)

    def saved(self) -> None:
        self._before_save = None
        self.saved_label.setText(self.tr("Saved."))

    def _save_refused(self) -> None:
        if self._before_save is not None:
            self._loaded, self._before_save = self._before_save, None

    def clear_errors(self) -> None:
        self.contact.fields.clear_errors()
        self.preferences.fields.clear_errors()
        self.form_error.hide()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field; the first section with one comes to the front and
        its first bad field takes the focus."""
        self.saved_label.clear()
        sections = ((0, self.contact.fields), (1, self.preferences.fields))
        shown = False
        for index, fields in sections:
            mine = {name: text for name, text in errors.items() if name in fields.errors}
            if mine and not shown:
                self.tabs.setCurrentIndex(index)
                fields.show_errors(mine)
                shown = True
            elif mine:
                for name, text in mine.items():
                    fields.errors[name].setText(text)
                    fields.errors[name].show()
        self._save_refused()
        placed = {*self.contact.fields.errors, *self.preferences.fields.errors}
        unplaced = [text for name, text in errors.items() if name not in placed]
        if unplaced:
            self.show_message(" ".join(unplaced))

    def show_message(self, message: str) -> None:
        self._save_refused()
        self.form_error.setText(message)
        self.form_error.setVisible(bool(message))

    def shown_errors(self) -> dict[str, str]:
        return {**self.contact.fields.shown_errors(), **self.preferences.fields.shown_errors()}
